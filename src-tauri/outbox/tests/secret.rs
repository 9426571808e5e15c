//! The signing secret only goes in: after refusals, a stall, a receiver that is down and a
//! failed event, neither the outbox's files nor any error, view or `Debug` text holds it — nor
//! a token in the webhook URL's query.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::time::Duration;

use common::*;
use desk_outbox::{Deliverer, Outbox, WebhookSecret};
use time::OffsetDateTime;

const URL_TOKEN: &str = "url-token-5b7c9d";

fn files_under(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn the_secret_is_never_in_the_outbox_files_errors_or_debug_output() {
    let receiver = Receiver::start([
        Reply::Status(503),
        Reply::Stall(Duration::from_secs(1), 200),
        Reply::Status(400),
        Reply::Status(400),
        Reply::Status(400),
    ])
    .await;
    let url = format!("{}?token={URL_TOKEN}", receiver.url);
    let down = format!("http://{}/hooks/card-desk?token={URL_TOKEN}", closed_port());
    let dir = tempfile::tempdir().unwrap();
    let mut texts: Vec<String> = Vec::new();
    {
        let d =
            Deliverer::new(Outbox::open(dir.path()).unwrap(), &url, secret(), policy()).unwrap();
        let id = d.outbox().enqueue(card_removed(REQUEST_A)).unwrap();
        let mut now = OffsetDateTime::now_utc();
        for _ in 0..5 {
            d.run_once(now).await.unwrap();
            now += PAST_ANY_BACKOFF;
        }
        d.outbox()
            .enqueue(status_changed(REQUEST_B, "closed"))
            .unwrap();
        let unreachable = Deliverer::new(d.outbox().clone(), &down, secret(), policy()).unwrap();
        unreachable.run_once(now).await.unwrap();

        let pending = d.outbox().pending().unwrap();
        assert_eq!(pending.len(), 2, "{pending:?}");
        texts.push(format!("{pending:?}"));
        texts.push(serde_json::to_string(&pending).unwrap());
        texts.push(format!("{:?}", d.outbox().history().unwrap()));
        texts.push(format!("{d:?}"));
        texts.push(format!("{unreachable:?}"));
        texts.push(format!("{:?}", d.outbox()));
        texts.push(format!("{:?}", secret()));
        texts.push(format!("{:?}", d.problem()));
        let busy = Outbox::open(dir.path()).unwrap_err();
        texts.extend([busy.to_string(), format!("{busy:?}")]);
        let not_failed = d.outbox().retry(&pending[1].id).unwrap_err();
        texts.extend([not_failed.to_string(), format!("{not_failed:?}")]);
        d.outbox().retry(&id).unwrap();
        let errors: Vec<String> = pending
            .iter()
            .filter_map(|p| p.last_attempt.clone()?.error)
            .collect();
        assert!(errors.iter().any(|e| e.contains("HTTP 400")), "{errors:?}");
        assert!(
            errors.iter().any(|e| e.starts_with("could not connect")),
            "{errors:?}"
        );
    }
    for bad in [
        format!("http://remote.example.com/hook?token={URL_TOKEN}&s={SECRET}"),
        format!("not a url {SECRET}"),
    ] {
        let e = Deliverer::new(
            Outbox::open(&dir.path().join("other")).unwrap(),
            &bad,
            secret(),
            policy(),
        )
        .unwrap_err();
        texts.extend([e.to_string(), format!("{e:?}")]);
    }
    let short = WebhookSecret::new("Known-Secret").unwrap_err();
    texts.extend([short.to_string(), format!("{short:?}")]);

    for text in &texts {
        assert!(!text.contains(SECRET), "the secret in: {text}");
        assert!(
            !text.contains("Known-Secret"),
            "part of the secret in: {text}"
        );
        assert!(!text.contains(URL_TOKEN), "the URL's token in: {text}");
    }

    let mut files = Vec::new();
    files_under(dir.path(), &mut files);
    assert!(files.len() >= 2, "{files:?}");
    let mut event_bytes_seen = false;
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            !contains(&bytes, SECRET.as_bytes()),
            "the secret in {}",
            file.display()
        );
        assert!(
            !contains(&bytes, b"Known-Secret"),
            "part of the secret in {}",
            file.display()
        );
        assert!(
            !contains(&bytes, URL_TOKEN.as_bytes()),
            "the URL token in {}",
            file.display()
        );
        event_bytes_seen |= contains(&bytes, REQUEST_A.as_bytes());
    }
    assert!(event_bytes_seen, "the search looked where the events are");
}
