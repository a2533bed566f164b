//! Pattern packs: the TOML schema, parsing with precise diagnostics, and the built-in packs.
//!
//! A pack is data. [`parse`] turns one TOML file into a [`Pack`] or a list of [`Diagnostic`]s
//! that name the file, line, column and rule; [`crate::detect::Engine::build`] compiles packs
//! into a matcher; [`check`] runs every rule's examples through that engine. The schema is
//! documented for pack authors in `patterns/README.md`.

mod builtin;
pub mod check;
mod table;

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::category::{Category, RiskLevel};
use crate::text::LineIndex;
use crate::validate::Validator;
pub use table::Table;

pub use builtin::{BUILTIN, BUILTIN_DATA};

/// Confidence of a rule that does not set one.
pub const DEFAULT_CONFIDENCE: f64 = 0.6;

/// The text of one pack file and the name to report it under.
#[derive(Debug, Clone)]
pub struct PackSource {
    /// A path as given by the user, or `patterns/<file>` for built-in packs.
    pub name: String,
    pub text: String,
    pub builtin: bool,
    /// The file on disk, for a user pack: word-list files are found beside it.
    pub path: Option<PathBuf>,
}

impl PackSource {
    /// Every built-in pack, in table order.
    pub fn builtin() -> Vec<PackSource> {
        BUILTIN
            .iter()
            .map(|(file, text)| PackSource {
                name: format!("patterns/{file}"),
                text: (*text).to_owned(),
                builtin: true,
                path: None,
            })
            .collect()
    }

    /// Reads a user pack from disk.
    pub fn read(path: &Path) -> Result<PackSource, Diagnostic> {
        let name = path.display().to_string();
        match std::fs::read(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Ok(PackSource {
                    name,
                    text,
                    builtin: false,
                    path: Some(path.to_path_buf()),
                }),
                Err(_) => Err(Diagnostic::error(&name, "pack is not valid UTF-8")),
            },
            Err(err) => Err(Diagnostic::error(
                &name,
                format!("cannot read pack: {}", crate::source::io_reason(&err)),
            )),
        }
    }

    /// The text of a word-list file the pack names (`data/x.txt`): embedded for built-in packs,
    /// beside the pack file for user packs.
    fn list_file(&self, file: &str) -> Result<String, String> {
        if self.builtin {
            return BUILTIN_DATA
                .iter()
                .find(|(f, _)| *f == file)
                .map(|(_, text)| (*text).to_owned())
                .ok_or_else(|| format!("no built-in word list {file:?}"));
        }
        let base = self
            .path
            .as_deref()
            .and_then(Path::parent)
            .unwrap_or_else(|| Path::new("."));
        let path = base.join(file);
        // A word list is a regular file of bounded size: `/dev/zero` or a fifo named by a pack
        // must not hang or exhaust the scan.
        let read = || -> std::io::Result<Vec<u8>> {
            use std::io::{Error, ErrorKind, Read};
            let f = std::fs::File::open(&path)?;
            let meta = f.metadata()?;
            if !meta.is_file() {
                return Err(Error::new(ErrorKind::InvalidInput, "not a regular file"));
            }
            if meta.len() > MAX_WORD_LIST_SIZE {
                return Err(Error::new(
                    ErrorKind::FileTooLarge,
                    format!(
                        "larger than the {} limit for word lists",
                        crate::source::human_size(MAX_WORD_LIST_SIZE)
                    ),
                ));
            }
            let mut bytes = Vec::new();
            f.take(MAX_WORD_LIST_SIZE).read_to_end(&mut bytes)?;
            Ok(bytes)
        };
        match read() {
            Ok(bytes) => String::from_utf8(bytes)
                .map_err(|_| format!("word list {} is not valid UTF-8", path.display())),
            Err(err) => Err(format!(
                "cannot read word list {}: {}",
                path.display(),
                crate::source::io_reason(&err)
            )),
        }
    }
}

/// The largest word list a pack may name (the built-in census tables are under 1 MiB).
pub const MAX_WORD_LIST_SIZE: u64 = 16 << 20;

/// The entries of a word list: one per line, `#` starts a comment line, blank lines are
/// skipped, entries are trimmed and lower-cased.
pub fn parse_word_list(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_lowercase)
        .collect()
}

