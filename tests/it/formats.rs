//! Input formats end to end: real files in fixtures/formats are scanned by the binary and each
//! finding is pinned to its post (row) and place inside it (column), with exact lines, columns
//! and bytes.

use serde_json::Value;

use crate::util::phiguard;

/// `(post locator, line, column, finding locator, rule, value)`.
pub(crate) type Row = (String, u64, u64, String, String, String);

/// Every finding as a [`Row`], and the summary, from a JSON report with values shown.
pub(crate) fn findings(args: &[&str]) -> (Vec<Row>, Value) {
    let out = phiguard()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["scan", "--format", "json", "--show-values"])
        .args(args)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    let mut rows = Vec::new();
    for p in report["posts"].as_array().unwrap() {
        for f in p["findings"].as_array().unwrap() {
            rows.push((
                p["locator"].as_str().unwrap_or("").to_owned(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["locator"].as_str().unwrap_or("").to_owned(),
                f["rule"].as_str().unwrap().to_owned(),
                f["value"].as_str().unwrap().to_owned(),
            ));
        }
    }
    (rows, report["summary"].clone())
}

/// The bytes of `fixtures/formats/FIXTURE` that finding `index` of post `post` covers (by its
/// `byte_start`/`byte_end` in a JSON report, values masked), and the finding.
pub(crate) fn finding_bytes(fixture: &str, post: usize, index: usize) -> (Vec<u8>, Value) {
    let path = format!("fixtures/formats/{fixture}");
    let bytes =
        std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(&path)).unwrap();
    let out = phiguard()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["scan", "--format", "json", &path])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = report["posts"][post]["findings"][index].clone();
    let (s, e) = (
        f["byte_start"].as_u64().unwrap() as usize,
        f["byte_end"].as_u64().unwrap() as usize,
    );
    (bytes[s..e].to_vec(), f)
}

pub(crate) fn row(post: &str, line: u64, column: u64, at: &str, rule: &str, value: &str) -> Row {
    (
        post.into(),
        line,
        column,
        at.into(),
        rule.into(),
        value.into(),
    )
}

#[test]
fn csv_rows_are_posts_and_cells_are_located_by_column() {
    let (got, summary) = findings(&["fixtures/formats/scheduled-posts.csv"]);
    assert_eq!(
        got,
        vec![
            row(
                "row 2",
                2,
                35,
                "column \"Message\"",
                "hipaa.name.patient",
                "Jaylen Brooks"
            ),
            row(
                "row 2",
                2,
                131,
                "column \"Link\"",
                "hipaa.url.scheme",
                "https://example.com/bell"
            ),
            row(
                "row 3",
                3,
                94,
                "column \"Link\"",
                "hipaa.url.scheme",
                "https://example.com/flu"
            ),
            // A quoted cell over three lines: its lines are the file's.
            row(
                "row 4",
                5,
                10,
                "column \"Message\"",
                "hipaa.name.patient",
                "DOE-ROSS, KATHLEEN M"
            ),
            row(
                "row 4",
                6,
                5,
                "column \"Message\"",
                "hipaa.mrn.labelled",
                "00482913"
            ),
        ]
    );
    assert_eq!(summary["posts"], 3);
    assert_eq!(summary["risk"]["high"], 2);
}

#[test]
fn byte_offsets_point_at_the_value_in_the_file() {
    let (covered, f) = finding_bytes("scheduled-posts.csv", 0, 0);
    assert_eq!(covered, b"Jaylen Brooks");
    // Masked without --show-values.
    assert_eq!(f["value"], "J***** B*****");
}

