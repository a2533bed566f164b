//! YAML end to end: scheduled posts in a sequence of mappings are posts, each value located by
//! its path and by the file's own lines and bytes (through escapes and block scalars); keys are
//! not scanned; invalid YAML is scanned as text with a note.

use serde_json::Value;

use crate::formats::{finding_bytes, findings, row};
use crate::util::phiguard;

#[test]
fn yaml_values_are_located_by_path_and_a_list_of_mappings_is_posts() {
    let (got, summary) = findings(&["fixtures/formats/posts-phi.yaml"]);
    assert_eq!(
        got,
        vec![
            row(
                "/0",
                4,
                43,
                "/0/message",
                "hipaa.name.patient",
                "Tobias Brennan"
            ),
            // A double-quoted value: after the \n and \" escapes, locations are still the
            // file's.
            row("/1", 8, 62, "/1/message", "hipaa.name.person", "Ruth"),
            row("/1", 8, 73, "/1/message", "hipaa.age.stated", "94"),
            row(
                "/1",
                8,
                87,
                "/1/message",
                "hipaa.date.numeric",
                "03/14/1931"
            ),
            // A literal block: its second line, indentation stripped, is line 14 of the file.
            row(
                "/2",
                14,
                39,
                "/2/message",
                "hipaa.phone.nanp-local",
                "555-0148"
            ),
        ]
    );
    assert_eq!(summary["posts"], 3);
    assert_eq!(summary["risk"]["high"], 2);
    assert_eq!(summary["risk"]["low"], 1);

    let (covered, _) = finding_bytes("posts-phi.yaml", 1, 2);
    assert_eq!(covered, b"03/14/1931");
}

#[test]
fn a_clean_yaml_file_yields_nothing() {
    let (got, summary) = findings(&["fixtures/formats/posts-clean.yaml"]);
    assert!(got.is_empty(), "{got:?}");
    assert_eq!(summary["posts"], 2);
    assert_eq!(summary["risk"]["none"], 2);
}

#[test]
fn documents_of_a_stream_are_posts_and_invalid_yaml_is_text() {
    let scan = |input: &str| {
        let out = phiguard()
            .args([
                "scan",
                "--format",
                "json",
                "--show-values",
                "--input-format",
                "yaml",
                "-",
            ])
            .write_stdin(input.to_owned())
            .output()
            .unwrap();
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let report =
        scan("---\nmessage: Hi all\n---\nmessage: 'SSN 987-65-4321'\nssn 987-65-4320: key\n");
    assert_eq!(report["summary"]["posts"], 2);
    // Only the post with something in it is listed.
    let post = &report["posts"][0];
    assert_eq!(post["locator"], "document 2");
    let found = post["findings"].as_array().unwrap();
    // The key is not scanned.
    assert_eq!(found.len(), 1, "{report}");
    assert_eq!(found[0]["locator"], "/message");
    assert_eq!(found[0]["value"], "987-65-4321");
    assert_eq!(
        (&found[0]["line"], &found[0]["column"]),
        (&4.into(), &15.into())
    );

    let report = scan("message: SSN 987-65-4321\nbad: [\n");
    assert_eq!(report["posts"][0]["findings"][0]["category"], "ssn");
    let note = report["notes"][0]["message"].as_str().unwrap();
    assert!(note.starts_with("not valid YAML ("), "{note}");
    assert!(note.contains("at line 3"), "{note}");
}
