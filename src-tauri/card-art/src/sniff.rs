//! Why: docs/design.md §5 says the art's type is "sniffed from the bytes" and "`text/html` is never
//! rendered as HTML". The gateway's declared `mediaType` (docs/assist-api.md §4.2: `image/png`,
//! `image/pdf` or `application/pdf` for the same thing, `text/plain`, `text/html`) is only a
//! hint, and the server's `Content-Type` header is not consulted at all: the type we serve to
//! the webview comes from the magic numbers here. SVG is refused like HTML — it can carry
//! script — so the webview is only ever handed raster images, PDF (for pdf.js) and plain text.

use serde::Serialize;

use crate::error::{ArtError, UnsupportedReason};

/// A format we serve, decided from the bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ArtKind {
    Png,
    Jpeg,
    Gif,
    Webp,
    /// Rendered with pdf.js, never by the webview itself.
    Pdf,
    /// UTF-8 without NUL, declared `text/plain` (terms and conditions, docs/assist-api.md §4.2).
    Text,
}

impl ArtKind {
    /// The `Content-Type` we serve for this kind.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Gif => "image/gif",
            Self::Webp => "image/webp",
            Self::Pdf => "application/pdf",
            Self::Text => "text/plain; charset=utf-8",
        }
    }

    fn family(self) -> Family {
        match self {
            Self::Png | Self::Jpeg | Self::Gif | Self::Webp => Family::Raster,
            Self::Pdf => Family::Pdf,
            Self::Text => Family::Text,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Family {
    Raster,
    Pdf,
    Text,
}

/// What the gateway's `mediaType` says, reduced to what matters here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Declared {
    /// Absent, empty, or a type we do not know (`application/octet-stream`, …).
    Unknown,
    Family(Family),
    Html,
    Svg,
}

fn declared(media_type: Option<&str>) -> Declared {
    let Some(raw) = media_type else {
        return Declared::Unknown;
    };
    let essence = raw.split(';').next().unwrap_or_default().trim();
    let essence = essence.to_ascii_lowercase();
    match essence.as_str() {
        "image/png" | "image/jpeg" | "image/jpg" | "image/pjpeg" | "image/gif" | "image/webp" => {
            Declared::Family(Family::Raster)
        }
        // The documentation's own contradiction: both spellings mean PDF.
        "image/pdf" | "application/pdf" | "application/x-pdf" => Declared::Family(Family::Pdf),
        "text/plain" => Declared::Family(Family::Text),
        "text/html" | "application/xhtml+xml" => Declared::Html,
        "image/svg+xml" | "text/xml" | "application/xml" => Declared::Svg,
        _ => Declared::Unknown,
    }
}

/// Decides what `bytes` are, using the gateway's declared media type only as a hint:
///
/// * declared `text/html` or SVG/XML, or bytes that begin like markup → refused;
/// * PNG, JPEG, GIF, WebP, PDF by magic number → accepted when the declared type is unknown or
///   of the same family (any raster image for an `image/*` raster type; `image/pdf` and
///   `application/pdf` alike for PDF), otherwise [`UnsupportedReason::Mismatch`];
/// * UTF-8 without NUL → [`ArtKind::Text`] only when declared `text/plain`;
/// * anything else → [`UnsupportedReason::Unrecognised`].
pub fn sniff(bytes: &[u8], declared_media_type: Option<&str>) -> Result<ArtKind, ArtError> {
    let unsupported = |reason| Err(ArtError::Unsupported { reason });
    let hint = declared(declared_media_type);
    match hint {
        Declared::Html => return unsupported(UnsupportedReason::Html),
        Declared::Svg => return unsupported(UnsupportedReason::Svg),
        Declared::Unknown | Declared::Family(_) => {}
    }
    if bytes.is_empty() {
        return unsupported(UnsupportedReason::Empty);
    }
    if let Some(kind) = magic(bytes) {
        return match hint {
            Declared::Family(family) if family != kind.family() => {
                unsupported(UnsupportedReason::Mismatch)
            }
            _ => Ok(kind),
        };
    }
    if let Some(reason) = markup(bytes) {
        return unsupported(reason);
    }
    if hint == Declared::Family(Family::Text) && is_plain_text(bytes) {
        return Ok(ArtKind::Text);
    }
    unsupported(UnsupportedReason::Unrecognised)
}

fn magic(bytes: &[u8]) -> Option<ArtKind> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(ArtKind::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ArtKind::Jpeg)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(ArtKind::Gif)
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some(ArtKind::Webp)
    } else if bytes.starts_with(b"%PDF-") {
        Some(ArtKind::Pdf)
    } else {
        None
    }
}

/// Tags that make text dangerous to hand to anything that might sniff it as a document.
const ACTIVE_TAGS: [&[u8]; 6] = [
    b"<!doctype",
    b"<html",
    b"<script",
    b"<svg",
    b"<iframe",
    b"<?xml",
];

/// HTML or SVG/XML: bytes that open with a tag (after a BOM and whitespace), or contain an
/// active tag anywhere in the first 4 KiB.
fn markup(bytes: &[u8]) -> Option<UnsupportedReason> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    let body = &body[start..];
    let head = &body[..body.len().min(4096)];
    let opens_with = |prefix: &[u8]| {
        head.get(..prefix.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(prefix))
    };
    if opens_with(b"<svg") || opens_with(b"<?xml") {
        return Some(UnsupportedReason::Svg);
    }
    let opens_with_tag = head.first() == Some(&b'<')
        && head
            .get(1)
            .is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'!' | b'/' | b'?'));
    let contains_active_tag = ACTIVE_TAGS.iter().any(|tag| {
        head.windows(tag.len())
            .any(|window| window.eq_ignore_ascii_case(tag))
    });
    (opens_with_tag || contains_active_tag).then_some(UnsupportedReason::Html)
}

