//! Git end to end, with real `git` in temporary repositories: `scan --staged` reads the index
//! (not the work tree), `scan --diff BASE` reports findings on added lines only, at their lines
//! in the new file, and `install-hook` puts a pre-commit hook where git runs it, without losing
//! another hook. Last, the pre-commit framework runs the hook from `.pre-commit-hooks.yaml`.
//!
//! Every git command runs with the user's and the system's git configuration left out
//! (`GIT_CONFIG_GLOBAL=/dev/null`), so a `core.hooksPath` or a default branch set on the machine
//! cannot change what is tested.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::util::phiguard;

/// A post with an SSN on its first line: high risk on its own.
const RISKY: &str = "Her SSN is 987-65-4321.\n";
const RISKY_RAW: &str = "987-65-4321";
const RISKY_MASKED: &str = "***-**-4321";
/// A post without PHI.
const CLEAN: &str = "Join our flu clinic this Saturday from 9 to 1 in the main lobby.\n";

/// Environment variables that would point git at another repository, index or configuration.
const GIT_ENV: &[&str] = &[
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_PREFIX",
    "GIT_NAMESPACE",
    "GIT_CONFIG",
    "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT",
    "PHIGUARD_CONFIG",
];

fn hermetic(cmd: &mut Command) -> &mut Command {
    for v in GIT_ENV {
        cmd.env_remove(v);
    }
    cmd.env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1")
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

/// A temporary repository on branch `main`, with a committer and no hooks.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repo { dir };
        repo.git(&["-c", "init.defaultBranch=main", "init", "-q"]);
        repo.git(&["config", "user.name", "Test Writer"]);
        repo.git(&["config", "user.email", "writer@example.com"]);
        repo.git(&["config", "commit.gpgsign", "false"]);
        repo
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn git_in(&self, dir: &Path, args: &[&str]) -> Output {
        hermetic(Command::new("git").args(args).current_dir(dir))
            .output()
            .unwrap()
    }

    /// Runs git in the repository and asserts it succeeded.
    #[track_caller]
    fn git(&self, args: &[&str]) -> String {
        let out = self.git_in(self.path(), args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn write(&self, rel: &str, content: impl AsRef<[u8]>) {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }

    /// `git mv`, into a folder made first.
    fn mv(&self, from: &str, to: &str) {
        let parent = self.path().join(to);
        std::fs::create_dir_all(parent.parent().unwrap()).unwrap();
        self.git(&["mv", from, to]);
    }

    fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--no-verify", "-m", message]);
    }

    /// `git commit` with the hooks running.
    fn try_commit(&self, message: &str) -> Output {
        self.git_in(self.path(), &["commit", "-q", "-m", message])
    }

    fn commits(&self) -> usize {
        let out = self.git_in(self.path(), &["rev-list", "--count", "HEAD"]);
        if out.status.success() {
            String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
        } else {
            0
        }
    }

    fn phiguard_in(&self, dir: &Path, args: &[&str]) -> (i32, String) {
        let mut cmd = phiguard();
        for v in GIT_ENV {
            cmd.env_remove(v);
        }
        let out = cmd
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("NO_COLOR", "1")
            .current_dir(dir)
            .args(args)
            .output()
            .unwrap();
        (out.status.code().unwrap(), text(&out))
    }

    fn phiguard(&self, args: &[&str]) -> (i32, String) {
        self.phiguard_in(self.path(), args)
    }

    /// `phiguard ARGS --format json`: the exit code and the report.
    fn report(&self, args: &[&str]) -> (i32, Value) {
        let mut cmd = phiguard();
        for v in GIT_ENV {
            cmd.env_remove(v);
        }
        let out = cmd
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .current_dir(self.path())
            .args(args)
            .args(["--format", "json"])
            .output()
            .unwrap();
        let report: Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out)));
        assert!(
            !text(&out).contains(RISKY_RAW),
            "a raw value leaked: {}",
            text(&out)
        );
        (out.status.code().unwrap(), report)
    }

    fn hook(&self) -> PathBuf {
        self.path().join(".git/hooks/pre-commit")
    }
}

/// `(line, column, category)` of a finding.
type Spot = (u64, u64, String);

/// `(source, [(line, column, category)])` of every listed post.
fn posts(report: &Value) -> Vec<(String, Vec<Spot>)> {
    report["posts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let findings = p["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    (
                        f["line"].as_u64().unwrap(),
                        f["column"].as_u64().unwrap(),
                        f["category"].as_str().unwrap().to_owned(),
                    )
                })
                .collect();
            (p["source"].as_str().unwrap().to_owned(), findings)
        })
        .collect()
}

