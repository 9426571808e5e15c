//! End to end: updates in the real window, against an update server on loopback. The app (a
//! debug build, pointed at the server and at a test key by `CARDDESK_E2E_UPDATE_*`) finds a
//! newer version on start and offers it in a banner; nothing is downloaded until Install is
//! chosen; a package signed by a key that is not the app's is refused in words and nothing is
//! installed; and once the server is gone, "Check for updates" says quietly that it could not
//! check. The manifest and packages are fixtures (tests/fixtures/updater: the test key's public
//! half, a package, its signature by the test key and one by another key).
#![allow(clippy::unwrap_used)]

mod webdriver;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use webdriver::Session;

const WAIT: Duration = Duration::from_secs(30);

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/updater")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_is_offered_refused_when_foreign_and_a_dead_server_is_a_quiet_could_not_check() {
    if !webdriver::enabled("update_window") {
        return;
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    // Signed, but by another key than the one the app trusts (the test key).
    let manifest = serde_json::json!({
        "version": "0.2.0",
        "notes": "Customer requests with legal deadlines.",
        "pub_date": "2026-12-01T10:00:00Z",
        "platforms": {
            "linux-x86_64": {
                "signature": fixture("other-key.sig").trim(),
                "url": format!("{base}/card-desk-0.2.0.tar.gz"),
            }
        }
    });
    let downloads = Arc::new(AtomicUsize::new(0));
    let counted = downloads.clone();
    let app_routes = Router::new()
        .route(
            "/latest.json",
            get(move || async move { axum::Json(manifest) }),
        )
        .route(
            "/card-desk-0.2.0.tar.gz",
            get(move || async move {
                counted.fetch_add(1, Ordering::SeqCst);
                fixture("card-desk-0.2.0.tar.gz")
            }),
        );
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(listener, app_routes)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
    });

    let app = PathBuf::from(env!("CARGO_BIN_EXE_card-desk"));
    let endpoint = format!("{base}/latest.json");
    let pubkey = fixture("test-key.pub");
    let s = Session::start_fresh_with(
        &app,
        "update_window",
        &[
            ("CARDDESK_E2E_UPDATE_ENDPOINT", endpoint.as_str()),
            ("CARDDESK_E2E_UPDATE_PUBKEY", pubkey.trim()),
        ],
    )
    .await;
    let out = webdriver::out_dir();

    s.wait_text("[data-testid=env-banner]", "452739", WAIT)
        .await;
    s.click_text("[data-testid=lang-en]", "EN", WAIT).await;
    let banner = s
        .wait_text(
            "[data-testid=update-banner]",
            "Card Desk 0.2.0 is available",
            WAIT,
        )
        .await;
    assert!(banner.contains("Settings → Updates"), "{banner}");
    s.screenshot(&out.join("update-01-banner.png")).await;

    s.click(&s.find("[data-testid=update-banner-open]", WAIT).await)
        .await;
    let panel = s
        .wait_text(
            "[data-testid=updates]",
            "Card Desk 0.2.0 is available",
            WAIT,
        )
        .await;
    assert!(
        panel.contains("Card Desk 0.1.0"),
        "the running version: {panel}"
    );
    assert!(
        panel.contains("Customer requests with legal deadlines."),
        "{panel}"
    );
    assert!(
        panel.contains("Nothing is downloaded until you choose Install"),
        "{panel}"
    );
    assert_eq!(
        downloads.load(Ordering::SeqCst),
        0,
        "nothing downloaded before Install"
    );
    s.screenshot(&out.join("update-02-offered.png")).await;

    s.click(&s.find("[data-testid=update-install]", WAIT).await)
        .await;
    let refused = s
        .wait_text("[data-testid=update-refused]", "was refused", WAIT)
        .await;
    assert!(
        refused.contains("The update to 0.2.0 was refused"),
        "{refused}"
    );
    assert!(refused.contains("signature does not match"), "{refused}");
    assert!(refused.contains("Nothing was installed."), "{refused}");
    assert_eq!(
        downloads.load(Ordering::SeqCst),
        1,
        "downloaded once, on Install"
    );
    let none = s
        .execute(
            "return document.querySelector('[data-testid=update-restart]') === null",
            serde_json::json!([]),
        )
        .await;
    assert_eq!(none, serde_json::Value::Bool(true), "no restart is offered");
    s.execute(
        "document.querySelector('[data-testid=updates]').scrollIntoView({block: 'center'})",
        serde_json::json!([]),
    )
    .await;
    s.screenshot(&out.join("update-03-refused.png")).await;

    // The server goes away: asked again, the app says it could not check, and nothing else.
    stop.send(()).unwrap();
    server.await.unwrap();
    s.click(&s.find("[data-testid=update-check]", WAIT).await)
        .await;
    let result = s
        .wait_text(
            "[data-testid=update-result]",
            "Could not check for updates",
            WAIT,
        )
        .await;
    assert!(result.contains("could not be reached"), "{result}");
    let alerts = s
        .execute(
            "return [...document.querySelectorAll('[role=alert]')].map(e => e.textContent)",
            serde_json::json!([]),
        )
        .await;
    assert_eq!(
        alerts,
        serde_json::json!([]),
        "a failed check raises no alert"
    );
    s.screenshot(&out.join("update-04-could-not-check.png"))
        .await;
    s.click_text("[data-testid=lang-ru]", "RU", WAIT).await;
    s.wait_text(
        "[data-testid=update-result]",
        "Не удалось проверить обновления",
        WAIT,
    )
    .await;
    s.screenshot(&out.join("update-05-ru.png")).await;
    s.close().await;
}
