//! `phiguard explain`: what a rule, a signal or a category looks for, why it matters under
//! HIPAA, how to fix a post and how to allow a finding with what phiguard offers today.
//!
//! Explanations are built from the selected packs, so a rule of a user pack (`--pack FILE`) is
//! explained like a built-in one, and from the per-category texts of [`crate::category`]. The
//! name-detection rules (`hipaa.name.*`, `hipaa.handle.addressee`) have no pack entry of their
//! own: they come from the engine, and their roles are explained here.
//!
//! Text from packs is untrusted: it is shown with control characters escaped.

use std::fmt::Write as _;
use std::io::{self, Write};

use serde_json::{Value, json};

use crate::app::PackSelection;
use crate::assess::RiskModel;
use crate::category::{Category, RiskLevel};
use crate::detect::{Engine, PersonRole, RuleInfo, SignalInfo};
use crate::error::Error;
use crate::pack::{self, Diagnostic, Example, NameLists, Pack, Rule, Signal, SignalKind, Window};

/// The `schema` of `phiguard explain --format json` (documented in README.md).
pub const SCHEMA: &str = "phiguard.explain/1";

/// Output formats of `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ExplainFormat {
    /// Plain text for people.
    #[default]
    Human,
    /// One JSON document, schema `phiguard.explain/1`.
    Json,
}

/// Width of the human text.
const WIDTH: usize = 80;
/// Keywords and list entries shown before "and N more".
const SHOWN_WORDS: usize = 8;
/// Examples shown before "and N more".
const SHOWN_EXAMPLES: usize = 6;
/// Suggestions offered for an unknown argument.
const SUGGESTIONS: usize = 5;

/// Explains `query` (a rule id, a signal id or a category) with the selected packs. Writes the
/// explanation to `out` and returns 0; for an unknown `query`, writes a message with
/// suggestions to `err` and returns 2. Packs that cannot be loaded are errors (exit code 2).
pub fn explain(
    selection: &PackSelection,
    query: &str,
    format: ExplainFormat,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, Error> {
    let (catalog, warnings) = Catalog::load(selection)?;
    // As in a scan, pack warnings go to stderr, best effort.
    for w in &warnings {
        let _ = writeln!(err, "phiguard: {w}");
    }
    let Some(subject) = catalog.find(query) else {
        let _ = err.write_all(catalog.unknown(query).as_bytes());
        return Ok(2);
    };
    let text = match format {
        ExplainFormat::Human => catalog.human(&subject),
        ExplainFormat::Json => {
            let mut s = serde_json::to_string_pretty(&catalog.json(&subject))
                .expect("JSON values always serialise");
            s.push('\n');
            s
        }
    };
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        // A reader that stopped early (`| head`) is not an error.
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(0),
    }
}

/// What can be explained: the selected packs and the name-detection rules.
struct Catalog {
    packs: Vec<Pack>,
    /// The name-detection rules, when a pack has name lists.
    name_rules: Vec<RuleInfo>,
    /// Signals the engine adds beside the packs' own.
    engine_signals: Vec<SignalInfo>,
    /// Index of the first pack with name lists (where name detection is set up).
    names_pack: Option<usize>,
    /// Every pack's name lists together.
    names: NameLists,
    model: RiskModel,
}

