//! The team trail against a real PostgreSQL (a private cluster per test binary): the schema
//! the app migrates, idempotent shipping, the alarm on a conflicting repeat, the server's
//! chain check, and that no role — not even the schema's owner — can change what arrived.

use desk_team::test_cluster::{Cluster, OWNER};
use desk_team::{ErrorKind, Team, TeamPassword, TeamSettings, TrailEntry, connect};
use time::macros::datetime;

const AGENT_PASSWORD: &str = "agent-Pw-9x3k2";

/// An entry chained to `prev`, whose hash is made of its number and text (the trail does not
/// re-hash lines: the desk's verifier does, in desk/tests/team.rs).
fn entry(seq: u64, prev: &str, text: &str) -> TrailEntry {
    let hash = format!("{:064x}", seq * 1_000 + text.len() as u64);
    TrailEntry {
        seq,
        at: datetime!(2026-12-07 10:00 UTC) + time::Duration::seconds(seq as i64),
        line: format!("{{\"seq\":{seq},\"text\":\"{text}\"}}"),
        hash,
        prev: prev.to_owned(),
        action: "viewed_customer".into(),
        operator: "anna".into(),
        outcome: None,
        customer: Some("1234".into()),
        request: None,
    }
}

fn chain(n: u64) -> Vec<TrailEntry> {
    let mut prev = "0".repeat(64);
    (1..=n)
        .map(|seq| {
            let e = entry(seq, &prev, "looked");
            prev = e.hash.clone();
            e
        })
        .collect()
}

async fn owner(cluster: &Cluster) -> Team {
    let mut team = connect(&cluster.owner_settings(), &Cluster::owner_password())
        .await
        .expect("owner connects");
    team.migrate().await.expect("migrations apply");
    team
}

/// Roles from grants.sql, and logins anna (agent) and olga (auditor).
fn grant_roles(cluster: &Cluster) {
    let grants = include_str!("../grants.sql");
    cluster.owner_sql("carddesk", grants);
    cluster.owner_sql(
        "carddesk",
        &format!(
            "CREATE ROLE anna LOGIN PASSWORD '{AGENT_PASSWORD}' IN ROLE carddesk_agent;
             CREATE ROLE olga LOGIN PASSWORD '{AGENT_PASSWORD}' IN ROLE carddesk_auditor;"
        ),
    );
}

#[tokio::test]
async fn migrations_create_the_schema_once_and_a_repeat_applies_nothing() {
    let cluster = Cluster::start();
    let mut team = connect(&cluster.owner_settings(), &Cluster::owner_password())
        .await
        .expect("owner connects");
    let first = team.migrate().await.expect("first migration");
    assert_eq!(first, Team::known_migrations());
    assert!(first.iter().any(|m| m.ends_with("team_trail")), "{first:?}");
    assert!(team.migrate().await.expect("repeat").is_empty());
    let verdict = team.verdict().await.expect("verdict");
    assert_eq!(verdict.user, OWNER);
    assert_eq!(verdict.migrations, Team::known_migrations());
    assert!(verdict.roles.contains(&"owner".to_string()), "{verdict:?}");
    assert!(
        verdict.server_version.starts_with(char::is_numeric),
        "{verdict:?}"
    );
}

#[tokio::test]
async fn a_repeat_is_a_no_op_and_a_conflicting_repeat_is_refused_and_changes_nothing() {
    let cluster = Cluster::start();
    let mut team = owner(&cluster).await;
    let desk = uuid::Uuid::new_v4();
    team.register_desk(desk, "Anna's laptop")
        .await
        .expect("register");
    let entries = chain(5);
    let first = team.ship(desk, &entries[..3]).await.expect("ship 1-3");
    assert_eq!((first.added, first.repeats), (3, 0));
    // A desk that crashed after the commit but before it learnt so sends 1-5 again.
    let again = team.ship(desk, &entries).await.expect("ship 1-5");
    assert_eq!((again.added, again.repeats), (2, 3));
    assert_eq!(team.shipped_up_to(desk).await.expect("up to"), 5);

    // Entry 6 and a rewritten entry 4 in one shipment: refused whole.
    let mut forged = entry(4, &entries[2].hash, "rewritten");
    forged.line.push(' ');
    let sixth = entry(6, &entries[4].hash, "looked");
    let e = team
        .ship(desk, &[sixth, forged])
        .await
        .expect_err("a conflicting repeat is refused");
    assert_eq!(e.kind(), ErrorKind::Conflict);
    assert!(
        e.to_string()
            .contains("entry 4 is already in the team trail"),
        "{e}"
    );
    assert_eq!(
        team.shipped_up_to(desk).await.expect("up to"),
        5,
        "entry 6 was rolled back with it"
    );
    let lines = team.lines(desk, 0, 100).await.expect("lines");
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[3].line, entries[3].line, "entry 4 is unchanged");
    assert_eq!(team.first_break(desk).await.expect("check"), None);
}

