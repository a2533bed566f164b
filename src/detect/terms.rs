//! A dictionary of terms found in one pass: rule keywords and signal terms alike.
//!
//! Terms match case-insensitively (ASCII letters fold; a term with other letters
//! is also added in UPPER and Title case: "número", "NÚMERO", "Número") and only on word
//! boundaries: a term that starts or ends with a letter or digit is not found glued to more of
//! the same kind of character ("dob" is found in "DOB:" and "DOB03/14", not in "adobe").

use std::ops::Range;

use foldhash::HashMap;

#[derive(Debug)]
struct Entry<P> {
    /// The term as matched (one spelling of it).
    pattern: String,
    /// What the term means to each of its users.
    uses: Vec<P>,
    starts_alnum: bool,
    ends_alnum: bool,
}

/// Terms, each carrying one or more payloads `P`.
///
/// Found without an automaton: a term that starts with a letter or digit can only start where a
/// run of letters (or of digits) starts, and that whole run must be the term's own first run
/// ("rang" of "rang the bell"). So the text's runs are looked up in a map from first runs to
/// terms, and the few candidates compared in place; terms that start otherwise ("%", "📞") are
/// tried where their first character occurs. Building takes a hash map, not an automaton.
#[derive(Debug)]
pub struct Terms<P> {
    entries: Vec<Entry<P>>,
    /// Terms by their first run of letters or digits, ASCII letters in lower case.
    by_run: HashMap<String, Vec<u32>>,
    /// Terms that start with another character, by that character.
    by_char: HashMap<char, Vec<u32>>,
    /// The ASCII characters `by_char` holds, as bits: spaces and punctuation, most of them
    /// starting no term, are ruled out without hashing them.
    ascii_chars: u128,
    /// A one-hash Bloom filter over the first runs' (length, first byte, last byte): most runs
    /// of a text ("the", "and", "clinic") are ruled out without hashing them.
    filter: Box<[u64; FILTER_WORDS]>,
}

const FILTER_WORDS: usize = 1024;

/// The filter bit of a run (its bytes, ASCII letters in any case).
fn filter_bit(run: &[u8]) -> usize {
    let (Some(first), Some(last)) = (run.first(), run.last()) else {
        return 0;
    };
    let h = (run.len() as u32).wrapping_mul(0x9E37_79B9)
        ^ (u32::from(first.to_ascii_lowercase()) << 8)
        ^ u32::from(last.to_ascii_lowercase()).wrapping_mul(0x85EB_CA6B);
    (h ^ (h >> 15)) as usize % (FILTER_WORDS * 64)
}

/// Which run a character belongs to; the same test as the word boundaries use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Run {
    Alpha,
    Digit,
    None,
}

fn run_of(c: char) -> Run {
    if c.is_ascii() {
        if c.is_ascii_alphabetic() {
            Run::Alpha
        } else if c.is_ascii_digit() {
            Run::Digit
        } else {
            Run::None
        }
    } else if c.is_alphabetic() {
        Run::Alpha
    } else if c.is_numeric() {
        Run::Digit
    } else {
        Run::None
    }
}

/// The first run of `term` (empty when it does not start with a letter or digit).
fn first_run(term: &str) -> &str {
    let mut chars = term.char_indices();
    let Some((_, c)) = chars.next() else {
        return term;
    };
    let kind = run_of(c);
    if kind == Run::None {
        return &term[..0];
    }
    let end = chars
        .find(|&(_, d)| run_of(d) != kind)
        .map_or(term.len(), |(i, _)| i);
    &term[..end]
}

