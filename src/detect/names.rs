//! Person names, from dictionaries plus cues.
//!
//! A post is cut into word tokens. Runs of capitalised tokens that are known first names or
//! surnames are names ("Jaylen Brooks"); so is a lone unambiguous first name ("Mateo went home").
//! Names that are also ordinary words ("Hope", "Grace", "Will", "Brown") need a cue: a second
//! name token, a title ("Mrs.", "Baby", "doña"), a label ("Patient:"), or a patient cue ("our
//! patient"). Titles and credentials of staff ("Dr.", "Nurse", ", RN"), organisation and place
//! words ("St. Mary's Hospital", "Lincoln Park", "Martin Luther King Jr. Blvd") and eponyms in
//! health terms ("Parkinson's") are handled on the way. Names are also found inside hashtags
//! (#PrayForJaylenBrooks), in registration style ("DOE-ROSS, KATHLEEN M"), in lower case after a
//! strong cue ("baby liam"), and an `@handle` that opens a reply is its addressee.
//!
//! Each name gets a role — patient, person, staff (clinicians included), public figure — that
//! the risk model weighs; the role comes from the cues around the name and from the signals in
//! the post (patient wording right after a name makes it a patient's).

use std::borrow::Cow;
use std::cell::{Cell, OnceCell};

use compact_str::CompactString;
use foldhash::HashSet;
use std::ops::Range;
use std::sync::{LazyLock, OnceLock};

use crate::pack::{NameLists, SignalKind, Table, WordList};

/// What the words around a name say about the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PersonRole {
    /// Named with patient wording: "our patient Liam", "Jaylen rang the bell".
    Patient,
    /// A person, role unknown.
    Person,
    /// A clinician or other staff member: "Dr. Raman", "Tom Okafor, RN", a configured staff name.
    Staff,
    /// A public or historical figure: never a patient of the post's organisation.
    PublicFigure,
    /// The `@handle` a reply is addressed to.
    Addressee,
    /// A name the post speaks to ("Hi Marisol!", "Bill, we're glad…", "…, Jess."): a reply to
    /// someone, who is a patient only when the post ties them or their family to care.
    Addressed,
}

/// One name (or addressee handle) in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct NameMatch {
    pub range: Range<usize>,
    pub role: PersonRole,
    pub confidence: f64,
}

/// A signal occurrence as the name detector needs it.
#[derive(Debug, Clone, Copy)]
pub struct Near {
    pub kind: SignalKind,
    pub start: usize,
    pub end: usize,
}

/// A constant word list looked up as a set (built on first use): the lists below are checked
/// for most words of every post, where a slice's linear `contains` showed in profiles.
struct WordSet {
    words: &'static [&'static str],
    set: OnceLock<HashSet<&'static str>>,
}

impl WordSet {
    const fn new(words: &'static [&'static str]) -> WordSet {
        WordSet {
            words,
            set: OnceLock::new(),
        }
    }

    fn contains(&self, w: &str) -> bool {
        self.set
            .get_or_init(|| self.words.iter().copied().collect())
            .contains(w)
    }
}

static PLACE_WORD_SET: WordSet = WordSet::new(PLACE_WORDS);
static IMPERATIVE_SET: WordSet = WordSet::new(IMPERATIVES);
static SURNAME_PLACE_WORD_SET: WordSet = WordSet::new(SURNAME_PLACE_WORDS);
static PREPOSITION_SET: WordSet = WordSet::new(PREPOSITIONS);
static PLACE_PREFIX_SET: WordSet = WordSet::new(PLACE_PREFIXES);
static PARTICLE_SET: WordSet = WordSet::new(PARTICLES);

/// Words that make a capitalised run an organisation, a place or an eponym, not a person.
const PLACE_WORDS: &[&str] = &[
    "academy",
    "act",
    "alley",
    "arena",
    "association",
    "ave",
    "avenue",
    "award",
    "awards",
    "bay",
    "beach",
    "blvd",
    "boulevard",
    "bridge",
    "building",
    "campus",
    "center",
    "centre",
    "chapel",
    "church",
    "circle",
    "city",
    "clinic",
    "club",
    "college",
    "company",
    "county",
    "court",
    "ct",
    "ctr",
    "day",
    "days",
    "disease",
    "drive",
    "field",
    "forest",
    "foundation",
    "fund",
    "garden",
    "gardens",
    "group",
    "hall",
    "health",
    "healthcare",
    "heights",
    "highway",
    "hills",
    "hospital",
    "house",
    "hwy",
    "inc",
    "institute",
    "lake",
    "lane",
    "law",
    "library",
    "llc",
    "ln",
    "lodge",
    "mall",
    "medical",
    "memorial",
    "method",
    "month",
    "mountain",
    "museum",
    "park",
    "parkway",
    "pharmacy",
    "pkwy",
    "place",
    "plaza",
    "program",
    "rd",
    "river",
    "road",
    "scale",
    "school",
    "score",
    "sign",
    "society",
    "square",
    "stadium",
    "station",
    "street",
    "syndrome",
    "team",
    "terrace",
    "test",
    "trail",
    "university",
    "valley",
    "village",
    "way",
    "week",
    "wing",
    "pizza",
    "restaurant",
    "cafe",
    "café",
    "bakery",
    "grill",
    "diner",
    "market",
    "store",
    "shop",
    "salon",
    "bar",
    "kitchen",
    "deli",
    "coffee",
    "brewing",
    "farms",
    "farm",
    "motors",
    "supply",
    "services",
    "construction",
    "rapids",
    "league",
    "bank",
    "insurance",
    "studio",
    "studios",
    "gym",
    "fitness",
    "dental",
    "pediatrics",
    "orthodontics",
];

/// Words that are never part of a name, even capitalised at the start of a sentence.
/// Verbs that open a sentence addressed to the reader ("Call Dana at…", "Ask Lee about…",
/// "Welcome Maria!"): before a name they are never part of it, even when they are surnames too.
const IMPERATIVES: &[&str] = &[
    "call",
    "text",
    "email",
    "ask",
    "meet",
    "join",
    "thank",
    "thanks",
    "welcome",
    "visit",
    "contact",
    "tell",
    "wish",
    "help",
    "see",
    "watch",
    "follow",
    "message",
    "dm",
    "reach",
    "congratulate",
    "celebrate",
    "greet",
    "invite",
    "honor",
    "honour",
    "remember",
    "support",
    "llame",
    "llama",
    "escriba",
    "visite",
    "conozca",
    "felicite",
];

const STOP_WORDS: &[&str] = &[
    "a",
    "an",
    "and",
    "are",
    "as",
    "at",
    "be",
    "but",
    "by",
    "for",
    "from",
    "he",
    "her",
    "hers",
    "him",
    "his",
    "i",
    "if",
    "in",
    "is",
    "it",
    "its",
    "me",
    "my",
    "no",
    "not",
    "of",
    "on",
    "or",
    "our",
    "ours",
    "she",
    "so",
    "that",
    "the",
    "their",
    "them",
    "these",
    "they",
    "this",
    "those",
    "to",
    "us",
    "we",
    "what",
    "when",
    "where",
    "who",
    "why",
    "with",
    "yes",
    "you",
    "your",
    "yours",
    "hi",
    "hey",
    "hello",
    "hola",
    "dear",
    "thanks",
    "happy",
    "congrats",
    "congratulations",
    "welcome",
    "please",
    "today",
    "tonight",
    "tomorrow",
    "yesterday",
    "el",
    "la",
    "los",
    "las",
    "un",
    "una",
    "mi",
    "tu",
    "su",
    "nuestra",
    "nuestro",
    "gracias",
    "feliz",
    "felicidades",
    "bienvenida",
    "bienvenido",
    "hoy",
    "ayer",
    "mañana",
    "manana",
];

/// Place words that are also common surnames ("Noah Park", "Sarah Hill"): a place only after a
/// preposition ("at Lincoln Park").
const SURNAME_PLACE_WORDS: &[&str] = &["park", "hill", "hills", "field", "wood", "woods"];

const PREPOSITIONS: &[&str] = &[
    "at", "in", "on", "near", "from", "to", "the", "en", "el", "del", "de", "por", "into",
];

/// Words before a capitalised run that make it a place or organisation.
const PLACE_PREFIXES: &[&str] = &["st", "saint", "san", "santa", "fort", "mount", "mt", "lake"];

/// Name particles kept inside a name ("María de la Cruz", "Ludwig van Beethoven").
const PARTICLES: &[&str] = &[
    "de", "del", "la", "las", "los", "van", "von", "da", "di", "du", "le", "y",
];

/// Labels after which the next words are a name ("Patient: …").
const LABELS: &[&str] = &[
    "patient",
    "pt",
    "name",
    "patient name",
    "resident",
    "paciente",
    "nombre",
    "residente",
];

/// Words right before a name that make it a patient's.
const PATIENT_CUES: &[&str] = &[
    "our patient",
    "patient",
    "paciente",
    "nuestra paciente",
    "nuestro paciente",
    "baby",
    "bebé",
    "bebe",
    "newborn",
    "preemie",
    "pray for",
    "prayers for",
    "praying for",
    "get well soon",
    "get well",
];

