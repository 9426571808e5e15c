//! Delivery against a real receiver on loopback: one that refuses and then accepts, one that
//! stalls past the timeout, one that processes an event and answers too late (so it gets it
//! twice, under the same id), one that asks to come back later; and the loop the app spawns.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::*;
use desk_outbox::{Deliverer, Outbox, Pass, PendingState, SystemClock};
use time::OffsetDateTime;

fn deliverer(dir: &std::path::Path, url: &str) -> Deliverer {
    Deliverer::new(Outbox::open(dir).unwrap(), url, secret(), policy()).unwrap()
}

#[tokio::test]
async fn a_refusing_receiver_gets_the_same_signed_body_until_it_accepts() {
    let receiver = Receiver::start([Reply::Status(503), Reply::Status(503)]).await;
    let dir = tempfile::tempdir().unwrap();
    let d = deliverer(dir.path(), &receiver.url);
    let id = d.outbox().enqueue(card_removed(REQUEST_A)).unwrap();
    let t0 = OffsetDateTime::now_utc();

    let first = d.run_once(t0).await.unwrap();
    assert_eq!(first.retrying, 1, "{first:?}");
    let pending = d.outbox().pending().unwrap();
    assert_eq!(pending[0].attempts, 1);
    assert_eq!(pending[0].state, PendingState::Waiting);
    let last = pending[0].last_attempt.clone().unwrap();
    assert_eq!(last.status, Some(503));
    // The first wait is 5 s less at most a quarter: nothing is sent before it is over.
    let next = pending[0].next_attempt_at.unwrap();
    assert!(next > t0 + time::Duration::seconds(3) && next < t0 + time::Duration::seconds(6));
    assert_eq!(
        d.run_once(t0 + time::Duration::seconds(3)).await.unwrap(),
        Pass::default()
    );

    let t1 = t0 + time::Duration::seconds(6);
    assert_eq!(d.run_once(t1).await.unwrap().retrying, 1);
    // Doubled: 10 s less at most a quarter.
    assert_eq!(
        d.run_once(t1 + time::Duration::seconds(7))
            .await
            .unwrap()
            .attempts(),
        0
    );
    let t2 = t1 + time::Duration::seconds(11);
    assert_eq!(d.run_once(t2).await.unwrap().delivered, 1);

    assert!(d.outbox().pending().unwrap().is_empty());
    let history = d.outbox().history().unwrap();
    assert_eq!(history.delivered_total, 1);
    assert_eq!(history.recent[0].id, id);
    assert_eq!(history.recent[0].attempts, 3);
    assert_eq!(history.recent[0].status, Some(200));

    let seen = receiver.seen();
    assert_eq!(seen.len(), 3);
    for s in &seen {
        assert_eq!(s.id, id.as_str());
        assert_eq!(s.body, seen[0].body, "byte-identical body on every attempt");
        assert_eq!(s.content_type, "application/json");
        assert!(s.signature_verifies(SECRET), "{s:?}");
        assert!(!s.signature_verifies("whsec_some-other-secret-000"));
    }
    // Each attempt is signed at its own time (the step's, plus the little real time since).
    for (s, t) in seen.iter().zip([t0, t1, t2]) {
        let stamp: i64 = s.timestamp.parse().unwrap();
        let t = t.unix_timestamp();
        assert!(stamp == t || stamp == t + 1, "{stamp} for a step at {t}");
    }
    let json = seen[0].json();
    assert_eq!(json["id"], id.as_str());
    assert_eq!(json["kind"], "card_removed");
    assert_eq!(json["request_id"], REQUEST_A);
    assert_eq!(json["masked_cards"][0], "4123 62•• •••• 0028");
    assert_eq!(json["outcome"], "removed");
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "id",
            "kind",
            "occurred_at",
            "request_id",
            "ticket",
            "request_type",
            "masked_cards",
            "outcome",
            "audit_hash",
            "status"
        ],
        "exactly the documented fields"
    );
}

