//! SARIF 2.1.0 for GitHub code scanning and other SARIF viewers (see DESIGN.md, "SARIF").
//!
//! One run. `tool.driver.rules` holds every rule that produced a result (sorted by id, each
//! with descriptions, help on what it finds and how to fix a post, a default level, tags and a
//! precision); each result points at its rule by id and index, at its file by a URI relative to
//! `%SRCROOT%` (the folder the scan ran from) and at its region by 1-based lines and UTF-16
//! columns. Values are masked unless `--show-values`; no result carries a snippet of the text.
//! Files that could not be checked are tool execution notifications, and make
//! `executionSuccessful` false.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::path::Path;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::ci::{self, Artifact, Level};
use super::{ReportOptions, shown_value};
use crate::category::RiskLevel;
use crate::detect::RuleInfo;
use crate::finding::Finding;
use crate::mask::mask;
use crate::scan::{PostResult, ScanResults};
use crate::source::NoteKind;

/// The schema URI written in `$schema`: the OASIS standard's.
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The `uriBaseId` that relative artifact URIs are resolved against: the folder the scan ran
/// from (in CI, the repository's root).
pub const SRCROOT: &str = "%SRCROOT%";

/// The key of phiguard's own entry in `partialFingerprints` (see [`fingerprint`]).
pub const FINGERPRINT_KEY: &str = "phiguardFindingHash/v1";

/// Characters left as they are in a URI path: unreserved characters and `/`. Everything else
/// (spaces, `%`, `#`, `?`, `:`, non-ASCII) is percent-encoded.
const PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    invocations: [Invocation; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    original_uri_base_ids: Option<BTreeMap<&'static str, ArtifactLocation>>,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    short_description: Text,
    full_description: Text,
    default_configuration: Configuration,
    help: Help,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleProperties {
    tags: Vec<String>,
    precision: &'static str,
    category: &'static str,
    safe_harbor: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    exit_code: u8,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
    properties: NotificationProperties,
}

#[derive(Serialize)]
struct NotificationProperties {
    kind: NoteKind,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
    properties: ResultProperties,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    status: &'static str,
    justification: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties {
    category: &'static str,
    /// The finding's value, masked unless `--show-values`.
    value: String,
    confidence: f64,
    /// The level the finding reaches on its own.
    severity: RiskLevel,
    /// The post's risk and score.
    risk: RiskLevel,
    score: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    post_locator: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    locator: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    authorization: Option<String>,
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "note",
    }
}

/// The SARIF `artifactLocation` of a source: relative to `%SRCROOT%` when inside the folder the
/// scan ran from, a `file:` URI when outside it, and only a description for stdin.
fn artifact_location(artifact: &Artifact) -> ArtifactLocation {
    match artifact {
        Artifact::Stdin => ArtifactLocation {
            uri: None,
            uri_base_id: None,
            description: Some(Text {
                text: "standard input".to_owned(),
            }),
        },
        Artifact::Relative(path) => ArtifactLocation {
            uri: Some(utf8_percent_encode(path, PATH).to_string()),
            uri_base_id: Some(SRCROOT),
            description: None,
        },
        Artifact::Absolute(path) => ArtifactLocation {
            uri: Some(file_uri(path, false)),
            uri_base_id: None,
            description: None,
        },
    }
}

/// A `file:` URI for an absolute path (with a trailing `/` for a folder).
fn file_uri(path: &Path, folder: bool) -> String {
    let mut p = path.to_string_lossy().replace('\\', "/");
    if !p.starts_with('/') {
        p.insert(0, '/');
    }
    if folder && !p.ends_with('/') {
        p.push('/');
    }
    format!("file://{}", utf8_percent_encode(&p, PATH))
}

/// `precision` from a rule's confidence: how often its results are right. Name rules weigh
/// their own cues per finding; they are `medium`.
fn precision(rule: &RuleInfo) -> &'static str {
    if rule.person.is_some() {
        return "medium";
    }
    match rule.confidence {
        c if c >= 0.9 => "very-high",
        c if c >= 0.75 => "high",
        c if c >= 0.5 => "medium",
        _ => "low",
    }
}

