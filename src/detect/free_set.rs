//! Phase one for rules without keywords: which of their patterns match a text, in one pass.
//!
//! `regex::RegexSet` would do, but it builds a whole meta regex (a reverse automaton, literal
//! prefilters, engines for captures) of which a set search uses only the forward lazy DFA; on
//! the built-in packs that is about half of phiguard's start-up. This builds only what the
//! search uses: the forward NFA without captures, a lazy DFA over it, and the PikeVM for the
//! inputs where the lazy DFA gives up (a Unicode word boundary beside non-ASCII text, a cache
//! that keeps filling).
//!
//! The built-in packs' NFA is compiled by build.rs ([`builtin`]); only patterns it does not
//! have are compiled at start-up.

use regex_automata::hybrid::dfa::{Cache as DfaCache, DFA};
use regex_automata::nfa::thompson::pikevm::{Cache as VmCache, PikeVM};
use regex_automata::nfa::thompson::{self, NFA, WhichCaptures};
use regex_automata::util::pool::Pool;
use regex_automata::util::syntax;
use regex_automata::{Input, MatchKind, PatternSet};

type Caches = (DfaCache, VmCache);
type MakeCaches =
    Box<dyn Fn() -> Caches + Send + Sync + std::panic::RefUnwindSafe + std::panic::UnwindSafe>;

/// Patterns searched together; [`FreeSet::matches`] says which of them match a text.
pub struct FreeSet {
    dfa: DFA,
    vm: PikeVM,
    caches: Pool<Caches, MakeCaches>,
}

impl std::fmt::Debug for FreeSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FreeSet")
            .field("patterns", &self.dfa.pattern_len())
            .finish()
    }
}

impl FreeSet {
    /// Compiles `patterns` (the `regex` crate's syntax and defaults); `None` when one does not
    /// compile or the automaton would pass `size_limit` bytes.
    pub fn new<'a>(
        patterns: impl IntoIterator<Item = &'a str>,
        size_limit: usize,
        cache_capacity: usize,
    ) -> Option<FreeSet> {
        let patterns: Vec<&str> = patterns.into_iter().collect();
        let nfa: NFA = compiler(size_limit).build_many(&patterns).ok()?;
        FreeSet::from_nfa(nfa, cache_capacity)
    }

    /// A set over an NFA compiled by [`compiler`] (or rebuilt from build.rs's).
    fn from_nfa(nfa: NFA, cache_capacity: usize) -> Option<FreeSet> {
        let dfa = DFA::builder()
            .configure(lazy_dfa_config(cache_capacity).match_kind(MatchKind::All))
            .build_from_nfa(nfa.clone())
            .ok()?;
        let vm = PikeVM::builder()
            .configure(PikeVM::config().match_kind(MatchKind::All))
            .build_from_nfa(nfa)
            .ok()?;
        let (d, v) = (dfa.clone(), vm.clone());
        let make: MakeCaches = Box::new(move || (d.create_cache(), v.create_cache()));
        Some(FreeSet {
            dfa,
            vm,
            caches: Pool::new(make),
        })
    }

    /// The patterns that match somewhere in `text`, by index.
    pub fn matches(&self, text: &str) -> PatternSet {
        let mut set = PatternSet::new(self.dfa.pattern_len());
        let input = Input::new(text);
        let mut caches = self.caches.get();
        let (dfa_cache, vm_cache) = &mut *caches;
        if self
            .dfa
            .try_which_overlapping_matches(dfa_cache, &input, &mut set)
            .is_err()
        {
            set.clear();
            self.vm
                .which_overlapping_matches(vm_cache, &input, &mut set);
        }
        set
    }
}

/// Lazy DFA settings for phiguard's searches (phase one and the built-in rules), as the regex
/// crate's own: on non-ASCII bytes where a Unicode `\b` needs them the DFA quits, and it gives
/// up when its cache keeps filling with states that each serve few bytes (an NFA engine takes
/// over either way). Too small a capacity is raised to the least that works.
pub(super) fn lazy_dfa_config(cache_capacity: usize) -> regex_automata::hybrid::dfa::Config {
    DFA::config()
        .unicode_word_boundary(true)
        .cache_capacity(cache_capacity)
        .skip_cache_capacity_check(true)
        .minimum_cache_clear_count(Some(3))
        .minimum_bytes_per_state(Some(10))
}

/// The NFA compiler of phase one (build.rs compiles the built-in packs' alike).
fn compiler(size_limit: usize) -> thompson::Compiler {
    let mut c = thompson::Compiler::new();
    c.syntax(syntax::Config::new()).configure(
        thompson::Config::new()
            .which_captures(WhichCaptures::None)
            .nfa_size_limit(Some(size_limit)),
    );
    c
}

// `BUILTIN_FREE`, `BUILTIN_FREE_NFA`: the built-in packs' phase one, from build.rs.
include!(concat!(env!("OUT_DIR"), "/free_patterns.rs"));

/// Phase one of the built-in packs, rebuilt from the NFA build.rs compiled: pattern `i` of the
/// set is `BUILTIN_FREE[i]`. `None` when build.rs could not compile it.
pub fn builtin(cache_capacity: usize) -> Option<FreeSet> {
    FreeSet::from_nfa(super::nfa_code::decode(BUILTIN_FREE_NFA)?, cache_capacity)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_nfa_is_the_one_compiled_at_run_time() {
        assert!(
            BUILTIN_FREE.len() > 30,
            "build.rs found {}",
            BUILTIN_FREE.len()
        );
        let rebuilt = super::super::nfa_code::decode(BUILTIN_FREE_NFA).unwrap();
        let compiled = compiler(super::super::SET_SIZE_LIMIT)
            .build_many(BUILTIN_FREE)
            .unwrap();
        assert_eq!(rebuilt.pattern_len(), BUILTIN_FREE.len());
        assert_eq!(rebuilt.is_utf8(), compiled.is_utf8());
        assert_eq!(rebuilt.look_set_any(), compiled.look_set_any());
        // The Debug form lists every state, the starts and the byte classes.
        assert_eq!(format!("{rebuilt:?}"), format!("{compiled:?}"));
        // Damaged bytes are refused, not trusted.
        assert!(
            super::super::nfa_code::decode(&BUILTIN_FREE_NFA[..BUILTIN_FREE_NFA.len() - 1])
                .is_none()
        );
        assert!(super::super::nfa_code::decode(&[]).is_none());
    }

    #[test]
    fn says_which_patterns_match_even_where_the_lazy_dfa_gives_up() {
        let set = FreeSet::new(
            [
                r"[0-9]{3}-[0-9]{4}",
                r"\bcafé\b",
                r"(?i:born)\s+in",
                "never",
            ],
            1 << 20,
            1 << 20,
        )
        .unwrap();
        let ids = |t: &str| {
            set.matches(t)
                .iter()
                .map(|p| p.as_usize())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids("call 555-0134, we were BORN in May"), vec![0, 2]);
        // A Unicode word boundary next to non-ASCII text: the PikeVM answers.
        assert_eq!(ids("un café, 555-0199"), vec![0, 1]);
        assert_eq!(ids("nothing here"), Vec::<usize>::new());
        assert!(FreeSet::new(["(unclosed"], 1 << 20, 1 << 20).is_none());
        assert!(FreeSet::new([r"[0-9]{1000}{1000}"], 1 << 20, 1 << 20).is_none());
    }
}
