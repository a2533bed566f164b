//! Prepares at build time what every scan with the built-in packs would otherwise rebuild at
//! start-up (pre-commit latency; see docs/PERFORMANCE.md):
//!
//! - the list of built-in packs, embedded in the binary (`pack::BUILTIN`);
//! - the census name tables as hash tables laid out as plain data (`src/pack/table.rs`), so a
//!   scan looks names up in place instead of reading 100,000 words into a hash set, and the
//!   loader has no pointer per word to relocate. The tables stay plain text in
//!   `patterns/data/`; the pack loader reads the same files the same way for other packs;
//! - phase one of the built-in packs: the NFA of the distinct patterns of rules without
//!   keywords, compiled here and stored in `src/detect/nfa_code.rs`'s form. The engine rebuilds
//!   it in about a millisecond instead of parsing and compiling the patterns (about 8 ms); it
//!   matches patterns by their text, so a pack that differs is simply compiled at run time;
//! - each built-in rule's pattern: its forward NFA (with the value's group) and its reversed
//!   NFA, which the engine turns into a lazy-DFA regex when a post first needs the rule
//!   (`detect::rule_regex`) instead of compiling the pattern (up to 3 ms for the largest).

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use regex_automata::PatternID;
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::syntax;

#[path = "src/pack/table.rs"]
mod table;

#[allow(dead_code)]
#[path = "src/detect/nfa_code.rs"]
mod nfa_code;

/// The built-in packs (files under patterns/), in load order. Adding a pack means adding a
/// line here.
const PACKS: &[&str] = &[
    "government-ids.toml",
    "health-ids.toml",
    "contact.toml",
    "dates.toml",
    "places.toml",
    "vehicles-devices.toml",
    "names.toml",
    "context.toml",
];

/// The phase-one NFA's size limit: `SET_SIZE_LIMIT` in src/detect/mod.rs.
const SET_SIZE_LIMIT: usize = 64 << 20;
/// A rule's NFA size limit: `REGEX_SIZE_LIMIT` in src/detect/mod.rs.
const REGEX_SIZE_LIMIT: usize = 2 << 20;

/// `(constant, file under patterns/)` of every table compiled in.
const TABLES: &[(&str, &str)] = &[
    ("FIRST_NAMES", "data/first-names.txt"),
    ("SURNAMES", "data/surnames.txt"),
    ("NAME_WORDS", "data/name-words.txt"),
];

