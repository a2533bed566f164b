//! Detection: compiled packs and the two-phase matcher.
//!
//! Phase one is cheap and looks at the whole segment once: an Aho-Corasick automaton finds every
//! rule keyword (ASCII case-insensitive, on word boundaries), and a `RegexSet` over the rules
//! that have no keywords says which of them can match at all. Phase two runs the capturing regex
//! of the rules that survived, checks each candidate's keyword window, exclusions and
//! validator, and applies boosts. Overlapping candidates are then resolved deterministically
//! (see [`resolve_overlaps`]).
//!
//! Detection never prints and never knows about reports.

use std::ops::Range;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};

use crate::category::{Category, RiskLevel};
use crate::pack::{Diagnostic, Pack, Window};
use crate::text::{step_back, step_forward};
use crate::validate::Validator;

/// Compiled-program size limit for one rule's regex, in bytes. A pattern that needs more
/// (usually a huge counted repetition) is rejected with the rule named.
pub const REGEX_SIZE_LIMIT: usize = 2 << 20;
/// Size limit for the combined phase-one set. Exceeding it only disables the set.
const SET_SIZE_LIMIT: usize = 64 << 20;

/// What reports need to know about a rule.
#[derive(Debug, Clone)]
pub struct RuleInfo {
    pub id: String,
    pub pack: String,
    /// The pack file the rule came from.
    pub file: String,
    /// 1-based line of the rule in its pack file.
    pub line: usize,
    pub category: Category,
    pub description: String,
    pub severity: RiskLevel,
    pub confidence: f64,
    pub validator: Option<Validator>,
    pub references: Vec<String>,
    /// Why a boosted finding matters: each boost's `reason`, in pack order.
    pub boost_reasons: Vec<Option<String>>,
}

/// Where a rule looks for one list of keywords.
#[derive(Debug)]
struct Context {
    /// `(before, after)` in characters; `None` means anywhere in the segment.
    window: Option<(usize, usize)>,
    /// Index of this context's keyword occurrences in a scan's hit lists.
    slot: usize,
}

#[derive(Debug)]
struct BoostContext {
    ctx: Context,
    confidence: f64,
    severity: Option<RiskLevel>,
}

#[derive(Debug)]
struct CompiledRule {
    info: Arc<RuleInfo>,
    regex: Regex,
    /// Whether the value is capture group 1 (else the whole match).
    has_group: bool,
    /// Present when the rule has keywords: one must be near the value.
    required: Option<Context>,
    boosts: Vec<BoostContext>,
    excludes: Vec<Context>,
}

/// One use of a keyword: by which rule, for which context slot, and whether it is one of the
/// rule's required keywords (which also makes the rule run).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Use {
    rule: usize,
    slot: usize,
    required: bool,
}

#[derive(Debug)]
struct Keyword {
    uses: Vec<Use>,
    /// Whether the keyword starts/ends with a letter or digit (then it must sit on a boundary).
    starts_alnum: Option<bool>,
    ends_alnum: Option<bool>,
}

/// One accepted detection in a segment's text.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// Index of the rule in [`Engine::rules`].
    pub rule: usize,
    /// Byte range of the value in the scanned text.
    pub range: Range<usize>,
    pub confidence: f64,
    pub severity: RiskLevel,
    /// The boost (index into the rule's boosts) that applied, if any.
    pub boost: Option<usize>,
}

/// Packs compiled for scanning. Build once per process; it is `Sync`, so worker threads share it.
#[derive(Debug)]
pub struct Engine {
    rules: Vec<CompiledRule>,
    keywords: Option<AhoCorasick>,
    keyword_info: Vec<Keyword>,
    /// How many context slots the rules have (the length of a scan's hit lists).
    slots: usize,
    /// Rules without keywords, which phase one checks with `free_set`.
    free: Vec<usize>,
    free_set: Option<RegexSet>,
}