/// A parsed pack.
#[derive(Debug, Clone)]
pub struct Pack {
    pub id: String,
    pub description: String,
    /// Where the pack came from (see [`PackSource::name`]).
    pub file: String,
    pub builtin: bool,
    pub rules: Vec<Rule>,
    pub signals: Vec<Signal>,
    /// Word lists for name detection, when the pack has a `[names]` table.
    pub names: Option<NameLists>,
}

/// What a signal says about a post. Signals are not identifiers: they weigh the identifiers
/// found beside them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalKind {
    /// Health information: a condition, treatment or medication.
    Health,
    /// A care unit or setting (NICU, oncology, hospice): where someone is cared for, weaker
    /// than a condition on its own (staff work there too).
    CareSetting,
    /// Wording that ties a person to being a patient or to a care episode.
    Patient,
    /// Wording that explicitly anonymises a story ("names have been changed").
    Mitigation,
    /// Wording of staff, award and hiring posts, where a name is likely an employee's.
    Staff,
}

impl SignalKind {
    /// The stable name, as in pack files.
    pub fn as_str(self) -> &'static str {
        match self {
            SignalKind::Health => "health",
            SignalKind::CareSetting => "care_setting",
            SignalKind::Patient => "patient",
            SignalKind::Mitigation => "mitigation",
            SignalKind::Staff => "staff",
        }
    }
}

/// A parsed signal: a list of terms of one kind.
#[derive(Debug, Clone)]
pub struct Signal {
    pub id: String,
    pub kind: SignalKind,
    pub description: String,
    /// Lower-cased terms, matched on word boundaries.
    pub terms: Vec<String>,
    pub examples: Vec<Example>,
    pub negative_examples: Vec<Example>,
    /// 1-based line of the signal's `id`.
    pub line: usize,
}

/// A large word list: the words a pack lists or reads from a file, plus the built-in tables it
/// names, which are looked up in place (build.rs compiles the census tables into hash tables
/// laid out as data: nothing to read, hash or relocate at start-up).
#[derive(Debug, Clone, Default)]
pub struct WordList {
    pub tables: Vec<&'static Table>,
    /// Lower-cased words.
    pub words: Vec<String>,
}

impl WordList {
    /// How many entries (a word in two tables counts twice).
    pub fn len(&self) -> usize {
        self.words.len() + self.tables.iter().map(|t| t.len()).sum::<usize>()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds another list's entries to these.
    pub fn extend(&mut self, other: &WordList) {
        self.tables.extend(other.tables.iter().copied());
        self.words.extend_from_slice(&other.words);
    }
}

/// The word lists name detection uses (see `patterns/README.md`, "Names").
#[derive(Debug, Clone, Default)]
pub struct NameLists {
    pub first_names: WordList,
    pub surnames: WordList,
    /// Names that are also ordinary words: they need a stronger cue.
    pub name_words: WordList,
    /// Titles before a name that do not make it staff (Mrs., Baby, doña).
    pub honorifics: Vec<String>,
    /// Titles and roles before a name that make it a clinician or staff (Dr., Nurse).
    pub staff_titles: Vec<String>,
    /// Credentials after a name that make it a clinician (MD, RN, PharmD).
    pub credentials: Vec<String>,
    /// Public and historical figures: never patients.
    pub public_figures: Vec<String>,
    pub examples: Vec<Example>,
    pub negative_examples: Vec<Example>,
    /// 1-based line of the `[names]` table.
    pub line: usize,
}

impl NameLists {
    /// Adds another pack's lists to these.
    pub fn merge(&mut self, other: &NameLists) {
        self.first_names.extend(&other.first_names);
        self.surnames.extend(&other.surnames);
        self.name_words.extend(&other.name_words);
        self.honorifics.extend_from_slice(&other.honorifics);
        self.staff_titles.extend_from_slice(&other.staff_titles);
        self.credentials.extend_from_slice(&other.credentials);
        self.public_figures.extend_from_slice(&other.public_figures);
    }
}

/// A parsed rule (not yet compiled).
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub category: Category,
    pub description: String,
    pub regex: String,
    pub keywords: Vec<String>,
    pub window: Option<Window>,
    pub confidence: f64,
    pub validator: Option<Validator>,
    pub severity: RiskLevel,
    /// Contexts that raise a finding; the strongest one present applies.
    pub boost: Vec<Boost>,
    /// Contexts that rule a candidate out; any one present drops it.
    pub exclude: Vec<Exclude>,
    pub references: Vec<String>,
    /// How to fix a post with this finding, when the category's advice does not fit.
    pub advice: Option<String>,
    pub examples: Vec<Example>,
    pub negative_examples: Vec<Example>,
    /// 1-based line of the rule's `id` in its pack file.
    pub line: usize,
    /// 1-based line of the rule's `regex`.
    pub regex_line: usize,
}

