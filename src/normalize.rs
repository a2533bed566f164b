//! Evasion-proof text: what a segment *reads as*, with an exact map back to what it *is*.
//!
//! People hide identifiers from scanners, on purpose or by accident (text pasted from a PDF or a
//! phone keyboard): a zero-width space inside an SSN, full-width digits, a Cyrillic `о` in a
//! name, `jane [at] example [dot] com`, a phone number typed `5 5 5 - 0 1 4 2`. Rules are written
//! for the plain form, so the engine scans the plain form and maps every range back:
//!
//! 1. Characters (only when the text is not pure ASCII): invisible characters (zero-width
//!    spaces and joiners, bidi controls, soft hyphens, variation selectors, tag characters) are
//!    removed; Unicode dashes and minus signs become `-`; Cyrillic and Greek letters that look
//!    Latin become Latin inside words that are otherwise Latin (so real Greek or Russian words
//!    are left alone); everything else is NFKC-normalised one character at a time (full-width
//!    and mathematical digits and letters, ligatures, non-breaking spaces).
//! 2. Shapes: digits spaced or dotted out one by one (seven or more) are closed up, a wider gap
//!    or a dash between them kept as one `-`; `O`/`o`/`l`/`I` between digits become `0`/`1`; an
//!    email address spelled out with `at` and `dot` (bracketed, or as plain words when the
//!    domain is spelled too) is written as an address.
//!
//! The map sends every offset of the normalised text to an offset of the original on a character
//! boundary: a character that stood for several (a spelled `[dot]`) covers all of them, a removed
//! character is outside every range that does not straddle it.

use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::{IsNormalized, is_nfkc_quick};

use crate::text::OffsetMap;

/// Text as the engine scans it, and the map from its offsets to the original's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    pub text: String,
    pub map: OffsetMap,
}

/// The normalised form of `text`, or `None` when it is already plain (the common case, checked
/// without allocating).
pub fn normalize(text: &str) -> Option<Normalized> {
    let first = if text.is_ascii() {
        None
    } else {
        characters(text)
    };
    let current = first.as_ref().map_or(text, |n| n.text.as_str());
    match (first.as_ref(), shapes(current)) {
        (None, None) => None,
        (Some(_), None) => first,
        (None, Some(second)) => Some(second),
        (Some(f), Some(s)) => Some(Normalized {
            map: s.map.then(&f.map),
            text: s.text,
        }),
    }
}

/// Builds normalised text from left to right, recording an anchor wherever it stops moving in
/// step with the source.
struct Builder<'a> {
    src: &'a str,
    out: String,
    anchors: Vec<(usize, usize)>,
    /// The first source byte not yet consumed.
    pos: usize,
    changed: bool,
}

impl<'a> Builder<'a> {
    fn new(src: &'a str) -> Builder<'a> {
        Builder {
            src,
            out: String::with_capacity(src.len()),
            anchors: vec![(0, 0)],
            pos: 0,
            changed: false,
        }
    }

    /// Copies the source up to `end` unchanged.
    fn copy_to(&mut self, end: usize) {
        if end > self.pos {
            self.out.push_str(&self.src[self.pos..end]);
            self.pos = end;
        }
    }

    fn anchor(&mut self, at: (usize, usize)) {
        if self.anchors.last() != Some(&at) {
            self.anchors.push(at);
        }
    }

    /// Replaces the source from `start` to `end` with `with` (which may be empty). The first
    /// character of `with` starts at `start` in the source and the others at `end`, so a range
    /// that ends inside an expansion ("123-45-678⒐" read as "…9.") covers the whole source
    /// character, and every offset lands on a character boundary of the source.
    fn replace(&mut self, start: usize, end: usize, with: &str) {
        self.copy_to(start);
        let t = self.out.len();
        self.anchor((t, start));
        for (i, _) in with.char_indices().skip(1) {
            self.anchor((t + i, end));
        }
        self.out.push_str(with);
        self.anchor((self.out.len(), end));
        self.pos = end;
        self.changed = true;
    }

    fn finish(mut self) -> Option<Normalized> {
        if !self.changed {
            return None;
        }
        self.copy_to(self.src.len());
        Some(Normalized {
            text: self.out,
            map: OffsetMap::from_anchors(self.anchors),
        })
    }
}

/// Pass 1: character by character.
fn characters(text: &str) -> Option<Normalized> {
    let mut b = Builder::new(text);
    let mut buf = String::new();
    let mut word: Option<(Range<usize>, bool)> = None;
    for (i, c) in text.char_indices() {
        if c.is_ascii() {
            continue;
        }
        let end = i + c.len_utf8();
        if is_invisible(c) {
            b.replace(i, end, "");
        } else if is_dash(c) {
            b.replace(i, end, "-");
        } else if let Some(latin) = latin_lookalike(c).filter(|_| {
            // One verdict per word, not per letter (a long word of lookalikes stays linear).
            if !word.as_ref().is_some_and(|(r, _)| r.contains(&i)) {
                word = Some(latin_word(text, i, end));
            }
            word.as_ref().is_some_and(|(_, latin)| *latin)
        }) {
            buf.clear();
            buf.push(latin);
            b.replace(i, end, &buf);
        } else if !matches!(c, 'º' | 'ª') && is_nfkc_quick(std::iter::once(c)) != IsNormalized::Yes
        {
            buf.clear();
            buf.extend(std::iter::once(c).nfkc());
            if *buf != *c.encode_utf8(&mut [0; 4]) {
                // What NFKC produced may itself hold a dash or an invisible character.
                let plain: String = buf
                    .chars()
                    .filter(|&c| !is_invisible(c))
                    .map(|c| if is_dash(c) { '-' } else { c })
                    .collect();
                b.replace(i, end, &plain);
            }
        }
    }
    b.finish()
}

/// Characters that show nothing (or only change how their neighbours are drawn).
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E007F}'
            | '\u{E0100}'..='\u{E01EF}'
    )
}

