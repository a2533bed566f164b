//! The generated person-name dictionaries (patterns/data/first-names.txt, surnames.txt,
//! name-words.txt) are canonical, were made by the committed generator and overrides, and keep
//! the spot checks true. Regenerate them with `python3 scripts/gen_names.py` from the repo root.
//! Reads nothing outside the repository.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

const REGEN: &str = "run python3 scripts/gen_names.py from the repository root";
const FIRST: &str = "patterns/data/first-names.txt";
const SURNAMES: &str = "patterns/data/surnames.txt";
const NAME_WORDS: &str = "patterns/data/name-words.txt";
const LISTS: [&str; 3] = [FIRST, SURNAMES, NAME_WORDS];
const GENERATOR: &str = "scripts/gen_names.py";
const OVERRIDES_DIR: &str = "scripts/names";

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn read(rel: &str) -> Vec<u8> {
    fs::read(repo(rel)).unwrap_or_else(|e| panic!("{rel}: cannot read ({e}); {REGEN}"))
}

fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One generated list: its `# ` header lines (without the `# `) and its names, with line numbers.
struct List {
    rel: &'static str,
    text: String,
    header: Vec<String>,
    /// (1-based line number, name)
    names: Vec<(usize, String)>,
}

impl List {
    fn load(rel: &'static str) -> List {
        let text = String::from_utf8(read(rel))
            .unwrap_or_else(|e| panic!("{rel}: not UTF-8 ({e}); {REGEN}"));
        let mut header = Vec::new();
        let mut names = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if names.is_empty() && line.starts_with('#') {
                header.push(line.strip_prefix("# ").unwrap_or(line).to_owned());
            } else {
                names.push((i + 1, line.to_owned()));
            }
        }
        List {
            rel,
            text,
            header,
            names,
        }
    }

    /// The value of the header line `key: value`.
    fn field(&self, key: &str) -> Option<&str> {
        let prefix = format!("{key}: ");
        self.header
            .iter()
            .find_map(|h| h.strip_prefix(prefix.as_str()))
    }

    fn set(&self) -> HashSet<&str> {
        self.names.iter().map(|(_, n)| n.as_str()).collect()
    }
}

/// Everything wrong with one list's shape, one message a problem (capped so a broken file still
/// gives a readable failure).
fn canonical_problems(list: &List) -> Vec<String> {
    let rel = list.rel;
    let mut out = Vec::new();
    if list.header.is_empty() {
        out.push(format!("{rel}: no `# ` header lines"));
    }
    for (i, line) in list.text.lines().enumerate() {
        if line.starts_with('#') && !line.starts_with("# ") {
            out.push(format!("{rel}:{}: header lines start with \"# \"", i + 1));
        }
    }
    for key in [
        "made by",
        "cut-offs",
        "entries",
        "generator-sha256",
        "overrides-sha256",
    ] {
        if list.field(key).is_none() {
            out.push(format!("{rel}: header has no `# {key}: ...` line"));
        }
    }
    if !list
        .header
        .iter()
        .any(|h| h.contains("python3 scripts/gen_names.py"))
    {
        out.push(format!(
            "{rel}: header does not name the command python3 scripts/gen_names.py"
        ));
    }
    for pkg in ["wamerican", "wspanish"] {
        if !list
            .header
            .iter()
            .any(|h| h.starts_with("dictionary: ") && h.contains(&format!("package={pkg} ")))
        {
            out.push(format!(
                "{rel}: header does not record the {pkg} dictionary and its version"
            ));
        }
    }
    for csv in ["census2020_first_names.csv", "census2010_surnames.csv"] {
        if !list
            .header
            .iter()
            .any(|h| h.starts_with(&format!("source: {csv} sha256=")))
        {
            out.push(format!(
                "{rel}: header does not record the source {csv} and its SHA-256"
            ));
        }
    }
    if !list.text.ends_with('\n') {
        out.push(format!("{rel}: no trailing newline"));
    }
    if list.text.contains('\r') {
        out.push(format!("{rel}: has CR line endings"));
    }
    if list.names.is_empty() {
        out.push(format!("{rel}: no names after the header"));
    }
    match list.field("entries").map(str::parse::<usize>) {
        Some(Ok(n)) if n == list.names.len() => {}
        Some(_) => out.push(format!(
            "{rel}: header says `entries: {}` but the file has {} names",
            list.field("entries").unwrap_or_default(),
            list.names.len()
        )),
        None => {}
    }
    let mut prev: Option<&str> = None;
    for (line, name) in &list.names {
        let at = format!("{rel}:{line}: {name:?}");
        if name.is_empty() {
            out.push(format!("{at}: blank line"));
        } else if name.trim() != name {
            out.push(format!("{at}: surrounding whitespace"));
        } else if name.starts_with('#') {
            out.push(format!("{at}: header line after the first name"));
        } else if name.to_lowercase() != *name {
            out.push(format!("{at}: not lower case"));
        } else if !name
            .chars()
            .all(|c| c.is_alphabetic() || c == '\'' || c == '-')
        {
            out.push(format!(
                "{at}: holds a character other than a letter, ' or -"
            ));
        }
        if let Some(p) = prev {
            if p.as_bytes() >= name.as_bytes() {
                let why = if p == name {
                    "repeated"
                } else {
                    "out of byte order"
                };
                out.push(format!("{at}: {why} (after {p:?})"));
            }
        }
        prev = Some(name);
    }
    out
}