enum Subject<'a> {
    Rule(&'a Pack, &'a Rule),
    Name(&'a RuleInfo),
    Signal(&'a Pack, &'a Signal),
    EngineSignal(&'a SignalInfo),
    Category(Category),
}

impl Catalog {
    fn load(selection: &PackSelection) -> Result<(Catalog, Vec<Diagnostic>), Error> {
        let (packs, warnings) = selection.packs()?;
        let names_pack = packs.iter().position(|p| p.names.is_some());
        let mut names = NameLists::default();
        for n in packs.iter().filter_map(|p| p.names.as_ref()) {
            names.merge(n);
        }
        // Compiled as a scan would: the same errors, and the rules and signals the engine adds
        // beside the packs (name detection).
        let engine = Engine::build(&packs).map_err(Error::Packs)?;
        let name_rules = engine
            .rules()
            .filter(|r| r.person.is_some())
            .map(|r| RuleInfo::clone(r))
            .collect();
        let engine_signals = engine
            .signals()
            .iter()
            .filter(|s| !packs.iter().any(|p| p.signals.iter().any(|x| x.id == s.id)))
            .cloned()
            .collect();
        let catalog = Catalog {
            packs,
            name_rules,
            engine_signals,
            names_pack,
            names,
            model: RiskModel::default(),
        };
        Ok((catalog, warnings))
    }

    /// The pack options that select these packs again, e.g. ` --pack acme.toml`.
    fn pack_flags(&self) -> String {
        let mut flags = String::new();
        if !self.packs.iter().any(|p| p.builtin) {
            flags.push_str(" --no-default-packs");
        }
        for p in self.packs.iter().filter(|p| !p.builtin) {
            let _ = write!(flags, " --pack {}", show(&p.file));
        }
        flags
    }

    fn rules(&self) -> impl Iterator<Item = (&Pack, &Rule)> {
        self.packs
            .iter()
            .flat_map(|p| p.rules.iter().map(move |r| (p, r)))
    }

    fn signals(&self) -> impl Iterator<Item = (&Pack, &Signal)> {
        self.packs
            .iter()
            .flat_map(|p| p.signals.iter().map(move |s| (p, s)))
    }

    fn find(&self, query: &str) -> Option<Subject<'_>> {
        let q = query.trim();
        if let Some((p, r)) = self.rules().find(|(_, r)| r.id.eq_ignore_ascii_case(q)) {
            return Some(Subject::Rule(p, r));
        }
        if let Some(r) = self
            .name_rules
            .iter()
            .find(|r| r.id.eq_ignore_ascii_case(q))
        {
            return Some(Subject::Name(r));
        }
        if let Some((p, s)) = self.signals().find(|(_, s)| s.id.eq_ignore_ascii_case(q)) {
            return Some(Subject::Signal(p, s));
        }
        if let Some(s) = self
            .engine_signals
            .iter()
            .find(|s| s.id.eq_ignore_ascii_case(q))
        {
            return Some(Subject::EngineSignal(s));
        }
        category_named(q).map(Subject::Category)
    }

    /// The message for an unknown argument: what was asked, the closest names, where to look.
    fn unknown(&self, query: &str) -> String {
        let mut text = String::new();
        let _ = writeln!(
            text,
            "phiguard: no rule, signal or category is called \"{}\"",
            show(query.trim())
        );
        let near = self.suggestions(query);
        if !near.is_empty() {
            let _ = writeln!(text, "did you mean:");
            for s in near {
                let _ = writeln!(text, "  {s}");
            }
        }
        let categories: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
        wrap(
            &mut text,
            "",
            "",
            &format!(
                "`phiguard packs list{}` lists every rule. Categories: {}.",
                self.pack_flags(),
                categories.join(", ")
            ),
        );
        text
    }

    /// The known names closest to `query`: names that contain it, then by edit distance.
    fn suggestions(&self, query: &str) -> Vec<String> {
        let q = normalise(query);
        if q.is_empty() || q.chars().count() > 200 {
            return Vec::new();
        }
        // (what to compare with, what to suggest)
        let mut known: Vec<(String, String)> = Vec::new();
        for (_, r) in self.rules() {
            known.push((normalise(&r.id), r.id.clone()));
        }
        for r in &self.name_rules {
            known.push((normalise(&r.id), r.id.clone()));
        }
        for (_, s) in self.signals() {
            known.push((normalise(&s.id), s.id.clone()));
        }
        for s in &self.engine_signals {
            known.push((normalise(&s.id), s.id.clone()));
        }
        for c in Category::ALL {
            known.push((normalise(c.as_str()), c.as_str().to_owned()));
            known.push((normalise(c.label()), c.as_str().to_owned()));
        }
        let limit = (q.chars().count() / 4).max(2);
        let mut scored: Vec<(usize, String)> = known
            .into_iter()
            .filter_map(|(key, name)| {
                let d = if q.chars().count() >= 3 && key.contains(&q) {
                    0
                } else {
                    edit_distance(&q, &key)
                };
                (d <= limit).then_some((d, name))
            })
            .collect();
        // Nothing close: the ids in the same namespace ("acme.nope" → "acme.…"), when they
        // are few enough to list.
        if scored.is_empty()
            && let Some((space, _)) = q.rsplit_once('.')
        {
            let space = format!("{space}.");
            let mut ids: Vec<String> = self
                .rules()
                .map(|(_, r)| &r.id)
                .chain(self.name_rules.iter().map(|r| &r.id))
                .chain(self.signals().map(|(_, s)| &s.id))
                .filter(|id| normalise(id).starts_with(&space))
                .cloned()
                .collect();
            ids.dedup();
            if ids.len() <= SUGGESTIONS {
                scored = ids.into_iter().map(|id| (0, id)).collect();
            }
        }
        scored.sort();
        let mut out: Vec<String> = Vec::new();
        for (_, name) in scored {
            if !out.contains(&name) {
                out.push(name);
            }
        }
        out.truncate(SUGGESTIONS);
        out
    }

    // ---- human text ---------------------------------------------------------------------------

    fn human(&self, subject: &Subject<'_>) -> String {
        let mut t = String::new();
        match subject {
            Subject::Rule(p, r) => self.human_rule(&mut t, p, r),
            Subject::Name(r) => self.human_name(&mut t, r),
            Subject::Signal(p, s) => self.human_signal(&mut t, p, s),
            Subject::EngineSignal(s) => self.human_engine_signal(&mut t, s),
            Subject::Category(c) => self.human_category(&mut t, *c),
        }
        t
    }

    fn human_rule(&self, t: &mut String, p: &Pack, r: &Rule) {
        title(t, &r.id, &r.description);
        category_fields(t, r.category);
        field(
            t,
            "severity",
            &format!("{}: {}", r.severity, severity_text(r.severity)),
        );
        field(t, "confidence", &format!("{:.2} (0 to 1)", r.confidence));
        if let Some(v) = r.validator {
            field(
                t,
                "validator",
                &format!("{}: {}", v.name(), v.description()),
            );
        }
        field(t, "defined in", &defined_in(p, r.line));
        for reference in &r.references {
            field(t, "reference", &show(reference));
        }

        heading(t, "What it looks for");
        for line in context_lines(r) {
            bullet(t, &line);
        }
        wrap(t, "  pattern: ", "    ", &format!("'{}'", show(&r.regex)));

        examples(t, &r.examples, &r.negative_examples);
        let own: Vec<String> = r.advice.iter().map(|a| sentence(a)).collect();
        self.why_fix(t, r.category, &own);
        heading(t, "How to allow it");
        for line in allow_rule(p, r) {
            bullet(t, &line);
        }
    }

    fn human_name(&self, t: &mut String, r: &RuleInfo) {
        let role = r.person.unwrap_or(PersonRole::Person);
        title(t, &r.id, &r.description);
        category_fields(t, r.category);
        field(t, "found by", &self.found_by());

        heading(t, "What the role means");
        para(t, role_meaning(role));
        heading(t, "How it is rated");
        for line in self.role_rating(role) {
            bullet(t, &line);
        }
        let cues = self.role_cues(role);
        if !cues.is_empty() {
            heading(t, "Cues phiguard uses (from the loaded packs)");
            for (what, words) in cues {
                bullet(t, &format!("{what}: {}", few_words(&words)));
            }
        }
        self.why_fix(t, r.category, &role_fix(role));
        heading(t, "How to allow it");
        for line in allow_name(role) {
            bullet(t, &line);
        }
        if !matches!(role, PersonRole::Addressee | PersonRole::Addressed) {
            names_pack_example(t);
        }
    }

    fn human_signal(&self, t: &mut String, p: &Pack, s: &Signal) {
        signal_head(t, &s.id, &s.description, s.kind);
        field(t, "defined in", &defined_in(p, s.line));
        field(
            t,
            "terms",
            &format!(
                "{} words and phrases: {}",
                s.terms.len(),
                few_words(&s.terms)
            ),
        );
        heading(t, "What it does to the risk");
        para(t, &self.signal_effect(s.kind));
        examples(t, &s.examples, &s.negative_examples);
        heading(t, "How to allow it");
        for line in allow_signal(s.kind) {
            bullet(t, &line);
        }
    }

    fn human_engine_signal(&self, t: &mut String, s: &SignalInfo) {
        signal_head(t, &s.id, &s.description, s.kind);
        field(
            t,
            "defined in",
            "phiguard's engine (not a pack): it is added beside the packs' signals",
        );
        heading(t, "What it does to the risk");
        para(t, &self.signal_effect(s.kind));
        heading(t, "How to allow it");
        for line in allow_signal(s.kind) {
            bullet(t, &line);
        }
    }

    fn human_category(&self, t: &mut String, c: Category) {
        let _ = writeln!(t, "{}", category_title(c));
        t.push('\n');
        field(t, "Safe Harbor", &safe_harbor(c));
        let severity = if c == Category::Name {
            let m = &self.model;
            format!(
                "set by what surrounds each name: alone {}, with patient wording {}, with \
                 health information {} (phiguard explain hipaa.name.person says more)",
                m.level(m.name_alone),
                m.level(m.name_with_patient),
                m.level(m.name_with_health)
            )
        } else {
            let s = pack::default_severity(c);
            format!("{s} by default: {}", severity_text(s))
        };
        field(t, "severity", &severity);
        self.why_fix(t, c, &[]);
        let rules = self.rules_in(c);
        heading(t, &format!("Rules in this category ({})", rules.len()));
        if rules.is_empty() {
            para(
                t,
                "No loaded pack has a rule for this category: phiguard does not find it, so \
                 check for it yourself before you publish.",
            );
        } else {
            let width = rules
                .iter()
                .map(|(id, _)| id.len())
                .max()
                .unwrap_or(0)
                .min(34);
            for (id, description) in &rules {
                let first = format!("  {id:<width$}  ");
                let rest = " ".repeat(width + 4);
                if first.chars().count() > width + 4 {
                    let _ = writeln!(t, "  {id}");
                    wrap(t, &rest, &rest, &show(description));
                } else {
                    wrap(t, &first, &rest, &show(description));
                }
            }
            t.push('\n');
            let _ = writeln!(
                t,
                "More about one rule: phiguard explain {}{}",
                show(&rules[0].0),
                self.pack_flags()
            );
        }
        heading(t, "How to allow it");
        if c == Category::Name {
            for line in allow_name(PersonRole::Person) {
                bullet(t, &line);
            }
            names_pack_example(t);
        } else {
            for line in allow_category(c) {
                bullet(t, &line);
            }
        }
    }

    fn why_fix(&self, t: &mut String, c: Category, fix: &[String]) {
        heading(t, "Why it matters under HIPAA");
        para(t, c.why_it_matters());
        heading(t, "How to fix a post");
        if fix.is_empty() {
            para(t, &sentence(c.advice()));
        } else {
            for line in fix {
                bullet(t, line);
            }
        }
    }

    /// `(id, description)` of every rule of category `c`, in load order, name rules last.
    fn rules_in(&self, c: Category) -> Vec<(String, String)> {
        self.rules()
            .filter(|(_, r)| r.category == c)
            .map(|(_, r)| (r.id.clone(), r.description.clone()))
            .chain(
                self.name_rules
                    .iter()
                    .filter(|r| r.category == c)
                    .map(|r| (r.id.clone(), r.description.clone())),
            )
            .collect()
    }

    fn found_by(&self) -> String {
        let place = match self.names_pack.map(|i| &self.packs[i]) {
            Some(p) => {
                let line = p.names.as_ref().map_or(1, |n| n.line);
                format!(", set up in {}", defined_in(p, line))
            }
            None => String::new(),
        };
        format!(
            "name detection: word lists of first names and surnames plus the cues around a \
             name, not a pattern{place}"
        )
    }

    /// How a name of this role is rated, with the levels of the current risk model.
    fn role_rating(&self, role: PersonRole) -> Vec<String> {
        let m = &self.model;
        let alone = m.level(m.name_alone);
        let patient = m.level(m.name_with_patient);
        let health = m.level(m.name_with_health);
        let staff =
            m.level(m.name_with_health.max(m.name_with_identifier) * m.staff_context_factor);
        let anonymised = m.level(m.name_with_health * m.mitigation_factor);
        let mut lines = Vec::new();
        match role {
            PersonRole::Patient | PersonRole::Person => {
                if role == PersonRole::Person {
                    lines.push(format!(
                        "A name with nothing tying it to care: {alone}. Names are rated by what \
                         surrounds them in the post, not by the name alone."
                    ));
                }
                lines.push(format!(
                    "With patient wording (\"our patient\", \"was discharged\", \"rang the \
                     bell\"): {patient}."
                ));
                lines.push(format!(
                    "With health information (a condition, treatment, medication or care unit) \
                     or with a birth, admission, discharge or death date, an age over 89 or a \
                     room or bed number: {health}."
                ));
                if role == PersonRole::Person {
                    lines.push(format!(
                        "Lower in staff wording (an award, a new hire, \"employee of the month\"): \
                         at most {staff}, even next to a care unit, unless the post also has \
                         patient wording or a condition, treatment or medication."
                    ));
                }
                lines.push(format!(
                    "Lower with anonymising wording (\"names have been changed\"): a name with \
                     health information drops to {anonymised}."
                ));
                lines.push(
                    "Not a patient at all: a name after a staff title (Dr., Nurse) or before a \
                     credential (MD, RN) is staff's (hipaa.name.staff); a listed public figure \
                     is never a patient (hipaa.name.public-figure)."
                        .to_owned(),
                );
            }
            PersonRole::Staff => {
                lines.push(
                    "A staff member's name adds no risk: thanking, welcoming or congratulating \
                     your people is not a disclosure."
                        .to_owned(),
                );
                lines.push(format!(
                    "Except when the post tells of their own care (\"Dr. Haddad is recovering \
                     after his appendectomy\"): then the name counts like a patient's, {health} \
                     with health information."
                ));
                lines.push(
                    "Other names listed right after a staff member share the role: \"our NICU \
                     nurses Abby and Rachel\"."
                        .to_owned(),
                );
            }
            PersonRole::PublicFigure => {
                lines.push(
                    "A public or historical figure's name adds no risk, even next to health \
                     words (\"Florence Nightingale, born May 12, 1820\")."
                        .to_owned(),
                );
            }
            PersonRole::Addressee | PersonRole::Addressed => {
                if role == PersonRole::Addressee {
                    lines.push(
                        "On its own, or in a general answer (\"our flu clinic opens Monday\"), \
                         the handle adds no risk: replying to someone is not a disclosure."
                            .to_owned(),
                    );
                } else {
                    lines.push(format!(
                        "On its own, or in a general answer (\"our flu clinic opens Monday\"), \
                         it is rated like any name: {alone}."
                    ));
                }
                lines.push(format!(
                    "When the reply ties the person or their family to care, with patient \
                     wording or health words about them (\"your stitches\", \"your son's \
                     chemo\"), it is rated {patient}, and {health} with health information or \
                     a birth date, an age over 89 or a room number: a public reply that \
                     confirms someone's care discloses it."
                ));
                lines.push(format!(
                    "Lower with anonymising wording: with health information it drops to \
                     {anonymised}."
                ));
            }
        }
        lines
    }

    /// The word lists behind a role: `(what, words)`.
    fn role_cues(&self, role: PersonRole) -> Vec<(String, Vec<String>)> {
        let n = &self.names;
        let signal_terms = |kind: SignalKind| -> Vec<String> {
            self.signals()
                .filter(|(_, s)| s.kind == kind)
                .flat_map(|(_, s)| s.terms.iter().cloned())
                .collect()
        };
        let mut cues = Vec::new();
        let mut add = |what: &str, words: Vec<String>| {
            if !words.is_empty() {
                cues.push((format!("{what} ({})", words.len()), words));
            }
        };
        match role {
            PersonRole::Patient => {
                add("patient wording", signal_terms(SignalKind::Patient));
                add("titles that are not staff", n.honorifics.clone());
            }
            PersonRole::Person => {
                add("staff wording", signal_terms(SignalKind::Staff));
                add("anonymising wording", signal_terms(SignalKind::Mitigation));
            }
            PersonRole::Staff => {
                add("staff titles before a name", n.staff_titles.clone());
                add("credentials after a name", n.credentials.clone());
                add("staff wording", signal_terms(SignalKind::Staff));
            }
            PersonRole::PublicFigure => add("public figures", n.public_figures.clone()),
            PersonRole::Addressee | PersonRole::Addressed => {
                add("patient wording", signal_terms(SignalKind::Patient));
            }
        }
        cues
    }

    fn signal_effect(&self, kind: SignalKind) -> String {
        let m = &self.model;
        let patient = m.level(m.name_with_patient);
        let health = m.level(m.name_with_health);
        let story = m.level(m.anonymous_story);
        let staff =
            m.level(m.name_with_health.max(m.name_with_identifier) * m.staff_context_factor);
        let anonymised = m.level(m.name_with_health * m.mitigation_factor);
        match kind {
            SignalKind::Health => format!(
                "Next to a person's name, or in a reply to someone's @handle, it makes a likely \
                 disclosure: a name with health information is rated {health}. Together with \
                 patient wording but no one identified, the post is an anonymous story, rated \
                 {story}. With patient wording it also turns a staff member's name into a \
                 patient's (their own care)."
            ),
            SignalKind::CareSetting => format!(
                "Where someone is cared for. Next to a person's name it counts as health \
                 information (a name with health information is rated {health}), but it is \
                 weaker than a condition: staff work in these units too, so it does not make a \
                 staff member's name a patient's, and it does not stop staff wording from \
                 lowering a name."
            ),
            SignalKind::Patient => format!(
                "Right after a name (\"Jaylen rang the bell\") or just before it, it makes the \
                 name a patient's (hipaa.name.patient). Anywhere in the post it makes every \
                 name of unknown role a possible patient's, rated at least {patient}, and makes \
                 licence, vehicle, device and room numbers a patient's. With health wording and \
                 no one named, the post is an anonymous story, rated {story}."
            ),
            SignalKind::Mitigation => format!(
                "It lowers every name in the post: a name with health information drops from \
                 {health} to {anonymised}. It is not an authorization: a verbal \"she said we \
                 could share\" does not count and is not listed."
            ),
            SignalKind::Staff => format!(
                "Right next to a name (\"our nurse of the year, Sarah Kim\") it makes the name \
                 staff's. Anywhere in the post it lowers names of unknown role, to at most \
                 {staff} even next to a care unit (\"our NICU nurse of the year\"), unless the \
                 post also has patient wording or a condition, treatment or medication."
            ),
        }
    }

    // ---- JSON ---------------------------------------------------------------------------------

    fn json(&self, subject: &Subject<'_>) -> Value {
        match subject {
            Subject::Rule(p, r) => json!({
                "schema": SCHEMA,
                "kind": "rule",
                "id": r.id,
                "description": r.description,
                "category": r.category.as_str(),
                "safe_harbor": letter(r.category),
                "severity": r.severity.as_str(),
                "confidence": r.confidence,
                "role": Value::Null,
                "pack": p.id,
                "file": p.file,
                "line": r.line,
                "builtin": p.builtin,
                "validator": r.validator.map(|v| json!({
                    "name": v.name(),
                    "description": v.description(),
                })),
                "regex": r.regex,
                "keywords": r.keywords,
                "window": window_json(r.window),
                "boosts": r.boost.iter().map(|b| json!({
                    "keywords": b.keywords,
                    "window": window_json(b.window),
                    "confidence": b.confidence,
                    "severity": b.severity.map(RiskLevel::as_str),
                    "reason": b.reason,
                })).collect::<Vec<_>>(),
                "excludes": r.exclude.iter().map(|x| json!({
                    "keywords": x.keywords,
                    "window": window_json(x.window),
                })).collect::<Vec<_>>(),
                "references": r.references,
                "examples": examples_json(&r.examples),
                "negative_examples": examples_json(&r.negative_examples),
                "why": r.category.why_it_matters(),
                "fix": [sentence(r.advice.as_deref().unwrap_or_else(|| r.category.advice()))],
                "allow": allow_rule(p, r),
            }),
            Subject::Name(r) => {
                let role = r.person.unwrap_or(PersonRole::Person);
                let (pack, file, line, builtin) = match self.names_pack.map(|i| &self.packs[i]) {
                    Some(p) => (
                        Value::from(p.id.clone()),
                        Value::from(p.file.clone()),
                        Value::from(p.names.as_ref().map_or(1, |n| n.line)),
                        Value::from(p.builtin),
                    ),
                    None => (Value::Null, Value::Null, Value::Null, Value::Null),
                };
                json!({
                    "schema": SCHEMA,
                    "kind": "rule",
                    "id": r.id,
                    "description": r.description,
                    "category": r.category.as_str(),
                    "safe_harbor": letter(r.category),
                    "severity": r.severity.as_str(),
                    "confidence": Value::Null,
                    "role": role_name(role),
                    "pack": pack,
                    "file": file,
                    "line": line,
                    "builtin": builtin,
                    "validator": Value::Null,
                    "regex": Value::Null,
                    "keywords": [],
                    "window": Value::Null,
                    "boosts": [],
                    "excludes": [],
                    "references": r.references,
                    "examples": [],
                    "negative_examples": [],
                    "role_meaning": role_meaning(role),
                    "rating": self.role_rating(role),
                    "why": r.category.why_it_matters(),
                    "fix": role_fix(role),
                    "allow": allow_name(role),
                })
            }
            Subject::Signal(p, s) => json!({
                "schema": SCHEMA,
                "kind": "signal",
                "id": s.id,
                "description": s.description,
                "signal_kind": s.kind.as_str(),
                "pack": p.id,
                "file": p.file,
                "line": s.line,
                "builtin": p.builtin,
                "terms": s.terms,
                "examples": examples_json(&s.examples),
                "negative_examples": examples_json(&s.negative_examples),
                "effect": self.signal_effect(s.kind),
                "allow": allow_signal(s.kind),
            }),
            Subject::EngineSignal(s) => json!({
                "schema": SCHEMA,
                "kind": "signal",
                "id": s.id,
                "description": s.description,
                "signal_kind": s.kind.as_str(),
                "pack": Value::Null,
                "file": Value::Null,
                "line": Value::Null,
                "builtin": true,
                "terms": [],
                "examples": [],
                "negative_examples": [],
                "effect": self.signal_effect(s.kind),
                "allow": allow_signal(s.kind),
            }),
            Subject::Category(c) => json!({
                "schema": SCHEMA,
                "kind": "category",
                "id": c.as_str(),
                "label": c.label(),
                "safe_harbor": letter(*c),
                "safe_harbor_identifier": c.safe_harbor_identifier(),
                "default_severity": pack::default_severity(*c).as_str(),
                "why": c.why_it_matters(),
                "fix": [sentence(c.advice())],
                "allow": if *c == Category::Name {
                    allow_name(PersonRole::Person)
                } else {
                    allow_category(*c)
                },
                "rules": self.rules_in(*c).into_iter().map(|(id, description)| json!({
                    "id": id,
                    "description": description,
                })).collect::<Vec<_>>(),
            }),
        }
    }
}