#[tokio::test]
async fn the_server_finds_a_gap_and_a_wrong_prev() {
    let cluster = Cluster::start();
    let mut team = owner(&cluster).await;
    let (gappy, forked) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    team.register_desk(gappy, "gappy").await.expect("register");
    team.register_desk(forked, "forked")
        .await
        .expect("register");
    let entries = chain(4);
    team.ship(
        gappy,
        &[entries[0].clone(), entries[1].clone(), entries[3].clone()],
    )
    .await
    .expect("ship with a gap");
    let found = team
        .first_break(gappy)
        .await
        .expect("check")
        .expect("a break");
    assert_eq!(
        (found.seq, found.problem.as_str()),
        (4, "gap before this entry")
    );

    let mut bad = entries.clone();
    bad[2].prev = "f".repeat(64);
    team.ship(forked, &bad).await.expect("ship");
    let found = team
        .first_break(forked)
        .await
        .expect("check")
        .expect("a break");
    assert_eq!(
        (found.seq, found.problem.as_str()),
        (3, "prev is not the hash of the entry before")
    );
    let desks = team.desks().await.expect("desks");
    let names: Vec<_> = desks
        .iter()
        .map(|d| (d.name.as_str(), d.entries, d.last_seq))
        .collect();
    assert_eq!(names, [("forked", 4, 4), ("gappy", 3, 4)]);
}

#[tokio::test]
async fn no_role_can_change_or_delete_what_arrived() {
    let cluster = Cluster::start();
    let owner_team = owner(&cluster).await;
    grant_roles(&cluster);
    let desk = uuid::Uuid::new_v4();

    // The agent registers its desk and ships through carddesk.ship.
    let agent_password = TeamPassword::new(AGENT_PASSWORD);
    let mut agent = connect(&cluster.settings("anna"), &agent_password)
        .await
        .expect("anna");
    agent
        .register_desk(desk, "Anna's laptop")
        .await
        .expect("register as agent");
    agent.ship(desk, &chain(3)).await.expect("ship as agent");
    let verdict = agent.verdict().await.expect("verdict");
    assert_eq!(verdict.roles, ["carddesk_agent"]);

    for sql in [
        "UPDATE carddesk.trail SET operator = 'someone else'",
        "DELETE FROM carddesk.trail WHERE seq = 2",
        "TRUNCATE carddesk.trail",
    ] {
        let e = agent.raw_execute(sql).await.expect_err(sql);
        assert_eq!(e.kind(), ErrorKind::NotAllowed, "{sql}: {e}");
        assert!(e.to_string().contains("permission denied"), "{sql}: {e}");
    }
    // Not even the owner: the triggers refuse every role.
    for sql in [
        "UPDATE carddesk.trail SET operator = 'someone else'",
        "DELETE FROM carddesk.trail WHERE seq = 2",
        "TRUNCATE carddesk.trail",
    ] {
        let e = owner_team.raw_execute(sql).await.expect_err(sql);
        assert!(e.to_string().contains("append-only"), "{sql}: {e}");
    }

    // The auditor reads and checks, and may write nothing.
    let mut auditor = connect(&cluster.settings("olga"), &agent_password)
        .await
        .expect("olga");
    assert_eq!(auditor.lines(desk, 0, 10).await.expect("read").len(), 3);
    assert_eq!(auditor.first_break(desk).await.expect("check"), None);
    let e = auditor
        .ship(desk, &[entry(4, &chain(3)[2].hash, "x")])
        .await
        .expect_err("auditor ships");
    assert_eq!(e.kind(), ErrorKind::NotAllowed, "{e}");
    let e = auditor
        .register_desk(uuid::Uuid::new_v4(), "sneaky")
        .await
        .expect_err("auditor registers");
    assert_eq!(e.kind(), ErrorKind::NotAllowed, "{e}");
    assert_eq!(owner_team.shipped_up_to(desk).await.expect("up to"), 3);
}

