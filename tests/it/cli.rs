//! The `phiguard` binary end to end: exit codes, formats, masking, notes, stdin, colour.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::util::phiguard;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/posts")
}

/// The sample posts that hold PHI, and those that do not.
const RISKY: &[&str] = &[
    "01-nicu-graduate.md",
    "02-wristband-photo.md",
    "03-centenarian.txt",
    "04-insurance-screenshot.md",
    "05-billing-reply.txt",
    "06-records-screenshot.md",
    "11-medicare-card.md",
];
const CLEAN: &[&str] = &[
    "07-flu-clinic.md",
    "08-staff-award.md",
    "09-heart-health.md",
    "10-job-fair.txt",
    "12-pharmacy-hours.md",
    "13-anniversary.md",
];

fn stdout_of(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("utf-8 output")
}

// ---- the JSON contract ---------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Report {
    schema: String,
    tool: Tool,
    posts: Vec<Post>,
    notes: Vec<Note>,
    summary: Summary,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Tool {
    name: String,
    version: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Post {
    source: String,
    locator: Option<String>,
    risk: String,
    score: f64,
    reasons: Vec<String>,
    findings: Vec<Finding>,
    allowed: Vec<AllowedFinding>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct AllowedFinding {
    rule: String,
    category: String,
    line: usize,
    column: usize,
    locator: Option<String>,
    value: String,
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Finding {
    rule: String,
    category: String,
    confidence: f64,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    byte_start: usize,
    byte_end: usize,
    locator: Option<String>,
    value: String,
    fingerprint: String,
    #[serde(default)]
    authorization: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Note {
    source: String,
    kind: String,
    message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Summary {
    sources: usize,
    posts: usize,
    findings: usize,
    allowed: usize,
    risk: RiskCounts,
    skipped: usize,
    errors: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct RiskCounts {
    none: usize,
    low: usize,
    medium: usize,
    high: usize,
}

fn json_report(args: &[&str], stdin: Option<&str>) -> (Report, i32) {
    let mut cmd = phiguard();
    cmd.arg("scan").arg("--format").arg("json").args(args);
    if let Some(s) = stdin {
        cmd.write_stdin(s);
    }
    let out = cmd.output().unwrap();
    let report: Report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not a phiguard.report/1 document: {e}\n{}", stdout_of(&out)));
    (report, out.status.code().unwrap())
}

fn copy_posts(names: &[&str], dir: &Path) {
    for n in names {
        std::fs::copy(fixtures().join(n), dir.join(n)).unwrap();
    }
}

/// The README's demo: the sample posts hold PHI, so the scan reports them and exits 1.
#[test]
fn sample_posts_report_the_risky_ones_and_exit_1() {
    let out = phiguard().arg("scan").arg(fixtures()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout_of(&out);
    for name in RISKY {
        assert!(text.contains(name), "{name} is not reported:\n{text}");
    }
    assert!(text.contains("13 posts in 13 files"), "{text}");
    assert!(text.contains("at or above --fail-on medium"), "{text}");
}

/// Every risky sample reaches medium or high; every clean one stays low or none.
#[test]
fn sample_post_verdicts() {
    let (report, code) = json_report(&["--min-risk", "none", fixtures().to_str().unwrap()], None);
    assert_eq!(code, 1);
    assert_eq!(report.posts.len(), 13);
    for post in &report.posts {
        let name = Path::new(&post.source)
            .file_name()
            .unwrap()
            .to_str()
            .unwrap();
        if RISKY.contains(&name) {
            assert!(
                post.risk == "medium" || post.risk == "high",
                "{name} should be risky, is {}",
                post.risk
            );
        } else {
            assert!(CLEAN.contains(&name), "unexpected sample {name}");
            assert!(
                post.risk == "low" || post.risk == "none",
                "{name} should pass, is {} ({:?})",
                post.risk,
                post.reasons
            );
        }
    }
}

/// A folder of clean posts passes.
#[test]
fn clean_posts_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    copy_posts(CLEAN, dir.path());
    let out = phiguard().arg("scan").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout_of(&out));
}

/// `--fail-on` decides the exit code; `none` never fails.
#[test]
fn fail_on_levels() {
    let dir = tempfile::tempdir().unwrap();
    copy_posts(&["07-flu-clinic.md"], dir.path());
    let run = |level: &str| {
        phiguard()
            .args(["scan", "--fail-on", level])
            .arg(dir.path())
            .output()
            .unwrap()
            .status
            .code()
    };
    // The flu-clinic post has the clinic's own phone, address and event date: low.
    assert_eq!(run("low"), Some(1));
    assert_eq!(run("medium"), Some(0));
    assert_eq!(run("none"), Some(0));

    let risky = tempfile::tempdir().unwrap();
    copy_posts(&["06-records-screenshot.md"], risky.path());
    let code = phiguard()
        .args(["scan", "--fail-on", "none"])
        .arg(risky.path())
        .output()
        .unwrap()
        .status
        .code();
    assert_eq!(code, Some(0));
}

/// The JSON report parses with the exact schema, and its fields say where the SSN is.
#[test]
fn json_report_schema_and_locations() {
    let text = "Great news from 4 West.\nJosé's intake form shows SSN: 987-65-4321 — oops.\n";
    let (report, code) = json_report(&["-"], Some(text));
    assert_eq!(code, 1);
    assert_eq!(report.schema, "phiguard.report/1");
    assert_eq!(report.tool.name, "phiguard");
    assert_eq!(report.summary.sources, 1);
    assert_eq!(report.summary.posts, 1);
    assert_eq!(report.summary.risk.high, 1);
    assert_eq!(report.posts.len(), 1);
    let post = &report.posts[0];
    assert_eq!(post.source, "-");
    assert_eq!(post.locator, None);
    assert_eq!(post.risk, "high");
    let ssn: Vec<&Finding> = post
        .findings
        .iter()
        .filter(|f| f.category == "ssn")
        .collect();
    assert_eq!(ssn.len(), 1);
    let f = ssn[0];
    // Line 2; "José's intake form shows SSN: " is 30 characters (31 bytes: é is two).
    assert_eq!((f.line, f.column, f.end_line, f.end_column), (2, 31, 2, 42));
    assert_eq!((f.byte_start, f.byte_end), (24 + 31, 24 + 31 + 11));
    assert_eq!(&text.as_bytes()[f.byte_start..f.byte_end], b"987-65-4321");
    assert_eq!(f.value, "***-**-4321");
    assert_eq!(f.fingerprint.len(), 20);
}

/// No raw SSN, MRN or phone number appears in any output unless --show-values is given.
#[test]
fn values_are_masked_unless_show_values() {
    let dir = tempfile::tempdir().unwrap();
    let post = dir.path().join("post.md");
    std::fs::write(
        &post,
        "Alt text: wristband MRN 00482913, SSN 987-65-4321; call her at (555) 555-0142.\n",
    )
    .unwrap();
    let raw = ["00482913", "987-65-4321", "555-0142"];
    for format in ["human", "json"] {
        let out = phiguard()
            .args(["scan", "--format", format])
            .arg(&post)
            .output()
            .unwrap();
        let all = format!(
            "{}{}",
            stdout_of(&out),
            String::from_utf8_lossy(&out.stderr)
        );
        for v in raw {
            assert!(!all.contains(v), "{format} output leaks {v}:\n{all}");
        }
        let shown = phiguard()
            .args(["scan", "--show-values", "--format", format])
            .arg(&post)
            .output()
            .unwrap();
        let shown = stdout_of(&shown);
        for v in raw {
            assert!(
                shown.contains(v),
                "{format} --show-values lacks {v}:\n{shown}"
            );
        }
    }
    let report_file = dir.path().join("report.json");
    phiguard()
        .args(["scan", "--format", "json", "--output"])
        .arg(&report_file)
        .arg(&post)
        .assert()
        .code(1)
        .stdout("");
    let written = std::fs::read_to_string(&report_file).unwrap();
    assert!(written.contains("\"schema\": \"phiguard.report/1\""));
    for v in raw {
        assert!(!written.contains(v), "report file leaks {v}");
    }
}

/// The human report shows the line with the value masked and a caret under it.
#[test]
fn human_report_shows_masked_line_and_caret() {
    let out = phiguard()
        .args(["scan", "-"])
        .write_stdin("Please fax the form.\nHer SSN is 987-65-4321, thanks.\n")
        .output()
        .unwrap();
    let text = stdout_of(&out);
    assert!(text.starts_with("HIGH   -  score"), "{text}");
    assert!(text.contains("  why:  Social Security number: never belongs in a public post"));
    assert!(text.contains("  2:12  ssn  ***-**-4321  ["), "{text}");
    assert!(
        text.contains("    2 │ Her SSN is ***-**-4321, thanks."),
        "{text}"
    );
    assert!(text.contains("      │            ^^^^^^^^^^^\n"), "{text}");
    assert!(text.contains("Values are masked; --show-values prints them."));
}

/// A malformed --pack stops the scan with exit 2 and names the file, line and rule.
#[test]
fn malformed_pack_exits_2_naming_file_line_and_rule() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("bad.toml");
    std::fs::write(
        &pack,
        "[pack]\nid = \"bad\"\n\n[[rule]]\nid = \"bad.portal\"\ncategory = \"other_id\"\nregex = 'PP-([0-9]{6}'\n",
    )
    .unwrap();
    let out = phiguard()
        .args(["scan", "--pack"])
        .arg(&pack)
        .arg(fixtures())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let expected = format!(
        "{}:7: error: rule `bad.portal`: regex does not compile",
        pack.display()
    );
    assert!(err.contains(&expected), "{err}");
    assert!(out.stdout.is_empty(), "no report when the packs are broken");

    std::fs::write(
        &pack,
        "[pack]\nid = \"bad\"\n[[rule]]\nid = \"bad.x\"\ncategory = \"other\"\nregex = 'x'\n",
    )
    .unwrap();
    let out = phiguard()
        .args(["scan", "--pack"])
        .arg(&pack)
        .arg("-")
        .write_stdin("x")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{}:5:12: error: ", pack.display())),
        "{err}"
    );
    assert!(err.contains("unknown variant `other`"), "{err}");
}

/// A user pack adds rules; --no-default-packs leaves only it.
#[test]
fn user_pack_and_no_default_packs() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("acme.toml");
    std::fs::write(
        &pack,
        "[pack]\nid = \"acme\"\n[[rule]]\nid = \"acme.portal\"\ncategory = \"other_id\"\n\
         regex = '(?-u:\\b)PP-([0-9]{6})(?-u:\\b)'\nseverity = \"high\"\nconfidence = 0.8\n\
         examples = [\"PP-204817\"]\n",
    )
    .unwrap();
    let text = "Portal user PP-204817 says hi. SSN 987-65-4321.";
    let (report, code) = json_report(&["--pack", pack.to_str().unwrap(), "-"], Some(text));
    assert_eq!(code, 1);
    let rules: Vec<&str> = report.posts[0]
        .findings
        .iter()
        .map(|f| f.rule.as_str())
        .collect();
    assert!(rules.contains(&"acme.portal"), "{rules:?}");
    assert!(rules.iter().any(|r| r.starts_with("hipaa.")), "{rules:?}");

    let (report, _) = json_report(
        &["--no-default-packs", "--pack", pack.to_str().unwrap(), "-"],
        Some(text),
    );
    let rules: Vec<&str> = report.posts[0]
        .findings
        .iter()
        .map(|f| f.rule.as_str())
        .collect();
    assert_eq!(rules, vec!["acme.portal"]);

    phiguard()
        .args(["scan", "--no-default-packs", "-"])
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no packs selected"));
}

/// An unreadable path is reported, the rest is scanned, and the exit code is 2, never "clean".
#[test]
fn unreadable_path_is_reported_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    copy_posts(&["07-flu-clinic.md"], dir.path());
    let missing = dir.path().join("missing.md");
    let (report, code) = json_report(
        &[
            missing.to_str().unwrap(),
            dir.path().join("07-flu-clinic.md").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 2);
    assert_eq!(report.summary.sources, 1);
    assert_eq!(report.summary.errors, 1);
    assert_eq!(report.notes.len(), 1);
    assert_eq!(report.notes[0].kind, "error");
    assert_eq!(
        report.notes[0].message,
        "cannot read: no such file or folder"
    );

    let out = phiguard().arg("scan").arg(&missing).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = stdout_of(&out);
    assert!(text.contains("could not be checked"), "{text}");
}

/// Hidden and binary files are skipped with a note; --verbose lists them.
#[test]
fn hidden_and_binary_files_are_skipped_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".draft.md"), "SSN 987-65-4321").unwrap();
    // Binary that is not an image (images are read by their metadata: tests/it/images.rs).
    std::fs::write(dir.path().join("archive.bin"), b"PK\x03\x04\0\0\0\x08\0").unwrap();
    std::fs::write(dir.path().join("ok.md"), "Walk-in flu shots all week.").unwrap();
    let (report, code) = json_report(&[dir.path().to_str().unwrap()], None);
    assert_eq!(code, 0);
    assert_eq!(report.summary.sources, 1);
    assert_eq!(report.summary.skipped, 2);
    let kinds: Vec<(&str, &str)> = report
        .notes
        .iter()
        .map(|n| (n.kind.as_str(), n.message.as_str()))
        .collect();
    assert!(
        kinds.contains(&(
            "skipped",
            "binary file skipped (name it explicitly to scan it)"
        )),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&(
            "skipped",
            "hidden file skipped (name it explicitly to scan it)"
        )),
        "{kinds:?}"
    );

    let out = phiguard()
        .args(["scan", "-v"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = stdout_of(&out);
    assert!(text.contains("skipped: "), "{text}");
    assert!(text.contains("2 paths skipped"), "{text}");

    // Named explicitly, a hidden file is scanned.
    phiguard()
        .arg("scan")
        .arg(dir.path().join(".draft.md"))
        .assert()
        .code(1);
}

/// A file with invalid UTF-8 is scanned; offsets still point at the original bytes.
#[test]
fn invalid_utf8_keeps_exact_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.txt");
    let mut bytes = b"Caf\xE9 \xE9\xE9 SSN ".to_vec();
    let start = bytes.len();
    bytes.extend_from_slice(b"987-65-4321 end");
    std::fs::write(&path, &bytes).unwrap();
    let (report, code) = json_report(&[path.to_str().unwrap()], None);
    assert_eq!(code, 1);
    let f = report.posts[0]
        .findings
        .iter()
        .find(|f| f.category == "ssn")
        .expect("ssn found");
    assert_eq!((f.byte_start, f.byte_end), (start, start + 11));
    assert_eq!(f.column, 13, "each invalid byte is one column");
    assert_eq!(report.notes[0].kind, "info");
}

