//! A compact byte form of a Thompson NFA, so that the built-in packs' automata are compiled by
//! build.rs and only rebuilt at start-up (with regex-automata's public NFA builder), not parsed
//! and compiled at every run: phase one (45 patterns, about 8 ms of a one-post scan) and each
//! rule's pattern (up to 3 ms for the largest).
//!
//! Shared with build.rs (`#[path]`), which encodes; the engine decodes. The form is private to
//! one build of phiguard: build.rs and the engine always come from the same source.
//!
//! Layout: a version byte; then, as LEB128 numbers, the anchored and unanchored start states,
//! whether the NFA is UTF-8 and whether it is reversed, the number of patterns and each one's
//! start state, the number of states; then each state as a tag byte and its fields. State
//! identifiers are the NFA's own: the states are added back in order, and the builder numbers
//! them the same way.

use std::sync::Arc;

use regex_automata::nfa::thompson::{Builder, NFA, State, Transition};
use regex_automata::util::look::Look;
use regex_automata::util::primitives::StateID;

const VERSION: u8 = 2;

const BYTE_RANGE: u8 = 0;
const SPARSE: u8 = 1;
const LOOK: u8 = 2;
const UNION: u8 = 3;
const BINARY_UNION: u8 = 4;
const FAIL: u8 = 5;
const MATCH: u8 = 6;
const CAPTURE_START: u8 = 7;
const CAPTURE_END: u8 = 8;

/// The byte form of `nfa`; `None` for an NFA it has no form for (dense states, which the
/// compiler does not make).
#[allow(dead_code)] // build.rs's side (and the tests')
pub fn encode(nfa: &NFA) -> Option<Vec<u8>> {
    let mut out = vec![VERSION];
    let put = |out: &mut Vec<u8>, mut n: u32| {
        while n >= 0x80 {
            out.push((n as u8) | 0x80);
            n >>= 7;
        }
        out.push(n as u8);
    };
    let put_trans = |out: &mut Vec<u8>, t: &Transition| {
        out.push(t.start);
        out.push(t.end);
        put(out, t.next.as_u32());
    };
    put(&mut out, nfa.start_anchored().as_u32());
    put(&mut out, nfa.start_unanchored().as_u32());
    put(&mut out, u32::from(nfa.is_utf8()));
    put(&mut out, u32::from(nfa.is_reverse()));
    put(&mut out, nfa.pattern_len() as u32);
    for p in nfa.patterns() {
        put(&mut out, nfa.start_pattern(p)?.as_u32());
    }
    put(&mut out, nfa.states().len() as u32);
    for state in nfa.states() {
        match state {
            State::ByteRange { trans } => {
                out.push(BYTE_RANGE);
                put_trans(&mut out, trans);
            }
            State::Sparse(sparse) => {
                out.push(SPARSE);
                put(&mut out, sparse.transitions.len() as u32);
                for t in sparse.transitions.iter() {
                    put_trans(&mut out, t);
                }
            }
            State::Look { look, next } => {
                out.push(LOOK);
                put(&mut out, look.as_repr());
                put(&mut out, next.as_u32());
            }
            State::Union { alternates } => {
                out.push(UNION);
                put(&mut out, alternates.len() as u32);
                for a in alternates.iter() {
                    put(&mut out, a.as_u32());
                }
            }
            State::BinaryUnion { alt1, alt2 } => {
                out.push(BINARY_UNION);
                put(&mut out, alt1.as_u32());
                put(&mut out, alt2.as_u32());
            }
            State::Fail => out.push(FAIL),
            State::Match { pattern_id } => {
                out.push(MATCH);
                put(&mut out, pattern_id.as_u32());
            }
            State::Capture {
                next,
                pattern_id,
                group_index,
                slot,
            } => {
                // A group's two slots are consecutive, the start's first.
                let start = slot.as_usize()
                    == nfa.group_info().slot(*pattern_id, group_index.as_usize())?;
                out.push(if start { CAPTURE_START } else { CAPTURE_END });
                put(&mut out, pattern_id.as_u32());
                put(&mut out, group_index.as_u32());
                if start {
                    match nfa
                        .group_info()
                        .to_name(*pattern_id, group_index.as_usize())
                    {
                        Some(name) => {
                            put(&mut out, name.len() as u32 + 1);
                            out.extend_from_slice(name.as_bytes());
                        }
                        None => put(&mut out, 0),
                    }
                }
                put(&mut out, next.as_u32());
            }
            State::Dense(_) => return None,
        }
    }
    Some(out)
}

