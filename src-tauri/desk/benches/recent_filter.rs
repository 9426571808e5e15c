//! Budget (docs/design.md §7): the local filter over 100,000 cached customers answers in ≤ 30 ms at
//! the 95th percentile. Criterion measures the filter and a baseline in the same run — a plain
//! case-sensitive `Vec<String>` scan with `str::contains`, the least any filter must do — and
//! a timed loop prints each one's p50/p95 and their ratio, since criterion reports means and
//! medians but not percentiles.
//!
//! Run: `cargo bench -p desk --bench recent_filter` (about 20 s).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group};
use desk::recent::{RecentCustomer, RecentIndex};

const CUSTOMERS: usize = 100_000;
const LIMIT: usize = 50;
const BUDGET_MS: f64 = 30.0;

/// Realistic mixed customer numbers: numeric ids, prefixed ids in mixed case, Cyrillic.
fn customers() -> Vec<RecentCustomer> {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..CUSTOMERS)
        .map(|i| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let customer = match i % 4 {
                0 => format!("{:010}", seed % 10_000_000_000),
                1 => format!("CUST-{:07}", seed % 10_000_000),
                2 => format!("Shop{}-Client{}", seed % 97, seed % 100_000),
                _ => format!("клиент-{}", seed % 1_000_000),
            };
            RecentCustomer {
                customer,
                last_lookup: i as i64,
                card_count: (i % 5) as u32,
            }
        })
        .collect()
}

/// The least a filter must do: a case-sensitive substring scan over the raw strings.
fn baseline(all: &[String], query: &str, limit: usize) -> Vec<String> {
    all.iter()
        .rev()
        .filter(|s| s.contains(query))
        .take(limit)
        .cloned()
        .collect()
}

/// (name, query). A query with few or no hits scans all 100,000 entries; a rare first byte
/// lets `contains` skip fast, common digits make it the slowest case. Frequent hits stop at
/// `LIMIT`.
const QUERIES: [(&str, &str); 4] = [
    ("miss_letters", "zz-no-such-customer"),
    ("rare_digits", "4242424"),
    ("many_digits", "042"),
    ("cyrillic", "клиент-99"),
];

fn bench(c: &mut Criterion) {
    let customers = customers();
    let raw: Vec<String> = customers.iter().map(|r| r.customer.clone()).collect();
    let index = RecentIndex::new(customers);
    let mut group = c.benchmark_group("recent_filter_100k");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(2));
    for (name, query) in QUERIES {
        group.bench_function(format!("index/{name}"), |b| {
            b.iter(|| index.filter(black_box(query), LIMIT))
        });
        group.bench_function(format!("baseline/{name}"), |b| {
            b.iter(|| baseline(&raw, black_box(query), LIMIT))
        });
    }
    group.finish();
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn p50_p95(mut ms: Vec<f64>) -> (f64, f64) {
    ms.sort_by(f64::total_cmp);
    (percentile(&ms, 0.50), percentile(&ms, 0.95))
}

fn time_ms(f: impl FnOnce()) -> f64 {
    let t = Instant::now();
    f();
    t.elapsed().as_secs_f64() * 1000.0
}

/// p50/p95 per query for the index and the baseline, alternating run by run so both see the
/// same machine (other builds may be running).
fn report_percentiles(runs: usize) {
    let customers = customers();
    let raw: Vec<String> = customers.iter().map(|r| r.customer.clone()).collect();
    let index = RecentIndex::new(customers);
    println!("recent_filter: {CUSTOMERS} customers, limit {LIMIT}, {runs} runs per query");
    let mut worst_p95: f64 = 0.0;
    for (name, query) in QUERIES {
        let (mut ours, mut base) = (Vec::with_capacity(runs), Vec::with_capacity(runs));
        for _ in 0..runs {
            ours.push(time_ms(|| {
                black_box(index.filter(black_box(query), LIMIT));
            }));
            base.push(time_ms(|| {
                black_box(baseline(&raw, black_box(query), LIMIT));
            }));
        }
        let ((i50, i95), (b50, b95)) = (p50_p95(ours), p50_p95(base));
        worst_p95 = worst_p95.max(i95);
        println!(
            "  {name:<12} index p50 {i50:6.3} ms p95 {i95:6.3} ms | baseline p50 {b50:6.3} ms \
             p95 {b95:6.3} ms | ratio p50 {:4.2}x p95 {:4.2}x",
            i50 / b50,
            i95 / b95
        );
    }
    let verdict = if worst_p95 <= BUDGET_MS {
        "within"
    } else {
        "OVER"
    };
    println!("  worst p95 {worst_p95:.3} ms: {verdict} the {BUDGET_MS} ms budget");
}

criterion_group!(benches, bench);

fn main() {
    // `cargo test --benches` / `cargo bench -- --test` run a quick smoke pass.
    let smoke = std::env::args().any(|a| a == "--test");
    report_percentiles(if smoke { 3 } else { 200 });
    benches();
    Criterion::default().configure_from_args().final_summary();
}