/// A sentence from a description: a capital first letter and a final full stop.
fn sentence(s: &str) -> String {
    let s = s.trim();
    let mut chars = s.chars();
    let mut out: String = match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => return String::new(),
    };
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// Most characters GitHub code scanning takes in a rule's short and full description.
const DESCRIPTION_LIMIT: usize = 1024;

/// `s` cut to at most `limit` characters, with an ellipsis when cut.
fn at_most(s: &str, limit: usize) -> String {
    if s.chars().count() <= limit {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(limit - 1).collect();
    out.push('…');
    out
}

fn rule_descriptor(rule: &RuleInfo) -> Rule<'_> {
    let c = rule.category;
    let short = if rule.description.trim().is_empty() {
        format!("{} ({})", sentence(c.label()), rule.id)
    } else {
        sentence(&rule.description)
    };
    let full = format!(
        "{short} Safe Harbor identifier {} of 45 CFR 164.514(b)(2)(i): {}.",
        c.safe_harbor_item(),
        c.safe_harbor_identifier()
    );
    let why = c.why_it_matters();
    let fix = sentence(super::fix_for(rule));
    let allow = "If it is not PHI (your organisation's own number or address, an invented \
                 sample), allow it where it stands with a `phiguard:allow` comment, or list it \
                 in your configuration.";
    let text = format!(
        "{short}\n\nWhy it matters: {why}\n\nHow to fix the post: {fix}\n\n{allow}\n\n\
         `phiguard explain {}` tells more.",
        rule.id
    );
    let markdown = format!(
        "{short}\n\n**Why it matters.** {why}\n\n**How to fix the post.** {fix}\n\n{allow}\n\n\
         Run `phiguard explain {}` for the words the rule looks for and its examples.",
        rule.id
    );
    Rule {
        id: &rule.id,
        short_description: Text {
            text: at_most(&short, DESCRIPTION_LIMIT),
        },
        full_description: Text {
            text: at_most(&full, DESCRIPTION_LIMIT),
        },
        default_configuration: Configuration {
            level: level_name(ci::risk_level(rule.severity)),
        },
        help: Help { text, markdown },
        properties: RuleProperties {
            tags: vec![
                "security".to_owned(),
                "privacy".to_owned(),
                "phi".to_owned(),
                "hipaa".to_owned(),
                c.as_str().to_owned(),
            ],
            precision: precision(rule),
            category: c.as_str(),
            safe_harbor: c.safe_harbor_item(),
        },
    }
}

