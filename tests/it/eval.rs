//! Guards the accuracy figures recorded in docs/ACCURACY.md: the identifier corpora in
//! fixtures/eval must keep their span recall and precision. Thresholds sit a little under what
//! the packs reach, so a regression fails and noise does not.

use std::path::Path;

use phiguard::assess::RiskModel;
use phiguard::category::{Category, RiskLevel};
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

/// Post-level recall and false-positive rate at `--fail-on medium`, and name span recall and
/// precision, must stay at or above (below, for the false-positive rate) the floors given.
#[track_caller]
fn assert_posts(file: &str, min_posts: usize, floors: PostFloors) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/eval")
        .join(file);
    let cases = parse_corpus(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(cases.len() >= min_posts, "{file} lost posts");
    let phi = cases.iter().filter(|c| c.phi).count();
    assert!(
        phi * 10 >= cases.len() * 4 && phi * 10 <= cases.len() * 6,
        "{file}: about half the posts disclose PHI ({phi}/{})",
        cases.len()
    );
    let model = RiskModel::default();
    let scanner = Scanner {
        engine: engine(),
        model: &model,
    };
    let s = score(&cases, &scanner, RiskLevel::Medium).unwrap();
    let misses: Vec<String> = s
        .misses
        .iter()
        .map(|m| format!("{}: {}", m.id, m.what))
        .collect();
    let misses = misses.join("\n");
    assert!(
        s.post_recall() >= floors.post_recall,
        "{file}: post recall {:.3}\n{misses}",
        s.post_recall()
    );
    assert!(
        s.false_positive_rate() <= floors.max_fpr,
        "{file}: false-positive rate {:.3}\n{misses}",
        s.false_positive_rate()
    );
    let names = &s.by_category[&Category::Name];
    assert!(
        names.recall() >= floors.name_recall,
        "{file}: name recall {:.3}\n{misses}",
        names.recall()
    );
    assert!(
        names.precision() >= floors.name_precision,
        "{file}: name precision {:.3}\n{misses}",
        names.precision()
    );
}

struct PostFloors {
    post_recall: f64,
    max_fpr: f64,
    name_recall: f64,
    name_precision: f64,
}

/// The posts corpus phiguard was tuned on: post recall 0.984, false-positive rate 0.005, name
/// recall 0.959 and precision 1.000 when recorded.
#[test]
fn posts_corpus_keeps_its_verdicts_and_names() {
    assert_posts(
        "posts.jsonl",
        360,
        PostFloors {
            post_recall: 0.97,
            max_fpr: 0.02,
            name_recall: 0.94,
            name_precision: 0.98,
        },
    );
}

/// The second posts corpus (blind when first measured: post recall 0.839, false-positive rate
/// 0.123): post recall 0.938, false-positive rate 0.031, name recall 0.894 and precision 0.959
/// when recorded.
#[test]
fn posts_holdout_corpus_keeps_its_verdicts_and_names() {
    assert_posts(
        "posts-holdout.jsonl",
        320,
        PostFloors {
            post_recall: 0.91,
            max_fpr: 0.045,
            name_recall: 0.88,
            name_precision: 0.94,
        },
    );
}

/// The third posts corpus (blind when first measured: post recall 0.855, false-positive rate
/// 0.055, names 0.885 / 0.965): post recall 0.918, false-positive rate 0.018, name recall 0.885
/// and precision 0.965 when recorded.
#[test]
fn posts_holdout2_corpus_keeps_its_verdicts_and_names() {
    assert_posts(
        "posts-holdout2.jsonl",
        215,
        PostFloors {
            post_recall: 0.89,
            max_fpr: 0.04,
            name_recall: 0.86,
            name_precision: 0.94,
        },
    );
}