#[test]
fn tsv_and_input_format_for_stdin() {
    let (got, _) = findings(&["fixtures/formats/scheduled-posts.tsv"]);
    assert_eq!(
        got,
        vec![
            row(
                "row 2",
                2,
                17,
                "column \"Message\"",
                "hipaa.age.birthday-ordinal",
                "100th"
            ),
            row(
                "row 2",
                2,
                53,
                "column \"Message\"",
                "hipaa.name.patient",
                "Alvarez"
            ),
        ]
    );
    // stdin is text unless told otherwise.
    let csv = "Message,Notes\n\"Get well soon, Tomasz Wierzbicki! Your surgery went great\",x\n";
    let out = phiguard()
        .args(["scan", "--format", "json", "--input-format", "csv", "-"])
        .write_stdin(csv)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["posts"][0]["locator"], "row 2");
    assert_eq!(
        report["posts"][0]["findings"][0]["locator"],
        "column \"Message\""
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_clean_table_yields_nothing_and_columns_can_be_chosen() {
    let (got, summary) = findings(&["fixtures/formats/clean-posts.csv"]);
    assert!(got.is_empty(), "{got:?}");
    assert_eq!(summary["posts"], 2);

    // [input] columns limits the scan; a named date column is scanned.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("c.toml");
    std::fs::write(&config, "[input]\ncolumns = [\"Date\"]\n").unwrap();
    let (got, _) = findings(&[
        "--config",
        config.to_str().unwrap(),
        "fixtures/formats/scheduled-posts.csv",
    ]);
    let rules: Vec<&str> = got.iter().map(|r| r.4.as_str()).collect();
    assert_eq!(rules, vec!["hipaa.date.iso"; 3]);
}

#[test]
fn caption_cues_are_located_by_number_and_time_and_timings_are_not_scanned() {
    let (got, summary) = findings(&["fixtures/formats/patient-story.srt"]);
    assert_eq!(
        got,
        vec![
            row(
                "",
                3,
                9,
                "cue 1 at 00:00:01,000",
                "hipaa.name.person",
                "Marisol Vega"
            ),
            row(
                "",
                12,
                6,
                "cue 3 at 00:00:07,100",
                "hipaa.phone.nanp-local",
                "555-0147"
            ),
        ]
    );
    // The cues are one post: the name in cue 1 and the transplant in cue 1 and 2 make it high.
    assert_eq!(summary["posts"], 1);
    assert_eq!(summary["risk"]["high"], 1);

    // WebVTT: header, NOTE and timings are not scanned; a clinician in a voice tag is staff.
    let (got, summary) = findings(&["fixtures/formats/flu-clinic.vtt"]);
    assert!(got.is_empty(), "{got:?}");
    assert_eq!(summary["risk"]["none"], 1);

    // Timings alone are never dates or phone numbers.
    let out = phiguard()
        .args(["scan", "--format", "json", "--input-format", "srt", "-"])
        .write_stdin(
            "1\n00:00:01,000 --> 00:00:04,000\nHello!\n\n2\n01:02:03,456 --> 01:02:05,000\nBye!\n",
        )
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["findings"], 0);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn json_values_are_located_by_pointer_and_arrays_of_objects_are_posts() {
    let (got, summary) = findings(&["fixtures/formats/scheduled-posts.json"]);
    assert_eq!(
        got,
        vec![
            row(
                "/0",
                5,
                29,
                "/0/message",
                "hipaa.name.patient",
                "Rosalind Vey"
            ),
            row(
                "/0",
                6,
                18,
                "/0/alt_text",
                "hipaa.name.person",
                "Rosalind Vey"
            ),
        ]
    );
    assert_eq!(summary["posts"], 2);
    assert_eq!(summary["risk"]["high"], 1);

    // JSON Lines: a post per line; a value after a \u escape is located in the file's bytes.
    let (got, _) = findings(&["fixtures/formats/scheduled-posts.jsonl"]);
    assert_eq!(
        got,
        vec![
            row(
                "line 2",
                2,
                49,
                "/text",
                "hipaa.name.patient",
                "DOE-ROSS, KATHLEEN M"
            ),
            row("line 2", 2, 81, "/text", "hipaa.mrn.labelled", "00482913"),
        ]
    );
    let (covered, _) = finding_bytes("scheduled-posts.jsonl", 0, 1);
    assert_eq!(covered, b"00482913");

    // A clean document yields nothing; invalid JSON is scanned as text with a note.
    let (got, _) = findings(&["fixtures/formats/clean-campaign.json"]);
    assert!(got.is_empty(), "{got:?}");
    let out = phiguard()
        .args(["scan", "--format", "json", "--input-format", "json", "-"])
        .write_stdin("{\"message\": \"SSN 987-65-4321\"")
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["posts"][0]["findings"][0]["category"], "ssn");
    assert!(
        report["notes"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("not valid JSON"),
        "{report}"
    );
}

/// In a CSV export a marker in one row's text allows nothing, in that row or the next.
#[test]
fn markers_in_table_cells_allow_nothing() {
    let out = phiguard()
        .args(["scan", "--format", "json", "--input-format", "csv", "-"])
        .write_stdin(
            "id,message\n1,\"Great day!\n<!-- phiguard:allow -->\"\n2,\"Patient Jane Doe SSN 987-65-4320\"\n",
        )
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["summary"]["allowed"], 0);
    assert_eq!(r["summary"]["risk"]["high"], 1);
}

/// In a UTF-16 file, values are the decoded text: masked reports show no raw characters
/// between the mask's stars, and `--show-values` shows the text, not its bytes.
#[test]
fn utf16_values_are_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("post.txt");
    let mut bytes = vec![0xFF, 0xFE];
    for u in "Our patient Jane Doe, email jane@example.com\n".encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(&path, bytes).unwrap();
    let out = phiguard()
        .args(["scan", "--format", "json", path.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\"value\": \"j***@e******.c**\""), "{text}");
    assert!(
        !text.contains("Jane") && !text.contains("\\u0000"),
        "{text}"
    );
    let out = phiguard()
        .args([
            "scan",
            "--format",
            "json",
            "--show-values",
            path.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["posts"][0]["findings"][0]["value"], "Jane Doe");
}
