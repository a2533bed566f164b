//! Engine benchmarks (divan): building the engine, scanning single posts, and scanning 1 MB of
//! posts, each with the built-in packs. Run with `cargo bench`; end-to-end figures against
//! ripgrep come from `scripts/bench.sh` (docs/PERFORMANCE.md).
//!
//! The posts are the invented ones of `fixtures/eval/posts.jsonl` (every identifier made up).

use std::sync::LazyLock;

use divan::{Bencher, black_box, counter::BytesCount};
use phiguard::assess::RiskModel;
use phiguard::detect::Engine;
use phiguard::extract::{Document, Extracted, extract};
use phiguard::pack::{Pack, PackSource, parse};
use phiguard::scan::Scanner;

fn main() {
    divan::main();
}

fn packs() -> Vec<Pack> {
    PackSource::builtin()
        .iter()
        .map(|src| parse(src).expect("built-in packs parse").0)
        .collect()
}

static ENGINE: LazyLock<Engine> =
    LazyLock::new(|| Engine::build(&packs()).expect("built-in packs compile"));

/// The texts of the evaluation posts, in file order.
static POSTS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let jsonl = include_str!("../fixtures/eval/posts.jsonl");
    jsonl
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("eval posts are JSON");
            v["text"]
                .as_str()
                .expect("every post has a text")
                .to_owned()
        })
        .collect()
});

/// About 1 MB of posts: the evaluation posts repeated, a blank line between posts.
static MEGABYTE: LazyLock<String> = LazyLock::new(|| {
    let mut text = String::new();
    while text.len() < 1 << 20 {
        for p in POSTS.iter() {
            text.push_str(p);
            text.push_str("\n\n");
        }
    }
    text
});

/// Parsing the built-in packs and building the engine: what every run pays before scanning.
#[divan::bench(sample_count = 20)]
fn build_engine() -> Engine {
    Engine::build(&packs()).expect("built-in packs compile")
}

/// One short post, identifiers and health context in it.
#[divan::bench]
fn scan_one_post(bencher: Bencher) {
    let post = "So proud of our NICU grad Liam! Born 3/14 at 28 weeks, home today after 41 days. \
                Call (555) 555-0142 or email family@example.com. #NICUgrad 💙";
    let engine = &*ENGINE;
    bencher
        .counter(BytesCount::of_str(post))
        .bench(|| engine.scan_detailed(black_box(post)));
}

/// Every evaluation post, one at a time (about 300 posts, PHI and clean).
#[divan::bench]
fn scan_eval_posts(bencher: Bencher) {
    let engine = &*ENGINE;
    let bytes: usize = POSTS.iter().map(String::len).sum();
    bencher.counter(BytesCount::new(bytes)).bench(|| {
        for p in POSTS.iter() {
            black_box(engine.scan_detailed(black_box(p)));
        }
    });
}

/// 1 MB of posts as one text: the detectors alone.
#[divan::bench(sample_count = 10)]
fn scan_megabyte(bencher: Bencher) {
    let engine = &*ENGINE;
    let text = MEGABYTE.as_str();
    bencher
        .counter(BytesCount::of_str(text))
        .bench(|| engine.scan_detailed(black_box(text)));
}

/// 1 MB of posts as a JSON Lines export, one post a line: extraction, detection and the risk
/// assessment of every post, as `phiguard scan` does for one file.
#[divan::bench(sample_count = 10)]
fn extract_scan_assess_megabyte_jsonl(bencher: Bencher) {
    let mut jsonl = String::new();
    while jsonl.len() < 1 << 20 {
        for p in POSTS.iter() {
            jsonl.push_str(&serde_json::json!({ "text": p }).to_string());
            jsonl.push('\n');
        }
    }
    let model = RiskModel::default();
    let scanner = Scanner {
        engine: &ENGINE,
        model: &model,
    };
    bencher.counter(BytesCount::of_str(&jsonl)).bench(|| {
        let doc: Document = match extract("posts.jsonl", jsonl.clone().into_bytes(), true) {
            Extracted::Document(doc, _) => doc,
            Extracted::Skipped(note) => panic!("not read: {}", note.message),
        };
        scanner.scan_document(&doc)
    });
}
