//! GitHub Actions: workflow-command annotations on the log, and a Markdown summary for the job's
//! page (see DESIGN.md, "GitHub annotations").
//!
//! One annotation per finding, most serious first: files that could not be checked
//! (`::error`), then the findings of high-risk posts (`::error`), medium (`::warning`), low and
//! none (`::notice`). GitHub shows only ten annotations of each level per step, so the summary
//! table, appended to `$GITHUB_STEP_SUMMARY`, lists them all.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::ci::{self, Artifact, Level};
use super::{ReportOptions, Summary, sanitize, shown_value};
use crate::category::RiskLevel;
use crate::finding::Finding;
use crate::scan::{PostResult, ScanResults};
use crate::source::NoteKind;

/// Most rows the summary table holds; the rest are counted below it (a step summary is capped
/// at 1 MiB by GitHub).
pub const MAX_SUMMARY_ROWS: usize = 500;

/// Escapes a workflow command's message: `%`, CR and LF; other control characters become
/// U+FFFD.
pub fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            // Other control characters (a file name's ESC) must not reach the log raw.
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a workflow command's property value: as [`escape_data`], and `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "notice",
    }
}

/// One workflow command: `::level prop=value,…::message`.
fn annotation(
    out: &mut dyn Write,
    level: Level,
    properties: &[(&str, String)],
    message: &str,
) -> io::Result<()> {
    let props: Vec<String> = properties
        .iter()
        .map(|(k, v)| format!("{k}={}", escape_property(v)))
        .collect();
    let sep = if props.is_empty() { "" } else { " " };
    writeln!(
        out,
        "::{}{sep}{}::{}",
        command(level),
        props.join(","),
        escape_data(message)
    )
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The summary's count line: `13 posts in 13 files: 7 high, 0 medium, 4 low, 2 none.`
fn count_line(s: &Summary) -> String {
    format!(
        "{} in {}: {} high, {} medium, {} low, {} none.",
        plural(s.posts, "post", "posts"),
        plural(s.sources, "file", "files"),
        s.risk[3],
        s.risk[2],
        s.risk[1],
        s.risk[0]
    )
}

pub(super) fn write(
    results: &ScanResults,
    opts: &ReportOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let root = ci::scan_root();
    for n in results.notes.iter().filter(|n| n.kind == NoteKind::Error) {
        let mut props = Vec::new();
        if let Some(path) = Artifact::locate(&n.source, root.as_deref()).display_path() {
            props.push(("file", path));
        }
        props.push(("title", "phiguard could not check this file".to_owned()));
        annotation(
            out,
            Level::Error,
            &props,
            &sanitize(&format!("{}: {}", n.source, n.message)),
        )?;
    }
    let shown = ci::most_serious_first(results, opts.min_risk);
    // Errors, then warnings, then notices: a finding's own level can be below its post's.
    let mut entries: Vec<(Level, &PostResult, &Finding, Option<&str>)> = Vec::new();
    for (_, p) in &shown {
        for f in &p.findings {
            entries.push((ci::level(p, f, false), p, f, None));
        }
        for a in &p.allowed {
            entries.push((Level::Note, p, &a.finding, Some(&a.reason)));
        }
    }
    entries.sort_by_key(|(level, ..)| std::cmp::Reverse(*level));
    for (level, p, f, allowed) in entries {
        let (start, end) = ci::utf16_region(p, f);
        let mut props = Vec::new();
        if let Some(path) = Artifact::locate(&p.source, root.as_deref()).display_path() {
            props.push(("file", path));
        }
        props.push(("line", start.line.to_string()));
        props.push(("endLine", end.line.to_string()));
        props.push(("col", start.column.to_string()));
        props.push(("endColumn", end.column.to_string()));
        props.push((
            "title",
            format!(
                "PHI: {} in a {}-risk post ({})",
                f.category().label(),
                p.assessment.risk,
                f.rule.id
            ),
        ));
        annotation(
            out,
            level,
            &props,
            &finding_message(p, f, opts.show_values, allowed),
        )?;
    }
    let s = Summary::of(results);
    writeln!(out, "phiguard: {}", count_line(&s))?;
    if s.errors > 0 {
        writeln!(
            out,
            "phiguard: {} could not be checked: the result is incomplete.",
            plural(s.errors, "path", "paths")
        )?;
    }
    if s.findings > 0 && !opts.show_values {
        writeln!(
            out,
            "phiguard: values are masked; --show-values prints them."
        )?;
    }
    Ok(())
}

/// An annotation's message: the finding and where it is, then the post's reasons and the fix,
/// one a line.
fn finding_message(
    p: &PostResult,
    f: &Finding,
    show_values: bool,
    allowed: Option<&str>,
) -> String {
    let mut text = format!(
        "{} {}",
        f.category().label(),
        sanitize(&shown_value(f, show_values))
    );
    if let Some(loc) = ci::locators(p, f) {
        text.push_str(&format!(" ({})", sanitize(&loc)));
    }
    if let Some(reason) = allowed {
        text.push_str(&format!(" is allowed: {}", sanitize(reason)));
        return text;
    }
    if let Some(auth) = &f.authorization {
        text.push_str(&format!(
            ", covered by patient authorization {}: not counted toward the risk",
            sanitize(auth)
        ));
    }
    for (i, reason) in p.assessment.reasons.iter().enumerate() {
        let head = if i == 0 { "\nWhy: " } else { "\n     " };
        text.push_str(head);
        text.push_str(&sanitize(reason));
    }
    text.push_str("\nFix: ");
    text.push_str(&sanitize(super::fix_for(&f.rule)));
    text
}

/// Text for a Markdown table cell: pipes, backslashes and HTML are escaped, line breaks become
/// spaces.
fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in sanitize(s).chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '*' | '_' | '`' | '[' | ']' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\u{FFFD}' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A Markdown code span inside a table cell: fenced with one more backtick than the longest
/// run inside, pipes escaped (GitHub's tables split on them even in code).
fn code(s: &str) -> String {
    let s = sanitize(s).replace('|', "\\|");
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// The Markdown summary for `$GITHUB_STEP_SUMMARY`: a heading with the verdict, the counts,
/// one table row per finding (most serious first, masked unless `show_values`), and the files
/// that could not be checked.
pub fn write_step_summary(
    results: &ScanResults,
    opts: &ReportOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let s = Summary::of(results);
    let mut md = String::new();
    let verdict = if s.errors > 0 {
        format!("{} could not be checked", plural(s.errors, "file", "files"))
    } else if opts.fail_on == RiskLevel::None {
        "report only (fail-on none)".to_owned()
    } else {
        let n = s.at_or_above(opts.fail_on);
        format!(
            "{} at or above fail-on {}",
            plural(n, "post", "posts"),
            opts.fail_on
        )
    };
    let _ = writeln!(md, "### phiguard: {verdict}\n");
    let _ = write!(md, "{}", count_line(&s));
    let _ = write!(md, " {}", plural(s.findings, "finding", "findings"));
    if s.allowed > 0 {
        let _ = write!(md, ", {} allowed", s.allowed);
    }
    let _ = writeln!(md, ".\n");

    let shown = ci::most_serious_first(results, opts.min_risk);
    let mut rows: Vec<(RiskLevel, &PostResult, &Finding, Option<&str>)> = Vec::new();
    for (_, p) in &shown {
        for f in &p.findings {
            rows.push((p.assessment.risk, p, f, None));
        }
        for a in &p.allowed {
            rows.push((p.assessment.risk, p, &a.finding, Some(&a.reason)));
        }
    }
    if !rows.is_empty() {
        let _ = writeln!(md, "| risk | post | line | finding | value | rule |");
        let _ = writeln!(md, "| --- | --- | --- | --- | --- | --- |");
        for (risk, p, f, allowed) in rows.iter().take(MAX_SUMMARY_ROWS) {
            let mut post = code(&p.source);
            if let Some(loc) = &p.locator {
                post.push(' ');
                post.push_str(&cell(loc));
            }
            let mut place = format!("{}:{}", f.start.line, f.start.column);
            if let Some(loc) = &f.locator {
                place.push(' ');
                place.push_str(&cell(loc));
            }
            let mut finding = cell(f.category().label());
            if let Some(reason) = allowed {
                finding.push_str(" (allowed: ");
                finding.push_str(&cell(reason));
                finding.push(')');
            } else if let Some(auth) = &f.authorization {
                finding.push_str(" (authorized: ");
                finding.push_str(&cell(auth));
                finding.push(')');
            }
            let _ = writeln!(
                md,
                "| {} | {post} | {place} | {finding} | {} | {} |",
                if *risk >= RiskLevel::Medium {
                    format!("**{risk}**")
                } else {
                    risk.to_string()
                },
                code(&shown_value(f, opts.show_values)),
                code(&f.rule.id),
            );
        }
        if rows.len() > MAX_SUMMARY_ROWS {
            let _ = writeln!(
                md,
                "\n…and {} more: run `phiguard scan` or use the SARIF or JSON report for them all.",
                plural(rows.len() - MAX_SUMMARY_ROWS, "finding", "findings")
            );
        }
        md.push('\n');
    }
    let errors: Vec<_> = results.notes.iter().filter(|n| n.is_error()).collect();
    if !errors.is_empty() {
        let _ = writeln!(md, "**Not checked** (the result is incomplete):\n");
        for n in errors {
            let _ = writeln!(md, "- {}: {}", code(&n.source), cell(&n.message));
        }
        md.push('\n');
    }
    if s.findings + s.allowed > 0 && !opts.show_values {
        let _ = writeln!(md, "Values are masked; `--show-values` prints them.\n");
    }
    out.write_all(md.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_command_escaping() {
        assert_eq!(escape_data("50% a:b,c\r\nd"), "50%25 a:b,c%0D%0Ad");
        assert_eq!(escape_property("50% a:b,c\r\nd"), "50%25 a%3Ab%2Cc%0D%0Ad");
        // Escaping `%` first: an escape in the input is not taken for one.
        assert_eq!(escape_data("%0A"), "%250A");
    }

    #[test]
    fn markdown_cells_and_code() {
        assert_eq!(cell("a|b <i>*x*</i>"), "a\\|b &lt;i&gt;\\*x\\*&lt;/i&gt;");
        assert_eq!(code("***-**-4321"), "`***-**-4321`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`a"), "`` `a ``");
        assert_eq!(code("a|b"), "`a\\|b`");
        assert_eq!(cell("line\nbreak"), "line break");
    }
}
