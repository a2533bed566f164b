//! The human report: posts grouped and ordered most risky first; for each, the verdict, the
//! reasons, advice, and every finding with its line shown (masked) and a caret under it.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::{ReportOptions, Summary, fix_for, is_benign, sanitize, shown_value, snippet};
use crate::category::RiskLevel;
use crate::finding::Finding;
use crate::scan::{PostResult, ScanResults};
use crate::source::NoteKind;

struct Painter {
    color: bool,
}

impl Painter {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_owned()
        }
    }
}

fn risk_style(level: RiskLevel) -> Style {
    let color = match level {
        RiskLevel::High => AnsiColor::Red,
        RiskLevel::Medium => AnsiColor::Yellow,
        RiskLevel::Low => AnsiColor::Cyan,
        RiskLevel::None => AnsiColor::Green,
    };
    Style::new().bold().fg_color(Some(color.into()))
}

pub(super) fn write(
    results: &ScanResults,
    opts: &ReportOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let p = Painter { color: opts.color };
    let mut shown: Vec<&PostResult> = results
        .posts
        .iter()
        .filter(|post| post.assessment.risk >= opts.min_risk)
        .collect();
    // Most risky first; ties keep source order.
    shown.sort_by_key(|post| std::cmp::Reverse(post.assessment.risk));
    for post in &shown {
        write_post(post, opts, &p, out)?;
    }

    let dim = Style::new().dimmed();
    for note in &results.notes {
        let show = match note.kind {
            NoteKind::Error => true,
            NoteKind::Info => true,
            NoteKind::Skipped => opts.verbose,
        };
        if show {
            let label = match note.kind {
                NoteKind::Error => p.paint(risk_style(RiskLevel::High), "error"),
                NoteKind::Skipped => p.paint(dim, "skipped"),
                NoteKind::Info => p.paint(dim, "note"),
            };
            writeln!(out, "{label}: {}: {}", sanitize(&note.source), note.message)?;
        }
    }
    write_summary(&Summary::of(results), opts, &p, out)
}

fn write_post(
    post: &PostResult,
    opts: &ReportOptions,
    p: &Painter,
    out: &mut dyn Write,
) -> io::Result<()> {
    let a = &post.assessment;
    let level = format!("{:<6}", a.risk.as_str().to_uppercase());
    let mut where_ = sanitize(&post.source);
    if let Some(loc) = &post.locator {
        where_.push_str(&format!(" ({})", sanitize(loc)));
    }
    writeln!(
        out,
        "{} {}  {}",
        p.paint(risk_style(a.risk), &level),
        p.paint(Style::new().bold(), &where_),
        p.paint(Style::new().dimmed(), &format!("score {:.2}", a.score)),
    )?;
    for (i, reason) in a.reasons.iter().enumerate() {
        let head = if i == 0 { "why:" } else { "" };
        writeln!(out, "  {head:<5} {reason}")?;
    }
    // A post below the fail level is listed compactly: its findings, no advice or snippets.
    let compact = opts.fail_on > RiskLevel::None && a.risk < opts.fail_on;
    if !compact {
        let mut advice: Vec<(RiskLevel, &str)> = Vec::new();
        for f in &post.findings {
            // Staff and public figures are not the problem.
            if is_benign(f) {
                continue;
            }
            // Someone a reply speaks to: the fix is where the answer goes.
            let text = fix_for(&f.rule);
            match advice.iter_mut().find(|(_, t)| *t == text) {
                Some(entry) => entry.0 = entry.0.max(f.severity),
                None => advice.push((f.severity, text)),
            }
        }
        advice.sort_by_key(|(severity, _)| std::cmp::Reverse(*severity));
        for (i, (_, text)) in advice.iter().enumerate() {
            let head = if i == 0 { "fix:" } else { "" };
            writeln!(out, "  {head:<5} {text}")?;
        }
    }
    writeln!(out)?;
    for (i, f) in post.findings.iter().enumerate() {
        write_finding(post, i, f, opts, compact, p, out)?;
    }
    if compact {
        writeln!(out)?;
    }
    Ok(())
}