/// Colour: never with NO_COLOR, never when piped unless asked, present with --color always.
#[test]
fn colour_follows_no_color_and_tty() {
    let text = "SSN 987-65-4321";
    let plain = phiguard()
        .args(["scan", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert!(!plain.stdout.contains(&0x1b), "piped output has no colour");
    let forced = phiguard()
        .args(["scan", "--color", "always", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert!(forced.stdout.contains(&0x1b), "--color always colours");
    let no_color = phiguard()
        .env("NO_COLOR", "1")
        .args(["scan", "--color", "always", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert!(!no_color.stdout.contains(&0x1b), "NO_COLOR wins");
}

/// `--min-risk` hides posts below it from the listing but still counts them.
#[test]
fn min_risk_filters_listing_not_counts() {
    let (report, _) = json_report(&["--min-risk", "high", fixtures().to_str().unwrap()], None);
    assert!(report.posts.iter().all(|p| p.risk == "high"));
    assert_eq!(report.summary.posts, 13);
}

/// A reader that stops early (`| head`) is not an error.
#[test]
fn broken_pipe_is_not_an_error() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    for i in 0..400 {
        std::fs::write(
            dir.path().join(format!("post{i:03}.md")),
            "Wristband: MRN 00482913. SSN 987-65-4321. Call (555) 555-0142.\n".repeat(5),
        )
        .unwrap();
    }
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("phiguard"))
        .arg("scan")
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(status.code(), Some(1), "stderr: {err}");
    assert!(err.is_empty(), "{err}");
}

/// No path means the current folder.
#[test]
fn default_path_is_the_current_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.md"), "MRN 00482913 in the photo").unwrap();
    phiguard()
        .current_dir(dir.path())
        .arg("scan")
        .assert()
        .code(1)
        .stdout(predicates::str::contains("p.md"));
}

/// Posts below --fail-on are listed compactly (no advice, no snippet); at or above, in full.
#[test]
fn posts_below_the_fail_level_are_compact() {
    let text = "Flu shots Saturday! Call (555) 555-0142.\n";
    let out = phiguard()
        .args(["scan", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    let compact = stdout_of(&out);
    assert!(compact.starts_with("LOW    -  score"), "{compact}");
    assert!(
        compact.contains("  1:26  phone  (***) ***-0142  ["),
        "{compact}"
    );
    assert!(!compact.contains("fix:"), "{compact}");
    assert!(!compact.contains(" │ "), "{compact}");

    let out = phiguard()
        .args(["scan", "--fail-on", "low", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    let full = stdout_of(&out);
    assert!(
        full.contains("  fix:  keep only your organisation's published numbers"),
        "{full}"
    );
    assert!(
        full.contains("    1 │ Flu shots Saturday! Call (***) ***-0142."),
        "{full}"
    );
}

/// Text saved as UTF-16 (Notepad's "Unicode") is decoded, not skipped as binary, and a binary
/// file named explicitly is scanned.
#[test]
fn utf16_and_named_binary_files_are_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = vec![0xFF, 0xFE];
    for u in "Patient SSN: 987-65-4321\r\n".encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(dir.path().join("u16.txt"), &bytes).unwrap();
    let (report, code) = json_report(&[dir.path().to_str().unwrap()], None);
    assert_eq!(code, 1);
    let f = &report.posts[0].findings[0];
    assert_eq!(f.category, "ssn");
    // "Patient SSN: " is 13 characters: bytes 2 + 13*2 = 28 to 28 + 11*2.
    assert_eq!((f.byte_start, f.byte_end), (28, 50));
    assert_eq!((f.line, f.column), (1, 14));

    let bin = dir.path().join("scan.bin");
    std::fs::write(&bin, b"\0\0header\0 MRN 00482913 \0").unwrap();
    phiguard().arg("scan").arg(dir.path()).assert().code(1);
    let (report, code) = json_report(&[bin.to_str().unwrap()], None);
    assert_eq!(code, 1);
    assert_eq!(
        report.posts[0].findings[0].category,
        "medical_record_number"
    );
}

/// A pipe named as a file is refused (it would block forever) and the run is incomplete.
#[cfg(unix)]
#[test]
fn a_named_pipe_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("post.txt");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let (report, code) = json_report(&[fifo.to_str().unwrap()], None);
    assert_eq!(code, 2);
    assert_eq!(
        report.notes[0].message,
        "not a regular file (a pipe, socket or device); it was not checked"
    );
    // Met in a folder walk, it is skipped with a note.
    std::fs::write(dir.path().join("ok.md"), "Walk-in flu shots.").unwrap();
    let (report, code) = json_report(&[dir.path().to_str().unwrap()], None);
    assert_eq!(code, 0);
    assert_eq!(report.summary.skipped, 1);
}

/// CRLF line endings and a UTF-8 byte-order mark: columns as an editor shows them, and no
/// carriage return in the printed line.
#[test]
fn crlf_and_byte_order_mark_locations() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crlf.md");
    std::fs::write(&path, b"\xEF\xBB\xBFMRN 00482913\r\nSSN 987-65-4321\r\n").unwrap();
    let (report, _) = json_report(&[path.to_str().unwrap()], None);
    let f: Vec<(usize, usize, usize, usize)> = report.posts[0]
        .findings
        .iter()
        .map(|f| (f.line, f.column, f.byte_start, f.byte_end))
        .collect();
    assert_eq!(f, vec![(1, 5, 7, 15), (2, 5, 21, 32)]);
    let out = phiguard().arg("scan").arg(&path).output().unwrap();
    let text = stdout_of(&out);
    assert!(text.contains("    1 │ MRN ******13\n"), "{text}");
    assert!(text.contains("    2 │ SSN ***-**-4321\n"), "{text}");
    assert!(!text.contains('\r'));
}

/// A candidate that loses an overlap is masked too: no digit of the phone number shows.
#[test]
fn overlap_losers_are_masked_in_the_printed_line() {
    let out = phiguard()
        .args(["scan", "--fail-on", "low", "-"])
        .write_stdin("Call (555) 482-1093 Elm Street today\n")
        .output()
        .unwrap();
    let text = stdout_of(&out);
    assert!(text.contains(" │ "), "{text}");
    for line in text.lines().filter(|l| l.contains(" │ ")) {
        assert!(!line.contains("555") && !line.contains("1093"), "{text}");
    }
}

/// A value with control characters never reaches the terminal raw.
#[test]
fn control_characters_in_values_are_neutralised() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("p.toml");
    std::fs::write(
        &pack,
        "[pack]\nid = \"p\"\n[[rule]]\nid = \"p.any\"\ncategory = \"name\"\nregex = 'patient: (\\S+)'\nexamples = [\"patient: x\"]\n",
    )
    .unwrap();
    for show in [false, true] {
        let mut cmd = phiguard();
        cmd.args(["scan", "--no-default-packs", "--pack"])
            .arg(&pack);
        if show {
            cmd.arg("--show-values");
        }
        let out = cmd
            .arg("-")
            .write_stdin("patient: Jane\x1b]0;PWNED\x07Doe\n")
            .output()
            .unwrap();
        assert!(!out.stdout.contains(&0x1b), "ESC reached the terminal");
        assert!(!out.stdout.contains(&0x07), "BEL reached the terminal");
    }
}

/// A rule's severity is the level its finding reaches on its own, whatever its confidence.
#[test]
fn a_high_severity_rule_makes_a_post_high() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("acme.toml");
    std::fs::write(
        &pack,
        "[pack]\nid = \"acme\"\n[[rule]]\nid = \"acme.portal\"\ncategory = \"other_id\"\n\
         regex = '(?-u:\\b)PP-([0-9]{6})(?-u:\\b)'\nseverity = \"high\"\nexamples = [\"PP-204817\"]\n",
    )
    .unwrap();
    phiguard()
        .args(["scan", "--fail-on", "high", "--pack"])
        .arg(&pack)
        .arg("-")
        .write_stdin("portal user PP-204817")
        .assert()
        .code(1)
        .stdout(predicates::str::starts_with("HIGH "));
}

/// `--min-risk none` lists posts with nothing found too.
#[test]
fn min_risk_none_lists_clean_posts() {
    phiguard()
        .args(["scan", "--min-risk", "none", "-"])
        .write_stdin("Walk-in flu shots all week.")
        .assert()
        .code(0)
        .stdout(predicates::str::starts_with("NONE   -  score 0.00"));
}

/// A closed stderr or stdout never changes the verdict.
#[test]
fn closed_pipes_keep_the_exit_code() {
    use std::process::{Command, Stdio};
    let bin = assert_cmd::cargo::cargo_bin("phiguard");
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.md");
    let mut child = Command::new(&bin)
        .args(["scan", "--format", "json"])
        .arg(&missing)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    assert_eq!(child.wait().unwrap().code(), Some(2));

    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[pack]\nid = \"b\"\n[[rule]]\nid = \"b.x\"\ncategory = \"other_id\"\nregex = 'x1'\nexamples = [\"y\"]\n",
    )
    .unwrap();
    let mut child = Command::new(&bin)
        .args(["packs", "check"])
        .arg(&bad)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    assert_eq!(child.wait().unwrap().code(), Some(1));
}

/// `scan --format jsonl PATH` on 1, 2, 3 and 8 threads: the reports, checked to be the same
/// and to exit 1 (the fixtures hold PHI).
fn jsonl_reports_on_1_2_3_and_8_threads(path: &std::path::Path) -> Vec<String> {
    let mut reports = Vec::new();
    for threads in ["1", "2", "3", "8"] {
        let out = phiguard()
            .args(["scan", "-j", threads, "--format", "jsonl"])
            .arg(path)
            .timeout(std::time::Duration::from_secs(120))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "-j {threads}");
        reports.push(String::from_utf8(out.stdout).unwrap());
    }
    for r in &reports[1..] {
        assert_eq!(r, &reports[0]);
    }
    reports
}

