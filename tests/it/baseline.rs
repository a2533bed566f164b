//! Baselines end to end, in real git repositories: `phiguard baseline create|update` and
//! `phiguard scan --baseline FILE`. Accepted findings stay hidden when lines move, new ones are
//! reported, removed ones are reported as stale entries, and the file holds no value.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::util::phiguard;

const BASELINE: &str = ".phiguard-baseline.json";

/// The post the baseline accepts: a patient's name and an SSN.
const STORY: &str = "Our patient Jaylen Brooks rang the bell after chemo.\nSSN 987-65-4321\n";

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let ok = Command::new("git")
        .args(["init", "-q"])
        .current_dir(dir.path())
        .status()
        .unwrap()
        .success();
    assert!(ok, "git init");
    std::fs::create_dir(dir.path().join("posts")).unwrap();
    dir
}

/// Runs phiguard in `dir`; returns the exit code, stdout and stderr.
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = phiguard().current_dir(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn json_scan(dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["scan", "--format", "json"];
    all.extend_from_slice(args);
    let (code, stdout, _) = run(dir, &all);
    (code, serde_json::from_str(&stdout).expect("a JSON report"))
}

fn baseline_of(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join(BASELINE)).unwrap()).unwrap()
}

#[test]
fn accepted_findings_stay_hidden_when_lines_move() {
    let dir = repo();
    let d = dir.path();
    std::fs::write(d.join("posts/story.md"), STORY).unwrap();
    // Without a baseline the post fails.
    let (code, _, _) = run(d, &["scan"]);
    assert_eq!(code, 1);

    let (code, stdout, stderr) = run(d, &["baseline", "create"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        format!("wrote {BASELINE}: 2 entries in 1 file (2 added, 0 dropped)\n")
    );
    let (code, stdout, _) = run(d, &["scan", "--baseline", BASELINE]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("2 findings hidden by the baseline.\n"),
        "{stdout}"
    );

    // Lines added above the findings: their line numbers change, the baseline still holds.
    std::fs::write(
        d.join("posts/story.md"),
        format!("# Bell day\n\nA long-awaited moment.\n\n{STORY}"),
    )
    .unwrap();
    let (code, report) = json_scan(d, &["--baseline", BASELINE]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["summary"]["findings"], 0);
    assert_eq!(report["summary"]["allowed"], 2);
    assert_eq!(
        report["summary"]["baseline"],
        serde_json::json!({"hidden": 2, "stale": 0})
    );
    // Hidden findings are listed as allowed, with the baseline as their reason.
    let post = &report["posts"][0];
    assert_eq!(post["risk"], "low");
    let reasons: Vec<&str> = post["allowed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["reason"].as_str().unwrap())
        .collect();
    assert_eq!(
        reasons,
        [
            "in the baseline .phiguard-baseline.json",
            "in the baseline .phiguard-baseline.json"
        ]
    );
}

#[test]
fn new_findings_are_reported_and_removed_ones_are_stale() {
    let dir = repo();
    let d = dir.path();
    std::fs::write(d.join("posts/story.md"), STORY).unwrap();
    std::fs::write(
        d.join("posts/clinic.txt"),
        "Flu shots: call (555) 555-0142.\n",
    )
    .unwrap();
    assert_eq!(run(d, &["baseline", "create"]).0, 0);

    // A new patient in the story, the SSN gone, the clinic post deleted.
    std::fs::write(
        d.join("posts/story.md"),
        "Our patient Jaylen Brooks rang the bell after chemo.\n\
         Our patient Marisol Petrakis had surgery today.\n",
    )
    .unwrap();
    std::fs::remove_file(d.join("posts/clinic.txt")).unwrap();
    let (code, stdout, _) = run(d, &["scan", "--baseline", BASELINE]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("2:13  name  M****** P*******"), "{stdout}");
    assert!(!stdout.contains("1:13  name"), "{stdout}");
    assert!(
        stdout.contains(
            "note: .phiguard-baseline.json: 2 baseline entries no longer found (stale): \
             hipaa.phone.nanp in posts/clinic.txt, hipaa.ssn.dashed in posts/story.md; \
             `phiguard baseline update` drops them\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("1 finding hidden by the baseline; 2 entries no longer found.\n"),
        "{stdout}"
    );
    let (_, report) = json_scan(d, &["--baseline", BASELINE]);
    assert_eq!(
        report["summary"]["baseline"],
        serde_json::json!({"hidden": 1, "stale": 2})
    );

    // Update: the salt stays, the new name is added, the stale entries go.
    let salt = baseline_of(d)["salt"].clone();
    let (code, stdout, _) = run(d, &["baseline", "update"]);
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        format!("wrote {BASELINE}: 2 entries in 1 file (1 added, 2 dropped)\n")
    );
    let b = baseline_of(d);
    assert_eq!(b["salt"], salt);
    let rules: Vec<(&str, &str)> = b["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["rule"].as_str().unwrap(), e["path"].as_str().unwrap()))
        .collect();
    assert_eq!(
        rules,
        [
            ("hipaa.name.patient", "posts/story.md"),
            ("hipaa.name.patient", "posts/story.md")
        ]
    );
    let (code, stdout, _) = run(d, &["scan", "--baseline", BASELINE]);
    assert_eq!(code, 0, "{stdout}");
    assert!(!stdout.contains("stale"), "{stdout}");
}

#[test]
fn the_baseline_holds_no_value() {
    let dir = repo();
    let d = dir.path();
    std::fs::write(
        d.join("posts/story.md"),
        "Our patient Jaylen Brooks rang the bell after chemo.\nSSN 987-65-4321, MRN 00482913, \
         email jaylen.brooks@example.com, call (555) 555-0142.\n",
    )
    .unwrap();
    assert_eq!(run(d, &["baseline", "create"]).0, 0);
    let text = std::fs::read_to_string(d.join(BASELINE)).unwrap();
    let b: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(b["schema"], "phiguard.baseline/1");
    assert_eq!(b["entries"].as_array().unwrap().len(), 5, "{text}");
    // The salt and fingerprints are random-looking hex digits that may hold "555" by chance:
    // look for the values in everything else.
    let hex = regex::Regex::new("\"[0-9a-f]{32}\"|\"[0-9a-f]{64}\"").unwrap();
    assert_eq!(hex.find_iter(&text).count(), 6, "{text}");
    let lower = hex.replace_all(&text, "\"\"").to_lowercase();
    for planted in [
        "jaylen",
        "brooks",
        "987",
        "4321",
        "00482913",
        "482913",
        "example.com",
        "0142",
        "555",
    ] {
        assert!(!lower.contains(planted), "{planted} in {text}");
    }
    // Every entry has exactly a fingerprint, a rule and a path.
    for e in b["entries"].as_array().unwrap() {
        let mut keys: Vec<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["fingerprint", "path", "rule"]);
        assert_eq!(e["path"], "posts/story.md");
    }
    // And the scan's output, hidden or not, shows no value either.
    let (_, stdout, stderr) = run(d, &["scan", "--baseline", BASELINE, "--format", "json"]);
    for planted in ["Jaylen", "987-65", "00482913", "jaylen.brooks"] {
        assert!(
            !stdout.contains(planted) && !stderr.contains(planted),
            "{planted}"
        );
    }
}

#[test]
fn reports_never_carry_the_keyed_fingerprint() {
    let dir = repo();
    let d = dir.path();
    std::fs::write(d.join("posts/a.txt"), "SSN 987-65-4321\n").unwrap();
    assert_eq!(run(d, &["baseline", "create"]).0, 0);
    std::fs::write(
        d.join("posts/a.txt"),
        "SSN 987-65-4321\nSSN 987-65-4321 again\n",
    )
    .unwrap();
    let (code, with) = json_scan(d, &["--baseline", BASELINE]);
    assert_eq!(code, 1);
    // The second occurrence of the same value is new.
    let finding = &with["posts"][0]["findings"][0];
    assert_eq!(finding["line"], 2);
    // Its report fingerprint is the unkeyed one (20 hex digits) a report without a baseline
    // gives, never an entry of the baseline file: the file holds the key, and a keyed hash
    // beside a masked value would give the value away by trial.
    let fp = finding["fingerprint"].as_str().unwrap().to_owned();
    assert_eq!(fp.len(), 20);
    let (_, without) = json_scan(d, &[]);
    assert_eq!(
        without["posts"][0]["findings"][1]["fingerprint"],
        fp.as_str()
    );
    assert_eq!(run(d, &["baseline", "update"]).0, 0);
    let listed: Vec<String> = baseline_of(d)["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["fingerprint"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(listed.len(), 2);
    assert!(!listed.contains(&fp), "{fp} in {listed:?}");
}

#[test]
fn a_baseline_is_used_from_any_folder() {
    let dir = repo();
    let d = dir.path();
    std::fs::write(d.join("posts/story.md"), STORY).unwrap();
    assert_eq!(run(d, &["baseline", "create", "posts"]).0, 0);
    // From inside posts/, naming the file as it is from there.
    let (code, stdout, _) = run(
        &d.join("posts"),
        &[
            "scan",
            "--baseline",
            "../.phiguard-baseline.json",
            "story.md",
        ],
    );
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("2 findings hidden by the baseline."),
        "{stdout}"
    );
    // From elsewhere, with absolute paths.
    let elsewhere = tempfile::tempdir().unwrap();
    let file = d.join(BASELINE).display().to_string();
    let post = d.join("posts/story.md").display().to_string();
    let (code, stdout, _) = run(elsewhere.path(), &["scan", "--baseline", &file, &post]);
    assert_eq!(code, 0, "{stdout}");
    // Scanning one file does not make the entries of the others stale.
    std::fs::write(d.join("posts/other.txt"), "SSN 987-65-4322\n").unwrap();
    assert_eq!(run(d, &["baseline", "update"]).0, 0);
    let (code, stdout, _) = run(d, &["scan", "--baseline", BASELINE, "posts/story.md"]);
    assert_eq!(code, 0);
    assert!(!stdout.contains("stale"), "{stdout}");
    // Nor does updating from one file drop them.
    let (code, stdout, _) = run(d, &["baseline", "update", "posts/story.md"]);
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        format!("wrote {BASELINE}: 3 entries in 2 files (0 added, 0 dropped)\n")
    );
}

#[test]
fn baseline_mistakes_are_errors() {
    let dir = repo();
    let d = dir.path();
    std::fs::write(d.join("posts/a.txt"), "SSN 987-65-4321\n").unwrap();
    // A scan asked to use a missing baseline does not run without it.
    let (code, stdout, stderr) = run(d, &["scan", "--baseline", "nope.json"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert_eq!(
        stderr,
        "phiguard: baseline nope.json: no such file (`phiguard baseline create` writes one)\n\
         phiguard: the check did not run: nothing was checked.\n"
    );
    let (code, _, stderr) = run(d, &["baseline", "update"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no such file"), "{stderr}");
    // Create does not overwrite (the salt would change); --force does.
    assert_eq!(run(d, &["baseline", "create"]).0, 0);
    let salt = baseline_of(d)["salt"].clone();
    let (code, _, stderr) = run(d, &["baseline", "create"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("already exists"), "{stderr}");
    assert_eq!(baseline_of(d)["salt"], salt);
    assert_eq!(run(d, &["baseline", "create", "--force"]).0, 0);
    assert_ne!(baseline_of(d)["salt"], salt);
    // A file that is not a baseline.
    std::fs::write(d.join("bad.json"), "{\"schema\": \"phiguard.report/1\"}").unwrap();
    let (code, _, stderr) = run(d, &["scan", "--baseline", "bad.json"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not a baseline file"), "{stderr}");
    // Stdin has no path to record.
    let (code, _, stderr) = run(d, &["baseline", "create", "--force", "-"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("stdin (-) cannot be part of one"),
        "{stderr}"
    );
    // A custom file name.
    let (code, stdout, _) = run(d, &["baseline", "create", "--output", "accepted.json"]);
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("wrote accepted.json: 1 entry in 1 file"),
        "{stdout}"
    );
}