/// A stable identity for a finding that survives edits elsewhere in its file: the SHA-256 of
/// the artifact's path, the rule, the *masked* value (never the raw one) and which occurrence of
/// that triple in the file it is (counting every finding and allowed finding of the file in
/// text order), first 16 bytes in hex. Line numbers are left out so that lines added above do
/// not change it.
pub fn fingerprint(path: &str, rule: &str, masked: &str, occurrence: usize) -> String {
    let mut h = Sha256::new();
    for part in [
        "phiguard.sarif.fingerprint/1",
        path,
        rule,
        masked,
        &occurrence.to_string(),
    ] {
        h.update(part.as_bytes());
        h.update(b"\0");
    }
    let digest = h.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// The occurrence number of each finding of each post, by (post index, finding index: its
/// findings, then its allowed findings): the n-th time its (source, rule, masked value) appears in the source, in text order,
/// counting allowed findings too, whatever `--min-risk` lists.
fn occurrences(results: &ScanResults) -> HashMap<(usize, usize), usize> {
    let mut out = HashMap::new();
    let mut seen: HashMap<(&str, &str, String), usize> = HashMap::new();
    for (pi, p) in results.posts.iter().enumerate() {
        let mut all: Vec<(usize, &Finding)> = p.findings.iter().enumerate().collect();
        let n = all.len();
        all.extend(
            p.allowed
                .iter()
                .enumerate()
                .map(|(i, a)| (n + i, &a.finding)),
        );
        all.sort_by_key(|(_, f)| (f.span.start, f.span.end));
        for (fi, f) in all {
            let key = (
                p.source.as_str(),
                f.rule.id.as_str(),
                mask(&f.value, f.category()),
            );
            let count = seen.entry(key).or_default();
            out.insert((pi, fi), *count);
            *count += 1;
        }
    }
    out
}

pub(super) fn write(
    results: &ScanResults,
    opts: &ReportOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let root = ci::scan_root();
    let occurrence = occurrences(results);

    // Every rule that produced a result, sorted by id.
    let mut rules: BTreeMap<&str, &RuleInfo> = BTreeMap::new();
    let shown = ci::most_serious_first(results, opts.min_risk);
    for (_, p) in &shown {
        for f in p
            .findings
            .iter()
            .chain(p.allowed.iter().map(|a| &a.finding))
        {
            rules.entry(&f.rule.id).or_insert(&f.rule);
        }
    }
    let rule_index: HashMap<&str, usize> = rules.keys().enumerate().map(|(i, k)| (*k, i)).collect();

    let mut sarif_results = Vec::new();
    for &(pi, p) in &shown {
        let artifact = Artifact::locate(&p.source, root.as_deref());
        let path_key = artifact.display_path().unwrap_or_else(|| p.source.clone());
        let n = p.findings.len();
        let entries = p.findings.iter().map(|f| (f, None)).chain(
            p.allowed
                .iter()
                .map(|a| (&a.finding, Some(a.reason.as_str()))),
        );
        for (fi, (f, allowed)) in entries.enumerate() {
            let masked = mask(&f.value, f.category());
            let nth = occurrence.get(&(pi, fi)).copied().unwrap_or(0);
            let mut suppressions = Vec::new();
            if let Some(reason) = allowed {
                suppressions.push(Suppression {
                    kind: "inSource",
                    status: "accepted",
                    justification: reason.to_owned(),
                });
            } else if let Some(auth) = &f.authorization {
                suppressions.push(Suppression {
                    kind: "external",
                    status: "accepted",
                    justification: format!("covered by patient authorization {auth}"),
                });
            }
            let (start, end) = ci::utf16_region(p, f);
            sarif_results.push(SarifResult {
                rule_id: f.rule.id.clone(),
                rule_index: rule_index[f.rule.id.as_str()],
                level: level_name(ci::level(p, f, fi >= n)),
                message: Text {
                    text: message(p, f, opts.show_values, allowed),
                },
                locations: [Location {
                    physical_location: PhysicalLocation {
                        artifact_location: artifact_location(&artifact),
                        region: Some(Region {
                            start_line: start.line,
                            start_column: start.column,
                            end_line: end.line,
                            end_column: end.column,
                        }),
                    },
                }],
                partial_fingerprints: BTreeMap::from([(
                    FINGERPRINT_KEY,
                    fingerprint(&path_key, &f.rule.id, &masked, nth),
                )]),
                suppressions,
                properties: ResultProperties {
                    category: f.category().as_str(),
                    value: shown_value(f, opts.show_values),
                    confidence: f.confidence,
                    severity: f.severity,
                    risk: p.assessment.risk,
                    score: p.assessment.score,
                    post_locator: p.locator.clone(),
                    locator: f.locator.clone(),
                    authorization: f.authorization.clone(),
                },
            });
        }
    }

    let notifications = results
        .notes
        .iter()
        .map(|n| {
            let artifact = Artifact::locate(&n.source, root.as_deref());
            Notification {
                level: match n.kind {
                    NoteKind::Error => "error",
                    NoteKind::Skipped | NoteKind::Info => "note",
                },
                message: Text {
                    text: format!("{}: {}", n.source, n.message),
                },
                locations: vec![Location {
                    physical_location: PhysicalLocation {
                        artifact_location: artifact_location(&artifact),
                        region: None,
                    },
                }],
                properties: NotificationProperties { kind: n.kind },
            }
        })
        .collect();

    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "phiguard",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules: rules.values().map(|r| rule_descriptor(r)).collect(),
                },
            },
            invocations: [Invocation {
                execution_successful: !results.notes.iter().any(|n| n.is_error()),
                exit_code: super::exit_code(results, opts.fail_on),
                tool_execution_notifications: notifications,
            }],
            original_uri_base_ids: root.as_deref().map(|r| {
                BTreeMap::from([(
                    SRCROOT,
                    ArtifactLocation {
                        uri: Some(file_uri(r, true)),
                        uri_base_id: None,
                        description: None,
                    },
                )])
            }),
            column_kind: "utf16CodeUnits",
            results: sarif_results,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// A result's message: what was found, where inside the source, the post's verdict and why,
