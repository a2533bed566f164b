//! The fuzz targets' seed corpus and regression inputs (`fuzz/corpus/<target>/`), replayed on
//! stable through the same invariant checks the targets run (`phiguard::invariants`).

use std::path::Path;

use phiguard::invariants;

/// Every committed input of every target passes its checks.
#[test]
fn every_corpus_file_passes_its_target_checks() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let mut total = 0;
    for target in invariants::TARGETS {
        let dir = root.join(target);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        assert!(!files.is_empty(), "{target}: no seeds");
        for file in files {
            let bytes = std::fs::read(&file).unwrap();
            let name = file.display().to_string();
            let outcome = std::panic::catch_unwind(|| invariants::run(target, &bytes));
            assert!(outcome.is_ok(), "{target}: {name} breaks an invariant");
            total += 1;
        }
    }
    // Twelve targets, each with seeds (a lower bound: regression inputs are added over time).
    assert!(total >= 36, "only {total} corpus files");
}

/// The list of targets is the list of corpus folders and of fuzz target files.
#[test]
fn every_target_has_a_corpus_and_a_fuzz_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut corpora: Vec<String> = std::fs::read_dir(root.join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    corpora.sort();
    let mut targets: Vec<String> = std::fs::read_dir(root.join("fuzz_targets"))
        .unwrap()
        .map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.strip_suffix(".rs").unwrap().to_owned()
        })
        .collect();
    targets.sort();
    let mut expected: Vec<String> = invariants::TARGETS.iter().map(|t| t.to_string()).collect();
    expected.sort();
    assert_eq!(corpora, expected);
    assert_eq!(targets, expected);
}
