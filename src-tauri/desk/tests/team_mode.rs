//! Team mode as the desk runs it, against a real PostgreSQL (a private cluster) and the
//! sandbox: Settings → Team refuses a bad field by name, "Test connection" creates the schema
//! and registers the desk (and refuses a wrong password without ever showing it), and the
//! app's shipping loop brings every lookup's entry to the team trail, says "behind by N"
//! while the database is down, and catches up when it returns.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use desk::audit::{AuditAction, AuditQuery};
use desk::audit::{Reason, token_fingerprint};
use desk::requests::RequestKind;
use desk::requests::model::{Channel, ProfileRef, Received, RequestDraft, SubjectDraft};
use desk::team::Team;
use desk::team::test_cluster::{Cluster, DATABASE, OWNER, OWNER_PASSWORD};
use desk::team_claim::team_card_key;
use desk::{Desk, ErrorCode, RequestAction, RevokeAllRequest, RevokeRequest, TeamSetup, TeamView};

fn setup(cluster: &Cluster) -> TeamSetup {
    TeamSetup {
        host: "127.0.0.1".into(),
        port: cluster.port(),
        database: DATABASE.into(),
        user: OWNER.into(),
        desk_name: "Back office 2".into(),
    }
}

/// Waits until `done` holds for the team view (the loop ships every 2 s, backs off while
/// the database is down).
async fn view_until(desk: &Desk, what: &str, done: impl Fn(&TeamView) -> bool) -> TeamView {
    let mut last = None;
    for _ in 0..300 {
        let view = desk.team_view().await.unwrap();
        if done(&view) {
            return view;
        }
        last = Some(view);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what}: the team view stayed {last:?}");
}

#[tokio::test]
async fn a_bad_field_is_refused_by_name_in_both_languages() {
    let (_sandbox, desk, _dir) = common::sandbox_and_desk().await;
    let cases = [
        (
            TeamSetup { port: 0, ..blank() },
            "port",
            "port: must be between 1 and 65535",
        ),
        (
            TeamSetup {
                host: "".into(),
                ..blank()
            },
            "host",
            "host: must not be empty",
        ),
        (
            TeamSetup {
                user: "x".repeat(64),
                ..blank()
            },
            "user",
            "user: must be at most 63",
        ),
        (
            TeamSetup {
                desk_name: " ".into(),
                ..blank()
            },
            "deskName",
            "desk name: must be 1 to 80",
        ),
    ];
    for (bad, field, said) in cases {
        let e = desk.save_team_setup(Some(bad)).await.expect_err(field);
        assert_eq!(e.code, ErrorCode::Validation);
        assert_eq!(e.field.as_deref(), Some(field));
        assert!(e.message.starts_with(said), "{}", e.message);
        assert!(e.ru.as_deref().is_some_and(|r| !r.is_empty()), "{e:?}");
    }
    let view = desk.team_view().await.unwrap();
    assert_eq!(view.setup, None, "nothing was saved");
}

fn blank() -> TeamSetup {
    TeamSetup {
        host: "db.example.com".into(),
        port: 5432,
        database: "carddesk".into(),
        user: "anna".into(),
        desk_name: "Anna".into(),
    }
}

