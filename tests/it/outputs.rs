//! The CI outputs end to end: `--format sarif` (validated against the official SARIF 2.1.0
//! schema), `--format github` (workflow commands and the job summary), `--format jsonl`,
//! `--output` for every format, and no raw identifier in any of them without `--show-values`.
//! Also the GitHub Action: its YAML, the flags it passes, and its scan script run for real.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use crate::util::phiguard;

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn stdout_of(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("utf-8 output")
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&path, text).unwrap();
    path
}

/// Runs `phiguard scan` in `dir` with `args`, no step summary in the environment.
fn scan_in(dir: &Path, args: &[&str]) -> Output {
    phiguard()
        .current_dir(dir)
        .env_remove("GITHUB_STEP_SUMMARY")
        .arg("scan")
        .args(args)
        .output()
        .expect("phiguard runs")
}

// ---- SARIF ---------------------------------------------------------------------------------

/// The `language` pattern of the OASIS TC's draft-07 file, which is not a valid ECMA-262
/// regular expression (a stray `]`); the TC's later revisions, and the 2020-12 rendering, read
/// it as below. The validator refuses to compile a schema holding an invalid pattern, so the
/// test corrects it in memory (the vendored file stays as published).
const BROKEN_LANGUAGE_PATTERN: &str = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
const LANGUAGE_PATTERN: &str = r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#;

/// The SARIF 2.1.0 schemas: the OASIS TC's (draft-07) and Microsoft's draft 2020-12 rendering.
fn schemas() -> Vec<(&'static str, Value)> {
    ["sarif-schema-2.1.0.json", "sarif-2.1.0-draft2020-12.json"]
        .into_iter()
        .map(|name| {
            let path = manifest_dir().join("tests/data/sarif").join(name);
            let mut text = fs::read_to_string(&path).unwrap();
            if name == "sarif-schema-2.1.0.json" {
                assert_eq!(text.matches(BROKEN_LANGUAGE_PATTERN).count(), 2);
                text = text.replace(BROKEN_LANGUAGE_PATTERN, LANGUAGE_PATTERN);
            }
            (name, serde_json::from_str(&text).unwrap())
        })
        .collect()
}

/// Asserts that `log` is valid against both SARIF 2.1.0 schemas, formats (`uri`,
/// `uri-reference`...) included.
#[track_caller]
fn assert_valid_sarif(log: &Value) {
    for (name, schema) in schemas() {
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .expect("the schema compiles");
        let errors: Vec<String> = validator
            .iter_errors(log)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
    }
}

#[test]
fn the_schema_check_catches_invalid_sarif() {
    let out = scan_in(manifest_dir(), &["--format", "sarif", "fixtures/posts"]);
    let valid = sarif_of(&out);
    assert_valid_sarif(&valid);
    let mut bad_level = valid.clone();
    bad_level["runs"][0]["results"][0]["level"] = "high".into();
    let mut bad_column = valid.clone();
    bad_column["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startColumn"] =
        0.into();
    let mut bad_uri = valid;
    bad_uri["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        "posts/a b.md".into();
    for (what, log, rejecting) in [
        ("level", bad_level, 2),
        ("column", bad_column, 2),
        ("uri", bad_uri, 2),
    ] {
        let mut failing = 0;
        for (_, schema) in schemas() {
            let validator = jsonschema::options()
                .should_validate_formats(true)
                .build(&schema)
                .unwrap();
            failing += usize::from(!validator.is_valid(&log));
        }
        assert_eq!(failing, rejecting, "a bad {what}");
    }
}

/// Every key in `v`, at any depth.
fn keys(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                out.push(k.clone());
                keys(v, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|v| keys(v, out)),
        _ => {}
    }
}

fn sarif_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("SARIF is JSON")
}

#[test]
fn sarif_of_the_fixtures_validates_against_the_official_schema() {
    let root = manifest_dir();
    let out = scan_in(
        root,
        &[
            "--format",
            "sarif",
            "--min-risk",
            "none",
            "fixtures/posts",
            "fixtures/formats",
            "fixtures/no-such-file.md",
        ],
    );
    // The missing file: exit 2, and the run says it did not succeed.
    assert_eq!(out.status.code(), Some(2));
    let log = sarif_of(&out);
    assert_valid_sarif(&log);

    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run["tool"]["driver"]["name"], "phiguard");
    assert_eq!(run["tool"]["driver"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(run["columnKind"], "utf16CodeUnits");

    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(invocation["exitCode"], 2);
    let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
    let missing: Vec<&Value> = notes
        .iter()
        .filter(|n| {
            n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                == "fixtures/no-such-file.md"
        })
        .collect();
    assert_eq!(missing.len(), 1, "{notes:#?}");
    assert_eq!(missing[0]["level"], "error");

    // Rules: unique ids, sorted, each with what GitHub code scanning needs.
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(ids, sorted, "rule ids are unique and sorted");
    for r in rules {
        for key in ["shortDescription", "fullDescription"] {
            let text = r[key]["text"].as_str().unwrap();
            assert!(!text.is_empty() && text.chars().count() <= 1024, "{r}");
        }
        let help = r["help"]["text"].as_str().unwrap();
        assert!(help.contains("Why it matters: "), "{help}");
        assert!(help.contains("How to fix the post: "), "{help}");
        assert!(
            r["help"]["markdown"]
                .as_str()
                .unwrap()
                .contains("**How to fix the post.**")
        );
        assert!(
            ["error", "warning", "note"]
                .contains(&r["defaultConfiguration"]["level"].as_str().unwrap())
        );
        let tags: Vec<&str> = r["properties"]["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert!(
            tags.contains(&"security") && tags.contains(&"privacy"),
            "{tags:?}"
        );
        assert!(
            tags.contains(&r["properties"]["category"].as_str().unwrap()),
            "{tags:?}"
        );
        assert!(
            ["very-high", "high", "medium", "low"]
                .contains(&r["properties"]["precision"].as_str().unwrap())
        );
    }

    // Results: each points at its rule, at a file relative to %SRCROOT%, with a region.
    let results = run["results"].as_array().unwrap();
    assert!(results.len() > 20, "{}", results.len());
    let mut used: Vec<&str> = Vec::new();
    for r in results {
        let id = r["ruleId"].as_str().unwrap();
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], id);
        used.push(id);
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        assert!(!r["message"]["text"].as_str().unwrap().is_empty());
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri.starts_with("fixtures/"), "{uri}");
        let region = &loc["region"];
        for key in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(region[key].as_u64().unwrap() >= 1, "{region}");
        }
        let fp = r["partialFingerprints"]["phiguardFindingHash/v1"]
            .as_str()
            .unwrap();
        assert_eq!(fp.len(), 32);
    }
    used.sort();
    used.dedup();
    assert_eq!(used, ids, "every rule listed produced a result");

    // No snippet of the text anywhere.
    let mut all = Vec::new();
    keys(&log, &mut all);
    for forbidden in ["snippet", "contextRegion"] {
        assert!(
            !all.iter().any(|k| k == forbidden),
            "{forbidden} in the SARIF"
        );
    }
}