/// Reads bytes in [`encode`]'s form.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    states: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn number(&mut self) -> Option<u32> {
        let mut n: u32 = 0;
        for shift in (0..35).step_by(7) {
            let b = self.byte()?;
            // The fifth byte holds the top 4 bits of 32.
            if shift == 28 && b > 0x0f {
                return None;
            }
            n |= u32::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(n);
            }
        }
        None
    }

    /// A count of at least `least` (the builder turns a union or sparse state of fewer into
    /// another kind of state).
    fn count(&mut self, least: usize) -> Option<usize> {
        let n = self.number()? as usize;
        (n >= least).then_some(n)
    }

    /// A state identifier, checked against the number of states.
    fn state(&mut self) -> Option<StateID> {
        let n = self.number()? as usize;
        (n < self.states).then(|| StateID::new(n).ok())?
    }

    fn transition(&mut self) -> Option<Transition> {
        let (start, end) = (self.byte()?, self.byte()?);
        let next = self.state()?;
        (start <= end).then_some(Transition { start, end, next })
    }
}

/// The NFA [`encode`] wrote; `None` when the bytes are not in its form.
pub fn decode(bytes: &[u8]) -> Option<NFA> {
    let mut r = Reader {
        bytes,
        at: 0,
        states: usize::MAX,
    };
    if r.byte()? != VERSION {
        return None;
    }
    // The starts are checked once the number of states is known.
    let (anchored, unanchored) = (r.number()? as usize, r.number()? as usize);
    let utf8 = r.number()? == 1;
    let reverse = r.number()? == 1;
    let patterns = r.number()? as usize;
    let starts = (0..patterns)
        .map(|_| r.number().map(|n| n as usize))
        .collect::<Option<Vec<usize>>>()?;
    r.states = r.number()? as usize;
    if anchored >= r.states || unanchored >= r.states || starts.iter().any(|&s| s >= r.states) {
        return None;
    }
    let mut b = Builder::new();
    b.set_utf8(utf8);
    b.set_reverse(reverse);
    // A pattern is started by the first of its states that needs it (a capture or its match)
    // and finished by its match; patterns are numbered in the order they come.
    let mut open: Option<usize> = None;
    // Groups started in the open pattern, and whether the patterns have groups at all (all of
    // them or none: the builder's group table is per pattern).
    let mut started: Vec<u32> = Vec::new();
    let mut grouped: Option<bool> = None;
    let enter = |b: &mut Builder, open: &mut Option<usize>, p: usize| -> Option<()> {
        match *open {
            Some(q) if q == p => Some(()),
            Some(_) => None,
            None if b.pattern_len() == p && p < patterns => {
                b.start_pattern().ok()?;
                *open = Some(p);
                Some(())
            }
            None => None,
        }
    };
    for _ in 0..r.states {
        match r.byte()? {
            BYTE_RANGE => {
                let t = r.transition()?;
                b.add_range(t).ok()?;
            }
            SPARSE => {
                let n = r.count(2)?;
                let ts = (0..n).map(|_| r.transition()).collect::<Option<Vec<_>>>()?;
                b.add_sparse(ts).ok()?;
            }
            LOOK => {
                let look = Look::from_repr(r.number()?)?;
                let next = r.state()?;
                b.add_look(next, look).ok()?;
            }
            UNION => {
                // Two alternatives are a binary union.
                let n = r.count(3)?;
                let alts = (0..n).map(|_| r.state()).collect::<Option<Vec<_>>>()?;
                b.add_union(alts).ok()?;
            }
            BINARY_UNION => {
                let alts = vec![r.state()?, r.state()?];
                b.add_union(alts).ok()?;
            }
            FAIL => {
                b.add_fail().ok()?;
            }
            MATCH => {
                let p = r.number()? as usize;
                enter(&mut b, &mut open, p)?;
                let has_groups = started.contains(&0);
                if *grouped.get_or_insert(has_groups) != has_groups {
                    return None;
                }
                started.clear();
                b.add_match().ok()?;
                b.finish_pattern(StateID::new(starts[p]).ok()?).ok()?;
                open = None;
            }
            tag @ (CAPTURE_START | CAPTURE_END) => {
                let p = r.number()? as usize;
                enter(&mut b, &mut open, p)?;
                let group = r.number()?;
                if tag == CAPTURE_START {
                    let name = match r.number()? as usize {
                        0 => None,
                        n => {
                            let end = r.at.checked_add(n - 1)?;
                            let name = std::str::from_utf8(r.bytes.get(r.at..end)?).ok()?;
                            r.at = end;
                            Some(Arc::from(name))
                        }
                    };
                    let next = r.state()?;
                    // Groups start in order, the implicit group 0 first.
                    if group as usize > started.len() {
                        return None;
                    }
                    if !started.contains(&group) {
                        started.push(group);
                    }
                    b.add_capture_start(next, group, name).ok()?;
                } else {
                    let next = r.state()?;
                    // A group ends only once it has started.
                    if !started.contains(&group) {
                        return None;
                    }
                    b.add_capture_end(next, group).ok()?;
                }
            }
            _ => return None,
        }
    }
    if r.at != bytes.len() || open.is_some() || b.pattern_len() != patterns {
        return None;
    }
    b.build(StateID::new(anchored).ok()?, StateID::new(unanchored).ok()?)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_automata::PatternID;
    use regex_automata::nfa::thompson::{self, WhichCaptures};

    fn compile(patterns: &[&str]) -> NFA {
        thompson::Compiler::new()
            .configure(thompson::Config::new().which_captures(WhichCaptures::None))
            .build_many(patterns)
            .unwrap()
    }

    #[test]
    fn an_nfa_comes_back_state_for_state() {
        // Byte ranges, sparse states, unions of two and more, word boundaries, a class that
        // can never match (a fail state) and several patterns.
        let nfa = compile(&[
            r"\b(?:ab|cd|ef)[0-9]{2,4}\b",
            r"(?i)straße",
            r"[^\x00-\x{10FFFF}]",
            "x+y",
        ]);
        let kinds = |pick: fn(&State) -> bool| nfa.states().iter().filter(|s| pick(s)).count();
        assert!(kinds(|s| matches!(s, State::ByteRange { .. })) > 0);
        assert!(kinds(|s| matches!(s, State::Sparse(_))) > 0);
        assert!(kinds(|s| matches!(s, State::Look { .. })) > 0);
        assert!(kinds(|s| matches!(s, State::Union { .. })) > 0);
        assert!(kinds(|s| matches!(s, State::BinaryUnion { .. })) > 0);
        assert!(kinds(|s| matches!(s, State::Fail)) > 0);
        let bytes = encode(&nfa).unwrap();
        let back = decode(&bytes).unwrap();
        assert_eq!(format!("{back:?}"), format!("{nfa:?}"));
        assert_eq!(back.pattern_len(), 4);
        assert!(back.is_utf8());
    }

    #[test]
    fn damaged_bytes_are_refused() {
        let bytes = encode(&compile(&["ab|cd"])).unwrap();
        // Cut short, a byte too many, another version.
        assert!(decode(&bytes[..bytes.len() - 1]).is_none());
        assert!(decode(&[&bytes[..], &[0]].concat()).is_none());
        assert!(decode(&[&[9u8][..], &bytes[1..]].concat()).is_none());
        // A state that points past the last one: version, starts 0 and 0, UTF-8, forward, one
        // pattern starting at 0, one state: a byte range to state 7.
        assert!(decode(&[VERSION, 0, 0, 1, 0, 1, 0, 1, BYTE_RANGE, b'a', b'a', 7]).is_none());
        // A number that does not end, or passes 32 bits.
        assert!(decode(&[VERSION, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]).is_none());
        assert!(decode(&[VERSION, 0x80, 0x80, 0x80, 0x80, 0x10]).is_none());
        // A union of one alternative pointing at itself (an endless chain of empty states for
        // the builder): version, starts 0 and 0, UTF-8, forward, one pattern starting at 0,
        // two states: the union, a match.
        assert!(decode(&[VERSION, 0, 0, 1, 0, 1, 0, 2, UNION, 1, 0, MATCH, 0]).is_none());
        // A group that ends without having started.
        assert!(decode(&[VERSION, 0, 0, 1, 0, 1, 0, 2, CAPTURE_END, 0, 0, 1, MATCH, 0]).is_none());
    }

    #[test]
    fn captures_names_and_reversed_nfas_come_back() {
        let captures = thompson::Compiler::new()
            .build_many(&[r"(?P<value>[0-9]+)-(x|y)?", r"(a)(?:b)"])
            .unwrap();
        let back = decode(&encode(&captures).unwrap()).unwrap();
        assert_eq!(format!("{back:?}"), format!("{captures:?}"));
        let info = back.group_info();
        assert_eq!(info.group_len(PatternID::ZERO), 3);
        assert_eq!(info.to_index(PatternID::ZERO, "value"), Some(1));
        assert_eq!(info.group_len(PatternID::must(1)), 2);

        let reversed = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .reverse(true)
                    .which_captures(WhichCaptures::None),
            )
            .build(r"café [0-9]{2}")
            .unwrap();
        let back = decode(&encode(&reversed).unwrap()).unwrap();
        assert!(back.is_reverse());
        assert_eq!(format!("{back:?}"), format!("{reversed:?}"));
    }
}
