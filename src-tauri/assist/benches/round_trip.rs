//! The client's own overhead on a listing: `Client::list_cards` against the sandbox, beside a
//! bare reqwest POST of the same body to the same sandbox in the same run (docs/design.md §7:
//! uncached lookup overhead ≤ 2 ms over the sandbox's own time). Prints both medians and
//! their ratio.
#![allow(clippy::unwrap_used)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use assist::{BaseUrl, Client, ClientConfig, CustomerNumber, Login, MerchantId, Password};
use assist_sandbox::{Sandbox, SandboxConfig};
use criterion::{Criterion, criterion_group, criterion_main};
use tokio::runtime::Runtime;

/// The documentation's list request (docs/assist-api.md §4), as the bare baseline sends it.
const DOC_BODY: &str = r#"{"merchant":{"merchant_id":"452739","login":"LOGIN","password":"PASSWORD"},"customernumber":"1234","language":"RU"}"#;

struct Setup {
    runtime: Runtime,
    sandbox: Sandbox,
    client: Client,
    bare: reqwest::Client,
    list_url: String,
    customer: CustomerNumber,
}

fn setup() -> Setup {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let sandbox = runtime
        .block_on(Sandbox::start(SandboxConfig::default()))
        .unwrap();
    let mut config = ClientConfig::new(
        BaseUrl::new(&sandbox.url()).unwrap(),
        MerchantId::new("452739").unwrap(),
        Login::new("LOGIN").unwrap(),
        Password::new("PASSWORD").unwrap(),
    );
    config.language = Some(assist::Language::Ru);
    let client = Client::new(config).unwrap();
    let bare = reqwest::Client::builder().no_proxy().build().unwrap();
    let list_url = format!("{}/pay/oneclick/v1/token.cfm", sandbox.url());
    Setup {
        runtime,
        sandbox,
        client,
        bare,
        list_url,
        customer: CustomerNumber::new("1234").unwrap(),
    }
}

async fn bare_post(s: &Setup) -> usize {
    s.bare
        .post(&s.list_url)
        .header("content-type", "application/json; charset=utf-8")
        .body(DOC_BODY)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .len()
}

fn median_us<F: FnMut()>(runs: usize, mut f: F) -> f64 {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2].as_secs_f64() * 1e6
}

fn round_trip(c: &mut Criterion) {
    let s = setup();
    let cards = s
        .runtime
        .block_on(s.client.list_cards(&s.customer))
        .unwrap();
    assert_eq!(cards.len(), 3);

    let mut group = c.benchmark_group("list_round_trip");
    group.sample_size(20);
    group.warm_up_time(Duration::from_millis(300));
    group.measurement_time(Duration::from_secs(2));
    group.bench_function("bare_reqwest_post", |b| {
        b.iter(|| s.runtime.block_on(bare_post(&s)))
    });
    group.bench_function("client_list_cards", |b| {
        b.iter(|| {
            s.runtime
                .block_on(s.client.list_cards(black_box(&s.customer)))
                .unwrap()
        })
    });
    group.finish();

    // Interleave the two so that machine noise hits both alike.
    let mut bare = Vec::new();
    let mut ours = Vec::new();
    for _ in 0..5 {
        bare.push(median_us(40, || {
            black_box(s.runtime.block_on(bare_post(&s)));
        }));
        ours.push(median_us(40, || {
            black_box(
                s.runtime
                    .block_on(s.client.list_cards(&s.customer))
                    .unwrap(),
            );
        }));
    }
    bare.sort_by(f64::total_cmp);
    ours.sort_by(f64::total_cmp);
    let (bare, ours) = (bare[2], ours[2]);
    println!(
        "list round trip: client {ours:.0} µs, bare reqwest {bare:.0} µs, ratio {:.2}, overhead {:.0} µs (budget 2000 µs)",
        ours / bare,
        ours - bare
    );
    s.runtime.block_on(s.sandbox.shutdown());
}

criterion_group!(benches, round_trip);
criterion_main!(benches);
