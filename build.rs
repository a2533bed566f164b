//! Compiles the built-in census name tables into hash tables laid out as plain data
//! (`src/pack/table.rs`), so that a scan looks names up in place instead of reading 100,000
//! words into a hash set at every start, and the loader has no pointer per word to relocate
//! (pre-commit latency; see docs/PERFORMANCE.md). The tables stay plain text in
//! `patterns/data/`; the pack loader reads the same files the same way for packs that are not
//! built in.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

#[path = "src/pack/table.rs"]
mod table;

/// `(constant, file under patterns/)` of every table compiled in.
const TABLES: &[(&str, &str)] = &[
    ("FIRST_NAMES", "data/first-names.txt"),
    ("SURNAMES", "data/surnames.txt"),
    ("NAME_WORDS", "data/name-words.txt"),
];

fn main() {
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
    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("name_tables.rs");
    fs::write(dest, out).unwrap();
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=src/pack/table.rs");
}
