//! A rule's compiled pattern.
//!
//! Patterns of packs that are not built in are compiled by the regex crate. A built-in rule's
//! pattern was compiled by build.rs into a forward NFA (with the value's group) and a reversed
//! one (`nfa_code`); when a post first needs the rule they become a lazy-DFA regex, which takes
//! microseconds where compiling the pattern takes up to 3 ms (the e-mail pattern's Unicode
//! classes). Matches are the regex crate's: leftmost-first, one after another, the value's group
//! found by an anchored search over the match alone, as the regex crate does itself.

use std::ops::Range;

use regex::Regex;
use regex_automata::hybrid::dfa::{Cache as DfaCache, DFA};
use regex_automata::nfa::thompson::NFA;
use regex_automata::nfa::thompson::backtrack::{BoundedBacktracker, Cache as BacktrackCache};
use regex_automata::nfa::thompson::pikevm::{Cache as VmCache, PikeVM};
use regex_automata::util::captures::Captures;
use regex_automata::util::pool::Pool;
use regex_automata::{Anchored, Input, MatchError, MatchKind, PatternID, Span};

use super::nfa_code;

/// A rule's pattern, ready to search.
#[derive(Debug)]
pub enum RuleRegex {
    /// Compiled by the regex crate; `group` when it has the value's group.
    Compiled { regex: Regex, group: bool },
    /// A built-in pattern, from build.rs's NFAs.
    Built(Box<Built>),
}

impl RuleRegex {
    /// Calls `f` with the range of each value in `text`, in order: the first group's when the
    /// pattern has one (a match where the group takes no part gives none), else the match's.
    pub fn values(&self, text: &str, mut f: impl FnMut(Range<usize>)) {
        match self {
            RuleRegex::Compiled { regex, group } => {
                for caps in regex.captures_iter(text) {
                    if let Some(m) = caps.get(usize::from(*group)) {
                        f(m.range());
                    }
                }
            }
            RuleRegex::Built(built) => built.values(text, f),
        }
    }

    /// The built-in pattern `pattern` from build.rs's NFAs; `None` when build.rs did not
    /// compile it (it is not built in, or could match the empty string).
    pub fn built_in(pattern: &str) -> Option<RuleRegex> {
        let (_, forward, reverse) = BUILTIN_RULES.iter().find(|(p, _, _)| *p == pattern)?;
        let forward = nfa_code::decode(BUILTIN_RULE_NFAS.get(forward.clone())?)?;
        let reverse = nfa_code::decode(BUILTIN_RULE_NFAS.get(reverse.clone())?)?;
        Some(RuleRegex::Built(Box::new(Built::new(forward, reverse)?)))
    }
}

// `BUILTIN_RULES`, `BUILTIN_RULE_NFAS`: the built-in rules' NFAs, from build.rs.
include!(concat!(env!("OUT_DIR"), "/rule_patterns.rs"));

struct Caches {
    forward: DfaCache,
    reverse: DfaCache,
    backtrack: BacktrackCache,
    vm: VmCache,
    caps: Captures,
}

type MakeCaches =
    Box<dyn Fn() -> Caches + Send + Sync + std::panic::RefUnwindSafe + std::panic::UnwindSafe>;

/// Lazy DFAs (forward for a match's end, reversed for its start), and for the groups and
/// where a lazy DFA gives up, the bounded backtracker (short texts) or the PikeVM.
pub struct Built {
    forward: DFA,
    reverse: DFA,
    backtrack: BoundedBacktracker,
    vm: PikeVM,
    group: bool,
    caches: Pool<Caches, MakeCaches>,
}

impl std::fmt::Debug for Built {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Built").field("group", &self.group).finish()
    }
}

/// The lazy DFA cache of each direction, as the regex crate's default.
const CACHE_CAPACITY: usize = 2 << 20;

impl Built {
    /// `forward` must not match the empty string (build.rs checks): each match then ends
    /// after the last, and the search moves on from its end.
    fn new(forward: NFA, reverse: NFA) -> Option<Built> {
        let config = super::free_set::lazy_dfa_config(CACHE_CAPACITY);
        let fwd = DFA::builder()
            .configure(config.clone().match_kind(MatchKind::LeftmostFirst))
            .build_from_nfa(forward.clone())
            .ok()?;
        // As regex-automata's own lazy-DFA regex builds its reverse half.
        let rev = DFA::builder()
            .configure(
                config
                    .match_kind(MatchKind::All)
                    .specialize_start_states(false),
            )
            .build_from_nfa(reverse)
            .ok()?;
        let backtrack = BoundedBacktracker::builder()
            .build_from_nfa(forward.clone())
            .ok()?;
        let vm = PikeVM::builder().build_from_nfa(forward.clone()).ok()?;
        let group = forward.group_info().group_len(PatternID::ZERO) > 1;
        let (f, r, b, v) = (fwd.clone(), rev.clone(), backtrack.clone(), vm.clone());
        let make: MakeCaches = Box::new(move || Caches {
            forward: f.create_cache(),
            reverse: r.create_cache(),
            backtrack: b.create_cache(),
            vm: v.create_cache(),
            caps: v.create_captures(),
        });
        Some(Built {
            forward: fwd,
            reverse: rev,
            backtrack,
            vm,
            group,
            caches: Pool::new(make),
        })
    }