/// and the fix. Its first sentence is what a viewer shows when space is short.
fn message(p: &PostResult, f: &Finding, show_values: bool, allowed: Option<&str>) -> String {
    let c = f.category();
    let value = shown_value(f, show_values);
    let mut text = format!("{} {value}", sentence(c.label()).trim_end_matches('.'));
    if let Some(loc) = ci::locators(p, f) {
        text.push_str(&format!(" ({loc})"));
    }
    let risk = p.assessment.risk;
    if let Some(reason) = allowed {
        text.push_str(&format!(", allowed: {reason}."));
        return text;
    }
    text.push_str(&format!(" in a {risk}-risk post."));
    if let Some(auth) = &f.authorization {
        text.push_str(&format!(
            " Covered by patient authorization {auth}: not counted toward the risk."
        ));
    }
    if !p.assessment.reasons.is_empty() {
        text.push_str(&format!(" Why: {}.", p.assessment.reasons.join("; ")));
    }
    text.push_str(&format!(" Fix: {}", sentence(super::fix_for(&f.rule))));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded() {
        let loc = artifact_location(&Artifact::Relative("posts/May 3: 100%#1.md".to_owned()));
        assert_eq!(loc.uri.as_deref(), Some("posts/May%203%3A%20100%25%231.md"));
        assert_eq!(loc.uri_base_id, Some(SRCROOT));
        assert_eq!(
            file_uri(Path::new("/tmp/my repo"), true),
            "file:///tmp/my%20repo/"
        );
        assert_eq!(
            file_uri(Path::new("/tmp/é.md"), false),
            "file:///tmp/%C3%A9.md"
        );
    }

    #[test]
    fn descriptions_are_cut_to_the_limit() {
        assert_eq!(at_most("abc", 3), "abc");
        assert_eq!(at_most("abcd", 3), "ab…");
        assert_eq!(
            at_most(&"é".repeat(2000), DESCRIPTION_LIMIT)
                .chars()
                .count(),
            1024
        );
    }

    #[test]
    fn sentences() {
        assert_eq!(sentence("remove it"), "Remove it.");
        assert_eq!(sentence("Done."), "Done.");
        assert_eq!(sentence("  "), "");
    }

    #[test]
    fn fingerprints_are_stable_and_distinct() {
        let a = fingerprint("posts/a.md", "hipaa.ssn.dashed", "***-**-4321", 0);
        assert_eq!(a.len(), 32);
        assert_eq!(
            a,
            fingerprint("posts/a.md", "hipaa.ssn.dashed", "***-**-4321", 0)
        );
        assert_ne!(
            a,
            fingerprint("posts/a.md", "hipaa.ssn.dashed", "***-**-4321", 1)
        );
        assert_ne!(
            a,
            fingerprint("posts/b.md", "hipaa.ssn.dashed", "***-**-4321", 0)
        );
        assert_ne!(
            a,
            fingerprint("posts/a.md", "hipaa.ssn.spaced", "***-**-4321", 0)
        );
    }
}
