//! `.phiguard.toml` end to end: found by walking up from the current folder (not above the
//! repository root), chosen with `--config` or `PHIGUARD_CONFIG`, and rejected with file, line
//! and column when it is wrong.

use std::path::Path;
use std::process::Command;

use crate::util::phiguard;

const AWARD: &str = "Congratulations to Sarah Quell on ten years with our diabetes education \
                     program!\n";
const STAFF: &str = "[organisation]\nstaff-names = [\"Sarah Quell\"]\n";

fn git_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let ok = Command::new("git")
        .args(["init", "-q"])
        .current_dir(dir.path())
        .status()
        .unwrap()
        .success();
    assert!(ok, "git init");
    dir
}

fn scan_in(dir: &Path, extra: &[&str]) -> (i32, String) {
    let out = phiguard()
        .current_dir(dir)
        .arg("scan")
        .args(extra)
        .arg("post.txt")
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap(), text)
}

#[test]
fn the_nearest_config_in_the_repository_applies() {
    let repo = git_repo();
    let sub = repo.path().join("posts/2026");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(sub.join("post.txt"), AWARD).unwrap();
    // Without configuration the unknown name beside a condition fails the scan.
    let (code, out) = scan_in(&sub, &[]);
    assert_eq!(code, 1, "{out}");
    // The organisation's staff list at the repository root clears it.
    std::fs::write(repo.path().join(".phiguard.toml"), STAFF).unwrap();
    let (code, out) = scan_in(&sub, &[]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn discovery_stops_at_the_repository_root() {
    let outer = tempfile::tempdir().unwrap();
    std::fs::write(outer.path().join(".phiguard.toml"), STAFF).unwrap();
    let repo = outer.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    assert!(
        Command::new("git")
            .args(["init", "-q"])
            .current_dir(&repo)
            .status()
            .unwrap()
            .success()
    );
    std::fs::write(repo.join("post.txt"), AWARD).unwrap();
    let (code, out) = scan_in(&repo, &[]);
    assert_eq!(
        code, 1,
        "the file above the repository must not apply: {out}"
    );
}

#[test]
fn config_flag_and_environment_variable() {
    let repo = git_repo();
    std::fs::write(repo.path().join("post.txt"), AWARD).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let file = elsewhere.path().join("org.toml");
    std::fs::write(&file, STAFF).unwrap();
    let (code, out) = scan_in(repo.path(), &["--config", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");

    let out = phiguard()
        .current_dir(repo.path())
        .env("PHIGUARD_CONFIG", &file)
        .args(["scan", "post.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_bad_config_exits_2_naming_file_line_and_column() {
    let repo = git_repo();
    std::fs::write(repo.path().join("post.txt"), AWARD).unwrap();
    std::fs::write(
        repo.path().join(".phiguard.toml"),
        "[risk]\nthreshold-medium = 0.4\nname-with-heatlh = 0.9\n",
    )
    .unwrap();
    let (code, out) = scan_in(repo.path(), &[]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains(".phiguard.toml:3:1:"), "{out}");
    assert!(out.contains("name-with-heatlh"), "{out}");

    let (code, out) = scan_in(repo.path(), &["--config", "missing.toml"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("missing.toml"), "{out}");
}

#[test]
fn risk_thresholds_change_the_verdict() {
    let repo = git_repo();
    std::fs::write(repo.path().join("post.txt"), AWARD).unwrap();
    std::fs::write(
        repo.path().join(".phiguard.toml"),
        "[risk]\nname-with-health = 0.3\n",
    )
    .unwrap();
    let (code, out) = scan_in(repo.path(), &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("LOW"), "{out}");
}

/// `[input] max-file-size` and `--max-file-size`: a larger file is reported as not checked
/// (exit 2, naming the limit), never passed as clean; a bad size names the file and line.
#[test]
fn max_file_size_skips_larger_files_loudly() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("post.txt"), AWARD).unwrap();
    std::fs::write(
        dir.path().join(".phiguard.toml"),
        "[input]\nmax-file-size = \"64 bytes\"\n",
    )
    .unwrap();
    let (code, out) = scan_in(dir.path(), &[]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("larger than the 64 bytes limit"), "{out}");
    // The command line wins over the file.
    let (code, out) = scan_in(dir.path(), &["--max-file-size", "1KiB"]);
    assert_eq!(code, 1, "{out}");
    std::fs::write(
        dir.path().join(".phiguard.toml"),
        "[input]\ncolumns = []\nmax-file-size = \"lots\"\n",
    )
    .unwrap();
    let (code, out) = scan_in(dir.path(), &[]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains(".phiguard.toml:3:") && out.contains("max-file-size"),
        "{out}"
    );
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

/// `phiguard init` writes a starter file that loads as the defaults, and will not overwrite one;
/// `phiguard config` shows each key with where it comes from.
#[test]
fn init_and_config_show_what_is_in_effect() {
    let repo = git_repo();
    let out = phiguard()
        .current_dir(repo.path())
        .arg("init")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let again = phiguard()
        .current_dir(repo.path())
        .arg("init")
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));

    let shown = phiguard()
        .current_dir(repo.path())
        .arg("config")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&shown.stdout);
    assert_eq!(shown.status.code(), Some(0), "{text}");
    assert!(text.contains("(the nearest .phiguard.toml)"), "{text}");
    assert!(text.contains("fail-on = \"medium\"  # default"), "{text}");
    assert!(text.contains("threshold-medium = 0.4  # default"), "{text}");
    // Keys the starter sets say which line of the file they come from.
    assert!(text.contains(".phiguard.toml:31"), "{text}");

    // A changed key shows its line; the output is itself a valid configuration.
    write(
        repo.path(),
        ".phiguard.toml",
        "[scan]\nfail-on = \"high\"\n\n[risk]\nweight-high = 1.0\n",
    );
    let shown = phiguard()
        .current_dir(repo.path())
        .arg("config")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&shown.stdout).into_owned();
    assert!(text.contains("fail-on = \"high\"  # "), "{text}");
    assert!(text.contains(".phiguard.toml:2"), "{text}");
    write(repo.path(), "shown.toml", &text);
    let reread = phiguard()
        .current_dir(repo.path())
        .args(["config", "--config", "shown.toml"])
        .output()
        .unwrap();
    assert_eq!(
        reread.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&reread.stderr)
    );
}

/// `[scan] fail-on` sets the level unless `--fail-on` is given.
#[test]
fn fail_on_from_the_file_and_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    // A patient named with patient wording only: medium.
    write(
        dir.path(),
        "post.txt",
        "Our patient Gerald Moss stopped by with cookies for the front desk.\n",
    );
    let (code, out) = scan_in(dir.path(), &[]);
    assert_eq!(code, 1, "{out}");
    write(dir.path(), ".phiguard.toml", "[scan]\nfail-on = \"high\"\n");
    let (code, out) = scan_in(dir.path(), &[]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = scan_in(dir.path(), &["--fail-on", "medium"]);
    assert_eq!(code, 1, "{out}");
}

/// The organisation's own phone numbers, addresses and domains, and `[allow]` values and
/// patterns, are allowed with their reason; everything else is still found.
#[test]
fn the_organisation_s_own_facts_and_allow_lists() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "post.txt",
        "Questions? Call (555) 555-0100, email press@example.org or visit us at 250 Elm Street. \
         Room 4B is the Flu Fest 2026 booth. Ask about patient Jane Doe at 555-555-0142.\n",
    );
    write(
        dir.path(),
        ".phiguard.toml",
        "[organisation]\nphones = [\"555.555.0100\"]\naddresses = [\"250 Elm Street, Springfield\"]\n\
         domains = [\"example.org\"]\n\n[allow]\nvalues = [\"Flu Fest 2026\"]\n",
    );
    let out = phiguard()
        .current_dir(dir.path())
        .args(["scan", "--format", "json", "--show-values", "post.txt"])
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let post = &r["posts"][0];
    let allowed: Vec<(&str, &str)> = post["allowed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["value"].as_str().unwrap(), a["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(
        allowed,
        vec![
            (
                "(555) 555-0100",
                "the organisation's own number ([organisation] phones)"
            ),
            (
                "press@example.org",
                "at the organisation's own domain ([organisation] domains)"
            ),
            (
                "250 Elm Street",
                "the organisation's own address ([organisation] addresses)"
            ),
        ]
    );
    let found: Vec<&str> = post["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["value"].as_str().unwrap())
        .collect();
    assert!(
        found.contains(&"Jane Doe") && found.contains(&"555-555-0142"),
        "{found:?}"
    );
}

/// `[packs]`: disabling by id or prefix, re-weighting, packs added relative to the file; a rule
/// id that matches nothing and a bad pattern are errors naming file, line and column.
#[test]
fn packs_and_rules_from_the_file() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "post.txt",
        "Now at ZIP 62701. Ward code WB-1234.\n",
    );
    std::fs::create_dir(dir.path().join("packs")).unwrap();
    write(
        &dir.path().join("packs"),
        "ward.toml",
        "[pack]\nid = \"ward\"\n\n[[rule]]\nid = \"ward.code\"\ncategory = \"other_id\"\n\
         regex = '(?-u:\\b)(WB-[0-9]{4})(?-u:\\b)'\nexamples = [\"WB-1234\", \"at WB-0001\"]\n\
         negative_examples = [\"WB-12\", \"web\"]\n",
    );
    let rules = |cfg: &str| -> (i32, Vec<String>, String) {
        write(dir.path(), ".phiguard.toml", cfg);
        let out = phiguard()
            .current_dir(dir.path())
            .args(["scan", "--format", "json", "post.txt"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        let ids = r["posts"][0]["findings"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|f| f["rule"].as_str().unwrap().to_owned())
                    .collect()
            })
            .unwrap_or_default();
        (out.status.code().unwrap(), ids, err)
    };
    let (_, ids, _) = rules("[packs]\nadd = [\"packs/ward.toml\"]\n");
    assert_eq!(ids, vec!["hipaa.zip.with-context", "ward.code"]);
    let (_, ids, _) = rules("[packs]\nadd = [\"packs/ward.toml\"]\ndisable = [\"hipaa.zip\"]\n");
    assert_eq!(ids, vec!["ward.code"]);
    let (code, _, err) = rules("[packs]\ndisable = [\"hipaa.zip.cod\"]\n");
    assert_eq!(code, 2);
    assert!(
        err.contains(".phiguard.toml:2:12") && err.contains("hipaa.zip.cod"),
        "{err}"
    );
    let (code, _, err) = rules("[allow]\npatterns = [\"(unclosed\"]\n");
    assert_eq!(code, 2);
    assert!(err.contains(".phiguard.toml:2:13"), "{err}");
    let (code, _, err) = rules("[packs.rules.\"hipaa.zip.with-context\"]\nseverity = \"severe\"\n");
    assert_eq!(code, 2);
    assert!(err.contains(".phiguard.toml:2"), "{err}");
}

