//! A slow team database (issue 17, "Offline and faults"; docs/team.md): one that accepts the
//! connection and then answers late, or not at all, must never hang the desk. Each test puts a
//! loopback proxy between the desk and a private PostgreSQL cluster and switches it to hold
//! back traffic: a card removal completes within the hold's bound and Settings says the team
//! hold was skipped; the team trail falls behind while shipments time out and catches up after,
//! with no gap and no double (the server's own check); the register and approvals answer a
//! clear error within their bound instead of waiting.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use desk::audit::Reason;
use desk::team::test_cluster::{Cluster, DATABASE, OWNER, OWNER_PASSWORD};
use desk::team_claim::HOLD_BOUND;
use desk::{Desk, ErrorCode, RevokeRequest, TeamBounds, TeamSetup, TeamView};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// What the proxy does with the bytes it carries.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Traffic {
    /// Passed on at once.
    Flows,
    /// The server's answers are passed on only after this long (each chunk).
    AnswersLate(Duration),
    /// Nothing is passed on either way (connections are still accepted) until it flows again;
    /// what arrived meanwhile is then passed on.
    Stalled,
}

/// A loopback TCP proxy in front of the cluster whose traffic the test can hold back.
struct Proxy {
    port: u16,
    traffic: watch::Sender<Traffic>,
    accepting: tokio::task::JoinHandle<()>,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.accepting.abort();
    }
}

impl Proxy {
    async fn to(port: u16) -> Proxy {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
        let own = listener.local_addr().unwrap().port();
        let (traffic, _) = watch::channel(Traffic::Flows);
        let sender = traffic.clone();
        let accepting = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let Ok(server) = TcpStream::connect(("127.0.0.1", port)).await else {
                    continue;
                };
                let (client_read, client_write) = client.into_split();
                let (server_read, server_write) = server.into_split();
                tokio::spawn(pump(client_read, server_write, sender.subscribe(), false));
                tokio::spawn(pump(server_read, client_write, sender.subscribe(), true));
            }
        });
        Proxy {
            port: own,
            traffic,
            accepting,
        }
    }

    fn set(&self, traffic: Traffic) {
        self.traffic.send_replace(traffic);
    }
}

/// Carries bytes one way, holding each chunk back as `traffic` says.
async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    mut traffic: watch::Receiver<Traffic>,
    answers: bool,
) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => 0,
            Ok(n) => n,
        };
        // Held back (the end of the stream too) while stalled.
        if traffic.wait_for(|t| *t != Traffic::Stalled).await.is_err() {
            return;
        }
        let late = *traffic.borrow();
        if let (true, Traffic::AnswersLate(d)) = (answers, late) {
            tokio::time::sleep(d).await;
        }
        if n == 0 || to.write_all(&buf[..n]).await.is_err() {
            let _ = to.shutdown().await;
            return;
        }
    }
}

fn setup(proxy: &Proxy) -> TeamSetup {
    TeamSetup {
        host: "127.0.0.1".into(),
        port: proxy.port,
        database: DATABASE.into(),
        user: OWNER.into(),
        desk_name: "Slow link".into(),
    }
}

/// A desk in team mode through `proxy`, the schema made, with `bounds`.
async fn desk_through(
    proxy: &Proxy,
    bounds: TeamBounds,
) -> (assist_sandbox::Sandbox, Desk, tempfile::TempDir) {
    let (sandbox, desk, dir) = common::sandbox_and_desk().await;
    desk.set_team_bounds(bounds);
    desk.test_team(setup(proxy), Some(OWNER_PASSWORD.into()))
        .await
        .unwrap();
    desk.save_team_setup(Some(setup(proxy))).await.unwrap();
    desk.set_team_password(OWNER_PASSWORD.into()).await.unwrap();
    (sandbox, desk, dir)
}

async fn view_until(desk: &Desk, what: &str, done: impl Fn(&TeamView) -> bool) -> TeamView {
    let mut last = None;
    for _ in 0..600 {
        let view = desk.team_view().await.unwrap();
        if done(&view) {
            return view;
        }
        last = Some(view);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what}: the team view stayed {last:?}");
}

fn removal(customer: &str, token: &str, last4: &str) -> RevokeRequest {
    RevokeRequest {
        profile_id: "sandbox".into(),
        customer: customer.into(),
        token: token.into(),
        last4_confirmation: last4.into(),
        reason: Reason::CustomerRequest,
        note: None,
        ticket: Some("ZD-5150".into()),
        customer_confirmation: None,
        utc_offset_minutes: Some(180),
        request: None,
    }
}