fn fail_if_any(problems: Vec<String>) {
    if problems.is_empty() {
        return;
    }
    let shown: Vec<&str> = problems.iter().take(20).map(String::as_str).collect();
    let more = problems.len().saturating_sub(shown.len());
    panic!(
        "{} problem(s){}:\n  {}\n{REGEN}",
        problems.len(),
        if more > 0 {
            format!(" (first {} shown)", shown.len())
        } else {
            String::new()
        },
        shown.join("\n  ")
    );
}

#[test]
fn first_names_file_is_canonical() {
    fail_if_any(canonical_problems(&List::load(FIRST)));
}

#[test]
fn surnames_file_is_canonical() {
    fail_if_any(canonical_problems(&List::load(SURNAMES)));
}

#[test]
fn name_words_file_is_canonical() {
    fail_if_any(canonical_problems(&List::load(NAME_WORDS)));
}

/// The SHA-256 of scripts/names/*.txt concatenated in file-name (byte) order, as the generator
/// computes it.
fn overrides_sha256() -> String {
    let dir = repo(OVERRIDES_DIR);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{OVERRIDES_DIR}: cannot list ({e})"))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort_by(|a, b| {
        a.file_name()
            .unwrap()
            .as_encoded_bytes()
            .cmp(b.file_name().unwrap().as_encoded_bytes())
    });
    assert!(
        !files.is_empty(),
        "{OVERRIDES_DIR}/*.txt: no override lists found"
    );
    let mut all = Vec::new();
    for f in &files {
        all.extend(fs::read(f).unwrap_or_else(|e| panic!("{}: cannot read ({e})", f.display())));
    }
    hex_sha256(&all)
}

/// Each list was made by the committed generator from the committed override lists.
#[test]
fn name_lists_are_fresh() {
    let generator = hex_sha256(&read(GENERATOR));
    let overrides = overrides_sha256();
    let mut problems = Vec::new();
    for rel in LISTS {
        let list = List::load(rel);
        match list.field("generator-sha256") {
            Some(h) if h == generator => {}
            other => problems.push(format!(
                "{rel}: stale: `generator-sha256: {}` but {GENERATOR} has SHA-256 {generator}",
                other.unwrap_or("(missing)")
            )),
        }
        match list.field("overrides-sha256") {
            Some(h) if h == overrides => {}
            other => problems.push(format!(
                "{rel}: stale: `overrides-sha256: {}` but {OVERRIDES_DIR}/*.txt hash to {overrides}",
                other.unwrap_or("(missing)")
            )),
        }
    }
    // One run makes all three: their provenance lines (sources, dictionaries, cut-offs) agree.
    let provenance: HashSet<Vec<String>> = LISTS
        .iter()
        .map(|rel| {
            let list = List::load(rel);
            list.header
                .iter()
                .filter(|h| {
                    ["source: ", "dictionary: ", "cut-offs: "]
                        .iter()
                        .any(|k| h.starts_with(k))
                })
                .cloned()
                .collect()
        })
        .collect();
    if provenance.len() != 1 {
        problems.push(format!(
            "{}: their source, dictionary and cut-off header lines differ (made by different runs)",
            LISTS.join(", ")
        ));
    }
    fail_if_any(problems);
}