fn main() {
    let out_dir = env::var("OUT_DIR").unwrap();
    let out_dir = Path::new(&out_dir);
    let mut packs = String::from(
        "/// `(file name under patterns/, TOML text)` for every built-in pack, in load order.\n\
         pub const BUILTIN: &[(&str, &str)] = &[\n",
    );
    let mut free: Vec<String> = Vec::new();
    let mut all: Vec<String> = Vec::new();
    for file in PACKS {
        let path = Path::new("patterns").join(file);
        println!("cargo::rerun-if-changed={}", path.display());
        writeln!(
            packs,
            "    ({file:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/patterns/{file}\"))),"
        )
        .unwrap();
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        // A pack that does not parse here is reported by the pack loader at run time.
        for (p, keywords) in rule_patterns(&text) {
            if !keywords && !free.contains(&p) {
                free.push(p.clone());
            }
            if !all.contains(&p) {
                all.push(p);
            }
        }
    }
    writeln!(packs, "];").unwrap();
    fs::write(out_dir.join("builtin_packs.rs"), packs).unwrap();
    // Patterns that do not compile here (the loader names them at run time) leave phase one to
    // be compiled at run time.
    let nfa = thompson::Compiler::new()
        .syntax(syntax::Config::new())
        .configure(
            thompson::Config::new()
                .which_captures(WhichCaptures::None)
                .nfa_size_limit(Some(SET_SIZE_LIMIT)),
        )
        .build_many(&free)
        .ok()
        .and_then(|nfa| nfa_code::encode(&nfa));
    let (free, nfa) = match nfa {
        Some(nfa) => (free, nfa),
        None => (Vec::new(), Vec::new()),
    };
    fs::write(out_dir.join("free_nfa.bin"), nfa).unwrap();
    let mut code = String::from(
        "/// The distinct patterns of the built-in rules without keywords: pattern `i` of\n\
         /// `BUILTIN_FREE_NFA` is `BUILTIN_FREE[i]`.\n\
         pub static BUILTIN_FREE: &[&str] = &[\n",
    );
    for p in &free {
        writeln!(code, "    {p:?},").unwrap();
    }
    code.push_str(
        "];\n\
         /// Their NFA, compiled by build.rs in `nfa_code`'s form (empty when it could not be).\n\
         pub static BUILTIN_FREE_NFA: &[u8] = include_bytes!(concat!(env!(\"OUT_DIR\"), \"/free_nfa.bin\"));\n",
    );
    fs::write(out_dir.join("free_patterns.rs"), code).unwrap();

    // Each rule's pattern, as the regex crate compiles it (its default syntax, the value's
    // group kept; the reversed NFA without groups). A pattern that does not compile, that
    // could match the empty string or that has more than one group is left to the regex crate
    // at run time (which names the problem).
    let mut blob = Vec::new();
    let mut code = String::from(
        "/// `(pattern, forward NFA, reversed NFA)` of the built-in rules, the NFAs as ranges of\n\
         /// `BUILTIN_RULE_NFAS` in `nfa_code`'s form.\n\
         pub static BUILTIN_RULES: &[(&str, std::ops::Range<usize>, std::ops::Range<usize>)] = &[\n",
    );
    for p in &all {
        let config = thompson::Config::new().nfa_size_limit(Some(REGEX_SIZE_LIMIT));
        let compile = |config: thompson::Config| {
            thompson::Compiler::new()
                .syntax(syntax::Config::new())
                .configure(config)
                .build(p)
                .ok()
        };
        // At most the value's group, as the engine checks of other patterns.
        let Some(forward) = compile(config.clone())
            .filter(|n| !n.has_empty() && n.group_info().group_len(PatternID::ZERO) <= 2)
        else {
            continue;
        };
        let Some(reverse) = compile(config.which_captures(WhichCaptures::None).reverse(true))
        else {
            continue;
        };
        let (Some(fwd), Some(rev)) = (nfa_code::encode(&forward), nfa_code::encode(&reverse))
        else {
            continue;
        };
        let f = blob.len()..blob.len() + fwd.len();
        blob.extend(fwd);
        let r = blob.len()..blob.len() + rev.len();
        blob.extend(rev);
        writeln!(code, "    ({p:?}, {f:?}, {r:?}),").unwrap();
    }
    code.push_str(
        "];\n\
         static BUILTIN_RULE_NFAS: &[u8] = include_bytes!(concat!(env!(\"OUT_DIR\"), \"/rule_nfas.bin\"));\n",
    );
    fs::write(out_dir.join("rule_nfas.bin"), blob).unwrap();
    fs::write(out_dir.join("rule_patterns.rs"), code).unwrap();

    let mut out = String::new();
    writeln!(
        out,
        "/// `(file under patterns/, set)` of the built-in word lists compiled into the binary."
    )
    .unwrap();
    writeln!(out, "pub static TABLES: &[(&str, &Table)] = &[").unwrap();
    for (name, file) in TABLES {
        writeln!(out, "    ({file:?}, &{name}),").unwrap();
    }
    writeln!(out, "];").unwrap();
    for (name, file) in TABLES {
        let path = Path::new("patterns").join(file);
        println!("cargo::rerun-if-changed={}", path.display());
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        // The word-list format (`pack::parse_word_list`): `#` comment lines and blank lines
        // skipped, entries trimmed and lower-cased.
        let mut words: Vec<String> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_lowercase)
            .collect();
        words.sort();
        words.dedup();
        let (text, slots) = table::layout(words.iter().map(String::as_str));
        write!(out, "static {name}_SLOTS: [u32; {}] = [", slots.len()).unwrap();
        for s in &slots {
            write!(out, "{s},").unwrap();
        }
        writeln!(out, "];").unwrap();
        writeln!(
            out,
            "static {name}: Table = Table::new({text:?}, &{name}_SLOTS, {});",
            words.len()
        )
        .unwrap();
    }
    fs::write(out_dir.join("name_tables.rs"), out).unwrap();
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=src/pack/table.rs");
    println!("cargo::rerun-if-changed=src/detect/nfa_code.rs");
}

/// The `regex` of every rule of a pack, in order, and whether the rule has `keywords` (those
/// without are what the engine's phase one searches); none when the pack does not parse.
fn rule_patterns(pack: &str) -> Vec<(String, bool)> {
    let Ok(table) = pack.parse::<toml::Table>() else {
        return Vec::new();
    };
    let Some(rules) = table.get("rule").and_then(|r| r.as_array()) else {
        return Vec::new();
    };
    rules
        .iter()
        .filter_map(|rule| {
            let keywords = rule.get("keywords").and_then(|k| k.as_array());
            let keywords = keywords.is_some_and(|k| !k.is_empty());
            Some((rule.get("regex")?.as_str()?.to_owned(), keywords))
        })
        .collect()
}