fn is_plain_text(bytes: &[u8]) -> bool {
    !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\0\x10JFIF";
    const GIF: &[u8] = b"GIF89a\x01\0\x01\0";
    const WEBP: &[u8] = b"RIFF\x24\0\0\0WEBPVP8 ";
    const PDF: &[u8] = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";

    fn reason(bytes: &[u8], declared: Option<&str>) -> UnsupportedReason {
        match sniff(bytes, declared) {
            Err(ArtError::Unsupported { reason }) => reason,
            other => panic!("expected Unsupported, got {other:?}"),
        }
    }

    #[test]
    fn magic_numbers() {
        assert_eq!(sniff(PNG, None).unwrap(), ArtKind::Png);
        assert_eq!(sniff(JPEG, None).unwrap(), ArtKind::Jpeg);
        assert_eq!(sniff(GIF, None).unwrap(), ArtKind::Gif);
        assert_eq!(sniff(b"GIF87a..", None).unwrap(), ArtKind::Gif);
        assert_eq!(sniff(WEBP, None).unwrap(), ArtKind::Webp);
        assert_eq!(sniff(PDF, None).unwrap(), ArtKind::Pdf);
        // Near misses.
        assert_eq!(
            reason(b"\x89PNG\r\n", None),
            UnsupportedReason::Unrecognised
        );
        assert_eq!(
            reason(b"RIFF\0\0\0\0WAVE", None),
            UnsupportedReason::Unrecognised
        );
        assert_eq!(reason(b"GIF90a", None), UnsupportedReason::Unrecognised);
        assert_eq!(reason(b" %PDF-1.4", None), UnsupportedReason::Unrecognised);
    }

    #[test]
    fn served_type_comes_from_the_bytes() {
        assert_eq!(ArtKind::Png.content_type(), "image/png");
        assert_eq!(ArtKind::Pdf.content_type(), "application/pdf");
        assert_eq!(ArtKind::Text.content_type(), "text/plain; charset=utf-8");
        // A JPEG declared as PNG is still served as JPEG.
        assert_eq!(sniff(JPEG, Some("image/png")).unwrap(), ArtKind::Jpeg);
    }

    #[test]
    fn both_pdf_spellings_from_the_gateway_are_pdf() {
        assert_eq!(sniff(PDF, Some("image/pdf")).unwrap(), ArtKind::Pdf);
        assert_eq!(sniff(PDF, Some("application/pdf")).unwrap(), ArtKind::Pdf);
        assert_eq!(
            sniff(PDF, Some(" Application/PDF; x=1")).unwrap(),
            ArtKind::Pdf
        );
    }

    #[test]
    fn family_mismatches_are_refused() {
        assert_eq!(reason(PDF, Some("image/png")), UnsupportedReason::Mismatch);
        assert_eq!(reason(PNG, Some("image/pdf")), UnsupportedReason::Mismatch);
        assert_eq!(reason(PNG, Some("text/plain")), UnsupportedReason::Mismatch);
        // An unknown declared type is no hint at all.
        assert_eq!(
            sniff(PNG, Some("application/octet-stream")).unwrap(),
            ArtKind::Png
        );
    }

    #[test]
    fn html_is_never_accepted() {
        for body in [
            &b"<!DOCTYPE html><html><body>x</body></html>"[..],
            b"<html><script>alert(1)</script></html>",
            b"\xEF\xBB\xBF  \n<HTML>",
            b"<!-- comment --><p>hi",
            b"<body onload=alert(1)>",
        ] {
            for declared in [
                None,
                Some("image/png"),
                Some("text/plain"),
                Some("image/pdf"),
            ] {
                assert_eq!(
                    reason(body, declared),
                    UnsupportedReason::Html,
                    "{declared:?}"
                );
            }
        }
        // Declared text/html is refused whatever the bytes are.
        assert_eq!(reason(PNG, Some("text/html")), UnsupportedReason::Html);
        assert_eq!(
            reason(b"plain words", Some("text/html; charset=utf-8")),
            UnsupportedReason::Html
        );
        // Text with an active tag further in is refused too.
        assert_eq!(
            reason(b"Terms apply.\n<script>x</script>", Some("text/plain")),
            UnsupportedReason::Html
        );
    }

    #[test]
    fn svg_is_refused() {
        let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
        assert_eq!(reason(svg, None), UnsupportedReason::Svg);
        assert_eq!(reason(svg, Some("image/png")), UnsupportedReason::Svg);
        assert_eq!(
            reason(b"<?xml version=\"1.0\"?><svg/>", None),
            UnsupportedReason::Svg
        );
        assert_eq!(reason(PNG, Some("image/svg+xml")), UnsupportedReason::Svg);
    }

    #[test]
    fn text_needs_the_text_plain_hint_utf8_and_no_nul() {
        let terms = "Условия использования. Terms & conditions: 1 < 2.".as_bytes();
        assert_eq!(sniff(terms, Some("text/plain")).unwrap(), ArtKind::Text);
        assert_eq!(
            sniff(terms, Some("text/plain; charset=UTF-8")).unwrap(),
            ArtKind::Text
        );
        assert_eq!(reason(terms, None), UnsupportedReason::Unrecognised);
        assert_eq!(
            reason(terms, Some("image/png")),
            UnsupportedReason::Unrecognised
        );
        assert_eq!(
            reason(b"a\0b", Some("text/plain")),
            UnsupportedReason::Unrecognised
        );
        assert_eq!(
            reason(b"\xFF\xFEa", Some("text/plain")),
            UnsupportedReason::Unrecognised
        );
    }

    #[test]
    fn empty_is_refused() {
        assert_eq!(reason(b"", Some("image/png")), UnsupportedReason::Empty);
    }
}