/// `(source, kind, message)` of every note.
fn notes(report: &Value) -> Vec<(String, String, String)> {
    report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["source"].as_str().unwrap().to_owned(),
                n["kind"].as_str().unwrap().to_owned(),
                n["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn ssn_at(line: u64) -> Vec<Spot> {
    vec![(line, 12, "ssn".to_owned())]
}

// ---- the hook, end to end ------------------------------------------------------------------

#[test]
fn the_hook_blocks_a_risky_commit_and_lets_a_clean_one_through() {
    let repo = Repo::new();
    let (code, out) = repo.phiguard(&["install-hook"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with("installed the pre-commit hook .git/hooks/pre-commit: it runs `"),
        "{out}"
    );
    let hook = std::fs::read_to_string(repo.hook()).unwrap();
    let exe = assert_cmd::cargo::cargo_bin("phiguard");
    assert!(
        hook.contains(&format!("phiguard='{}'\n", exe.display())),
        "the hook calls this executable by its path:\n{hook}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(repo.hook()).unwrap().permissions().mode();
        assert_eq!(mode & 0o111, 0o111, "executable");
    }

    repo.write("posts/risky.md", RISKY);
    repo.git(&["add", "posts/risky.md"]);
    let out = repo.try_commit("risky post");
    let said = text(&out);
    assert!(!out.status.success(), "the commit went through: {said}");
    assert_eq!(repo.commits(), 0);
    assert!(said.contains("HIGH   posts/risky.md"), "{said}");
    assert!(
        said.contains(&format!("1:12  ssn  {RISKY_MASKED}")),
        "{said}"
    );
    assert!(!said.contains(RISKY_RAW), "{said}");
    assert!(
        said.contains("phiguard: commit blocked: a staged post holds likely protected health"),
        "{said}"
    );
    assert!(
        said.contains("To commit anyway, deliberately: git commit --no-verify"),
        "{said}"
    );

    repo.write("posts/risky.md", CLEAN);
    repo.git(&["add", "posts/risky.md"]);
    let out = repo.try_commit("clean post");
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(repo.commits(), 1);

    // Installing again changes nothing.
    let before = std::fs::read(repo.hook()).unwrap();
    let (code, out) = repo.phiguard(&["install-hook"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out,
        "the phiguard pre-commit hook is already installed at .git/hooks/pre-commit: nothing to \
         do.\n"
    );
    assert_eq!(std::fs::read(repo.hook()).unwrap(), before);
}

#[test]
fn the_hook_checks_what_commit_a_and_commit_path_record() {
    // `git commit -a` and `git commit PATH` stage into a temporary index (GIT_INDEX_FILE) that
    // the hook must read.
    let repo = Repo::new();
    repo.write("post.md", CLEAN);
    repo.commit("first");
    repo.phiguard(&["install-hook"]);
    repo.write("post.md", RISKY);
    for args in [
        &["commit", "-q", "-a", "-m", "all"][..],
        &["commit", "-q", "-m", "one", "post.md"][..],
    ] {
        let out = repo.git_in(repo.path(), args);
        assert!(!out.status.success(), "{args:?}: {}", text(&out));
        assert!(text(&out).contains("HIGH   post.md"), "{}", text(&out));
    }
    assert_eq!(repo.commits(), 1);
}

#[test]
fn fixing_only_the_work_tree_does_not_pass() {
    let repo = Repo::new();
    repo.phiguard(&["install-hook"]);
    repo.write("post.md", RISKY);
    repo.git(&["add", "post.md"]);
    // Fixed in the work tree, not staged: the commit would still record the SSN.
    repo.write("post.md", CLEAN);
    let (code, report) = repo.report(&["scan", "--staged"]);
    assert_eq!(code, 1);
    assert_eq!(posts(&report), vec![("post.md".to_owned(), ssn_at(1))]);
    let (code, out) = repo.phiguard(&["scan", "post.md"]);
    assert_eq!(code, 0, "the work tree is clean: {out}");
    let out = repo.try_commit("half fixed");
    assert!(!out.status.success(), "{}", text(&out));
    assert_eq!(repo.commits(), 0);

    repo.git(&["add", "post.md"]);
    let (code, out) = repo.phiguard(&["scan", "--staged"]);
    assert_eq!(code, 0, "{out}");
    assert!(repo.try_commit("fixed").status.success());
}

#[test]
fn a_hook_that_cannot_check_blocks_and_says_so() {
    let repo = Repo::new();
    repo.phiguard(&["install-hook"]);
    // A configuration phiguard cannot read: exit 2, the check did not run.
    repo.write(".phiguard.toml", "[risk]\nno-such-key = 1\n");
    repo.write("post.md", CLEAN);
    repo.git(&["add", "post.md"]);
    let out = repo.try_commit("clean, but unchecked");
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains(
            "phiguard: commit blocked: phiguard could not check everything that is staged \
             (exit 2: the check did not run completely"
        ),
        "{said}"
    );
    assert!(said.contains("git commit --no-verify"), "{said}");
    assert_eq!(repo.commits(), 0);
    // Bypassing is deliberate and possible.
    let out = repo.git_in(
        repo.path(),
        &["commit", "-q", "--no-verify", "-m", "bypass"],
    );
    assert!(out.status.success(), "{}", text(&out));
}

#[cfg(unix)]
#[test]
fn the_hook_finds_phiguard_on_path_when_its_path_is_gone_and_blocks_without_it() {
    let repo = Repo::new();
    let bin = tempfile::tempdir().unwrap();
    let copy = bin.path().join("phiguard");
    std::fs::copy(assert_cmd::cargo::cargo_bin("phiguard"), &copy).unwrap();
    let out = hermetic(
        Command::new(&copy)
            .arg("install-hook")
            .current_dir(repo.path()),
    )
    .output()
    .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    std::fs::remove_file(&copy).unwrap();

    repo.write("post.md", RISKY);
    repo.git(&["add", "post.md"]);
    let path = std::env::var("PATH").unwrap();
    // Not at its path, nor on PATH: the commit is blocked, saying the check did not run.
    let empty = tempfile::tempdir().unwrap();
    let no_phiguard = format!("{}:/usr/bin:/bin", empty.path().display());
    let out = hermetic(
        Command::new("git")
            .args(["commit", "-q", "-m", "x"])
            .env("PATH", &no_phiguard)
            .current_dir(repo.path()),
    )
    .output()
    .unwrap();
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains(
            "phiguard: commit blocked: phiguard could not be run (exit 127): the check did not run."
        ),
        "{said}"
    );
    // On PATH: it runs and finds the SSN.
    let on_path = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(
        assert_cmd::cargo::cargo_bin("phiguard"),
        on_path.path().join("phiguard"),
    )
    .unwrap();
    let out = hermetic(
        Command::new("git")
            .args(["commit", "-q", "-m", "x"])
            .env("PATH", format!("{}:{path}", on_path.path().display()))
            .current_dir(repo.path()),
    )
    .output()
    .unwrap();
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("HIGH   post.md"), "{said}");
    assert_eq!(repo.commits(), 0);
}

