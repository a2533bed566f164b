//! A finding: one identifier found in one post, located in the original bytes of its source.
//!
//! The raw value is kept in memory only; every report masks it unless the user opts in.

use std::ops::Range;
use std::sync::Arc;

use crate::category::{Category, RiskLevel};
use crate::detect::RuleInfo;
use crate::pack::SignalKind;

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

/// A line of the source on which a finding starts, kept so that a report can show the finding
/// in context. Raw text: reports mask it before printing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLine {
    /// 1-based line number.
    pub number: usize,
    /// Offset of the line's start in the decoded source text (see [`Finding::text_span`]).
    pub start: usize,
    /// The line, decoded, without its terminator.
    pub text: String,
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
    /// The same range in the decoded source text (what lines and columns count in).
    pub text_span: Range<usize>,
    pub start: Position,
    /// Position just after the last character (exclusive).
    pub end: Position,
    /// The matched text, as in the source. Never print it without `--show-values`.
    pub value: String,
    /// Where inside its post the finding is (`column "Message"`), when the post has parts.
    pub locator: Option<String>,
    /// The recorded patient authorization that covers it (its reference): it is reported but
    /// does not count toward the post's risk.
    pub authorization: Option<String>,
    /// The keyed fingerprint of a baseline (see `crate::baseline`), set when a scan uses one;
    /// reports show the unkeyed one otherwise.
    pub fingerprint: Option<String>,
}

/// A finding that an inline marker or the document's allow list lets through.
#[derive(Debug, Clone)]
pub struct Allowed {
    pub finding: Finding,
    /// Which marker or list, and its reason.
    pub reason: String,
}

impl Finding {
    pub fn category(&self) -> Category {
        self.rule.category
    }
}

/// A signal found in a post: wording that is not an identifier but weighs the ones found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignalFound {
    /// The signal's id (`hipaa.context.condition`).
    pub id: String,
    pub kind: SignalKind,
    /// The words as written in the post ("NICU", "rang the bell"). Not PHI on their own.
    pub term: String,
    /// Where, in the decoded source text.
    pub text_span: Range<usize>,
}