/// name-words.txt is a subset of first-names.txt ∪ surnames.txt.
#[test]
fn name_words_are_all_names() {
    let first = List::load(FIRST);
    let surnames = List::load(SURNAMES);
    let words = List::load(NAME_WORDS);
    let (f, s) = (first.set(), surnames.set());
    let problems = words
        .names
        .iter()
        .filter(|(_, n)| !f.contains(n.as_str()) && !s.contains(n.as_str()))
        .map(|(line, n)| format!("{NAME_WORDS}:{line}: {n:?} is in neither {FIRST} nor {SURNAMES}"))
        .collect();
    fail_if_any(problems);
}

struct Lists {
    first: HashSet<String>,
    surnames: HashSet<String>,
    words: HashSet<String>,
}

fn lists() -> Lists {
    let own = |rel| {
        List::load(rel)
            .names
            .into_iter()
            .map(|(_, n)| n)
            .collect::<HashSet<_>>()
    };
    Lists {
        first: own(FIRST),
        surnames: own(SURNAMES),
        words: own(NAME_WORDS),
    }
}

/// Common names, checked in the census tables by hand: kept, and not treated as words.
#[test]
fn common_names_are_names_and_not_name_words() {
    let l = lists();
    let mut problems = Vec::new();
    // (name, in first-names.txt, in surnames.txt)
    for (name, first, surname) in [
        ("jaylen", true, false),   // first names 33,250
        ("marquise", true, false), // first 7,877 (surname 106: below the cut-off); a word in wamerican
        ("mateo", true, true),     // first 63,140, surname 13,746
        ("guadalupe", true, true), // first 128,245, surname 4,877
        ("nguyen", true, true),    // surname 437,645, first 6,883
        ("okafor", false, true),   // surname 1,939
        ("ximena", true, false),   // first 24,081
        ("patel", true, true),     // surname 229,973
        ("john", true, true),      // "john" is a word in wamerican: overridden
        ("maria", true, true),     // "maria" (seas) in wamerican: overridden
        ("david", true, true),     // "david" in wspanish: overridden
        ("juan", true, true),      // "juan" in wspanish: overridden
        ("garcia", true, true),    // "garcía" in wspanish: overridden
        ("smith", true, true),     // "smith" in wamerican: overridden
    ] {
        if l.first.contains(name) != first {
            problems.push(format!(
                "{name:?}: expected {}in {FIRST}",
                if first { "" } else { "not " }
            ));
        }
        if l.surnames.contains(name) != surname {
            problems.push(format!(
                "{name:?}: expected {}in {SURNAMES}",
                if surname { "" } else { "not " }
            ));
        }
        if l.words.contains(name) {
            problems.push(format!("{name:?}: is a name, expected not in {NAME_WORDS}"));
        }
    }
    fail_if_any(problems);
}

/// Names that are ordinary English or Spanish words: kept, but only as name-words.
#[test]
fn ambiguous_names_are_name_words() {
    let l = lists();
    let mut problems = Vec::new();
    for name in [
        "hope",
        "grace",
        "brown",
        "may",
        "will",
        "young",
        "white",
        "rose",
        "bill",
        "mark",
        "cruz",
        "luz",
        "paz",
        "rosa",
        "june",
        "april",
        "christian",
        "houston",
        "jesus",
        "hong",
        "kong",
    ] {
        if !l.words.contains(name) {
            problems.push(format!("{name:?}: expected in {NAME_WORDS}"));
        }
        if !l.first.contains(name) && !l.surnames.contains(name) {
            problems.push(format!("{name:?}: expected in {FIRST} or {SURNAMES}"));
        }
    }
    fail_if_any(problems);
}

/// Abbreviations, function words, clinical words and census placeholders are in no list,
/// though the census has most of them (the 3,185, patient 558, nurse 2,786, baby 15,302).
#[test]
fn clinical_words_and_abbreviations_are_in_no_list() {
    let l = lists();
    let mut problems = Vec::new();
    for word in [
        "icu",
        "nicu",
        "er",
        "md",
        "rn",
        "ok",
        "ceo",
        "covid",
        "patient",
        "nurse",
        "doctor",
        "care",
        "baby",
        "son",
        "female",
        "fnu",
        "the",
        "you",
        "que",
        "texas",
        "october",
        "christmas",
        "all other names",
        "all",
    ] {
        for (rel, set) in [
            (FIRST, &l.first),
            (SURNAMES, &l.surnames),
            (NAME_WORDS, &l.words),
        ] {
            if set.contains(word) {
                problems.push(format!("{word:?}: expected in no list, found in {rel}"));
            }
        }
    }
    fail_if_any(problems);
}