/// How far from the value a keyword may be, in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Window {
    /// The same distance on both sides.
    Both(usize),
    /// Separate distances before and after the value.
    Sides(Sides),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sides {
    #[serde(default)]
    pub before: usize,
    #[serde(default)]
    pub after: usize,
}

impl Window {
    /// `(before, after)` in characters.
    pub fn sides(self) -> (usize, usize) {
        match self {
            Window::Both(n) => (n, n),
            Window::Sides(s) => (s.before, s.after),
        }
    }
}

/// Context that raises a finding's confidence (and optionally its severity).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Boost {
    pub keywords: Vec<String>,
    #[serde(default)]
    pub window: Option<Window>,
    pub confidence: f64,
    #[serde(default)]
    pub severity: Option<RiskLevel>,
    /// Shown in reports as the reason, e.g. "next to birth-date wording".
    #[serde(default)]
    pub reason: Option<String>,
}

/// Context that rules a candidate out.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclude {
    pub keywords: Vec<String>,
    #[serde(default)]
    pub window: Option<Window>,
}

/// One table or an array of tables (`[rule.boost]` or `[[rule.boost]]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    fn iter(&self) -> std::slice::Iter<'_, T> {
        match self {
            OneOrMany::One(t) => std::slice::from_ref(t).iter(),
            OneOrMany::Many(v) => v.iter(),
        }
    }

    fn iter_mut(&mut self) -> std::slice::IterMut<'_, T> {
        match self {
            OneOrMany::One(t) => std::slice::from_mut(t).iter_mut(),
            OneOrMany::Many(v) => v.iter_mut(),
        }
    }

    fn into_vec(self) -> Vec<T> {
        match self {
            OneOrMany::One(t) => vec![t],
            OneOrMany::Many(v) => v,
        }
    }
}

/// An example text, optionally with the exact value the rule must capture from it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Example {
    Text(String),
    Detailed(DetailedExample),
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetailedExample {
    pub text: String,
    #[serde(default)]
    pub value: Option<String>,
}

impl Example {
    pub fn text(&self) -> &str {
        match self {
            Example::Text(t) => t,
            Example::Detailed(d) => &d.text,
        }
    }

    /// The value the rule must capture, if the example pins one.
    pub fn value(&self) -> Option<&str> {
        match self {
            Example::Text(_) => None,
            Example::Detailed(d) => d.value.as_deref(),
        }
    }
}

// ---- the TOML shape ------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackFile {
    pack: PackHeader,
    /// Named keyword lists that rules use as `"@name"` in any keyword list.
    #[serde(default)]
    sets: std::collections::BTreeMap<String, Vec<String>>,
    #[serde(default)]
    rule: Vec<RuleSpec>,
    #[serde(default)]
    signal: Vec<SignalSpec>,
    #[serde(default)]
    names: Option<Spanned<NamesSpec>>,
}

/// Words given inline, in a file beside the pack, or both.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct WordListSpec {
    #[serde(default)]
    file: Option<String>,
    #[serde(default)]
    words: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignalSpec {
    id: Spanned<String>,
    kind: SignalKind,
    #[serde(default)]
    description: String,
    terms: WordListSpec,
    #[serde(default)]
    examples: Vec<Example>,
    #[serde(default)]
    negative_examples: Vec<Example>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NamesSpec {
    #[serde(default)]
    first_names: WordListSpec,
    #[serde(default)]
    surnames: WordListSpec,
    #[serde(default)]
    name_words: WordListSpec,
    #[serde(default)]
    honorifics: WordListSpec,
    #[serde(default)]
    staff_titles: WordListSpec,
    #[serde(default)]
    credentials: WordListSpec,
    #[serde(default)]
    public_figures: WordListSpec,
    #[serde(default)]
    examples: Vec<Example>,
    #[serde(default)]
    negative_examples: Vec<Example>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackHeader {
    id: Spanned<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    #[allow(dead_code)] // documented for people; nothing reads it yet
    references: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    id: Spanned<String>,
    category: Category,
    #[serde(default)]
    description: String,
    regex: Spanned<String>,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    window: Option<Window>,
    #[serde(default)]
    confidence: Option<Spanned<f64>>,
    #[serde(default)]
    validator: Option<Validator>,
    #[serde(default)]
    severity: Option<RiskLevel>,
    #[serde(default)]
    boost: Option<Spanned<OneOrMany<Boost>>>,
    #[serde(default)]
    exclude: Option<Spanned<OneOrMany<Exclude>>>,
    #[serde(default)]
    references: Vec<String>,
    #[serde(default)]
    advice: Option<String>,
    #[serde(default)]
    examples: Vec<Example>,
    #[serde(default)]
    negative_examples: Vec<Example>,
}

// ---- diagnostics -----------------------------------------------------------------------------

/// Whether a diagnostic stops a pack from being used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
}

/// A problem in a pack, located as precisely as we can.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub level: Level,
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub rule: Option<String>,
    pub message: String,
}