/// Hyphens, the figure dash and minus signs (not the en dash of ranges, "5/6 – 5/12", nor the
/// em dash of prose).
fn is_dash(c: char) -> bool {
    matches!(
        c,
        '\u{2010}'..='\u{2012}' | '\u{2212}' | '\u{FE63}' | '\u{FF0D}' | '\u{02D7}' | '\u{2043}'
    )
}

/// The Latin letter a Cyrillic or Greek letter is drawn like, if it is drawn exactly like one.
fn latin_lookalike(c: char) -> Option<char> {
    Some(match c {
        // Cyrillic.
        'а' => 'a',
        'в' => 'B',
        'е' => 'e',
        'ё' => 'ë',
        'і' => 'i',
        'ј' => 'j',
        'о' => 'o',
        'р' => 'p',
        'с' => 'c',
        'ѕ' => 's',
        'у' => 'y',
        'х' => 'x',
        'ԁ' => 'd',
        'һ' => 'h',
        'ԛ' => 'q',
        'ԝ' => 'w',
        'А' => 'A',
        'В' => 'B',
        'Е' => 'E',
        'І' => 'I',
        'Ј' => 'J',
        'К' => 'K',
        'М' => 'M',
        'Н' => 'H',
        'О' => 'O',
        'Р' => 'P',
        'С' => 'C',
        'Ѕ' => 'S',
        'Т' => 'T',
        'Х' => 'X',
        'Ү' => 'Y',
        'Һ' => 'H',
        'Ԁ' => 'D',
        'Ԛ' => 'Q',
        'Ԝ' => 'W',
        // Greek.
        'Α' => 'A',
        'Β' => 'B',
        'Ε' => 'E',
        'Ζ' => 'Z',
        'Η' => 'H',
        'Ι' => 'I',
        'Κ' => 'K',
        'Μ' => 'M',
        'Ν' => 'N',
        'Ο' => 'O',
        'Ρ' => 'P',
        'Τ' => 'T',
        'Υ' => 'Y',
        'Χ' => 'X',
        'ο' => 'o',
        'ι' => 'i',
        'κ' => 'k',
        'ν' => 'v',
        'υ' => 'u',
        _ => return None,
    })
}

/// The word around `start..end`, and whether it is written in Latin letters apart from
/// lookalikes: every letter in it is ASCII or a Latin lookalike (a real Greek or Russian word
/// has letters that are neither, and is left alone).
fn latin_word(text: &str, start: usize, end: usize) -> (Range<usize>, bool) {
    let mut from = start;
    let mut latin = true;
    for (k, c) in text[..start].char_indices().rev() {
        if !c.is_alphanumeric() {
            break;
        }
        from = k;
        latin &= c.is_ascii_alphanumeric() || latin_lookalike(c).is_some();
    }
    let mut to = end;
    for (k, c) in text[end..].char_indices() {
        if !c.is_alphanumeric() {
            break;
        }
        to = end + k + c.len_utf8();
        latin &= c.is_ascii_alphanumeric() || latin_lookalike(c).is_some();
    }
    (from..to, latin)
}

