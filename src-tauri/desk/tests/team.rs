//! Team mode's shared trail, from real audit logs to a real PostgreSQL (a private cluster):
//! two desks shipping while they keep writing, the database killed mid-shipment and
//! restarted, and the whole team's chains verified — by the server and by the desk's own
//! verifier over the server's copy — so that nothing is lost, nothing doubled, and a row
//! slipped in under a desk's id is found.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use desk::audit::{
    AuditAction, AuditLog, BreakKind, EntryDraft, Operator, TrailShipper, audit_path, team_desk_id,
    verify_team,
};
use desk_team::test_cluster::Cluster;
use desk_team::{ErrorKind, Team, TeamPassword, TrailEntry, connect};

const AGENT_PASSWORD: &str = "agent-Pw-team-51";

fn operator(name: &str) -> Operator {
    Operator {
        os_user: name.to_lowercase(),
        display_name: name.to_owned(),
    }
}

fn draft(who: &str, i: u64) -> EntryDraft {
    let mut d = EntryDraft::new(operator(who), AuditAction::ViewedCustomer);
    d.customer = Some(format!("{}", 100_000 + i));
    d.ticket = Some(format!("ZD-{i}"));
    d
}

/// A data dir whose log holds `n` entries by `who`.
fn desk_with(dir: &Path, who: &str, n: u64) -> AuditLog {
    let log = AuditLog::open(dir, &operator(who)).unwrap();
    log.append_batch((1..=n).map(|i| draft(who, i))).unwrap();
    log
}

/// The cluster, migrated, with the roles of grants.sql and two agent logins.
async fn team_cluster() -> Cluster {
    let cluster = Cluster::start();
    let mut owner = connect(&cluster.owner_settings(), &Cluster::owner_password())
        .await
        .unwrap();
    owner.migrate().await.unwrap();
    cluster.owner_sql("carddesk", include_str!("../../team/grants.sql"));
    cluster.owner_sql(
        "carddesk",
        &format!(
            "CREATE ROLE anna LOGIN PASSWORD '{AGENT_PASSWORD}' IN ROLE carddesk_agent;
             CREATE ROLE boris LOGIN PASSWORD '{AGENT_PASSWORD}' IN ROLE carddesk_agent;"
        ),
    );
    cluster
}

async fn agent(cluster: &Cluster, who: &str) -> Team {
    connect(&cluster.settings(who), &TeamPassword::new(AGENT_PASSWORD))
        .await
        .unwrap()
}

async fn owner(cluster: &Cluster) -> Team {
    connect(&cluster.owner_settings(), &Cluster::owner_password())
        .await
        .unwrap()
}