/// Words in a hashtag that make a lone first name in it a person's ("#TeamAvaStrong").
const HASHTAG_CUES: &[&str] = &[
    "pray", "prayers", "praying", "team", "strong", "fight", "love", "warrior", "support", "get",
    "well", "go", "for", "brave", "miracle", "baby", "welcome", "fuerza", "animo", "ánimo",
    "todos", "con", "oremos", "vamos", "por", "juntos",
];

/// Hashtag words that only go with a person ("#MilesMiracle", "#TeamAvaStrong", "#FuerzaCamila").
const STRONG_HASHTAG_CUES: &[&str] = &[
    "pray", "prayers", "praying", "strong", "warrior", "miracle", "fuerza", "oremos", "brave",
];

/// Words right before a name that mark it as one even when it is also an ordinary word
/// ("Hi Rob", "Hola Rosa", "congrats Grace", "la familia Ortega", "our resident Opal").
const ADDRESS_CUES: &[&str] = &[
    "hi",
    "hello",
    "hey",
    "dear",
    "hola",
    "querida",
    "querido",
    "estimada",
    "estimado",
    "congrats",
    "congratulations",
    "felicidades",
    "felicitaciones",
    "thanks",
    "thank you",
    "gracias",
    "happy birthday",
    "feliz cumpleaños",
    "familia",
    "lil",
    "omg",
    "welcome",
    "bienvenida",
    "bienvenido",
    "our resident",
    "resident",
    "residente",
    "nuestra residente",
    "nuestro residente",
    "our residents",
    "residents",
    "residentes",
    "nuestros residentes",
];

/// A word token of a text.
#[derive(Debug, Clone)]
struct Tok<'a> {
    start: usize,
    end: usize,
    /// The word as written, without a trailing possessive 's.
    span: &'a str,
    /// `span` in lower case, made when first asked for (most tokens never are).
    lower: OnceCell<CompactString>,
    shape: Shape,
    /// How the token stands in the dictionaries, once looked up ([`NameDetector::kind`]).
    kind: Cell<Option<Kind>>,
}

impl Tok<'_> {
    /// The word in lower case, without a trailing possessive 's.
    fn lower(&self) -> &str {
        lower_in(self.span, &self.lower)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Capitalised: "Jaylen", "O'Neil", "McDonald".
    Title,
    /// All capitals, two letters or more: "PRUITT".
    Upper,
    Lower,
    /// One capital letter: an initial.
    Initial,
}

/// How a token stands in the dictionaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A first name that is not an ordinary word.
    First,
    /// A surname (and not a first name) that is not an ordinary word.
    Surname,
    /// A name that is also an ordinary word.
    Word,
    Initial,
    Particle,
    Unknown,
    /// A word that is never part of a name (pronouns, articles, greetings).
    Stop,
}

/// Dictionaries and cue lists, ready for lookups.
#[derive(Debug, Default)]
pub struct NameDetector {
    first: Dict,
    surnames: Dict,
    words: Dict,
    honorifics: HashSet<String>,
    staff_titles: HashSet<String>,
    credentials: HashSet<String>,
    public: HashSet<String>,
    staff_names: HashSet<String>,
    /// First words of the staff titles and honorifics of more than one word ("nurse" of
    /// "nurse practitioner"): a pair of words is looked up only when it starts with one.
    title_heads: HashSet<String>,
    /// Every word of the titles and honorifics (and of their plurals) and the last word of
    /// every cue phrase, lower case: unless the word right before a token is one of these or
    /// ends like a profession, no title and no cue stands before it (one lookup for most
    /// tokens instead of one a list).
    cue_words: HashSet<String>,
}

/// A dictionary of lower-case words: built-in tables looked up in place, plus a set of others.
#[derive(Debug, Default)]
struct Dict {
    tables: Vec<&'static Table>,
    words: HashSet<String>,
}

impl Dict {
    fn new(list: &WordList) -> Dict {
        Dict {
            tables: list.tables.clone(),
            words: set(&list.words),
        }
    }

    fn contains(&self, w: &str) -> bool {
        self.words.contains(w) || self.tables.iter().any(|t| t.contains(w))
    }

    fn is_empty(&self) -> bool {
        self.words.is_empty() && self.tables.iter().all(|t| t.is_empty())
    }
}