// ---- texts shared by both formats ----------------------------------------------------------------

fn role_name(role: PersonRole) -> &'static str {
    match role {
        PersonRole::Patient => "patient",
        PersonRole::Person => "person",
        PersonRole::Staff => "staff",
        PersonRole::PublicFigure => "public_figure",
        PersonRole::Addressee => "addressee",
        PersonRole::Addressed => "addressed",
    }
}

fn role_meaning(role: PersonRole) -> &'static str {
    match role {
        PersonRole::Patient => {
            "A person's name with patient wording right next to it: a cue before it (\"our \
             patient Liam\", \"baby Mateo\") or wording just after it (\"Jaylen rang the bell\", \
             \"Ana, who was discharged today\"). phiguard reads the name as a patient's."
        }
        PersonRole::Person => {
            "A person's name whose role the post does not make clear: not after a staff title, \
             not before a credential, not a listed public figure, and with no patient wording \
             right next to it. It may be a patient's, so what else the post says decides the \
             risk."
        }
        PersonRole::Staff => {
            "A clinician's or staff member's name: after a staff title (Dr., Nurse, Chaplain), \
             before a credential (\", RN\", \" MD\", \", PharmD\"), or right next to staff \
             wording (\"our nurse of the year, Sarah Kim\"). Titles such as Mrs. or Baby do not \
             make a name staff's."
        }
        PersonRole::PublicFigure => {
            "The name of a public or historical figure from the public-figures list (Florence \
             Nightingale, Clara Barton): never a patient of your organisation."
        }
        PersonRole::Addressee => {
            "The @handle a post opens with: the person a reply is addressed to, and so the \
             person the reply is about. It is reported under other_id because a handle is a \
             unique identifying code (Safe Harbor item R), not a name."
        }
        PersonRole::Addressed => {
            "A name the post speaks to: a greeting (\"Hi Marisol!\"), a name that opens a reply \
             (\"Bill, we're glad you asked\") or closes it (\"…, Jess.\"). The post is a reply \
             to that person, who is a patient only when the post ties them or their family to \
             care (\"your son's stitches\")."
        }
    }
}

