//! Markdown with front matter end to end: front-matter values located by path, the body read
//! as written (alt text, titles and code blocks included), scheduling stamps left alone, and
//! the front matter's patient authorization and allow list, and inline markers, steering the
//! verdict.

use serde_json::Value;

use crate::formats::{findings, row};
use crate::util::phiguard;

/// The JSON report of one file, values shown.
fn report(path: &str) -> Value {
    let out = phiguard()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["scan", "--format", "json", "--show-values", path])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).expect("a JSON report")
}

#[test]
fn toml_front_matter_alt_text_and_code_blocks_are_scanned() {
    let (got, summary) = findings(&["fixtures/formats/story-phi.md"]);
    assert_eq!(
        got,
        vec![
            row(
                "",
                2,
                29,
                "front matter /title",
                "hipaa.name.patient",
                "Theo"
            ),
            row(
                "",
                4,
                12,
                "front matter /summary",
                "hipaa.name.patient",
                "Theo Example"
            ),
            row("", 6, 6, "", "hipaa.name.patient", "Theo"),
            row("", 8, 3, "", "hipaa.name.person", "Theo Example"),
            row("", 8, 34, "", "hipaa.date.numeric", "01/19/2026"),
            row("", 8, 56, "", "hipaa.name.patient", "Theo"),
            row("", 11, 17, "", "hipaa.mrn.labelled", "40517283"),
        ]
    );
    assert_eq!(summary["risk"]["high"], 1);
}

#[test]
fn authorization_and_allow_lists_steer_the_verdict() {
    let r = report("fixtures/formats/story-authorized.md");
    let post = &r["posts"][0];
    // The subject's name is reported with the authorization, and not counted: what is left
    // is a health story with no one identified.
    assert_eq!(post["risk"], "low");
    let names: Vec<(u64, &str, &str)> = post["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["value"].as_str().unwrap(),
                f["authorization"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(
        names,
        vec![
            (2, "Rosalind Example", "AUTH-2026-0142"),
            (11, "Rosalind", "AUTH-2026-0142"),
            (13, "Rosalind Example", "AUTH-2026-0142"),
            (15, "Rosalind Example", "AUTH-2026-0142"),
            (15, "Amir Tal", "-"),
            (15, "Rosalind", "AUTH-2026-0142"),
        ]
    );
    let reasons = post["reasons"].as_array().unwrap();
    assert!(reasons.iter().any(|r| {
        r.as_str()
            .unwrap()
            .contains("covered by patient authorization AUTH-2026-0142")
    }));
    // The front matter's date is the post's own stamp; the clinic's number is allowed by the
    // front matter, the shared inbox by an inline marker with its reason.
    let allowed: Vec<(&str, &str, u64, &str)> = post["allowed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["rule"].as_str().unwrap(),
                a["value"].as_str().unwrap(),
                a["line"].as_u64().unwrap(),
                a["reason"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        allowed,
        vec![
            (
                "hipaa.phone.nanp",
                "(555) 555-0100",
                17,
                "allowed in the front matter (phiguard-allow)"
            ),
            (
                "hipaa.email.address",
                "oncology@example.org",
                19,
                "phiguard:allow on line 18: the oncology team's shared inbox"
            ),
        ]
    );
    assert_eq!(r["summary"]["allowed"], 2);
}

#[test]
fn without_its_authorization_the_same_story_fails() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/formats/story-authorized.md"
    ))
    .unwrap();
    let stripped: String = original
        .lines()
        .filter(|l| {
            !l.starts_with("phi-authorization")
                && !l.starts_with("  reference")
                && !l.starts_with("  subject")
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let path = dir.path().join("story.md");
    std::fs::write(&path, stripped).unwrap();
    let r = report(path.to_str().unwrap());
    assert_eq!(r["posts"][0]["risk"], "high");
}

#[test]
fn a_clean_post_and_its_stamp() {
    let (got, summary) = findings(&["fixtures/formats/story-clean.md"]);
    assert_eq!(got, vec![]);
    assert_eq!(summary["risk"]["none"], 1);
}

#[test]
fn markers_without_front_matter_and_text_input() {
    // A marker works in any text format; `--input-format markdown` reads stdin as Markdown.
    let out = phiguard()
        .args(["scan", "--format", "json", "--show-values", "--input-format", "markdown", "-"])
        .write_stdin("---\ntitle: Ana Example's recovery\n---\nSSN 987-65-4320 <!-- phiguard:allow ssn -- a sample -->\n")
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    let post = &r["posts"][0];
    assert_eq!(post["findings"][0]["locator"], "front matter /title");
    assert_eq!(post["allowed"][0]["rule"], "hipaa.ssn.dashed");
    assert_eq!(
        post["allowed"][0]["reason"],
        "phiguard:allow on line 4: a sample"
    );
}

/// An authorization covers only its subject's names, needs a reference, and markers count only
/// inside comments.
#[test]
fn authorizations_and_markers_are_not_loopholes() {
    let scan = |text: &str| -> Value {
        let out = phiguard()
            .args([
                "scan",
                "--format",
                "json",
                "--show-values",
                "--input-format",
                "markdown",
                "-",
            ])
            .write_stdin(text.to_owned())
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let r = scan(
        "---\nphi-authorization:\n  reference: AUTH-1\n  subject: Jane Doe\n---\n\
         Our patient Jane Doe finished chemo today; her brother John Doe was there too.\n",
    );
    let marks: Vec<(&str, Option<&str>)> = r["posts"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["value"].as_str().unwrap(), f["authorization"].as_str()))
        .collect();
    assert_eq!(
        marks,
        vec![("Jane Doe", Some("AUTH-1")), ("John Doe", None)]
    );
    assert_eq!(r["posts"][0]["risk"], "high");

    // `null`, a list or a subject alone is no authorization, and the note says so.
    let r = scan("---\nphi-authorization: null\n---\nOur patient Jane Doe finished chemo today.\n");
    assert_eq!(r["posts"][0]["risk"], "high");
    assert!(
        r["notes"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("phi-authorization has no reference")
    );

    // A marker written in the text, not in a comment, allows nothing.
    let r = scan("SSN 987-65-4320 phiguard:allow\n");
    assert_eq!(r["posts"][0]["findings"][0]["rule"], "hipaa.ssn.dashed");
    assert_eq!(r["summary"]["allowed"], 0);
}
