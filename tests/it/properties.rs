//! Properties on stable (issue 7): in every format, an identifier's reported location is where
//! it is written; redaction leaves none of what was found, in the formats the redaction
//! properties of `redact.rs` do not cover; masks never show more than README.md documents;
//! the same bytes give the same JSON report, on one thread or several.

use phiguard::assess::RiskModel;
use phiguard::category::Category;
use phiguard::extract::{self, ExtractOptions};
use phiguard::invariants;
use phiguard::redact::{RedactOptions, redact};
use phiguard::scan::Scanner;
use phiguard::source::{Input, Origin};
use proptest::prelude::*;

use crate::util::engine;

/// Words around the identifiers, with characters each format must escape or unquote.
const FILLER: &[&str] = &[
    "Thank",
    "you",
    "to",
    "our",
    "nurses",
    "\"great\"",
    "care,",
    "A&E",
    "<3",
    "café",
    "naïve",
    "🎉",
    "back\\slash",
    "it's",
    "tab\there",
    "50%",
    "#WellnessWeek",
    "x\ny",
];

/// `(label, value as written, category)`: invented identifiers.
const IDENTIFIERS: &[(&str, &str, &str)] = &[
    ("SSN ", "987-65-4320", "ssn"),
    ("SSN: ", "987654321", "ssn"),
    ("call ", "(555) 555-0142", "phone"),
    ("email ", "jo.example@example.com", "email"),
    ("MRN ", "4417302", "medical_record_number"),
];

