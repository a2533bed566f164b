//! Evasion-proof matching: identifiers hidden with invisible characters, full-width digits,
//! lookalike letters, spaced-out digits or a spelled-out address are found, and each finding's
//! span covers the identifier's bytes in the original text. Fixed cases pin exact values; a
//! property test injects random obfuscations into random text.

use phiguard::extract::{Extracted, extract};
use phiguard::scan::Scanner;
use proptest::prelude::*;

use crate::util::engine;

/// `(rule, value as written)` of every finding in `text`, scanned as a file would be.
fn findings(text: &str) -> Vec<(String, String)> {
    scan(text)
        .into_iter()
        .map(|(rule, span)| (rule, text[span].to_owned()))
        .collect()
}

/// `(rule, byte span)` of every finding in `text`.
fn scan(text: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let model = phiguard::assess::RiskModel::default();
    let scanner = Scanner {
        engine: engine(),
        model: &model,
    };
    let Extracted::Document(doc, _) = extract("post.txt", text.as_bytes().to_vec(), true) else {
        panic!("text is a document");
    };
    scanner
        .scan_document(&doc)
        .into_iter()
        .flat_map(|p| p.findings)
        .map(|f| (f.rule.id.clone(), f.span))
        .collect()
}

fn pair(rule: &str, value: &str) -> (String, String) {
    (rule.to_owned(), value.to_owned())
}

/// Invisible characters inside an SSN, a phone and a name do not hide them.
#[test]
fn invisible_characters() {
    assert_eq!(
        findings("SSN 987\u{200B}-65-\u{2060}4321 on file"),
        vec![pair("hipaa.ssn.dashed", "987\u{200B}-65-\u{2060}4321")]
    );
    assert_eq!(
        findings("Call (555)\u{FEFF} 555-01\u{200C}42 today"),
        vec![pair("hipaa.phone.nanp", "(555)\u{FEFF} 555-01\u{200C}42")]
    );
    assert_eq!(
        findings("Get well soon, patient Ja\u{200D}ne Exa\u{00AD}mple!"),
        vec![pair("hipaa.name.patient", "Ja\u{200D}ne Exa\u{00AD}mple")]
    );
}

/// Full-width and styled digits, and the non-breaking hyphen, read as plain digits.
#[test]
fn full_width_and_styled_digits() {
    assert_eq!(
        findings("SSN ９８７-６５-４３２１"),
        vec![pair("hipaa.ssn.dashed", "９８７-６５-４３２１")]
    );
    assert_eq!(
        findings("Text me at 555\u{2011}555\u{2011}0199"),
        vec![pair("hipaa.phone.nanp", "555\u{2011}555\u{2011}0199")]
    );
    assert_eq!(
        findings("MRN: 𝟒𝟓𝟔𝟕𝟖𝟗𝟏"),
        vec![pair("hipaa.mrn.labelled", "𝟒𝟓𝟔𝟕𝟖𝟗𝟏")]
    );
}

/// Digits spaced or dotted out one by one, and letters written for digits.
#[test]
fn spaced_digits_and_letters_for_digits() {
    assert_eq!(
        findings("call 5 5 5 - 5 5 5 - 0 1 4 2 tonight"),
        vec![pair("hipaa.phone.nanp", "5 5 5 - 5 5 5 - 0 1 4 2")]
    );
    assert_eq!(
        findings("ssn 9.8.7.6.5.4.3.2.1"),
        vec![pair("hipaa.ssn.bare-labelled", "9.8.7.6.5.4.3.2.1")]
    );
    assert_eq!(
        findings("Call 555-555-O142"),
        vec![pair("hipaa.phone.nanp", "555-555-O142")]
    );
}

/// Spelled-out addresses, bracketed or in plain words.
#[test]
fn spelled_out_emails() {
    assert_eq!(
        findings("Email jane dot example at example dot com with updates"),
        vec![pair(
            "hipaa.email.address",
            "jane dot example at example dot com"
        )]
    );
    assert_eq!(
        findings("Reach her family: jdoe {at} example {dot} org"),
        vec![pair("hipaa.email.address", "jdoe {at} example {dot} org")]
    );
    assert!(findings("Find us online at mercy dot org and say hi!").is_empty());
}