fn write_finding(
    post: &PostResult,
    index: usize,
    f: &Finding,
    opts: &ReportOptions,
    compact: bool,
    p: &Painter,
    out: &mut dyn Write,
) -> io::Result<()> {
    let place = match &f.locator {
        Some(loc) => format!("{}:{} {}", f.start.line, f.start.column, sanitize(loc)),
        None => format!("{}:{}", f.start.line, f.start.column),
    };
    let authorized = match &f.authorization {
        Some(r) => format!(", authorized by {}", sanitize(r)),
        None => String::new(),
    };
    writeln!(
        out,
        "  {}  {}  {}  {}",
        p.paint(Style::new().fg_color(Some(AnsiColor::Blue.into())), &place),
        p.paint(risk_style(f.severity), f.category().as_str()),
        sanitize(&shown_value(f, opts.show_values)),
        p.paint(
            Style::new().dimmed(),
            &format!(
                "[{}, confidence {:.2}{authorized}]",
                f.rule.id, f.confidence
            )
        ),
    )?;
    if compact {
        return Ok(());
    }
    let Some(r) = snippet::render(post, index, opts.show_values) else {
        return writeln!(out);
    };
    let gutter = r.line.to_string();
    let pad = " ".repeat(gutter.len());
    let blue = Style::new().fg_color(Some(AnsiColor::Blue.into()));
    let bar = p.paint(blue, "│");
    writeln!(out, "    {} {bar} {}", p.paint(blue, &gutter), r.text)?;
    writeln!(
        out,
        "    {pad} {bar} {}{}",
        " ".repeat(r.caret_at),
        p.paint(risk_style(f.severity), &"^".repeat(r.caret_len))
    )?;
    writeln!(out)
}

fn write_summary(
    s: &Summary,
    opts: &ReportOptions,
    p: &Painter,
    out: &mut dyn Write,
) -> io::Result<()> {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut line = format!(
        "{} in {}: ",
        plural(s.posts, "post", "posts"),
        plural(s.sources, "file", "files")
    );
    let counts: Vec<String> = [
        RiskLevel::High,
        RiskLevel::Medium,
        RiskLevel::Low,
        RiskLevel::None,
    ]
    .iter()
    .map(|&l| p.paint(risk_style(l), &format!("{} {}", s.risk[l as usize], l)))
    .collect();
    line.push_str(&counts.join(", "));
    writeln!(out, "{line}.")?;
    if s.skipped > 0 {
        let hint = if opts.verbose {
            ""
        } else {
            " (--verbose lists them)"
        };
        writeln!(
            out,
            "{} skipped: hidden, binary or linked{hint}.",
            plural(s.skipped, "path", "paths")
        )?;
    }
    if s.errors > 0 {
        writeln!(
            out,
            "{}",
            p.paint(
                risk_style(RiskLevel::High),
                &format!(
                    "{} could not be checked: the result is incomplete.",
                    plural(s.errors, "path", "paths")
                )
            )
        )?;
    }
    if let Some(b) = s.baseline {
        writeln!(
            out,
            "{} hidden by the baseline{}.",
            plural(b.hidden, "finding", "findings"),
            match b.stale {
                0 => String::new(),
                n => format!("; {} no longer found", plural(n, "entry", "entries")),
            }
        )?;
    }
    if opts.fail_on > RiskLevel::None {
        let n = s.at_or_above(opts.fail_on);
        writeln!(
            out,
            "{} at or above --fail-on {}.",
            plural(n, "post", "posts"),
            opts.fail_on
        )?;
    }
    if s.findings > 0 && !opts.show_values {
        writeln!(out, "Values are masked; --show-values prints them.")?;
    }
    Ok(())
}
