//! The request's rules, on real dates of the 2026 calendar.
#![allow(clippy::unwrap_used)]

use time::OffsetDateTime;
use time::macros::{date, datetime};

use super::*;
use crate::calendar::Calendar;
use crate::deadline::DeadlineBasis;
use crate::{ErrorKind, RequestError};

const NOW: OffsetDateTime = datetime!(2026-05-04 10:00 +03:00);
const HASH: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

fn draft(kind: RequestKind) -> RequestDraft {
    RequestDraft {
        kind,
        received: Received::at(datetime!(2026-04-30 18:20 +03:00)),
        channel: Channel::Email,
        ticket: Some("SUP-1042".into()),
        subjects: vec![SubjectDraft {
            customer_number: "1234".into(),
            profile: ProfileRef::AllProfiles,
        }],
        assignee: None,
    }
}

fn open(kind: RequestKind) -> Request {
    Request::open(draft(kind), "Анна", NOW, Calendar::russia()).unwrap()
}

fn link(seq: u64, customer: &str, result: RemovalResult, settles: Option<u64>) -> RemovalLink {
    RemovalLink {
        audit: AuditRef {
            seq,
            hash: HASH.into(),
        },
        customer: assist::CustomerNumber::new(customer).unwrap(),
        result,
        settles,
    }
}

#[test]
fn a_new_request_has_its_deadline_and_a_created_event() {
    let r = open(RequestKind::Access152);
    assert_eq!(r.status(), &Status::New);
    assert_eq!(r.version(), 0);
    let d = r.deadline().unwrap();
    assert_eq!(d.due, date!(2026 - 05 - 18));
    assert_eq!(d.basis, DeadlineBasis::Fz152Access10WorkingDays);
    assert_eq!(r.events().len(), 1);
    assert_eq!(r.events()[0].what, EventKind::Created);
    assert!(open(RequestKind::CardRefusal).deadline().is_none());
}

#[test]
fn the_clock_uses_the_agents_local_date() {
    // 30 Apr 23:30 UTC is already 1 May in Moscow: counted from 1 May, same 10th day.
    let mut d = draft(RequestKind::Erasure152);
    d.received = Received::at(datetime!(2026-05-01 02:30 +03:00));
    assert_eq!(d.received.local_date(), date!(2026 - 05 - 01));
    let r = Request::open(d, "Анна", NOW, Calendar::russia()).unwrap();
    // 1 May + 30 = Sun 31 May → Mon 1 Jun.
    assert_eq!(r.deadline().unwrap().due, date!(2026 - 06 - 01));
    let json = serde_json::to_value(r.received()).unwrap();
    assert_eq!(json["precision"], "instant");
    assert_eq!(json["at"], "2026-04-30T23:30:00Z");
    assert_eq!(json["offset"], 180);
}

#[test]
fn drafts_are_checked_field_by_field() {
    let mut d = draft(RequestKind::Access152);
    d.subjects[0].customer_number = "12(34)".into();
    let e = Request::open(d, "Анна", NOW, Calendar::russia()).unwrap_err();
    assert_eq!(e.field(), Some("subjects[0].customer_number"));
    assert!(e.rule().unwrap().contains("< > \" = ' / ( ) ; #"));

    let mut d = draft(RequestKind::Access152);
    d.ticket = Some("T".repeat(65));
    let e = Request::open(d, "Анна", NOW, Calendar::russia()).unwrap_err();
    assert_eq!(e.field(), Some("ticket"));

    let mut d = draft(RequestKind::Access152);
    d.received = Received::at(datetime!(2026-05-05 10:00 +03:00));
    let e = Request::open(d, "Анна", NOW, Calendar::russia()).unwrap_err();
    assert_eq!(e.to_string(), "received_at: must not be in the future");

    let mut d = draft(RequestKind::Access152);
    d.subjects.clear();
    let e = Request::open(d, "Анна", NOW, Calendar::russia()).unwrap_err();
    assert_eq!(e.field(), Some("subjects"));

    let mut d = draft(RequestKind::Access152);
    d.subjects.push(d.subjects[0].clone());
    let e = Request::open(d, "Анна", NOW, Calendar::russia()).unwrap_err();
    assert_eq!(e.field(), Some("subjects[1]"));

    let e = Request::open(draft(RequestKind::Access152), " ", NOW, Calendar::russia()).unwrap_err();
    assert_eq!(e.field(), Some("by"));
}

