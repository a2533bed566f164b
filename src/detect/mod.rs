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
use std::sync::{Arc, OnceLock};

use regex::{Regex, RegexBuilder};

use crate::category::{Category, RiskLevel};
use crate::pack::{Diagnostic, NameLists, Pack, SignalKind, Window};
use crate::text::{step_back, step_forward};
use crate::validate::Validator;

mod free_set;
mod names;
mod nfa_code;
mod rule_regex;
mod terms;

use rule_regex::RuleRegex;

pub use names::PersonRole;
pub use terms::Terms;

use free_set::FreeSet;
use names::{NameDetector, Near};

/// The rules name detection reports under, one per role.
struct NameRule {
    id: &'static str,
    category: Category,
    role: PersonRole,
    severity: RiskLevel,
    description: &'static str,
}

const NAME_RULES: &[NameRule] = &[
    NameRule {
        id: "hipaa.name.patient",
        category: Category::Name,
        role: PersonRole::Patient,
        severity: RiskLevel::Medium,
        description: "A person's name with patient wording around it (\"our patient Liam\", \"Jaylen rang the bell\")",
    },
    NameRule {
        id: "hipaa.name.person",
        category: Category::Name,
        role: PersonRole::Person,
        severity: RiskLevel::Low,
        description: "A person's name (first names and surnames from the US Census tables, with cues)",
    },
    NameRule {
        id: "hipaa.name.staff",
        category: Category::Name,
        role: PersonRole::Staff,
        severity: RiskLevel::None,
        description: "A clinician's or staff member's name: after a title (Dr., Nurse), before a credential (MD, RN), in staff wording, or in the organisation's staff list",
    },
    NameRule {
        id: "hipaa.name.public-figure",
        category: Category::Name,
        role: PersonRole::PublicFigure,
        severity: RiskLevel::None,
        description: "A public or historical figure's name (Florence Nightingale): never a patient",
    },
    NameRule {
        id: "hipaa.name.addressee",
        category: Category::Name,
        role: PersonRole::Addressed,
        severity: RiskLevel::Low,
        description: "A name the post speaks to (\"Hi Marisol!\", \"Bill, we're glad…\"): a patient only when the post ties them or their family to care (\"your son's stitches\")",
    },
    NameRule {
        id: "hipaa.handle.addressee",
        category: Category::OtherId,
        role: PersonRole::Addressee,
        severity: RiskLevel::None,
        description: "The @handle a reply is addressed to: the person the reply is about",
    },
];

/// Id of the built-in signal for a health term about the person a reply speaks to.
pub const SECOND_PERSON_SIGNAL: &str = "builtin.patient.second-person";

/// Compiled-program size limit for one rule's regex, in bytes. A pattern that needs more
/// (usually a huge counted repetition) is rejected with the rule named.
pub const REGEX_SIZE_LIMIT: usize = 2 << 20;
/// Size limit for the combined phase-one set (build.rs has the same). Exceeding it only
/// disables the set.
const SET_SIZE_LIMIT: usize = 64 << 20;
/// Lazy DFA cache capacity of each phase-one set.
const PHASE_ONE_CACHE: usize = 32 << 20;

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
    /// The rule's own advice on fixing a post, over its category's.
    pub advice: Option<String>,
    /// Why a boosted finding matters: each boost's `reason`, in pack order.
    pub boost_reasons: Vec<Option<String>>,
    /// For name-detection rules: the role of the person named.
    pub person: Option<PersonRole>,
}

impl RuleInfo {
    /// How to fix a post with this finding: the rule's advice, or its category's.
    pub fn advice(&self) -> &str {
        self.advice
            .as_deref()
            .unwrap_or_else(|| self.category.advice())
    }
}

/// What reports and the risk model need to know about a signal.
#[derive(Debug, Clone)]
pub struct SignalInfo {
    pub id: String,
    pub kind: SignalKind,
    pub description: String,
}

/// One signal occurrence in a segment's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignalHit {
    /// Index of the signal in [`Engine::signal`].
    pub signal: usize,
    pub range: Range<usize>,
}

