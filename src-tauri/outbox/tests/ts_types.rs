//! The views the UI will show render as TypeScript (ts-rs), in the shapes the JSON has, so the
//! desk can add them to its bindings (desk/tests/bindings.rs) without touching this crate.
#![allow(clippy::unwrap_used)]

use desk_outbox::{
    Attempt, EventId, EventKind, History, PendingEvent, PendingState, SettledEvent, Settlement,
};
use ts_rs::{Config, TS};

#[test]
fn every_ui_type_renders_as_its_json() {
    let cfg = Config::new().with_large_int("number");
    let all = [
        EventId::decl(&cfg),
        EventKind::decl(&cfg),
        Attempt::decl(&cfg),
        PendingState::decl(&cfg),
        PendingEvent::decl(&cfg),
        Settlement::decl(&cfg),
        SettledEvent::decl(&cfg),
        History::decl(&cfg),
    ]
    .join("\n");
    for expected in [
        "type EventId = string;",
        "\"status_changed\" | \"card_removed\"",
        "\"waiting\" | \"behind\" | \"failed\"",
        "nextAttemptAt: string | null,",
        "lastAttempt: Attempt | null,",
        "status: number | null,",
        "deliveredTotal: number,",
        "recent: Array<SettledEvent>,",
    ] {
        assert!(all.contains(expected), "{expected:?} not in:\n{all}");
    }

    let pending = PendingEvent {
        id: EventId::parse("3f2c1e0a-6b7d-4c8e-9f10-1a2b3c4d5e6f").unwrap(),
        kind: EventKind::CardRemoved,
        request_id: "r-1".into(),
        occurred_at: time::macros::datetime!(2026-12-01 10:00 UTC),
        state: PendingState::Failed,
        attempts: 3,
        next_attempt_at: None,
        last_attempt: Some(Attempt {
            at: time::macros::datetime!(2026-12-01 10:05 UTC),
            status: Some(400),
            error: Some("the receiver refused the event: HTTP 400".into()),
        }),
    };
    let json = serde_json::to_string(&pending).unwrap();
    assert_eq!(
        json,
        r#"{"id":"3f2c1e0a-6b7d-4c8e-9f10-1a2b3c4d5e6f","kind":"card_removed","requestId":"r-1","occurredAt":"2026-12-01T10:00:00Z","state":"failed","attempts":3,"nextAttemptAt":null,"lastAttempt":{"at":"2026-12-01T10:05:00Z","status":400,"error":"the receiver refused the event: HTTP 400"}}"#
    );
}