#[test]
fn no_work_before_a_matching_identity_check() {
    let mut r = open(RequestKind::CardRefusal);
    let e = r
        .change_status(Status::InProgress, false, "Анна", NOW)
        .unwrap_err();
    assert_eq!(e.field(), Some("identity_checks"));
    let e = r
        .link_removal(link(7, "1234", RemovalResult::Removed, None), "Анна", NOW)
        .unwrap_err();
    assert_eq!(e.field(), Some("identity_checks"));

    r.record_identity_check("e-mail on file", false, "Анна", NOW)
        .unwrap();
    assert!(
        r.change_status(Status::InProgress, false, "Анна", NOW)
            .is_err()
    );
    r.record_identity_check("e-mail on file and last 4", true, "Анна", NOW)
        .unwrap();
    r.change_status(Status::InProgress, false, "Анна", NOW)
        .unwrap();
    assert_eq!(r.identity_checks().len(), 2);
    r.link_removal(link(7, "1234", RemovalResult::Removed, None), "Анна", NOW)
        .unwrap();
    assert_eq!(r.removals().count(), 1);
}

#[test]
fn statuses_move_one_way() {
    let mut r = open(RequestKind::Access152);
    let e = r
        .change_status(Status::Answered, false, "Анна", NOW)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "status: cannot go from new to answered (next: in_progress or refused)"
    );
    r.record_identity_check("passport", true, "Анна", NOW)
        .unwrap();
    r.change_status(Status::InProgress, false, "Анна", NOW)
        .unwrap();
    r.change_status(Status::Answered, false, "Анна", NOW)
        .unwrap();
    assert!(
        r.change_status(Status::InProgress, false, "Анна", NOW)
            .is_err()
    );
    let e = r
        .change_status(Status::Refused { reason: "x".into() }, false, "Анна", NOW)
        .unwrap_err();
    assert!(e.to_string().contains("next: closed"), "{e}");
}

#[test]
fn a_refusal_needs_a_reason_and_is_final() {
    let mut r = open(RequestKind::Erasure152);
    let e = r
        .change_status(Status::Refused { reason: " ".into() }, false, "Анна", NOW)
        .unwrap_err();
    assert_eq!(e.field(), Some("reason"));
    r.change_status(
        Status::Refused {
            reason: "a contract in force requires keeping the data".into(),
        },
        false,
        "Анна",
        NOW,
    )
    .unwrap();
    assert_eq!(r.status().kind(), StatusKind::Refused);
    let e = r
        .change_status(Status::Closed, true, "Анна", NOW)
        .unwrap_err();
    assert!(e.to_string().contains("none, it is final"), "{e}");
    assert!(
        r.add_document(DocumentKind::Answer, "a.pdf", HASH, "Анна", NOW)
            .is_err()
    );
}

#[test]
fn closing_with_open_items_is_refused_unless_forced() {
    let mut r = open(RequestKind::Erasure152);
    r.record_identity_check("passport", true, "Анна", NOW)
        .unwrap();
    r.change_status(Status::InProgress, false, "Анна", NOW)
        .unwrap();
    r.link_removal(link(10, "1234", RemovalResult::Unknown, None), "Анна", NOW)
        .unwrap();
    r.change_status(Status::Answered, false, "Анна", NOW)
        .unwrap();
    let e = r
        .change_status(Status::Closed, false, "Анна", NOW)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert_eq!(e.field(), Some("status"));
    let RequestError::OpenItems { items } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(
        items,
        &vec![
            OpenItem::MissingDocument {
                kind: DocumentKind::DestructionAct
            },
            OpenItem::MissingDocument {
                kind: DocumentKind::LogExport
            },
            OpenItem::UnsettledRemoval { seq: 10 },
        ]
    );
    assert!(e.to_string().contains("no destruction act recorded"), "{e}");

    // Settling the removal and recording both documents clears every item.
    r.link_removal(
        link(12, "1234", RemovalResult::Removed, Some(10)),
        "Анна",
        NOW,
    )
    .unwrap();
    r.add_document(DocumentKind::DestructionAct, "act.pdf", HASH, "Анна", NOW)
        .unwrap();
    assert_eq!(
        r.open_items(),
        vec![OpenItem::MissingDocument {
            kind: DocumentKind::LogExport
        }]
    );
    // Forced: closed, and the event says what was left open.
    r.change_status(Status::Closed, true, "Анна", NOW).unwrap();
    let Some(RequestEvent {
        what: EventKind::StatusChanged { forced, open, .. },
        ..
    }) = r.events().last()
    else {
        panic!()
    };
    assert!(*forced);
    assert_eq!(open.len(), 1);
}