impl Diagnostic {
    pub fn error(file: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            level: Level::Error,
            file: file.to_owned(),
            line: None,
            column: None,
            rule: None,
            message: message.into(),
        }
    }

    pub fn at(mut self, line: usize, column: Option<usize>) -> Diagnostic {
        self.line = Some(line);
        self.column = column;
        self
    }

    pub fn rule(mut self, rule: &str) -> Diagnostic {
        self.rule = Some(rule.to_owned());
        self
    }

    pub fn warning(mut self) -> Diagnostic {
        self.level = Level::Warning;
        self
    }

    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        write!(f, ": {level}")?;
        if let Some(rule) = &self.rule {
            write!(f, ": rule `{rule}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

// ---- parsing ---------------------------------------------------------------------------------

/// Longest regex source a rule may have, in bytes.
pub const MAX_REGEX_LEN: usize = 4096;

/// Widest keyword window, in characters on each side. Context is local: a wider window would
/// only cost time (it is checked for every candidate).
pub const MAX_WINDOW: usize = 1000;

/// Parses one pack. Errors name the file, line, column and rule; warnings are returned beside
/// a successfully parsed pack.
pub fn parse(src: &PackSource) -> Result<(Pack, Vec<Diagnostic>), Vec<Diagnostic>> {
    let lines = LineIndex::new(src.text.as_bytes());
    let pos = |span: Range<usize>| lines.position(src.text.as_bytes(), span.start);
    let file: PackFile = match toml::from_str(&src.text) {
        Ok(f) => f,
        Err(err) => {
            let mut d = Diagnostic::error(&src.name, toml_message(&err));
            if let Some(span) = err.span() {
                let (line, col) = pos(span);
                d = d.at(line, Some(col));
            }
            return Err(vec![d]);
        }
    };

    let mut diags = Vec::new();
    let pack_id = file.pack.id.get_ref().clone();
    if !valid_id(&pack_id) {
        let (line, col) = pos(file.pack.id.span());
        diags.push(
            Diagnostic::error(
                &src.name,
                format!(
                    "pack id {pack_id:?} must be non-empty and use only letters, digits, '.', '_' and '-'"
                ),
            )
            .at(line, Some(col)),
        );
    }

    for name in file.sets.keys() {
        if !valid_id(name) {
            diags.push(Diagnostic::error(
                &src.name,
                format!(
                    "keyword set name {name:?} must use only letters, digits, '.', '_' and '-'"
                ),
            ));
        }
    }
    let sets = &file.sets;

    let mut rules = Vec::with_capacity(file.rule.len());
    let mut seen: Vec<(String, usize)> = Vec::new();
    for mut spec in file.rule {
        let id = spec.id.get_ref().clone();
        let (line, col) = pos(spec.id.span());
        let regex_line = pos(spec.regex.span()).0;
        let err =
            |msg: String, line: usize| Diagnostic::error(&src.name, msg).at(line, None).rule(&id);
        if !valid_id(&id) || !id.contains('.') {
            diags.push(
                Diagnostic::error(
                    &src.name,
                    "rule ids are namespaced (`pack.kind`, with at least one '.') and use only letters, digits, '.', '_' and '-'",
                )
                .at(line, Some(col))
                .rule(&id),
            );
        }
        if let Some((_, first)) = seen.iter().find(|(s, _)| *s == id) {
            diags.push(err(
                format!("duplicate rule id (first defined on line {first})"),
                line,
            ));
        } else {
            seen.push((id.clone(), line));
        }
        let regex = spec.regex.get_ref().clone();
        if regex.is_empty() {
            diags.push(err("regex is empty".into(), regex_line));
        }
        if regex.len() > MAX_REGEX_LEN {
            diags.push(err(
                format!(
                    "regex is {} bytes long; the limit is {MAX_REGEX_LEN}",
                    regex.len()
                ),
                regex_line,
            ));
        }
        let confidence = match &spec.confidence {
            Some(c) => {
                let v = *c.get_ref();
                if !(0.0..=1.0).contains(&v) {
                    diags.push(err(
                        format!("confidence {v} is outside 0.0..=1.0"),
                        pos(c.span()).0,
                    ));
                }
                v
            }
            None => DEFAULT_CONFIDENCE,
        };
        let mut expand = |list: &mut Vec<String>, field: &str, line: usize| {
            if let Err(name) = expand_sets(list, sets) {
                diags.push(
                    Diagnostic::error(
                        &src.name,
                        format!(
                            "`{field}` uses unknown keyword set `@{name}`; define it under \
                             [sets] (a set holds words, not other sets)"
                        ),
                    )
                    .at(line, None)
                    .rule(&id),
                );
            }
        };
        expand(&mut spec.keywords, "keywords", line);
        if let Some(b) = &mut spec.boost {
            let bline = pos(b.span()).0;
            for b in b.get_mut().iter_mut() {
                expand(&mut b.keywords, "boost.keywords", bline);
            }
        }
        if let Some(x) = &mut spec.exclude {
            let xline = pos(x.span()).0;
            for x in x.get_mut().iter_mut() {
                expand(&mut x.keywords, "exclude.keywords", xline);
            }
        }
        check_keywords(&spec.keywords, "keywords", line, &src.name, &id, &mut diags);
        let windows = spec
            .window
            .iter()
            .chain(
                spec.boost
                    .iter()
                    .flat_map(|b| b.get_ref().iter().filter_map(|b| b.window.as_ref())),
            )
            .chain(
                spec.exclude
                    .iter()
                    .flat_map(|x| x.get_ref().iter().filter_map(|x| x.window.as_ref())),
            );
        for w in windows {
            let (before, after) = w.sides();
            if before.max(after) > MAX_WINDOW {
                diags.push(err(
                    format!(
                        "window of {} characters is wider than the limit of {MAX_WINDOW}",
                        before.max(after)
                    ),
                    line,
                ));
            }
        }
        if spec.window.is_some() && spec.keywords.is_empty() {
            diags.push(err(
                "`window` needs `keywords`: it says how near the value a keyword must be".into(),
                line,
            ));
        }
        let mut boost = Vec::new();
        if let Some(b) = spec.boost {
            let bline = pos(b.span()).0;
            for b in b.into_inner().into_vec() {
                check_keywords(
                    &b.keywords,
                    "boost.keywords",
                    bline,
                    &src.name,
                    &id,
                    &mut diags,
                );
                if b.keywords.is_empty() {
                    diags.push(err("`boost.keywords` is empty".into(), bline));
                }
                if !(0.0..=1.0).contains(&b.confidence) {
                    diags.push(err(
                        format!("boost confidence {} is outside 0.0..=1.0", b.confidence),
                        bline,
                    ));
                }
                boost.push(b);
            }
        }
        let mut exclude = Vec::new();
        if let Some(x) = spec.exclude {
            let xline = pos(x.span()).0;
            for x in x.into_inner().into_vec() {
                check_keywords(
                    &x.keywords,
                    "exclude.keywords",
                    xline,
                    &src.name,
                    &id,
                    &mut diags,
                );
                if x.keywords.is_empty() {
                    diags.push(err("`exclude.keywords` is empty".into(), xline));
                }
                exclude.push(x);
            }
        }
        if !src.builtin && spec.examples.is_empty() && spec.negative_examples.is_empty() {
            diags.push(
                err(
                    "rule has no `examples` or `negative_examples`: `packs check` cannot test it"
                        .into(),
                    line,
                )
                .warning(),
            );
        }
        rules.push(Rule {
            severity: spec
                .severity
                .unwrap_or_else(|| default_severity(spec.category)),
            id,
            category: spec.category,
            description: spec.description,
            regex,
            keywords: spec.keywords,
            window: spec.window,
            confidence,
            validator: spec.validator,
            boost,
            exclude,
            references: spec.references,
            advice: spec.advice.filter(|a| !a.trim().is_empty()),
            examples: spec.examples,
            negative_examples: spec.negative_examples,
            line,
            regex_line,
        });
    }

    let mut signals = Vec::with_capacity(file.signal.len());
    for spec in file.signal {
        let id = spec.id.get_ref().clone();
        let line = pos(spec.id.span()).0;
        let terms = load_list(src, spec.terms, line, &format!("signal `{id}`"), &mut diags);
        signals.push(Signal {
            id,
            kind: spec.kind,
            description: spec.description,
            terms,
            examples: spec.examples,
            negative_examples: spec.negative_examples,
            line,
        });
    }
    for s in &signals {
        let err = |msg: String| {
            Diagnostic::error(&src.name, msg)
                .at(s.line, None)
                .rule(&s.id)
        };
        if !valid_id(&s.id) || !s.id.contains('.') {
            diags.push(err(
                "signal ids are namespaced like rule ids (`pack.kind`)".into()
            ));
        }
        if rules.iter().any(|r| r.id == s.id) || signals.iter().filter(|o| o.id == s.id).count() > 1
        {
            diags.push(err("duplicate id".into()));
        }
        if s.terms.is_empty() {
            diags.push(err("signal has no terms".into()));
        }
    }
    let names = file.names.map(|n| {
        let line = pos(n.span()).0;
        let n = n.into_inner();
        let mut table = |list, what| load_table(src, list, line, what, &mut diags);
        let first_names = table(n.first_names, "names.first_names");
        let surnames = table(n.surnames, "names.surnames");
        let name_words = table(n.name_words, "names.name_words");
        let mut load = |list, what| load_list(src, list, line, what, &mut diags);
        NameLists {
            first_names,
            surnames,
            name_words,
            honorifics: load(n.honorifics, "names.honorifics"),
            staff_titles: load(n.staff_titles, "names.staff_titles"),
            credentials: load(n.credentials, "names.credentials"),
            public_figures: load(n.public_figures, "names.public_figures"),
            examples: n.examples,
            negative_examples: n.negative_examples,
            line,
        }
    });

    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    Ok((
        Pack {
            id: pack_id,
            description: file.pack.description,
            file: src.name.clone(),
            builtin: src.builtin,
            rules,
            signals,
            names,
        },
        diags,
    ))
}

/// The words of a list: inline ones, then the file's (a file that cannot be read is an error
/// naming it and the pack line).
fn load_list(
    src: &PackSource,
    list: WordListSpec,
    line: usize,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut words: Vec<String> = list.words.iter().map(|w| w.trim().to_lowercase()).collect();
    if let Some(file) = &list.file {
        match src.list_file(file) {
            Ok(text) => words.extend(parse_word_list(&text)),
            Err(msg) => {
                diags.push(Diagnostic::error(&src.name, format!("{what}: {msg}")).at(line, None))
            }
        }
    }
    words.retain(|w| !w.is_empty());
    words
}

/// A large list: a built-in pack's file compiled into the binary is looked up in place; any
/// other is read like [`load_list`].
fn load_table(
    src: &PackSource,
    mut list: WordListSpec,
    line: usize,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> WordList {
    let table = list
        .file
        .as_deref()
        .filter(|_| src.builtin)
        .and_then(|file| builtin::TABLES.iter().find(|(f, _)| *f == file))
        .map(|(_, set)| *set);
    if table.is_some() {
        list.file = None;
    }
    WordList {
        tables: table.into_iter().collect(),
        words: load_list(src, list, line, what, diags),
    }
}

/// Replaces every `"@name"` entry of `list` with the words of set `name`. On an unknown set,
/// returns its name.
fn expand_sets(
    list: &mut Vec<String>,
    sets: &std::collections::BTreeMap<String, Vec<String>>,
) -> Result<(), String> {
    if !list.iter().any(|k| k.starts_with('@')) {
        return Ok(());
    }
    let mut out = Vec::with_capacity(list.len());
    for k in list.iter() {
        match k.strip_prefix('@') {
            Some(name) => match sets.get(name) {
                // Sets hold words, not other sets.
                Some(words) if !words.iter().any(|w| w.starts_with('@')) => {
                    out.extend(words.iter().cloned());
                }
                _ => return Err(name.to_owned()),
            },
            None => out.push(k.clone()),
        }
    }
    *list = out;
    Ok(())
}

fn check_keywords(
    keywords: &[String],
    field: &str,
    line: usize,
    file: &str,
    rule: &str,
    diags: &mut Vec<Diagnostic>,
) {
    for k in keywords {
        if k.trim().is_empty() {
            diags.push(
                Diagnostic::error(file, format!("`{field}` holds an empty keyword"))
                    .at(line, None)
                    .rule(rule),
            );
        }
    }
}

/// The severity a finding of this category has on its own, when the rule does not say.
///
/// Identifiers that never belong in a public post are `high`; ages over 89 (and names, photos
/// and biometrics, when a rule reports them) are `medium`; identifiers that are usually an
/// organisation's own details or its staff's (contact details, dates, licence, vehicle and device
/// numbers, rooms) are `low`: the risk model raises them when they are tied to a patient.
pub fn default_severity(category: Category) -> RiskLevel {
    match category {
        Category::Ssn
        | Category::MedicalRecordNumber
        | Category::HealthPlanId
        | Category::AccountNumber => RiskLevel::High,
        Category::Name | Category::AgeOver89 | Category::Biometric | Category::Photo => {
            RiskLevel::Medium
        }
        Category::LicenseNumber
        | Category::VehicleId
        | Category::DeviceId
        | Category::Geographic
        | Category::Date
        | Category::Phone
        | Category::Fax
        | Category::Email
        | Category::Url
        | Category::IpAddress
        | Category::OtherId => RiskLevel::Low,
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// serde's messages carry the whole input line in toml's Display; keep only the message.
fn toml_message(err: &toml::de::Error) -> String {
    let msg = err.message().trim();
    if msg.is_empty() {
        "invalid TOML".to_owned()
    } else {
        msg.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> PackSource {
        PackSource {
            name: "test.toml".into(),
            text: text.into(),
            builtin: false,
            path: None,
        }
    }

    #[test]
    fn minimal_rule_gets_documented_defaults() {
        let (pack, warnings) = parse(&src(
            "[pack]\nid = \"p\"\n\n[[rule]]\nid = \"p.x\"\ncategory = \"other_id\"\nregex = 'X([0-9]+)'\n",
        ))
        .unwrap();
        assert_eq!(pack.rules.len(), 1);
        let r = &pack.rules[0];
        assert_eq!(r.confidence, 0.6);
        assert_eq!(r.severity, RiskLevel::Low);
        assert_eq!(r.line, 5);
        assert_eq!(r.regex_line, 7);
        assert_eq!(
            warnings.len(),
            1,
            "a user rule without examples is warned about"
        );
        assert!(warnings[0].message.contains("no `examples`"));
    }

    #[test]
    fn unknown_field_names_file_line_and_column() {
        let errs = parse(&src(
            "[pack]\nid = \"p\"\n[[rule]]\nid = \"p.x\"\ncategory = \"phone\"\nregex = 'x'\nconfidance = 0.5\n",
        ))
        .unwrap_err();
        assert_eq!(errs.len(), 1);
        let d = &errs[0];
        assert_eq!(d.file, "test.toml");
        assert_eq!(d.line, Some(7));
        assert_eq!(d.column, Some(1));
        assert!(d.message.contains("confidance"), "{}", d.message);
    }

    #[test]
    fn unknown_category_and_validator_are_errors() {
        let errs = parse(&src(
            "[pack]\nid = \"p\"\n[[rule]]\nid = \"p.x\"\ncategory = \"phones\"\nregex = 'x'\n",
        ))
        .unwrap_err();
        assert_eq!(errs[0].line, Some(5));
        assert!(errs[0].message.contains("phones"), "{}", errs[0].message);

        let errs = parse(&src(
            "[pack]\nid = \"p\"\n[[rule]]\nid = \"p.x\"\ncategory = \"phone\"\nregex = 'x'\nvalidator = \"luhnn\"\n",
        ))
        .unwrap_err();
        assert_eq!(errs[0].line, Some(7));
        assert!(errs[0].message.contains("luhnn"), "{}", errs[0].message);
    }

    #[test]
    fn duplicate_ids_and_bad_confidence_name_the_rule() {
        let errs = parse(&src(
            "[pack]\nid = \"p\"\n[[rule]]\nid = \"p.x\"\ncategory = \"phone\"\nregex = 'x'\n\
             [[rule]]\nid = \"p.x\"\ncategory = \"phone\"\nregex = 'y'\nconfidence = 1.5\n",
        ))
        .unwrap_err();
        let text: Vec<String> = errs.iter().map(ToString::to_string).collect();
        assert!(
            text.contains(
                &"test.toml:8: error: rule `p.x`: duplicate rule id (first defined on line 4)"
                    .to_owned()
            ),
            "{text:?}"
        );
        assert!(
            text.contains(
                &"test.toml:11: error: rule `p.x`: confidence 1.5 is outside 0.0..=1.0".to_owned()
            ),
            "{text:?}"
        );
    }

    #[test]
    fn window_forms_and_examples_forms() {
        let (pack, _) = parse(&src(
            "[pack]\nid = \"p\"\n[[rule]]\nid = \"p.x\"\ncategory = \"phone\"\nregex = 'x'\n\
             keywords = [\"fax\"]\nwindow = { before = 10 }\n\
             examples = [\"fax x\", { text = \"fax: x\", value = \"x\" }]\n\
             [[rule]]\nid = \"p.y\"\ncategory = \"phone\"\nregex = 'y'\nkeywords = [\"k\"]\nwindow = 7\n",
        ))
        .unwrap();
        assert_eq!(pack.rules[0].window.unwrap().sides(), (10, 0));
        assert_eq!(pack.rules[1].window.unwrap().sides(), (7, 7));
        assert_eq!(pack.rules[0].examples[1].value(), Some("x"));
        assert_eq!(pack.rules[0].examples[0].text(), "fax x");
    }

    #[test]
    fn boost_and_exclude_take_one_table_or_many() {
        let (pack, _) = parse(&src(
            "[pack]\nid = \"p\"\n[[rule]]\nid = \"p.x\"\ncategory = \"date\"\nregex = 'x'\n\
             [rule.boost]\nkeywords = [\"dob\"]\nconfidence = 0.9\n\
             [[rule.exclude]]\nkeywords = [\"pain\"]\nwindow = { before = 20 }\n\
             [[rule.exclude]]\nkeywords = [\"of\"]\nwindow = { after = 4 }\n",
        ))
        .unwrap();
        let r = &pack.rules[0];
        assert_eq!(r.boost.len(), 1);
        assert_eq!(r.exclude.len(), 2);
        assert_eq!(r.exclude[1].window.unwrap().sides(), (0, 4));
    }

    #[test]
    fn keyword_sets_expand_everywhere_and_unknown_ones_are_errors() {
        let (pack, _) = parse(&src(
            "[pack]\nid = \"p\"\n[sets]\nbirth = [\"dob\", \"born\"]\n\
             [[rule]]\nid = \"p.x\"\ncategory = \"date\"\nregex = 'x'\nkeywords = [\"@birth\", \"on\"]\n\
             boost = { keywords = [\"@birth\"], confidence = 0.9 }\n",
        ))
        .unwrap();
        assert_eq!(pack.rules[0].keywords, vec!["dob", "born", "on"]);
        assert_eq!(pack.rules[0].boost[0].keywords, vec!["dob", "born"]);

        let errs = parse(&src(
            "[pack]\nid = \"p\"\n[[rule]]\nid = \"p.x\"\ncategory = \"date\"\nregex = 'x'\nkeywords = [\"@nope\"]\n",
        ))
        .unwrap_err();
        assert_eq!(
            errs[0].to_string(),
            "test.toml:4: error: rule `p.x`: `keywords` uses unknown keyword set `@nope`; define it \
             under [sets] (a set holds words, not other sets)"
        );
    }

    #[test]
    fn window_without_keywords_is_an_error() {
        let errs = parse(&src(
            "[pack]\nid = \"p\"\n[[rule]]\nid = \"p.x\"\ncategory = \"phone\"\nregex = 'x'\nwindow = 5\n",
        ))
        .unwrap_err();
        assert!(errs[0].message.contains("`window` needs `keywords`"));
    }

    #[test]
    fn rule_ids_must_be_namespaced() {
        let errs = parse(&src(
            "[pack]\nid = \"p\"\n[[rule]]\nid = \"plain\"\ncategory = \"phone\"\nregex = 'x'\n",
        ))
        .unwrap_err();
        assert_eq!(errs[0].rule.as_deref(), Some("plain"));
        assert_eq!(errs[0].line, Some(4));
    }
}