fn set(words: &[String]) -> HashSet<String> {
    words
        .iter()
        .map(|w| w.trim().trim_end_matches('.').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Lower-cased words of a name, joined by single spaces ("Jaylen  Brooks" → "jaylen brooks").
fn normalise(name: &str) -> String {
    name.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

impl NameDetector {
    /// Builds the detector from the packs' lists and the organisation's own staff names.
    pub fn new(lists: &NameLists, staff_names: &[String]) -> NameDetector {
        let honorifics = set(&lists.honorifics);
        let staff_titles = set(&lists.staff_titles);
        let title_heads = honorifics
            .iter()
            .chain(&staff_titles)
            .filter_map(|t| t.split_once(' ').map(|(head, _)| head.to_owned()))
            .collect();
        let mut cue_words: HashSet<String> = CUE_TAILS.keys().cloned().collect();
        for t in honorifics.iter().chain(&staff_titles) {
            for part in t
                .split(|c: char| !c.is_alphabetic())
                .filter(|p| !p.is_empty())
            {
                cue_words.insert(part.to_owned());
                cue_words.insert(format!("{part}s"));
            }
        }
        NameDetector {
            title_heads,
            cue_words,
            first: Dict::new(&lists.first_names),
            surnames: Dict::new(&lists.surnames),
            words: Dict::new(&lists.name_words),
            honorifics,
            staff_titles,
            credentials: set(&lists.credentials),
            public: lists.public_figures.iter().map(|n| normalise(n)).collect(),
            staff_names: staff_names.iter().map(|n| normalise(n)).collect(),
        }
    }

    /// Whether there is anything to look names up in.
    pub fn is_empty(&self) -> bool {
        self.first.is_empty() && self.surnames.is_empty()
    }

    fn kind(&self, t: &Tok) -> Kind {
        if let Some(k) = t.kind.get() {
            return k;
        }
        let k = self.kind_uncached(t);
        t.kind.set(Some(k));
        k
    }

    fn kind_uncached(&self, t: &Tok) -> Kind {
        let folded = fold(t.lower());
        let w = &*folded;
        if is_stop_word(w) || (w.contains('\'') && !w.starts_with("o'") && !w.starts_with("d'")) {
            // Pronouns, articles and contractions ("I'll", "We're") are never names.
            Kind::Stop
        } else if t.shape == Shape::Initial && w == "i" {
            Kind::Stop
        } else if t.shape == Shape::Initial {
            Kind::Initial
        } else if PARTICLE_SET.contains(w) && t.shape == Shape::Lower {
            Kind::Particle
        } else if self.words.contains(w) {
            Kind::Word
        } else if self.first.contains(w) {
            Kind::First
        } else if self.surnames.contains(w) || self.double_barrelled(w) {
            Kind::Surname
        } else {
            Kind::Unknown
        }
    }

    /// A hyphenated name whose parts are names, at least one not an ordinary word
    /// ("doe-ross", "lopez-garcia").
    fn double_barrelled(&self, w: &str) -> bool {
        w.contains('-') && {
            let parts: Vec<&str> = w.split('-').collect();
            let named = |p: &&str| {
                self.first.contains(p) || self.surnames.contains(p) || self.words.contains(p)
            };
            parts.len() <= 3
                && parts.iter().all(named)
                && parts.iter().any(|p| !self.words.contains(p))
        }
    }

    fn is_title(&self, w: &str) -> Option<bool> {
        // Plural titles name several people ("our NICU nurses Abby and Rachel").
        let singular = w.strip_suffix('s').filter(|s| s.len() > 2);
        if self.staff_titles.contains(w) || singular.is_some_and(|s| self.staff_titles.contains(s))
        {
            Some(true)
        } else if self.honorifics.contains(w) {
            Some(false)
        } else {
            None
        }
    }

    /// Finds the names (and an opening `@handle`) in `text`. `near` are the signal occurrences
    /// of the same text.
    pub fn find(&self, text: &str, near: &[Near]) -> Vec<NameMatch> {
        let mut out = Vec::new();
        if self.is_empty() {
            return out;
        }
        if let Some(handle) = addressee(text) {
            out.push(NameMatch {
                range: handle,
                role: PersonRole::Addressee,
                confidence: 0.6,
            });
        }
        let mut toks = tokenize(text);
        self.recase_shouting(&mut toks);
        // A mostly capitalised text is a heading or a title ("Join Us For Hope Walk").
        let heading = toks.iter().filter(|t| t.shape != Shape::Lower).count() * 2 > toks.len();
        let mut i = 0;
        while i < toks.len() {
            match self.name_at(text, &toks, i, near, heading) {
                Some((found, next)) => {
                    out.extend(found);
                    i = next;
                }
                None => i += 1,
            }
        }
        let patient_post = near.iter().any(|s| s.kind == SignalKind::Patient);
        for tag in hashtags(text) {
            if let Some(m) = self.hashtag_name(text, tag, patient_post) {
                out.push(m);
            }
        }
        out.sort_by_key(|m| m.range.start);
        // Names listed after a staff member share the role: "our NICU nurses Abby and Rachel",
        // "Dr. Lee, Maria Soto and Tom Wu".
        for k in 1..out.len() {
            let gap = text[out[k - 1].range.end..out[k].range.start].trim();
            let listed = matches!(gap, "," | "and" | ", and" | "&" | "y" | "e");
            if listed && out[k - 1].role == PersonRole::Staff && out[k].role == PersonRole::Person {
                out[k].role = PersonRole::Staff;
            }
        }
        self.corefer(text, &mut out);
        out
    }

    /// A later or earlier mention of someone already placed shares their role: "Marguerite Osei,
    /// RN, … Marguerite has spent 17 years", "Nuestra enfermera Rocío Benavides … ¡Felicidades,
    /// Rocío!". A word shared by people of different roles decides nothing.
    fn corefer(&self, text: &str, out: &mut [NameMatch]) {
        let settled = |r: PersonRole| {
            matches!(
                r,
                PersonRole::Staff | PersonRole::PublicFigure | PersonRole::Patient
            )
        };
        if !out.iter().any(|m| settled(m.role)) {
            return;
        }
        let mut known: std::collections::HashMap<String, Option<PersonRole>> = Default::default();
        for m in out.iter().filter(|m| settled(m.role)) {
            for w in normalise(&text[m.range.clone()]).split(' ') {
                let role = known.entry(fold(w).into_owned()).or_insert(Some(m.role));
                if *role != Some(m.role) {
                    *role = None;
                }
            }
        }
        for m in out
            .iter_mut()
            .filter(|m| matches!(m.role, PersonRole::Person | PersonRole::Addressed))
        {
            let mut role = None;
            for w in normalise(&text[m.range.clone()]).split(' ') {
                let w = fold(w);
                match known.get(&*w) {
                    Some(Some(r)) if role.is_none_or(|x| x == *r) => role = Some(*r),
                    _ => {
                        role = None;
                        break;
                    }
                }
            }
            if let Some(r) = role {
                m.role = r;
            }
        }
    }

    /// In a post written in capitals ("CONGRATS TERRENCE ON BEATING COVID"), capitals say
    /// nothing: a word counts as capitalised only when it is a name, a title or honorific, or
    /// follows a first name.
    fn recase_shouting(&self, toks: &mut [Tok]) {
        let upper = toks.iter().filter(|t| t.shape == Shape::Upper).count();
        if toks.len() < 3 || upper * 10 < toks.len() * 7 {
            return;
        }
        let mut prev_first = false;
        for t in toks.iter_mut() {
            if t.shape != Shape::Upper {
                prev_first = false;
                continue;
            }
            // Owned: the token's shape changes below (a shouting text is rare).
            let w = fold(t.lower()).into_owned();
            let stop = is_stop_word(&w);
            let named = !stop
                && (self.first.contains(&w)
                    || self.surnames.contains(&w)
                    || self.is_title(&w).is_some());
            t.kind.set(None);
            t.shape = if named || (prev_first && !stop) {
                Shape::Title
            } else {
                Shape::Lower
            };
            prev_first = named && self.first.contains(&w);
        }
    }

    /// A name starting at token `i`, and the token to go on from. `heading`: most words of
    /// the text are capitalised, so capitals say less.
    fn name_at(
        &self,
        text: &str,
        toks: &[Tok],
        i: usize,
        near: &[Near],
        heading: bool,
    ) -> Option<(Option<NameMatch>, usize)> {
        let t = &toks[i];
        if t.shape == Shape::Lower && !self.strong_cue_before(text, toks, i) {
            return None;
        }
        // Registration style: "DOE-ROSS, KATHLEEN M" / after a label, "Gómez, Luis".
        if let Some(m) = self.last_first(text, toks, i, near) {
            return Some(m);
        }
        // The run of name-shaped tokens joined by single spaces.
        let mut j = i + 1;
        while j < toks.len()
            && j - i < 5
            && joined(text, &toks[j - 1], &toks[j])
            && (toks[j].shape != Shape::Lower
                || (PARTICLE_SET.contains(toks[j].lower())
                    && toks.get(j + 1).is_some_and(|n| n.shape == Shape::Title)))
        {
            j += 1;
        }
        let mut run = &toks[i..j];
        let mut i = i;
        // Words that are never names at the start: "Welcome Dr. Luis", "Happy Birthday Maria".
        while run.len() > 1 && self.kind(&run[0]) == Kind::Stop {
            run = &run[1..];
            i += 1;
        }
        // Titles and honorifics at the start are cues, not names.
        let mut start = 0;
        let mut title: Option<bool> = None;
        while start < run.len() {
            let w = run[start].lower();
            let two = run
                .get(start + 1)
                .filter(|_| self.title_heads.contains(w))
                .map(|n| format!("{w} {}", n.lower()))
                .filter(|p| self.is_title(p).is_some());
            if let Some(p) = two {
                title = title.or(self.is_title(&p));
                start += 2;
            } else if let Some(staff) = self.is_title(w) {
                title = Some(title.unwrap_or(false) || staff);
                start += 1;
            } else {
                break;
            }
        }
        if start > 0 && start == run.len() {
            // A title alone ("Dr."): the name may follow on the next token, lower case or not.
            return None;
        }

        let mut name = &run[start..];
        let mut first = i + start;
        while name.len() > 1 && self.kind(&name[0]) == Kind::Stop {
            name = &name[1..];
            first += 1;
        }
        while name.len() > 1 && self.kind(&name[name.len() - 1]) == Kind::Stop {
            name = &name[..name.len() - 1];
        }
        // Words around a name that are not names: "Call Dana", "Congrats Sarah Kim", "Sarah Kim
        // Thanks".
        while name.len() > 1
            && name[0].shape != Shape::Upper
            && IMPERATIVE_SET.contains(&fold(name[0].lower()))
        {
            name = &name[1..];
            first += 1;
        }
        while name.len() > 1
            && matches!(self.kind(&name[0]), Kind::Unknown | Kind::Word)
            && self.kind(&name[1]) == Kind::First
            && !(self.kind(&name[0]) == Kind::Word
                && (self.surnames.contains(&fold(name[1].lower()))
                    || self.title_before(text, toks, first).is_some()))
        {
            name = &name[1..];
            first += 1;
        }
        while name.len() > 1
            && self.kind(&name[name.len() - 1]) == Kind::Unknown
            && self.kind(&name[name.len() - 2]) == Kind::Surname
        {
            name = &name[..name.len() - 1];
        }
        if name.is_empty() {
            return None;
        }
        let next = i + j - i;
        // Places and organisations: a place word in the run or right after it, or a place
        // prefix right before it.
        let after = toks
            .get(j)
            .filter(|n| joined_loose(text, &run[run.len() - 1], n) || possessive_gap(text, n));
        let after_preposition = i == 0
            || (PREPOSITION_SET.contains(toks[i - 1].lower())
                && joined(text, &toks[i - 1], &toks[i]));
        let place_word = |t: &Tok| {
            PLACE_WORD_SET.contains(t.lower())
                || (SURNAME_PLACE_WORD_SET.contains(t.lower()) && after_preposition)
        };
        if name.iter().any(place_word)
            || after.is_some_and(place_word)
            || (i > 0
                && PLACE_PREFIX_SET.contains(toks[i - 1].lower())
                && toks[i - 1].shape != Shape::Lower
                && joined_loose(text, &toks[i - 1], &toks[i]))
            || self.is_city(text, name)
        {
            return Some((None, next));
        }
        let range = name[0].start..name[name.len() - 1].end;
        // Eponyms and other health terms ("Parkinson's", "Down syndrome") are not people.
        let near = around(near, &range);
        if near
            .iter()
            .any(|s| s.kind == SignalKind::Health && s.start < range.end && range.start < s.end)
        {
            return Some((None, next));
        }
        let kinds: Vec<Kind> = name.iter().map(|t| self.kind(t)).collect();
        let end = name[name.len() - 1].end;
        let family_after = name.len() == 1
            && kinds_of_one_surname(&kinds)
            && head(text, end, 16)
                .trim_start()
                .to_lowercase()
                .starts_with("family");
        // Patient wording right after the name ("Grace is home", "Grace rang the bell").
        let linked_after = near
            .iter()
            .any(|s| s.kind == SignalKind::Patient && s.start >= end && s.start - end <= 4);
        if title.is_none() || first > i + start {
            title = title
                .filter(|_| first == i + start)
                .or(self.title_before(text, toks, first));
        }
        // A lower-case word starts a name only right after a strong cue ("baby liam").
        if name[0].shape == Shape::Lower && !self.strong_cue_before(text, toks, first) {
            return None;
        }
        let cue_before = title.is_some() || self.strong_cue_before(text, toks, first);
        let titled = title.is_some() || label_before(text, name[0].start);
        let strong = cue_before || self.credential_after(text, end) || family_after || linked_after;
        if kinds.contains(&Kind::Stop) {
            return None;
        }
        let known = kinds
            .iter()
            .filter(|k| matches!(k, Kind::First | Kind::Surname))
            .count();
        let namelike = kinds
            .iter()
            .filter(|k| matches!(k, Kind::First | Kind::Surname | Kind::Word))
            .count();
        let upper = name.iter().all(|t| t.shape == Shape::Upper);
        // In lower case, only dictionary names count, and only after a strong cue.
        if name.iter().any(|t| t.shape == Shape::Lower)
            && (!strong
                || kinds
                    .iter()
                    .any(|k| !matches!(k, Kind::First | Kind::Surname | Kind::Particle)))
        {
            return None;
        }
        let accept = match name.len() {
            1 => match kinds[0] {
                Kind::First => !upper || strong,
                Kind::Surname => strong,
                Kind::Word => strong || (!heading && self.proper_mid_sentence(text, toks, first)),
                // An unknown word in capitals is an acronym ("Patient SSN"), not a name; patient
                // wording after a word does not make an unknown word a name ("We discharged").
                Kind::Unknown => titled && !upper,
                Kind::Initial | Kind::Particle | Kind::Stop => false,
            },
            _ => {
                let only_known_shapes = kinds.iter().all(|k| *k != Kind::Unknown) || known > 0;
                (known >= 1 && only_known_shapes && (!upper || known == namelike))
                    || (upper && kinds[0] == Kind::First && name.len() <= 3)
                    || (strong && known >= 1)
                    || (namelike >= 2 && name.iter().all(|t| t.shape == Shape::Title) && known >= 1)
            }
        };
        if !accept {
            return None;
        }
        let mut confidence: f64 = match (name.len(), known) {
            (1, _) => 0.55,
            (_, 0) => 0.6,
            _ => 0.75,
        };
        if strong {
            confidence += 0.15;
        }
        let role = self.role(text, &range, title, near);
        Some((
            Some(NameMatch {
                range,
                role,
                // In hundredths, so that ties with regex rules stay ties.
                confidence: (confidence.min(0.9) * 100.0).round() / 100.0,
            }),
            next,
        ))
    }

    /// Whether the single token `i`, a name that is also a word, is capitalised where only a
    /// proper noun would be: mid-sentence between lower-case words ("so proud of Misty today",
    /// "gracias a Luz por"), and not a virtue word that is also a campaign or a place name
    /// ("Hope", "Grace") or a month.
    fn proper_mid_sentence(&self, text: &str, toks: &[Tok], i: usize) -> bool {
        let t = &toks[i];
        if t.shape != Shape::Title || i == 0 || VIRTUES.contains(&&*fold(t.lower())) {
            return false;
        }
        let prev = &toks[i - 1];
        // After an article, a possessive or a preposition it is a thing or a place: "a Navy
        // veteran", "on their Back", "our Board", "Casa del Sol".
        if matches!(
            prev.lower(),
            "a" | "an"
                | "the"
                | "our"
                | "your"
                | "my"
                | "his"
                | "her"
                | "their"
                | "its"
                | "this"
                | "that"
                | "of"
                | "el"
                | "la"
                | "los"
                | "las"
                | "un"
                | "una"
                | "del"
                | "de"
                | "al"
                | "en"
                | "su"
                | "sus"
                | "nuestro"
                | "nuestra"
                | "in"
                | "at"
                | "on"
                | "from"
                | "into"
        ) {
            return false;
        }
        let gap = &text[prev.end..t.start];
        let lower_around =
            prev.shape == Shape::Lower && toks.get(i + 1).is_none_or(|n| n.shape == Shape::Lower);
        lower_around && gap.chars().all(|c| c == ' ' || c == ',')
    }

    /// Whether `name` is a city: a state follows it ("Norton, VT 05907", "Baltimore, MD"),
    /// unless it is a first and last name before a credential that is also a state code
    /// ("Priya Raman, MD").
    fn is_city(&self, text: &str, name: &[Tok]) -> bool {
        let end = name[name.len() - 1].end;
        // The town of a street address: "12 Mill Street, Harlow".
        let before = tail(text, name[0].start, 24).trim_end();
        if let Some(b) = before.strip_suffix(',') {
            let last = b
                .rsplit(|c: char| !c.is_alphabetic())
                .next()
                .unwrap_or("")
                .to_lowercase();
            if STREET_SUFFIXES.contains(&last.as_str()) {
                return true;
            }
        }
        let Some(zip) = state_follows(text, end) else {
            return false;
        };
        zip || name.len() == 1
            || !(name.iter().any(|t| self.kind(t) == Kind::First)
                || self.credential_after(text, end))
    }

    /// "LAST, FIRST [M]" in capitals, or after a label in any case.
    fn last_first(
        &self,
        text: &str,
        toks: &[Tok],
        i: usize,
        near: &[Near],
    ) -> Option<(Option<NameMatch>, usize)> {
        let last = &toks[i];
        let first = toks.get(i + 1)?;
        let between = &text[last.end..first.start];
        if between.trim_start_matches(['\'', '’', 's']) != ", " {
            return None;
        }
        let labelled = label_before(text, last.start);
        let caps =
            last.shape == Shape::Upper && matches!(first.shape, Shape::Upper | Shape::Initial);
        let (first_l, last_l) = (fold(first.lower()), fold(last.lower()));
        // In title case, a list or schedule ("Soto, R. — MRI", "Morales, Jenna · last login"):
        // a surname that is no ordinary word, then an initial or a first name that is none.
        let title_case = last.shape == Shape::Title
            && self.surnames.contains(&last_l)
            && !self.words.contains(&last_l)
            && ((first.shape == Shape::Initial && text[first.end..].starts_with('.'))
                || (first.shape == Shape::Title
                    && self.first.contains(&first_l)
                    && !self.words.contains(&first_l)
                    && !self.surnames.contains(&first_l)));
        if !(caps
            || title_case
            || (labelled && last.shape != Shape::Lower && first.shape != Shape::Lower))
        {
            return None;
        }
        let initial = first.shape == Shape::Initial;
        let surname = self.surnames.contains(&last_l) || self.double_barrelled(&last_l);
        if !(labelled || (surname && (initial || self.first.contains(&first_l)))) {
            return None;
        }
        let mut end = first.end;
        let mut next = i + 2;
        if let Some(m) = toks.get(i + 2)
            && m.shape == Shape::Initial
            && joined(text, first, m)
        {
            end = m.end;
            next = i + 3;
        }
        let range = last.start..end;
        let role = self.role(text, &range, None, near);
        Some((
            Some(NameMatch {
                range,
                role,
                confidence: 0.8,
            }),
            next,
        ))
    }

    /// A name inside a hashtag: two name tokens in a row, or a lone first name beside a cue
    /// word ("#PrayForJaylenBrooks", "#TeamAvaStrong").
    fn hashtag_name(&self, text: &str, tag: Range<usize>, patient_post: bool) -> Option<NameMatch> {
        let parts = camel_parts(&text[tag.clone()]);
        let kinds: Vec<Kind> = parts
            .iter()
            .map(|(r, w)| {
                self.kind(&Tok {
                    start: tag.start + r.start,
                    end: tag.start + r.end,
                    span: &text[tag.start + r.start..tag.start + r.end],
                    lower: OnceCell::from(CompactString::from(w.as_str())),
                    shape: Shape::Title,
                    kind: Cell::new(None),
                })
            })
            .collect();
        let cue_word = |w: &str| HASHTAG_CUES.contains(&w);
        let namey = |k: usize| {
            matches!(kinds[k], Kind::First | Kind::Surname | Kind::Word) && !cue_word(&parts[k].1)
        };
        let cue = parts.iter().any(|(_, w)| cue_word(w));
        // A name that is also a word ("#MilesMiracle") needs a cue that only follows names.
        let strong_cue = parts
            .iter()
            .any(|(_, w)| STRONG_HASHTAG_CUES.contains(&w.as_str()));
        let mut best: Option<(usize, usize)> = None;
        let mut a = 0;
        while a < parts.len() {
            if !namey(a) {
                a += 1;
                continue;
            }
            let mut b = a + 1;
            while b < parts.len() && namey(b) && b - a < 3 {
                b += 1;
            }
            let known = (a..b).any(|k| matches!(kinds[k], Kind::First | Kind::Surname));
            let ok = (b - a >= 2 && known)
                || (b - a == 1 && kinds[a] == Kind::First && cue)
                || (b - a == 1 && strong_cue);
            if ok && best.is_none_or(|(x, y)| b - a > y - x) {
                best = Some((a, b));
            }
            a = b;
        }
        let best = best.map(|(a, b)| tag.start + parts[a].0.start..tag.start + parts[b - 1].0.end);
        let range = best?;
        let prayer = parts
            .iter()
            .any(|(_, w)| matches!(w.as_str(), "pray" | "prayers" | "praying" | "oremos"));
        let role = if self.public.contains(&normalise(&text[range.clone()])) {
            PersonRole::PublicFigure
        } else if prayer || patient_post {
            PersonRole::Patient
        } else {
            PersonRole::Person
        };
        Some(NameMatch {
            range,
            role,
            confidence: 0.7,
        })
    }

    /// A staff title (`Some(true)`) or honorific (`Some(false)`) right before token `i`
    /// ("Dr. Raman", "Nurse Kim", "doña Lupe").
    fn title_before(&self, text: &str, toks: &[Tok], i: usize) -> Option<bool> {
        let prev = toks.get(i.checked_sub(1)?)?;
        if !joined_loose(text, prev, &toks[i]) {
            return None;
        }
        if let Some(p2) = i.checked_sub(2).and_then(|k| toks.get(k))
            && joined_loose(text, p2, prev)
            && self.title_heads.contains(p2.lower())
            && let Some(t) = self.is_title(&format!("{} {}", p2.lower(), prev.lower()))
        {
            return Some(t);
        }
        self.is_title(prev.lower())
            .or_else(|| (prev.shape == Shape::Lower && profession(prev.lower())).then_some(true))
    }

    /// Whether the word right before `at` (spaces, commas and periods aside) could end a title,
    /// an honorific or a cue phrase: a title or cue before `at` is only possible when it does.
    fn may_cue(&self, text: &str, at: usize) -> bool {
        let word = last_word(
            text[..at].trim_end_matches(|c: char| c.is_whitespace() || c == ',' || c == '.'),
        );
        if word.is_empty() {
            return false;
        }
        let owned = OnceCell::new();
        let lower = lower_in(word, &owned);
        self.cue_words.contains(lower)
            || PROFESSION_ENDINGS.iter().any(|e| lower.ends_with(e))
            || lower.ends_with("ista")
    }

    /// A label, title, honorific or patient cue right before token `i`: enough to take an
    /// ambiguous or lower-case word as a name.
    fn strong_cue_before(&self, text: &str, toks: &[Tok], i: usize) -> bool {
        let t = &toks[i];
        if label_before(text, t.start) {
            return true;
        }
        let may_cue = self.may_cue(text, t.start);
        if may_cue && self.title_before(text, toks, i).is_some() {
            return true;
        }
        let cues = if may_cue {
            cues_ending_before(text, t.start)
        } else {
            &[]
        };
        if !cues.is_empty() {
            let before = tail(text, t.start, 40).trim_end().to_lowercase();
            let before = before.trim_end_matches(',').trim_end();
            if cues
                .iter()
                .any(|c| before.ends_with(c) && word_start(before, before.len() - c.len()))
            {
                return true;
            }
        }
        // A lone name opening a reply: "Bill, we're glad the new hearing aids are working out
        // for your wife!"
        let opens_post = text[..t.start].chars().all(|c| !c.is_alphanumeric());
        let rest = &text[t.end..];
        opens_post
            && rest.starts_with(',')
            && head(text, t.end, 80)
                .to_lowercase()
                .split(|c: char| !c.is_alphabetic())
                .any(|w| matches!(w, "you" | "your" | "tu" | "te" | "usted"))
    }

    /// The role of the person named at `range`.
    fn role(
        &self,
        text: &str,
        range: &Range<usize>,
        title: Option<bool>,
        near: &[Near],
    ) -> PersonRole {
        let key = normalise(&text[range.clone()]);
        if self.is_public(text, range) {
            return PersonRole::PublicFigure;
        }
        let near = around(near, range);
        // Staff: a configured name, a title or credential, staff wording right beside the name
        // ("nuestro compañero Julio", "Sarah Kim, our employee of the month") or an apposition
        // giving a job ("Kenny Ramos, our unit clerk").
        let staffy = near.iter().any(|s| {
            if s.kind != SignalKind::Staff {
                return false;
            }
            let gap = if s.start >= range.end && s.start - range.end <= 12 {
                text[range.end..s.start].to_lowercase()
            } else if s.end <= range.start && range.start - s.end <= 12 {
                text[s.end..range.start].to_lowercase()
            } else {
                return false;
            };
            matches!(
                gap.trim(),
                "" | "," | ":" | "-" | "—" | ", our" | ", nuestra" | ", nuestro" | ", the"
            )
        });
        let before = tail(text, range.start, 40).trim_end().to_lowercase();
        let patient_cue = PATIENT_CUES
            .iter()
            .any(|c| before.ends_with(c) && word_start(&before, before.len() - c.len()));
        // "Patient: Gómez, Luis", "Paciente: Ana Ruiz".
        let labelled_patient = before.strip_suffix(':').is_some_and(|b| {
            let b = b.trim_end();
            [
                "patient",
                "pt",
                "patient name",
                "paciente",
                "resident",
                "residente",
            ]
            .iter()
            .any(|l| b.ends_with(l) && word_start(b, b.len() - l.len()))
        });
        if (patient_cue || labelled_patient) && title != Some(true) {
            return PersonRole::Patient;
        }
        if self.staff_names.contains(&key)
            || title == Some(true)
            || self.credential_after(text, range.end)
            || staffy
            || self.staff_appositive(text, range.end)
        {
            return if self.own_care(text, range, near) {
                PersonRole::Patient
            } else {
                PersonRole::Staff
            };
        }
        // Patient wording right after the name ("Jaylen rang the bell", "Ana, who was
        // diagnosed") or just before it ("was discharged today: Ana").
        let linked = near.iter().any(|s| {
            s.kind == SignalKind::Patient
                && ((s.start >= range.end && s.start - range.end <= 60)
                    || (s.end <= range.start
                        && range.start - s.end <= 30
                        // Not across a sentence: "…passed away on March 9. Darlene never…"
                        && !sentence_break(&text[s.end..range.start])))
        });
        if linked {
            PersonRole::Patient
        } else if self.addressed(text, range, &before) {
            PersonRole::Addressed
        } else {
            PersonRole::Person
        }
    }

    /// Whether the name at `range` is a public figure's, or the start of one whose rest the
    /// dictionaries did not take for a name ("Henrietta" of "Henrietta Lacks").
    fn is_public(&self, text: &str, range: &Range<usize>) -> bool {
        let key = normalise(&text[range.clone()]);
        if self.public.contains(&key) {
            return true;
        }
        let ahead = normalise(head(text, range.start, 48));
        self.public.iter().any(|p| {
            p.len() > key.len()
                && p.starts_with(&key)
                && ahead.starts_with(p.as_str())
                && ahead[p.len()..].chars().next().is_none_or(|c| c == ' ')
        })
    }

    /// Whether the post tells of a staff member's own care: patient wording right after the
    /// name ("Dr. Haddad is recovering", "Nurse Kim was admitted"), a get-well or prayer cue
    /// before it ("Get well soon, Dr. Haddad!"), or patient wording and a health term with
    /// "his"/"her" after it ("Kelly Tran, RN! … back after her hip surgery").
    fn own_care(&self, text: &str, range: &Range<usize>, near: &[Near]) -> bool {
        let right_after = near.iter().any(|s| {
            s.kind == SignalKind::Patient && s.start >= range.end && s.start - range.end <= 24 && {
                let gap = text[range.end..s.start].to_lowercase();
                let gap = self.skip_credentials(gap.trim_start_matches([',', ' ']));
                gap.split_whitespace().next().is_some()
                    && gap
                        .split_whitespace()
                        .all(|w| COPULAS.contains(&w.trim_matches(',')))
            }
        });
        let cued = {
            let b = tail(text, range.start, 40).to_lowercase();
            let mut words: Vec<&str> = b
                .split(|c: char| !c.is_alphabetic())
                .filter(|w| !w.is_empty())
                .collect();
            while words.last().is_some_and(|w| {
                self.is_title(w).is_some()
                    || matches!(
                        *w,
                        "our" | "own" | "beloved" | "dear" | "nuestro" | "nuestra"
                    )
            }) {
                words.pop();
            }
            let b = words.join(" ");
            [
                "get well",
                "pray for",
                "praying for",
                "prayers for",
                "prayers up for",
                "thoughts are with",
                "oremos por",
                "oraciones por",
            ]
            .iter()
            .any(|c| b.ends_with(c))
        };
        let own_story = near
            .iter()
            .any(|s| s.kind == SignalKind::Patient && s.start > range.end)
            && near.iter().any(|s| {
                s.kind == SignalKind::Health
                    && s.start > range.end
                    && tail(text, s.start, 24)
                        .to_lowercase()
                        .split(|c: char| !c.is_alphabetic())
                        .any(|w| matches!(w, "his" | "her" | "su" | "sus"))
            });
        // "after completing her own treatment for breast cancer", "his own battle with lymphoma".
        let own_words = near.iter().any(|s| {
            s.kind == SignalKind::Health && s.start > range.end && s.start - range.end <= 160 && {
                let t = tail(text, s.start, 40).to_lowercase();
                t.contains("his own ")
                    || t.contains("her own ")
                    || t.contains("su propio")
                    || t.contains("su propia")
            }
        });
        right_after || cued || own_story || own_words
    }

    /// "Kenny Ramos, our 5 Rehab unit clerk", "Pia Lorenz, a family physician", "Félix
    /// Arellano, nuestro jardinero": an apposition after the name that gives a staff job.
    fn staff_appositive(&self, text: &str, end: usize) -> bool {
        let rest = head(text, end, 80);
        let Some(rest) = [", ", " — ", " - ", " – "]
            .iter()
            .find_map(|p| rest.strip_prefix(p))
        else {
            return false;
        };
        let clause = rest
            .split([',', '.', ';', ':', '!', '?', '(', '—', '\n'])
            .next()
            .unwrap_or("");
        let words: Vec<String> = clause
            .split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            })
            .filter(|w| !w.is_empty())
            .collect();
        let opens = words.first().is_some_and(|w| {
            matches!(
                w.as_str(),
                "our"
                    | "the"
                    | "a"
                    | "an"
                    | "my"
                    | "nuestro"
                    | "nuestra"
                    | "la"
                    | "el"
                    | "un"
                    | "una"
                    | "mi"
            )
        });
        opens
            && words.len() <= 8
            && words.iter().enumerate().any(|(k, w)| {
                self.is_title(w) == Some(true)
                    || profession(w)
                    || words
                        .get(k + 1)
                        .is_some_and(|n| self.is_title(&format!("{w} {n}")) == Some(true))
            })
    }

    /// Whether the post speaks to the person named at `range`: after a greeting ("Hi Marisol",
    /// "Querida Marisol") or as a lone first name opening the post before a comma ("Bill, we're
    /// glad…"). A name closing a sentence ("…so proud of you, Cassidy!") is usually in a post
    /// about that person, so it is not taken as a reply.
    fn addressed(&self, text: &str, range: &Range<usize>, before: &str) -> bool {
        let before = before.trim_end_matches([',', ' ', '¡']);
        if GREETINGS
            .iter()
            .any(|g| before.ends_with(g) && word_start(before, before.len() - g.len()))
            && text[range.end..]
                .chars()
                .find(|c| !c.is_whitespace())
                .is_none_or(|c| matches!(c, ',' | '!' | '.' | '?' | ':' | '—' | '-'))
        {
            return true;
        }
        let one_word = !text[range.clone()].contains(char::is_whitespace);
        let after = text[range.end..].trim_start_matches(' ');
        let opens_post = text[..range.start]
            .chars()
            .all(|c| !c.is_alphanumeric() && c != ',');
        if one_word && opens_post && (after.starts_with(',') || after.starts_with('!')) {
            let next = after[1..].trim_start().to_lowercase();
            return ![
                "who ", "que ", "quien ", "our ", "the ", "a ", "an ", "age ", "edad ",
            ]
            .iter()
            .any(|w| next.starts_with(w));
        }
        false
    }

    /// `s` without the credentials it opens with ("RN, BSN, is" → "is").
    fn skip_credentials<'a>(&self, mut s: &'a str) -> &'a str {
        loop {
            let word = s
                .split(|c: char| c == ',' || c.is_whitespace())
                .next()
                .unwrap_or("");
            let w = word.trim_end_matches('.').to_lowercase();
            if w.is_empty() || !self.credentials.contains(&w) {
                return s;
            }
            s = s[word.len()..].trim_start_matches([',', ' ']);
        }
    }

    /// ", MD" or " RN" right after a name (ambiguous credentials such as "do" or "pt" only after
    /// a comma or in capitals).
    fn credential_after(&self, text: &str, end: usize) -> bool {
        let rest = &text[end..];
        let comma = rest.starts_with(',');
        let rest = rest.trim_start_matches([',', ' ']);
        let word: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '/'))
            .collect();
        let trimmed = word.trim_end_matches('.');
        if trimmed.is_empty() || !self.credentials.contains(&trimmed.to_lowercase()) {
            return false;
        }
        comma || trimmed.chars().all(|c| !c.is_lowercase())
    }
}