fn role_fix(role: PersonRole) -> Vec<String> {
    match role {
        PersonRole::Patient | PersonRole::Person => vec![
            sentence(Category::Name.advice()),
            "Or keep the name and take out what ties it to care: the diagnosis, the unit, the \
             dates, the room."
                .to_owned(),
        ],
        PersonRole::Staff => vec![
            "Nothing to fix when the post is about their work.".to_owned(),
            "When it tells of their own care, treat it as a patient's story: publish it only \
             with their written authorization, or leave the health details out."
                .to_owned(),
        ],
        PersonRole::PublicFigure => vec!["Nothing to fix.".to_owned()],
        PersonRole::Addressee | PersonRole::Addressed => vec![
            "Reply without confirming that the person is your patient and without health \
             details; offer a private channel, such as a direct message or your published \
             phone number."
                .to_owned(),
        ],
    }
}

fn kind_meaning(kind: SignalKind) -> &'static str {
    match kind {
        SignalKind::Health => "health information: a condition, treatment or medication",
        SignalKind::CareSetting => "a care unit or setting (NICU, oncology, hospice)",
        SignalKind::Patient => "wording that ties a person to being a patient or to a care episode",
        SignalKind::Mitigation => "wording that explicitly anonymises a story",
        SignalKind::Staff => "wording of staff, award and hiring posts",
    }
}

