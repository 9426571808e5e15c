//! The team audit view's budget (issue 17): over 1,000,000 trail entries from ten desks, a
//! page filtered by customer answers in ≤ 50 ms p95 with the indexes the migrations create.
//! Runs on a private PostgreSQL cluster (as the tests do) and reports, in one run, p50/p95 of
//! the filtered pages beside the baseline of the same number of unfiltered first pages, and
//! their ratio. `CARDDESK_TEAM_BENCH_ROWS` changes the size (default 1,000,000).
//!
//! `cargo bench -p desk-team --bench trail_query`

use std::time::{Duration, Instant};

use desk_team::test_cluster::Cluster;
use desk_team::{TrailFilter, connect};

const RUNS: usize = 200;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let rows: u64 = std::env::var("CARDDESK_TEAM_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let cluster = Cluster::start();
    let mut team = connect(&cluster.owner_settings(), &Cluster::owner_password())
        .await
        .expect("connect");
    team.migrate().await.expect("migrate");
    let load = Instant::now();
    cluster.owner_sql(
        "carddesk",
        &format!(
            "INSERT INTO carddesk.desks (desk_id, name)
               SELECT ('00000000-0000-0000-0000-' || lpad(d::text, 12, '0'))::uuid, 'desk ' || d
                 FROM generate_series(1, 10) d;
             INSERT INTO carddesk.trail (desk_id, seq, at, line, hash, prev, action, operator,
                                         outcome, customer, request)
               SELECT ('00000000-0000-0000-0000-' || lpad((1 + i % 10)::text, 12, '0'))::uuid,
                      1 + i / 10,
                      timestamptz '2024-01-01 00:00Z' + i * interval '90 seconds',
                      '{{\"seq\":' || (1 + i / 10) || ',\"time\":\"2024\",\"operator\":{{\"osUser\":\"agent\",\"displayName\":\"Agent ' || (i % 20) || '\"}},\"action\":\"viewed_customer\",\"customer\":\"' || (100000 + (i * 7919) % 50000) || '\",\"prev\":\"' || lpad(to_hex(i), 64, '0') || '\",\"hash\":\"' || lpad(to_hex(i + 1), 64, '0') || '\"}}',
                      lpad(to_hex(i + 1), 64, '0'), lpad(to_hex(i), 64, '0'),
                      CASE WHEN i % 3 = 0 THEN 'revoke_outcome' ELSE 'viewed_customer' END,
                      'Agent ' || (i % 20),
                      CASE WHEN i % 3 = 0 THEN 'removed' END,
                      (100000 + (i * 7919) % 50000)::text,
                      NULL
                 FROM generate_series(0::bigint, {last}) i;
             ANALYZE carddesk.trail;",
            last = rows - 1
        ),
    );
    println!(
        "loaded {rows} entries from 10 desks in {:.1} s",
        load.elapsed().as_secs_f64()
    );

    let mut base = Vec::with_capacity(RUNS);
    let mut by_customer = Vec::with_capacity(RUNS);
    let mut by_operator = Vec::with_capacity(RUNS);
    for run in 0..RUNS {
        let started = Instant::now();
        let page = team
            .trail_page(&TrailFilter::default(), 0, 50)
            .await
            .expect("page");
        base.push(started.elapsed());
        assert_eq!(page.rows.len(), 50);

        let customer = (100_000 + (run as u64 * 104_729) % 50_000).to_string();
        let started = Instant::now();
        let page = team
            .trail_page(
                &TrailFilter {
                    customer: Some(customer),
                    ..TrailFilter::default()
                },
                0,
                50,
            )
            .await
            .expect("customer page");
        by_customer.push(started.elapsed());
        assert!(!page.rows.is_empty() || rows < 50_000);

        let started = Instant::now();
        team.trail_page(
            &TrailFilter {
                operator: Some(format!("agent {}", run % 20)),
                ..TrailFilter::default()
            },
            0,
            50,
        )
        .await
        .expect("operator page");
        by_operator.push(started.elapsed());
    }
    for v in [&mut base, &mut by_customer, &mut by_operator] {
        v.sort();
    }
    let base95 = percentile(&base, 0.95);
    for (label, v) in [
        ("first page, no filter (baseline)", &base),
        ("filtered by customer", &by_customer),
        ("filtered by operator", &by_operator),
    ] {
        let p95 = percentile(v, 0.95);
        println!(
            "{label:34} p50 {:7.2} ms  p95 {:7.2} ms  p95 ratio to baseline {:.2}",
            ms(percentile(v, 0.5)),
            ms(p95),
            p95.as_secs_f64() / base95.as_secs_f64()
        );
    }
    let customer95 = ms(percentile(&by_customer, 0.95));
    println!(
        "budget: a customer filter over {rows} entries in <= 50 ms p95: {} ({customer95:.2} ms)",
        if customer95 <= 50.0 { "met" } else { "MISSED" }
    );
}
