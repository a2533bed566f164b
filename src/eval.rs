//! Scoring phiguard against a labelled corpus of posts (`fixtures/eval/*.jsonl`).
//!
//! Each corpus line is one post: its text, whether it discloses PHI (`phi`), and every
//! identifier in it as `{category, value}` — the value being the exact substring, listed in text
//! order. [`score`] scans every post with the real pipeline and reports post-level recall and
//! false-positive rate at a fail level, and span recall and precision per category. A span counts
//! as found when a finding of the same category overlaps it; a finding counts as correct when it
//! overlaps a labelled span of its category.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;

use crate::category::{Category, RiskLevel};
use crate::extract::Document;
use crate::scan::Scanner;

/// One labelled post.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub id: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub lang: String,
    /// Whether the post discloses a patient's identifiable information.
    pub phi: bool,
    pub text: String,
    #[serde(default)]
    pub spans: Vec<LabelledSpan>,
    /// Why the post is labelled as it is (for people).
    #[serde(default)]
    pub note: Option<String>,
}

/// One labelled identifier.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelledSpan {
    pub category: Category,
    pub value: String,
}

/// Parses a JSONL corpus. Errors name the line.
pub fn parse_corpus(text: &str) -> Result<Vec<Case>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| serde_json::from_str(l).map_err(|e| format!("line {}: {e}", i + 1)))
        .collect()
}

/// Span counts of one category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SpanTally {
    /// Labelled spans, and how many of them a finding of the category overlaps.
    pub labelled: usize,
    pub found: usize,
    /// Labelled spans that a finding covers exactly.
    pub exact: usize,
    /// Findings, and how many of them overlap a labelled span of their category.
    pub reported: usize,
    pub correct: usize,
}

impl SpanTally {
    pub fn recall(&self) -> f64 {
        ratio(self.found, self.labelled)
    }

    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.reported)
    }
}

/// What one post's scan got wrong, for `--details` listings.
#[derive(Debug, Clone)]
pub struct Miss {
    pub id: String,
    pub what: String,
}

/// The scores over a corpus.
#[derive(Debug, Clone, Default)]
pub struct Scores {
    pub posts: usize,
    /// PHI posts flagged at the fail level, and all PHI posts.
    pub true_positives: usize,
    pub phi_posts: usize,
    /// Clean posts flagged, and all clean posts.
    pub false_positives: usize,
    pub clean_posts: usize,
    pub by_category: BTreeMap<Category, SpanTally>,
    pub misses: Vec<Miss>,
}

impl Scores {
    /// Share of PHI posts that reach the fail level.
    pub fn post_recall(&self) -> f64 {
        ratio(self.true_positives, self.phi_posts)
    }

    /// Share of clean posts that reach the fail level.
    pub fn false_positive_rate(&self) -> f64 {
        ratio(self.false_positives, self.clean_posts)
    }

