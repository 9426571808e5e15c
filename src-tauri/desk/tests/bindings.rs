//! The UI's TypeScript types are generated from the Rust types that cross IPC (ts-rs) and
//! committed as ui/src/lib/bindings.ts. This test fails when they drift; regenerate with
//! `CARDDESK_BLESS=1 cargo test -p desk --test bindings`.
#![allow(clippy::unwrap_used)]

use desk::audit::{
    AuditAction, AuditEntry, AuditOutcome, AuditPage, AuditQuery, BreakKind, BrokenLink,
    CardSummary, ExpectedEntry, ExportFormat, KeyedCheck, Mark, Operator, ReadBack, Reason, Repair,
    RepairedLine, SegmentLink, Shown, ShownFrom, Verification,
};
use desk::bulk::{
    CardState, ColumnMap, CsvPreview, JobSummary, PlanClass, Progress, RowState, RunOptions,
};
use desk::profiles::{DocumentSettings, ProfileDraft, Settings};
use desk::recent::RecentCustomer;
use desk::requests::model::{
    AuditRef, Channel, Document, DocumentKind, EventKind, Extension, IdentityCheck, Note, OpenItem,
    ProfileRef as RequestProfile, Received, RemovalLink, RemovalResult, RequestDraft, RequestEvent,
    Status, StatusKind, Subject, SubjectDraft,
};
use desk::requests::store::DueState;
use desk::requests::{
    Deadline, DeadlineBasis, DueCounts, Request, RequestFilter, RequestId, RequestKind, YearStatus,
};
use desk::secrets::StoreKind;
use desk::{
    About, ArtFormat, ArtRef, BulkCard, BulkDraft, BulkRow, CardArt, CardView, ConnectionCheck,
    DeskError, DeskStatus, Environment, ErrorCode, ExpiryView, Exported, Freshness, JobAction,
    JobPhase, JobView, Lookup, NoticeKind, OpenIntent, PresetView, ProfileLookup, ProfileView,
    Recovery, Revocation, RevokeAllItem, RevokeAllRequest, RevokeAllResult, RevokeRequest, RowPage,
    SecretStoreStatus, Source, StartupNotice, UiLanguage, UpdateCheck, UpdateInstall, Verdict,
};
use desk::{
    ErasureDetails, ErasureSignatory, ProducedDocument, RequestAction, RequestList, RequestView,
};
use ts_rs::{Config, TS};