fn problem_text(view: &TeamView) -> String {
    view.problem
        .as_ref()
        .map(|p| format!("{} | {}", p.message, p.ru.clone().unwrap_or_default()))
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removal_completes_within_the_hold_bound_while_the_database_stalls_and_settings_says_why()
{
    let cluster = Cluster::start();
    let proxy = Proxy::to(cluster.port()).await;
    let (_sandbox, desk, _dir) = desk_through(&proxy, TeamBounds::default()).await;
    let cards = desk.lookup("100025", true).await.unwrap().cards;
    // The hold's connection is dialled when team mode starts; a first removal takes a hold.
    let first = removal("100025", &cards[0].token, &cards[0].last4);
    assert!(desk.revoke(&first).await.unwrap().outcome.card_gone());
    assert!(desk.team_view().await.unwrap().problem.is_none());
    // Its release has gone out (a release stalled past the bound would close the hold's
    // connection too, and the next hold would then say the connection was closed).
    tokio::time::sleep(Duration::from_millis(300)).await;

    proxy.set(Traffic::Stalled);
    let stalled = removal("100025", &cards[1].token, &cards[1].last4);
    let started = Instant::now();
    let done = desk.revoke(&stalled).await.unwrap();
    let took = started.elapsed();
    assert!(done.outcome.card_gone(), "{done:?}");
    assert!(
        took < HOLD_BOUND + Duration::from_secs(2),
        "the removal waited {took:?} on a stalled database"
    );
    assert!(took >= HOLD_BOUND, "it did wait for the hold: {took:?}");
    let view = desk.team_view().await.unwrap();
    let said = problem_text(&view);
    assert_eq!(
        view.problem.as_ref().map(|p| p.code),
        Some(ErrorCode::Transport),
        "{view:?}"
    );
    assert!(
        said.contains("without the team-wide card hold")
            && said.contains("did not answer within 1.5 s")
            && said.contains("без общей для команды блокировки карты"),
        "{said}"
    );
    assert!(!said.contains(OWNER_PASSWORD));

    // Flowing again: the desk dials again in the background, Settings clears, and the next
    // removal takes its hold.
    proxy.set(Traffic::Flows);
    view_until(&desk, "holds ready again", |v| v.problem.is_none()).await;
    let after = removal("100025", &cards[2].token, &cards[2].last4);
    assert!(desk.revoke(&after).await.unwrap().outcome.card_gone());
    assert!(desk.team_view().await.unwrap().problem.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_trail_falls_behind_while_shipments_time_out_and_catches_up_with_no_gap_or_double() {
    let cluster = Cluster::start();
    let proxy = Proxy::to(cluster.port()).await;
    // Shipping gives a batch 1 s here (30 s in the product) so a stall reaches its timeout.
    let bounds = TeamBounds {
        ship: Duration::from_secs(1),
        ..TeamBounds::default()
    };
    let (_sandbox, desk, _dir) = desk_through(&proxy, bounds).await;
    for customer in ["1234", "100025"] {
        desk.lookup(customer, true).await.unwrap();
    }
    view_until(&desk, "shipped", |v| v.local_last >= 2 && v.behind == 0).await;

    // Each answer 0.4 s late: a shipment (begin, prepare, the batch, commit) takes longer than
    // its bound and is given up on mid-transaction, again and again.
    proxy.set(Traffic::AnswersLate(Duration::from_millis(400)));
    let cards = desk.lookup("100700", true).await.unwrap().cards;
    for customer in ["1234", "100025", "100700"] {
        desk.lookup(customer, true).await.unwrap();
    }
    let behind = view_until(&desk, "behind, a shipment given up on", |v| {
        v.behind >= 4 && problem_text(v).contains("did not answer within 1 s")
    })
    .await;
    assert_eq!(
        behind.problem.as_ref().map(|p| p.code),
        Some(ErrorCode::Transport)
    );
    // Then not at all; the desk still works (a removal, its entries in the local log).
    proxy.set(Traffic::Stalled);
    let started = Instant::now();
    let gone = desk
        .revoke(&removal("100700", &cards[0].token, &cards[0].last4))
        .await
        .unwrap();
    assert!(gone.outcome.card_gone());
    assert!(started.elapsed() < HOLD_BOUND + Duration::from_secs(2));
    let before = behind.behind;
    let behind = view_until(&desk, "further behind, intent and outcome", |v| {
        v.behind >= before + 2
    })
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;

    proxy.set(Traffic::Flows);
    let back = view_until(&desk, "caught up", |v| {
        v.behind == 0 && v.local_last >= behind.local_last && v.problem.is_none()
    })
    .await;

    // The server's own check and the desk's copy against its log: every entry once, in order.
    let checks = desk.verify_team_trail().await.unwrap();
    assert_eq!(checks.len(), 1, "{checks:?}");
    let c = &checks[0];
    assert!(c.intact(), "{c:?}");
    assert_eq!(
        (c.entries, c.last_seq),
        (back.local_last, back.local_last),
        "no entry missing, none twice"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_and_approval_calls_fail_within_their_bound_naming_the_slow_database() {
    let cluster = Cluster::start();
    let proxy = Proxy::to(cluster.port()).await;
    let (_sandbox, desk, _dir) = desk_through(&proxy, TeamBounds::default()).await;
    assert!(desk.team_view().await.unwrap().shared_register);
    desk.requests(Default::default(), Some(180)).await.unwrap();

    proxy.set(Traffic::Stalled);
    // The register (its connection already open): one statement, bounded.
    let started = Instant::now();
    let e = desk
        .requests(Default::default(), Some(180))
        .await
        .expect_err("a stalled register");
    let took = started.elapsed();
    assert!(took < Duration::from_secs(7), "waited {took:?}");
    assert_eq!(e.code, ErrorCode::Transport, "{e:?}");
    assert!(
        e.message.contains("did not answer within 5 s")
            && e.message.contains("slow or not answering"),
        "{}",
        e.message
    );
    assert!(
        e.ru.as_deref().unwrap().contains("не ответила за 5 с"),
        "{e:?}"
    );
    // Approvals (a fresh connection each time): the dial, bounded.
    let started = Instant::now();
    let e = desk
        .team_approvals(true)
        .await
        .expect_err("stalled approvals");
    let took = started.elapsed();
    assert!(took < Duration::from_secs(7), "waited {took:?}");
    assert_eq!(e.code, ErrorCode::Transport, "{e:?}");
    assert!(
        e.message.contains("did not answer within 5 s") && e.message.contains("slow"),
        "{}",
        e.message
    );
    assert!(e.ru.as_deref().unwrap().contains("не ответила за 5 с"));
    for said in [&e.message, e.ru.as_deref().unwrap()] {
        assert!(!said.contains(OWNER_PASSWORD), "{said}");
    }

    // Flowing again, both answer.
    proxy.set(Traffic::Flows);
    desk.requests(Default::default(), Some(180)).await.unwrap();
    desk.team_approvals(true).await.unwrap();
}
