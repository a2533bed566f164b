//! The JSON report, schema `phiguard.report/1` (see DESIGN.md). The field set is a contract:
//! change it only by bumping the schema version.

use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{ReportOptions, Summary};
use crate::category::{Category, RiskLevel};
use crate::mask::mask;
use crate::scan::{PostResult, ScanResults};
use crate::source::Note;

/// The schema identifier written in every JSON report.
pub const SCHEMA: &str = "phiguard.report/1";

#[derive(Serialize)]
struct Report<'a> {
    schema: &'static str,
    tool: Tool,
    posts: Vec<Post<'a>>,
    notes: &'a [Note],
    summary: JsonSummary,
}

#[derive(Serialize)]
pub(super) struct Tool {
    name: &'static str,
    version: &'static str,
}

/// One post as the report lists it (also a line of the `jsonl` format).
#[derive(Serialize)]
pub(super) struct Post<'a> {
    source: &'a str,
    locator: Option<&'a str>,
    risk: RiskLevel,
    score: f64,
    reasons: &'a [String],
    findings: Vec<Finding<'a>>,
    /// Findings let through by a `phiguard:allow` marker or the front matter's allow list.
    allowed: Vec<AllowedFinding<'a>>,
}

#[derive(Serialize)]
struct AllowedFinding<'a> {
    rule: &'a str,
    category: Category,
    line: usize,
    column: usize,
    locator: Option<&'a str>,
    value: String,
    reason: &'a str,
}

#[derive(Serialize)]
struct Finding<'a> {
    rule: &'a str,
    category: Category,
    confidence: f64,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    byte_start: usize,
    byte_end: usize,
    /// Where inside the post: `column "Message"` in a table; `null` for whole-text posts.
    locator: Option<&'a str>,
    value: String,
    fingerprint: String,
    /// The recorded patient authorization that covers this finding (not counted in the risk).
    #[serde(skip_serializing_if = "Option::is_none")]
    authorization: Option<&'a str>,
}

/// The report's `summary` (also the last line of the `jsonl` format).
#[derive(Serialize)]
pub(super) struct JsonSummary {
    sources: usize,
    posts: usize,
    findings: usize,
    allowed: usize,
    risk: RiskCounts,
    skipped: usize,
    errors: usize,
    /// With `--baseline`: `{"hidden": N, "stale": M}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<crate::baseline::BaselineCounts>,
}

#[derive(Serialize)]
struct RiskCounts {
    none: usize,
    low: usize,
    medium: usize,
    high: usize,
}