/// What `--fail-on` means for findings of this severity.
fn severity_text(severity: RiskLevel) -> &'static str {
    match severity {
        RiskLevel::High => {
            "a post with one of these findings is rated high whatever else it says, so it \
             fails the run at every --fail-on level except none"
        }
        RiskLevel::Medium => {
            "a post with one of these findings is rated at least medium, so it fails the run \
             at the default --fail-on medium"
        }
        RiskLevel::Low => {
            "on its own a post with this finding is rated low and passes the default --fail-on \
             medium; next to a patient's name or patient wording it counts for more"
        }
        RiskLevel::None => "on its own it adds no risk; it matters only with other evidence",
    }
}

/// The sentences of "What it looks for": keywords, boosts, exclusions, validator.
fn context_lines(r: &Rule) -> Vec<String> {
    let mut lines = Vec::new();
    if r.keywords.is_empty() {
        lines.push("The pattern alone is enough: no words are needed around the value.".to_owned());
    } else {
        lines.push(format!(
            "Needs one of these words {}: {}.",
            within(r.window),
            few_words(&r.keywords)
        ));
    }
    for b in &r.boost {
        let mut line = match b.severity {
            Some(s) if s > r.severity => format!(
                "Raised to {s} (confidence {:.2}) when one of these words is {}: {}.",
                b.confidence,
                within(b.window),
                few_words(&b.keywords)
            ),
            _ => format!(
                "More confident ({:.2}) when one of these words is {}: {}.",
                b.confidence,
                within(b.window),
                few_words(&b.keywords)
            ),
        };
        if let Some(reason) = &b.reason {
            let _ = write!(line, " The report then says: \"{}\".", show(reason));
        }
        lines.push(line);
    }
    for x in &r.exclude {
        lines.push(format!(
            "Not reported when one of these words is {}: {}.",
            within(x.window),
            few_words(&x.keywords)
        ));
    }
    if let Some(v) = r.validator {
        lines.push(format!(
            "Every value must also pass the {} check (see validator above).",
            v.name()
        ));
    }
    lines
}