    /// Span recall and precision over every category.
    pub fn total(&self) -> SpanTally {
        let mut t = SpanTally::default();
        for s in self.by_category.values() {
            t.labelled += s.labelled;
            t.found += s.found;
            t.exact += s.exact;
            t.reported += s.reported;
            t.correct += s.correct;
        }
        t
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// Scans every case and scores the results; a post is flagged when it reaches `fail_on`.
///
/// A corpus that labels no names at all (an identifier corpus) is scored without name findings
/// (nor the `@handle` a reply is addressed to): they are not what it measures.
pub fn score(cases: &[Case], scanner: &Scanner<'_>, fail_on: RiskLevel) -> Result<Scores, String> {
    let mut scores = Scores::default();
    let labels_names = cases
        .iter()
        .any(|c| c.spans.iter().any(|s| s.category == Category::Name));
    for case in cases {
        let labelled = locate(case)?;
        let doc = Document::single_post(
            &case.id,
            case.text.clone().into_bytes(),
            crate::text::decode_utf8(case.text.as_bytes()),
        );
        let result = scanner
            .scan_document(&doc)
            .pop()
            .expect("one post in, one post out");
        scores.posts += 1;
        let flagged = result.assessment.risk >= fail_on;
        if case.phi {
            scores.phi_posts += 1;
            scores.true_positives += usize::from(flagged);
            if !flagged {
                scores.misses.push(Miss {
                    id: case.id.clone(),
                    what: format!("PHI post rated {}", result.assessment.risk),
                });
            }
        } else {
            scores.clean_posts += 1;
            scores.false_positives += usize::from(flagged);
            if flagged {
                scores.misses.push(Miss {
                    id: case.id.clone(),
                    what: format!(
                        "clean post rated {}: {}",
                        result.assessment.risk,
                        result.assessment.reasons.join("; ")
                    ),
                });
            }
        }

        let overlaps = |a: &Range<usize>, b: &Range<usize>| a.start < b.end && b.start < a.end;
        for (category, range) in &labelled {
            let t = scores.by_category.entry(*category).or_default();
            t.labelled += 1;
            let same: Vec<&Range<usize>> = result
                .findings
                .iter()
                .filter(|f| f.category() == *category && (labels_names || f.rule.person.is_none()))
                .map(|f| &f.span)
                .collect();
            if same.iter().any(|s| overlaps(s, range)) {
                t.found += 1;
                t.exact += usize::from(same.contains(&range));
            } else {
                scores.misses.push(Miss {
                    id: case.id.clone(),
                    what: format!("missed {category} {:?}", &case.text[range.clone()]),
                });
            }
        }
        for f in &result.findings {
            if !labels_names && f.rule.person.is_some() {
                continue;
            }
            let t = scores.by_category.entry(f.category()).or_default();
            t.reported += 1;
            let ok = labelled
                .iter()
                .any(|(c, r)| *c == f.category() && overlaps(r, &f.span));
            if ok {
                t.correct += 1;
            } else {
                scores.misses.push(Miss {
                    id: case.id.clone(),
                    what: format!("extra {} {:?} ({})", f.category(), f.value, f.rule.id),
                });
            }
        }
    }
    Ok(scores)
}

/// Finds each labelled value in the text, in order (a repeated value is its next occurrence).
fn locate(case: &Case) -> Result<Vec<(Category, Range<usize>)>, String> {
    let mut out = Vec::with_capacity(case.spans.len());
    let mut from = 0;
    for span in &case.spans {
        let find = |start: usize| case.text[start..].find(&span.value).map(|i| start + i);
        // Spans are listed in text order; fall back to the first occurrence if one is not.
        let at = find(from).or_else(|| find(0)).ok_or_else(|| {
            format!(
                "{}: labelled value {:?} is not in the text",
                case.id, span.value
            )
        })?;
        out.push((span.category, at..at + span.value.len()));
        // The next span starts after this one (a "2" after "412" is not inside it).
        from = at + span.value.len();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labelled_values_are_located_after_the_previous_one() {
        let case: Case = serde_json::from_str(
            r#"{"id":"t","phi":true,"text":"room 412, bed 2","spans":[{"category":"other_id","value":"412"},{"category":"other_id","value":"2"}]}"#,
        )
        .unwrap();
        assert_eq!(
            locate(&case).unwrap(),
            vec![(Category::OtherId, 5..8), (Category::OtherId, 14..15)]
        );
    }

    #[test]
    fn labelled_values_are_located_in_order_with_repeats() {
        let case: Case = serde_json::from_str(
            r#"{"id":"t","phi":false,"text":"call 555-0142 or 555-0142","spans":[{"category":"phone","value":"555-0142"},{"category":"phone","value":"555-0142"}]}"#,
        )
        .unwrap();
        let spans = locate(&case).unwrap();
        assert_eq!(
            spans,
            vec![(Category::Phone, 5..13), (Category::Phone, 17..25)]
        );
    }

    #[test]
    fn a_missing_value_is_an_error() {
        let case: Case = serde_json::from_str(
            r#"{"id":"t","phi":true,"text":"nothing","spans":[{"category":"ssn","value":"987-65-4321"}]}"#,
        )
        .unwrap();
        assert!(locate(&case).unwrap_err().contains("not in the text"));
    }
}