/// Pass 2: shapes of digits and spelled-out email addresses.
fn shapes(text: &str) -> Option<Normalized> {
    let mut edits: Vec<(Range<usize>, &'static str)> = Vec::new();
    // Both digit shapes need a digit; most posts have few or none.
    if text.bytes().any(|b| b.is_ascii_digit()) {
        spaced_digits(text.as_bytes(), &mut edits);
        letters_among_digits(text.as_bytes(), &mut edits);
    }
    spelled_emails(text, &mut edits);
    if edits.is_empty() {
        return None;
    }
    edits.sort_by_key(|(r, _)| (r.start, r.end));
    let mut b = Builder::new(text);
    for (r, with) in edits {
        if r.start < b.pos {
            continue; // Overlaps an earlier edit.
        }
        b.replace(r.start, r.end, with);
    }
    b.finish()
}

/// Fewest digits written one by one that are read as one number.
const MIN_SPACED_DIGITS: usize = 7;

fn is_gap(b: u8) -> bool {
    matches!(b, b' ' | b'.' | b'-' | b'_')
}

/// Digits written one at a time with gaps (`5 5 5 - 0 1 4 2`, `9.8.7.6.5.4.3.2.1`): gaps close
/// up, except that when the gaps differ, a wider one or one with a dash becomes a single `-`.
fn spaced_digits(b: &[u8], edits: &mut Vec<(Range<usize>, &'static str)>) {
    let lone = |i: usize| {
        b[i].is_ascii_digit()
            && (i == 0 || !b[i - 1].is_ascii_alphanumeric())
            && b.get(i + 1).is_none_or(|n| !n.is_ascii_alphanumeric())
    };
    let mut i = 0;
    while i < b.len() {
        if !lone(i) {
            i += 1;
            continue;
        }
        let mut gaps: Vec<Range<usize>> = Vec::new();
        let mut j = i + 1;
        loop {
            let mut k = j;
            while k < b.len() && k - j < 3 && is_gap(b[k]) {
                k += 1;
            }
            if k == j || k >= b.len() || !lone(k) {
                break;
            }
            gaps.push(j..k);
            j = k + 1;
        }
        if gaps.len() + 1 >= MIN_SPACED_DIGITS {
            let first = &b[gaps[0].clone()];
            let uniform = gaps.iter().all(|g| &b[g.clone()] == first) && first.len() == 1;
            for g in gaps {
                let keep_dash = !uniform && (g.len() > 1 || b[g.clone()].contains(&b'-'));
                edits.push((g, if keep_dash { "-" } else { "" }));
            }
        }
        i = j;
    }
}

/// `O`, `o`, `l` and `I` written for digits between digits (`555-O142`, `98l-65-4321`).
fn letters_among_digits(b: &[u8], edits: &mut Vec<(Range<usize>, &'static str)>) {
    let lookalike = |c: u8| matches!(c, b'O' | b'o' | b'l' | b'I');
    // The digit next to `i` on one side, allowing one `-` or `.` in between.
    let digit_at = |i: Option<usize>, step: isize| -> bool {
        let Some(i) = i else { return false };
        match b.get(i) {
            Some(c) if c.is_ascii_digit() => true,
            Some(b'-' | b'.') => i
                .checked_add_signed(step)
                .and_then(|j| b.get(j))
                .is_some_and(u8::is_ascii_digit),
            _ => false,
        }
    };
    let mut i = 0;
    while i < b.len() {
        if !lookalike(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && lookalike(b[i]) {
            i += 1;
        }
        if i - start <= 3 && digit_at(start.checked_sub(1), -1) && digit_at(Some(i), 1) {
            for (k, &c) in b.iter().enumerate().take(i).skip(start) {
                let digit = if c == b'O' || c == b'o' { "0" } else { "1" };
                edits.push((k..k + 1, digit));
            }
        }
    }
}

/// Words that make spelling-out worth looking for.
static EMAIL_HINTS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build([
            "dot", "[at", "(at", "{at", "<at", "[ at", "( at", "[@", "(@", "{@",
        ])
        .expect("static patterns")
});

/// An address with `at` and `dot` spelled out (plain words, or in brackets of any kind).
static SPELLED_EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    let at = r"(?:\s*[\[({<]\s*(?:at|@)\s*[\])}>]\s*|\s+at\s+)";
    let dot = r"(?:\s*[\[({<]\s*(?:dot|\.)\s*[\])}>]\s*|\s+dot\s+)";
    Regex::new(&format!(
        r"(?i)(?-u:\b)[a-z0-9][a-z0-9._%+-]{{0,63}}(?:{dot}[a-z0-9_%+-]{{1,63}}){{0,4}}{at}[a-z0-9][a-z0-9-]{{0,62}}(?:(?:{dot}|\.)[a-z0-9-]{{1,63}}){{1,4}}(?-u:\b)"
    ))
    .expect("static regex")
});

