//! A finding: one identifier found in one post, located in the original bytes of its source.
//!
//! The raw value is kept in memory only; every report masks it unless the user opts in.

use std::ops::Range;
use std::sync::Arc;

use crate::category::{Category, RiskLevel};
use crate::detect::RuleInfo;

/// A 1-based line and column (columns count Unicode scalar values).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl From<(usize, usize)> for Position {
    fn from((line, column): (usize, usize)) -> Position {
        Position { line, column }
    }
}

/// The source line a finding starts on, cut into pieces so a report can mask every finding on
/// it (the pieces hold raw text: mask before printing).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snippet {
    /// 1-based line number.
    pub line: usize,
    pub pieces: Vec<Piece>,
    /// Whether text was left out before / after what the pieces hold.
    pub cut_left: bool,
    pub cut_right: bool,
}

/// A run of a snippet's text: plain text, or (part of) a finding of the same post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    /// Index of the finding in its post's findings.
    pub finding: Option<usize>,
    /// Whether only part of the finding is in this piece.
    pub partial: bool,
}

impl Piece {
    /// A plain piece from raw bytes.
    pub fn plain(bytes: &[u8]) -> Piece {
        Piece {
            text: String::from_utf8_lossy(bytes).into_owned(),
            finding: None,
            partial: false,
        }
    }
}

impl Snippet {
    /// The index of the piece holding finding `finding`'s start, if shown.
    pub fn piece_of(&self, finding: usize) -> Option<usize> {
        self.pieces.iter().position(|p| p.finding == Some(finding))
    }
}

/// One identifier in one post.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: Arc<RuleInfo>,
    pub confidence: f64,
    /// The level this finding reaches on its own (the rule's severity, maybe raised by context).
    pub severity: RiskLevel,
    /// The rule's boost (by index) whose context raised this finding, if any.
    pub boost: Option<usize>,
    /// Byte range in the original source.
    pub span: Range<usize>,
    pub start: Position,
    /// Position just after the last character (exclusive).
    pub end: Position,
    /// The matched text, as in the source. Never print it without `--show-values`.
    pub value: String,
    pub snippet: Snippet,
}

impl Finding {
    pub fn category(&self) -> Category {
        self.rule.category
    }
}
