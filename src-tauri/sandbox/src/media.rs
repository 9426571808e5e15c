//! Card art served by the sandbox itself under `/media/<name>`, so asset URLs in `token.cfm`
//! answers resolve without the internet (the real gateway points at S3, docs/assist-api.md §4.2).
//!
//! The files are project-made (`media/make-media.sh`) and embedded at build time. Each is
//! served with its real Content-Type; PDFs go out as `application/pdf` whatever `mediaType`
//! the asset claims (`image/pdf` in the doc's example, §11.5). Unknown names are 404.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// One embedded file.
#[derive(Debug)]
pub(crate) struct MediaFile {
    pub name: &'static str,
    pub content_type: &'static str,
    pub bytes: &'static [u8],
}

macro_rules! media {
    ($name:literal, $content_type:literal) => {
        MediaFile {
            name: $name,
            content_type: $content_type,
            bytes: include_bytes!(concat!("../media/", $name)),
        }
    };
}

static MEDIA: &[MediaFile] = &[
    media!("alfa-combined.png", "image/png"),
    media!("alfa-logo.png", "image/png"),
    media!("bankusa-combined.png", "image/png"),
    media!("bankusa-logo.png", "image/png"),
    media!("belarusbank-combined.png", "image/png"),
    media!("belarusbank-logo.png", "image/png"),
    media!("cobrand-miles.png", "image/png"),
    media!("mc-background.png", "image/png"),
    media!("mc-icon.png", "image/png"),
    media!("mc-logo.pdf", "application/pdf"),
    media!("mc-logo.png", "image/png"),
    media!("mir-background.png", "image/png"),
    media!("mir-icon.png", "image/png"),
    media!("mir-logo.png", "image/png"),
    media!("sber-combined.png", "image/png"),
    media!("sber-logo.png", "image/png"),
    media!("tbank-combined.png", "image/png"),
    media!("tbank-logo.png", "image/png"),
    media!("terms-en.txt", "text/plain; charset=utf-8"),
    media!("terms-ru.txt", "text/plain; charset=utf-8"),
    media!("terms.html", "text/html; charset=utf-8"),
    media!("visa-background.png", "image/png"),
    media!("visa-icon.png", "image/png"),
    media!("visa-logo.pdf", "application/pdf"),
    media!("visa-logo.png", "image/png"),
    media!("vtb-combined.png", "image/png"),
    media!("vtb-logo.png", "image/png"),
];

pub(crate) fn find(name: &str) -> Option<&'static MediaFile> {
    MEDIA.iter().find(|m| m.name == name)
}

/// `GET /media/{name}`.
pub(crate) async fn serve(Path(name): Path<String>) -> Response {
    match find(&name) {
        Some(file) => (
            [
                (header::CONTENT_TYPE, file.content_type),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            file.bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such media\n").into_response(),
    }
}