fn within(w: Option<Window>) -> String {
    match w.map(Window::sides) {
        None => "anywhere in the same text".to_owned(),
        Some((b, a)) if b == a => format!("within {b} characters of the value"),
        Some((b, 0)) => format!("within {b} characters before the value"),
        Some((0, a)) => format!("within {a} characters after the value"),
        Some((b, a)) => format!("within {b} characters before or {a} after the value"),
    }
}

fn allow_rule(p: &Pack, r: &Rule) -> Vec<String> {
    let mut lines = vec![fail_on_line(r.severity)];
    if p.builtin {
        lines.push(format!(
            "There is no switch yet to turn off one rule or to allow one value. To change how \
             this rule works, copy it from {} into your own pack under a new id, adjust it and \
             load the pack with --pack FILE (patterns/README.md documents every field; `phiguard \
             packs check FILE` tests it). To drop the built-in rule itself, scan with \
             --no-default-packs and your own copies of the built-in packs you want to keep.",
            show(&p.file)
        ));
    } else {
        lines.push(format!(
            "This rule comes from your pack {}: edit it there (`phiguard packs check FILE` tests \
             it), or leave that --pack FILE out of the scan.",
            show(&p.file)
        ));
    }
    lines
}

fn allow_category(c: Category) -> Vec<String> {
    vec![
        fail_on_line(pack::default_severity(c)),
        "There is no switch yet to turn off a category or to allow one value. A rule can be \
         changed by copying it into your own pack under a new id, loaded with --pack FILE; \
         `phiguard explain RULE` says more for each rule."
            .to_owned(),
    ]
}

