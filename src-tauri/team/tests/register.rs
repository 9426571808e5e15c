//! The customers' requests register on a real PostgreSQL (a private cluster): the same
//! contract the embedded sled register keeps — order by deadline, filters, the version check —
//! plus what only a shared register needs: two agents racing to change one request (the server
//! lets exactly one change through per version, and no change is lost), nobody may delete a
//! request, and a restarted server costs one failed call, not the store.
#![allow(clippy::unwrap_used)]

use desk_requests::model::{Channel, ProfileRef, Received, RequestDraft, SubjectDraft};
use desk_requests::{
    Calendar, ErrorKind, Request, RequestError, RequestFilter, RequestKind, RequestStore,
};
use desk_team::test_cluster::Cluster;
use desk_team::{PgRequestStore, TeamPassword};
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};

const NOW: OffsetDateTime = datetime!(2026-12-22 10:00 +03:00);
const AGENT_PASSWORD: &str = "Register-Agent-Pw-3";

fn new(kind: RequestKind, received: Date, customer: &str) -> Request {
    Request::open(
        RequestDraft {
            kind,
            received: Received::Day { date: received },
            channel: Channel::Letter,
            ticket: Some("ZD-1".into()),
            subjects: vec![SubjectDraft {
                customer_number: customer.into(),
                profile: ProfileRef::Profile("shop-main".into()),
            }],
            assignee: None,
        },
        "Анна",
        NOW,
        Calendar::russia(),
    )
    .unwrap()
}

/// The runtime the stores' calls block on (the desk hands in its own), driven by its own
/// threads while the tests call from theirs.
fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RUNTIME.get_or_init(|| tokio::runtime::Runtime::new().unwrap())
}

/// A migrated cluster with grants.sql's roles and agents anna and boris.
fn cluster() -> Cluster {
    let cluster = Cluster::start();
    runtime().block_on(async {
        let mut owner = desk_team::connect(&cluster.owner_settings(), &Cluster::owner_password())
            .await
            .unwrap();
        owner.migrate().await.unwrap();
    });
    cluster.owner_sql("carddesk", include_str!("../grants.sql"));
    cluster.owner_sql(
        "carddesk",
        &format!(
            "CREATE ROLE anna LOGIN PASSWORD '{AGENT_PASSWORD}' IN ROLE carddesk_agent;
             CREATE ROLE boris LOGIN PASSWORD '{AGENT_PASSWORD}' IN ROLE carddesk_agent;"
        ),
    );
    cluster
}

fn store(cluster: &Cluster, who: &str) -> PgRequestStore {
    PgRequestStore::new(
        cluster.settings(who),
        TeamPassword::new(AGENT_PASSWORD),
        runtime().handle().clone(),
    )
}

fn customers(list: &[Request]) -> Vec<&str> {
    list.iter()
        .map(|r| r.subjects()[0].customer_number.as_str())
        .collect()
}

#[test]
fn every_desk_sees_one_register_sorted_by_deadline() {
    let cluster = cluster();
    let (anna, boris) = (store(&cluster, "anna"), store(&cluster, "boris"));
    for r in [
        new(RequestKind::Access152, date!(2026 - 04 - 30), "1001"),
        new(RequestKind::Erasure152, date!(2026 - 12 - 01), "1002"),
        new(RequestKind::AccessGdpr, date!(2026 - 11 - 22), "1003"),
        new(RequestKind::CardRefusal, date!(2026 - 12 - 20), "1004"),
    ] {
        assert_eq!(anna.create(&r).unwrap().version(), 1);
    }
    // Boris's desk lists what Anna's opened, in the same deadline order as the embedded store.
    let all = boris.list(&RequestFilter::default()).unwrap();
    assert_eq!(customers(&all), ["1001", "1003", "1002", "1004"]);
    let one = boris
        .list(&RequestFilter {
            customer_number: Some("1003".into()),
            ..RequestFilter::default()
        })
        .unwrap();
    assert_eq!(customers(&one), ["1003"]);
    assert_eq!(boris.get(all[0].id()).unwrap(), all[0]);

    let dup = all[0].clone().stored_as(0);
    assert!(matches!(
        anna.create(&dup),
        Err(RequestError::Exists { .. })
    ));
    let missing = new(RequestKind::CardRefusal, date!(2026 - 12 - 21), "2");
    assert_eq!(
        anna.get(missing.id()).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        anna.update(&missing).unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

#[test]
fn two_agents_taking_one_request_at_once_one_wins_and_nothing_is_lost() {
    let cluster = cluster();
    let created = store(&cluster, "anna")
        .create(&new(RequestKind::Erasure152, date!(2026 - 12 - 21), "1005"))
        .unwrap();

    // Both read version 1 and take it: exactly one is written.
    let (anna, boris) = (store(&cluster, "anna"), store(&cluster, "boris"));
    let mut a = anna.get(created.id()).unwrap();
    let mut b = boris.get(created.id()).unwrap();
    a.assign(Some("Анна"), "Анна", NOW).unwrap();
    b.assign(Some("Борис"), "Борис", NOW).unwrap();
    let (ra, rb) = std::thread::scope(|s| {
        let ta = s.spawn(|| anna.update(&a));
        let tb = s.spawn(|| boris.update(&b));
        (ta.join().unwrap(), tb.join().unwrap())
    });
    assert_eq!(
        [ra.is_ok(), rb.is_ok()].iter().filter(|ok| **ok).count(),
        1,
        "{ra:?} {rb:?}"
    );
    let loser = ra.err().or(rb.err()).unwrap();
    assert!(
        matches!(
            loser,
            RequestError::Stale {
                expected: 1,
                found: 2,
                ..
            }
        ),
        "{loser}"
    );

    // Many notes from two agents at once, each retried on a stale read as the desk does:
    // every one arrives, each at its own version.
    std::thread::scope(|s| {
        for (who, store) in [("Анна", &anna), ("Борис", &boris)] {
            let id = created.id().clone();
            s.spawn(move || {
                for i in 0..15 {
                    loop {
                        let mut r = store.get(&id).unwrap();
                        r.add_note(&format!("{who} {i}"), who, NOW).unwrap();
                        match store.update(&r) {
                            Ok(_) => break,
                            Err(RequestError::Stale { .. }) => continue,
                            Err(e) => panic!("{e}"),
                        }
                    }
                }
            });
        }
    });
    let last = anna.get(created.id()).unwrap();
    assert_eq!(last.notes().len(), 30);
    assert_eq!(last.version(), 2 + 30);
}

#[test]
fn no_one_deletes_a_request_and_a_restarted_server_is_dialled_again() {
    let cluster = cluster();
    let anna = store(&cluster, "anna");
    let r = anna
        .create(&new(RequestKind::Access152, date!(2026 - 12 - 21), "1006"))
        .unwrap();
    cluster.owner_sql(
        "carddesk",
        "DO $$ BEGIN
           BEGIN DELETE FROM carddesk.requests; RAISE EXCEPTION 'deleted';
           EXCEPTION WHEN insufficient_privilege THEN NULL; END;
         END $$;",
    );
    assert_eq!(
        anna.get(r.id()).unwrap(),
        r,
        "the owner's delete was refused too"
    );

    cluster.kill();
    let e = anna.get(r.id()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Storage);
    assert!(
        e.to_string()
            .contains("in the team database at anna@127.0.0.1"),
        "{e}"
    );
    assert!(!e.to_string().contains(AGENT_PASSWORD));
    cluster.up();
    assert_eq!(anna.get(r.id()).unwrap(), r);
}
