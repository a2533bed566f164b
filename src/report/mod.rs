//! Reporting: scan results → the chosen output format, and the exit code.
//!
//! Reporters never match; they only render what the scan produced. Every format masks matched
//! values unless `show_values` is set.

mod ci;
pub mod github;
mod human;
mod json;
pub mod jsonl;
pub mod sarif;
pub mod snippet;
mod stream;

use std::io::{self, Write};

use crate::category::RiskLevel;
use crate::detect::{PersonRole, RuleInfo};
use crate::finding::Finding;
use crate::mask::mask;
use crate::scan::{PostResult, ScanResults};
use crate::source::{Note, NoteKind};

pub use json::SCHEMA;
pub use stream::Streamer;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people: grouped by post, most risky first, with reasons and the line in context.
    Human,
    /// One JSON document, schema `phiguard.report/1`.
    Json,
    /// JSON Lines: one object per post (`phiguard.post/1`), then notes, then a summary line.
    Jsonl,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions annotations, plus a Markdown table appended to $GITHUB_STEP_SUMMARY.
    Github,
}

/// How to render a report.
#[derive(Debug, Clone, Copy)]
pub struct ReportOptions {
    pub format: Format,
    /// Print matched values as found instead of masked.
    pub show_values: bool,
    /// Posts below this level are counted but not listed.
    pub min_risk: RiskLevel,
    /// The level that fails the run (for the human summary line).
    pub fail_on: RiskLevel,
    /// Use ANSI colour (human format only).
    pub color: bool,
    /// List skipped paths, not only count them (human format only).
    pub verbose: bool,
}

/// Counts over the whole scan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub sources: usize,
    pub posts: usize,
    pub findings: usize,
    /// Findings let through by markers or allow lists.
    pub allowed: usize,
    /// Posts per level: none, low, medium, high.
    pub risk: [usize; 4],
    pub skipped: usize,
    pub errors: usize,
    /// What `--baseline` hid and found stale, when a baseline was used.
    pub baseline: Option<crate::baseline::BaselineCounts>,
}

impl Summary {
    pub fn of(results: &ScanResults) -> Summary {
        let mut s = Summary {
            sources: results.sources,
            baseline: results.baseline,
            ..Summary::default()
        };
        for p in &results.posts {
            s.add_post(p);
        }
        s.add_quiet(&results.quiet);
        for n in &results.notes {
            s.add_note(n);
        }
        s
    }

    /// Counts a post.
    pub fn add_post(&mut self, p: &PostResult) {
        self.posts += 1;
        self.findings += p.findings.len();
        self.allowed += p.allowed.len();
        self.risk[p.assessment.risk as usize] += 1;
    }

    /// Counts posts that were not kept (see [`crate::scan::Quiet`]).
    pub fn add_quiet(&mut self, q: &crate::scan::Quiet) {
        for (level, n) in q.risk.iter().enumerate() {
            self.posts += n;
            self.risk[level] += n;
        }
        self.findings += q.findings;
        self.allowed += q.allowed;
    }

    /// Counts a note.
    pub fn add_note(&mut self, n: &Note) {
        match n.kind {
            NoteKind::Error => self.errors += 1,
            NoteKind::Skipped => self.skipped += 1,
            NoteKind::Info => {}
        }
    }

    /// Posts at or above `level`.
    pub fn at_or_above(&self, level: RiskLevel) -> usize {
        self.risk[level as usize..].iter().sum()
    }
}

/// The process exit code for these results: 2 when something could not be checked, else 1 when
/// a post reaches `fail_on` (never for `none`), else 0.
pub fn exit_code(results: &ScanResults, fail_on: RiskLevel) -> u8 {
    let s = Summary::of(results);
    if s.errors > 0 {
        2
    } else if fail_on > RiskLevel::None && s.at_or_above(fail_on) > 0 {
        1
    } else {
        0
    }
}

/// Writes the report in the chosen format.
pub fn write(results: &ScanResults, opts: &ReportOptions, out: &mut dyn Write) -> io::Result<()> {
    match opts.format {
        Format::Human => human::write(results, opts, out),
        Format::Json => json::write(results, opts, out),
        Format::Jsonl => jsonl::write(results, opts, out),
        Format::Sarif => sarif::write(results, opts, out),
        Format::Github => github::write(results, opts, out),
    }
}

/// The environment variable naming the file GitHub Actions shows as the job's summary.
pub const STEP_SUMMARY_VAR: &str = "GITHUB_STEP_SUMMARY";

/// Appends the Markdown summary of the `github` format to the file `$GITHUB_STEP_SUMMARY`
/// names, when the format is `github` and the variable is set and not empty. Returns the file
/// written, if any.
pub fn write_step_summary(
    results: &ScanResults,
    opts: &ReportOptions,
) -> Result<Option<std::path::PathBuf>, (std::path::PathBuf, io::Error)> {
    if opts.format != Format::Github {
        return Ok(None);
    }
    let Some(path) = std::env::var_os(STEP_SUMMARY_VAR).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let path = std::path::PathBuf::from(path);
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut file| {
            let mut md = Vec::new();
            github::write_step_summary(results, opts, &mut md)?;
            file.write_all(&md)?;
            file.flush()
        });
    match written {
        Ok(()) => Ok(Some(path)),
        Err(e) => Err((path, e)),
    }
}

/// Replaces characters that would move the cursor or change the terminal (tabs, control and
/// bidirectional-override characters) with one visible character each, so carets line up and
/// hostile text cannot rewrite the screen.
pub fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' => ' ',
            c if c.is_control() => '\u{FFFD}',
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' => {
                '\u{FFFD}'
            }
            c => c,
        })
        .collect()
}

/// How to fix a post with a finding of this rule: someone a reply speaks to is answered
/// privately; otherwise the rule's own advice, or its category's.
fn fix_for(rule: &RuleInfo) -> &str {
    match rule.person {
        Some(PersonRole::Addressee | PersonRole::Addressed) => {
            "answer privately: a public reply must not confirm that someone or their family is in \
             your care"
        }
        _ => rule.advice(),
    }
}

/// Whether a finding is not a problem in itself: a staff member's or public figure's name
/// (severity `none`); someone a reply speaks to always is one.
fn is_benign(f: &Finding) -> bool {
    f.severity == RiskLevel::None
        && !matches!(
            f.rule.person,
            Some(PersonRole::Addressee | PersonRole::Addressed)
        )
}

/// The value as reports show it.
fn shown_value(f: &Finding, show_values: bool) -> String {
    if show_values {
        f.value.clone()
    } else {
        mask(&f.value, f.category())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_neutralises_terminal_tricks() {
        assert_eq!(
            sanitize("a\tb\x1b[31mc\u{202E}d\re\nf"),
            "a b\u{FFFD}[31mc\u{FFFD}d\u{FFFD}e\u{FFFD}f"
        );
    }
}
