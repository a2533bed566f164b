//! The orchestration of one scan: inputs → read → extract → detect → assess, on worker
//! threads, into results in a deterministic order. This is the one place where the stages meet.

use std::ops::Range;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::assess::{Assessment, RiskModel, assess};
use crate::detect::Engine;
use crate::extract::{Document, Extracted, extract};
use crate::finding::{Finding, Piece, Position, Snippet};
use crate::source::{Input, Note, NoteKind, io_reason};
use crate::text::{LineIndex, PositionCursor};

/// Characters of context shown before and after a finding on a long line.
const SNIPPET_BEFORE: usize = 50;
const SNIPPET_AFTER: usize = 70;

/// One assessed post.
#[derive(Debug, Clone)]
pub struct PostResult {
    pub source: String,
    pub locator: Option<String>,
    /// The post's position in its source, for ordering.
    pub ordinal: usize,
    /// Sorted by position.
    pub findings: Vec<Finding>,
    pub assessment: Assessment,
}

/// Everything a scan produced.
#[derive(Debug, Clone, Default)]
pub struct ScanResults {
    /// Sorted by source, then by position in the source.
    pub posts: Vec<PostResult>,
    /// Sorted by source.
    pub notes: Vec<Note>,
    /// How many sources were read and scanned.
    pub sources: usize,
}

/// What scanning one input produced: its posts, its notes, and whether it was scanned at all.
struct InputOutcome {
    posts: Vec<PostResult>,
    notes: Vec<Note>,
    scanned: bool,
}

/// Scans documents with one engine and risk model.
#[derive(Debug, Clone, Copy)]
pub struct Scanner<'a> {
    pub engine: &'a Engine,
    pub model: &'a RiskModel,
}

impl Scanner<'_> {
    /// Scans every input on `threads` worker threads. Unreadable inputs become error notes.
    pub fn scan_inputs(&self, inputs: &[Input], threads: usize) -> ScanResults {
        let slots: Vec<OnceLock<InputOutcome>> = inputs.iter().map(|_| OnceLock::new()).collect();
        let next = AtomicUsize::new(0);
        let work = || {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(input) = inputs.get(i) else { break };
                let _ = slots[i].set(self.scan_input(input));
            }
        };
        let threads = threads.clamp(1, inputs.len().max(1));
        if threads == 1 {
            work();
        } else {
            std::thread::scope(|s| {
                for _ in 0..threads {
                    s.spawn(work);
                }
            });
        }
        let mut results = ScanResults::default();
        for slot in slots {
            let outcome = slot.into_inner().expect("every input was scanned");
            results.posts.extend(outcome.posts);
            results.notes.extend(outcome.notes);
            results.sources += usize::from(outcome.scanned);
        }
        results.posts.sort_by(|a, b| {
            a.source
                .cmp(&b.source)
                .then_with(|| a.ordinal.cmp(&b.ordinal))
        });
        results.notes.sort();
        results
    }

    /// Reads, extracts and scans one input.
    fn scan_input(&self, input: &Input) -> InputOutcome {
        let bytes = match input.read() {
            Ok(b) => b,
            Err(err) => {
                let note = Note::new(
                    &input.name,
                    NoteKind::Error,
                    format!("cannot read: {}", io_reason(&err)),
                );
                return InputOutcome {
                    posts: Vec::new(),
                    notes: vec![note],
                    scanned: false,
                };
            }
        };
        match extract(&input.name, bytes) {
            Extracted::Skipped(note) => InputOutcome {
                posts: Vec::new(),
                notes: vec![note],
                scanned: false,
            },
            Extracted::Document(doc, notes) => InputOutcome {
                posts: self.scan_document(&doc),
                notes,
                scanned: true,
            },
        }
    }

    /// Scans and assesses every post of a document.
    pub fn scan_document(&self, doc: &Document) -> Vec<PostResult> {
        let mut lines: Option<LineIndex> = None;
        let mut out = Vec::with_capacity(doc.posts.len());
        for (ordinal, post) in doc.posts.iter().enumerate() {
            let mut findings = Vec::new();
            for seg in &post.segments {
                for m in self.engine.scan(&seg.text) {
                    let span = seg.map.range_to_source(m.range.clone());
                    findings.push(Finding {
                        rule: self.engine.rule(m.rule).clone(),
                        confidence: m.confidence,
                        severity: m.severity,
                        boost: m.boost,
                        value: String::from_utf8_lossy(&doc.bytes[span.clone()]).into_owned(),
                        span,
                        start: Position::default(),
                        end: Position::default(),
                        snippet: Snippet::default(),
                    });
                }
            }
            findings.sort_by(|a, b| {
                (a.span.start, a.span.end, &a.rule.id).cmp(&(b.span.start, b.span.end, &b.rule.id))
            });
            if !findings.is_empty() {
                let lines = lines.get_or_insert_with(|| LineIndex::new(&doc.bytes));
                let mut cursor = PositionCursor::new(&doc.bytes, lines);
                for f in &mut findings {
                    f.start = cursor.position(f.span.start).into();
                    f.end = cursor.position(f.span.end).into();
                }
                let spans: Vec<Range<usize>> = findings.iter().map(|f| f.span.clone()).collect();
                for (i, f) in findings.iter_mut().enumerate() {
                    f.snippet = snippet(&doc.bytes, lines, &spans, i);
                }
            }
            let assessment = assess(&findings, self.model);
            out.push(PostResult {
                source: doc.name.clone(),
                locator: post.locator.clone(),
                ordinal,
                findings,
                assessment,
            });
        }
        out
    }
}

