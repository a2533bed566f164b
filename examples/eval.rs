//! Scores phiguard against labelled corpora of posts (`fixtures/eval/*.jsonl` by default):
//! post-level recall and false-positive rate at `--fail-on` (default medium), and span recall
//! and precision per identifier category.
//!
//! ```sh
//! cargo run --release --example eval                       # every corpus in fixtures/eval
//! cargo run --release --example eval -- --details FILE...  # also list every miss and extra
//! ```
//!
//! The figures are recorded in `docs/ACCURACY.md` and guarded by `tests/it/eval.rs`.

use std::path::PathBuf;

use phiguard::app::PackSelection;
use phiguard::assess::RiskModel;
use phiguard::category::RiskLevel;
use phiguard::eval::{parse_corpus, score};
use phiguard::scan::Scanner;

fn main() {
    let mut details = false;
    let mut fail_on = RiskLevel::Medium;
    let mut files: Vec<PathBuf> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--details" => details = true,
            "--fail-on" => {
                let v = args.next().unwrap_or_default();
                fail_on = match v.as_str() {
                    "low" => RiskLevel::Low,
                    "medium" => RiskLevel::Medium,
                    "high" => RiskLevel::High,
                    _ => die(&format!("--fail-on takes low, medium or high, not {v:?}")),
                };
            }
            _ => files.push(PathBuf::from(a)),
        }
    }
    if files.is_empty() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/eval");
        let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| die(&format!("cannot read {}: {e}", dir.display())))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .collect();
        found.sort();
        files = found;
    }
    let (engine, _) = PackSelection::default()
        .engine()
        .unwrap_or_else(|e| die(&e.to_string()));
    let model = RiskModel::default();
    let scanner = Scanner {
        engine: &engine,
        model: &model,
    };
    for file in &files {
        let text = std::fs::read_to_string(file)
            .unwrap_or_else(|e| die(&format!("cannot read {}: {e}", file.display())));
        let cases =
            parse_corpus(&text).unwrap_or_else(|e| die(&format!("{}: {e}", file.display())));
        let s = score(&cases, &scanner, fail_on).unwrap_or_else(|e| die(&e));
        println!("## {} ({} posts)\n", file.display(), s.posts);
        println!(
            "Posts at --fail-on {fail_on}: recall {:.3} ({}/{} PHI posts flagged), false-positive rate {:.3} ({}/{} clean posts flagged)\n",
            s.post_recall(),
            s.true_positives,
            s.phi_posts,
            s.false_positive_rate(),
            s.false_positives,
            s.clean_posts
        );
        println!("| category | labelled | found | recall | exact | reported | precision |");
        println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        let total = s.total();
        let rows = s.by_category.iter().map(|(c, t)| (c.to_string(), t));
        for (name, t) in rows.chain([("**all**".to_owned(), &total)]) {
            println!(
                "| {name} | {} | {} | {:.3} | {} | {} | {:.3} |",
                t.labelled,
                t.found,
                t.recall(),
                t.exact,
                t.reported,
                t.precision()
            );
        }
        if details {
            println!();
            for m in &s.misses {
                println!("- {}: {}", m.id, m.what);
            }
        }
        println!();
    }
}

fn die(msg: &str) -> ! {
    eprintln!("eval: {msg}");
    std::process::exit(2);
}
