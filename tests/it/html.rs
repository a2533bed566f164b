//! HTML pages end to end: the visible text, title, alt texts and share texts of a page are
//! scanned, each finding located in the file's own lines and bytes (through tags and character
//! references); scripts, styles, URLs and markup are not.

use serde_json::Value;

use crate::formats::{findings, row};
use crate::util::phiguard;

/// The JSON report of scanning `args` (values masked).
fn report(args: &[&str]) -> Value {
    let out = phiguard()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["scan", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).expect("a JSON report")
}

#[test]
fn page_text_alt_and_meta_are_located_and_scripts_are_not_scanned() {
    let (got, summary) = findings(&["fixtures/formats/page-phi.html"]);
    assert_eq!(
        got,
        vec![
            row(
                "",
                6,
                37,
                "<meta name=\"description\">",
                "hipaa.name.person",
                "Marguerite"
            ),
            row(
                "",
                6,
                116,
                "<meta name=\"description\">",
                "hipaa.phone.nanp-local",
                "555-0163"
            ),
            // The name is split over two inline tags and a line: it is read as one name, and
            // its value is the file's bytes from its first letter to its last.
            row(
                "",
                19,
                38,
                "",
                "hipaa.name.patient",
                "Marguerite</strong>\n       <em>Okonkwo-Reyes"
            ),
            row(
                "",
                21,
                35,
                "<img alt>",
                "hipaa.name.patient",
                "Marguerite Okonkwo-Reyes"
            ),
            // Written with character references to get past filters: decoded, found, and
            // located at the references.
            row(
                "",
                22,
                45,
                "",
                "hipaa.email.address",
                "marguerite&#46;okr&#64;example&#46;com"
            ),
        ]
    );
    // The fake SSN in the script, the phone-like number in the style and the URL are not
    // findings; the page is one post.
    assert_eq!(summary["posts"], 1);
    assert_eq!(summary["risk"]["high"], 1);
}

#[test]
fn byte_offsets_point_at_the_references_in_the_file() {
    let bytes = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/formats/page-phi.html"),
    )
    .unwrap();
    let report = report(&["fixtures/formats/page-phi.html"]);
    let spans: Vec<&[u8]> = report["posts"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = f["byte_start"].as_u64().unwrap() as usize;
            let e = f["byte_end"].as_u64().unwrap() as usize;
            &bytes[s..e]
        })
        .collect();
    assert_eq!(spans[3], b"Marguerite Okonkwo-Reyes");
    assert_eq!(spans[4], b"marguerite&#46;okr&#64;example&#46;com");
    // Masked without --show-values.
    assert_eq!(
        report["posts"][0]["findings"][3]["value"],
        "M********* O******-R****"
    );
}

#[test]
fn a_clean_page_yields_nothing() {
    let (got, summary) = findings(&["fixtures/formats/page-clean.html"]);
    assert!(got.is_empty(), "{got:?}");
    assert_eq!(summary["posts"], 1);
    assert_eq!(summary["risk"]["none"], 1);
}

#[test]
fn htm_files_and_stdin_as_html() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("story.htm");
    std::fs::write(
        &page,
        "<p>Thank you!</p><img src=a.jpg alt=\"Call 555-0147 to book\">",
    )
    .unwrap();
    let report = report(&[page.to_str().unwrap()]);
    assert_eq!(report["posts"][0]["findings"][0]["locator"], "<img alt>");
    assert_eq!(report["posts"][0]["findings"][0]["column"], 43);

    let out = phiguard()
        .args(["scan", "--format", "json", "--input-format", "html", "-"])
        .write_stdin(
            "<p>SSN <b>987-65-4321</b></p><script>var t = 'SSN 987-65-4322';</script>\
             <a href=\"https://example.com/?ssn=987-65-4323\">more</a>",
        )
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let found = report["posts"][0]["findings"].as_array().unwrap();
    assert_eq!(found.len(), 1, "{report}");
    assert_eq!(found[0]["category"], "ssn");
    assert_eq!(found[0]["column"], 11);
    assert_eq!(out.status.code(), Some(1));
}