/// Everything found in one segment.
#[derive(Debug, Clone, Default)]
pub struct SegmentScan {
    /// Findings, sorted by position, never overlapping.
    pub matches: Vec<Match>,
    /// Ranges of candidates that lost an overlap (reports mask them too).
    pub shadows: Vec<Range<usize>>,
    /// Signal occurrences, sorted by position.
    pub signals: Vec<SignalHit>,
}

/// What the organisation adds to the packs' name lists (from its configuration).
#[derive(Debug, Clone, Default)]
pub struct NameOptions {
    /// Its clinicians' and staff members' names: never patients.
    pub staff_names: Vec<String>,
    /// More public figures.
    pub public_figures: Vec<String>,
    /// The organisation's own public facts and allowed values (its configuration).
    pub allow: crate::allow::AllowList,
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
    /// The rule's pattern, compiled the first time a text makes the rule a candidate.
    pattern: String,
    /// The compiled pattern (its value is capture group 1 when it has one, else the whole
    /// match). Rules of user packs are compiled (and so checked) when the engine is built; the
    /// built-in packs' patterns are checked by tests and `phiguard packs check`, so a scan makes
    /// only the ones its texts need, from the NFAs build.rs compiled: start-up does not pay for
    /// a hundred regexes.
    regex: OnceLock<RuleRegex>,
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

/// What a term is to the engine: a signal's term, or a rule's keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Term {
    Signal(usize),
    Keyword(Use),
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
    /// Rules that are not regexes (name detection), numbered after `rules`.
    name_rules: Vec<Arc<RuleInfo>>,
    names: NameDetector,
    signals: Vec<SignalInfo>,
    /// Signal terms and rule keywords, found in one pass.
    terms: Terms<Term>,
    /// Index of the built-in "health term about the reader" signal, when there are health terms.
    second_person: Option<usize>,
    /// How many context slots the rules have (the length of a scan's hit lists).
    slots: usize,
    /// Rules without keywords, which phase one checks: for each of their distinct patterns,
    /// the rules that have it (two rules may share one; it is searched once).
    free: Vec<Vec<usize>>,
    /// Phase one: the sets that find which of those patterns match.
    phase_one: Vec<FreeGroup>,
    /// What the organisation's configuration allows.
    allow: crate::allow::AllowList,
}

impl Engine {
    /// Compiles packs. Every problem is reported, each naming its file, line and rule.
    pub fn build(packs: &[Pack]) -> Result<Engine, Vec<Diagnostic>> {
        Engine::build_with(packs, &NameOptions::default())
    }

    /// Compiles packs, with the organisation's own names.
    pub fn build_with(packs: &[Pack], options: &NameOptions) -> Result<Engine, Vec<Diagnostic>> {
        Engine::build_inner(packs, options, false)
    }

    /// Compiles packs and every rule's pattern now, built-in ones included (`packs check`).
    pub fn build_checked(packs: &[Pack]) -> Result<Engine, Vec<Diagnostic>> {
        Engine::build_inner(packs, &NameOptions::default(), true)
    }