fn fail_on_line(severity: RiskLevel) -> String {
    let level = match severity {
        RiskLevel::High => {
            "Findings like this make a post high, and only --fail-on none (never fail) lets such \
             a run pass: remove the value instead."
        }
        RiskLevel::Medium => {
            "Findings like this make a post at least medium: --fail-on high lets such a post \
             pass, for every post of the run, so prefer fixing the post."
        }
        RiskLevel::Low | RiskLevel::None => {
            "On their own, findings like this leave a post low, and low posts already pass the \
             default --fail-on medium."
        }
    };
    format!(
        "A finding fails the run only when its post reaches --fail-on LEVEL (default medium). \
         {level} --min-risk LEVEL hides posts below LEVEL from the report; they are still \
         counted."
    )
}

fn allow_name(role: PersonRole) -> Vec<String> {
    let pack_lists = "Your own pack can add to phiguard's lists: a [names] table with \
                      staff_titles, credentials or public_figures, and [[signal]] tables of kind \
                      \"staff\" or \"mitigation\" for your organisation's own wording; load it \
                      with --pack FILE (example below).";
    let mut lines = Vec::new();
    match role {
        PersonRole::Staff => {
            lines.push(
                "Write the title or credential with the name (\"Dr. Raman\", \"Tom Okafor, \
                 RN\"): that is what makes a name staff's."
                    .to_owned(),
            );
            lines.push(pack_lists.to_owned());
        }
        PersonRole::PublicFigure => {
            lines.push(
                "Nothing to allow: public figures add no risk. To add a figure phiguard does not \
                 know, list it under public_figures in your own pack's [names] table, loaded \
                 with --pack FILE (example below)."
                    .to_owned(),
            );
        }
        PersonRole::Addressee | PersonRole::Addressed => {
            lines.push(
                "The person replied to adds risk mainly when the reply ties them or their \
                 family to care; answer in general terms and keep details for a private \
                 channel."
                    .to_owned(),
            );
            lines.push(fail_on_line(RiskLevel::Low));
        }
        PersonRole::Patient | PersonRole::Person => {
            lines.push(
                "A staff member: write their title or credential with the name (\"Dr. Raman\", \
                 \"Tom Okafor, RN\"). A patient who agreed to be named: phiguard cannot see a \
                 written authorization and keeps reporting the name, so confirm with your \
                 privacy officer that one is on file before you publish."
                    .to_owned(),
            );
            lines.push(pack_lists.to_owned());
            lines.push(fail_on_line(RiskLevel::Low));
        }
    }
    lines
}

/// A user pack that adds to the name lists, as the allow advice for names refers to it.
pub const NAMES_PACK_EXAMPLE: &str = r#"[pack]
id = "my-names"

[names]
staff_titles = { words = ["care navigator"] }
public_figures = { words = ["Jane Example"] }"#;

fn names_pack_example(t: &mut String) {
    let _ = writeln!(t, "\n  Example pack (my-names.toml):\n");
    for line in NAMES_PACK_EXAMPLE.lines() {
        let _ = writeln!(t, "{}", format!("    {line}").trim_end());
    }
    let _ = writeln!(
        t,
        "\n  Use it with: phiguard scan --pack my-names.toml PATH"
    );
}

fn allow_signal(kind: SignalKind) -> Vec<String> {
    let effect = match kind {
        SignalKind::Mitigation | SignalKind::Staff => "It lowers risk; nothing to allow.",
        _ => {
            "Signals are never reported on their own; take the wording out of the post if it \
              ties a person to care."
        }
    };
    vec![
        effect.to_owned(),
        "To add words your organisation uses, add a [[signal]] table with a new id and the same \
         kind to your own pack and load it with --pack FILE."
            .to_owned(),
    ]
}

fn defined_in(p: &Pack, line: usize) -> String {
    let whose = if p.builtin {
        "built into phiguard".to_owned()
    } else {
        "your pack".to_owned()
    };
    format!("{}:{line} (pack {}, {whose})", show(&p.file), show(&p.id))
}

/// "(G) of 45 CFR 164.514(b)(2)(i): social security numbers"
fn safe_harbor(c: Category) -> String {
    format!(
        "identifier {} of 45 CFR 164.514(b)(2)(i): {}",
        c.safe_harbor_item(),
        c.safe_harbor_identifier()
    )
}

/// `ssn: Social Security number`, or the name alone when the label says nothing more.
fn category_title(c: Category) -> String {
    if c.label() == c.as_str() {
        c.as_str().to_owned()
    } else {
        format!("{}: {}", c.as_str(), c.label())
    }
}

/// The Safe Harbor letter alone, e.g. "G".
fn letter(c: Category) -> &'static str {
    c.safe_harbor_item().trim_matches(['(', ')'])
}

fn category_fields(t: &mut String, c: Category) {
    field(t, "category", &category_title(c));
    field(t, "Safe Harbor", &safe_harbor(c));
}

/// A category or label as typed: lower case, `-` and spaces as `_`.
fn normalise(s: &str) -> String {
    s.trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == '-' || c == ' ' { '_' } else { c })
        .collect()
}