#[tokio::test]
async fn a_stalling_receiver_costs_one_timeout_and_the_event_is_tried_again() {
    let receiver = Receiver::start([Reply::Stall(Duration::from_secs(2), 200)]).await;
    let dir = tempfile::tempdir().unwrap();
    let d = deliverer(dir.path(), &receiver.url);
    let id = d
        .outbox()
        .enqueue(status_changed(REQUEST_A, "in_progress"))
        .unwrap();
    let other = d
        .outbox()
        .enqueue(status_changed(REQUEST_B, "closed"))
        .unwrap();
    let t0 = OffsetDateTime::now_utc();

    let started = std::time::Instant::now();
    let first = d.run_once(t0).await.unwrap();
    let took = started.elapsed();
    assert!(
        took < Duration::from_millis(1500),
        "bounded by the timeout: {took:?}"
    );
    // The other request's event was not held up by the stalled one.
    assert_eq!((first.delivered, first.retrying), (1, 1), "{first:?}");
    let pending = d.outbox().pending().unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].id, id);
    let error = pending[0].last_attempt.clone().unwrap().error.unwrap();
    assert_eq!(error, "the receiver did not answer within 0.3 s");

    assert_eq!(
        d.run_once(t0 + PAST_ANY_BACKOFF).await.unwrap().delivered,
        1
    );
    assert!(d.outbox().pending().unwrap().is_empty());
    let ids: Vec<String> = receiver.seen().into_iter().map(|s| s.id).collect();
    assert_eq!(ids.iter().filter(|i| *i == id.as_str()).count(), 2);
    assert_eq!(ids.iter().filter(|i| *i == other.as_str()).count(), 1);
}

#[tokio::test]
async fn a_receiver_that_processes_then_answers_too_late_gets_the_event_twice_under_one_id() {
    // It takes the event, then answers 200 after our timeout; the retry is answered 200 at once.
    let receiver = Receiver::start([Reply::Stall(Duration::from_millis(600), 200)]).await;
    let dir = tempfile::tempdir().unwrap();
    let d = deliverer(dir.path(), &receiver.url);
    let id = d.outbox().enqueue(card_removed(REQUEST_A)).unwrap();
    let t0 = OffsetDateTime::now_utc();

    assert_eq!(d.run_once(t0).await.unwrap().retrying, 1);
    assert_eq!(
        d.run_once(t0 + PAST_ANY_BACKOFF).await.unwrap().delivered,
        1
    );
    tokio::time::sleep(Duration::from_millis(400)).await; // the late 200 has been written

    let seen = receiver.seen();
    assert_eq!(seen.len(), 2, "the receiver answered 200 twice");
    assert_eq!(seen[0].id, seen[1].id);
    assert_eq!(seen[0].id, id.as_str());
    assert_eq!(seen[0].body, seen[1].body);
    assert_eq!(
        receiver.unique_ids(),
        vec![id.to_string()],
        "dropped by id: once"
    );
    assert_eq!(d.outbox().history().unwrap().delivered_total, 1);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let receiver = Receiver::start([Reply::RetryAfter(429, "120")]).await;
    let dir = tempfile::tempdir().unwrap();
    let d = deliverer(dir.path(), &receiver.url);
    d.outbox()
        .enqueue(status_changed(REQUEST_A, "answered"))
        .unwrap();
    let t0 = OffsetDateTime::now_utc();

    assert_eq!(d.run_once(t0).await.unwrap().retrying, 1);
    let next = d.outbox().pending().unwrap()[0].next_attempt_at.unwrap();
    let asked = t0 + time::Duration::seconds(120);
    assert!(
        (next - asked).abs() < time::Duration::seconds(1),
        "{next} vs {asked}"
    );
    assert_eq!(
        d.run_once(t0 + time::Duration::seconds(60))
            .await
            .unwrap()
            .attempts(),
        0
    );
    assert_eq!(d.run_once(next).await.unwrap().delivered, 1);
}

#[tokio::test]
async fn the_loop_delivers_what_is_enqueued_while_it_runs_and_stops_on_shutdown() {
    let receiver = Receiver::start([]).await;
    let dir = tempfile::tempdir().unwrap();
    let d = deliverer(dir.path(), &receiver.url);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(d.clone().run(SystemClock, async move {
        let _ = stopped.await;
    }));

    tokio::time::sleep(Duration::from_millis(100)).await; // the loop is asleep, idle
    let first = d
        .outbox()
        .enqueue(status_changed(REQUEST_A, "in_progress"))
        .unwrap();
    let second = d.outbox().enqueue(card_removed(REQUEST_A)).unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while receiver.seen().len() < 2 && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let ids: Vec<String> = receiver.seen().into_iter().map(|s| s.id).collect();
    assert_eq!(
        ids,
        [first.to_string(), second.to_string()],
        "woken by the enqueue, in order"
    );

    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(2), running)
        .await
        .expect("the loop stops on shutdown")
        .unwrap();
    assert_eq!(d.problem(), None);
}