/// Allow lists allow what they name, not what is inside it; a column the configuration names
/// that a table lacks is reported as not checked; allowed values stay masked in shown lines.
#[test]
fn allow_lists_and_columns_do_not_fail_open() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".phiguard.toml",
        "[organisation]\naddresses = [\"250 W. Main St, Springfield, IL 62701\"]\n\n[allow]\n\
         values = [\"Jane Smith Memorial 5K\"]\n\n[input]\ncolumns = [\"Mesage\"]\n",
    );
    write(
        dir.path(),
        "post.txt",
        "Our patient Jane Smith of ZIP 62701 is in room 412 today.\n",
    );
    let out = phiguard()
        .current_dir(dir.path())
        .args(["scan", "--format", "json", "--show-values", "post.txt"])
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<&str> = r["posts"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["value"].as_str().unwrap())
        .collect();
    assert!(
        found.contains(&"Jane Smith") && found.contains(&"62701"),
        "{found:?}"
    );
    assert_eq!(r["summary"]["allowed"], 0);

    write(
        dir.path(),
        "posts.csv",
        "Date,Message\n2026-03-01,\"Our patient Jane Doe, SSN 987-65-4320\"\n",
    );
    let out = phiguard()
        .current_dir(dir.path())
        .args(["scan", "posts.csv"])
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("\"Mesage\""), "{text}");

    // A value an allow list lets through is still masked in the line shown for another.
    write(
        dir.path(),
        ".phiguard.toml",
        "[organisation]\nphones = [\"(555) 555-0100\"]\n",
    );
    write(
        dir.path(),
        "post.txt",
        "Call (555) 555-0100 about patient Jane Smith.\n",
    );
    let out = phiguard()
        .current_dir(dir.path())
        .args(["scan", "post.txt"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        !text.contains("555-0100") && !text.contains("Jane"),
        "{text}"
    );
}