/// The category `q` names: its stable name or its label, in any case, with `-`, `_` or spaces.
fn category_named(q: &str) -> Option<Category> {
    let key = normalise(q);
    Category::ALL
        .iter()
        .copied()
        .find(|c| normalise(c.as_str()) == key || normalise(c.label()) == key)
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(above + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

/// Pack text made safe for a terminal: line breaks, tabs and other control or bidirectional
/// characters are escaped.
fn show(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control()
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}') =>
            {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// `"a", "b", "c" and 12 more`: the first few words, quoted.
fn few_words(words: &[String]) -> String {
    let mut s = words
        .iter()
        .take(SHOWN_WORDS)
        .map(|w| format!("\"{}\"", show(w)))
        .collect::<Vec<_>>()
        .join(", ");
    if words.len() > SHOWN_WORDS {
        let _ = write!(s, " and {} more", words.len() - SHOWN_WORDS);
    }
    s
}

/// A one-line advice as a sentence: capital first letter, full stop.
fn sentence(s: &str) -> String {
    let mut chars = s.chars();
    let mut out: String = match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

fn window_json(w: Option<Window>) -> Value {
    match w.map(Window::sides) {
        Some((before, after)) => json!({"before": before, "after": after}),
        None => Value::Null,
    }
}

fn examples_json(examples: &[Example]) -> Vec<Value> {
    examples
        .iter()
        .map(|e| json!({"text": e.text(), "value": e.value()}))
        .collect()
}

// ---- plain-text layout -----------------------------------------------------------------------

fn title(t: &mut String, id: &str, description: &str) {
    let _ = writeln!(t, "{}", show(id));
    if !description.trim().is_empty() {
        wrap(t, "  ", "  ", &show(description));
    }
    t.push('\n');
}

fn heading(t: &mut String, text: &str) {
    let _ = writeln!(t, "\n{text}");
}

fn para(t: &mut String, text: &str) {
    wrap(t, "  ", "  ", text);
}

fn bullet(t: &mut String, text: &str) {
    wrap(t, "  - ", "    ", text);
}

/// `  label        value`, the value wrapped under itself.
fn field(t: &mut String, label: &str, value: &str) {
    wrap(t, &format!("  {label:<13}"), &" ".repeat(15), value);
}

fn examples(t: &mut String, found: &[Example], not_found: &[Example]) {
    if !found.is_empty() {
        heading(
            t,
            &format!(
                "Examples it finds ({}, as written in the pack)",
                found.len()
            ),
        );
        for e in found.iter().take(SHOWN_EXAMPLES) {
            let value = e
                .value()
                .map(|v| format!("  [value:\u{a0}{}]", show(v).replace(' ', "\u{a0}")))
                .unwrap_or_default();
            wrap(t, "  - ", "    ", &format!("\"{}\"{value}", show(e.text())));
        }
        more(t, found.len());
    }
    if !not_found.is_empty() {
        heading(
            t,
            &format!("Examples it must not find ({})", not_found.len()),
        );
        for e in not_found.iter().take(SHOWN_EXAMPLES) {
            wrap(t, "  - ", "    ", &format!("\"{}\"", show(e.text())));
        }
        more(t, not_found.len());
    }
}

fn more(t: &mut String, n: usize) {
    if n > SHOWN_EXAMPLES {
        let _ = writeln!(t, "    … and {} more in the pack file", n - SHOWN_EXAMPLES);
    }
}

/// Appends `text` wrapped at [`WIDTH`] columns: the first line starts with `first`, the others
/// with `rest`. Breaks only at spaces; a word longer than a line stays whole.
fn wrap(t: &mut String, first: &str, rest: &str, text: &str) {
    let mut line = first.to_owned();
    let mut width = first.chars().count();
    let mut empty = true;
    for word in text.split(' ') {
        let w = word.chars().count();
        if !empty && width + 1 + w > WIDTH {
            t.push_str(line.trim_end());
            t.push('\n');
            line = rest.to_owned();
            width = rest.chars().count();
            empty = true;
        }
        if !empty {
            line.push(' ');
            width += 1;
        }
        line.push_str(word);
        width += w;
        empty = false;
    }
    t.push_str(line.trim_end());
    t.push('\n');
}

/// What every signal's explanation opens with: its title, its kind, and what a signal is.
fn signal_head(t: &mut String, id: &str, description: &str, kind: SignalKind) {
    title(t, id, description);
    field(
        t,
        "kind",
        &format!("{}: {}", kind.as_str(), kind_meaning(kind)),
    );
    field(
        t,
        "what it is",
        "a signal, not an identifier: it is never reported on its own, it weighs the \
         identifiers found in the same post",
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_are_found_in_every_spelling() {
        assert_eq!(category_named("age-over-89"), Some(Category::AgeOver89));
        assert_eq!(category_named("AGE_OVER_89"), Some(Category::AgeOver89));
        assert_eq!(category_named(" SSN "), Some(Category::Ssn));
        assert_eq!(
            category_named("Medical-Record-Number"),
            Some(Category::MedicalRecordNumber)
        );
        assert_eq!(category_named("phone number"), Some(Category::Phone));
        assert_eq!(category_named("social"), None);
    }

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("dashed", "dashd"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn wrap_breaks_at_spaces_and_indents_the_rest() {
        let mut t = String::new();
        let words = ["word"; 30].join(" ");
        wrap(&mut t, "  - ", "    ", &words);
        let lines: Vec<&str> = t.lines().collect();
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.chars().count() <= WIDTH));
        assert!(lines[0].starts_with("  - word"));
        assert!(lines[1].starts_with("    word"));
    }

    #[test]
    fn pack_text_cannot_move_the_cursor() {
        assert_eq!(
            show("a\nb\tc\u{1b}[2J\u{202E}"),
            "a\\nb\\tc\\u{1b}[2J\\u{202e}"
        );
    }

    #[test]
    fn advice_becomes_a_sentence() {
        assert_eq!(sentence("remove it"), "Remove it.");
        assert_eq!(sentence("Done."), "Done.");
    }
}