/// Cyrillic lookalike letters inside a Latin name.
#[test]
fn lookalike_letters() {
    assert_eq!(
        findings("Prayers for our patient Jаnе Ехample."),
        vec![pair("hipaa.name.patient", "Jаnе Ехample")]
    );
}

/// Identifiers to inject: the label stays plain, the value gets obfuscated.
const IDENTIFIERS: &[(&str, &str)] = &[
    ("SSN ", "987-65-4321"),
    ("SSN: ", "900-12-3456"),
    ("call ", "(555) 555-0142"),
    ("text ", "555-555-0199"),
    ("MRN ", "40517283"),
    ("email ", "jane.example@example.com"),
];

const FILLER: &[&str] = &[
    "Happy", "Friday", "from", "our", "team", "🎉", "Gracias", "a", "todos", "the", "clinic", "is",
    "open", "9am", "today", "💙", "staff", "lobby", "flu", "shots", "niños", "¡Hola!",
];

/// One way to hide a value; the result is the text to insert.
fn obfuscate(value: &str, how: u8, seed: usize) -> String {
    let zw = [
        '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{00AD}',
    ];
    match how {
        // Invisible characters between characters (never at the ends).
        0 => {
            let mut out = String::new();
            for (i, c) in value.chars().enumerate() {
                if i > 0 && (i + seed) % 3 == 0 {
                    out.push(zw[(i + seed) % zw.len()]);
                }
                out.push(c);
            }
            out
        }
        // Full-width digits.
        1 => value
            .chars()
            .map(|c| match c.to_digit(10) {
                Some(d) => char::from_u32(0xFF10 + d).unwrap(),
                None => c,
            })
            .collect(),
        // Digits spaced out one by one, a dash kept as " - ".
        2 if !value.contains('@') && !value.contains('(') => {
            let mut out = String::new();
            for c in value.chars() {
                if c == '-' {
                    out.push_str(" -");
                } else {
                    if !out.is_empty() {
                        out.push(' ');
                    }
                    out.push(c);
                }
            }
            out
        }
        // A spelled-out address (other values with brackets are left as they are).
        2 => value.replace('@', " [at] ").replace(".com", " [dot] com"),
        _ => value.to_owned(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    /// For random text with an injected, obfuscated identifier, some finding's span in the
    /// original bytes covers the whole identifier.
    #[test]
    fn injected_identifiers_are_found_where_they_are(
        before in prop::collection::vec(0..FILLER.len(), 0..12),
        after in prop::collection::vec(0..FILLER.len(), 0..12),
        which in 0..IDENTIFIERS.len(),
        how in 0u8..4,
        seed in 0usize..100,
    ) {
        let words = |ix: &[usize]| ix.iter().map(|&i| FILLER[i]).collect::<Vec<_>>().join(" ");
        let (label, value) = IDENTIFIERS[which];
        let hidden = obfuscate(value, how, seed);
        let mut text = words(&before);
        text.push_str(if text.is_empty() { "" } else { ". " });
        text.push_str(label);
        let start = text.len();
        text.push_str(&hidden);
        let end = text.len();
        text.push_str(". ");
        text.push_str(&words(&after));
        let found = scan(&text);
        prop_assert!(
            found.iter().any(|(_, s)| s.start <= start && end <= s.end),
            "{text:?}: {hidden:?} at {start}..{end} not covered by {found:?}"
        );
    }
}

/// Where normalisation expands or drops characters at a value's edge, the span still covers
/// exactly the characters as written.
#[test]
fn edges_of_expanded_and_dropped_characters() {
    // "⒐" reads as "9.": the SSN ends inside it, so the whole character is the value's.
    assert_eq!(
        findings("SSN 987-65-432⒐ ok"),
        vec![pair("hipaa.ssn.dashed", "987-65-432⒐")]
    );
    // A zero-width space right after a value (with a spelled-out address later, so two
    // passes of normalisation compose) stays outside it.
    let found = findings("SSN 987-65-4320\u{200B} or jane dot doe at example dot com");
    assert_eq!(
        found,
        vec![
            pair("hipaa.ssn.dashed", "987-65-4320"),
            pair("hipaa.email.address", "jane dot doe at example dot com"),
        ]
    );
}
