//! Four-eyes in the team's database (a private cluster): the policy, an agent's approval
//! request, a supervisor's decision — never the requester's own, never twice — an approval
//! used once by the desk that asked, and no way around the functions that enforce it.
#![allow(clippy::unwrap_used)]

use desk_team::test_cluster::Cluster;
use desk_team::{ApprovalAsk, ErrorKind, Guarded, Team, TeamPassword, connect};

const PASSWORD: &str = "Four-Eyes-Pw-77";

async fn cluster() -> Cluster {
    let cluster = Cluster::start();
    let mut owner = connect(&cluster.owner_settings(), &Cluster::owner_password())
        .await
        .unwrap();
    owner.migrate().await.unwrap();
    cluster.owner_sql("carddesk", include_str!("../grants.sql"));
    cluster.owner_sql(
        "carddesk",
        &format!(
            "CREATE ROLE anna LOGIN PASSWORD '{PASSWORD}' IN ROLE carddesk_agent;
             CREATE ROLE sam LOGIN PASSWORD '{PASSWORD}' IN ROLE carddesk_supervisor;
             CREATE ROLE vera LOGIN PASSWORD '{PASSWORD}' IN ROLE carddesk_supervisor;"
        ),
    );
    cluster
}

async fn login(cluster: &Cluster, who: &str) -> Team {
    connect(&cluster.settings(who), &TeamPassword::new(PASSWORD))
        .await
        .unwrap()
}

fn ask(desk: uuid::Uuid) -> ApprovalAsk {
    ApprovalAsk {
        desk,
        action: Guarded::BulkRun,
        environment: "production".into(),
        merchant_id: "452739".into(),
        subject: "job-2026-12-07-1".into(),
        cards: 120,
        summary: serde_json::json!({ "remove": 118, "skip": 2 }),
        requested_as: "Anna Petrova".into(),
    }
}

#[tokio::test]
async fn a_second_person_decides_once_and_the_asker_uses_it_once() {
    let cluster = cluster().await;
    let (anna, sam, vera) = (
        login(&cluster, "anna").await,
        login(&cluster, "sam").await,
        login(&cluster, "vera").await,
    );
    let desk = uuid::Uuid::new_v4();
    anna.register_desk(desk, "Anna's desk").await.unwrap();

    let policy = anna.policy().await.unwrap();
    assert!(policy.production_bulk && policy.production_revoke_all);
    assert_eq!(policy.cards_over, None);
    assert!(!anna.is_supervisor().await.unwrap());
    assert!(sam.is_supervisor().await.unwrap());

    let asked = anna.ask_approval(&ask(desk)).await.unwrap();
    assert_eq!(
        (asked.state.as_str(), asked.requested_by.as_str()),
        ("waiting", "anna")
    );
    assert_eq!(
        sam.approvals(true, 10).await.unwrap(),
        std::slice::from_ref(&asked)
    );

    // Not the agent, and an approval cannot be used before it is decided.
    let e = anna
        .decide(asked.id, true, "fine", "Anna")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotAllowed, "{e}");
    let e = anna.use_approval(asked.id).await.unwrap_err();
    assert!(e.to_string().contains("is waiting, not approved"), "{e}");

    let decided = sam
        .decide(
            asked.id,
            true,
            "checked the dry run with finance",
            "Sam Orlov",
        )
        .await
        .unwrap();
    assert_eq!(decided.state, "approved");
    assert_eq!(decided.decided_by.as_deref(), Some("sam"));
    assert_eq!(
        decided.note.as_deref(),
        Some("checked the dry run with finance")
    );

    // Decided once: Vera cannot overturn it.
    let e = vera
        .decide(asked.id, false, "no", "Vera")
        .await
        .unwrap_err();
    assert!(e.to_string().contains("already decided"), "{e}");

    // Only the asker uses it, and only once.
    let e = sam.use_approval(asked.id).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotAllowed, "{e}");
    anna.use_approval(asked.id).await.unwrap();
    let e = anna.use_approval(asked.id).await.unwrap_err();
    assert!(e.to_string().contains("is used, not approved"), "{e}");
    let latest = anna
        .latest_approval(desk, Guarded::BulkRun, "job-2026-12-07-1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(latest.state, "used");
}

#[tokio::test]
async fn a_supervisor_cannot_approve_their_own_request_and_no_one_edits_an_approval() {
    let cluster = cluster().await;
    let (sam, vera) = (login(&cluster, "sam").await, login(&cluster, "vera").await);
    let desk = uuid::Uuid::new_v4();
    sam.register_desk(desk, "Sam's desk").await.unwrap();
    let own = sam.ask_approval(&ask(desk)).await.unwrap();
    let e = sam.decide(own.id, true, "me", "Sam").await.unwrap_err();
    assert!(e.to_string().contains("a second person must decide"), "{e}");
    let rejected = vera
        .decide(own.id, false, "too many cards today", "Vera")
        .await
        .unwrap();
    assert_eq!(rejected.state, "rejected");

    for sql in [
        "UPDATE carddesk.approvals SET state = 'approved'",
        "DELETE FROM carddesk.approvals",
    ] {
        let e = vera.raw_execute(sql).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotAllowed, "{sql}: {e}");
    }
    cluster.owner_sql(
        "carddesk",
        "DO $$ BEGIN
           BEGIN UPDATE carddesk.approvals SET state = 'approved'; RAISE EXCEPTION 'changed';
           EXCEPTION WHEN insufficient_privilege THEN NULL; END;
         END $$;",
    );
    assert_eq!(vera.approvals(false, 5).await.unwrap()[0].state, "rejected");
}

#[tokio::test]
async fn only_a_supervisor_sets_the_policy() {
    let cluster = cluster().await;
    let (anna, sam) = (login(&cluster, "anna").await, login(&cluster, "sam").await);
    let e = anna.set_policy(false, false, None).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotAllowed, "{e}");
    sam.set_policy(true, false, Some(50)).await.unwrap();
    let p = anna.policy().await.unwrap();
    assert_eq!(
        (
            p.production_bulk,
            p.production_revoke_all,
            p.cards_over,
            p.set_by.as_str()
        ),
        (true, false, Some(50), "sam")
    );
    assert!(p.requires(Guarded::RevokeAll, false, 51));
}
