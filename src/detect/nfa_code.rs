//! A compact byte form of a Thompson NFA, so that phase one of the built-in packs is compiled
//! by build.rs and only rebuilt at start-up (with regex-automata's public NFA builder), not
//! parsed and compiled from 45 patterns at every run: about 8 ms of a one-post scan.
//!
//! Shared with build.rs (`#[path]`), which encodes; the engine decodes. The form is private to
//! one build of phiguard: build.rs and the engine always come from the same source.
//!
//! Layout: a version byte; then, as LEB128 numbers, the anchored and unanchored start states,
//! whether the NFA is UTF-8, the number of patterns and each one's start state, the number of
//! states; then each state as a tag byte and its fields. State identifiers are the NFA's own:
//! the states are added back in order, and the builder numbers them the same way.

use regex_automata::nfa::thompson::{Builder, NFA, State, Transition};
use regex_automata::util::look::Look;
use regex_automata::util::primitives::StateID;

const VERSION: u8 = 1;

const BYTE_RANGE: u8 = 0;
const SPARSE: u8 = 1;
const LOOK: u8 = 2;
const UNION: u8 = 3;
const BINARY_UNION: u8 = 4;
const FAIL: u8 = 5;
const MATCH: u8 = 6;

/// The byte form of `nfa`; `None` for states it has no form for (capture states: phase one
/// compiles without captures).
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
            State::Dense(_) | State::Capture { .. } => return None,
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
            n |= u32::from(b & 0x7f).checked_shl(shift)?;
            if b < 0x80 {
                return Some(n);
            }
        }
        None
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
    for _ in 0..r.states {
        match r.byte()? {
            BYTE_RANGE => {
                let t = r.transition()?;
                b.add_range(t).ok()?;
            }
            SPARSE => {
                let n = r.number()? as usize;
                let ts = (0..n).map(|_| r.transition()).collect::<Option<Vec<_>>>()?;
                b.add_sparse(ts).ok()?;
            }
            LOOK => {
                let look = Look::from_repr(r.number()?)?;
                let next = r.state()?;
                b.add_look(next, look).ok()?;
            }
            UNION => {
                let n = r.number()? as usize;
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
                // Patterns are numbered in the order their match states come.
                let p = r.number()? as usize;
                if b.pattern_len() != p || p >= patterns {
                    return None;
                }
                b.start_pattern().ok()?;
                b.add_match().ok()?;
                b.finish_pattern(StateID::new(starts[p]).ok()?).ok()?;
            }
            _ => return None,
        }
    }
    if r.at != bytes.len() || b.pattern_len() != patterns {
        return None;
    }
    b.build(StateID::new(anchored).ok()?, StateID::new(unanchored).ok()?)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
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
        // A state that points past the last one: version, starts 0 and 0, UTF-8, one pattern
        // starting at 0, one state: a byte range to state 7.
        assert!(decode(&[VERSION, 0, 0, 1, 1, 0, 1, BYTE_RANGE, b'a', b'a', 7]).is_none());
        // A number that does not end.
        assert!(decode(&[VERSION, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]).is_none());
        // Captures have no form.
        let with_captures = thompson::Compiler::new().build("(a)").unwrap();
        assert!(encode(&with_captures).is_none());
    }
}