/// Installs the hook from a copy of phiguard in a folder of its own, so the test can put a
/// stand-in at the path the hook calls. Returns the folder and the path.
#[cfg(unix)]
fn hook_calling_a_copy(repo: &Repo) -> (tempfile::TempDir, PathBuf) {
    let bin = tempfile::tempdir().unwrap();
    let copy = bin.path().join("phiguard");
    std::fs::copy(assert_cmd::cargo::cargo_bin("phiguard"), &copy).unwrap();
    let out = hermetic(
        Command::new(&copy)
            .arg("install-hook")
            .current_dir(repo.path()),
    )
    .output()
    .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    (bin, copy)
}

/// Puts a shell script at `path`, executable.
#[cfg(unix)]
fn stand_in(path: &Path, script: &str) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::remove_file(path);
    std::fs::write(path, script).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// A phiguard that panics, one killed by a signal, one that never ends and a timeout that is
/// not a number all block the commit, saying the check did not run; none says it is clean.
#[cfg(unix)]
#[test]
fn the_hook_blocks_when_phiguard_crashes_is_killed_or_times_out() {
    let repo = Repo::new();
    let (_bin, exe) = hook_calling_a_copy(&repo);
    repo.write("post.md", CLEAN);
    repo.git(&["add", "post.md"]);
    let commit = |timeout: Option<&str>| {
        let mut cmd = Command::new("git");
        cmd.args(["commit", "-q", "-m", "x"])
            .current_dir(repo.path());
        match timeout {
            Some(t) => cmd.env("PHIGUARD_HOOK_TIMEOUT", t),
            None => cmd.env_remove("PHIGUARD_HOOK_TIMEOUT"),
        };
        let out = hermetic(&mut cmd).output().unwrap();
        let said = text(&out);
        assert!(!out.status.success(), "committed:\n{said}");
        assert!(
            said.contains("To commit anyway, deliberately: git commit --no-verify"),
            "{said}"
        );
        assert!(!said.contains("clean"), "{said}");
        said
    };

    // Rust's own panic: a message, exit code 101.
    stand_in(
        &exe,
        "#!/bin/sh\necho \"thread 'main' panicked at src/scan.rs:1:1\" >&2\nexit 101\n",
    );
    let said = commit(None);
    assert!(
        said.contains(
            "phiguard: commit blocked: phiguard crashed (exit 101, an internal error): the check \
             did not run to the end."
        ),
        "{said}"
    );

    // Killed (as the kernel's out-of-memory killer would).
    stand_in(&exe, "#!/bin/sh\nkill -9 $$\n");
    let said = commit(None);
    assert!(
        said.contains(
            "phiguard: commit blocked: phiguard was killed by signal 9 (exit 137): the check did \
             not run to the end."
        ),
        "{said}"
    );

    // Any other code phiguard never gives.
    stand_in(&exe, "#!/bin/sh\nexit 3\n");
    let said = commit(None);
    assert!(
        said.contains(
            "phiguard: commit blocked: phiguard stopped with exit code 3, which it never gives \
             for a finished check: the check did not run to the end."
        ),
        "{said}"
    );

    // A timeout that is not a number of seconds is a configuration error: blocked, not ignored.
    for bad in ["soon", "0", "-5", "1.5"] {
        let said = commit(Some(bad));
        assert!(
            said.contains(&format!(
                "phiguard: commit blocked: PHIGUARD_HOOK_TIMEOUT must be a whole number of \
                 seconds (1 or more), not '{bad}': the check did not run."
            )),
            "{said}"
        );
    }

    // A check that never ends is stopped at the timeout, and blocks.
    if Command::new("sh")
        .args(["-c", "command -v timeout"])
        .output()
        .is_ok_and(|o| o.status.success())
    {
        stand_in(&exe, "#!/bin/sh\nexec sleep 600\n");
        let said = commit(Some("1"));
        assert!(
            said.contains(
                "phiguard: commit blocked: the check took longer than PHIGUARD_HOOK_TIMEOUT=1 \
                 seconds and was stopped: the check did not run to the end."
            ),
            "{said}"
        );
    } else {
        eprintln!("notice: no timeout command here; skipping the hook timeout case");
    }
    assert_eq!(repo.commits(), 0);

    // The real phiguard within its time limit: the clean post is committed.
    std::fs::remove_file(&exe).unwrap();
    std::fs::copy(assert_cmd::cargo::cargo_bin("phiguard"), &exe).unwrap();
    let out = hermetic(
        Command::new("git")
            .args(["commit", "-q", "-m", "clean"])
            .env("PHIGUARD_HOOK_TIMEOUT", "600")
            .current_dir(repo.path()),
    )
    .output()
    .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(repo.commits(), 1);
}