fn kinds_of_one_surname(kinds: &[Kind]) -> bool {
    matches!(kinds, [Kind::Surname])
}

/// Lower-case `s` with Latin accents removed, as the census tables write names ("lucía" →
/// "lucia", "peña" → "pena").
fn fold(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match c {
                'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
                'é' | 'è' | 'ê' | 'ë' => 'e',
                'í' | 'ì' | 'î' | 'ï' => 'i',
                'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
                'ú' | 'ù' | 'û' | 'ü' => 'u',
                'ñ' => 'n',
                'ç' => 'c',
                c => c,
            })
            .collect(),
    )
}

/// Whether position `at` of `s` starts a word.
fn word_start(s: &str, at: usize) -> bool {
    s[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric())
}

/// The cue phrases a name may follow in lower case ("baby liam", "hi maria").
fn phrase_cues() -> impl Iterator<Item = &'static &'static str> {
    PATIENT_CUES
        .iter()
        .chain(ADDRESS_CUES)
        .chain(GREETINGS)
        .chain(&["meet", "conozcan a", "conozca a", "les presentamos a"])
}

/// The cue phrases by their last word, lower case: the word a text must end with for the cue
/// to end there.
static CUE_TAILS: LazyLock<foldhash::HashMap<String, Vec<&'static str>>> = LazyLock::new(|| {
    let mut tails: foldhash::HashMap<String, Vec<&'static str>> = Default::default();
    for c in phrase_cues() {
        tails.entry(last_word(c).to_owned()).or_default().push(c);
    }
    tails
});

