//! Parsing cost: the documentation's several-cards reply, and a generated 200-card reply with
//! card art against the design budget (docs/design.md §7: ≤ 1 ms), printed after the run.
#![allow(clippy::unwrap_used)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use assist::reply::interpret_list;
use criterion::{Criterion, criterion_group, criterion_main};

fn several_cards() -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/assist/token-response-several-cards.json");
    std::fs::read(path).unwrap()
}

/// 200 cards shaped like the documentation's MasterCard: four assets each, PDF included.
fn two_hundred_cards() -> Vec<u8> {
    let doc: serde_json::Value = serde_json::from_slice(&several_cards()).unwrap();
    let template = doc[1].clone();
    let cards: Vec<serde_json::Value> = (0..200u32)
        .map(|i| {
            let mut card = template.clone();
            card["token"] = format!("{i:08X}-B701-47B0-779A-BB0CB5F25A14").into();
            card["post"] = format!("{:04}", i * 37 % 10_000).into();
            card["bin"] = (518_615 + i).into();
            card
        })
        .collect();
    serde_json::to_vec(&cards).unwrap()
}

fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2].as_secs_f64() * 1000.0
}

fn parse(c: &mut Criterion) {
    let doc = several_cards();
    let big = two_hundred_cards();
    assert_eq!(interpret_list(200, &big).unwrap().len(), 200);

    let mut group = c.benchmark_group("parse");
    group.sample_size(20);
    group.warm_up_time(Duration::from_millis(300));
    group.measurement_time(Duration::from_secs(1));
    group.bench_function("doc_several_cards", |b| {
        b.iter(|| interpret_list(200, black_box(&doc)).unwrap())
    });
    group.bench_function("generated_200_cards_with_media", |b| {
        b.iter(|| interpret_list(200, black_box(&big)).unwrap())
    });
    group.finish();

    let ms = median_ms(200, || {
        black_box(interpret_list(200, black_box(&big)).unwrap());
    });
    // The floor: serde_json only scanning the same bytes, building nothing.
    let scan = median_ms(200, || {
        black_box(serde_json::from_slice::<serde::de::IgnoredAny>(black_box(&big)).unwrap());
    });
    println!(
        "parse 200-card reply ({} KiB): median {ms:.3} ms — budget 1 ms: {} (serde_json scan alone: {scan:.3} ms)",
        big.len() / 1024,
        if ms <= 1.0 { "within" } else { "OVER" }
    );
}

criterion_group!(benches, parse);
criterion_main!(benches);
