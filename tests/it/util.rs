//! Shared helpers: the default engine built once, table helpers, and the binary under test.

use std::sync::OnceLock;

use phiguard::app::PackSelection;
use phiguard::category::RiskLevel;
use phiguard::detect::Engine;

/// The engine with the built-in packs, built once for the whole test binary.
pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        PackSelection::default()
            .engine()
            .expect("built-in packs compile")
            .0
    })
}

/// One thing the built-in packs found.
pub struct Hit {
    pub rule: String,
    pub category: String,
    pub value: String,
    pub confidence: f64,
    pub severity: RiskLevel,
}

/// Every identifier the built-in packs find in `text`, in text order. Names (and the handle a
/// reply is addressed to) are left out: the identifier tables test the regex packs; names have
/// their own tests.
pub fn hits(text: &str) -> Vec<Hit> {
    let e = engine();
    e.scan(text)
        .into_iter()
        .filter(|m| e.rule(m.rule).person.is_none())
        .map(|m| {
            let rule = e.rule(m.rule);
            Hit {
                rule: rule.id.clone(),
                category: rule.category.as_str().to_owned(),
                value: text[m.range].to_owned(),
                confidence: m.confidence,
                severity: m.severity,
            }
        })
        .collect()
}

/// `(category, value)` of everything found in `text`, in text order.
pub fn found(text: &str) -> Vec<(String, String)> {
    hits(text)
        .into_iter()
        .map(|h| (h.category, h.value))
        .collect()
}

/// `(rule id, value)` of everything found in `text`, in text order.
#[allow(dead_code)]
pub fn found_rules(text: &str) -> Vec<(String, String)> {
    hits(text).into_iter().map(|h| (h.rule, h.value)).collect()
}

/// `(rule id, value, confidence, severity)` of everything found in `text`, in text order.
#[allow(dead_code)]
pub fn scored(text: &str) -> Vec<(String, String, f64, RiskLevel)> {
    hits(text)
        .into_iter()
        .map(|h| (h.rule, h.value, h.confidence, h.severity))
        .collect()
}

/// Asserts that scanning `text` finds exactly `expected` `(category, value)` pairs, in order.
#[track_caller]
pub fn assert_found(text: &str, expected: &[(&str, &str)]) {
    let got = found(text);
    let want: Vec<(String, String)> = expected
        .iter()
        .map(|(c, v)| ((*c).to_owned(), (*v).to_owned()))
        .collect();
    assert_eq!(got, want, "scanning {text:?}");
}

/// Asserts that `text` yields nothing of `category`.
#[track_caller]
pub fn assert_none_of(text: &str, category: &str) {
    let got: Vec<(String, String)> = found(text)
        .into_iter()
        .filter(|(c, _)| c == category)
        .collect();
    assert!(got.is_empty(), "scanning {text:?} found {got:?}");
}

/// The `phiguard` binary, with colour and configuration from the environment cleared.
#[allow(dead_code)]
pub fn phiguard() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("phiguard").expect("binary builds");
    cmd.env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("PHIGUARD_CONFIG");
    cmd
}