#[test]
fn sarif_regions_count_utf16_code_units_and_levels_follow_the_risk() {
    let dir = tempfile::tempdir().unwrap();
    // "💙" is one character and two UTF-16 code units; the SSN starts at character 7.
    write(dir.path(), "post.txt", "💙 SSN 987-65-4320 on file\n");
    let out = scan_in(dir.path(), &["--format", "sarif", "post.txt"]);
    assert_eq!(out.status.code(), Some(1));
    let log = sarif_of(&out);
    assert_valid_sarif(&log);
    let r = &log["runs"][0]["results"][0];
    assert_eq!(r["ruleId"], "hipaa.ssn.dashed");
    assert_eq!(r["level"], "error");
    let loc = &r["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "post.txt");
    assert_eq!(
        loc["region"],
        serde_json::json!({"startLine": 1, "startColumn": 8, "endLine": 1, "endColumn": 19})
    );
    assert_eq!(r["properties"]["value"], "***-**-4320");
    assert!(
        r["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("Social Security number ***-**-4320 in a high-risk post."),
        "{}",
        r["message"]
    );
    // The JSON report counts the same columns in characters.
    let json = scan_in(dir.path(), &["--format", "json", "post.txt"]);
    let report: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["posts"][0]["findings"][0]["column"], 7);
    assert_eq!(report["posts"][0]["findings"][0]["end_column"], 18);
}

#[test]
fn sarif_uris_are_relative_to_where_the_scan_ran() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    write(
        &repo,
        "posts/May 3: 100%.md",
        "Call 555-0142 or SSN 987-65-4321.\n",
    );
    write(dir.path(), "outside.md", "SSN 987-65-4322\n");
    let inside = repo.join("posts/May 3: 100%.md");
    let out = scan_in(
        &repo,
        &[
            "--format",
            "sarif",
            inside.to_str().unwrap(),
            "../outside.md",
        ],
    );
    let log = sarif_of(&out);
    assert_valid_sarif(&log);
    let run = &log["runs"][0];
    let locations: Vec<&Value> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["locations"][0]["physicalLocation"]["artifactLocation"])
        .collect();
    // An absolute path inside the folder becomes relative, percent-encoded.
    assert!(locations.contains(&&serde_json::json!({
        "uri": "posts/May%203%3A%20100%25.md",
        "uriBaseId": "%SRCROOT%"
    })));
    // A file outside it keeps an absolute file URI.
    let outside = locations
        .iter()
        .find(|l| l["uri"].as_str().unwrap().ends_with("/outside.md"))
        .expect("the outside file is reported");
    assert!(outside["uri"].as_str().unwrap().starts_with("file:///"));
    assert!(outside.get("uriBaseId").is_none());
    // %SRCROOT% is the folder the scan ran from.
    let srcroot = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        srcroot.starts_with("file:///") && srcroot.ends_with("/repo/"),
        "{srcroot}"
    );
}

#[test]
fn sarif_from_stdin_validates_without_a_file_uri() {
    let out = phiguard()
        .args(["scan", "--format", "sarif", "-"])
        .write_stdin("Our patient's SSN is 987-65-4323.\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let log = sarif_of(&out);
    assert_valid_sarif(&log);
    let loc = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"],
        serde_json::json!({"description": {"text": "standard input"}})
    );
}

/// The fingerprint of each result, by rule id, in result order.
fn fingerprints(log: &Value) -> Vec<(String, String, u64)> {
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap().to_owned(),
                r["partialFingerprints"]["phiguardFindingHash/v1"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap(),
            )
        })
        .collect()
}

#[test]
fn sarif_fingerprints_survive_edits_elsewhere_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let post = "Records screenshot: SSN 987-65-4324 and SSN 987-65-4325.\n";
    write(dir.path(), "post.md", post);
    let before = fingerprints(&sarif_of(&scan_in(
        dir.path(),
        &["--format", "sarif", "post.md"],
    )));
    assert_eq!(before.len(), 2, "{before:?}");
    assert_eq!(before[0].2, 1);
    assert_ne!(before[0].1, before[1].1, "two findings, two fingerprints");

    write(
        dir.path(),
        "post.md",
        &format!("# Draft\n\nA new opening paragraph.\n\n{post}"),
    );
    let after = fingerprints(&sarif_of(&scan_in(
        dir.path(),
        &["--format", "sarif", "post.md"],
    )));
    assert_eq!(after.len(), 2);
    assert_eq!(after[0].2, 5, "the findings moved down four lines");
    assert_eq!(
        before.iter().map(|f| &f.1).collect::<Vec<_>>(),
        after.iter().map(|f| &f.1).collect::<Vec<_>>(),
        "fingerprints do not depend on line numbers"
    );
}