// ---- scan --staged -------------------------------------------------------------------------

#[test]
fn staged_scans_the_files_the_commit_adds_or_changes() {
    let repo = Repo::new();
    repo.write("old.md", RISKY);
    repo.write("keep.md", RISKY);
    repo.commit("old posts");

    // Committed content that the next commit does not touch is not scanned again.
    repo.write("new.md", CLEAN);
    repo.git(&["add", "new.md"]);
    let (code, report) = repo.report(&["scan", "--staged"]);
    assert_eq!(code, 0);
    assert_eq!(report["summary"]["sources"], 1);
    assert_eq!(report["summary"]["posts"], 1);

    // A deletion publishes nothing; a renamed file is scanned under its new name.
    repo.git(&["rm", "-q", "old.md"]);
    repo.mv("keep.md", "posts/kept.md");
    let (code, report) = repo.report(&["scan", "--staged"]);
    assert_eq!(code, 1);
    assert_eq!(
        posts(&report),
        vec![("posts/kept.md".to_owned(), ssn_at(1))]
    );
    assert_eq!(report["summary"]["sources"], 2);

    // Paths limit the scan, as git pathspecs from the current folder; names stay relative to
    // the repository's top folder.
    repo.write("posts/a.md", RISKY);
    repo.write("posts/b.md", RISKY);
    repo.git(&["add", "posts"]);
    let (code, report) = repo.report(&["scan", "--staged", "posts/a.md"]);
    assert_eq!(code, 1);
    assert_eq!(posts(&report), vec![("posts/a.md".to_owned(), ssn_at(1))]);
    let (code, out) = repo.phiguard_in(&repo.path().join("posts"), &["scan", "--staged", "b.md"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("HIGH   posts/b.md"), "{out}");
    assert!(!out.contains("posts/a.md"), "{out}");
    // A staged file over the size limit is not checked.
    let (code, report) = repo.report(&["scan", "--staged", "--max-file-size", "10", "new.md"]);
    assert_eq!(code, 2);
    assert_eq!(
        notes(&report),
        vec![(
            "new.md".to_owned(),
            "error".to_owned(),
            "cannot read: larger than the 10 bytes limit (raise [input] max-file-size or \
             --max-file-size to check it)"
                .to_owned()
        )]
    );
    // Without paths, from a subfolder: the whole repository's staged files.
    let (code, out) = repo.phiguard_in(&repo.path().join("posts"), &["scan", "--staged"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("4 posts in 4 files: 3 high"), "{out}");
    assert!(!out.contains(RISKY_RAW), "{out}");
}

#[test]
fn staged_binaries_images_links_and_submodules() {
    let repo = Repo::new();
    repo.write("first.md", CLEAN);
    repo.commit("first");
    let head = repo.git(&["rev-parse", "HEAD"]).trim().to_owned();
    let formats = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/formats");

    repo.write("data.bin", b"\0\0\0SSN 987-65-4321\0");
    std::fs::copy(formats.join("photo-phi.jpg"), repo.path().join("photo.jpg")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("first.md", repo.path().join("link.md")).unwrap();
    repo.git(&["add", "-A"]);
    let gitlink = format!("160000,{head},vendor/lib");
    repo.git(&["update-index", "--add", "--cacheinfo", &gitlink]);

    let (code, report) = repo.report(&["scan", "--staged"]);
    assert_eq!(code, 1, "the photo's metadata holds PHI");
    // A file git hands over is checked even when it looks binary: the SSN in it is found.
    let sources: Vec<String> = posts(&report).into_iter().map(|p| p.0).collect();
    assert_eq!(sources, vec!["data.bin", "photo.jpg"]);
    let mut want = vec![
        (
            "data.bin".to_owned(),
            "info".to_owned(),
            "looks binary (NUL bytes); scanned as text because it was named".to_owned(),
        ),
        (
            "vendor/lib".to_owned(),
            "skipped".to_owned(),
            "submodule skipped (its files are another repository's: run phiguard there)".to_owned(),
        ),
    ];
    if cfg!(unix) {
        want.insert(
            1,
            (
                "link.md".to_owned(),
                "skipped".to_owned(),
                "symbolic link not followed (name its target to scan it)".to_owned(),
            ),
        );
    }
    assert_eq!(notes(&report), want);
}

#[test]
fn staged_reads_a_git_lfs_file_from_the_local_store() {
    let repo = Repo::new();
    let image =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/formats/photo-phi.jpg"))
            .unwrap();
    // The sha256 of the fixture photo, computed with sha256sum.
    let oid = sha256_hex(&image);
    let pointer = format!(
        "version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {}\n",
        image.len()
    );
    repo.write("photo.jpg", &pointer);
    repo.git(&["add", "photo.jpg"]);
    // Not in the store: not checked.
    let (code, report) = repo.report(&["scan", "--staged"]);
    assert_eq!(code, 2);
    assert_eq!(
        notes(&report),
        vec![(
            "photo.jpg".to_owned(),
            "error".to_owned(),
            "a Git LFS file whose content is not in this clone (git lfs pull fetches it); it \
             was not checked"
                .to_owned()
        )]
    );
    // In the store, where `git add` with Git LFS puts it: read and checked.
    repo.write(
        &format!(".git/lfs/objects/{}/{}/{oid}", &oid[..2], &oid[2..4]),
        &image,
    );
    let (code, report) = repo.report(&["scan", "--staged"]);
    assert_eq!(code, 1);
    assert_eq!(posts(&report)[0].0, "photo.jpg");
    assert!(notes(&report).is_empty(), "{:?}", notes(&report));
}

fn sha256_hex(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("x");
    std::fs::write(&f, bytes).unwrap();
    let out = Command::new("sha256sum").arg(&f).output().unwrap();
    String::from_utf8(out.stdout).unwrap()[..64].to_owned()
}

#[test]
fn outside_a_repository_and_unknown_paths_are_errors() {
    let outer = tempfile::tempdir().unwrap();
    let dir = outer.path().join("plain");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("post.md"), RISKY).unwrap();
    let ceiling = outer.path().display().to_string();
    for args in [
        vec!["scan", "--staged"],
        vec!["scan", "--diff", "main"],
        vec!["install-hook"],
    ] {
        let mut cmd = phiguard();
        for v in GIT_ENV {
            cmd.env_remove(v);
        }
        let out = cmd
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CEILING_DIRECTORIES", &ceiling)
            .current_dir(&dir)
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
        assert!(out.stdout.is_empty(), "{args:?}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            said.contains(": not in a git repository (no .git here or in any folder above)"),
            "{args:?}: {said}"
        );
    }
    assert!(!dir.join(".git").exists());

    let repo = Repo::new();
    repo.write("post.md", CLEAN);
    repo.git(&["add", "post.md"]);
    let (code, report) = repo.report(&["scan", "--staged", "post.md", "nope.md"]);
    assert_eq!(code, 2);
    assert_eq!(
        notes(&report),
        vec![(
            "nope.md".to_owned(),
            "error".to_owned(),
            "cannot read: no such file or folder, in the work tree or in git".to_owned()
        )]
    );
    let (code, out) = repo.phiguard(&["scan", "--staged", "-"]);
    assert_eq!(code, 2);
    assert!(out.contains("cannot read stdin"), "{out}");
    let (code, out) = repo.phiguard(&["scan", "--staged", "--diff", "main"]);
    assert_eq!(code, 2);
    assert!(out.contains("cannot be used with"), "{out}");
}

// ---- scan --diff ---------------------------------------------------------------------------

const STORY: &str = "Our oncology team is so proud of a patient who rang the bell after chemo today.\n\
                     Her SSN is 987-65-4321.\n\
                     Thank you to everyone who cheered.\n";

#[test]
fn diff_reports_findings_on_added_lines_only_at_their_lines() {
    let repo = Repo::new();
    repo.write("story.md", STORY);
    repo.write("notice.md", RISKY);
    repo.commit("old posts");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    // A name added on line 4, weighed with the patient wording of line 1; the old SSN on line
    // 2 is untouched.
    repo.write(
        "story.md",
        format!("{STORY}Congratulations, Jaylen Brooks!\n"),
    );
    // A clean line added to a post whose old line holds PHI: nothing to report.
    repo.write("notice.md", format!("{RISKY}{CLEAN}"));
    // A new post: every line is added.
    repo.write("posts/new.md", format!("{CLEAN}{RISKY}"));
    repo.commit("feature work");

    let (code, report) = repo.report(&["scan", "--diff", "main"]);
    assert_eq!(code, 1);
    assert_eq!(
        posts(&report),
        vec![
            ("posts/new.md".to_owned(), ssn_at(2)),
            ("story.md".to_owned(), vec![(4, 18, "name".to_owned())]),
        ]
    );
    let story = &report["posts"][1];
    assert_eq!(
        story["risk"], "high",
        "the patient wording on line 1 counts"
    );
    assert_eq!(report["summary"]["sources"], 3);
    assert_eq!(report["summary"]["posts"], 2);

    let (code, out) = repo.phiguard(&["scan", "--diff", "main"]);
    assert_eq!(code, 1);
    assert!(out.contains("  4:18  name  J***** B*****"), "{out}");
    assert!(out.contains("2 posts in 3 files"), "{out}");
    assert!(!out.contains("Jaylen") && !out.contains(RISKY_RAW), "{out}");

    // Paths limit it.
    let (code, report) = repo.report(&["scan", "--diff", "main", "notice.md", "story.md"]);
    assert_eq!(code, 1);
    let sources: Vec<String> = posts(&report).into_iter().map(|p| p.0).collect();
    assert_eq!(sources, vec!["story.md"]);
}

#[test]
fn diff_compares_from_the_merge_base_to_the_head_commit() {
    let repo = Repo::new();
    repo.write("story.md", STORY);
    repo.commit("base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("feature.md", CLEAN);
    repo.commit("feature");
    // BASE moves on after the branch left it: its new PHI is not the branch's.
    repo.git(&["checkout", "-q", "main"]);
    repo.write("main-only.md", RISKY);
    repo.commit("main moves on");
    repo.git(&["checkout", "-q", "feature"]);
    // Uncommitted changes are not compared.
    repo.write("feature.md", RISKY);
    repo.write("untracked.md", RISKY);

    let (code, report) = repo.report(&["scan", "--diff", "main"]);
    assert_eq!(code, 0);
    assert!(posts(&report).is_empty());
    assert_eq!(report["summary"]["sources"], 1, "feature.md, as committed");

    // A commit id or a tag works as BASE too.
    let base = repo
        .git(&["merge-base", "main", "feature"])
        .trim()
        .to_owned();
    let (code, _) = repo.report(&["scan", "--diff", &base]);
    assert_eq!(code, 0);
}

#[test]
fn diff_renames_deletions_binaries_and_tables() {
    let formats = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/formats");
    let repo = Repo::new();
    repo.write("a.md", STORY);
    repo.write("moved.md", RISKY);
    repo.write("gone.md", RISKY);
    std::fs::copy(
        formats.join("photo-clean.jpg"),
        repo.path().join("photo.jpg"),
    )
    .unwrap();
    repo.write(
        "schedule.csv",
        "Date,Message\n2026-03-05,Her SSN is 987-65-4320.\n2026-03-06,See you at the fair!\n",
    );
    repo.commit("base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    // Renamed with one line added: reported under the new name, at the added line.
    repo.mv("a.md", "posts/b.md");
    repo.write(
        "posts/b.md",
        format!("{STORY}Call 555-0142 or email jo@example.com.\n"),
    );
    // Renamed as it was, and deleted: nothing.
    repo.mv("moved.md", "posts/moved.md");
    repo.git(&["rm", "-q", "gone.md"]);
    // A binary changed: its lines cannot be compared, so all of it is checked.
    std::fs::copy(formats.join("photo-phi.jpg"), repo.path().join("photo.jpg")).unwrap();
    // A row added to a table: only that row.
    repo.write(
        "schedule.csv",
        "Date,Message\n2026-03-05,Her SSN is 987-65-4320.\n2026-03-06,See you at the fair!\n\
         2026-03-07,MRN 00482913 is ready for pickup.\n",
    );
    repo.commit("feature");

    let (code, report) = repo.report(&["scan", "--diff", "main"]);
    assert_eq!(code, 1);
    let got = posts(&report);
    let sources: Vec<&str> = got.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(sources, vec!["photo.jpg", "posts/b.md", "schedule.csv"]);
    assert_eq!(
        got[1].1,
        vec![(4, 6, "phone".to_owned()), (4, 24, "email".to_owned())]
    );
    assert_eq!(got[2].1, vec![(4, 16, "medical_record_number".to_owned())]);
    assert_eq!(report["posts"][2]["locator"], "row 4");
    assert!(
        got[0].1.len() > 1,
        "the whole photo's metadata: {:?}",
        got[0].1
    );
    assert_eq!(
        notes(&report),
        vec![(
            "photo.jpg".to_owned(),
            "info".to_owned(),
            "binary file changed: its lines cannot be compared, so all of it was checked"
                .to_owned()
        )]
    );
}

#[test]
fn diff_needs_a_base_with_shared_history() {
    let repo = Repo::new();
    // No commit at all yet.
    let (code, out) = repo.phiguard(&["scan", "--diff", "main"]);
    assert_eq!(code, 2);
    assert!(
        out.contains("phiguard: scan --diff main: no commit named \"main\""),
        "{out}"
    );

    repo.write("post.md", CLEAN);
    repo.commit("first");
    let (code, out) = repo.phiguard(&["scan", "--diff", "origin/main"]);
    assert_eq!(code, 2);
    assert_eq!(
        out,
        "phiguard: scan --diff origin/main: no commit named \"origin/main\" in this repository \
         (a typo, or not fetched: git fetch origin, or in GitHub Actions check out with \
         fetch-depth: 0)\nphiguard: the check did not run: nothing was checked.\n"
    );
    let (code, out) = repo.phiguard(&["scan", "--diff=-p"]);
    assert_eq!(code, 2);
    assert!(out.contains("BASE must name a commit"), "{out}");

    repo.git(&["checkout", "-q", "--orphan", "other"]);
    repo.commit("unrelated");
    let (code, out) = repo.phiguard(&["scan", "--diff", "main"]);
    assert_eq!(code, 2);
    assert!(out.contains("main and HEAD share no history"), "{out}");
}

// ---- install-hook --------------------------------------------------------------------------

/// A hook of the user's own: records that it ran, and fails while `block` exists.
const OWN_HOOK: &str = "#!/bin/sh\necho ran >> own-hook-ran\n[ -e block ] && exit 1\nexit 0\n";

#[cfg(unix)]
fn write_own_hook(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, OWN_HOOK).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[cfg(unix)]
#[test]
fn install_hook_refuses_another_hook_unless_forced() {
    let repo = Repo::new();
    write_own_hook(&repo.hook());
    let (code, out) = repo.phiguard(&["install-hook"]);
    assert_eq!(code, 2);
    assert_eq!(
        out,
        "phiguard: install-hook: .git/hooks/pre-commit already exists and is not phiguard's; it \
         was left alone. Use --append to keep it and run it first (a commit needs both to \
         pass), or --force to replace it (it is kept as pre-commit.replaced-by-phiguard).\n"
    );
    assert_eq!(std::fs::read_to_string(repo.hook()).unwrap(), OWN_HOOK);

    let (code, out) = repo.phiguard(&["install-hook", "--force"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with("replaced the pre-commit hook .git/hooks/pre-commit"),
        "{out}"
    );
    let kept = repo
        .path()
        .join(".git/hooks/pre-commit.replaced-by-phiguard");
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), OWN_HOOK);
    // The replaced hook does not run; ours does.
    repo.write("post.md", RISKY);
    repo.git(&["add", "post.md"]);
    assert!(!repo.try_commit("risky").status.success());
    assert!(!repo.path().join("own-hook-ran").exists());

    let (code, out) = repo.phiguard(&["install-hook", "--uninstall"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("put back the hook that was there before"),
        "{out}"
    );
    assert_eq!(std::fs::read_to_string(repo.hook()).unwrap(), OWN_HOOK);
    assert!(!kept.exists());
    // Not ours: uninstall leaves it alone.
    let (code, out) = repo.phiguard(&["install-hook", "--uninstall"]);
    assert_eq!(code, 2);
    assert!(
        out.contains("is not phiguard's hook; it was left alone"),
        "{out}"
    );
}

#[cfg(unix)]
#[test]
fn install_hook_append_runs_both_and_either_blocks() {
    let repo = Repo::new();
    write_own_hook(&repo.hook());
    let (code, out) = repo.phiguard(&["install-hook", "--append"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.ends_with(
            "after the hook that was there (now .git/hooks/pre-commit.before-phiguard); a \
             commit needs both to pass.\n"
        ),
        "{out}"
    );
    let ran = repo.path().join("own-hook-ran");
    let runs = || {
        std::fs::read_to_string(&ran)
            .map(|s| s.lines().count())
            .unwrap_or(0)
    };
    repo.write(".gitignore", "own-hook-ran\nblock\n");

    // Both pass.
    repo.write("post.md", CLEAN);
    repo.git(&["add", "-A"]);
    let out = repo.try_commit("clean");
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(runs(), 1);
    // The user's hook fails: blocked, though phiguard passes.
    repo.write("block", "");
    repo.write("post.md", format!("{CLEAN}{CLEAN}"));
    repo.git(&["add", "post.md"]);
    assert!(!repo.try_commit("blocked by own hook").status.success());
    assert_eq!(runs(), 2);
    std::fs::remove_file(repo.path().join("block")).unwrap();
    // phiguard fails: blocked, and the user's hook still ran.
    repo.write("post.md", RISKY);
    repo.git(&["add", "post.md"]);
    let out = repo.try_commit("blocked by phiguard");
    assert!(!out.status.success());
    assert!(text(&out).contains("HIGH   post.md"), "{}", text(&out));
    assert_eq!(runs(), 3);
    assert_eq!(repo.commits(), 1);

    // Ours is already there: appending again changes nothing.
    let (code, out) = repo.phiguard(&["install-hook", "--append"]);
    assert_eq!(code, 0);
    assert!(out.contains("already installed"), "{out}");
    let (code, out) = repo.phiguard(&["install-hook", "--uninstall"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(std::fs::read_to_string(repo.hook()).unwrap(), OWN_HOOK);
}

#[test]
fn install_hook_respects_core_hooks_path_and_worktrees() {
    let repo = Repo::new();
    repo.git(&["config", "core.hooksPath", ".githooks"]);
    let (code, out) = repo.phiguard(&["install-hook"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with("installed the pre-commit hook .githooks/pre-commit"),
        "{out}"
    );
    assert!(repo.path().join(".githooks/pre-commit").exists());
    assert!(!repo.hook().exists());
    repo.write("post.md", RISKY);
    repo.git(&["add", "post.md"]);
    assert!(!repo.try_commit("risky").status.success());
    assert_eq!(repo.commits(), 0);

    // A linked worktree shares the repository's hooks.
    let repo = Repo::new();
    repo.write("first.md", CLEAN);
    repo.commit("first");
    let outer = tempfile::tempdir().unwrap();
    let wt = outer.path().join("wt");
    repo.git(&["worktree", "add", "-q", wt.to_str().unwrap()]);
    let (code, out) = repo.phiguard_in(&wt, &["install-hook"]);
    assert_eq!(code, 0, "{out}");
    assert!(repo.hook().exists(), "{out}");
    std::fs::write(wt.join("post.md"), RISKY).unwrap();
    repo.git_in(&wt, &["add", "post.md"]);
    let out = repo.git_in(&wt, &["commit", "-q", "-m", "risky"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("HIGH   post.md"), "{}", text(&out));
}

// ---- the pre-commit framework --------------------------------------------------------------

/// `pre-commit try-repo` builds phiguard from this repository with `cargo install` (the
/// manifest's `language: rust`) and runs it on a temporary repository's files. Skipped with a
/// notice when `pre-commit` is not installed, unless `CI` is set (`.ci/run` installs it).
#[test]
fn the_pre_commit_framework_runs_the_hook() {
    let found = Command::new("pre-commit").arg("--version").output();
    if !found.as_ref().is_ok_and(|o| o.status.success()) {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but pre-commit is not installed (.ci/run installs it with pip)"
        );
        eprintln!(
            "notice: pre-commit is not installed; skipping the pre-commit framework test \
             (pip install pre-commit)"
        );
        return;
    }
    let repo = Repo::new();
    repo.write("risky.md", RISKY);
    repo.write("clean.md", CLEAN);
    repo.commit("posts");
    let manifest_dir = env!("CARGO_MANIFEST_DIR");
    // The build is cached between runs; a quick profile, since only the hook's wiring is tested.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pre-commit-build");
    let try_repo = |file: &str| {
        let mut cmd = Command::new("pre-commit");
        hermetic(&mut cmd)
            .args(["try-repo", manifest_dir, "phiguard", "--files", file])
            .current_dir(repo.path())
            .env("CARGO_TARGET_DIR", &target)
            .env("CARGO_PROFILE_RELEASE_LTO", "false")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
            .env("PRE_COMMIT_COLOR", "never");
        // try-repo copies uncommitted changes of this repository into a commit of its own.
        cmd.env("GIT_AUTHOR_NAME", "Test Writer")
            .env("GIT_AUTHOR_EMAIL", "writer@example.com")
            .env("GIT_COMMITTER_NAME", "Test Writer")
            .env("GIT_COMMITTER_EMAIL", "writer@example.com");
        cmd.output().unwrap()
    };
    let out = try_repo("risky.md");
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("Failed"), "{said}");
    assert!(said.contains("HIGH   risky.md"), "{said}");
    assert!(!said.contains(RISKY_RAW), "{said}");
    let out = try_repo("clean.md");
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("Passed"), "{said}");
    // A configuration phiguard cannot read fails the hook, saying the check did not run.
    repo.write(".phiguard.toml", "[risk]\nno-such-key = 1\n");
    let out = try_repo("clean.md");
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("Failed"), "{said}");
    assert!(
        said.contains("phiguard: the check did not run: nothing was checked."),
        "{said}"
    );
}

/// Ways a git scan could pass what it did not check (found in review): coloured diff output,
/// a stray NUL byte in a staged text, a text that only starts like a Git LFS pointer, and a
/// baseline whose accepted value is added again or sits in another file.
#[test]
fn git_scans_do_not_fail_open() {
    let repo = Repo::new();
    repo.write("post.md", CLEAN);
    repo.commit("base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("post.md", format!("{CLEAN}{RISKY}"));
    repo.commit("risky line");
    // A user's colour setting does not hide the added lines.
    repo.git(&["config", "color.diff", "always"]);
    repo.git(&["config", "color.ui", "always"]);
    let (code, report) = repo.report(&["scan", "--diff", "main"]);
    assert_eq!(code, 1);
    assert_eq!(posts(&report), vec![("post.md".to_owned(), ssn_at(2))]);

    // A text with a NUL byte, handed over by git, is checked, not skipped as binary.
    repo.write("nul.md", format!("x\0\n{RISKY}"));
    repo.git(&["add", "nul.md"]);
    let (code, report) = repo.report(&["scan", "--staged"]);
    assert_eq!(code, 1);
    assert_eq!(posts(&report), vec![("nul.md".to_owned(), ssn_at(2))]);
    repo.git(&["rm", "-q", "--cached", "nul.md"]);
    std::fs::remove_file(repo.path().join("nul.md")).unwrap();

    // A post that starts like an LFS pointer but goes on is scanned as itself.
    let oid = "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393";
    repo.write(
        "fake.md",
        format!("version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize 12\n{RISKY}"),
    );
    repo.git(&["add", "fake.md"]);
    let (code, report) = repo.report(&["scan", "--staged"]);
    assert_eq!(code, 1);
    let mut spots = vec![(1, 9, "url".to_owned())];
    spots.extend(ssn_at(4));
    assert_eq!(posts(&report), vec![("fake.md".to_owned(), spots)]);
}

#[test]
fn baselines_in_git_scans_count_every_copy_and_the_right_file() {
    let repo = Repo::new();
    repo.write("post.md", format!("{RISKY}\nother text\n"));
    repo.write("sub/x.md", RISKY);
    repo.commit("accepted posts");
    let (code, out) = repo.phiguard(&["baseline", "create"]);
    assert_eq!(code, 0, "{out}");
    repo.commit("baseline");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    // The accepted value again, on an added line: a new finding, not the accepted one.
    repo.write("post.md", format!("{RISKY}\nother text\n{RISKY}"));
    repo.commit("again");
    let (code, report) = repo.report(&[
        "scan",
        "--diff",
        "main",
        "--baseline",
        ".phiguard-baseline.json",
    ]);
    assert_eq!(code, 1);
    assert_eq!(posts(&report), vec![("post.md".to_owned(), ssn_at(4))]);

    // From a subfolder, a staged top-level copy of sub/x.md's accepted line is new.
    repo.write("x.md", RISKY);
    repo.git(&["add", "x.md"]);
    let (code, out) = repo.phiguard_in(
        &repo.path().join("sub"),
        &[
            "scan",
            "--staged",
            "--baseline",
            "../.phiguard-baseline.json",
        ],
    );
    assert_eq!(code, 1, "{out}");
}

/// A branch that changes the configuration reviewing it gets a note saying so.
#[test]
fn a_changed_configuration_is_noted() {
    let repo = Repo::new();
    repo.write("post.md", CLEAN);
    repo.commit("base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write(".phiguard.toml", "[allow]\npatterns = ['(?s).*']\n");
    repo.write("post.md", format!("{CLEAN}{RISKY}"));
    repo.commit("allow everything");
    let (code, report) = repo.report(&["scan", "--diff", "main"]);
    assert_eq!(code, 0, "the changed configuration applies");
    let notes = notes(&report);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0].0, ".phiguard.toml");
    assert_eq!(notes[0].1, "info");
    assert!(
        notes[0]
            .2
            .starts_with("the configuration changed in scan --diff main")
    );
}