pub(super) fn write(
    results: &ScanResults,
    opts: &ReportOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let report = Report {
        schema: SCHEMA,
        tool: tool(),
        posts: results
            .posts
            .iter()
            .filter(|p| p.assessment.risk >= opts.min_risk)
            .map(|p| post(p, opts.show_values))
            .collect(),
        notes: &results.notes,
        summary: summary(results),
    };
    serde_json::to_writer_pretty(&mut *out, &report).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// This program's name and version.
/// The JSON report written a post at a time, the same bytes as [`write`] gives: the document's
/// head, each post as it comes, then the notes and the summary.
pub(super) struct Writer {
    posts: usize,
}

impl Writer {
    pub(super) fn start(out: &mut dyn Write) -> io::Result<Writer> {
        out.write_all(b"{\n  \"schema\": ")?;
        nested(out, &SCHEMA, 1)?;
        out.write_all(b",\n  \"tool\": ")?;
        nested(out, &tool(), 1)?;
        out.write_all(b",\n  \"posts\": [")?;
        Ok(Writer { posts: 0 })
    }

    pub(super) fn post(
        &mut self,
        out: &mut dyn Write,
        p: &PostResult,
        show_values: bool,
    ) -> io::Result<()> {
        out.write_all(if self.posts == 0 {
            b"\n    "
        } else {
            b",\n    "
        })?;
        self.posts += 1;
        nested(out, &post(p, show_values), 2)
    }

    pub(super) fn finish(
        self,
        out: &mut dyn Write,
        notes: &[Note],
        summary: &Summary,
    ) -> io::Result<()> {
        out.write_all(if self.posts == 0 { b"]" } else { b"\n  ]" })?;
        out.write_all(b",\n  \"notes\": ")?;
        nested(out, &notes, 1)?;
        out.write_all(b",\n  \"summary\": ")?;
        nested(out, &summary_of(summary), 1)?;
        out.write_all(b"\n}\n")
    }
}

/// Writes `value` pretty-printed as serde_json does `depth` levels down: two spaces a level.
/// (JSON strings never hold a raw line break, so indenting after each one is safe.)
fn nested(out: &mut dyn Write, value: &impl Serialize, depth: usize) -> io::Result<()> {
    let text = serde_json::to_vec_pretty(value).map_err(io::Error::from)?;
    let indent = "  ".repeat(depth);
    let mut lines = text.split(|&b| b == b'\n');
    if let Some(first) = lines.next() {
        out.write_all(first)?;
    }
    for line in lines {
        out.write_all(b"\n")?;
        out.write_all(indent.as_bytes())?;
        out.write_all(line)?;
    }
    Ok(())
}

pub(super) fn tool() -> Tool {
    Tool {
        name: "phiguard",
        version: env!("CARGO_PKG_VERSION"),
    }
}

/// Counts over the whole scan, listed posts or not.
pub(super) fn summary(results: &ScanResults) -> JsonSummary {
    summary_of(&Summary::of(results))
}

/// [`summary`] from counts kept as the scan went.
pub(super) fn summary_of(s: &Summary) -> JsonSummary {
    JsonSummary {
        sources: s.sources,
        posts: s.posts,
        findings: s.findings,
        allowed: s.allowed,
        risk: RiskCounts {
            none: s.risk[0],
            low: s.risk[1],
            medium: s.risk[2],
            high: s.risk[3],
        },
        skipped: s.skipped,
        errors: s.errors,
        baseline: s.baseline,
    }
}

/// A post as the report lists it, its values masked unless `show_values`.
pub(super) fn post(p: &PostResult, show_values: bool) -> Post<'_> {
    // Occurrences count over every finding of the post, allowed or left out ones included, so a
    // finding keeps its fingerprint when another is allowed, baselined or out of a diff.
    let mut all: Vec<&crate::finding::Finding> = p
        .findings
        .iter()
        .chain(p.allowed.iter().map(|a| &a.finding))
        .chain(p.unreported.iter())
        .collect();
    all.sort_by_key(|f| (f.span.start, f.span.end));
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut nth: HashMap<(usize, usize, &str), usize> = HashMap::new();
    for f in all {
        let key = format!("{}\0{}", f.rule.id, mask(&f.value, f.category()));
        let n = seen.entry(key).or_default();
        nth.insert((f.span.start, f.span.end, f.rule.id.as_str()), *n);
        *n += 1;
    }
    let findings = p
        .findings
        .iter()
        .map(|f| {
            let masked = mask(&f.value, f.category());
            let key = format!("{}\0{masked}", f.rule.id);
            let occurrence = nth
                .get(&(f.span.start, f.span.end, f.rule.id.as_str()))
                .copied()
                .unwrap_or(0);
            let fingerprint = fingerprint(&p.source, &key, occurrence);
            Finding {
                rule: &f.rule.id,
                category: f.category(),
                confidence: f.confidence,
                line: f.start.line,
                column: f.start.column,
                end_line: f.end.line,
                end_column: f.end.column,
                byte_start: f.span.start,
                byte_end: f.span.end,
                locator: f.locator.as_deref(),
                value: if show_values { f.value.clone() } else { masked },
                // Never the baseline's keyed fingerprint: its key sits in the committed baseline
                // file, and beside the masked value it would give the raw one away by trial.
                fingerprint,
                authorization: f.authorization.as_deref(),
            }
        })
        .collect();
    Post {
        source: &p.source,
        locator: p.locator.as_deref(),
        risk: p.assessment.risk,
        score: p.assessment.score,
        reasons: &p.assessment.reasons,
        findings,
        allowed: p
            .allowed
            .iter()
            .map(|a| {
                let f = &a.finding;
                AllowedFinding {
                    rule: &f.rule.id,
                    category: f.category(),
                    line: f.start.line,
                    column: f.start.column,
                    locator: f.locator.as_deref(),
                    value: if show_values {
                        f.value.clone()
                    } else {
                        mask(&f.value, f.category())
                    },
                    reason: &a.reason,
                }
            })
            .collect(),
    }
}

/// A stable identity for a finding that survives edits elsewhere in the file: a hash of the
/// source path, the rule, the *masked* value (never the raw one, so the hash cannot be reversed
/// into more than the report already shows) and which occurrence of that pair it is.
fn fingerprint(source: &str, rule_and_masked: &str, occurrence: usize) -> String {
    let mut h = Sha256::new();
    h.update(b"phiguard.fingerprint/1\0");
    h.update(source.as_bytes());
    h.update(b"\0");
    h.update(rule_and_masked.as_bytes());
    h.update(b"\0");
    h.update(occurrence.to_le_bytes());
    let digest = h.finalize();
    digest[..10].iter().map(|b| format!("{b:02x}")).collect()
}