#[test]
fn a_clean_close_is_not_forced() {
    let mut r = open(RequestKind::CardRefusal);
    r.record_identity_check("phone on file", true, "Анна", NOW)
        .unwrap();
    r.change_status(Status::InProgress, false, "Анна", NOW)
        .unwrap();
    r.change_status(Status::Answered, false, "Анна", NOW)
        .unwrap();
    r.add_document(DocumentKind::Confirmation, "reply.txt", HASH, "Анна", NOW)
        .unwrap();
    r.change_status(Status::Closed, false, "Анна", NOW).unwrap();
    assert!(matches!(
        r.events().last().unwrap().what,
        EventKind::StatusChanged { forced: false, .. }
    ));
}

#[test]
fn removals_must_name_a_subject_and_settle_only_unknowns() {
    let mut r = open(RequestKind::CardRefusal);
    r.record_identity_check("passport", true, "Анна", NOW)
        .unwrap();
    let e = r
        .link_removal(link(1, "9999", RemovalResult::Removed, None), "Анна", NOW)
        .unwrap_err();
    assert_eq!(e.field(), Some("customer_number"));
    r.link_removal(link(1, "1234", RemovalResult::Removed, None), "Анна", NOW)
        .unwrap();
    let e = r
        .link_removal(
            link(2, "1234", RemovalResult::Removed, Some(1)),
            "Анна",
            NOW,
        )
        .unwrap_err();
    assert_eq!(e.field(), Some("settles"));
    let e = r
        .link_removal(link(1, "1234", RemovalResult::Removed, None), "Анна", NOW)
        .unwrap_err();
    assert_eq!(e.field(), Some("audit"));
    let mut bad = link(3, "1234", RemovalResult::Removed, None);
    bad.audit.hash = "xyz".into();
    assert_eq!(
        r.link_removal(bad, "Анна", NOW).unwrap_err().field(),
        Some("hash")
    );
}

#[test]
fn access152_extension_needs_a_timely_notice() {
    let mut r = open(RequestKind::Access152);
    let later = datetime!(2026-05-20 10:00 +03:00);
    // Original last day: Mon 18 May 2026.
    let e = r
        .extend(
            date!(2026 - 05 - 19),
            "many systems",
            "Анна",
            later,
            Calendar::russia(),
        )
        .unwrap_err();
    assert_eq!(e.field(), Some("notice_sent_on"));
    assert!(e.to_string().contains("2026-05-18"), "{e}");
    let e = r
        .extend(
            date!(2026 - 05 - 21),
            "x",
            "Анна",
            later,
            Calendar::russia(),
        )
        .unwrap_err();
    assert_eq!(e.to_string(), "notice_sent_on: must not be in the future");
    let e = r
        .extend(
            date!(2026 - 05 - 15),
            " ",
            "Анна",
            later,
            Calendar::russia(),
        )
        .unwrap_err();
    assert_eq!(e.field(), Some("reason"));

    r.extend(
        date!(2026 - 05 - 18),
        "data in three systems",
        "Анна",
        later,
        Calendar::russia(),
    )
    .unwrap();
    let x = r.extension().unwrap();
    assert_eq!(x.notice_sent_on, date!(2026 - 05 - 18));
    assert_eq!(x.original_due, date!(2026 - 05 - 18));
    let d = r.deadline().unwrap();
    assert_eq!(d.due, date!(2026 - 05 - 25));
    assert_eq!(d.basis, DeadlineBasis::Fz152Access15WorkingDays);
    assert!(
        r.extend(
            date!(2026 - 05 - 18),
            "again",
            "Анна",
            later,
            Calendar::russia()
        )
        .is_err()
    );
    // The notice itself becomes a document the request needs before closing.
    assert!(r.open_items().contains(&OpenItem::MissingDocument {
        kind: DocumentKind::ExtensionNotice
    }));
}