#[test]
fn a_large_export_is_scanned_on_several_threads_with_the_same_report() {
    let dir = tempfile::tempdir().unwrap();
    // One export of 2,000 posts (several rounds of posts per thread); every ninth post holds
    // an invented SSN (987-65-432x), the others are clean.
    let mut text = String::new();
    let mut phi = Vec::new();
    for n in 0..2000 {
        if n % 9 == 4 {
            phi.push(n + 1);
            text.push_str(&format!(
                "{{\"text\": \"Post {n}: patient SSN 987-65-432{}\"}}\n",
                n % 10
            ));
        } else {
            text.push_str(&format!(
                "{{\"text\": \"Post {n}: flu shots every weekday from 9 to 5.\"}}\n"
            ));
        }
    }
    assert_eq!(phi.len(), 222);
    let export = dir.path().join("export.jsonl");
    std::fs::write(&export, text).unwrap();
    let reports = jsonl_reports_on_1_2_3_and_8_threads(&export);
    // The posts with findings, in the export's order, each at its own line.
    let posts: Vec<&str> = reports[0]
        .lines()
        .filter(|l| l.contains("\"phiguard.post/1\""))
        .collect();
    assert_eq!(posts.len(), 222);
    for (post, line) in posts.iter().zip(&phi) {
        assert!(post.contains(&format!("\"line {line}\"")), "{post}");
    }
    let summary = reports[0].lines().last().unwrap();
    assert!(
        summary.contains("\"sources\":1,\"posts\":2000"),
        "{summary}"
    );
}

