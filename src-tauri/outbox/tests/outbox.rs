//! The outbox across a receiver that is down and an app restart, a receiver that refuses (set
//! aside as failed, retried or discarded by hand), order per request, and the files on disk.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use desk_outbox::{Deliverer, ErrorKind, Outbox, PendingState, Settlement};
use time::OffsetDateTime;

#[tokio::test]
async fn nothing_is_lost_while_the_receiver_is_down_and_the_app_restarts() {
    let addr = closed_port();
    let url = format!("http://{addr}/hooks/card-desk");
    let dir = tempfile::tempdir().unwrap();
    let t0 = OffsetDateTime::now_utc();
    let (a1, b1, a2) = {
        let d =
            Deliverer::new(Outbox::open(dir.path()).unwrap(), &url, secret(), policy()).unwrap();
        let a1 = d
            .outbox()
            .enqueue(status_changed(REQUEST_A, "in_progress"))
            .unwrap();
        let b1 = d.outbox().enqueue(card_removed(REQUEST_B)).unwrap();
        let a2 = d.outbox().enqueue(card_removed(REQUEST_A)).unwrap();
        let pass = d.run_once(t0).await.unwrap();
        assert_eq!(pass.retrying, 2, "one attempt per request: {pass:?}");
        let pending = d.outbox().pending().unwrap();
        let error = pending[0].last_attempt.clone().unwrap().error.unwrap();
        assert!(error.starts_with("could not connect"), "{error}");
        assert_eq!(pending[0].last_attempt.clone().unwrap().status, None);
        (a1, b1, a2)
    }; // the app quits: outbox and deliverer dropped

    let outbox = Outbox::open(dir.path()).unwrap();
    let pending = outbox.pending().unwrap();
    let ids: Vec<_> = pending.iter().map(|p| p.id.clone()).collect();
    assert_eq!(ids, [a1.clone(), b1.clone(), a2.clone()]);
    let states: Vec<_> = pending.iter().map(|p| p.state).collect();
    assert_eq!(
        states,
        [
            PendingState::Waiting,
            PendingState::Waiting,
            PendingState::Behind
        ]
    );
    assert_eq!(
        pending.iter().map(|p| p.attempts).collect::<Vec<_>>(),
        [1, 1, 0]
    );
    assert_eq!(outbox.next_due(t0).unwrap().len(), 0, "backing off");

    let receiver = Receiver::start_on(addr, []).await;
    let d = Deliverer::new(outbox, &url, secret(), policy()).unwrap();
    let pass = d.run_once(t0 + PAST_ANY_BACKOFF).await.unwrap();
    assert_eq!(pass.delivered, 3, "{pass:?}");
    assert!(d.outbox().pending().unwrap().is_empty());
    assert_eq!(d.outbox().history().unwrap().delivered_total, 3);

    let order: Vec<String> = receiver.seen().into_iter().map(|s| s.id).collect();
    let at = |id: &desk_outbox::EventId| order.iter().position(|o| o == id.as_str()).unwrap();
    assert_eq!(order.len(), 3, "{order:?}");
    assert!(at(&a1) < at(&a2), "in order within a request: {order:?}");
    assert!(receiver.seen().iter().all(|s| s.signature_verifies(SECRET)));
}

#[tokio::test]
async fn a_refused_event_fails_after_n_attempts_holds_its_request_and_can_be_retried() {
    let receiver =
        Receiver::start([Reply::Status(400), Reply::Status(400), Reply::Status(400)]).await;
    let dir = tempfile::tempdir().unwrap();
    let d = Deliverer::new(
        Outbox::open(dir.path()).unwrap(),
        &receiver.url,
        secret(),
        policy(),
    )
    .unwrap();
    let first = d
        .outbox()
        .enqueue(status_changed(REQUEST_A, "in_progress"))
        .unwrap();
    let second = d
        .outbox()
        .enqueue(status_changed(REQUEST_A, "closed"))
        .unwrap();
    let mut now = OffsetDateTime::now_utc();
    for n in 1..=3 {
        let pass = d.run_once(now).await.unwrap();
        assert_eq!(pass.refused, 1, "attempt {n}: {pass:?}");
        now += PAST_ANY_BACKOFF;
    }
    let pending = d.outbox().pending().unwrap();
    assert_eq!(pending[0].id, first);
    assert_eq!(pending[0].state, PendingState::Failed);
    assert_eq!(pending[0].attempts, 3);
    assert_eq!(pending[0].next_attempt_at, None);
    let last = pending[0].last_attempt.clone().unwrap();
    assert_eq!(last.status, Some(400));
    assert_eq!(
        last.error.unwrap(),
        "the receiver refused the event: HTTP 400"
    );
    assert_eq!(
        pending[1].state,
        PendingState::Behind,
        "order: held behind the failed one"
    );
    // Nothing more is sent, however long we wait.
    assert_eq!(
        d.run_once(now + PAST_ANY_BACKOFF).await.unwrap().attempts(),
        0
    );
    assert_eq!(d.outbox().next_wake().unwrap(), None);

    // Only a failed event can be retried.
    let e = d.outbox().retry(&second).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict, "{e}");
    d.outbox().retry(&first).unwrap();
    assert_eq!(
        d.outbox().pending().unwrap()[0].state,
        PendingState::Waiting
    );
    let pass = d.run_once(now).await.unwrap();
    assert_eq!(pass.delivered, 2, "{pass:?}");
    let ids: Vec<String> = receiver.seen().into_iter().map(|s| s.id).collect();
    assert_eq!(ids[3..], [first.to_string(), second.to_string()]);
    let history = d.outbox().history().unwrap();
    assert_eq!(history.recent[0].id, second, "newest first");
    assert_eq!(history.recent[1].attempts, 4);
}

