//! The embedded register against real sled databases in temporary directories: what the desk
//! will rely on — order by deadline, the day's counts, refused stale writes, a second opener
//! refused, and everything still there after a reopen.
#![allow(clippy::unwrap_used)]

use desk_requests::model::{
    Channel, ProfileRef, Received, RequestDraft, Status, StatusKind, SubjectDraft,
};
use desk_requests::store::{DueState, due_state};
use desk_requests::{
    Calendar, DueCounts, ErrorKind, Request, RequestError, RequestFilter, RequestKind,
    RequestStore, SledRequestStore,
};
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};

const NOW: OffsetDateTime = datetime!(2026-12-22 10:00 +03:00);

fn draft(kind: RequestKind, received: Date, customer: &str) -> RequestDraft {
    RequestDraft {
        kind,
        received: Received::Day { date: received },
        channel: Channel::Letter,
        ticket: None,
        subjects: vec![SubjectDraft {
            customer_number: customer.into(),
            profile: ProfileRef::Profile("shop-main".into()),
        }],
        assignee: Some("Анна".into()),
    }
}

fn new(kind: RequestKind, received: Date, customer: &str) -> Request {
    Request::open(
        draft(kind, received, customer),
        "Анна",
        NOW,
        Calendar::russia(),
    )
    .unwrap()
}

/// A register with five requests whose deadlines are known (docs/customer-requests.md §2).
fn seeded(store: &dyn RequestStore) -> Vec<Request> {
    let requests = [
        // 10 working days from 30 Apr 2026: Mon 18 May 2026.
        new(RequestKind::Access152, date!(2026 - 04 - 30), "1001"),
        // 30 days from 1 Dec 2026: 31 Dec is off, then provisional 2027: Mon 11 Jan 2027.
        new(RequestKind::Erasure152, date!(2026 - 12 - 01), "1002"),
        // GDPR one month from 22 Nov 2026: 22 Dec 2026 (today).
        new(RequestKind::AccessGdpr, date!(2026 - 11 - 22), "1003"),
        // 376-FZ: no deadline.
        new(RequestKind::CardRefusal, date!(2026 - 12 - 20), "1004"),
        // 10 working days from Mon 21 Dec 2026: 13 Jan 2027 (provisional).
        new(RequestKind::Access152, date!(2026 - 12 - 21), "1005"),
    ];
    requests.iter().map(|r| store.create(r).unwrap()).collect()
}

fn customers(list: &[Request]) -> Vec<&str> {
    list.iter()
        .map(|r| r.subjects()[0].customer_number.as_str())
        .collect()
}

#[test]
fn create_get_and_list_sorted_by_deadline() {
    let dir = tempfile::tempdir().unwrap();
    let store = SledRequestStore::open(dir.path()).unwrap();
    let created = seeded(&store);
    assert!(created.iter().all(|r| r.version() == 1));

    let got = store.get(created[1].id()).unwrap();
    assert_eq!(got, created[1]);

    let all = store.list(&RequestFilter::default()).unwrap();
    assert_eq!(customers(&all), ["1001", "1003", "1002", "1005", "1004"]);
    assert_eq!(
        all.iter()
            .map(|r| r.deadline().map(|d| d.due))
            .collect::<Vec<_>>(),
        [
            Some(date!(2026 - 05 - 18)),
            Some(date!(2026 - 12 - 22)),
            Some(date!(2027 - 01 - 11)),
            Some(date!(2027 - 01 - 13)),
            None
        ]
    );

    let filter = RequestFilter {
        kind: Some(RequestKind::Access152),
        ..RequestFilter::default()
    };
    assert_eq!(customers(&store.list(&filter).unwrap()), ["1001", "1005"]);
    let filter = RequestFilter {
        customer_number: Some("1003".into()),
        ..RequestFilter::default()
    };
    assert_eq!(customers(&store.list(&filter).unwrap()), ["1003"]);
    let filter = RequestFilter {
        due_by: Some(date!(2026 - 12 - 31)),
        ..RequestFilter::default()
    };
    assert_eq!(customers(&store.list(&filter).unwrap()), ["1001", "1003"]);
}