/// An export first in the walk holds back the order in which outcomes are handed on while the
/// other threads go on with the files after it, until they are a window (512 inputs a thread)
/// ahead and must wait: the report is still the same on any number of threads.
#[test]
fn files_behind_a_large_export_wait_their_turn_and_the_report_stays_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let mut export = String::new();
    for n in 0..3000 {
        export.push_str(&format!(
            "{{\"text\": \"Export post {n}: call 555-01{:02} for flu shots.\"}}\n",
            n % 100
        ));
    }
    std::fs::write(dir.path().join("a-export.jsonl"), export).unwrap();
    // 4,500 small posts after it (more than eight threads' window); every 500th names an
    // invented SSN.
    for d in 0..9 {
        let sub = dir.path().join(format!("b{d}"));
        std::fs::create_dir(&sub).unwrap();
        for f in 0..500 {
            let text = if f == 250 {
                format!("Folder {d}: patient SSN 987-65-432{d}\n")
            } else {
                format!("Folder {d} post {f}: visiting hours are 9 to 5.\n")
            };
            std::fs::write(sub.join(format!("p{f:03}.md")), text).unwrap();
        }
    }
    let reports = jsonl_reports_on_1_2_3_and_8_threads(dir.path());
    let lines: Vec<&str> = reports[0].lines().collect();
    let summary = lines.last().unwrap();
    assert!(
        summary.contains("\"sources\":4501,\"posts\":7500"),
        "{summary}"
    );
    // The export's posts come first, then the folders' in order.
    let ssn: Vec<&str> = lines
        .iter()
        .filter(|l| l.contains("987-65-"))
        .copied()
        .collect();
    assert!(ssn.is_empty(), "values are masked");
    let folders: Vec<char> = lines
        .iter()
        .filter(|l| l.contains("\"phiguard.post/1\"") && l.contains("/p250.md"))
        .map(|l| l.as_bytes()[l.find("/b").unwrap() + 2] as char)
        .collect();
    assert_eq!(folders, "012345678".chars().collect::<Vec<_>>());
    let first = lines
        .iter()
        .position(|l| l.contains("\"phiguard.post/1\""))
        .unwrap();
    assert!(lines[first].contains("a-export.jsonl"), "{}", lines[first]);
}