fn text() -> impl Strategy<Value = (String, usize)> {
    (
        prop::collection::vec(0..FILLER.len(), 0..8),
        0..IDENTIFIERS.len(),
        prop::collection::vec(0..FILLER.len(), 0..8),
    )
        .prop_map(|(before, which, after)| {
            let words = |ix: &[usize]| ix.iter().map(|&i| FILLER[i]).collect::<Vec<_>>();
            let mut text = words(&before).join(" ");
            if !text.is_empty() {
                text.push_str(". ");
            }
            let (label, value, _) = IDENTIFIERS[which];
            text.push_str(label);
            text.push_str(value);
            text.push_str(". ");
            text.push_str(&words(&after).join(" "));
            (text, which)
        })
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `text` written as a file of each format: `(file name, bytes)`.
fn in_every_format(text: &str) -> Vec<(&'static str, String)> {
    let json = serde_json::to_string(text).unwrap();
    let one_line = text.replace('\n', " ");
    vec![
        ("post.txt", text.to_owned()),
        (
            "posts.csv",
            format!(
                "Date,Message\n2026-03-01,\"{}\"\n",
                text.replace('"', "\"\"")
            ),
        ),
        (
            "posts.tsv",
            format!("Message\n{}\n", one_line.replace('\t', " ")),
        ),
        (
            "posts.json",
            format!("{{\"posts\": [{{\"message\": {json}}}]}}"),
        ),
        (
            "posts.jsonl",
            format!("{{\"message\": {json}}}\n{{\"n\": 1}}\n"),
        ),
        ("posts.yaml", format!("- message: {json}\n  id: 3\n")),
        (
            "page.html",
            format!("<html><body><p>{}</p></body></html>", html_escape(text)),
        ),
        (
            "video.srt",
            format!("1\n00:00:01,000 --> 00:00:04,000\n{one_line}\n"),
        ),
        (
            "video.vtt",
            format!(
                "WEBVTT\n\n00:00.000 --> 00:04.000\n{}\n",
                html_escape(&one_line)
            ),
        ),
        ("story.md", format!("---\ntitle: {json}\n---\n{text}\n")),
        ("story.md", format!("+++\ntitle = {json}\n+++\nHello\n")),
    ]
}

/// Every finding of `bytes` read as `name`: `(category, bytes at its range)`, after the shared
/// invariant checks (ranges on boundaries, values equal to their text, masks).
fn located(name: &str, bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let model = RiskModel::default();
    let scanner = Scanner {
        engine: engine(),
        model: &model,
    };
    let extract::Extracted::Document(doc, _) = extract::extract(name, bytes.to_vec(), true) else {
        panic!("{name} was not read");
    };
    invariants::check_document(name, bytes, &doc);
    let mut out = Vec::new();
    for post in scanner.scan_document(&doc) {
        invariants::check_post(&doc, &post);
        for f in &post.findings {
            out.push((
                f.category().as_str().to_owned(),
                doc.bytes[f.span.clone()].to_vec(),
            ));
        }
    }
    out
}

/// A JSON report of `files` (written to a temporary folder), scanned on `threads` threads.
fn report_of(files: &[(String, Vec<u8>)], threads: usize) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let inputs: Vec<Input> = files
        .iter()
        .map(|(name, bytes)| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            Input {
                name: name.clone(),
                origin: Origin::File(path),
                explicit: true,
            }
        })
        .collect();
    let model = RiskModel::default();
    let scanner = Scanner {
        engine: engine(),
        model: &model,
    };
    let results = scanner.scan_inputs(&inputs, threads);
    let mut out = Vec::new();
    let opts = phiguard::report::ReportOptions {
        format: phiguard::report::Format::Json,
        show_values: false,
        min_risk: phiguard::category::RiskLevel::None,
        fail_on: phiguard::category::RiskLevel::Medium,
        color: false,
        verbose: false,
    };
    phiguard::report::write(&results, &opts, &mut out).unwrap();
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// In every format, the planted identifier is reported at the bytes where it is written.
    #[test]
    fn identifiers_are_located_where_they_are_written((text, which) in text()) {
        let (_, value, category) = IDENTIFIERS[which];
        for (name, file) in in_every_format(&text) {
            let found = located(name, file.as_bytes());
            prop_assert!(
                found
                    .iter()
                    .any(|(c, bytes)| c == category && bytes == value.as_bytes()),
                "{name}: {value} ({category}) not located in {file:?}: {found:?}"
            );
        }
    }

    /// Redaction leaves none of what was found, in formats beyond those of `redact.rs`.
    #[test]
    fn redaction_removes_every_finding((text, which) in text()) {
        let (_, value, _) = IDENTIFIERS[which];
        let model = RiskModel::default();
        let scanner = Scanner { engine: engine(), model: &model };
        for (name, file) in in_every_format(&text) {
            if !matches!(name, "posts.jsonl" | "posts.yaml" | "page.html" | "video.srt" | "video.vtt" | "posts.tsv") {
                continue;
            }
            let out = redact(
                name,
                file.clone().into_bytes(),
                true,
                &scanner,
                &ExtractOptions::default(),
                &RedactOptions::default(),
            )
            .map_err(TestCaseError::fail)?;
            let again = String::from_utf8(out.bytes.clone()).unwrap();
            prop_assert!(!again.contains(value), "{name}: {value} survived in {again:?}");
            let left = located(name, &out.bytes);
            prop_assert!(left.is_empty(), "{name}: {left:?} left in {again:?}");
        }
    }

    /// Masks show at most what is documented, for any value in any category.
    #[test]
    fn masks_show_at_most_what_is_documented(
        value in "[a-zA-Z0-9 .@()/:_+\\-\u{00e9}\u{0661}\u{ff19}\u{200b}\u{202e}\u{0007}\t]{0,24}",
        category in 0..Category::ALL.len(),
    ) {
        invariants::mask(&value, Category::ALL[category]);
    }

    /// The same bytes give the same report, scanned twice, on one thread or on four.
    #[test]
    fn scanning_is_deterministic(texts in prop::collection::vec(text(), 1..4)) {
        let mut files = Vec::new();
        for (i, (text, _)) in texts.iter().enumerate() {
            for (name, file) in in_every_format(text) {
                files.push((format!("{i}-{name}"), file.into_bytes()));
            }
        }
        let one = report_of(&files, 1);
        prop_assert_eq!(&one, &report_of(&files, 1));
        prop_assert_eq!(&one, &report_of(&files, 4));
    }
}

/// Mask examples written by hand, against the documented rule (README.md, "Masking").
#[test]
fn masks_of_hand_written_values() {
    // 9 digits: the last 4 show.
    assert_eq!(
        phiguard::mask::mask("987-65-4320", Category::Ssn),
        "***-**-4320"
    );
    // 7 digits: the last 2.
    assert_eq!(
        phiguard::mask::mask("MRN4417302", Category::MedicalRecordNumber),
        "********02"
    );
    // Words: first letters only; no digit of a date.
    assert_eq!(
        phiguard::mask::mask("Jo Example", Category::Name),
        "J* E******"
    );
    assert_eq!(
        phiguard::mask::mask("03/14/1950", Category::Date),
        "**/**/****"
    );
    for (value, category) in [
        ("987-65-4320", Category::Ssn),
        ("MRN4417302", Category::MedicalRecordNumber),
        ("Jo Example", Category::Name),
        ("03/14/1950", Category::Date),
        ("jo.example@example.com", Category::Email),
    ] {
        invariants::mask(value, category);
    }
}