fn render() -> String {
    let cfg = Config::new().with_large_int("number");
    let decls = [
        ErrorCode::decl(&cfg),
        desk::claim::ClaimOwner::decl(&cfg),
        DeskError::decl(&cfg),
        Environment::decl(&cfg),
        UiLanguage::decl(&cfg),
        Exported::decl(&cfg),
        desk::ShippedComponent::decl(&cfg),
        About::decl(&cfg),
        desk::CheckFailure::decl(&cfg),
        UpdateCheck::decl(&cfg),
        UpdateInstall::decl(&cfg),
        StoreKind::decl(&cfg),
        SecretStoreStatus::decl(&cfg),
        ProfileView::decl(&cfg),
        PresetView::decl(&cfg),
        DocumentSettings::decl(&cfg),
        Settings::decl(&cfg),
        NoticeKind::decl(&cfg),
        StartupNotice::decl(&cfg),
        DeskStatus::decl(&cfg),
        ProfileDraft::decl(&cfg),
        ArtFormat::decl(&cfg),
        ArtRef::decl(&cfg),
        CardArt::decl(&cfg),
        ExpiryView::decl(&cfg),
        CardView::decl(&cfg),
        Source::decl(&cfg),
        Freshness::decl(&cfg),
        Lookup::decl(&cfg),
        ProfileLookup::decl(&cfg),
        Verdict::decl(&cfg),
        ConnectionCheck::decl(&cfg),
        RecentCustomer::decl(&cfg),
        Reason::decl(&cfg),
        AuditAction::decl(&cfg),
        AuditOutcome::decl(&cfg),
        ReadBack::decl(&cfg),
        Operator::decl(&cfg),
        CardSummary::decl(&cfg),
        Repair::decl(&cfg),
        SegmentLink::decl(&cfg),
        ShownFrom::decl(&cfg),
        Shown::decl(&cfg),
        AuditEntry::decl(&cfg),
        AuditQuery::decl(&cfg),
        AuditPage::decl(&cfg),
        BreakKind::decl(&cfg),
        BrokenLink::decl(&cfg),
        RepairedLine::decl(&cfg),
        Mark::decl(&cfg),
        KeyedCheck::decl(&cfg),
        ExpectedEntry::decl(&cfg),
        Verification::decl(&cfg),
        ExportFormat::decl(&cfg),
        RevokeRequest::decl(&cfg),
        RevokeAllRequest::decl(&cfg),
        Revocation::decl(&cfg),
        RevokeAllItem::decl(&cfg),
        RevokeAllResult::decl(&cfg),
        OpenIntent::decl(&cfg),
        Recovery::decl(&cfg),
        RowState::decl(&cfg),
        PlanClass::decl(&cfg),
        CardState::decl(&cfg),
        ColumnMap::decl(&cfg),
        CsvPreview::decl(&cfg),
        BulkDraft::decl(&cfg),
        RunOptions::decl(&cfg),
        Progress::decl(&cfg),
        JobSummary::decl(&cfg),
        JobPhase::decl(&cfg),
        JobView::decl(&cfg),
        BulkCard::decl(&cfg),
        BulkRow::decl(&cfg),
        RowPage::decl(&cfg),
        JobAction::decl(&cfg),
        RequestId::decl(&cfg),
        RequestKind::decl(&cfg),
        DeadlineBasis::decl(&cfg),
        YearStatus::decl(&cfg),
        Deadline::decl(&cfg),
        Received::decl(&cfg),
        Channel::decl(&cfg),
        RequestProfile::decl(&cfg),
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
        RequestView::decl(&cfg),
        RequestList::decl(&cfg),
        RequestAction::decl(&cfg),
        ProducedDocument::decl(&cfg),
        ErasureSignatory::decl(&cfg),
        ErasureDetails::decl(&cfg),
        desk::AccessDetails::decl(&cfg),
        desk::outbox::EventId::decl(&cfg),
        desk::outbox::EventKind::decl(&cfg),
        desk::outbox::Attempt::decl(&cfg),
        desk::outbox::PendingState::decl(&cfg),
        desk::outbox::PendingEvent::decl(&cfg),
        desk::outbox::Settlement::decl(&cfg),
        desk::outbox::SettledEvent::decl(&cfg),
        desk::outbox::History::decl(&cfg),
        desk::WriteBackView::decl(&cfg),
        desk::TeamSetup::decl(&cfg),
        desk::TeamView::decl(&cfg),
        desk::TeamCheck::decl(&cfg),
        desk::team::Policy::decl(&cfg),
        desk::team::Approval::decl(&cfg),
        desk::TeamPolicyView::decl(&cfg),
        desk::TeamAuditEntry::decl(&cfg),
        desk::TeamAuditPage::decl(&cfg),
        desk::deep_link::LinkIntent::decl(&cfg),
        desk::deep_link::OpenedLink::decl(&cfg),
        desk::deep_link::LinkMessage::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by src-tauri/desk/tests/bindings.rs. Do not edit:\n\
         // run `CARDDESK_BLESS=1 cargo test -p desk --test bindings` after changing them.\n\n",
    );
    for decl in decls {
        out.push_str("export ");
        out.push_str(&decl);
        out.push_str("\n\n");
    }
    // The rules the UI checks before Rust does (for instant feedback), from where Rust keeps
    // them, so the two cannot drift apart.
    let reasons: Vec<&str> = Reason::ALL.iter().map(|r| r.as_str()).collect();
    let forbidden: Vec<String> = assist::STRIPPED_BY_GATEWAY
        .iter()
        .map(char::to_string)
        .collect();
    out.push_str(&format!(
        "/** Longest note on a removal, in characters. */\n\
         export const NOTE_MAX = {}\n\
         /** Longest ticket reference, in characters. */\n\
         export const TICKET_MAX = {}\n\
         /** Why a card is removed, in the order the UI offers them. */\n\
         export const REASONS = {} as const\n\
         /** Characters the gateway strips from a customer number (refused rather than stripped). */\n\
         export const CUSTOMER_FORBIDDEN_CHARS = {} as const\n\
         /** Longest note on a customer's request, in characters. */\n\
         export const REQUEST_NOTE_MAX = {}\n\
         /** Longest free text on a request (what was asked to identify, a reason), in characters. */\n\
         export const REQUEST_TEXT_MAX = {}\n\
         /** Longest name of a person on a request (who did it, the assignee), in characters. */\n\
         export const REQUEST_NAME_MAX = {}\n\
         /** Longest customer number, in characters. */\n\
         export const CUSTOMER_MAX = {}\n\
         /** Longest profile name, in characters. */\n\
         export const PROFILE_NAME_MAX = {}\n\
         /** Most digits in a merchant id. */\n\
         export const MERCHANT_ID_DIGITS = {}\n\
         /** Longest gateway login, in characters. */\n\
         export const LOGIN_MAX = {}\n\
         /** Longest gateway password, in characters. */\n\
         export const PASSWORD_MAX = {}\n\
         /** The most gateway requests a bulk job may have in flight. */\n\
         export const CONCURRENCY_MAX = {}\n\
         /** The highest request rate a bulk job may ask for, per second. */\n\
         export const RATE_MAX = {}\n",
        desk::revoke::NOTE_MAX,
        desk::revoke::TICKET_MAX,
        serde_json::to_string(&reasons).unwrap(),
        serde_json::to_string(&forbidden).unwrap(),
        desk::requests::model::NOTE_MAX,
        desk::requests::model::TEXT_MAX,
        desk::requests::model::NAME_MAX,
        assist::CUSTOMER_NUMBER_MAX,
        desk::profiles::NAME_MAX,
        assist::MERCHANT_ID_DIGITS,
        assist::LOGIN_MAX,
        assist::PASSWORD_MAX,
        desk::bulk::CONCURRENCY_MAX,
        desk::bulk::RATE_MAX,
    ));
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

#[test]
fn ui_bindings_match_the_rust_types() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/bindings.ts");
    let fresh = render();
    if std::env::var("CARDDESK_BLESS").as_deref() == Ok("1") {
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "ui/src/lib/bindings.ts is out of date with the Rust types; run CARDDESK_BLESS=1 cargo test -p desk --test bindings"
    );
}
