//! Reporting: scan results → the chosen output format, and the exit code.
//!
//! Reporters never match; they only render what the scan produced. Every format masks matched
//! values unless `show_values` is set.

mod human;
mod json;
pub mod snippet;

use std::io::{self, Write};

use crate::category::RiskLevel;
use crate::finding::Finding;
use crate::mask::mask;
use crate::scan::ScanResults;
use crate::source::NoteKind;

pub use json::SCHEMA;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people: grouped by post, most risky first, with reasons and the line in context.
    Human,
    /// One JSON document, schema `phiguard.report/1`.
    Json,
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
            posts: results.posts.len(),
            baseline: results.baseline,
            ..Summary::default()
        };
        for p in &results.posts {
            s.findings += p.findings.len();
            s.allowed += p.allowed.len();
            s.risk[p.assessment.risk as usize] += 1;
        }
        for n in &results.notes {
            match n.kind {
                NoteKind::Error => s.errors += 1,
                NoteKind::Skipped => s.skipped += 1,
                NoteKind::Info => {}
            }
        }
        s
    }

    /// Posts at or above `level`.
    pub fn at_or_above(&self, level: RiskLevel) -> usize {
        self.risk[level as usize..].iter().sum()
    }
}

/// The process exit code for these results: 2 when something could not be checked, else 1 when
/// a post reaches `fail_on` (never for `none`), else 0.
pub fn exit_code(results: &ScanResults, fail_on: RiskLevel) -> u8 {
    if results.notes.iter().any(|n| n.is_error()) {
        2
    } else if fail_on > RiskLevel::None
        && results.posts.iter().any(|p| p.assessment.risk >= fail_on)
    {
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
