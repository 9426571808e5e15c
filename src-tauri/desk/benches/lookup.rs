//! Budgets (docs/design.md §7): a cached customer lookup through the desk (what a command calls in
//! one line) answers in ≤ 5 ms median; an uncached lookup adds ≤ 2 ms median over the
//! sandbox's own response time. Both are measured here against baselines taken in the same
//! run: the uncached lookup beside a bare reqwest POST of the same request to the same sandbox.
//! The customer has 25 cards with art (more than the budget's 10).
//!
//! Run: `cargo bench -p desk --bench lookup` (a few seconds).

use std::sync::Arc;
use std::time::{Duration, Instant};

use assist_sandbox::{Sandbox, SandboxConfig};
use desk::profiles::Settings;
use desk::secrets::{ChosenStore, MemoryStore};
use desk::{Desk, DeskConfig};

const CUSTOMER: &str = "100025";
const ROUNDS: usize = 300;

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn time<F, Fut>(rounds: usize, mut f: F) -> Vec<Duration>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut out = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let t = Instant::now();
        f().await;
        out.push(t.elapsed());
    }
    out
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let sandbox = Sandbox::start(SandboxConfig::default()).await.expect("sandbox");
        let dir = tempfile::tempdir().expect("temp dir");
        let desk = Desk::open(DeskConfig {
            config_dir: dir.path().join("config"),
            data_dir: dir.path().join("data"),
            sandbox_url: Some(sandbox.url()),
            secrets: ChosenStore { store: Arc::new(MemoryStore::new()), fallback_reason: None },
        })
        .expect("desk");
        desk.save_settings(Settings {
            freshness_minutes: 60,
            record_lookups: true,
            ..Settings::default()
        })
        .expect("settings");
        let cards = desk.lookup(CUSTOMER, true).await.expect("warm-up").cards.len();

        let mut cached = time(ROUNDS, || async {
            let l = desk.lookup(CUSTOMER, false).await.expect("cached lookup");
            assert_eq!(l.cards.len(), cards);
        })
        .await;

        let http = reqwest::Client::builder().no_proxy().build().expect("http");
        let url = format!("{}/pay/oneclick/v1/token.cfm", sandbox.url());
        let body = format!(
            r#"{{"merchant":{{"merchant_id":"452739","login":"LOGIN","password":"PASSWORD"}},"customernumber":"{CUSTOMER}","language":"EN"}}"#
        );
        let mut bare = time(ROUNDS, || async {
            let r = http.post(&url).body(body.clone()).send().await.expect("post");
            r.bytes().await.expect("body");
        })
        .await;
        let mut uncached = time(ROUNDS, || async {
            desk.lookup(CUSTOMER, true).await.expect("uncached lookup");
        })
        .await;

        let (c50, c95) = (percentile(&mut cached, 0.5), percentile(&mut cached, 0.95));
        let (b50, u50) = (percentile(&mut bare, 0.5), percentile(&mut uncached, 0.5));
        println!("lookup of {cards} cards, {ROUNDS} rounds each");
        println!("cached lookup:        median {:.3} ms, p95 {:.3} ms (budget ≤ 5 ms median)", ms(c50), ms(c95));
        println!("sandbox, bare POST:   median {:.3} ms", ms(b50));
        println!("uncached lookup:      median {:.3} ms", ms(u50));
        println!(
            "uncached overhead:    {:.3} ms over the sandbox's own time, ratio {:.2} (budget ≤ 2 ms)",
            ms(u50.saturating_sub(b50)),
            u50.as_secs_f64() / b50.as_secs_f64()
        );
        sandbox.shutdown().await;
    });
}
