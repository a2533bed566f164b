//! Word documents end to end: the fixtures in fixtures/formats (made by
//! scripts/gen_docx_fixtures.py) scanned by the binary, each finding pinned to the part of the
//! document it sits in (paragraph, table cell, tracked deletion, hidden text, alt text, comment,
//! properties).

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::phiguard;

/// `(finding locator, rule, value)`.
type Row = (String, String, String);

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/formats")
        .join(name)
}

/// The JSON report (values shown) and exit code of scanning `args`.
fn scan(args: &[&str], stdin: Option<Vec<u8>>) -> (Value, Option<i32>) {
    let mut cmd = phiguard();
    cmd.args(["scan", "--format", "json", "--show-values"])
        .args(args);
    if let Some(bytes) = stdin {
        cmd.write_stdin(bytes);
    }
    let out = cmd.output().unwrap();
    let report = serde_json::from_slice(&out.stdout).expect("a JSON report");
    (report, out.status.code())
}

/// Every finding of the report's posts as a [`Row`].
fn rows(report: &Value) -> Vec<Row> {
    let mut rows = Vec::new();
    for p in report["posts"].as_array().unwrap() {
        for f in p["findings"].as_array().unwrap() {
            rows.push((
                f["locator"].as_str().unwrap_or("").to_owned(),
                f["rule"].as_str().unwrap().to_owned(),
                f["value"].as_str().unwrap().to_owned(),
            ));
        }
    }
    rows
}

fn row(at: &str, rule: &str, value: &str) -> Row {
    (at.into(), rule.into(), value.into())
}

/// What the PHI draft yields: a finding in every place Word keeps text, none from the author,
/// the last editor or the comment's author.
fn phi_draft_rows() -> Vec<Row> {
    vec![
        row("paragraph 2", "hipaa.name.patient", "Harriet Quandt"),
        row("paragraph 2", "hipaa.date.numeric", "03/14/1961"),
        row(
            "paragraph 4 (deleted text)",
            "hipaa.mrn.labelled",
            "00482913",
        ),
        row("paragraph 4 (hidden text)", "hipaa.room.number", "412"),
        row("paragraph 4 (hidden text)", "hipaa.room.number", "2"),
        row("table 1, row 2, cell 1", "hipaa.name.person", "Lena Quandt"),
        row(
            "table 1, row 2, cell 2",
            "hipaa.phone.nanp-local-dashed",
            "555-0142",
        ),
        row("image 1 alt text", "hipaa.name.patient", "Harriet Quandt"),
        row("comment 1", "hipaa.name.person", "Harriet Quandt"),
        row("document subject", "hipaa.name.person", "Harriet Quandt"),
        row(
            "document description",
            "hipaa.name.person",
            "Harriet Quandt",
        ),
    ]
}

#[test]
fn a_word_draft_is_one_post_located_by_paragraph_cell_comment_and_alt_text() {
    let path = fixture("draft-phi.docx");
    let (report, code) = scan(&[path.to_str().unwrap()], None);
    assert_eq!(rows(&report), phi_draft_rows());
    assert_eq!(report["summary"]["posts"], 1);
    assert_eq!(report["summary"]["risk"]["high"], 1);
    assert_eq!(report["posts"][0]["risk"], "high");
    assert_eq!(report["notes"], Value::Array(Vec::new()));
    assert_eq!(code, Some(1));
    // Staff names are not read at all.
    let text = report.to_string();
    for staff in ["Dana Writer", "Sam Editor"] {
        assert!(!text.contains(staff), "{staff} in {text}");
    }
}

#[test]
fn a_clean_word_draft_yields_nothing() {
    let path = fixture("draft-clean.docx");
    let (report, code) = scan(&[path.to_str().unwrap()], None);
    assert_eq!(rows(&report), Vec::<Row>::new());
    assert_eq!(report["summary"]["posts"], 1);
    assert_eq!(report["summary"]["risk"]["none"], 1);
    assert_eq!(code, Some(0));
}

#[test]
fn a_folder_walk_reads_word_documents_and_reports_broken_ones() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("draft-phi.docx"), dir.path().join("draft-phi.docx")).unwrap();
    std::fs::copy(
        fixture("draft-clean.docx"),
        dir.path().join("draft-clean.docx"),
    )
    .unwrap();
    let (report, code) = scan(&[dir.path().to_str().unwrap()], None);
    // Binary to the text sniffer, but read as Word documents: nothing skipped.
    assert_eq!(report["summary"]["sources"], 2);
    assert_eq!(report["summary"]["skipped"], 0);
    assert_eq!(rows(&report), phi_draft_rows());
    assert_eq!(code, Some(1));

    // A .docx that is not one could not be checked: an error, exit 2, never a silent pass.
    std::fs::write(dir.path().join("notes.docx"), "just text, renamed").unwrap();
    let (report, code) = scan(&[dir.path().to_str().unwrap()], None);
    assert_eq!(code, Some(2));
    assert_eq!(report["summary"]["errors"], 1);
    let note = &report["notes"][0];
    assert_eq!(note["kind"], "error");
    assert!(
        note["source"].as_str().unwrap().ends_with("notes.docx"),
        "{note}"
    );
    assert_eq!(
        note["message"],
        "could not be checked: not a Word document (not a zip package: invalid Zip archive: \
         Could not find EOCD)"
    );
}

#[test]
fn stdin_is_read_as_word_when_told() {
    let bytes = std::fs::read(fixture("draft-phi.docx")).unwrap();
    let (report, code) = scan(&["--input-format", "docx", "-"], Some(bytes));
    assert_eq!(rows(&report), phi_draft_rows());
    assert_eq!(report["posts"][0]["source"], "-");
    assert_eq!(code, Some(1));
}

#[test]
fn stdin_with_a_word_package_is_read_as_word_untold() {
    // A zip package on stdin (no name to go by) is read as the Word document it is.
    let bytes = std::fs::read(fixture("draft-phi.docx")).unwrap();
    let (report, code) = scan(&["-"], Some(bytes));
    assert_eq!(rows(&report), phi_draft_rows());
    assert_eq!(code, Some(1));
}
