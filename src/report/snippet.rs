//! Showing a finding in context: the source line it starts on, shortened around it, with every
//! finding and every overlap-losing candidate on it masked (unless values are shown), and where
//! to put the caret. Built only for the findings a report shows in full.

use std::ops::Range;

use unicode_width::UnicodeWidthStr;

use super::sanitize;
use crate::mask::{mask, mask_all};
use crate::scan::PostResult;
use crate::text::{step_back, step_forward};

/// Characters of context shown before and after a finding on a long line.
const BEFORE: usize = 50;
const AFTER: usize = 70;

/// A finding's line as a report prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// 1-based line number.
    pub line: usize,
    /// The line, masked and made safe to print.
    pub text: String,
    /// Display column (0-based, in terminal cells) and width of the caret under the finding.
    pub caret_at: usize,
    pub caret_len: usize,
}

/// Renders finding `index` of `post` on its line.
pub fn render(post: &PostResult, index: usize, show_values: bool) -> Option<Rendered> {
    let f = post.findings.get(index)?;
    let line = post.lines.iter().find(|l| l.number == f.start.line)?;
    let bytes = line.text.as_bytes();
    let end = bytes.len();
    let rel = |offset: usize| offset.saturating_sub(line.start).min(end);
    let (start, target_end) = (rel(f.text_span.start), rel(f.text_span.end));
    let lo = step_back(bytes, start, 0, BEFORE);
    let hi = step_forward(bytes, target_end, end, AFTER);

    // Findings inside the window (they never overlap each other), then the shadows of losing
    // candidates, which only mask what no finding covers.
    let window = lo..hi;
    let to_line = |r: &Range<usize>| rel(r.start).max(lo)..rel(r.end).min(hi);
    let mut marks: Vec<(Range<usize>, Option<usize>)> = Vec::new();
    let first = post
        .findings
        .partition_point(|g| g.text_span.end <= line.start + lo);
    for (i, g) in post.findings.iter().enumerate().skip(first) {
        if g.text_span.start >= line.start + hi {
            break;
        }
        let r = to_line(&g.text_span);
        if r.start < r.end {
            marks.push((r, Some(i)));
        }
    }
    let covered: Vec<Range<usize>> = marks.iter().map(|(r, _)| r.clone()).collect();
    // Allowed findings are not reported, but their values are no less masked.
    let allowed = post.allowed.iter().map(|a| &a.finding.text_span);
    for s in post.shadows.iter().chain(allowed) {
        let r = to_line(s);
        if r.start < r.end && overlaps(&r, &window) {
            marks.extend(uncovered(r, &covered).map(|r| (r, None)));
        }
    }
    marks.sort_by_key(|(r, _)| r.start);

    let mut text = String::new();
    let mut caret = (0, 0);
    if lo > 0 {
        text.push('…');
    }
    let mut cursor = lo;
    for (r, finding) in marks {
        let r = r.start.max(cursor)..r.end;
        if r.start >= r.end {
            continue;
        }
        push(&mut text, &bytes[cursor..r.start], |s| s.to_owned());
        let raw = &bytes[r.clone()];
        let before = text.width();
        match finding {
            _ if show_values => push(&mut text, raw, |s| s.to_owned()),
            Some(i) => {
                let g = &post.findings[i];
                let whole = rel(g.text_span.start) == r.start && rel(g.text_span.end) == r.end;
                if whole {
                    push(&mut text, raw, |s| mask(s, g.category()));
                } else {
                    push(&mut text, raw, mask_all);
                }
            }
            None => push(&mut text, raw, mask_all),
        }
        if finding == Some(index) {
            caret = (before, text.width() - before);
        }
        cursor = r.end;
    }
    push(&mut text, &bytes[cursor..hi], |s| s.to_owned());
    if hi < end {
        text.push('…');
    }
    Some(Rendered {
        line: line.number,
        text,
        caret_at: caret.0,
        caret_len: caret.1.max(1),
    })
}

/// Appends `bytes` (transformed, then made safe to print) to `text`.
fn push(text: &mut String, bytes: &[u8], transform: impl Fn(&str) -> String) {
    text.push_str(&sanitize(&transform(&String::from_utf8_lossy(bytes))));
}

/// The parts of `r` that none of `covered` (sorted, not overlapping) covers.
fn uncovered(r: Range<usize>, covered: &[Range<usize>]) -> impl Iterator<Item = Range<usize>> {
    let mut parts = Vec::new();
    let mut cur = r.start;
    for c in covered.iter().filter(|c| overlaps(c, &r)) {
        if c.start > cur {
            parts.push(cur..c.start);
        }
        cur = cur.max(c.end);
    }
    if cur < r.end {
        parts.push(cur..r.end);
    }
    parts.into_iter()
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}