/// The letters that end `s` (empty when it does not end with a letter).
fn last_word(s: &str) -> &str {
    let start = s
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphabetic())
        .last()
        .map_or(s.len(), |(i, _)| i);
    &s[start..]
}

/// The cue phrases that may end right before `at` (spaces and commas aside): those whose last
/// word is the text's last word there. A cheap test that rules out most tokens, and leaves few
/// phrases to compare for the others.
fn cues_ending_before(text: &str, at: usize) -> &'static [&'static str] {
    let word = last_word(text[..at].trim_end_matches(|c: char| c.is_whitespace() || c == ','));
    if word.is_empty() {
        return &[];
    }
    CUE_TAILS
        .get(lower_in(word, &OnceCell::new()))
        .map_or(&[], Vec::as_slice)
}

/// At most the last `n` bytes of `text` before `at` (cut on a character boundary): cues are
/// local, and looking further would make every token cost the whole text.
fn tail(text: &str, at: usize, n: usize) -> &str {
    let mut start = at.saturating_sub(n);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..at]
}

/// The signals that can touch `range`: `near` is sorted by start and no signal term is longer
/// than a few dozen bytes, so a window around the range is enough and keeps the lookup
/// logarithmic on long posts.
fn around<'a>(near: &'a [Near], range: &Range<usize>) -> &'a [Near] {
    let lo = near.partition_point(|s| s.start + 200 < range.start);
    let hi = near.partition_point(|s| s.start <= range.end + 200);
    &near[lo..hi.max(lo)]
}