// ---- GitHub annotations and the job summary --------------------------------------------------

#[test]
fn github_annotations_escape_properties_and_messages() {
    let dir = tempfile::tempdir().unwrap();
    // A file name with `,` and `:`, a CSV column name with `%`: all end up in the command.
    write(
        dir.path(),
        "posts/a,b:c.csv",
        "Date,Message 100%\n2026-05-01,SSN 987-65-4321 for our patient\n",
    );
    let out = scan_in(dir.path(), &["--format", "github", "posts/a,b:c.csv"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = stdout_of(&out);
    let first = stdout.lines().next().unwrap();
    assert_eq!(
        first,
        "::error file=posts/a%2Cb%3Ac.csv,line=2,endLine=2,col=16,endColumn=27,\
         title=PHI%3A Social Security number in a high-risk post (hipaa.ssn.dashed)\
         ::Social Security number ***-**-4321 (row 2, column \"Message 100%25\")\
         %0AWhy: Social Security number: never belongs in a public post\
         %0AFix: remove it: an SSN never belongs in a public post"
    );
    assert!(stdout.contains("\nphiguard: 1 post in 1 file: 1 high, 0 medium, 0 low, 0 none.\n"));
    assert!(!stdout.contains("987-65-4321"));
}

#[test]
fn github_annotations_put_the_most_serious_first() {
    let dir = tempfile::tempdir().unwrap();
    // Sorted by name, the low-risk post comes first; by risk, last.
    write(
        dir.path(),
        "a-event.md",
        "Flu shots on October 14 at 1420 Elm Street. Call (555) 555-0142.\n",
    );
    write(
        dir.path(),
        "b-record.md",
        "Records screenshot: SSN 987-65-4321.\n",
    );
    let out = scan_in(
        dir.path(),
        &[
            "--format",
            "github",
            "a-event.md",
            "b-record.md",
            "missing.md",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let stdout = stdout_of(&out);
    let commands: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("::"))
        .map(|l| l.split([' ', ':']).nth(2).unwrap())
        .collect();
    assert_eq!(commands, ["error", "error", "notice", "notice", "notice"]);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with("::error file=missing.md,title=phiguard could not check this file::"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("::error file=b-record.md,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("::notice file=a-event.md,"),
        "{}",
        lines[2]
    );
}

#[test]
fn the_job_summary_is_appended_for_the_github_format_only() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "post.md",
        "Records screenshot: SSN 987-65-4321 | MRN 00482913.\n",
    );
    let summary = dir.path().join("summary.md");
    fs::write(&summary, "earlier step\n").unwrap();
    let out = phiguard()
        .current_dir(dir.path())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["scan", "--format", "github", "post.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let md = fs::read_to_string(&summary).unwrap();
    assert_eq!(
        md,
        "earlier step\n\
         ### phiguard: 1 post at or above fail-on medium\n\
         \n\
         1 post in 1 file: 1 high, 0 medium, 0 low, 0 none. 2 findings.\n\
         \n\
         | risk | post | line | finding | value | rule |\n\
         | --- | --- | --- | --- | --- | --- |\n\
         | **high** | `post.md` | 1:25 | Social Security number | `***-**-4321` | `hipaa.ssn.dashed` |\n\
         | **high** | `post.md` | 1:43 | medical record number | `******13` | `hipaa.mrn.labelled` |\n\
         \n\
         Values are masked; `--show-values` prints them.\n\
         \n"
    );

    // Other formats leave the summary alone, and an empty variable means no summary.
    for (format, var) in [("json", summary.as_os_str()), ("github", "".as_ref())] {
        let out = phiguard()
            .current_dir(dir.path())
            .env("GITHUB_STEP_SUMMARY", var)
            .args(["scan", "--format", format, "post.md"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(fs::read_to_string(&summary).unwrap(), md);
    }
}

#[test]
fn an_unwritable_job_summary_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "post.md", "Nothing to see.\n");
    let out = phiguard()
        .current_dir(dir.path())
        .env(
            "GITHUB_STEP_SUMMARY",
            dir.path().join("no/such/folder/summary.md"),
        )
        .args(["scan", "--format", "github", "post.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot write"), "{stderr}");
}

// ---- JSON Lines ----------------------------------------------------------------------------

#[test]
fn jsonl_has_one_line_per_post_then_notes_then_the_summary() {
    let root = manifest_dir();
    let args = ["fixtures/posts", "fixtures/no-such-file.md"];
    let out = scan_in(root, &[&["--format", "jsonl"][..], &args].concat());
    assert_eq!(out.status.code(), Some(2));
    let lines: Vec<Value> = stdout_of(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let schemas: Vec<&str> = lines
        .iter()
        .map(|l| l["schema"].as_str().unwrap())
        .collect();
    // 11 posts at or above low (13, less the 2 at none), one note, the summary.
    let mut want = vec!["phiguard.post/1"; 11];
    want.push("phiguard.note/1");
    want.push("phiguard.summary/1");
    assert_eq!(schemas, want);

    // A post line is a post of the JSON report, plus its schema.
    let json = scan_in(root, &[&["--format", "json"][..], &args].concat());
    let report: Value = serde_json::from_slice(&json.stdout).unwrap();
    let posts = report["posts"].as_array().unwrap();
    for (line, post) in lines.iter().zip(posts) {
        let mut line = line.clone();
        line.as_object_mut().unwrap().remove("schema");
        assert_eq!(&line, post);
    }
    assert_eq!(
        lines[11],
        serde_json::json!({
            "schema": "phiguard.note/1",
            "source": "fixtures/no-such-file.md",
            "kind": "error",
            "message": "cannot read: no such file or folder"
        })
    );
    let summary = &lines[12];
    assert_eq!(summary["tool"]["name"], "phiguard");
    assert_eq!(summary["posts"], 13);
    assert_eq!(summary["errors"], 1);
    assert_eq!(
        summary["risk"],
        serde_json::json!({"none": 2, "low": 4, "medium": 0, "high": 7})
    );
}

// ---- --output for every format -----------------------------------------------------------------

#[test]
fn every_format_honours_output() {
    let root = manifest_dir();
    let dir = tempfile::tempdir().unwrap();
    for format in ["human", "json", "jsonl", "sarif", "github"] {
        let file = dir.path().join(format!("report.{format}"));
        let out = scan_in(
            root,
            &[
                "--format",
                format,
                "--output",
                file.to_str().unwrap(),
                "fixtures/posts",
            ],
        );
        assert_eq!(out.status.code(), Some(1), "{format}");
        assert!(out.stdout.is_empty(), "{format} wrote to stdout");
        let text = fs::read_to_string(&file).unwrap();
        match format {
            "human" => assert!(text.contains("13 posts in 13 files"), "{text}"),
            "json" | "sarif" => {
                serde_json::from_str::<Value>(&text).unwrap();
            }
            "jsonl" => assert_eq!(text.lines().count(), 12),
            _ => assert!(text.starts_with("::error file=fixtures/posts/"), "{text}"),
        }
        // Never colour in a file.
        assert!(!text.contains('\x1b'), "{format}");
    }
}

// ---- no raw identifier in any output -------------------------------------------------------------

/// Invented identifiers planted in every post below.
const SSN: &str = "987-65-4328";
const PHONE: &str = "(555) 555-0134";
const EMAIL: &str = "r.whitfield@example.org";
const NAME: &str = "Rosalind Whitfield";
const MRN: &str = "00736412";
const DOB: &str = "04/17/1951";

fn planted_sentence() -> String {
    format!(
        "Our patient {NAME} (DOB {DOB}, MRN {MRN}, SSN {SSN}) left the ICU today; \
         reach her family at {PHONE} or {EMAIL}."
    )
}

/// A folder with the planted identifiers in posts of several formats.
fn planted_corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let s = planted_sentence();
    write(dir.path(), "post.md", &format!("# Update\n\n{s}\n"));
    write(dir.path(), "post.txt", &format!("{s}\n"));
    write(
        dir.path(),
        "posts.csv",
        &format!("Date,Message\n2026-05-01,\"{s}\"\n"),
    );
    write(
        dir.path(),
        "posts.json",
        &format!(
            "[{{\"message\": {}}}]\n",
            serde_json::to_string(&s).unwrap()
        ),
    );
    write(
        dir.path(),
        "page.html",
        &format!("<html><body><p>{s}</p></body></html>\n"),
    );
    write(dir.path(), "posts.yaml", &format!("- message: \"{s}\"\n"));
    write(
        dir.path(),
        "posts.tsv",
        &format!("Date\tMessage\n2026-05-01\t{s}\n"),
    );
    write(
        dir.path(),
        "posts.jsonl",
        &format!("{{\"message\": {}}}\n", serde_json::to_string(&s).unwrap()),
    );
    write(
        dir.path(),
        "video.srt",
        &format!("1\n00:00:01,000 --> 00:00:04,000\n{s}\n"),
    );
    write(
        dir.path(),
        "video.vtt",
        &format!("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n{s}\n"),
    );
    fs::write(dir.path().join("draft.docx"), planted_docx(&s)).unwrap();
    fs::write(dir.path().join("photo.jpg"), planted_jpeg(&s)).unwrap();
    dir
}

/// A Word document whose one paragraph is `text`.
fn planted_docx(text: &str) -> Vec<u8> {
    use std::io::Write;
    let xml = format!(
        "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

/// A JPEG whose EXIF ImageDescription is `text`.
fn planted_jpeg(text: &str) -> Vec<u8> {
    // TIFF header, IFD0 at 8 with one ASCII entry whose value follows the IFD (at 26).
    let mut tiff = b"II*\0\x08\0\0\0\x01\0\x0E\x01\x02\0".to_vec();
    tiff.extend_from_slice(&u32::try_from(text.len() + 1).unwrap().to_le_bytes());
    tiff.extend_from_slice(&26u32.to_le_bytes());
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.extend_from_slice(text.as_bytes());
    tiff.push(0);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut jpeg = b"\xFF\xD8\xFF\xE1".to_vec();
    jpeg.extend_from_slice(&u16::try_from(app1.len() + 2).unwrap().to_be_bytes());
    jpeg.extend_from_slice(&app1);
    jpeg.extend_from_slice(b"\xFF\xDA\x00\x08\x01\x01\x00\x00\x3F\x00\0\0\0\0\xFF\xD9");
    jpeg
}

const PLANTED_FILES: &[&str] = &[
    "draft.docx",
    "page.html",
    "photo.jpg",
    "post.md",
    "post.txt",
    "posts.csv",
    "posts.json",
    "posts.jsonl",
    "posts.tsv",
    "posts.yaml",
    "video.srt",
    "video.vtt",
];

/// Every output a scan of the planted corpus makes in `format`: what it printed, the job
/// summary (github), and the same report written with `--output`.
fn outputs(dir: &Path, format: &str, show_values: bool) -> Vec<(String, String)> {
    let summary = dir.join(format!("summary-{format}-{show_values}.md"));
    let file = dir.join(format!("report-{format}-{show_values}.out"));
    let mut args = vec!["scan", "--format", format, "--min-risk", "none"];
    if show_values {
        args.push("--show-values");
    }
    args.extend(PLANTED_FILES);
    let printed = phiguard()
        .current_dir(dir)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(&args)
        .output()
        .unwrap();
    assert_eq!(printed.status.code(), Some(1), "{format}");
    args.extend(["--output", file.to_str().unwrap()]);
    let written = phiguard()
        .current_dir(dir)
        .env_remove("GITHUB_STEP_SUMMARY")
        .args(&args)
        .output()
        .unwrap();
    assert_eq!(written.status.code(), Some(1), "{format}");
    let mut all = vec![
        (format!("{format} stdout"), stdout_of(&printed)),
        (
            format!("{format} stderr"),
            String::from_utf8_lossy(&printed.stderr).into_owned(),
        ),
        (
            format!("{format} --output"),
            fs::read_to_string(&file).unwrap(),
        ),
    ];
    if format == "github" {
        all.push((
            "job summary".to_owned(),
            fs::read_to_string(&summary).unwrap(),
        ));
    } else {
        assert!(!summary.exists(), "{format} wrote a job summary");
    }
    all
}

#[test]
fn no_output_format_contains_a_raw_identifier_without_show_values() {
    // Rule descriptions are in the SARIF: none may hold a planted value by chance.
    for entry in fs::read_dir(manifest_dir().join("patterns")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = fs::read_to_string(&path).unwrap().to_lowercase();
            for value in [SSN, PHONE, EMAIL, NAME, MRN, DOB] {
                let value = value.to_lowercase();
                assert!(!text.contains(&value), "{} holds {value}", path.display());
            }
        }
    }
    let dir = planted_corpus();
    // First: every planted identifier is found in every file (else the test proves nothing).
    let json = scan_in(
        dir.path(),
        &[&["--format", "json", "--show-values"][..], PLANTED_FILES].concat(),
    );
    let report: Value = serde_json::from_slice(&json.stdout).unwrap();
    for file in PLANTED_FILES {
        let found: Vec<&str> = report["posts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["source"] == *file)
            .flat_map(|p| p["findings"].as_array().unwrap())
            .map(|f| f["value"].as_str().unwrap())
            .collect();
        for value in [SSN, PHONE, EMAIL, NAME, MRN, DOB] {
            assert!(found.contains(&value), "{file}: {value} not in {found:?}");
        }
    }

    // The raw values, and the name's parts in any case (masks keep only first letters).
    let raw = [
        SSN,
        PHONE,
        EMAIL,
        NAME,
        MRN,
        DOB,
        "555-0134",
        "rosalind",
        "whitfield",
    ];
    for format in ["human", "json", "jsonl", "sarif", "github"] {
        for (what, text) in outputs(dir.path(), format, false) {
            let lower = text.to_lowercase();
            for value in raw {
                assert!(
                    !lower.contains(&value.to_lowercase()),
                    "{what} holds {value:?}:\n{text}"
                );
            }
        }
    }
}

/// Malformed files with the planted identifiers where a parser's error message would quote
/// them: entity and tag names in a Word document and in XMP, a key beside a JSON syntax error,
/// a YAML flow left open, bad front matter, an image cut inside its EXIF text.
fn malformed_corpus() -> tempfile::TempDir {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let w = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";
    let docx = |xml: String| {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        zip.start_file(
            "word/document.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        zip.write_all(xml.as_bytes()).unwrap();
        zip.finish().unwrap().into_inner()
    };
    let squeezed = NAME.replace(' ', "");
    fs::write(
        dir.path().join("entity.docx"),
        docx(format!(
            "<w:document {w}><w:body><w:p><w:r><w:t>&{squeezed};</w:t></w:r></w:p></w:body>\
             </w:document>"
        )),
    )
    .unwrap();
    fs::write(
        dir.path().join("tag.docx"),
        docx(format!(
            "<w:document {w}><w:body><w:{squeezed}><w:t>SSN {SSN}</w:t></w:body></w:document>"
        )),
    )
    .unwrap();
    let packet = format!("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><{squeezed}></x:xmpmeta>");
    let mut app1 = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    app1.extend_from_slice(packet.as_bytes());
    let mut xmp = b"\xFF\xD8\xFF\xE1".to_vec();
    xmp.extend_from_slice(&u16::try_from(app1.len() + 2).unwrap().to_be_bytes());
    xmp.extend_from_slice(&app1);
    xmp.extend_from_slice(b"\xFF\xDA\x00\x08\x01\x01\x00\x00\x3F\x00\0\0\xFF\xD9");
    fs::write(dir.path().join("xmp.jpg"), xmp).unwrap();
    let whole = planted_jpeg(&planted_sentence());
    fs::write(dir.path().join("cut.jpg"), &whole[..whole.len() / 2]).unwrap();
    write(
        dir.path(),
        "broken.json",
        &format!("{{\"{NAME} SSN {SSN} MRN {MRN}\": }}"),
    );
    write(
        dir.path(),
        "broken.yaml",
        &format!("a: [{NAME} {SSN} {EMAIL}\nb: : :\n"),
    );
    write(
        dir.path(),
        "front.md",
        &format!("+++\ntitle = Our patient {NAME} DOB {DOB} {PHONE}\n+++\nbody\n"),
    );
    write(
        dir.path(),
        "lines.jsonl",
        &format!("{{\"a\": 1}}\n{{{NAME} {SSN}\n"),
    );
    dir
}

/// The names of everything under `dir`, relative, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path.clone());
            }
            out.push(path.strip_prefix(dir).unwrap().display().to_string());
        }
    }
    out.sort();
    out
}

/// Malformed files, error messages, stderr, a baseline file, `redact` and temporary files:
/// none holds a planted identifier without `--show-values`, and nothing is left behind in
/// `$HOME`, `$TMPDIR` or the scanned folder but what was asked for.
#[test]
fn no_error_message_baseline_or_temporary_file_holds_a_raw_identifier() {
    let raw = [
        SSN,
        PHONE,
        EMAIL,
        NAME,
        MRN,
        DOB,
        "555-0134",
        "rosalind",
        "whitfield",
    ];
    let check = |what: &str, text: &str| {
        let lower = text.to_lowercase();
        for value in raw {
            assert!(
                !lower.contains(&value.to_lowercase()),
                "{what} holds {value:?}:\n{text}"
            );
        }
    };
    let home = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let run = |dir: &Path, args: &[&str]| -> Output {
        phiguard()
            .current_dir(dir)
            .env("HOME", home.path())
            .env("TMPDIR", tmp.path())
            .env_remove("GITHUB_STEP_SUMMARY")
            .args(args)
            .output()
            .unwrap()
    };

    let bad = malformed_corpus();
    let before = listing(bad.path());
    let out = run(
        bad.path(),
        &["scan", "--format", "json", "--show-values", "."],
    );
    // The malformed parts are reported (the test proves nothing otherwise).
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors: Vec<&str> = report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "error")
        .map(|n| n["source"].as_str().unwrap())
        .collect();
    assert_eq!(
        errors,
        ["./cut.jpg", "./entity.docx", "./tag.docx", "./xmp.jpg"],
        "{report}"
    );
    let summary = bad.path().join("summary.md");
    for format in ["human", "json", "jsonl", "sarif", "github"] {
        for verbose in [&[][..], &["--verbose"]] {
            let args = [
                &["scan", "--format", format, "--min-risk", "none"][..],
                verbose,
                &["."],
            ]
            .concat();
            let out = phiguard()
                .current_dir(bad.path())
                .env("HOME", home.path())
                .env("TMPDIR", tmp.path())
                .env("GITHUB_STEP_SUMMARY", &summary)
                .args(&args)
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(2), "{format}");
            check(
                &format!("{format} stdout"),
                &String::from_utf8_lossy(&out.stdout),
            );
            check(
                &format!("{format} stderr"),
                &String::from_utf8_lossy(&out.stderr),
            );
        }
    }
    check("job summary", &fs::read_to_string(&summary).unwrap());
    fs::remove_file(&summary).unwrap();
    assert_eq!(listing(bad.path()), before);

    // A baseline file holds keyed fingerprints, never values; a scan against it neither.
    let good = planted_corpus();
    let before = listing(good.path());
    let out = run(good.path(), &["baseline", "create", "."]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    check("baseline create", &String::from_utf8_lossy(&out.stdout));
    check(
        "baseline create stderr",
        &String::from_utf8_lossy(&out.stderr),
    );
    let baseline = good.path().join(".phiguard-baseline.json");
    check("the baseline file", &fs::read_to_string(&baseline).unwrap());
    let out = run(
        good.path(),
        &["scan", "--baseline", ".phiguard-baseline.json", "."],
    );
    check("scan --baseline", &text_of(&out));
    // `redact` prints the post with placeholders.
    let out = run(good.path(), &["redact", "post.md"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    check("redact", &text_of(&out));
    fs::remove_file(&baseline).unwrap();
    assert_eq!(listing(good.path()), before);

    // Nothing was written to $HOME or $TMPDIR.
    assert_eq!(listing(home.path()), Vec::<String>::new());
    assert_eq!(listing(tmp.path()), Vec::<String>::new());
}

fn text_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

#[test]
fn every_output_format_shows_values_with_show_values() {
    let dir = planted_corpus();
    for format in ["human", "json", "jsonl", "sarif", "github"] {
        for (what, text) in outputs(dir.path(), format, true) {
            if what.ends_with("stderr") {
                continue;
            }
            // JSON escapes nothing in these values; the github format escapes none of them.
            for value in [SSN, PHONE, EMAIL, NAME, MRN, DOB] {
                assert!(text.contains(value), "{what} lacks {value:?}:\n{text}");
            }
        }
    }
}

// ---- the GitHub Action ---------------------------------------------------------------------------

fn yaml(path: &Path) -> saphyr::YamlOwned {
    use saphyr::LoadableYamlNode;
    let text = fs::read_to_string(path).unwrap();
    let mut docs = saphyr::YamlOwned::load_from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not valid YAML: {e}", path.display()));
    assert_eq!(docs.len(), 1);
    docs.remove(0)
}

/// `node[key]` when `node` is a mapping that has `key`.
fn get<'a>(node: &'a saphyr::YamlOwned, key: &str) -> Option<&'a saphyr::YamlOwned> {
    node.as_mapping_get(key)
}

/// The long options of `phiguard scan`, from its help.
fn scan_flags() -> Vec<String> {
    let help = phiguard().args(["scan", "--help"]).output().unwrap();
    let help = stdout_of(&help);
    let mut flags: Vec<String> = help
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| w.starts_with("--") && w.len() > 2)
        .map(str::to_owned)
        .collect();
    flags.sort();
    flags.dedup();
    flags
}