impl<P: Copy + PartialEq> Terms<P> {
    /// Builds the dictionary. Blank terms are ignored.
    pub fn build<'a>(items: impl IntoIterator<Item = (&'a str, P)>) -> Result<Terms<P>, String> {
        let items: Vec<(&str, P)> = items.into_iter().collect();
        let mut entries: Vec<Entry<P>> = Vec::with_capacity(items.len());
        let mut index: HashMap<String, usize> =
            HashMap::with_capacity_and_hasher(items.len(), Default::default());
        // Start-up cost: most terms are unique and already lower case, so the common path
        // allocates only the entry's own copies.
        let mut add = |term: &str, p: P| {
            let i = match index.get(term) {
                Some(&i) => i,
                None => {
                    index.insert(term.to_owned(), entries.len());
                    entries.push(Entry {
                        starts_alnum: term.chars().next().is_some_and(char::is_alphanumeric),
                        ends_alnum: term.chars().next_back().is_some_and(char::is_alphanumeric),
                        pattern: term.to_owned(),
                        uses: Vec::new(),
                    });
                    entries.len() - 1
                }
            };
            if !entries[i].uses.contains(&p) {
                entries[i].uses.push(p);
            }
        };
        let mut add_cases = |lower: &str, p: P| {
            if !lower.is_ascii() {
                let mut title: String =
                    lower.chars().take(1).flat_map(char::to_uppercase).collect();
                title.extend(lower.chars().skip(1));
                add(&lower.to_uppercase(), p);
                add(&title, p);
            }
            add(lower, p);
        };
        for (term, p) in items {
            let term = term.trim();
            let already_lower = term.chars().all(|c| {
                let mut l = c.to_lowercase();
                l.next() == Some(c) && l.next().is_none()
            });
            let lower: std::borrow::Cow<'_, str> = if already_lower {
                term.into()
            } else {
                term.to_lowercase().into()
            };
            if lower.is_empty() {
                continue;
            }
            add_cases(&lower, p);
            if lower.contains('\'') {
                add_cases(&lower.replace('\'', "’"), p);
            }
        }
        let mut by_run: HashMap<String, Vec<u32>> =
            HashMap::with_capacity_and_hasher(entries.len(), Default::default());
        let mut by_char: HashMap<char, Vec<u32>> = HashMap::default();
        let mut ascii_chars = 0u128;
        let mut filter = Box::new([0u64; FILTER_WORDS]);
        for (i, e) in entries.iter().enumerate() {
            let i = u32::try_from(i).map_err(|_| "too many terms".to_owned())?;
            let run = first_run(&e.pattern);
            if run.is_empty() {
                let c = e.pattern.chars().next().expect("terms are not blank");
                by_char.entry(c).or_default().push(i);
                if c.is_ascii() {
                    ascii_chars |= 1 << (c as u32);
                }
            } else {
                let bit = filter_bit(run.as_bytes());
                filter[bit / 64] |= 1 << (bit % 64);
                match by_run.get_mut(run) {
                    Some(list) if !run.bytes().any(|b| b.is_ascii_uppercase()) => list.push(i),
                    _ => by_run.entry(run.to_ascii_lowercase()).or_default().push(i),
                }
            }
        }
        Ok(Terms {
            entries,
            by_run,
            by_char,
            ascii_chars,
            filter,
        })
    }

    /// Whether there are no terms.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Calls `f` with the range and payloads of every occurrence, overlapping ones included (in
    /// no set order: callers sort).
    pub fn find(&self, text: &str, mut f: impl FnMut(Range<usize>, &[P])) {
        if self.entries.is_empty() {
            return;
        }
        let mut key = String::new();
        let mut try_at = |start: usize, candidates: &[u32]| {
            for &i in candidates {
                let e = &self.entries[i as usize];
                let end = start + e.pattern.len();
                let Some(found) = text.as_bytes().get(start..end) else {
                    continue;
                };
                if found.eq_ignore_ascii_case(e.pattern.as_bytes())
                    && text.is_char_boundary(end)
                    && on_boundary(text, start, end, e.starts_alnum, e.ends_alnum)
                {
                    f(start..end, &e.uses);
                }
            }
        };
        let mut run_start = 0;
        let mut run = Run::None;
        for (i, c) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
        {
            let kind = run_of(c);
            if kind == Run::None
                && i < text.len()
                && !self.by_char.is_empty()
                && (!c.is_ascii() || self.ascii_chars & (1 << (c as u32)) != 0)
                && let Some(candidates) = self.by_char.get(&c)
            {
                try_at(i, candidates);
            }
            if kind == run {
                continue;
            }
            let bit = filter_bit(&text.as_bytes()[run_start..i]);
            if run != Run::None && self.filter[bit / 64] & (1 << (bit % 64)) != 0 {
                let word = &text[run_start..i];
                key.clear();
                key.push_str(word);
                key.make_ascii_lowercase();
                if let Some(candidates) = self.by_run.get(key.as_str()) {
                    try_at(run_start, candidates);
                }
            }
            run = kind;
            run_start = i;
        }
    }
}

/// Whether a match at `start..end` stands on word boundaries: a term that starts (ends) with a
/// letter or digit must not be glued to a letter (digit) before (after) it.
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

    #[test]
    fn terms_that_start_or_end_with_other_characters() {
        let t = Terms::build([
            ("%", 1),
            ("📞", 2),
            ("'s social", 3),
            ("covid-19", 4),
            ("24/7", 5),
        ])
        .unwrap();
        let mut got = found(
            &t,
            "50%% off 📞📞 Ana's social worker; COVID-19 care 24/7, not 124/7",
        );
        got.sort();
        assert_eq!(
            got,
            vec![
                ("%".to_owned(), vec![1]),
                ("%".to_owned(), vec![1]),
                ("'s social".to_owned(), vec![3]),
                ("24/7".to_owned(), vec![5]),
                ("COVID-19".to_owned(), vec![4]),
                ("📞".to_owned(), vec![2]),
                ("📞".to_owned(), vec![2]),
            ]
        );
    }

    #[test]
    fn nested_and_overlapping_terms_are_all_found() {
        let t = Terms::build([("rang the bell", 1), ("bell", 2), ("the", 3), ("ring", 4)]).unwrap();
        let mut got = found(&t, "She rang the bell; no ringing");
        got.sort();
        assert_eq!(
            got,
            vec![
                ("bell".to_owned(), vec![2]),
                ("rang the bell".to_owned(), vec![1]),
                ("the".to_owned(), vec![3]),
            ]
        );
    }
}
