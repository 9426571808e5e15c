//! The types the UI will need render as TypeScript (ts-rs), in the shapes the JSON has, so the
//! desk can add them to its bindings (desk/tests/bindings.rs) without touching this crate.
#![allow(clippy::unwrap_used)]

use desk_requests::model::{
    AuditRef, Channel, Document, DocumentKind, EventKind, Extension, IdentityCheck, Note, OpenItem,
    ProfileRef, Received, RemovalLink, RemovalResult, RequestDraft, RequestEvent, Status,
    StatusKind, Subject, SubjectDraft,
};
use desk_requests::store::DueState;
use desk_requests::{
    Deadline, DeadlineBasis, DueCounts, Request, RequestFilter, RequestId, RequestKind, YearStatus,
};
use ts_rs::{Config, TS};

#[test]
fn every_ui_type_renders() {
    let cfg = Config::new().with_large_int("number");
    let decls = [
        RequestId::decl(&cfg),
        RequestKind::decl(&cfg),
        DeadlineBasis::decl(&cfg),
        YearStatus::decl(&cfg),
        Deadline::decl(&cfg),
        Received::decl(&cfg),
        Channel::decl(&cfg),
        ProfileRef::decl(&cfg),
        Subject::decl(&cfg),
        SubjectDraft::decl(&cfg),
        RequestDraft::decl(&cfg),
        IdentityCheck::decl(&cfg),
        Status::decl(&cfg),
        StatusKind::decl(&cfg),
        Note::decl(&cfg),
        Extension::decl(&cfg),
        AuditRef::decl(&cfg),
        RemovalResult::decl(&cfg),
        RemovalLink::decl(&cfg),
        DocumentKind::decl(&cfg),
        Document::decl(&cfg),
        OpenItem::decl(&cfg),
        EventKind::decl(&cfg),
        RequestEvent::decl(&cfg),
        Request::decl(&cfg),
        RequestFilter::decl(&cfg),
        DueState::decl(&cfg),
        DueCounts::decl(&cfg),
    ];
    let all = decls.join("\n");
    for expected in [
        "type RequestId = string;",
        "\"card_refusal\" | \"access152\" | \"erasure152\" | \"access_gdpr\" | \"erasure_gdpr\"",
        "\"fz152_access_10_working_days\"",
        "due: string,",
        "rolledFrom: string | null,",
        "beyondCalendar: boolean,",
        "calendarVersion: string | null,",
        "\"precision\": \"instant\", at: string, offset: number,",
        "{ \"state\": \"refused\", reason: string, }",
        "{ \"profile\": string } | \"all_profiles\"",
        "seq: number",
        "customerNumber: string",
    ] {
        assert!(all.contains(expected), "missing {expected:?} in:\n{all}");
    }
}