/// Names that are also virtues, months or days: capitals mid-sentence do not make them names
/// ("donate to Hope", "in May", "Amazing Grace").
const VIRTUES: &[&str] = &[
    "hope",
    "faith",
    "grace",
    "joy",
    "charity",
    "patience",
    "mercy",
    "serenity",
    "destiny",
    "harmony",
    "trinity",
    "unity",
    "liberty",
    "justice",
    "honor",
    "honour",
    "glory",
    "haven",
    "heaven",
    "angel",
    "angels",
    "blessing",
    "miracle",
    "spirit",
    "star",
    "sunshine",
    "may",
    "june",
    "april",
    "august",
    "january",
    "march",
    "summer",
    "autumn",
    "winter",
    "spring",
    "christian",
    "christmas",
    "easter",
    "pascua",
    "esperanza",
    "caridad",
    "gloria",
    "fe",
    "santa",
    "san",
    "buenos",
    "bella",
    "vida",
    "mercedes",
    "will",
    "bill",
    "art",
    "bob",
    "sterling",
    "price",
    "sharp",
    "king",
    "lincoln",
    "washington",
    "jordan",
    "madison",
    "austin",
    "houston",
    "dallas",
    "phoenix",
    "denver",
    "paris",
    "london",
    "victoria",
    "florence",
    "georgia",
    "virginia",
    "carolina",
    "dakota",
    "indiana",
    "nevada",
    "montana",
    "chase",
    "wells",
    "ford",
    "apple",
];

/// Whether `gap` ends a sentence: a `.`, `!` or `?` that is not the period of a short
/// capitalised abbreviation ("Mrs.", "Dr.", "Sra.").
fn sentence_break(gap: &str) -> bool {
    gap.char_indices().any(|(i, c)| match c {
        '!' | '?' => true,
        '.' => {
            let word = gap[..i]
                .rsplit(|c: char| !c.is_alphabetic())
                .next()
                .unwrap_or("");
            let abbreviation = !word.is_empty()
                && word.chars().count() <= 4
                && word.chars().next().is_some_and(char::is_uppercase);
            !abbreviation
        }
        _ => false,
    })
}

/// Verbs between a staff member's name and patient wording that make the wording about them.
const COPULAS: &[&str] = &[
    "is", "was", "has", "had", "been", "being", "now", "still", "who", "got", "finally", "está",
    "estuvo", "fue", "sigue", "ya", "ha", "sido",
];

