//! The `cardart:` URI scheme: the webview asks for card art by opaque key and gets bytes the
//! Rust side fetched (or cached) under the profile's media policy. The webview itself reaches
//! no remote origin (docs/design.md §5); types are the sniffed ones, with `nosniff`.

use tauri::http::{Request, Response, StatusCode, header};
use tauri::{Manager, Runtime, UriSchemeContext, UriSchemeResponder};

use crate::state::Shell;

pub const SCHEME: &str = "cardart";

pub fn handle<R: Runtime>(
    ctx: UriSchemeContext<'_, R>,
    request: Request<Vec<u8>>,
    responder: UriSchemeResponder,
) {
    let key = request.uri().path().trim_start_matches('/').to_owned();
    let Some(shell) = ctx.app_handle().try_state::<Shell>() else {
        responder.respond(status(StatusCode::SERVICE_UNAVAILABLE));
        return;
    };
    let desk = shell.desk.clone();
    tauri::async_runtime::spawn(async move {
        let response = match desk.art(&key).await {
            Ok(media) => Response::builder()
                .status(StatusCode::OK)
                .header(header::CONTENT_TYPE, media.content_type)
                .header("X-Content-Type-Options", "nosniff")
                .header(header::CACHE_CONTROL, "private, max-age=3600")
                .header(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")
                .body(media.bytes)
                .unwrap_or_else(|_| status(StatusCode::INTERNAL_SERVER_ERROR)),
            Err(e) if e.code == desk::ErrorCode::NotFound => status(StatusCode::NOT_FOUND),
            Err(_) => status(StatusCode::BAD_GATEWAY),
        };
        responder.respond(response);
    });
}

fn status(code: StatusCode) -> Response<Vec<u8>> {
    let mut r = Response::new(Vec::new());
    *r.status_mut() = code;
    r.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        header::HeaderValue::from_static("*"),
    );
    r
}
