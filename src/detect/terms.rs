//! A dictionary of terms found in one pass: rule keywords and signal terms alike.
//!
//! Terms match case-insensitively (the automaton folds ASCII letters; a term with other letters
//! is also added in UPPER and Title case: "número", "NÚMERO", "Número") and only on word
//! boundaries: a term that starts or ends with a letter or digit is not found glued to more of
//! the same kind of character ("dob" is found in "DOB:" and "DOB03/14", not in "adobe").

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

#[derive(Debug)]
struct Entry<P> {
    /// What the term means to each of its users.
    uses: Vec<P>,
    starts_alnum: bool,
    ends_alnum: bool,
}

/// Terms, each carrying one or more payloads `P`.
#[derive(Debug)]
pub struct Terms<P> {
    automaton: Option<AhoCorasick>,
    entries: Vec<Entry<P>>,
}

impl<P: Copy + PartialEq> Terms<P> {
    /// Builds the dictionary. Blank terms are ignored.
    pub fn build<'a>(items: impl IntoIterator<Item = (&'a str, P)>) -> Result<Terms<P>, String> {
        let mut patterns: Vec<String> = Vec::new();
        let mut entries: Vec<Entry<P>> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut add = |term: String, p: P| {
            let i = *index.entry(term.clone()).or_insert_with(|| {
                entries.push(Entry {
                    uses: Vec::new(),
                    starts_alnum: term.chars().next().is_some_and(char::is_alphanumeric),
                    ends_alnum: term.chars().next_back().is_some_and(char::is_alphanumeric),
                });
                patterns.push(term);
                entries.len() - 1
            });
            if !entries[i].uses.contains(&p) {
                entries[i].uses.push(p);
            }
        };
        for (term, p) in items {
            let lower = term.trim().to_lowercase();
            if lower.is_empty() {
                continue;
            }
            // Writers' apostrophes are often typographic: "parkinson's" also as "parkinson’s".
            let mut spellings = vec![lower.clone()];
            if lower.contains('\'') {
                spellings.push(lower.replace('\'', "’"));
            }
            for lower in spellings {
                if !lower.is_ascii() {
                    let mut title: String =
                        lower.chars().take(1).flat_map(char::to_uppercase).collect();
                    title.extend(lower.chars().skip(1));
                    add(lower.to_uppercase(), p);
                    add(title, p);
                }
                add(lower, p);
            }
        }
        let automaton = if patterns.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .build(&patterns)
                    .map_err(|e| e.to_string())?,
            )
        };
        Ok(Terms { automaton, entries })
    }

    /// Whether there are no terms at all.
    pub fn is_empty(&self) -> bool {
        self.automaton.is_none()
    }

    /// Calls `f` with the range and payloads of every term occurrence on word boundaries
    /// (overlapping occurrences included), in order of their end.
    pub fn find(&self, text: &str, mut f: impl FnMut(Range<usize>, &[P])) {
        let Some(ac) = &self.automaton else { return };
        for m in ac.find_overlapping_iter(text) {
            let e = &self.entries[m.pattern().as_usize()];
            if on_boundary(text, m.start(), m.end(), e.starts_alnum, e.ends_alnum) {
                f(m.start()..m.end(), &e.uses);
            }
        }
    }
}

/// A term counts only where it is not glued to more of the same kind of character: a letter
/// next to a letter, or a digit next to a digit (a letter next to a digit is a boundary).
fn on_boundary(text: &str, start: usize, end: usize, starts: bool, ends: bool) -> bool {
    let same_kind = |a: char, b: char| {
        (a.is_alphabetic() && b.is_alphabetic()) || (a.is_numeric() && b.is_numeric())
    };
    if starts
        && let (Some(a), Some(b)) = (
            text[..start].chars().next_back(),
            text[start..].chars().next(),
        )
        && same_kind(a, b)
    {
        return false;
    }
    if ends
        && let (Some(a), Some(b)) = (text[..end].chars().next_back(), text[end..].chars().next())
        && same_kind(a, b)
    {
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(terms: &Terms<u8>, text: &str) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        terms.find(text, |r, p| out.push((text[r].to_owned(), p.to_vec())));
        out
    }

    #[test]
    fn boundaries_case_and_payloads() {
        let t =
            Terms::build([("dob", 1), ("DOB", 2), ("rang the bell", 3), ("póliza", 4)]).unwrap();
        assert_eq!(found(&t, "DOB: 3/4"), vec![("DOB".to_owned(), vec![1, 2])]);
        assert!(found(&t, "adobe").is_empty());
        assert_eq!(found(&t, "dob03/14").len(), 1);
        assert_eq!(found(&t, "She Rang The Bell!")[0].1, vec![3]);
        assert_eq!(found(&t, "PÓLIZA 12")[0].1, vec![4]);
        assert_eq!(found(&t, "Póliza 12")[0].1, vec![4]);
        assert!(Terms::<u8>::build([("  ", 1)]).unwrap().is_empty());
        let t = Terms::build([("parkinson's", 5)]).unwrap();
        assert_eq!(found(&t, "Parkinson’s disease")[0].1, vec![5]);
    }
}