impl Engine {
    /// Compiles packs. Every problem is reported, each naming its file, line and rule.
    pub fn build(packs: &[Pack]) -> Result<Engine, Vec<Diagnostic>> {
        let mut diags = Vec::new();
        let mut rules = Vec::new();
        let mut specs = Vec::new();
        let mut slots = 0;
        let mut seen: std::collections::HashMap<&str, (&str, usize)> = Default::default();
        for pack in packs {
            for rule in &pack.rules {
                let diag = |msg: String| {
                    Diagnostic::error(&pack.file, msg)
                        .at(rule.regex_line, None)
                        .rule(&rule.id)
                };
                if let Some((file, line)) = seen.get(rule.id.as_str()) {
                    diags.push(
                        Diagnostic::error(
                            &pack.file,
                            format!("duplicate rule id (also defined at {file}:{line})"),
                        )
                        .at(rule.line, None)
                        .rule(&rule.id),
                    );
                    continue;
                }
                seen.insert(&rule.id, (&pack.file, rule.line));
                let regex = match RegexBuilder::new(&rule.regex)
                    .size_limit(REGEX_SIZE_LIMIT)
                    .build()
                {
                    Ok(r) => r,
                    Err(regex::Error::CompiledTooBig(limit)) => {
                        diags.push(diag(format!(
                            "regex is too large once compiled (over {limit} bytes); \
                             reduce counted repetitions like {{1,500}} or large Unicode classes"
                        )));
                        continue;
                    }
                    Err(err) => {
                        diags.push(diag(format!("regex does not compile:\n{err}")));
                        continue;
                    }
                };
                if regex.captures_len() > 2 {
                    diags.push(diag(format!(
                        "regex has {} capture groups; use at most one (the value) and \
                         `(?:...)` for the rest",
                        regex.captures_len() - 1
                    )));
                    continue;
                }
                if regex.is_match("") {
                    diags.push(diag("regex matches the empty string".into()));
                    continue;
                }
                specs.push(rule);
                let mut ctx = |w: Option<Window>| {
                    slots += 1;
                    Context {
                        window: w.map(Window::sides),
                        slot: slots - 1,
                    }
                };
                rules.push(CompiledRule {
                    has_group: regex.captures_len() == 2,
                    regex,
                    required: (!rule.keywords.is_empty()).then(|| ctx(rule.window)),
                    boosts: rule
                        .boost
                        .iter()
                        .map(|b| BoostContext {
                            ctx: ctx(b.window),
                            confidence: b.confidence,
                            severity: b.severity,
                        })
                        .collect(),
                    excludes: rule.exclude.iter().map(|x| ctx(x.window)).collect(),
                    info: Arc::new(RuleInfo {
                        id: rule.id.clone(),
                        pack: pack.id.clone(),
                        file: pack.file.clone(),
                        line: rule.line,
                        category: rule.category,
                        description: rule.description.clone(),
                        severity: rule.severity,
                        confidence: rule.confidence,
                        validator: rule.validator,
                        references: rule.references.clone(),
                        boost_reasons: rule.boost.iter().map(|b| b.reason.clone()).collect(),
                    }),
                });
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }

        // Keywords: one automaton for all rules and roles.
        let mut patterns: Vec<String> = Vec::new();
        let mut keyword_info: Vec<Keyword> = Vec::new();
        let mut index: std::collections::HashMap<String, usize> = Default::default();
        let mut add_one = |kw: String, u: Use| {
            let i = *index.entry(kw.clone()).or_insert_with(|| {
                keyword_info.push(Keyword {
                    uses: Vec::new(),
                    starts_alnum: kw.chars().next().map(|c| c.is_alphanumeric()),
                    ends_alnum: kw.chars().next_back().map(|c| c.is_alphanumeric()),
                });
                patterns.push(kw);
                keyword_info.len() - 1
            });
            if !keyword_info[i].uses.contains(&u) {
                keyword_info[i].uses.push(u);
            }
        };
        // The automaton folds ASCII case only; a keyword with other letters is also added in
        // upper case and title case ("número", "NÚMERO", "Número").
        let mut add = |kw: &str, u: Use| {
            let lower = kw.trim().to_lowercase();
            if !lower.is_ascii() {
                let mut title: String =
                    lower.chars().take(1).flat_map(char::to_uppercase).collect();
                title.extend(lower.chars().skip(1));
                add_one(lower.to_uppercase(), u);
                add_one(title, u);
            }
            add_one(lower, u);
        };
        let mut free = Vec::new();
        for (i, (spec, rule)) in specs.iter().zip(&rules).enumerate() {
            let lists = rule
                .required
                .iter()
                .map(|c| (&spec.keywords, c, true))
                .chain(
                    spec.boost
                        .iter()
                        .zip(&rule.boosts)
                        .map(|(b, c)| (&b.keywords, &c.ctx, false)),
                )
                .chain(
                    spec.exclude
                        .iter()
                        .zip(&rule.excludes)
                        .map(|(x, c)| (&x.keywords, c, false)),
                );
            for (keywords, ctx, required) in lists {
                for k in keywords {
                    add(
                        k,
                        Use {
                            rule: i,
                            slot: ctx.slot,
                            required,
                        },
                    );
                }
            }
            if spec.keywords.is_empty() {
                free.push(i);
            }
        }
        let keywords = if patterns.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .build(&patterns)
                    .map_err(|e| vec![Diagnostic::error("packs", format!("keywords: {e}"))])?,
            )
        };
        let free_set = RegexSetBuilder::new(free.iter().map(|&i| rules[i].regex.as_str()))
            .size_limit(SET_SIZE_LIMIT)
            .dfa_size_limit(32 << 20)
            .build()
            .ok();
        Ok(Engine {
            rules,
            keywords,
            keyword_info,
            slots,
            free,
            free_set,
        })
    }

    /// Every compiled rule, in pack order.
    pub fn rules(&self) -> impl ExactSizeIterator<Item = &Arc<RuleInfo>> {
        self.rules.iter().map(|r| &r.info)
    }

    /// The rule at `index` (as in [`Match::rule`]).
    pub fn rule(&self, index: usize) -> &Arc<RuleInfo> {
        &self.rules[index].info
    }

    /// Finds identifiers in `text`. Matches are sorted by position and never overlap.
    pub fn scan(&self, text: &str) -> Vec<Match> {
        self.scan_detailed(text).0
    }

    /// Like [`Engine::scan`], and also returns the ranges of candidates that lost an overlap
    /// (reports mask them too: a losing candidate can reach beyond the winner).
    pub fn scan_detailed(&self, text: &str) -> (Vec<Match>, Vec<Range<usize>>) {
        if text.is_empty() {
            return (Vec::new(), Vec::new());
        }
        let n = self.rules.len();
        let mut active = vec![false; n];
        // Keyword occurrences per context slot, in text order.
        let mut hits: Vec<Vec<Range<usize>>> = Vec::new();
        if let Some(ac) = &self.keywords {
            for m in ac.find_overlapping_iter(text) {
                let kw = &self.keyword_info[m.pattern().as_usize()];
                if !on_boundary(text, m.start(), m.end(), kw) {
                    continue;
                }
                if hits.is_empty() {
                    hits = vec![Vec::new(); self.slots];
                }
                for u in &kw.uses {
                    hits[u.slot].push(m.start()..m.end());
                    active[u.rule] |= u.required;
                }
            }
        }
        match &self.free_set {
            Some(set) => {
                for i in set.matches(text).iter() {
                    active[self.free[i]] = true;
                }
            }
            None => {
                for &i in &self.free {
                    active[i] = true;
                }
            }
        }

        // Character windows are byte windows in ASCII text.
        let ascii = text.is_ascii();
        // Overlapping matches come in order of their end; windows look them up by start.
        for slot in &mut hits {
            slot.sort_unstable_by_key(|h| (h.start, h.end));
        }
        let near = |range: &Range<usize>, ctx: &Context| {
            let hits = hits.get(ctx.slot).map_or(&[][..], Vec::as_slice);
            match ctx.window {
                None => !hits.is_empty(),
                Some((before, after)) => {
                    let (lo, hi) = if ascii {
                        (
                            range.start.saturating_sub(before),
                            range.end.saturating_add(after).min(text.len()),
                        )
                    } else {
                        (
                            step_back(text.as_bytes(), range.start, 0, before),
                            step_forward(text.as_bytes(), range.end, text.len(), after),
                        )
                    };
                    let first = hits.partition_point(|h| h.start < lo);
                    hits[first..]
                        .iter()
                        .take_while(|h| h.start < hi)
                        .any(|h| h.end <= hi)
                }
            }
        };
        let mut candidates = Vec::new();
        for (i, rule) in self.rules.iter().enumerate() {
            if !active[i] {
                continue;
            }
            for caps in rule.regex.captures_iter(text) {
                let m = if rule.has_group {
                    caps.get(1)
                } else {
                    caps.get(0)
                };
                let Some(m) = m else { continue };
                if m.is_empty() {
                    continue;
                }
                let range = m.range();
                if rule.required.as_ref().is_some_and(|c| !near(&range, c))
                    || rule.excludes.iter().any(|c| near(&range, c))
                {
                    continue;
                }
                if let Some(v) = rule.info.validator
                    && !v.check(m.as_str())
                {
                    continue;
                }
                let mut confidence = rule.info.confidence;
                let mut severity = rule.info.severity;
                // The strongest boost present applies (ties: the first listed).
                let boost = rule
                    .boosts
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| near(&range, &b.ctx))
                    .max_by(|(ia, a), (ib, b)| {
                        (a.severity, a.confidence)
                            .partial_cmp(&(b.severity, b.confidence))
                            .unwrap_or(std::cmp::Ordering::Equal)
                            .then(ib.cmp(ia))
                    });
                if let Some((_, b)) = boost {
                    confidence = confidence.max(b.confidence);
                    if let Some(sev) = b.severity {
                        severity = severity.max(sev);
                    }
                }
                candidates.push(Match {
                    rule: i,
                    range,
                    confidence,
                    severity,
                    boost: boost.map(|(j, _)| j),
                });
            }
        }
        resolve_overlaps(candidates)
    }
}