    fn build_inner(
        packs: &[Pack],
        options: &NameOptions,
        eager: bool,
    ) -> Result<Engine, Vec<Diagnostic>> {
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
                let compiled = OnceLock::new();
                if eager || !pack.builtin {
                    match compile_rule(&rule.regex) {
                        Ok(r) => {
                            let (regex, group) = r;
                            let _ = compiled.set(RuleRegex::Compiled { regex, group });
                        }
                        Err(msg) => {
                            diags.push(diag(msg));
                            continue;
                        }
                    }
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
                    pattern: rule.regex.clone(),
                    regex: compiled,
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
                        advice: rule.advice.clone(),
                        boost_reasons: rule.boost.iter().map(|b| b.reason.clone()).collect(),
                        person: None,
                    }),
                });
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }

        // Keywords: one automaton for all rules and roles.
        let mut free: Vec<Vec<usize>> = Vec::new();
        let mut free_patterns: Vec<&str> = Vec::new();
        let mut items: Vec<(&str, Use)> = Vec::new();
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
                    let u = Use {
                        rule: i,
                        slot: ctx.slot,
                        required,
                    };
                    items.push((k.as_str(), u));
                }
            }
            if spec.keywords.is_empty() {
                match free_patterns.iter().position(|p| *p == rule.pattern) {
                    Some(k) => free[k].push(i),
                    None => {
                        free_patterns.push(&rule.pattern);
                        free.push(vec![i]);
                    }
                }
            }
        }
        let keywords = items;
        let phase_one = FreeGroup::build(&free_patterns);

        // Signals: one automaton for every pack's terms.
        let mut signals = Vec::new();
        let mut items: Vec<(&str, usize)> = Vec::new();
        for pack in packs {
            for s in &pack.signals {
                if let Some((file, line)) = seen.get(s.id.as_str()) {
                    diags.push(
                        Diagnostic::error(
                            &pack.file,
                            format!("duplicate id (also defined at {file}:{line})"),
                        )
                        .at(s.line, None)
                        .rule(&s.id),
                    );
                    continue;
                }
                seen.insert(&s.id, (&pack.file, s.line));
                items.extend(s.terms.iter().map(|t| (t.as_str(), signals.len())));
                signals.push(SignalInfo {
                    id: s.id.clone(),
                    kind: s.kind,
                    description: s.description.clone(),
                });
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        // Health words about the reader ("your stitches", "tu cita de ultrasonido") tie a reply's
        // addressee to care: a signal of its own, added only in replies.
        let second_person = signals
            .iter()
            .any(|s: &SignalInfo| s.kind == SignalKind::Health)
            .then(|| {
                signals.push(SignalInfo {
                    id: SECOND_PERSON_SIGNAL.to_owned(),
                    kind: SignalKind::Patient,
                    description: "A health term about the person a reply speaks to (\"your \
                                  stitches\", \"tu cita\")"
                        .to_owned(),
                });
                signals.len() - 1
            });
        let terms = Terms::build(
            items
                .into_iter()
                .map(|(t, s)| (t, Term::Signal(s)))
                .chain(keywords.into_iter().map(|(k, u)| (k, Term::Keyword(u)))),
        )
        .map_err(|e| vec![Diagnostic::error("packs", format!("terms: {e}"))])?;

        // Names: every pack's lists together, plus the organisation's.
        let mut lists: Option<(NameLists, &str, usize)> = None;
        for pack in packs {
            if let Some(n) = &pack.names {
                match &mut lists {
                    Some((all, _, _)) => all.merge(n),
                    None => lists = Some((n.clone(), &pack.file, n.line)),
                }
            }
        }
        let mut name_rules = Vec::new();
        let names = match lists {
            Some((mut all, file, line)) => {
                all.public_figures
                    .extend(options.public_figures.iter().cloned());
                name_rules = NAME_RULES
                    .iter()
                    .map(|r| {
                        Arc::new(RuleInfo {
                            id: r.id.to_owned(),
                            pack: "names".to_owned(),
                            file: file.to_owned(),
                            line,
                            category: r.category,
                            description: r.description.to_owned(),
                            severity: r.severity,
                            confidence: 0.6,
                            validator: None,
                            references: Vec::new(),
                            advice: None,
                            boost_reasons: Vec::new(),
                            person: Some(r.role),
                        })
                    })
                    .collect();
                NameDetector::new(&all, &options.staff_names)
            }
            None => NameDetector::default(),
        };
        Ok(Engine {
            allow: options.allow.clone(),
            rules,
            name_rules,
            names,
            signals,
            terms,
            second_person,
            slots,
            free,
            phase_one,
        })
    }

    /// Every signal, in pack order.
    pub fn signals(&self) -> &[SignalInfo] {
        &self.signals
    }

    /// The signal at `index` (as in [`SignalHit::signal`]).
    pub fn signal(&self, index: usize) -> &SignalInfo {
        &self.signals[index]
    }

    /// Every rule, in pack order, name-detection rules last.
    pub fn rules(&self) -> impl Iterator<Item = &Arc<RuleInfo>> {
        self.rules.iter().map(|r| &r.info).chain(&self.name_rules)
    }

    /// The rule at `index` (as in [`Match::rule`]).
    pub fn rule(&self, index: usize) -> &Arc<RuleInfo> {
        match self.rules.get(index) {
            Some(r) => &r.info,
            None => &self.name_rules[index - self.rules.len()],
        }
    }

    /// What the organisation's configuration allows.
    pub fn allow_list(&self) -> &crate::allow::AllowList {
        &self.allow
    }

    /// Finds identifiers in `text`. Matches are sorted by position and never overlap.
    pub fn scan(&self, text: &str) -> Vec<Match> {
        self.scan_detailed(text).matches
    }

    /// Finds identifiers and signals in `text`, as it reads once normalised (invisible
    /// characters, full-width digits, spelled-out addresses...: see [`crate::normalize`]);
    /// every range is in `text` itself.
    pub fn scan_detailed(&self, text: &str) -> SegmentScan {
        let Some(n) = crate::normalize::normalize(text) else {
            return self.scan_plain(text);
        };
        let mut found = self.scan_plain(&n.text);
        let back = |r: &mut Range<usize>| *r = n.map.range_to_source(r.clone());
        found.matches.iter_mut().for_each(|m| back(&mut m.range));
        found.shadows.iter_mut().for_each(back);
        found.signals.iter_mut().for_each(|h| back(&mut h.range));
        found
    }

    /// [`Engine::scan_detailed`] on text that is already normalised.
    fn scan_plain(&self, text: &str) -> SegmentScan {
        if text.is_empty() {
            return SegmentScan::default();
        }
        let mut signals = Vec::new();
        let n = self.rules.len();
        let mut active = vec![false; n];
        // Keyword occurrences per context slot, in text order.
        let mut hits: Vec<Vec<Range<usize>>> = Vec::new();
        self.terms.find(text, |range, uses| {
            for u in uses {
                match *u {
                    Term::Signal(signal) => signals.push(SignalHit {
                        signal,
                        range: range.clone(),
                    }),
                    Term::Keyword(u) => {
                        if hits.is_empty() {
                            hits = vec![Vec::new(); self.slots];
                        }
                        hits[u.slot].push(range.clone());
                        active[u.rule] |= u.required;
                    }
                }
            }
        });
        // Hashtags hide their words from word boundaries: read "#ChildhoodCancerAwareness" as
        // "childhood cancer awareness"; a term found in it points at the whole hashtag.
        for tag in names::hashtags(text) {
            let parts = names::camel_parts(&text[tag.clone()]);
            if parts.len() < 2 {
                continue;
            }
            let spaced = parts
                .iter()
                .map(|(_, w)| w.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            self.terms.find(&spaced, |_, uses| {
                signals.extend(uses.iter().filter_map(|u| match *u {
                    Term::Signal(signal) => Some(SignalHit {
                        signal,
                        range: tag.start - 1..tag.end,
                    }),
                    Term::Keyword(_) => None,
                }));
            });
        }
        signals.sort_by_key(|s| (s.range.start, s.range.end, s.signal));
        // Patient wording inside or overlapping staff wording is a department's name ("our
        // patient experience team", "our Patient Relations team"), not a patient.
        let staff: Vec<Range<usize>> = signals
            .iter()
            .filter(|h| self.signals[h.signal].kind == SignalKind::Staff)
            .map(|h| h.range.clone())
            .collect();
        signals.retain(|h| {
            self.signals[h.signal].kind != SignalKind::Patient
                || !staff
                    .iter()
                    .any(|r| r.start < h.range.end && h.range.start < r.end)
        });
        for group in &self.phase_one {
            let mut activate = |k: usize| {
                for &r in &self.free[k] {
                    active[r] = true;
                }
            };
            match &group.set {
                Some(set) => {
                    for i in set.matches(text).iter() {
                        if let Some(k) = group.free[i.as_usize()] {
                            activate(k);
                        }
                    }
                }
                None => group.free.iter().flatten().for_each(|&k| activate(k)),
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
            rule.regex().values(text, |range| {
                if range.is_empty() {
                    return;
                }
                if rule.required.as_ref().is_some_and(|c| !near(&range, c))
                    || rule.excludes.iter().any(|c| near(&range, c))
                {
                    return;
                }
                if let Some(v) = rule.info.validator
                    && !v.check(&text[range.clone()])
                {
                    return;
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
            });
        }
        // Names, weighed by the signals around them.
        if !self.names.is_empty() {
            let mut near: Vec<Near> = signals
                .iter()
                .map(|s| Near {
                    kind: self.signals[s.signal].kind,
                    start: s.range.start,
                    end: s.range.end,
                })
                .collect();
            near.sort_by_key(|s| s.start);
            let found = self.names.find(text, &near);
            let reply = found
                .iter()
                .any(|m| matches!(m.role, PersonRole::Addressee | PersonRole::Addressed));
            if let (true, Some(you)) = (reply, self.second_person) {
                let about_you: Vec<SignalHit> = signals
                    .iter()
                    .filter(|h| self.signals[h.signal].kind == SignalKind::Health)
                    .filter_map(|h| {
                        names::second_person_near(text, &h.range)
                            .map(|range| SignalHit { signal: you, range })
                    })
                    .collect();
                let family = if about_you.is_empty()
                    && signals.iter().any(|h| {
                        matches!(
                            self.signals[h.signal].kind,
                            SignalKind::Health | SignalKind::CareSetting
                        )
                    }) {
                    names::second_person_family(text)
                } else {
                    Vec::new()
                };
                signals.extend(about_you);
                signals.extend(
                    family
                        .into_iter()
                        .map(|range| SignalHit { signal: you, range }),
                );
                signals.sort_by_key(|s| (s.range.start, s.range.end, s.signal));
            }
            for m in found {
                let r = NAME_RULES
                    .iter()
                    .position(|r| r.role == m.role)
                    .expect("every role has a rule");
                let info = &self.name_rules[r];
                candidates.push(Match {
                    rule: self.rules.len() + r,
                    range: m.range,
                    confidence: m.confidence,
                    severity: info.severity,
                    boost: None,
                });
            }
        }
        let (matches, shadows) = resolve_overlaps(candidates);
        SegmentScan {
            matches,
            shadows,
            signals,
        }
    }
}

/// Part of phase one: a set of patterns and, for each, the distinct free pattern it is
/// (`Engine::free`), if any.
#[derive(Debug)]
struct FreeGroup {
    /// `None` when the set could not be compiled: its rules then always run.
    set: Option<FreeSet>,
    free: Vec<Option<usize>>,
}

impl FreeGroup {
    /// The sets for `patterns`: the built-in packs' NFA from build.rs for the patterns it has
    /// (by their text), and one compiled now for the others.
    fn build(patterns: &[&str]) -> Vec<FreeGroup> {
        let mut groups = Vec::new();
        let mut rest: Vec<usize> = (0..patterns.len()).collect();
        // Decoded only when the engine has one of its patterns (not with other packs alone).
        let free: Vec<Option<usize>> = free_set::BUILTIN_FREE
            .iter()
            .map(|b| patterns.iter().position(|p| p == b))
            .collect();
        if free.iter().any(Option::is_some)
            && let Some(set) = free_set::builtin(PHASE_ONE_CACHE)
        {
            rest.retain(|k| !free.contains(&Some(*k)));
            groups.push(FreeGroup {
                set: Some(set),
                free,
            });
        }
        if !rest.is_empty() {
            let set = FreeSet::new(
                rest.iter().map(|&k| patterns[k]),
                SET_SIZE_LIMIT,
                PHASE_ONE_CACHE,
            );
            groups.push(FreeGroup {
                set,
                free: rest.into_iter().map(Some).collect(),
            });
        }
        groups
    }
}

impl CompiledRule {
    /// The compiled pattern (made now if it was not yet).
    fn regex(&self) -> &RuleRegex {
        self.regex.get_or_init(|| {
            RuleRegex::built_in(&self.pattern).unwrap_or_else(|| {
                let (regex, group) = compile_rule(&self.pattern).unwrap_or_else(|msg| {
                    // Only built-in patterns are made late, and tests compile every one of them.
                    panic!("built-in rule {} does not compile: {msg}", self.info.id)
                });
                RuleRegex::Compiled { regex, group }
            })
        })
    }
}

/// Compiles a rule's pattern and checks it: bounded size, at most one capture group (the
/// value), never matching the empty string. Returns the regex and whether it has the group.
fn compile_rule(pattern: &str) -> Result<(Regex, bool), String> {
    let regex = match RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
    {
        Ok(r) => r,
        Err(regex::Error::CompiledTooBig(limit)) => {
            return Err(format!(
                "regex is too large once compiled (over {limit} bytes); \
                 reduce counted repetitions like {{1,500}} or large Unicode classes"
            ));
        }
        Err(err) => return Err(format!("regex does not compile:\n{err}")),
    };
    if regex.captures_len() > 2 {
        return Err(format!(
            "regex has {} capture groups; use at most one (the value) and \
             `(?:...)` for the rest",
            regex.captures_len() - 1
        ));
    }
    if regex.is_match("") {
        return Err("regex matches the empty string".into());
    }
    let group = regex.captures_len() == 2;
    Ok((regex, group))
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
            path: None,
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
    fn rules_that_share_a_pattern_without_keywords_both_run() {
        // Phase one searches the shared pattern once; both rules still run on a match (one
        // finding a span: the first rule's when its validator takes the value).
        let e = engine(
            "[[rule]]\nid = \"t.card\"\ncategory = \"account_number\"\nregex = '\\b[0-9]{16}\\b'\n\
             validator = \"luhn\"\n\
             [[rule]]\nid = \"t.five\"\ncategory = \"other_id\"\nregex = '\\b[0-9]{5}\\b'\n\
             [[rule]]\nid = \"t.sixteen\"\ncategory = \"other_id\"\nregex = '\\b[0-9]{16}\\b'\n",
        );
        assert_eq!(
            found(&e, "ref 4012888888881882 and 10001"),
            vec![
                ("t.sixteen".to_owned(), "4012888888881882".to_owned()),
                ("t.five".to_owned(), "10001".to_owned()),
            ]
        );
        assert_eq!(
            found(&e, "card 4012888888881881"),
            vec![("t.card".to_owned(), "4012888888881881".to_owned())]
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
            path: None,
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

    #[test]
    fn built_in_rules_compile_late_and_every_one_compiles() {
        let packs: Vec<Pack> = PackSource::builtin()
            .iter()
            .map(|src| parse(src).unwrap().0)
            .collect();
        let lazy = Engine::build(&packs).unwrap();
        assert!(lazy.rules.iter().all(|r| r.regex.get().is_none()));
        // A text with a phone number compiles the phone rules it needs, not every rule.
        assert!(!lazy.scan("Call (555) 555-0142 today").is_empty());
        let compiled = lazy
            .rules
            .iter()
            .filter(|r| r.regex.get().is_some())
            .count();
        assert!(
            compiled > 0 && compiled < lazy.rules.len() / 2,
            "{compiled}"
        );
        // `packs check` compiles (and so checks) every pattern.
        let eager = Engine::build_checked(&packs).unwrap();
        assert!(eager.rules.iter().all(|r| r.regex.get().is_some()));
        assert!(eager.rules.len() > 50);
    }

    #[test]
    fn phase_one_of_the_built_in_packs_is_the_one_build_rs_compiled() {
        let mut packs: Vec<Pack> = PackSource::builtin()
            .iter()
            .map(|src| parse(src).unwrap().0)
            .collect();
        let e = Engine::build(&packs).unwrap();
        // One set, build.rs's, and every one of its patterns is a rule's: nothing was
        // compiled at start-up, and build.rs read the packs as the loader does.
        assert_eq!(e.phase_one.len(), 1);
        assert!(e.phase_one[0].set.is_some());
        assert!(e.phase_one[0].free.iter().all(Option::is_some));
        assert_eq!(e.phase_one[0].free.len(), e.free.len());

        // An organisation's pattern without keywords gets a set of its own beside it; both
        // sets pick their rules.
        let src = PackSource {
            name: "org.toml".into(),
            text: "[pack]\nid = \"org\"\n[[rule]]\nid = \"org.mrn\"\ncategory = \"medical_record_number\"\n\
                   regex = '\\bQX-[0-9]{6}\\b'\n"
                .into(),
            builtin: false,
            path: None,
        };
        packs.push(parse(&src).unwrap().0);
        let e = Engine::build(&packs).unwrap();
        assert_eq!(e.phase_one.len(), 2);
        assert_eq!(e.phase_one[1].free.len(), 1);
        let ids: Vec<String> = e
            .scan("Chart QX-123456, call 555-0142")
            .into_iter()
            .map(|m| e.rule(m.rule).id.clone())
            .collect();
        assert!(ids.contains(&"org.mrn".to_owned()), "{ids:?}");
        assert!(
            ids.iter().any(|id| id.starts_with("hipaa.phone")),
            "{ids:?}"
        );
    }
}