#[test]
fn kinds_without_an_extension_refuse_one() {
    for kind in [RequestKind::Erasure152, RequestKind::CardRefusal] {
        let mut r = open(kind);
        let e = r
            .extend(
                date!(2026 - 05 - 04),
                "reason",
                "Анна",
                NOW,
                Calendar::russia(),
            )
            .unwrap_err();
        assert_eq!(e.field(), Some("extension"), "{kind:?}");
    }
}

#[test]
fn gdpr_extension_adds_two_months() {
    let mut d = draft(RequestKind::ErasureGdpr);
    d.received = Received::Day {
        date: date!(2026 - 03 - 31),
    };
    let mut r = Request::open(d, "Анна", NOW, Calendar::russia()).unwrap();
    assert_eq!(r.deadline().unwrap().due, date!(2026 - 04 - 30));
    r.extend(
        date!(2026 - 04 - 20),
        "complex",
        "Анна",
        NOW,
        Calendar::russia(),
    )
    .unwrap();
    assert_eq!(r.deadline().unwrap().due, date!(2026 - 06 - 30));
}

#[test]
fn recomputing_on_another_calendar_is_recorded() {
    let mut d = draft(RequestKind::Access152);
    d.received = Received::Day {
        date: date!(2026 - 12 - 21),
    };
    let now = datetime!(2026-12-22 10:00 +03:00);
    let mut r = Request::open(d, "Анна", now, Calendar::russia()).unwrap();
    assert!(r.deadline().unwrap().provisional);
    assert!(
        !r.recompute_deadline("Анна", now, Calendar::russia())
            .unwrap()
    );
    // A 2027 decree that also gives 11 Jan off moves the last day to 14 Jan.
    let decree = Calendar::from_json(
        br#"{"version":"2027-decree","years":{
        "2026":{"status":"confirmed","source":"x","nonWorkingWeekdays":["2026-12-31"],"workingWeekends":[]},
        "2027":{"status":"confirmed","source":"y","nonWorkingWeekdays":["2027-01-01","2027-01-04",
        "2027-01-05","2027-01-06","2027-01-07","2027-01-08","2027-01-11"],"workingWeekends":[]}}}"#,
    )
    .unwrap();
    assert!(r.recompute_deadline("Анна", now, &decree).unwrap());
    let dl = r.deadline().unwrap();
    assert_eq!(dl.due, date!(2027 - 01 - 14));
    assert!(!dl.provisional);
    assert!(matches!(
        r.events().last().unwrap().what,
        EventKind::DeadlineRecomputed {
            previous: Some(p),
            due: Some(d),
            ..
        } if p == date!(2027 - 01 - 13) && d == date!(2027 - 01 - 14)
    ));
}

#[test]
fn a_request_round_trips_through_json() {
    let mut r = open(RequestKind::Erasure152);
    r.record_identity_check("passport", true, "Анна", NOW)
        .unwrap();
    r.add_note("called back", "Анна", NOW).unwrap();
    r.assign(Some("Борис"), "Анна", NOW).unwrap();
    r.add_document(DocumentKind::DestructionAct, "act.pdf", HASH, "Анна", NOW)
        .unwrap();
    let json = serde_json::to_string(&r).unwrap();
    let back: Request = serde_json::from_str(&json).unwrap();
    assert_eq!(back, r);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["status"]["state"], "new");
    assert_eq!(v["subjects"][0]["customerNumber"], "1234");
    assert_eq!(v["subjects"][0]["profile"], "all_profiles");
    assert_eq!(v["events"][4]["what"]["type"], "document_produced");
    assert_eq!(v["events"][4]["what"]["kind"], "destruction_act");
    assert_eq!(v["createdAt"], "2026-05-04T07:00:00Z");
}