/// A keyword counts only where it is not glued to more of the same kind of character: "dob"
/// is found in "DOB:" and "dob 3/4" but not in "adobe"; "mrn" is found in "MRN12345" (a
/// letter next to a digit is a boundary).
fn on_boundary(text: &str, start: usize, end: usize, kw: &Keyword) -> bool {
    let same_kind = |a: char, b: char| {
        (a.is_alphabetic() && b.is_alphabetic()) || (a.is_numeric() && b.is_numeric())
    };
    if kw.starts_alnum == Some(true) {
        let first = text[start..].chars().next();
        let before = text[..start].chars().next_back();
        if let (Some(a), Some(b)) = (before, first)
            && same_kind(a, b)
        {
            return false;
        }
    }
    if kw.ends_alnum == Some(true) {
        let last = text[..end].chars().next_back();
        let after = text[end..].chars().next();
        if let (Some(a), Some(b)) = (last, after)
            && same_kind(a, b)
        {
            return false;
        }
    }
    true
}

/// Resolves overlapping candidates, deterministically.
///
/// Candidates are ranked by confidence (higher first), then length (longer first), then
/// position (earlier first), then rule order (earlier pack and rule first). Walking that
/// ranking, a candidate is kept unless it overlaps one already kept. The survivors are returned
/// in text order, with the ranges of the candidates that lost.
pub fn resolve_overlaps(mut candidates: Vec<Match>) -> (Vec<Match>, Vec<Range<usize>>) {
    if candidates.len() < 2 {
        return (candidates, Vec::new());
    }
    candidates.sort_by(|a, b| {
        b.confidence
            .total_cmp(&a.confidence)
            .then_with(|| b.range.len().cmp(&a.range.len()))
            .then_with(|| a.range.start.cmp(&b.range.start))
            .then_with(|| a.rule.cmp(&b.rule))
    });
    // Kept ranges by start; they never overlap, so the one starting last before a candidate's
    // end is the only one that can reach into it.
    let mut kept: std::collections::BTreeMap<usize, Match> = std::collections::BTreeMap::new();
    let mut lost = Vec::new();
    for c in candidates {
        let overlaps = kept
            .range(..c.range.end)
            .next_back()
            .is_some_and(|(_, k)| k.range.end > c.range.start);
        if overlaps {
            lost.push(c.range);
        } else {
            kept.insert(c.range.start, c);
        }
    }
    lost.sort_unstable_by_key(|r| (r.start, r.end));
    (kept.into_values().collect(), lost)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::{PackSource, parse};

    fn engine(rules: &str) -> Engine {
        let src = PackSource {
            name: "t.toml".into(),
            text: format!("[pack]\nid = \"t\"\n{rules}"),
            builtin: true,
        };
        let (pack, _) = parse(&src).unwrap();
        Engine::build(&[pack]).unwrap()
    }

    fn found(e: &Engine, text: &str) -> Vec<(String, String)> {
        e.scan(text)
            .into_iter()
            .map(|m| (e.rule(m.rule).id.clone(), text[m.range].to_owned()))
            .collect()
    }

    #[test]
    fn capture_group_is_the_value() {
        let e = engine(
            "[[rule]]\nid = \"t.mrn\"\ncategory = \"medical_record_number\"\nregex = '(?i)\\bMRN:?\\s*([0-9]{6,8})\\b'\n",
        );
        assert_eq!(
            found(&e, "see MRN: 0048213 today"),
            vec![("t.mrn".to_owned(), "0048213".to_owned())]
        );
    }

    #[test]
    fn required_keyword_must_be_inside_the_window() {
        let e = engine(
            "[[rule]]\nid = \"t.acct\"\ncategory = \"account_number\"\nregex = '\\b[0-9]{6}\\b'\n\
             keywords = [\"acct\"]\nwindow = { before = 10, after = 0 }\n",
        );
        assert_eq!(found(&e, "acct 482913").len(), 1);
        assert_eq!(found(&e, "482913 acct").len(), 0, "keyword after the value");
        assert_eq!(
            found(&e, "acct is long ago and far away 482913").len(),
            0,
            "keyword too far before"
        );
        assert_eq!(found(&e, "no keyword 482913").len(), 0);
    }

    #[test]
    fn keywords_respect_word_boundaries_and_ascii_case() {
        let e = engine(
            "[[rule]]\nid = \"t.dob\"\ncategory = \"date\"\nregex = '[0-9]{2}/[0-9]{2}'\nkeywords = [\"dob\"]\n",
        );
        assert_eq!(found(&e, "DOB 03/14").len(), 1);
        assert_eq!(found(&e, "adobe 03/14").len(), 0);
        assert_eq!(found(&e, "dob03/14").len(), 1);
    }

    #[test]
    fn accented_keywords_match_in_any_case() {
        let e = engine(
            "[[rule]]\nid = \"t.poliza\"\ncategory = \"health_plan_id\"\nregex = '[0-9]{6}'\nkeywords = [\"póliza\"]\nwindow = 12\n",
        );
        assert_eq!(found(&e, "póliza 482913").len(), 1);
        assert_eq!(found(&e, "PÓLIZA 482913").len(), 1);
        assert_eq!(found(&e, "Póliza: 482913").len(), 1);
        assert_eq!(
            found(&e, "poliza 482913").len(),
            0,
            "accents are not folded"
        );
    }

    #[test]
    fn validator_rejects_candidates() {
        let e = engine(
            "[[rule]]\nid = \"t.card\"\ncategory = \"account_number\"\nregex = '\\b[0-9]{16}\\b'\nvalidator = \"luhn\"\n",
        );
        assert_eq!(found(&e, "4012888888881881").len(), 1);
        assert_eq!(found(&e, "4012888888881882").len(), 0);
    }

    #[test]
    fn boost_raises_confidence_and_severity_exclude_drops() {
        let e = engine(
            "[[rule]]\nid = \"t.date\"\ncategory = \"date\"\nregex = '\\b[0-9]{2}/[0-9]{2}/[0-9]{4}\\b'\nconfidence = 0.5\n\
             boost = { keywords = [\"born\"], window = 20, confidence = 0.9, severity = \"medium\" }\n\
             exclude = { keywords = [\"version\"], window = 10 }\n",
        );
        let plain = e.scan("on 03/14/2020");
        assert_eq!(plain[0].confidence, 0.5);
        assert_eq!(plain[0].severity, RiskLevel::Low);
        let born = e.scan("born 03/14/2020");
        assert_eq!(born[0].confidence, 0.9);
        assert_eq!(born[0].severity, RiskLevel::Medium);
        assert!(e.scan("version 03/14/2020").is_empty());
    }

    #[test]
    fn several_excludes_and_boosts_each_keep_their_own_window() {
        let e = engine(
            "[[rule]]\nid = \"t.md\"\ncategory = \"date\"\nregex = '\\b[0-9]{1,2}/[0-9]{1,2}\\b'\nconfidence = 0.5\n\
             [[rule.exclude]]\nkeywords = [\"pain\"]\nwindow = { before = 12 }\n\
             [[rule.exclude]]\nkeywords = [\"of\"]\nwindow = { after = 3 }\n\
             [[rule.boost]]\nkeywords = [\"on\"]\nwindow = { before = 4 }\nconfidence = 0.7\n\
             [[rule.boost]]\nkeywords = [\"dob\"]\nwindow = { before = 6 }\nconfidence = 0.9\nseverity = \"medium\"\n",
        );
        assert!(e.scan("pain went 7/10").is_empty(), "pain before");
        assert!(e.scan("3/4 of us").is_empty(), "of after");
        assert_eq!(e.scan("3/4 pain").len(), 1, "pain after is not excluded");
        let on = e.scan("on 5/21");
        assert_eq!((on[0].confidence, on[0].boost), (0.7, Some(0)));
        let dob = e.scan("DOB: 5/21");
        assert_eq!((dob[0].confidence, dob[0].boost), (0.9, Some(1)));
        assert_eq!(dob[0].severity, RiskLevel::Medium);
    }

    #[test]
    fn overlaps_keep_the_most_confident_then_the_longest() {
        let e = engine(
            "[[rule]]\nid = \"t.phone\"\ncategory = \"phone\"\nregex = '\\b[0-9]{3}-[0-9]{4}\\b'\nconfidence = 0.7\n\
             [[rule]]\nid = \"t.fax\"\ncategory = \"fax\"\nregex = '(?i)fax:?\\s*([0-9]{3}-[0-9]{4})'\nconfidence = 0.9\n\
             [[rule]]\nid = \"t.long\"\ncategory = \"other_id\"\nregex = '\\b[0-9]{3}-[0-9]{4}-[0-9]{2}\\b'\nconfidence = 0.7\n",
        );
        assert_eq!(
            found(&e, "call 555-0142, fax: 555-0199, ref 555-0100-12"),
            vec![
                ("t.phone".to_owned(), "555-0142".to_owned()),
                ("t.fax".to_owned(), "555-0199".to_owned()),
                ("t.long".to_owned(), "555-0100-12".to_owned()),
            ]
        );
    }

    #[test]
    fn resolve_overlaps_is_deterministic_on_ties() {
        let m = |rule, r: Range<usize>| Match {
            rule,
            range: r,
            confidence: 0.5,
            severity: RiskLevel::Low,
            boost: None,
        };
        let (kept, lost) = resolve_overlaps(vec![m(1, 0..4), m(0, 0..4), m(2, 3..9), m(3, 9..12)]);
        assert_eq!(kept, vec![m(2, 3..9), m(3, 9..12)]);
        assert_eq!(lost, vec![0..4, 0..4]);
        let (kept, lost) = resolve_overlaps(vec![m(1, 0..4), m(0, 0..4)]);
        assert_eq!(kept, vec![m(0, 0..4)]);
        assert_eq!(lost, vec![0..4]);
    }

    #[test]
    fn bad_regexes_name_the_rule() {
        let src = PackSource {
            name: "bad.toml".into(),
            text: "[pack]\nid = \"b\"\n[[rule]]\nid = \"b.huge\"\ncategory = \"other_id\"\nregex = '(?:\\w{100}){100}'\n\
                   [[rule]]\nid = \"b.syntax\"\ncategory = \"other_id\"\nregex = '([0-9]'\n\
                   [[rule]]\nid = \"b.groups\"\ncategory = \"other_id\"\nregex = '([0-9])([a-z])'\n"
                .into(),
            builtin: false,
        };
        let (pack, _) = parse(&src).unwrap();
        let errs = Engine::build(&[pack]).unwrap_err();
        let text: Vec<String> = errs.iter().map(ToString::to_string).collect();
        assert_eq!(errs.len(), 3, "{text:?}");
        assert!(text[0].starts_with("bad.toml:6: error: rule `b.huge`: regex is too large"));
        assert!(text[1].starts_with("bad.toml:10: error: rule `b.syntax`: regex does not compile"));
        assert!(
            text[2].starts_with("bad.toml:14: error: rule `b.groups`: regex has 2 capture groups")
        );
    }
}