/// Greetings and thanks that open a reply to someone.
const GREETINGS: &[&str] = &[
    "hi",
    "hello",
    "hey",
    "dear",
    "hola",
    "querida",
    "querido",
    "estimada",
    "estimado",
    "thanks",
    "thank you",
    "gracias",
    "congrats",
    "congratulations",
    "felicidades",
    "felicitaciones",
    "aww",
    "awww",
    "omg",
    "yes",
    "sí",
    "lol",
    "happy birthday",
    "feliz cumpleaños",
    "welcome back",
    "good morning",
    "good afternoon",
    "buenos días",
    "buenas tardes",
];

/// How the names of clinical and other professions end (besides "-ista", checked on its own).
const PROFESSION_ENDINGS: &[&str] = &[
    "ologist",
    "iatrist",
    "ician",
    "therapist",
    "ólogo",
    "óloga",
    "ologo",
    "ologa",
    "iatra",
    "terapeuta",
];

/// Whether a lower-case word names a clinical or other profession by its ending ("neurologist",
/// "reumatóloga", "pediatrician", "nutricionista", "fisioterapeuta").
fn profession(w: &str) -> bool {
    PROFESSION_ENDINGS
        .iter()
        .any(|e| w.ends_with(e) && w.len() > e.len() + 1)
        || (w.ends_with("ista") && w.chars().count() > 6)
}

/// Where a second-person possessive ("your", "tu", "su") opens the few words before `at`, if
/// one does in the same clause: "your son's stitches", "tu cita de ultrasonido".
fn second_person_before(text: &str, at: usize) -> Option<usize> {
    let before = tail(text, at, 32);
    let base = at - before.len();
    let clause_start = before
        .rfind(['.', '!', '?', ';', ':', '\n'])
        .map_or(0, |k| k + 1);
    let lower = before.to_ascii_lowercase();
    let mut found = None;
    for w in ["your", "ur", "tu", "tus", "su", "sus"] {
        let mut from = clause_start;
        while let Some(k) = lower[from..].find(w) {
            let k = from + k;
            let end = k + w.len();
            let bounded = word_start(&lower, k)
                && lower[end..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric());
            if bounded && found.is_none_or(|f| k < f) {
                found = Some(k);
            }
            from = end;
        }
    }
    found.map(|k| base + k)
}

/// The span from a health term at `range` to a second-person possessive in the same clause
/// just before it ("your son's stitches") or just after it ("the stitches on your hand").
pub fn second_person_near(text: &str, range: &Range<usize>) -> Option<Range<usize>> {
    if let Some(start) = second_person_before(text, range.start) {
        return Some(start..range.end);
    }
    let after = head(text, range.end, 16);
    let clause = after
        .split(['.', '!', '?', ';', ':', ',', '\n'])
        .next()
        .unwrap_or("");
    let mut at = 0;
    for w in clause.split(' ') {
        if matches!(w.to_lowercase().as_str(), "your" | "ur" | "tu" | "tus") {
            return Some(range.start..range.end + at + w.len());
        }
        at += w.len() + 1;
    }
    None
}

/// Relatives a reply can ask after ("your grandma", "tu hijo").
const FAMILY: &[&str] = &[
    "mom",
    "mother",
    "mum",
    "dad",
    "father",
    "son",
    "daughter",
    "baby",
    "babies",
    "grandma",
    "grandmother",
    "grandpa",
    "grandfather",
    "nana",
    "wife",
    "husband",
    "partner",
    "child",
    "children",
    "kids",
    "kid",
    "boy",
    "girl",
    "little",
    "sister",
    "brother",
    "twins",
    "newborn",
    "mamá",
    "mama",
    "papá",
    "papa",
    "hijo",
    "hija",
    "hijos",
    "hijas",
    "bebé",
    "bebe",
    "abuela",
    "abuelo",
    "abuelita",
    "abuelito",
    "esposa",
    "esposo",
    "hermana",
    "hermano",
    "niño",
    "niña",
    "nieto",
    "nieta",
];

/// Second-person references to a relative in `text` ("your grandma", "your sweet baby girl",
/// "tu hijo"): from the possessive to the relative.
pub fn second_person_family(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let toks = tokenize(text);
    for (k, t) in toks.iter().enumerate() {
        if !matches!(t.lower(), "your" | "ur" | "tu" | "tus" | "su" | "sus") {
            continue;
        }
        if let Some(rel) = toks[k + 1..]
            .iter()
            .take(3)
            .find(|n| FAMILY.contains(&n.lower()))
        {
            out.push(t.start..rel.end);
        }
    }
    out
}

/// At most the first `n` bytes of `text` from `at` (cut on a character boundary).
fn head(text: &str, at: usize, n: usize) -> &str {
    let mut end = (at + n).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[at..end]
}

/// Whether a label ("Patient:", "Name:", "Paciente:") ends right before `at`.
fn label_before(text: &str, at: usize) -> bool {
    let before = tail(text, at, 40).trim_end_matches([' ', '\t']);
    let Some(before) = before.strip_suffix(':') else {
        return false;
    };
    let before = before.trim_end().to_lowercase();
    LABELS
        .iter()
        .any(|l| before.ends_with(l) && word_start(&before, before.len() - l.len()))
}

/// Whether `b` follows `a` after exactly one space (or ". " after an initial).
fn joined(text: &str, a: &Tok, b: &Tok) -> bool {
    let gap = &text[a.end..b.start];
    gap == " " || (a.shape == Shape::Initial && gap == ". ")
}

/// Whether `b` follows `a` after spaces, optionally after the period of an abbreviation ("Dr.
/// Kim", "Mrs Lee"; not "…our nurses. Rest easy").
fn joined_loose(text: &str, a: &Tok, b: &Tok) -> bool {
    let gap = &text[a.end..b.start];
    let gap = match gap.strip_prefix('.') {
        Some(rest) if a.lower().chars().count() <= 4 => rest,
        Some(_) => return false,
        None => gap,
    };
    !gap.is_empty() && gap.chars().all(|c| c == ' ') && gap.len() <= 2
}

/// Whether the gap before `b` is a possessive ("Mary's Hospital" has "'s " before "Hospital").
fn possessive_gap(text: &str, b: &Tok) -> bool {
    text[..b.start].ends_with("'s ") || text[..b.start].ends_with("’s ")
}

/// Whether a state code follows (", IL", " IL"): `Some(true)` when a ZIP code follows it too.
fn state_follows(text: &str, end: usize) -> Option<bool> {
    let rest = &text[end..];
    let rest = rest.strip_prefix(',').unwrap_or(rest);
    let rest = rest.strip_prefix(' ')?;
    let code = rest.get(..2)?;
    let after = rest[2..].chars().next();
    if !(code.bytes().all(|b| b.is_ascii_uppercase())
        && after.is_none_or(|c| !c.is_alphanumeric())
        && US_STATES.contains(&code))
    {
        return None;
    }
    let tail = rest[2..].trim_start_matches([',', ' ']);
    Some(tail.len() >= 5 && tail.as_bytes()[..5].iter().all(u8::is_ascii_digit))
}

/// Street words that end an address line before its town.
const STREET_SUFFIXES: &[&str] = &[
    "street",
    "st",
    "avenue",
    "ave",
    "road",
    "rd",
    "lane",
    "ln",
    "drive",
    "boulevard",
    "blvd",
    "way",
    "court",
    "ct",
    "place",
    "pl",
    "parkway",
    "pkwy",
    "highway",
    "hwy",
    "circle",
    "cir",
    "terrace",
    "trail",
    "pike",
    "suite",
    "ste",
    "floor",
];

const US_STATES: &[&str] = &[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM",
    "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA",
    "WV", "WI", "WY", "PR",
];

/// The `@handle` a text opens with (the addressee of a reply), without the `@`.
fn addressee(text: &str) -> Option<Range<usize>> {
    let start = text.len() - text.trim_start().len();
    let rest = text[start..].strip_prefix('@')?;
    let len = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(rest.len());
    let handle = rest[..len].trim_end_matches('.');
    (handle.len() >= 2).then(|| start + 1..start + 1 + handle.len())
}

/// The ranges of hashtags' words (after the `#`).
pub fn hashtags(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices('#') {
        let rest = &text[i + 1..];
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let before_ok = text[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        if len >= 3 && before_ok {
            out.push(i + 1..i + 1 + len);
        }
    }
    out
}

/// The camel-case words of a hashtag, as (range in the tag, lower-cased word).
pub fn camel_parts(tag: &str) -> Vec<(Range<usize>, String)> {
    let mut parts = Vec::new();
    let mut start: Option<usize> = None;
    let mut prev: Option<char> = None;
    for (i, c) in tag.char_indices() {
        let upper_run = start.map_or(0, |s| {
            tag[s..i].chars().filter(|c| c.is_uppercase()).count()
        });
        let boundary = match prev {
            None => false,
            Some(p) => {
                (c.is_uppercase() && p.is_lowercase())
                    || (c.is_lowercase()
                        && p.is_uppercase()
                        && upper_run >= 3
                        && start.is_some_and(|s| tag[s..i].chars().all(char::is_uppercase)))
                    || (c.is_alphabetic() != p.is_alphabetic())
                    || !c.is_alphanumeric()
            }
        };
        if boundary && let Some(s) = start.take() {
            parts.push((s..i, tag[s..i].to_lowercase()));
        }
        if c.is_alphabetic() && start.is_none() {
            start = Some(i);
        }
        prev = Some(c);
    }
    if let Some(s) = start {
        parts.push((s..tag.len(), tag[s..].to_lowercase()));
    }
    parts.retain(|(_, w)| w.chars().all(char::is_alphabetic));
    parts
}

/// [`lower_word`] of `word`, without a copy when it is `word` as it is (ASCII lower case, the
/// common case); otherwise made in `owned`, once.
fn lower_in<'a>(word: &'a str, owned: &'a OnceCell<CompactString>) -> &'a str {
    if word
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b == b'-' || b == b'\'')
    {
        word
    } else {
        owned.get_or_init(|| lower_word(word))
    }
}