#[test]
fn the_action_is_a_composite_action_that_builds_from_source() {
    let action = yaml(&manifest_dir().join("action.yml"));
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    let inputs = action["inputs"].as_mapping().unwrap();
    let names: Vec<&str> = inputs.keys().map(|k| k.as_str().unwrap()).collect();
    for name in ["paths", "fail-on", "base", "sarif-file", "config"] {
        assert!(names.contains(&name), "input {name} missing: {names:?}");
    }
    let steps = action["runs"]["steps"].as_sequence().unwrap();
    let runs: Vec<&str> = steps
        .iter()
        .filter_map(|s| get(s, "run")?.as_str())
        .collect();
    let all = runs.join("\n");
    // Built with cargo from the action's own source; nothing downloaded.
    assert!(
        all.contains(r#"cargo install --locked --path "$ACTION_PATH""#),
        "{all}"
    );
    for fetcher in ["curl", "wget", "releases/download"] {
        assert!(
            !all.contains(fetcher),
            "the action downloads with {fetcher}"
        );
    }
    // Every run step names its shell (composite actions require it), and inputs reach scripts
    // only through the environment, never pasted into the code.
    for step in steps.iter() {
        let Some(run) = get(step, "run").and_then(|r| r.as_str()) else {
            continue;
        };
        assert_eq!(
            get(step, "shell").and_then(|s| s.as_str()),
            Some("bash"),
            "{step:?}"
        );
        assert!(!run.contains("${{"), "an expression in a run script: {run}");
    }
    assert!(all.contains("scripts/github-action.sh"));
}

#[test]
fn the_action_passes_only_flags_that_phiguard_scan_accepts() {
    let script = fs::read_to_string(manifest_dir().join("scripts/github-action.sh")).unwrap();
    let mut used: Vec<&str> = script
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| w.starts_with("--") && w.len() > 2)
        // git's own options in the script.
        .filter(|w| !["--verify", "--quiet", "--no-tags"].contains(w))
        .collect();
    used.sort();
    used.dedup();
    assert_eq!(
        used,
        [
            "--config",
            "--diff",
            "--fail-on",
            "--format",
            "--min-risk",
            "--output"
        ]
    );
    let accepted = scan_flags();
    for flag in used {
        let known = accepted.iter().any(|a| a == flag);
        assert!(known, "phiguard scan does not accept {flag}: {accepted:?}");
    }
    // The formats it asks for exist.
    for format in ["github", "sarif"] {
        assert!(script.contains(&format!("--format {format}")));
        let out = phiguard()
            .args(["scan", "--format", format, "-"])
            .write_stdin("nothing here\n")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "--format {format}");
    }
}