/// A folder streams through the worker threads: whatever the thread count, every file is
/// scanned once and the report is the same, in input order (folders by name).
#[test]
fn a_large_folder_streams_the_same_report_on_any_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    // 40 folders of 30 posts; every seventh post holds an invented SSN (987-65-432x).
    let mut phi = 0;
    for d in 0..40 {
        let sub = dir.path().join(format!("d{d:02}"));
        std::fs::create_dir(&sub).unwrap();
        for f in 0..30 {
            let n = d * 30 + f;
            let text = if n % 7 == 0 {
                phi += 1;
                format!("Post {n}: patient SSN 987-65-432{}\n", n % 10)
            } else {
                format!("Post {n}: flu shots every weekday from 9 to 5.\n")
            };
            std::fs::write(sub.join(format!("p{f:02}.md")), text).unwrap();
        }
    }
    assert_eq!(phi, 172);
    let reports = jsonl_reports_on_1_2_3_and_8_threads(dir.path());
    let lines: Vec<&str> = reports[0].lines().collect();
    let posts: Vec<&str> = lines
        .iter()
        .filter(|l| l.contains("\"phiguard.post/1\""))
        .copied()
        .collect();
    assert_eq!(posts.len(), 172);
    assert!(posts[0].contains("d00/p00.md"), "{}", posts[0]);
    assert!(posts[1].contains("d00/p07.md"), "{}", posts[1]);
    assert!(posts[171].contains("d39/p27.md"), "{}", posts[171]);
    let summary = lines.last().unwrap();
    assert!(
        summary.contains("\"sources\":1200,\"posts\":1200"),
        "{summary}"
    );
}