/// One spelled `at` or `dot` (with the spaces around it).
static SPELLED_TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*[\[({<]\s*(at|dot|@|\.)\s*[\])}>]\s*|\s+(at|dot)\s+").expect("static regex")
});

/// Words that come before a plain "at" in prose ("find us at mercy dot org" is a web address).
const PROSE_BEFORE_AT: &[&str] = &[
    "us", "me", "him", "her", "them", "you", "it", "we", "home", "online", "now", "today", "later",
    "back", "out", "in", "up", "on", "there", "here", "all", "both", "one", "anytime",
];

fn spelled_emails(text: &str, edits: &mut Vec<(Range<usize>, &'static str)>) {
    if EMAIL_HINTS.find(text).is_none() {
        return;
    }
    let mut from = 0;
    while let Some(m) = SPELLED_EMAIL.find_at(text, from) {
        // A match that is not an address may hide one that starts inside it ("her at
        // jane [at] example [dot] com"): the search goes on from its next character.
        from = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
        let s = m.as_str();
        let tld = s
            .rsplit(['.', ' ', ']', ')', '}', '>'])
            .next()
            .unwrap_or("");
        if !(2..=24).contains(&tld.len()) || !tld.bytes().all(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        let tokens: Vec<(Range<usize>, bool, bool)> = SPELLED_TOKEN
            .captures_iter(s)
            .filter_map(|c| {
                let all = c.get(0)?;
                let (word, plain) = match (c.get(1), c.get(2)) {
                    (Some(w), _) => (w.as_str(), false),
                    (None, Some(w)) => (w.as_str(), true),
                    (None, None) => return None,
                };
                let is_at = word.eq_ignore_ascii_case("at") || word == "@";
                Some((all.range(), is_at, plain))
            })
            .collect();
        // The address is split at its (one) `at`; as plain words, `at` is everyday English, so
        // the domain must be spelled out too.
        let Some(at) = tokens.iter().position(|t| t.1) else {
            continue;
        };
        if tokens.iter().filter(|t| t.1).count() != 1 {
            continue;
        }
        if tokens[at].2 {
            let local = s[..tokens[at].0.start].rsplit(' ').next().unwrap_or("");
            let prose = PROSE_BEFORE_AT
                .iter()
                .any(|w| w.eq_ignore_ascii_case(local));
            if prose || !tokens[at + 1..].iter().any(|t| !t.1) {
                continue;
            }
        }
        for (r, is_at, _) in tokens {
            let r = m.start() + r.start..m.start() + r.end;
            edits.push((r, if is_at { "@" } else { "." }));
        }
        from = m.end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The normalised text, and the original text each of `parts` of it maps back to.
    fn check(original: &str, expected: &str, parts: &[(&str, &str)]) {
        let n = normalize(original).expect("something to normalise");
        assert_eq!(n.text, expected);
        for (part, source) in parts {
            let at = n.text.find(part).expect("part of the normalised text");
            let r = n.map.range_to_source(at..at + part.len());
            assert_eq!(&original[r], *source, "{part}");
        }
    }

    #[test]
    fn plain_text_is_left_alone() {
        for t in [
            "Call (555) 555-0142 today!",
            "Señora Núñez — feliz cumpleaños 🎉",
            "Meet us at the lobby; Dr. Soto at 3 pm.",
            "Σήμερα γιορτάζουμε",
            "Привет, Москва",
            "Score 3 - 1, then 2 - 0",
            "Week of 3/18–3/22; ¡Feliz 1º de mayo!",
            "CO2 levels, B12 shots, 10lb baby, 5oz bottle",
        ] {
            assert_eq!(normalize(t), None, "{t}");
        }
    }

    #[test]
    fn invisible_characters_are_removed() {
        check(
            "SSN 987\u{200B}-65-\u{200D}4321.",
            "SSN 987-65-4321.",
            &[("987-65-4321", "987\u{200B}-65-\u{200D}4321")],
        );
        check(
            "\u{202E}Jane\u{00AD} Doe",
            "Jane Doe",
            &[("Jane", "Jane"), ("Doe", "Doe")],
        );
    }

    #[test]
    fn full_width_and_styled_characters_become_plain() {
        check(
            "Call ５５５-０１４２ now",
            "Call 555-0142 now",
            &[("555-0142", "５５５-０１４２"), ("now", "now")],
        );
        check("MRN 𝟒𝟓𝟔𝟕𝟖𝟗", "MRN 456789", &[("456789", "𝟒𝟓𝟔𝟕𝟖𝟗")]);
        check("ﬁle 555\u{00A0}0142", "file 555 0142", &[("fi", "ﬁ")]);
        check(
            "555\u{2012}0142 or 555\u{2011}0199",
            "555-0142 or 555-0199",
            &[("555-0199", "555\u{2011}0199")],
        );
    }

    #[test]
    fn lookalike_letters_become_latin_inside_latin_words() {
        // Cyrillic а and о in an otherwise Latin name.
        check("Jаne Dое", "Jane Doe", &[("Jane", "Jаne"), ("Doe", "Dое")]);
        // A Greek word stays Greek; a Russian one stays Russian.
        assert_eq!(normalize("Καλημέρα Jane"), None);
    }

    #[test]
    fn digits_written_one_by_one_close_up() {
        check(
            "call 5 5 5 - 0 1 4 2 ok",
            "call 555-0142 ok",
            &[("555-0142", "5 5 5 - 0 1 4 2")],
        );
        check(
            "ssn 9.8.7.6.5.4.3.2.1",
            "ssn 987654321",
            &[("987654321", "9.8.7.6.5.4.3.2.1")],
        );
        check(
            "9 8 7-6 5-4 3 2 1",
            "987-65-4321",
            &[("987-65-4321", "9 8 7-6 5-4 3 2 1")],
        );
        // Six digits are not enough; numbers with several digits are not spaced-out digits.
        assert_eq!(normalize("rooms 1 2 3 4 5 6"), None);
        assert_eq!(normalize("555 555 0142"), None);
    }

    #[test]
    fn letters_written_for_digits_become_digits() {
        check(
            "555-O142 and 98l-65-4321",
            "555-0142 and 981-65-4321",
            &[("555-0142", "555-O142")],
        );
        check("1O1 Main", "101 Main", &[("101", "1O1")]);
    }

    #[test]
    fn spelled_out_emails_are_written_as_addresses() {
        check(
            "Email jane [at] example [dot] com please",
            "Email jane@example.com please",
            &[("jane@example.com", "jane [at] example [dot] com")],
        );
        check(
            "jane dot doe at example dot org.",
            "jane.doe@example.org.",
            &[("jane.doe@example.org", "jane dot doe at example dot org")],
        );
        check(
            "Reach her at jane.doe [at] example [dot] com",
            "Reach her at jane.doe@example.com",
            &[("jane.doe@example.com", "jane.doe [at] example [dot] com")],
        );
        check(
            "write j.doe(at)example.com",
            "write j.doe@example.com",
            &[("j.doe@example.com", "j.doe(at)example.com")],
        );
        // Everyday "at": a place, or a web address that is not spelled out.
        assert_eq!(normalize("Sign up at example.com today"), None);
        assert_eq!(normalize("Find us online at mercy dot org"), None);
        assert_eq!(normalize("Find us at mercy dot org"), None);
        assert_eq!(normalize("an anecdote at the gala"), None);
    }

    #[test]
    fn offsets_stay_on_character_boundaries() {
        let original = "ǆ\u{200B}５é ﬃ";
        let n = normalize(original).unwrap();
        for t in 0..=n.text.len() {
            if !n.text.is_char_boundary(t) {
                continue;
            }
            let s = n.map.to_source(t);
            assert!(original.is_char_boundary(s), "{t} -> {s}");
            for u in t..=n.text.len() {
                if n.text.is_char_boundary(u) {
                    let r = n.map.range_to_source(t..u);
                    assert!(original.is_char_boundary(r.start) && original.is_char_boundary(r.end));
                }
            }
        }
    }

    proptest::proptest! {
        /// Whatever the text, every character boundary of the normalised text maps to a
        /// character boundary of the original, in order, and ranges map inside the original.
        #[test]
        fn every_offset_maps_back_in_order(
            text in "(?s)([a-z0-9 .@\\[\\]()-]|at|dot|\\PC|\u{200B}|\u{FEFF}|５|о|ﬁ|ǆ){0,40}"
        ) {
            if let Some(n) = normalize(&text) {
                let mut last = 0;
                for t in (0..=n.text.len()).filter(|&t| n.text.is_char_boundary(t)) {
                    let s = n.map.to_source(t);
                    proptest::prop_assert!(text.is_char_boundary(s) && s >= last && s <= text.len());
                    last = s;
                    let r = n.map.range_to_source(t..n.text.len());
                    proptest::prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
                }
                proptest::prop_assert_eq!(n.map.to_source(n.text.len()), text.len());
            }
        }
    }
}