#[test]
fn the_projects_workflow_exercises_the_action_on_the_fixtures() {
    let wf = yaml(&manifest_dir().join(".github/workflows/phiguard.yml"));
    let steps = wf["jobs"]["action"]["steps"].as_sequence().unwrap();
    let local: Vec<&saphyr::YamlOwned> = steps
        .iter()
        .filter(|s| get(s, "uses").and_then(|u| u.as_str()) == Some("./"))
        .collect();
    assert!(local.len() >= 2, "the workflow uses the action");
    let paths: Vec<&str> = local
        .iter()
        .filter_map(|s| get(get(s, "with")?, "paths")?.as_str())
        .collect();
    assert!(
        paths.contains(&"fixtures/formats/page-clean.html"),
        "{paths:?}"
    );
    assert!(paths.contains(&"fixtures/posts"), "{paths:?}");
    // Every input the workflow gives the action is one the action declares.
    let action = yaml(&manifest_dir().join("action.yml"));
    let declared = action["inputs"].as_mapping().unwrap();
    for step in local {
        if let Some(with) = get(step, "with").and_then(|w| w.as_mapping()) {
            for key in with.keys() {
                assert!(declared.contains_key(key), "undeclared input {key:?}");
            }
        }
    }
}

/// Runs the action's scan script as the action does, with phiguard from this build.
#[cfg(unix)]
fn run_action_script(dir: &Path, env: &[(&str, &str)]) -> (Output, String) {
    let output_file = dir.join("github-output.txt");
    let _ = fs::remove_file(&output_file);
    let bin = assert_cmd::cargo::cargo_bin("phiguard");
    let mut cmd = std::process::Command::new("bash");
    cmd.arg(manifest_dir().join("scripts/github-action.sh"))
        .current_dir(dir)
        .env("PHIGUARD_BIN", &bin)
        .env("GITHUB_OUTPUT", &output_file)
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("GITHUB_BASE_REF")
        .env_remove("PHIGUARD_CONFIG")
        .env_remove("NO_COLOR");
    for var in [
        "PHIGUARD_PATHS",
        "PHIGUARD_FAIL_ON",
        "PHIGUARD_MIN_RISK",
        "PHIGUARD_DIFF",
        "PHIGUARD_BASE",
        "PHIGUARD_PR_BASE_SHA",
        "PHIGUARD_SARIF_FILE",
        "PHIGUARD_ARGS",
    ] {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let outputs = fs::read_to_string(&output_file).unwrap_or_default();
    (out, outputs)
}

/// A phiguard that is killed, or missing, fails the step as "could not check" (2), saying the
/// check did not run.
#[cfg(unix)]
#[test]
fn the_action_script_fails_closed_when_phiguard_does_not_finish() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "post.md", "Flu shots this Saturday.\n");
    let killed = write(dir.path(), "killed.sh", "#!/bin/sh\nkill -9 $$\n");
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&killed, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let missing = dir.path().join("no-such-phiguard");
    for (bin, code) in [(&killed, 137), (&missing, 127)] {
        let (out, outputs) = run_action_script(
            dir.path(),
            &[
                ("PHIGUARD_BIN", bin.to_str().unwrap()),
                ("PHIGUARD_DIFF", "false"),
            ],
        );
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        assert_eq!(outputs, "exit-code=2\n");
        let said = stdout_of(&out);
        assert!(
            said.contains(&format!(
                "::error title=phiguard action::phiguard did not finish (exit code {code}: it \
                 crashed, was killed, timed out or could not be run): the check did not run, \
                 nothing was checked"
            )),
            "{said}"
        );
        assert!(!said.contains("clean"), "{said}");
    }
}

