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