/// One desk: writes `rounds` more batches while shipping after each, then ships the rest.
async fn work_and_ship(cluster: &Cluster, who: &'static str, dir: PathBuf, rounds: u64) -> u64 {
    let log = desk_with(&dir, who, 50);
    let mut team = agent(cluster, &who.to_lowercase()).await;
    let id = team_desk_id(&dir).unwrap();
    team.register_desk(id, &format!("{who}'s desk"))
        .await
        .unwrap();
    let mut shipper = TrailShipper::new(id, &audit_path(&dir));
    for round in 0..rounds {
        let start = 1_000 * (round + 1);
        log.append_batch((start..start + 37).map(|i| draft(who, i)))
            .unwrap();
        shipper.ship(&mut team).await.unwrap();
        tokio::task::yield_now().await;
    }
    let done = shipper.ship(&mut team).await.unwrap();
    assert_eq!(done.behind(), 0, "{who}: {done:?}");
    assert_eq!(done.local_last, log.next_seq() - 1);
    done.local_last
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_desks_ship_at_once_and_the_team_verifies_both_chains() {
    let cluster = team_cluster().await;
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (anna, boris) = tokio::join!(
        work_and_ship(&cluster, "Anna", a.path().to_owned(), 12),
        work_and_ship(&cluster, "Boris", b.path().to_owned(), 9),
    );
    assert_eq!((anna, boris), (50 + 12 * 37, 50 + 9 * 37));

    let team = owner(&cluster).await;
    let anna_id = team_desk_id(a.path()).unwrap();
    let checks = verify_team(&team, Some((anna_id, &audit_path(a.path()))))
        .await
        .unwrap();
    let seen: Vec<_> = checks
        .iter()
        .map(|c| (c.name.as_str(), c.entries, c.last_seq, c.intact()))
        .collect();
    assert_eq!(
        seen,
        [
            ("Anna's desk", anna, anna, true),
            ("Boris's desk", boris, boris, true)
        ]
    );
    assert!(
        checks
            .iter()
            .all(|c| c.replay.ok && c.replay.entries == c.entries)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_database_killed_mid_shipment_and_restarted_loses_and_doubles_nothing() {
    let cluster = team_cluster().await;
    let dir = tempfile::tempdir().unwrap();
    let log = desk_with(dir.path(), "Anna", 6_000);
    let id = team_desk_id(dir.path()).unwrap();
    let mut team = agent(&cluster, "anna").await;
    team.register_desk(id, "Anna's desk").await.unwrap();

    // Ship in the background; kill the server once the first batches have landed.
    let path = audit_path(dir.path());
    let shipping = tokio::spawn(async move {
        let mut shipper = TrailShipper::new(id, &path);
        shipper.ship(&mut team).await.map(|s| s.shipped_through)
    });
    let watcher = agent(&cluster, "anna").await;
    let mut landed = 0;
    for _ in 0..600 {
        landed = watcher.shipped_up_to(id).await.unwrap();
        if landed > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    assert!(landed > 0, "no batch landed before the kill");
    cluster.kill();
    let outcome = shipping.await.unwrap();
    let e = outcome.expect_err("the shipment is cut off by the kill");
    let said = e.to_string();
    assert!(said.contains("PostgreSQL"), "{said}");

    // Meanwhile the desk keeps writing locally.
    log.append_batch((7_000..7_010).map(|i| draft("Anna", i)))
        .unwrap();
    cluster.up();
    let mut team = agent(&cluster, "anna").await;
    let mut shipper = TrailShipper::new(id, &audit_path(dir.path()));
    let done = shipper.ship(&mut team).await.unwrap();
    assert_eq!(
        (done.local_last, done.shipped_through, done.behind()),
        (6_010, 6_010, 0)
    );

    let checks = verify_team(&team, Some((id, &audit_path(dir.path()))))
        .await
        .unwrap();
    assert_eq!(checks.len(), 1);
    let c = &checks[0];
    assert_eq!(
        (c.entries, c.last_seq),
        (6_010, 6_010),
        "no gap, no duplicate"
    );
    assert!(c.intact(), "{c:?}");
}

#[tokio::test]
async fn a_row_slipped_in_under_a_desks_id_is_found() {
    let cluster = team_cluster().await;
    let dir = tempfile::tempdir().unwrap();
    desk_with(dir.path(), "Anna", 20);
    let id = team_desk_id(dir.path()).unwrap();
    assert_eq!(
        team_desk_id(dir.path()).unwrap(),
        id,
        "the id is made once and kept"
    );
    let mut team = agent(&cluster, "anna").await;
    team.register_desk(id, "Anna's desk").await.unwrap();
    let shipped = TrailShipper::new(id, &audit_path(dir.path()))
        .ship(&mut team)
        .await
        .unwrap();
    assert_eq!(shipped.added, 20);

    // Boris, an agent too, ships entry 21 under Anna's desk id: linked to her entry 20, but
    // not a line her desk wrote.
    let mut boris = agent(&cluster, "boris").await;
    let last = boris.lines(id, 19, 1).await.unwrap().remove(0);
    let prev = last.line.rsplit("\"hash\":\"").next().unwrap()[..64].to_owned();
    let forged_line = format!(
        "{{\"seq\":21,\"time\":\"2026-12-07T10:00:00.000Z\",\"note\":\"nothing to see\",\"prev\":\"{prev}\",\"hash\":\"{}\"}}",
        "a".repeat(64)
    );
    boris
        .ship(
            id,
            &[TrailEntry {
                seq: 21,
                at: time::OffsetDateTime::now_utc(),
                line: forged_line,
                hash: "a".repeat(64),
                prev,
                action: "viewed_customer".into(),
                operator: "Anna".into(),
                outcome: None,
                customer: None,
                request: None,
            }],
        )
        .await
        .unwrap();

    let checks = verify_team(&team, Some((id, &audit_path(dir.path()))))
        .await
        .unwrap();
    let c = &checks[0];
    assert!(
        c.server_break.is_none(),
        "the links alone look whole: {c:?}"
    );
    let broken = c.replay.first_broken.as_ref().expect("the replay finds it");
    assert_eq!(broken.expected_seq, 21, "{broken:?}");
    assert!(
        matches!(broken.problem, BreakKind::Unreadable | BreakKind::Edited),
        "{broken:?}"
    );
    assert_eq!(c.differs_from_local, Some(21), "{c:?}");
    assert!(!c.intact());

    // Anna's next real entry 21 then meets the forged one: the alarm.
    let log = AuditLog::open(dir.path(), &operator("Anna")).unwrap();
    log.append(draft("Anna", 21)).unwrap();
    let e = TrailShipper::new(id, &audit_path(dir.path()))
        .ship(&mut team)
        .await
        .expect_err("a conflicting repeat");
    let said = e.to_string();
    assert!(
        said.contains("entry 21 is already in the team trail with other contents"),
        "{said}"
    );
    assert!(matches!(e, desk::audit::ShipError::Team(ref t) if t.kind() == ErrorKind::Conflict));
}
