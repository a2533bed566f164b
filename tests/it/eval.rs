//! Guards the accuracy figures recorded in docs/ACCURACY.md: the identifier corpora in
//! fixtures/eval must keep their span recall and precision. Thresholds sit a little under what
//! the packs reach, so a regression fails and noise does not.

use std::path::Path;

use phiguard::assess::RiskModel;
use phiguard::category::RiskLevel;
use phiguard::eval::{parse_corpus, score};
use phiguard::scan::Scanner;

use crate::util::engine;

/// Scores `file` and asserts overall and per-category floors.
#[track_caller]
fn assert_corpus(file: &str, min_posts: usize, overall: f64, per_category: f64) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/eval")
        .join(file);
    let cases = parse_corpus(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(
        cases.len() >= min_posts,
        "{file} lost posts: {}",
        cases.len()
    );
    let model = RiskModel::default();
    let scanner = Scanner {
        engine: engine(),
        model: &model,
    };
    let s = score(&cases, &scanner, RiskLevel::Medium).unwrap();
    let total = s.total();
    let misses: Vec<String> = s
        .misses
        .iter()
        .map(|m| format!("{}: {}", m.id, m.what))
        .collect();
    assert!(
        total.recall() >= overall,
        "{file}: span recall {:.3}\n{}",
        total.recall(),
        misses.join("\n")
    );
    assert!(
        total.precision() >= 0.97,
        "{file}: span precision {:.3}\n{}",
        total.precision(),
        misses.join("\n")
    );
    for (category, t) in &s.by_category {
        assert!(
            t.recall() >= per_category,
            "{file}: {category} recall {:.3} ({}/{})",
            t.recall(),
            t.found,
            t.labelled
        );
        assert!(
            t.precision() >= 0.85,
            "{file}: {category} precision {:.3}",
            t.precision()
        );
    }
}

/// The development corpus: span recall 0.998, precision 1.000 when recorded.
#[test]
fn identifier_corpus_keeps_its_span_recall_and_precision() {
    assert_corpus("identifiers.jsonl", 240, 0.97, 0.85);
}

/// The second corpus (blind when first measured): span recall 0.954, precision 0.998 when
/// recorded.
#[test]
fn holdout_corpus_keeps_its_span_recall_and_precision() {
    assert_corpus("identifiers-holdout.jsonl", 250, 0.93, 0.80);
}