/// A word in lower case, with typographic apostrophes made straight.
fn lower_word(word: &str) -> CompactString {
    if word.is_ascii() {
        let mut w = CompactString::from(word);
        w.make_ascii_lowercase();
        w
    } else if word.contains('’') {
        word.to_lowercase().replace('’', "'").into()
    } else {
        word.to_lowercase().into()
    }
}

/// Whether `w` (lower case) is a word that is never part of a name.
fn is_stop_word(w: &str) -> bool {
    static SET: WordSet = WordSet::new(STOP_WORDS);
    SET.contains(w)
}

/// Cuts text into word tokens: letters with inner apostrophes and hyphens. Words inside email
/// and web addresses, handles and hashtags are left out (hashtags are read separately).
fn tokenize(text: &str) -> Vec<Tok<'_>> {
    let mut toks = Vec::new();
    let bytes = text.as_bytes();
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if !c.is_alphabetic() {
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = iter.peek() {
            let joins = matches!(d, '\'' | '’' | '-')
                && text[j + d.len_utf8()..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphabetic);
            if d.is_alphabetic() || joins {
                end = j + d.len_utf8();
                iter.next();
            } else {
                break;
            }
        }
        // A word glued to digits or inside an address is not a name.
        let before = text[..i].chars().next_back();
        let after = text[end..].chars().next();
        let inside = before.is_some_and(|b| {
            matches!(b, '@' | '#' | '/' | '_' | '=' | '.' | '\\') || b.is_ascii_digit()
        }) || after
            .is_some_and(|a| matches!(a, '@' | '_' | '/') || a.is_ascii_digit())
            || (after == Some('.')
                && text[end + 1..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric));
        if inside && !(before == Some('.') && bytes.get(i.wrapping_sub(2)) == Some(&b' ')) {
            continue;
        }
        let word = &text[i..end];
        let span_end = match word
            .strip_suffix("'s")
            .or_else(|| word.strip_suffix("’s"))
            .or_else(|| word.strip_suffix("'S"))
        {
            Some(stem) if !stem.is_empty() => i + stem.len(),
            _ => end,
        };
        let span = &text[i..span_end];
        let mut chars = span.chars();
        let first = chars.next().unwrap_or(' ');
        let shape = if span.chars().count() == 1 && first.is_uppercase() {
            Shape::Initial
        } else if first.is_uppercase()
            && span
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
        {
            Shape::Upper
        } else if first.is_uppercase() {
            Shape::Title
        } else {
            Shape::Lower
        };
        toks.push(Tok {
            start: i,
            end: span_end,
            span,
            lower: OnceCell::new(),
            shape,
            kind: Cell::new(None),
        });
    }
    toks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detector() -> NameDetector {
        let w = |s: &[&str]| s.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
        let table = |s: &[&str]| WordList {
            tables: Vec::new(),
            words: w(s),
        };
        NameDetector::new(
            &NameLists {
                first_names: table(&[
                    "jaylen", "mateo", "maria", "liam", "ava", "grace", "hope", "priya", "tom",
                    "kathleen", "luis", "mary", "martin", "june", "sarah",
                ]),
                surnames: table(&[
                    "brooks",
                    "raman",
                    "okafor",
                    "alvarez",
                    "doe-ross",
                    "gómez",
                    "brown",
                    "king",
                    "luther",
                    "kim",
                    "lopez",
                    "parkinson",
                    "nightingale",
                ]),
                name_words: table(&["grace", "hope", "brown", "brooks", "king", "june", "may"]),
                honorifics: w(&["mrs", "mrs.", "baby", "doña"]),
                staff_titles: w(&["dr", "dr.", "nurse", "nurse practitioner"]),
                credentials: w(&["md", "rn", "pt"]),
                public_figures: w(&["martin luther king", "florence nightingale"]),
                ..NameLists::default()
            },
            &["Sarah Kim".to_owned()],
        )
    }

    fn names(text: &str, near: &[Near]) -> Vec<(String, PersonRole)> {
        detector()
            .find(text, near)
            .into_iter()
            .map(|m| (text[m.range].to_owned(), m.role))
            .collect()
    }

    use PersonRole::*;

    #[test]
    fn runs_single_names_and_ambiguous_words() {
        assert_eq!(
            names("Please cheer on Jaylen Brooks today", &[]),
            vec![("Jaylen Brooks".into(), Person)]
        );
        assert_eq!(
            names("Mateo went home.", &[]),
            vec![("Mateo".into(), Person)]
        );
        assert!(names("We have Hope and Grace under pressure.", &[]).is_empty());
        assert!(names("Brown bag lunch", &[]).is_empty());
        assert_eq!(
            names("Mrs. Brown turned 102", &[]),
            vec![("Brown".into(), Person)]
        );
        assert_eq!(
            names("so happy for baby liam!", &[]),
            vec![("liam".into(), Patient)]
        );
        assert_eq!(
            names("Marquise's family thanks Mateo's nurses", &[]),
            vec![("Mateo".into(), Person)]
        );
    }

    #[test]
    fn staff_public_figures_and_places() {
        assert_eq!(
            names("Dr. Priya Raman joined", &[]),
            vec![("Priya Raman".into(), Staff)]
        );
        assert_eq!(
            names("Thanks to Tom Okafor, RN", &[]),
            vec![("Tom Okafor".into(), Staff)]
        );
        assert_eq!(
            names("Congrats Sarah Kim!", &[]),
            vec![("Sarah Kim".into(), Staff)]
        );
        assert_eq!(
            names("Remembering Martin Luther King today", &[]),
            vec![("Martin Luther King".into(), PublicFigure)]
        );
        assert!(names("Welcome to St. Mary's Hospital", &[]).is_empty());
        assert!(names("Visit 100 Martin Luther King Blvd", &[]).is_empty());
        assert!(names("We moved to Lopez Park", &[]).is_empty());
    }

    #[test]
    fn patient_cues_labels_registration_hashtags_and_handles() {
        assert_eq!(
            names("Meet our patient Liam!", &[]),
            vec![("Liam".into(), Patient)]
        );
        let near = [Near {
            kind: SignalKind::Patient,
            start: 13,
            end: 26,
        }];
        assert_eq!(
            names("Jaylen Brooks rang the bell", &near),
            vec![("Jaylen Brooks".into(), Patient)]
        );
        assert_eq!(
            names("Patient: Gómez, Luis\n", &[]),
            vec![("Gómez, Luis".into(), Patient)]
        );
        assert_eq!(
            names("DOE-ROSS, KATHLEEN M\nMRN", &[]),
            vec![("DOE-ROSS, KATHLEEN M".into(), Person)]
        );
        assert_eq!(
            names("Prayers! #PrayForJaylenBrooks", &[]),
            vec![("JaylenBrooks".into(), Patient)]
        );
        assert_eq!(names("#TeamAvaStrong", &[]), vec![("Ava".into(), Person)]);
        assert!(names("#HopeForAll #May", &[]).is_empty());
        assert_eq!(
            names("@dana_r so glad it went well", &[]),
            vec![("dana_r".into(), Addressee)]
        );
        assert!(names("write to maria@example.com or see example.org/maria", &[]).is_empty());
    }

    #[test]
    fn every_title_and_cue_passes_the_one_lookup_gate() {
        let d = detector();
        // Before the last word: a title (singular, plural, of two words, with its period), an
        // honorific, a profession, a cue phrase's last word (after a comma).
        for text in [
            "ask dr. kim",
            "our nurses abby",
            "our Nurse Practitioners liam",
            "Mrs lee",
            "doña lupe",
            "the neurologist kim",
            "la fisioterapeuta ana",
            "prayers for, liam",
            "Hi grace",
            "Meet ava",
        ] {
            let at = text.rfind(' ').unwrap() + 1;
            assert!(d.may_cue(text, at), "{text}");
        }
        for text in ["the clinic kim", "walk liam", "9 am grace", "", "   grace"] {
            let at = text.rfind(' ').map_or(0, |i| i + 1);
            assert!(!d.may_cue(text, at), "{text}");
        }
    }

    #[test]
    fn health_terms_are_not_names() {
        let near = [Near {
            kind: SignalKind::Health,
            start: 6,
            end: 19,
        }];
        assert!(names("About Parkinson's disease", &near).is_empty());
    }
}
