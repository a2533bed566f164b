//! What the CI formats (`sarif`, `github`) share: where a source is relative to the folder the
//! scan ran from, columns in UTF-16 code units, the level a finding is reported at, and the
//! order that puts the most serious posts first.

use std::path::{Component, Path, PathBuf};

use crate::category::RiskLevel;
use crate::finding::{Finding, Position};
use crate::scan::{PostResult, ScanResults};

/// Where a source is, for tools that locate files in a repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Artifact {
    /// Standard input (`-`): no file to point at.
    Stdin,
    /// A path inside the folder the scan ran from, `/`-separated, without `./` or `..`.
    Relative(String),
    /// A path outside that folder, made absolute (or as given when the folder is unknown).
    Absolute(PathBuf),
}

impl Artifact {
    /// Locates `source` (a path as given on the command line, or `-`) against `root`, the folder
    /// the scan ran from. Paths are resolved lexically: `./a/../b.md` is `b.md`.
    pub(super) fn locate(source: &str, root: Option<&Path>) -> Artifact {
        if source == "-" {
            return Artifact::Stdin;
        }
        let mut path = normalize(Path::new(source));
        if path.is_relative() {
            if !path.starts_with("..") && path.components().next().is_some() {
                return Artifact::Relative(slashed(&path));
            }
            match root {
                Some(root) => path = normalize(&root.join(path)),
                None => return Artifact::Absolute(path),
            }
        }
        if let Some(rest) = root.and_then(|r| path.strip_prefix(normalize(r)).ok()) {
            if rest.components().next().is_some() {
                return Artifact::Relative(slashed(rest));
            }
        }
        Artifact::Absolute(path)
    }

    /// The path as a GitHub annotation names it: relative to the repository root (the folder
    /// the scan ran from), or absolute; `None` for stdin.
    pub(super) fn display_path(&self) -> Option<String> {
        match self {
            Artifact::Stdin => None,
            Artifact::Relative(p) => Some(p.clone()),
            Artifact::Absolute(p) => Some(p.to_string_lossy().into_owned()),
        }
    }
}

/// A relative path with `/` between its parts, whatever the platform.
fn slashed(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// Removes `.` and resolves `..` without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            c => out.push(c.as_os_str()),
        }
    }
    out
}

/// The folder the scan ran from, when it can be known.
pub(super) fn scan_root() -> Option<PathBuf> {
    std::env::current_dir().ok()
}

/// A 1-based column counted in Unicode scalar values, converted to UTF-16 code units (SARIF's
/// default `columnKind`, and what GitHub's annotations count) on `line`, the text of the line it
/// is on. A column past the line's end keeps its distance from it.
pub(super) fn utf16_column(line: &str, column: usize) -> usize {
    let before = column.saturating_sub(1);
    let mut units = 0;
    let mut chars = 0;
    for c in line.chars().take(before) {
        units += c.len_utf16();
        chars += 1;
    }
    units + (before - chars) + 1
}

/// A finding's start and end, with columns in UTF-16 code units.
pub(super) fn utf16_region(post: &PostResult, f: &Finding) -> (Position, Position) {
    let line_text = |n: usize| post.lines.iter().find(|l| l.number == n).map(|l| &l.text);
    let start_column = match line_text(f.start.line) {
        Some(text) => utf16_column(text, f.start.column),
        None => f.start.column,
    };
    let end_column = if let Some(text) = line_text(f.end.line) {
        utf16_column(text, f.end.column)
    } else {
        // The finding runs onto a line of its own: what comes before its end on that line is
        // the value's last line, when the value is the text as decoded.
        let tail = f.value.rsplit('\n').next().unwrap_or("");
        if tail.chars().count() + 1 == f.end.column {
            tail.encode_utf16().count() + 1
        } else {
            f.end.column
        }
    };
    (
        Position {
            line: f.start.line,
            column: start_column,
        },
        Position {
            line: f.end.line,
            column: end_column,
        },
    )
}

/// How serious a reported finding is, on the three levels CI tools know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Level {
    Note,
    Warning,
    Error,
}