    fn values(&self, text: &str, mut f: impl FnMut(Range<usize>)) {
        let mut guard = self.caches.get();
        let caches = &mut *guard;
        let mut at = 0;
        while at < text.len() {
            let rest = Input::new(text).range(at..);
            let found = match self.find(caches, &rest) {
                Ok(None) => break,
                // The groups: an anchored search over the match alone finds the same match.
                Ok(Some(m)) => {
                    self.captures(caches, &Input::new(text).span(m).anchored(Anchored::Yes));
                    Some(m)
                }
                // The lazy DFA gave up (its cache kept filling): the NFA takes the rest.
                Err(_) => {
                    self.captures(caches, &rest);
                    None
                }
            };
            let Some(m) = caches.caps.get_match() else {
                // The NFA found nothing in the rest; the anchored search always finds the lazy
                // DFAs' match.
                debug_assert!(found.is_none(), "the groups' search missed {found:?}");
                break;
            };
            if self.group {
                if let Some(span) = caches.caps.get_group(1) {
                    f(span.range());
                }
            } else {
                f(m.range());
            }
            // Never empty (see `new`), so this moves on.
            at = m.end().max(at + 1);
        }
    }

    /// The leftmost-first match in `input`: its end by the forward lazy DFA, then its start by
    /// the reversed one, anchored at that end (what regex-automata's lazy-DFA regex does).
    fn find(&self, caches: &mut Caches, input: &Input<'_>) -> Result<Option<Span>, MatchError> {
        let Some(end) = self.forward.try_search_fwd(&mut caches.forward, input)? else {
            return Ok(None);
        };
        let back = input
            .clone()
            .span(input.start()..end.offset())
            .anchored(Anchored::Yes)
            .earliest(false);
        // The reversed search always matches where the forward one did; if it ever did not,
        // the NFA would take over.
        let start = self
            .reverse
            .try_search_rev(&mut caches.reverse, &back)?
            .ok_or_else(|| MatchError::gave_up(end.offset()))?;
        Ok(Some(Span::from(start.offset()..end.offset())))
    }

    fn captures(&self, caches: &mut Caches, input: &Input<'_>) {
        if input.get_span().len() <= self.backtrack.max_haystack_len()
            && self
                .backtrack
                .try_search(&mut caches.backtrack, input, &mut caches.caps)
                .is_ok()
        {
            return;
        }
        self.vm.search(&mut caches.vm, input, &mut caches.caps);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::{PackSource, parse};

    fn values(re: &RuleRegex, text: &str) -> Vec<Range<usize>> {
        let mut found = Vec::new();
        re.values(text, |r| found.push(r));
        found
    }

    #[test]
    fn every_built_in_rule_finds_what_the_regex_crate_finds() {
        let rules: Vec<_> = PackSource::builtin()
            .iter()
            .flat_map(|src| parse(src).unwrap().0.rules)
            .collect();
        // Every rule's examples, the evaluation posts, and texts where lazy DFAs and groups
        // are tested hardest: non-ASCII beside values, matches back to back, a long text.
        let mut texts: Vec<String> = rules
            .iter()
            .flat_map(|r| r.examples.iter().chain(&r.negative_examples))
            .map(|e| e.text().to_owned())
            .collect();
        for line in include_str!("../../fixtures/eval/posts.jsonl").lines() {
            let post: serde_json::Value = serde_json::from_str(line).unwrap();
            texts.push(post["text"].as_str().unwrap().to_owned());
        }
        texts.extend(
            [
                "né le 03/14/2019 à 8h, tél (555) 555-0142📞, josé.ñúñez@example.com",
                "555-0142555-0143 555-0144",
                "DOB:01/02/2003DOB:04/05/2006 born 1/2",
                "ＤＯＢ 03/14/2019 — 123 Main St., Apt 4 · 𝟓𝟓𝟓-𝟎𝟏𝟒𝟐",
            ]
            .map(str::to_owned),
        );
        texts.push(texts.join(" \n "));
        let mut checked = 0;
        for rule in &rules {
            let built = RuleRegex::built_in(&rule.regex)
                .unwrap_or_else(|| panic!("build.rs did not compile {}", rule.id));
            assert!(matches!(built, RuleRegex::Built(_)));
            let (regex, group) = super::super::compile_rule(&rule.regex).unwrap();
            let compiled = RuleRegex::Compiled { regex, group };
            for text in &texts {
                assert_eq!(
                    values(&built, text),
                    values(&compiled, text),
                    "{} on {text:?}",
                    rule.id
                );
                checked += values(&compiled, text).len();
            }
        }
        // The comparison is not vacuous.
        assert!(checked > 1000, "{checked}");
        assert!(RuleRegex::built_in("not a built-in pattern").is_none());
    }

    #[test]
    fn where_the_lazy_dfa_gives_up_the_nfa_finds_the_same() {
        use regex_automata::nfa::thompson::{self, WhichCaptures};
        // A Unicode word boundary: the lazy DFA quits at the first non-ASCII byte.
        let pattern = r"\b(?:no\.?\s*)?([0-9]{3})\b";
        let forward = thompson::Compiler::new().build(pattern).unwrap();
        let reverse = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .which_captures(WhichCaptures::None)
                    .reverse(true),
            )
            .build(pattern)
            .unwrap();
        let built = RuleRegex::Built(Box::new(Built::new(forward, reverse).unwrap()));
        let compiled = RuleRegex::Compiled {
            regex: Regex::new(pattern).unwrap(),
            group: true,
        };
        for text in [
            "no. 123 café 456 ñ789 012é 345",
            "ASCII only: no 101, 202 and 3030",
            "é",
        ] {
            assert_eq!(values(&built, text), values(&compiled, text), "{text:?}");
        }
        // Written out: "123" and "456" (the groups, without "no. "), "345"; not "789" or
        // "012", which touch letters.
        assert_eq!(
            values(&built, "no. 123 café 456 ñ789 012é 345"),
            vec![4..7, 14..17, 30..33]
        );
    }
}