#[tokio::test]
async fn a_failed_event_can_be_discarded_so_its_request_moves_on() {
    let receiver = Receiver::start([Reply::Status(422)]).await;
    let dir = tempfile::tempdir().unwrap();
    let policy = desk_outbox::Policy {
        refusals_before_failed: 1,
        ..policy()
    };
    let d = Deliverer::new(
        Outbox::open(dir.path()).unwrap(),
        &receiver.url,
        secret(),
        policy,
    )
    .unwrap();
    let first = d
        .outbox()
        .enqueue(status_changed(REQUEST_A, "in_progress"))
        .unwrap();
    let second = d
        .outbox()
        .enqueue(status_changed(REQUEST_A, "closed"))
        .unwrap();
    let now = OffsetDateTime::now_utc();
    assert_eq!(d.run_once(now).await.unwrap().refused, 1);
    assert_eq!(d.outbox().pending().unwrap()[0].state, PendingState::Failed);

    d.outbox().discard(&first, now).unwrap();
    assert_eq!(
        d.outbox().discard(&first, now).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(d.run_once(now).await.unwrap().delivered, 1);
    let history = d.outbox().history().unwrap();
    assert_eq!((history.delivered_total, history.discarded_total), (1, 1));
    assert_eq!(history.recent[1].settlement, Settlement::Discarded);
    assert_eq!(history.recent[0].id, second);
}

#[test]
fn a_second_open_of_the_same_outbox_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let _first = Outbox::open(dir.path()).unwrap();
    let e = Outbox::open(dir.path()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Busy, "{e:?}");
    assert!(e.to_string().contains("open in another Card Desk"), "{e}");
}

#[test]
fn an_event_that_does_not_fit_is_refused_by_field_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let outbox = Outbox::open(dir.path()).unwrap();
    let mut event = card_removed(REQUEST_A);
    event.masked_cards = vec!["4111 1111 1111 1111".into()];
    let e = outbox.enqueue(event).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert_eq!(e.field(), Some("masked_cards[0]"));
    assert!(!e.to_string().contains("4111"), "{e}");
    assert!(outbox.pending().unwrap().is_empty());
}

#[tokio::test]
async fn the_history_is_bounded_and_the_totals_are_not() {
    let receiver = Receiver::start([]).await;
    let dir = tempfile::tempdir().unwrap();
    let d = Deliverer::new(
        Outbox::open(dir.path()).unwrap(),
        &receiver.url,
        secret(),
        policy(),
    )
    .unwrap();
    let n = desk_outbox::HISTORY_LEN + 5;
    for i in 0..n {
        d.outbox()
            .enqueue(card_removed(&format!("req-{i}")))
            .unwrap();
    }
    let pass = d.run_once(OffsetDateTime::now_utc()).await.unwrap();
    assert_eq!(pass.delivered as usize, n);
    let history = d.outbox().history().unwrap();
    assert_eq!(history.delivered_total as usize, n);
    assert_eq!(history.recent.len(), desk_outbox::HISTORY_LEN);
    assert_eq!(receiver.unique_ids().len(), n);
}

#[cfg(unix)]
#[test]
fn the_outbox_is_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("webhook-outbox");
    let outbox = Outbox::open(&path).unwrap();
    outbox.enqueue(card_removed(REQUEST_A)).unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o700);
    for entry in std::fs::read_dir(&path).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() {
            assert_eq!(mode(&p), 0o600, "{}", p.display());
        }
    }
}