#[tokio::test]
async fn test_connection_creates_the_schema_and_a_wrong_password_is_refused_unshown() {
    let cluster = Cluster::start();
    let (_sandbox, desk, _dir) = common::sandbox_and_desk().await;
    let wrong = "Not-The-Owner-Pw-31";
    let e = desk
        .test_team(setup(&cluster), Some(wrong.into()))
        .await
        .expect_err("wrong password");
    assert_eq!(e.code, ErrorCode::Team);
    assert!(e.message.contains("refused the login"), "{}", e.message);
    let shown = serde_json::to_string(&e).unwrap();
    assert!(!shown.contains(wrong), "{shown}");

    let first = desk
        .test_team(setup(&cluster), Some(OWNER_PASSWORD.into()))
        .await
        .unwrap();
    assert_eq!(first.applied_now, Team::known_migrations());
    assert_eq!(first.migrations, Team::known_migrations());
    assert!(first.roles.contains(&"owner".to_owned()), "{first:?}");
    assert!(!first.encrypted, "loopback goes without TLS");
    let again = desk
        .test_team(setup(&cluster), Some(OWNER_PASSWORD.into()))
        .await
        .unwrap();
    assert!(again.applied_now.is_empty());

    cluster.stop();
    let e = desk
        .test_team(setup(&cluster), Some(OWNER_PASSWORD.into()))
        .await
        .expect_err("server down");
    assert_eq!(e.code, ErrorCode::Transport);
    assert!(
        e.message.starts_with("could not reach PostgreSQL"),
        "{}",
        e.message
    );
    assert!(
        e.ru.as_deref().unwrap().starts_with("Не удалось связаться"),
        "{e:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_loop_ships_every_entry_says_how_far_behind_and_catches_up() {
    let cluster = Cluster::start();
    let (_sandbox, desk, _dir) = common::sandbox_and_desk().await;
    desk.save_team_setup(Some(setup(&cluster))).await.unwrap();
    let waiting = desk.team_view().await.unwrap();
    assert_eq!(
        waiting.problem.map(|p| p.code),
        Some(ErrorCode::CredentialsMissing)
    );
    desk.set_team_password(OWNER_PASSWORD.into()).await.unwrap();

    for customer in ["1234", "100025", "100700"] {
        desk.lookup(customer, true).await.unwrap();
    }
    let caught_up = view_until(&desk, "shipped", |v| {
        v.local_last >= 3 && v.behind == 0 && v.problem.is_none()
    })
    .await;
    assert!(caught_up.shipping);
    assert!(caught_up.last_contact.is_some());
    let shown = serde_json::to_string(&caught_up).unwrap();
    assert!(!shown.contains(OWNER_PASSWORD), "{shown}");

    // The database goes away: the desk keeps working and says how far behind the trail is.
    cluster.kill();
    for customer in ["1234", "100025"] {
        desk.lookup(customer, true).await.unwrap();
    }
    let behind = view_until(&desk, "behind", |v| v.behind >= 2 && v.problem.is_some()).await;
    assert_eq!(
        behind.problem.as_ref().map(|p| p.code),
        Some(ErrorCode::Transport),
        "{behind:?}"
    );

    cluster.up();
    let back = view_until(&desk, "caught up", |v| v.behind == 0 && v.problem.is_none()).await;

    // The audit view's "whole team": the same filters over the team's trail.
    let page = desk
        .team_audit_query(AuditQuery {
            customer: Some("100025".into()),
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(page.total, 2, "{page:?}");
    assert!(page.entries.iter().all(|e| {
        e.desk_name == "Back office 2"
            && e.entry
                .as_ref()
                .is_some_and(|x| x.customer.as_deref() == Some("100025"))
    }));
    let e = desk
        .team_audit_query(AuditQuery {
            profile_id: Some("sandbox".into()),
            ..AuditQuery::default()
        })
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("profileId"));
    let checks = desk.verify_team_trail().await.unwrap();
    assert_eq!(checks.len(), 1);
    let c = &checks[0];
    assert_eq!(c.name, "Back office 2");
    assert_eq!((c.entries, c.last_seq), (back.local_last, back.local_last));
    assert!(c.intact(), "{c:?}");
}

fn refusal(customer: &str) -> RequestDraft {
    RequestDraft {
        kind: RequestKind::Erasure152,
        received: Received::at(time::OffsetDateTime::now_utc() - time::Duration::hours(1)),
        channel: Channel::Ticket,
        ticket: Some("ZD-9001".into()),
        subjects: vec![SubjectDraft {
            customer_number: customer.into(),
            profile: ProfileRef::Profile("sandbox".into()),
        }],
        assignee: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_desks_work_one_register_and_only_one_takes_a_request() {
    let cluster = Cluster::start();
    let (_sa, anna, _da) = common::sandbox_and_desk().await;
    let (_sb, boris, _db) = common::sandbox_and_desk().await;
    for (desk, name) in [(&anna, "Anna"), (&boris, "Boris")] {
        desk.save_team_setup(Some(TeamSetup {
            desk_name: name.into(),
            ..setup(&cluster)
        }))
        .await
        .unwrap();
        desk.set_team_password(OWNER_PASSWORD.into()).await.unwrap();
        assert!(desk.team_view().await.unwrap().shared_register);
    }
    // Schema first (the loop also creates it; this does not wait on it).
    anna.test_team(setup(&cluster), None).await.unwrap();

    let opened = anna.request_new(refusal("1234"), Some(180)).await.unwrap();
    let id = opened.request.id().to_string();
    let seen_by_boris = boris.requests(Default::default(), Some(180)).await.unwrap();
    assert_eq!(seen_by_boris.requests.len(), 1, "{seen_by_boris:?}");
    assert_eq!(seen_by_boris.requests[0].request.id().to_string(), id);

    // Both take it at the version they saw: one is written, the other told to reload.
    let version = opened.request.version();
    let take = |who: &'static str| RequestAction::Assign {
        assignee: Some(who.into()),
    };
    let (a, b) = tokio::join!(
        anna.request_act(&id, version, take("Anna"), Some(180)),
        boris.request_act(&id, version, take("Boris"), Some(180)),
    );
    assert_eq!(a.is_ok() as u8 + b.is_ok() as u8, 1, "{a:?} {b:?}");
    let refused = a.err().or(b.err()).unwrap();
    assert_eq!(refused.code, ErrorCode::Conflict, "{refused:?}");
    let now = boris.request(&id, Some(180)).await.unwrap();
    assert!(matches!(now.request.assignee(), Some("Anna" | "Boris")));

    // Team mode off: the desk's own (empty) register again.
    boris.save_team_setup(None).await.unwrap();
    assert!(!boris.team_view().await.unwrap().shared_register);
    assert!(
        boris
            .requests(Default::default(), Some(180))
            .await
            .unwrap()
            .requests
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_card_another_desk_is_removing_is_not_sent_until_it_lets_go() {
    let cluster = Cluster::start();
    let (_sandbox, desk, _dir) = common::sandbox_and_desk().await;
    desk.save_team_setup(Some(setup(&cluster))).await.unwrap();
    desk.set_team_password(OWNER_PASSWORD.into()).await.unwrap();
    let card = desk.lookup("1234", true).await.unwrap().cards.remove(0);
    let status = desk.status().await.unwrap();
    let merchant = status
        .profiles
        .iter()
        .find(|p| p.id == "sandbox")
        .unwrap()
        .merchant_id
        .clone();

    // Another desk's session holds the card, as a removal in flight there would.
    let other = desk::team::connect(&setup(&cluster).settings(), &Cluster::owner_password())
        .await
        .unwrap();
    let key = team_card_key(&merchant, &token_fingerprint(&card.token));
    assert!(other.try_hold(key).await.unwrap());

    let revoke = RevokeRequest {
        profile_id: "sandbox".into(),
        customer: "1234".into(),
        token: card.token.clone(),
        last4_confirmation: card.last4.clone(),
        reason: Reason::CustomerRequest,
        note: None,
        ticket: Some("ZD-4242".into()),
        customer_confirmation: None,
        utc_offset_minutes: Some(180),
        request: None,
    };
    let e = desk
        .revoke(&revoke)
        .await
        .expect_err("held by another desk");
    assert_eq!(e.code, ErrorCode::RemovalInProgress);
    assert!(
        e.message
            .contains("another desk of the team is removing card"),
        "{}",
        e.message
    );
    assert!(
        e.ru.as_deref()
            .unwrap()
            .contains("другое рабочее место команды")
    );
    let still = desk.lookup("1234", true).await.unwrap();
    assert!(
        still.cards.iter().any(|c| c.token == card.token),
        "nothing was sent"
    );

    // The other desk lets go (or its session ends): the removal goes through.
    other.release(key).await.unwrap();
    let done = desk.revoke(&revoke).await.unwrap();
    assert!(done.outcome.card_gone(), "{done:?}");
}

const ROLE_PASSWORD: &str = "Four-Eyes-Desk-Pw-5";

/// A desk logged in to the team as `user`.
/// A cluster migrated by its owner, with grants.sql's roles, agents anna and boris and a
/// supervisor sam.
async fn four_eyes_cluster() -> Cluster {
    let cluster = Cluster::start();
    let mut owner = desk::team::connect(&setup(&cluster).settings(), &Cluster::owner_password())
        .await
        .unwrap();
    owner.migrate().await.unwrap();
    cluster.owner_sql("carddesk", include_str!("../../team/grants.sql"));
    cluster.owner_sql(
        "carddesk",
        &format!(
            "CREATE ROLE anna LOGIN PASSWORD '{ROLE_PASSWORD}' IN ROLE carddesk_agent;
             CREATE ROLE boris LOGIN PASSWORD '{ROLE_PASSWORD}' IN ROLE carddesk_agent;
             CREATE ROLE sam LOGIN PASSWORD '{ROLE_PASSWORD}' IN ROLE carddesk_supervisor;"
        ),
    );
    cluster
}

async fn desk_as(
    cluster: &Cluster,
    user: &str,
    name: &str,
) -> (assist_sandbox::Sandbox, Desk, tempfile::TempDir) {
    let (sandbox, desk, dir) = common::sandbox_and_desk().await;
    desk.save_team_setup(Some(TeamSetup {
        user: user.into(),
        desk_name: name.into(),
        ..setup(cluster)
    }))
    .await
    .unwrap();
    desk.set_team_password(ROLE_PASSWORD.into()).await.unwrap();
    (sandbox, desk, dir)
}

fn erase_all(customer: &str) -> RevokeAllRequest {
    RevokeAllRequest {
        profile_id: "sandbox".into(),
        customer: customer.into(),
        reason: Reason::ErasureRequest,
        note: None,
        ticket: Some("DPO-77".into()),
        customer_confirmation: None,
        utc_offset_minutes: Some(180),
        request: None,
    }
}

async fn approval_entries(desk: &Desk) -> Vec<String> {
    let page = desk
        .audit_query(AuditQuery {
            limit: 50,
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    page.entries
        .iter()
        .filter(|e| e.action == AuditAction::Approval)
        .map(|e| e.detail.clone().unwrap_or_default())
        .collect()
}

/// Ships every one of `desks` and checks the whole team's trail from the first: one chain per
/// desk, each intact on the server and against its log.
async fn ship_all_and_verify(desks: &[&Desk]) {
    for desk in desks {
        desk.ship_team_now().await.unwrap();
    }
    let checks = desks[0].verify_team_trail().await.unwrap();
    assert_eq!(checks.len(), desks.len(), "{checks:?}");
    assert!(checks.iter().all(|c| c.intact()), "{checks:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removal_the_policy_names_waits_for_a_supervisor_and_goes_once_approved() {
    let cluster = four_eyes_cluster().await;
    let (_sa, anna, _da) = desk_as(&cluster, "anna", "Anna").await;
    let (_ss, sam, _ds) = desk_as(&cluster, "sam", "Sam").await;

    // The supervisor sets the policy: any run of more than one card needs a second person.
    let e = anna.set_team_policy(true, true, Some(1)).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::Team, "only a supervisor: {e:?}");
    let policy = sam.set_team_policy(true, true, Some(1)).await.unwrap();
    assert_eq!(policy.cards_over, Some(1));
    assert!(
        sam.team_policy().await.unwrap().supervisor,
        "sam may decide"
    );

    // Anna's erasure of customer 1234's three cards waits; nothing is sent.
    let e = anna.revoke_all(&erase_all("1234")).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::AwaitingApproval, "{e:?}");
    assert!(
        e.message.contains("approval was asked for"),
        "{}",
        e.message
    );
    assert!(e.ru.as_deref().unwrap().contains("одобрение второго лица"));
    assert_eq!(anna.lookup("1234", true).await.unwrap().cards.len(), 3);
    let again = anna.revoke_all(&erase_all("1234")).await.unwrap_err();
    assert!(
        again.message.contains("still waits for a supervisor"),
        "{}",
        again.message
    );

    // Sam sees it with the customer's cards, masked, and approves with a note.
    let waiting = sam.team_approvals(true).await.unwrap();
    assert_eq!(waiting.len(), 1);
    let asked = &waiting[0];
    assert_eq!(
        (asked.action.as_str(), asked.subject.as_str(), asked.cards),
        ("revoke_all", "1234", 3)
    );
    assert_eq!(asked.requested_by, "anna");
    let shown = asked.summary["cards"].as_array().unwrap();
    assert_eq!(shown.len(), 3);
    assert!(
        shown.iter().all(|c| c.as_str().unwrap().contains('•')),
        "{shown:?}"
    );
    let e = anna
        .decide_approval(&asked.id.to_string(), true, "mine".into())
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Team, "an agent cannot decide: {e:?}");
    sam.decide_approval(
        &asked.id.to_string(),
        true,
        "erasure request DPO-77 checked".into(),
    )
    .await
    .unwrap();
    let sams = approval_entries(&sam).await;
    assert!(
        sams.iter().any(
            |d| d.starts_with("approved removal of all 3 cards of customer 1234")
                && d.contains("asked for by")
        ),
        "{sams:?}"
    );

    // Anna starts it again: it goes, and her log records whose approval it used.
    let done = anna.revoke_all(&erase_all("1234")).await.unwrap();
    assert_eq!(done.items.len(), 3);
    assert!(anna.lookup("1234", true).await.unwrap().cards.is_empty());
    let annas = approval_entries(&anna).await;
    assert!(
        annas
            .iter()
            .any(|d| d.starts_with("asked a supervisor to approve removal of all 3")),
        "{annas:?}"
    );
    assert!(
        annas
            .iter()
            .any(|d| d.starts_with("approved by") && d.contains("used for")),
        "{annas:?}"
    );

    // A rejection is said when she asks again.
    anna.revoke_all(&erase_all("100301")).await.unwrap_err();
    let id = sam.team_approvals(true).await.unwrap()[0].id.to_string();
    sam.decide_approval(&id, false, "wrong customer".into())
        .await
        .unwrap();
    let e = anna.revoke_all(&erase_all("100301")).await.unwrap_err();
    assert!(e.message.contains("rejected by"), "{}", e.message);
    assert!(e.message.contains("wrong customer"), "{}", e.message);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_production_bulk_job_runs_once_a_supervisor_has_approved_its_dry_run() {
    use desk::bulk::{ColumnMap, RunOptions};
    let cluster = four_eyes_cluster().await;
    let (sandbox, anna, dir) = desk_as(&cluster, "anna", "Anna").await;
    let (_ss, sam, _ds) = desk_as(&cluster, "sam", "Sam").await;

    // A production profile (on the sandbox): the default policy holds its bulk runs.
    let live = anna
        .save_profile(
            None,
            &desk::profiles::ProfileDraft {
                name: "Live shop".into(),
                environment: "production".into(),
                base_url: sandbox.url(),
                merchant_id: "452739".into(),
                login: "LOGIN".into(),
                language: "EN".into(),
                colour: "#b91c1c".into(),
            },
            Some("PASSWORD".into()),
        )
        .await
        .unwrap();
    anna.activate(&live.id).unwrap();
    let csv = dir.path().join("erase.csv");
    std::fs::write(&csv, "customer\n100301\n").unwrap();
    let source = anna.bulk_preview(csv).await.unwrap().source;
    let job = anna
        .bulk_create(desk::BulkDraft {
            source,
            map: ColumnMap {
                customer: Some("customer".into()),
                ..ColumnMap::default()
            },
            erasure: true,
            ticket: Some("DPO-90".into()),
            reason: Reason::ErasureRequest,
            note: None,
        })
        .await
        .unwrap();
    let fast = RunOptions {
        concurrency: 2,
        rate: None,
        patience_secs: None,
    };
    let progress: desk::bulk::ProgressFn = std::sync::Arc::new(|_| {});
    let planned = anna
        .bulk_plan(&job.id, fast, progress.clone())
        .await
        .unwrap();
    assert_eq!(planned.summary.to_remove, 2);

    let e = anna
        .bulk_run(&job.id, fast, Some("2".into()), progress.clone())
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::AwaitingApproval, "{e:?}");
    assert!(sandbox.ledger().all().is_empty(), "nothing was sent");

    // Sam sees the dry run's counts and approves.
    let waiting = sam.team_approvals(true).await.unwrap();
    assert_eq!(waiting.len(), 1);
    let asked = &waiting[0];
    assert_eq!(
        (
            asked.action.as_str(),
            asked.environment.as_str(),
            asked.cards
        ),
        ("bulk_run", "production", 2)
    );
    assert_eq!(asked.summary["toRemove"], 2, "{}", asked.summary);
    sam.decide_approval(
        &asked.id.to_string(),
        true,
        "dry run checked with the DPO".into(),
    )
    .await
    .unwrap();

    let done = anna
        .bulk_run(&job.id, fast, Some("2".into()), progress)
        .await
        .unwrap();
    assert_eq!(done.phase, desk::JobPhase::Finished);
    assert_eq!(sandbox.ledger().all().len(), 2);
    assert_eq!(sam.team_approvals(false).await.unwrap()[0].state, "used");

    // The whole team's trail verifies, both desks' chains.
    ship_all_and_verify(&[&anna, &sam]).await;
}

/// Issue 17's "done when", its erasure half: one erasure request worked by two desks and a
/// supervisor on the team's register and trail. Anna opens it from a ticket; Boris, at another
/// desk, sees it, takes it, checks the person and removes the cards from the request, which the
/// policy holds for a supervisor; Sam approves; Boris's removal goes, he produces the Order 179
/// act and closes the request; Anna sees it closed by him; every desk's chain verifies on the
/// server and here.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_desks_and_a_supervisor_work_one_erasure_request_and_the_team_trail_verifies() {
    use desk::requests::model::Status;
    let cluster = four_eyes_cluster().await;
    let (_sa, anna, _da) = desk_as(&cluster, "anna", "Anna").await;
    let (boris_gateway, boris, boris_dir) = desk_as(&cluster, "boris", "Boris").await;
    let (_ss, sam, _ds) = desk_as(&cluster, "sam", "Sam").await;
    sam.set_team_policy(true, true, Some(1)).await.unwrap();

    let opened = anna.request_new(refusal("1234"), Some(180)).await.unwrap();
    let id = opened.request.id().to_string();

    // Boris sees Anna's request on the shared register and takes it.
    let seen = boris.requests(Default::default(), Some(180)).await.unwrap();
    assert_eq!(seen.requests.len(), 1, "{seen:?}");
    let taken = boris
        .request_act(
            &id,
            seen.requests[0].request.version(),
            RequestAction::Assign {
                assignee: Some("Boris".into()),
            },
            Some(180),
        )
        .await
        .unwrap();
    boris
        .request_act(
            &id,
            taken.request.version(),
            RequestAction::IdentityCheck {
                asked: "signed application with passport details".into(),
                matched: true,
            },
            Some(180),
        )
        .await
        .unwrap();

    // His removal of all three cards from the request waits for a supervisor: nothing sent.
    let from_request = RevokeAllRequest {
        request: Some(id.clone()),
        ..erase_all("1234")
    };
    let e = boris.revoke_all(&from_request).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::AwaitingApproval, "{e:?}");
    assert!(boris_gateway.ledger().all().is_empty(), "nothing was sent");
    let asked = sam.team_approvals(true).await.unwrap();
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert_eq!(asked[0].requested_by, "boris");
    sam.decide_approval(
        &asked[0].id.to_string(),
        true,
        "erasure request ZD-9001 checked".into(),
    )
    .await
    .unwrap();
    let done = boris.revoke_all(&from_request).await.unwrap();
    assert_eq!(done.items.len(), 3);
    assert!(boris.lookup("1234", true).await.unwrap().cards.is_empty());

    // The act, the confirmation and the log's export, then the request closes cleanly.
    let out = boris_dir.path().join("act");
    std::fs::create_dir(&out).unwrap();
    let v = boris.request(&id, Some(180)).await.unwrap();
    let produced = boris
        .request_erasure_documents(
            &id,
            v.request.version(),
            desk::UiLanguage::Ru,
            desk::ErasureDetails {
                operator_name: "ООО «Ромашка»".into(),
                operator_address: "125009, Москва, ул. Тверская, д. 1".into(),
                processor_name: Some("IPS Assist".into()),
                processor_address: Some("Москва".into()),
                information_system: "Card Desk / IPS Assist One Click".into(),
                destroyed_by: vec![desk::ErasureSignatory {
                    name: "Борис Петров".into(),
                    position: "специалист службы поддержки".into(),
                }],
            },
            out,
            Some(180),
        )
        .await
        .unwrap();
    assert_eq!(produced.len(), 3);
    let mut v = boris.request(&id, Some(180)).await.unwrap();
    for to in [Status::Answered, Status::Closed] {
        v = boris
            .request_act(
                &id,
                v.request.version(),
                RequestAction::Status { to, force: false },
                Some(180),
            )
            .await
            .unwrap();
    }

    // Anna sees it closed, by Boris, on the same register.
    let seen_by_anna = anna.request(&id, Some(180)).await.unwrap();
    assert_eq!(
        seen_by_anna.request.status().kind(),
        desk::requests::model::StatusKind::Closed
    );
    assert_eq!(seen_by_anna.request.assignee(), Some("Boris"));

    // Every desk's chain reaches the trail and verifies, on the server and here.
    ship_all_and_verify(&[&anna, &boris, &sam]).await;
}

/// Issue 17, "Approvals need the database; when it is down, actions needing them wait": with
/// the team's database down, a revoke-all the policy may hold is refused as awaiting approval,
/// saying why, and nothing is sent; a single card's removal, which no approval guards, still
/// goes on the desk's own claim; once the database is back the same revoke-all asks a
/// supervisor as usual.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_database_down_actions_needing_approval_wait_and_others_go_on() {
    let cluster = four_eyes_cluster().await;
    let (gateway, anna, _da) = desk_as(&cluster, "anna", "Anna").await;
    let (_ss, sam, _ds) = desk_as(&cluster, "sam", "Sam").await;
    sam.set_team_policy(true, true, Some(1)).await.unwrap();
    let cards = anna.lookup("1234", true).await.unwrap().cards;
    assert_eq!(cards.len(), 3);

    cluster.kill();
    let e = anna.revoke_all(&erase_all("1234")).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::AwaitingApproval, "{e:?}");
    assert!(e.message.contains("cannot be reached"), "{}", e.message);
    assert!(
        e.ru.as_deref().unwrap().contains("база команды недоступна"),
        "{e:?}"
    );
    assert!(!e.message.contains(ROLE_PASSWORD), "{}", e.message);
    assert!(gateway.ledger().all().is_empty(), "nothing was sent");

    let card = &cards[0];
    let done = anna
        .revoke(&RevokeRequest {
            profile_id: "sandbox".into(),
            customer: "1234".into(),
            token: card.token.clone(),
            last4_confirmation: card.last4.clone(),
            reason: Reason::CustomerRequest,
            note: None,
            ticket: Some("SUP-1".into()),
            customer_confirmation: None,
            utc_offset_minutes: Some(180),
            request: None,
        })
        .await
        .unwrap();
    assert!(done.outcome.card_gone(), "{done:?}");

    cluster.up();
    let e = anna.revoke_all(&erase_all("1234")).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::AwaitingApproval, "{e:?}");
    assert!(
        e.message.contains("approval was asked for"),
        "{}",
        e.message
    );
    let asked = sam.team_approvals(true).await.unwrap();
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert_eq!((asked[0].subject.as_str(), asked[0].cards), ("1234", 2));
}