/// The line finding `target` starts on, cut into plain and finding pieces, and shortened to
/// at most [`SNIPPET_BEFORE`] characters before the finding and [`SNIPPET_AFTER`] after it.
/// `spans` are the post's findings, sorted and not overlapping; only those inside the shown
/// window are looked at, so a post with many findings on one long line stays cheap.
fn snippet(bytes: &[u8], lines: &LineIndex, spans: &[Range<usize>], target: usize) -> Snippet {
    let span = &spans[target];
    let line = lines.line(span.start);
    let lr = lines.line_range(bytes, line);
    let start = span.start.clamp(lr.start, lr.end);
    let lo = step_back(bytes, start, lr.start, SNIPPET_BEFORE);
    let target_end = span.end.clamp(start, lr.end);
    let hi = step_forward(bytes, target_end, lr.end, SNIPPET_AFTER);
    let mut pieces = Vec::new();
    let mut cursor = lo;
    let first = spans.partition_point(|s| s.end <= lo);
    for (i, s) in spans.iter().enumerate().skip(first) {
        if s.start >= hi {
            break;
        }
        let (a, b) = (s.start.max(lo), s.end.min(hi));
        if a >= b || a < cursor {
            continue;
        }
        if a > cursor {
            pieces.push(Piece::plain(&bytes[cursor..a]));
        }
        pieces.push(Piece {
            text: String::from_utf8_lossy(&bytes[a..b]).into_owned(),
            finding: Some(i),
            partial: a != s.start || b != s.end,
        });
        cursor = b;
    }
    if cursor < hi {
        pieces.push(Piece::plain(&bytes[cursor..hi]));
    }
    Snippet {
        line,
        pieces,
        cut_left: lo > lr.start,
        cut_right: hi < lr.end,
    }
}

/// The offset `n` characters before `from` (not before `floor`), stepping over UTF-8
/// continuation bytes.
fn step_back(bytes: &[u8], from: usize, floor: usize, n: usize) -> usize {
    let mut i = from;
    for _ in 0..n {
        if i <= floor {
            break;
        }
        i -= 1;
        while i > floor && is_continuation(bytes[i]) {
            i -= 1;
        }
    }
    i
}

/// The offset `n` characters after `from` (not past `ceil`).
fn step_forward(bytes: &[u8], from: usize, ceil: usize, n: usize) -> usize {
    let mut i = from;
    for _ in 0..n {
        if i >= ceil {
            break;
        }
        i += 1;
        while i < ceil && is_continuation(bytes[i]) {
            i += 1;
        }
    }
    i
}

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(s: &Snippet) -> Vec<(&str, Option<usize>, bool)> {
        s.pieces
            .iter()
            .map(|p| (p.text.as_str(), p.finding, p.partial))
            .collect()
    }

    #[test]
    fn snippet_pieces_the_line_around_the_target() {
        let src = b"first line\nSSN 987-65-4321 and MRN 00482913.\nlast";
        let lines = LineIndex::new(src);
        let spans = vec![15..26, 35..43];
        let s = snippet(src, &lines, &spans, 1);
        assert_eq!(s.line, 2);
        assert!(!s.cut_left && !s.cut_right);
        assert_eq!(
            pieces(&s),
            vec![
                ("SSN ", None, false),
                ("987-65-4321", Some(0), false),
                (" and MRN ", None, false),
                ("00482913", Some(1), false),
                (".", None, false),
            ]
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_target_and_clip_neighbours() {
        let mut line = "x".repeat(100);
        line.push_str("AAAA");
        line.push_str(&"é".repeat(100));
        let src = line.as_bytes();
        let lines = LineIndex::new(src);
        // A neighbour that starts before the window and runs into it.
        let spans = vec![10..60, 100..104];
        let s = snippet(src, &lines, &spans, 1);
        assert!(s.cut_left && s.cut_right);
        let p = pieces(&s);
        assert_eq!(p[0], ("x".repeat(10).as_str(), Some(0), true));
        assert_eq!(p[1].0.chars().count(), 40);
        assert_eq!(p[2], ("AAAA", Some(1), false));
        assert_eq!(p[3].0, "é".repeat(SNIPPET_AFTER));
    }
}