#[tokio::test]
async fn bad_settings_and_a_wrong_password_say_what_to_fix_and_never_show_the_password() {
    let cluster = Cluster::start();
    let _ = owner(&cluster).await;
    let wrong = TeamPassword::new("Wrong-Horse-Battery-77");

    let e = connect(&cluster.owner_settings(), &wrong)
        .await
        .expect_err("wrong password");
    assert_eq!(e.kind(), ErrorKind::Login);
    let said = e.to_string();
    assert!(
        said.contains("refused the login carddesk_owner@127.0.0.1"),
        "{said}"
    );
    assert!(said.contains("password"), "{said}");

    let e = connect(
        &TeamSettings {
            database: "nowhere".into(),
            ..cluster.owner_settings()
        },
        &Cluster::owner_password(),
    )
    .await
    .expect_err("no such database");
    assert_eq!(e.kind(), ErrorKind::Login);
    assert!(e.to_string().contains("has no database nowhere"), "{e}");

    cluster.stop();
    let e = connect(&cluster.owner_settings(), &Cluster::owner_password())
        .await
        .expect_err("server down");
    assert_eq!(e.kind(), ErrorKind::Unreachable);
    assert!(
        e.to_string().starts_with(&format!(
            "could not reach PostgreSQL at carddesk_owner@127.0.0.1:{}",
            cluster.port()
        )),
        "{e}"
    );

    let e = connect(
        &TeamSettings {
            port: 0,
            ..cluster.owner_settings()
        },
        &wrong,
    )
    .await
    .expect_err("port 0");
    assert_eq!((e.kind(), e.field()), (ErrorKind::Validation, Some("port")));
    let e = connect(&cluster.owner_settings(), &TeamPassword::new(""))
        .await
        .expect_err("no password");
    assert_eq!(e.field(), Some("password"));

    for text in [said, format!("{e:?}"), format!("{wrong:?}")] {
        assert!(
            !text.contains("Wrong-Horse-Battery-77"),
            "the password leaked: {text}"
        );
        assert!(
            !text.contains(desk_team::test_cluster::OWNER_PASSWORD),
            "{text}"
        );
    }
}

#[tokio::test]
async fn the_team_view_pages_newest_first_and_filters_by_customer_and_operator() {
    let cluster = Cluster::start();
    let mut team = owner(&cluster).await;
    let (a, b) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    team.register_desk(a, "Anna's desk")
        .await
        .expect("register");
    team.register_desk(b, "Boris's desk")
        .await
        .expect("register");
    let mut anna = chain(6);
    for (i, e) in anna.iter_mut().enumerate() {
        e.customer = Some(if i % 2 == 0 { "1234" } else { "5678" }.into());
    }
    let mut boris = chain(3);
    for e in &mut boris {
        e.operator = "Boris_1".into();
        e.at += time::Duration::minutes(1);
    }
    team.ship(a, &anna).await.expect("ship a");
    team.ship(b, &boris).await.expect("ship b");

    let all = team
        .trail_page(&desk_team::TrailFilter::default(), 0, 4)
        .await
        .expect("page");
    assert_eq!((all.total, all.total_capped, all.rows.len()), (9, false, 4));
    assert_eq!(all.rows[0].desk_name, "Boris's desk", "newest first");
    let next = team
        .trail_page(&desk_team::TrailFilter::default(), 8, 4)
        .await
        .expect("page");
    assert_eq!(next.rows.len(), 1);

    let customer = desk_team::TrailFilter {
        customer: Some("5678".into()),
        ..Default::default()
    };
    let page = team.trail_page(&customer, 0, 50).await.expect("customer");
    assert_eq!(page.total, 3);
    assert!(
        page.rows.iter().all(|r| r.desk == a && r.seq % 2 == 0),
        "{page:?}"
    );

    // Part of a name, any case; `_` is a letter here, not a wildcard.
    let op = |part: &str| desk_team::TrailFilter {
        operator: Some(part.into()),
        ..Default::default()
    };
    assert_eq!(
        team.trail_page(&op("bORIS_"), 0, 50)
            .await
            .expect("op")
            .total,
        3
    );
    assert_eq!(
        team.trail_page(&op("boris1"), 0, 50)
            .await
            .expect("op")
            .total,
        0
    );
    assert_eq!(
        team.trail_page(&op("ann"), 0, 50).await.expect("op").total,
        6
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn desks_starting_together_on_a_new_database_migrate_it_once() {
    let cluster = Cluster::start();
    let mut dialled = Vec::new();
    for _ in 0..4 {
        dialled.push(
            connect(&cluster.owner_settings(), &Cluster::owner_password())
                .await
                .expect("owner connects"),
        );
    }
    let runs = dialled.into_iter().map(|mut team| {
        tokio::spawn(async move { team.migrate().await.map(|applied| applied.len()) })
    });
    let mut applied = Vec::new();
    for run in runs.collect::<Vec<_>>() {
        applied.push(
            run.await
                .expect("task")
                .expect("every desk's migration succeeds"),
        );
    }
    applied.sort();
    let all = Team::known_migrations().len();
    assert_eq!(
        applied,
        [0, 0, 0, all],
        "one desk applied them, the others found them done"
    );
}
