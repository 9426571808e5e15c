//! How much of a gateway's rate limit a bulk job uses when it asks for far more (issue:
//! bulk jobs ride out the gateway's limits). For limits of 20, 60 and 200 requests a second
//! (the sandbox's token bucket, fault plan `requestsPerSecond`), a job of `3 × limit` rows (a
//! dry-run listing, then a listing, a removal and a read-back per row: 12 s of requests at
//! the limit) runs at concurrency 8 asking for 1,000 a second. Reported per limit, against
//! the limit itself measured in the same run: requests the gateway accepted per second of the
//! job, as a fraction of the limit (budget ≥ 0.70), and the share of requests it refused.
//! Every card must end removed once (checked; the bench fails otherwise).
//!
//! Run: `cargo bench -p desk --bench rate_limit` (about 40 seconds).

use std::sync::Arc;
use std::time::Instant;

use assist::{BaseUrl, Client, ClientConfig, Login, MerchantId, Password};
use assist_sandbox::{FaultPlan, Sandbox, SandboxConfig, Seed};
use desk::audit::{AuditLog, Operator, ProfileRef};
use desk::bulk::{BulkJob, ColumnMap, JobControl, JobDefaults, JobTarget, RowState, RunOptions};
use desk::{Environment, Revoker};

const LIMITS: [f64; 3] = [20.0, 60.0, 200.0];
const BUDGET: f64 = 0.70;

fn token(i: usize) -> String {
    format!("{i:08X}-0000-4000-8000-{:012X}", i * 16)
}

fn seed(n: usize) -> Seed {
    let customers: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"customerNumber":"C{i}","cards":[{{"expire":"12.2030","token":"{}","bank":"","brand":"VISA","bin":412362,"active":true,"needCVC":false,"post":"{:04}","assets":[]}}]}}"#,
                token(i),
                i % 10_000
            )
        })
        .collect();
    let json = format!(
        r#"{{"merchants":[{{"merchantId":452739,"name":"Bench","language":"EN","oneClick":{{"enabled":true,"mode":"standard"}},"customers":[{}]}}],
"users":[{{"login":"LOGIN","password":"PASSWORD","merchantId":452739,"webService":true}}]}}"#,
        customers.join(",")
    );
    Seed::from_json(&json).expect("bench seed")
}

/// One job against a gateway limited to `limit`; (accepted per second, refused share).
async fn measure(limit: f64) -> (f64, f64) {
    let rows = (limit * 3.0) as usize;
    let sb = Sandbox::start(SandboxConfig {
        seed: seed(rows),
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox");
    sb.faults().set(FaultPlan {
        requests_per_second: limit,
        ..FaultPlan::default()
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let mut csv = String::from("customer;last4\n");
    for i in 0..rows {
        csv.push_str(&format!("C{i};{:04}\n", i % 10_000));
    }
    let job = BulkJob::create(
        dir.path(),
        "bench.csv",
        csv.as_bytes(),
        &ColumnMap::default(),
        JobTarget {
            server: sb.url(),
            merchant_id: "452739".into(),
            login: "LOGIN".into(),
            environment: None,
            profile_id: None,
        },
        JobDefaults::default(),
    )
    .expect("job");
    let client = Client::new(ClientConfig::new(
        BaseUrl::new(&sb.url()).expect("url"),
        MerchantId::new("452739").expect("merchant"),
        Login::new("LOGIN").expect("login"),
        Password::new("PASSWORD").expect("password"),
    ))
    .expect("client");
    let operator = Operator::from_env(Some("rate limit bench"));
    let audit = Arc::new(AuditLog::open(dir.path(), &operator).expect("audit log"));
    let profile = ProfileRef {
        id: "bench".into(),
        name: "Bench".into(),
        environment: Environment::Sandbox,
        merchant_id: "452739".into(),
    };
    let revoker = Arc::new(Revoker::new(client, profile, audit.clone(), operator));
    let options = RunOptions {
        concurrency: 8,
        rate: Some(1000.0),
        patience_secs: None,
    };
    let started = Instant::now();
    let summary = job
        .run(revoker, audit, &options, &JobControl::new(), None)
        .await
        .expect("run");
    let took = started.elapsed().as_secs_f64();
    assert_eq!(
        summary.states.get(&RowState::Done).copied(),
        Some(rows as u64),
        "{summary:?}"
    );
    for i in 0..rows {
        let e = sb.ledger().entry(&token(i));
        assert!(
            e.effective_removals == 1 && e.calls_after_removal == 0,
            "C{i}: {e:?}"
        );
    }
    let seen = sb.requests_seen() as f64;
    let refused = sb.requests_refused() as f64;
    sb.shutdown().await;
    ((seen - refused) / took, refused / seen.max(1.0))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    println!("limit/s  accepted/s  fraction of limit  refused share");
    let mut worst: f64 = f64::INFINITY;
    for limit in LIMITS {
        let (accepted, refused) = measure(limit).await;
        let fraction = accepted / limit;
        worst = worst.min(fraction);
        println!(
            "{limit:>7.0}  {accepted:>10.1}  {fraction:>17.2}  {:>12.1} %",
            refused * 100.0
        );
    }
    println!(
        "worst fraction {worst:.2} (budget ≥ {BUDGET:.2}): {}",
        if worst >= BUDGET { "ok" } else { "OVER BUDGET" }
    );
}