#[cfg(unix)]
#[test]
fn the_action_script_annotates_summarises_and_writes_sarif() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "posts/clean.md",
        "Flu shots this Saturday at our clinic.\n",
    );
    write(
        dir.path(),
        "posts/risky.md",
        "Records screenshot: SSN 987-65-4321.\n",
    );
    let summary = dir.path().join("summary.md");

    // A clean file passes.
    let (out, outputs) = run_action_script(
        dir.path(),
        &[
            ("PHIGUARD_PATHS", "posts/clean.md"),
            ("PHIGUARD_DIFF", "false"),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(outputs, "exit-code=0\n");

    // The risky one fails on medium, with annotations, the summary and SARIF.
    let summary_str = summary.to_str().unwrap();
    let (out, outputs) = run_action_script(
        dir.path(),
        &[
            ("PHIGUARD_PATHS", "posts/clean.md\nposts/risky.md"),
            ("PHIGUARD_DIFF", "false"),
            ("PHIGUARD_SARIF_FILE", "out/phiguard.sarif"),
            ("GITHUB_STEP_SUMMARY", summary_str),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "the SARIF folder does not exist: {out:?}"
    );
    assert_eq!(outputs, "sarif-file=out/phiguard.sarif\nexit-code=2\n");

    fs::create_dir(dir.path().join("out")).unwrap();
    fs::remove_file(&summary).unwrap();
    let (out, outputs) = run_action_script(
        dir.path(),
        &[
            ("PHIGUARD_PATHS", "posts/clean.md\nposts/risky.md"),
            ("PHIGUARD_DIFF", "false"),
            ("PHIGUARD_SARIF_FILE", "out/phiguard.sarif"),
            ("GITHUB_STEP_SUMMARY", summary_str),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(outputs, "sarif-file=out/phiguard.sarif\nexit-code=1\n");
    let stdout = stdout_of(&out);
    assert!(
        stdout.starts_with("::error file=posts/risky.md,line=1,endLine=1,col=25,endColumn=36,"),
        "{stdout}"
    );
    let md = fs::read_to_string(&summary).unwrap();
    assert_eq!(md.matches("### phiguard:").count(), 1, "one summary: {md}");
    assert!(md.contains("| `posts/risky.md` | 1:25 |"), "{md}");
    let log: Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("out/phiguard.sarif")).unwrap())
            .unwrap();
    assert_valid_sarif(&log);
    assert_eq!(
        log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "posts/risky.md"
    );

    // fail-on none reports without failing.
    let (out, outputs) = run_action_script(
        dir.path(),
        &[
            ("PHIGUARD_PATHS", "posts"),
            ("PHIGUARD_DIFF", "false"),
            ("PHIGUARD_FAIL_ON", "none"),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(outputs, "exit-code=0\n");
    assert!(stdout_of(&out).contains("::error file=posts/risky.md,"));

    // A bad input is refused before anything runs.
    let (out, _) = run_action_script(dir.path(), &[("PHIGUARD_DIFF", "maybe")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout_of(&out).contains("::error title=phiguard action::input diff must be"));
}

#[cfg(unix)]
#[test]
fn the_action_script_diffs_against_the_pull_requests_base() {
    // A stand-in for phiguard that records its arguments: what the script asks of phiguard,
    // whatever version of it is installed.
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .current_dir(repo)
            .args(args)
            .env("GIT_AUTHOR_NAME", "Test")
            .env("GIT_AUTHOR_EMAIL", "test@example.com")
            .env("GIT_COMMITTER_NAME", "Test")
            .env("GIT_COMMITTER_EMAIL", "test@example.com")
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {out:?}");
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    };
    git(&["init", "-q"]);
    write(repo, "post.md", "Hello.\n");
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "base"]);
    let base = git(&["rev-parse", "HEAD"]);
    let log = repo.join("args.txt");
    let stub = write(
        repo,
        "stub.sh",
        &format!(
            "#!/bin/sh\nprintf '%s|' \"$@\" >> '{}'\necho >> '{}'\nexit 1\n",
            log.display(),
            log.display()
        ),
    );
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&stub, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let stub = stub.to_str().unwrap();
    let (out, outputs) = run_action_script(
        repo,
        &[
            ("PHIGUARD_BIN", stub),
            ("PHIGUARD_PR_BASE_SHA", &base),
            ("PHIGUARD_PATHS", "posts drafts"),
            ("PHIGUARD_CONFIG", "ci/phiguard.toml"),
            ("PHIGUARD_ARGS", "--pack packs/acme.toml"),
            ("PHIGUARD_SARIF_FILE", "p.sarif"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(outputs, "sarif-file=p.sarif\nexit-code=1\n");
    let common = format!(
        "scan|--fail-on|medium|--min-risk|low|--config|ci/phiguard.toml|--pack|packs/acme.toml|\
         --diff|{base}|"
    );
    assert_eq!(
        fs::read_to_string(&log).unwrap(),
        format!(
            "{common}--format|github|--|posts|drafts|\n\
             {common}--format|sarif|--output|p.sarif|--|posts|drafts|\n"
        )
    );

    // A base that is not a commit here: a clear error, phiguard not run.
    fs::remove_file(&log).unwrap();
    let (out, _) = run_action_script(
        repo,
        &[
            ("PHIGUARD_BIN", stub),
            ("PHIGUARD_BASE", "0123456789abcdef0123456789abcdef01234567"),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(stdout_of(&out).contains("is not a commit of this checkout"));
    assert!(!log.exists());

    // Outside a pull request and without a base: every file.
    let (out, _) = run_action_script(repo, &[("PHIGUARD_BIN", stub)]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        fs::read_to_string(&log).unwrap(),
        "scan|--fail-on|medium|--min-risk|low|--format|github|--|.|\n"
    );
}