/// The level of a finding in a post: the post's risk (what `--fail-on` gates on: high is an
/// error, medium a warning, low and none a note), except that a finding that is not the problem
/// itself (a staff member's or public figure's name, severity `none`), one covered by a patient
/// authorization, and an allowed one are notes.
pub(super) fn level(post: &PostResult, f: &Finding, allowed: bool) -> Level {
    if allowed || f.authorization.is_some() || super::is_benign(f) {
        return Level::Note;
    }
    risk_level(post.assessment.risk)
}

/// The level of a post's risk: high → error, medium → warning, low and none → note.
pub(super) fn risk_level(risk: RiskLevel) -> Level {
    match risk {
        RiskLevel::High => Level::Error,
        RiskLevel::Medium => Level::Warning,
        RiskLevel::Low | RiskLevel::None => Level::Note,
    }
}

/// The posts at or above `min_risk` with their index in `results.posts`, most risky first;
/// ties keep source order.
pub(super) fn most_serious_first(
    results: &ScanResults,
    min_risk: RiskLevel,
) -> Vec<(usize, &PostResult)> {
    let mut shown: Vec<(usize, &PostResult)> = results
        .posts
        .iter()
        .enumerate()
        .filter(|(_, p)| p.assessment.risk >= min_risk)
        .collect();
    shown.sort_by_key(|(_, p)| std::cmp::Reverse(p.assessment.risk));
    shown
}

/// Where a finding is inside its source, in words: the post's locator and the finding's
/// (`row 3, column "Message"`), or `None` for a whole-file post.
pub(super) fn locators(post: &PostResult, f: &Finding) -> Option<String> {
    let parts: Vec<&str> = [post.locator.as_deref(), f.locator.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_located_relative_to_the_root() {
        let root = Path::new("/repo");
        let rel = |s: &str| Artifact::Relative(s.to_owned());
        assert_eq!(
            Artifact::locate("posts/a.md", Some(root)),
            rel("posts/a.md")
        );
        assert_eq!(
            Artifact::locate("./posts/./a.md", Some(root)),
            rel("posts/a.md")
        );
        assert_eq!(
            Artifact::locate("posts/x/../a.md", Some(root)),
            rel("posts/a.md")
        );
        assert_eq!(
            Artifact::locate("/repo/posts/a.md", Some(root)),
            rel("posts/a.md")
        );
        assert_eq!(
            Artifact::locate("../other/a.md", Some(root)),
            Artifact::Absolute(PathBuf::from("/other/a.md"))
        );
        assert_eq!(
            Artifact::locate("/elsewhere/a.md", Some(root)),
            Artifact::Absolute(PathBuf::from("/elsewhere/a.md"))
        );
        assert_eq!(Artifact::locate("-", Some(root)), Artifact::Stdin);
        assert_eq!(Artifact::locate("a.md", None), rel("a.md"));
        assert_eq!(
            Artifact::locate("../a.md", None),
            Artifact::Absolute(PathBuf::from("../a.md"))
        );
    }

    #[test]
    fn columns_count_utf16_code_units() {
        // "💙" is one scalar value and two UTF-16 code units; "é" one of each.
        let line = "é💙 Jane";
        assert_eq!(utf16_column(line, 1), 1);
        assert_eq!(utf16_column(line, 2), 2);
        assert_eq!(utf16_column(line, 3), 4);
        assert_eq!(utf16_column(line, 4), 5);
        // Seven characters, eight code units: just past the end of the line, and beyond it.
        assert_eq!(utf16_column(line, 8), 9);
        assert_eq!(utf16_column(line, 9), 10);
        assert_eq!(utf16_column("", 1), 1);
    }

    #[test]
    fn levels_follow_the_post_risk() {
        assert_eq!(risk_level(RiskLevel::High), Level::Error);
        assert_eq!(risk_level(RiskLevel::Medium), Level::Warning);
        assert_eq!(risk_level(RiskLevel::Low), Level::Note);
        assert_eq!(risk_level(RiskLevel::None), Level::Note);
    }
}