#[test]
fn counts_due_today_and_overdue_as_of_a_day() {
    let dir = tempfile::tempdir().unwrap();
    let store = SledRequestStore::open(dir.path()).unwrap();
    let created = seeded(&store);

    assert_eq!(
        store.counts(date!(2026 - 12 - 22)).unwrap(),
        DueCounts {
            open: 5,
            due_today: 1,
            overdue: 1,
            no_deadline: 1,
            provisional: 2,
        }
    );
    // On 11 Jan 2027 the erasure is due today, three are overdue.
    let c = store.counts(date!(2027 - 01 - 11)).unwrap();
    assert_eq!((c.due_today, c.overdue), (1, 2));
    assert_eq!(
        due_state(&created[1], date!(2027 - 01 - 11)),
        DueState::DueToday
    );

    // An answered request stops counting.
    let mut r = store.get(created[0].id()).unwrap();
    r.record_identity_check("passport", true, "Анна", NOW)
        .unwrap();
    r.change_status(Status::InProgress, false, "Анна", NOW)
        .unwrap();
    r.change_status(Status::Answered, false, "Анна", NOW)
        .unwrap();
    store.update(&r).unwrap();
    let c = store.counts(date!(2026 - 12 - 22)).unwrap();
    assert_eq!((c.open, c.overdue, c.due_today), (4, 0, 1));
    let open = store
        .list(&RequestFilter {
            open_only: true,
            ..RequestFilter::default()
        })
        .unwrap();
    assert_eq!(open.len(), 4);
    let answered = store
        .list(&RequestFilter {
            statuses: vec![StatusKind::Answered],
            ..RequestFilter::default()
        })
        .unwrap();
    assert_eq!(customers(&answered), ["1001"]);
}

#[test]
fn a_stale_update_is_refused_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = SledRequestStore::open(dir.path()).unwrap();
    let created = store
        .create(&new(RequestKind::Access152, date!(2026 - 12 - 21), "1005"))
        .unwrap();

    // Two agents read version 1.
    let mut anna = store.get(created.id()).unwrap();
    let mut boris = store.get(created.id()).unwrap();
    anna.add_note("called the customer", "Анна", NOW).unwrap();
    boris.assign(Some("Борис"), "Борис", NOW).unwrap();

    let saved = store.update(&anna).unwrap();
    assert_eq!(saved.version(), 2);
    let e = store.update(&boris).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict);
    assert!(matches!(
        e,
        RequestError::Stale {
            expected: 1,
            found: 2,
            ..
        }
    ));
    assert!(e.to_string().contains("reload it"), "{e}");
    let stored = store.get(created.id()).unwrap();
    assert_eq!(stored.notes().len(), 1);
    assert_eq!(stored.assignee(), Some("Анна"));

    // Boris reloads, applies his change again, and it goes through.
    let mut boris = store.get(created.id()).unwrap();
    boris.assign(Some("Борис"), "Борис", NOW).unwrap();
    assert_eq!(store.update(&boris).unwrap().version(), 3);

    // Creating the same request twice, or one already stored, is refused.
    assert!(matches!(
        store.create(&saved),
        Err(RequestError::Invalid { .. })
    ));
    let fresh = new(RequestKind::CardRefusal, date!(2026 - 12 - 21), "1");
    store.create(&fresh).unwrap();
    assert!(matches!(
        store.create(&fresh),
        Err(RequestError::Exists { .. })
    ));
    let missing = new(RequestKind::CardRefusal, date!(2026 - 12 - 21), "2");
    assert_eq!(
        store.get(missing.id()).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        store.update(&missing).unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

#[test]
fn a_second_open_of_the_same_register_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let _first = SledRequestStore::open(dir.path()).unwrap();
    let e = SledRequestStore::open(dir.path()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Busy, "{e:?}");
    assert!(e.to_string().contains("open in another Card Desk"), "{e}");
}

#[test]
fn reopening_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    let (before, id) = {
        let store = SledRequestStore::open(dir.path()).unwrap();
        let created = seeded(&store);
        let mut r = store.get(created[1].id()).unwrap();
        r.record_identity_check("passport", true, "Анна", NOW)
            .unwrap();
        r.change_status(Status::InProgress, false, "Анна", NOW)
            .unwrap();
        store.update(&r).unwrap();
        (
            store.list(&RequestFilter::default()).unwrap(),
            r.id().clone(),
        )
    };
    let store = SledRequestStore::open(dir.path()).unwrap();
    let after = store.list(&RequestFilter::default()).unwrap();
    assert_eq!(after, before);
    let r = store.get(&id).unwrap();
    assert_eq!(r.version(), 2);
    assert_eq!(r.status(), &Status::InProgress);
    assert_eq!(
        r.deadline().unwrap().calendar_version.as_deref(),
        Some(Calendar::russia().version())
    );
}

#[cfg(unix)]
#[test]
fn the_register_is_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("requests");
    let store = SledRequestStore::open(&path).unwrap();
    store
        .create(&new(RequestKind::CardRefusal, date!(2026 - 12 - 21), "1"))
        .unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700);
}

#[test]
fn the_store_is_usable_as_a_trait_object() {
    let dir = tempfile::tempdir().unwrap();
    let store: Box<dyn RequestStore> = Box::new(SledRequestStore::open(dir.path()).unwrap());
    seeded(store.as_ref());
    assert_eq!(store.list(&RequestFilter::default()).unwrap().len(), 5);
}
