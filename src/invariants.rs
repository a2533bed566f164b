//! Invariant checks shared by the fuzz targets (`fuzz/`, nightly, cargo-fuzz) and the stable
//! replay of their corpus (`tests/it/fuzz_corpus.rs`): each check takes arbitrary bytes, runs
//! one part of phiguard on them and panics when a promise is broken. Not part of the API.
//!
//! What is checked, beyond "does not crash":
//! - extraction: every offset map stays inside the source and in order, segment ranges are
//!   inside the source, the document's text maps back to its bytes;
//! - scanning: every finding's text range is on character boundaries of the document's text,
//!   its value is exactly that text, its byte range is inside the source and is the text
//!   range mapped back; lines and columns agree; the JSON report is valid JSON, the same on a
//!   second scan, and masks every value as documented (see [`mask`]);
//! - redaction: the output, read again, holds none of the redacted values where they were
//!   found;
//! - packs and configuration: errors are located inside the text; a configuration rendered by
//!   `config show` parses again to the same settings.

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::assess::RiskModel;
use crate::category::Category;
use crate::detect::Engine;
use crate::extract::{Document, ExtractOptions, Extracted, InputFormat, extract_with};
use crate::pack::PackSource;
use crate::scan::{PostResult, ScanResults, Scanner};

/// The fuzz targets, by name: each is a directory of seeds under `fuzz/corpus/`.
pub const TARGETS: &[&str] = &[
    "pack", "config", "scan", "csv", "json", "jsonl", "yaml", "html", "captions", "markdown",
    "image", "docx",
];

/// Runs the checks of fuzz target `target` on `bytes`.
pub fn run(target: &str, bytes: &[u8]) {
    match target {
        "pack" => pack(bytes),
        "config" => config(bytes),
        "scan" => scan(bytes),
        "csv" => format(FORMAT_NAMES[1], bytes),
        "json" => format(FORMAT_NAMES[3], bytes),
        "jsonl" => format(FORMAT_NAMES[4], bytes),
        "yaml" => format(FORMAT_NAMES[5], bytes),
        "html" => format(FORMAT_NAMES[6], bytes),
        // The first byte chooses SubRip or WebVTT.
        "captions" => match bytes.split_first() {
            Some((b, rest)) => format(FORMAT_NAMES[if b % 2 == 0 { 7 } else { 8 }], rest),
            None => format(FORMAT_NAMES[7], bytes),
        },
        "markdown" => format(FORMAT_NAMES[9], bytes),
        "image" => format(FORMAT_NAMES[10], bytes),
        "docx" => format(FORMAT_NAMES[11], bytes),
        other => panic!("no fuzz target {other:?}"),
    }
}

/// A file name for each format the scanner reads (the extension chooses it).
const FORMAT_NAMES: &[&str] = &[
    "post.txt",
    "posts.csv",
    "posts.tsv",
    "posts.json",
    "posts.jsonl",
    "posts.yaml",
    "page.html",
    "video.srt",
    "video.vtt",
    "story.md",
    "photo.jpg",
    "draft.docx",
    // No extension: the bytes decide (an image or a zip package is read as one).
    "stdin",
];

/// The built-in packs' engine and the default risk model, built once.
pub fn engine() -> &'static (Engine, RiskModel) {
    static ENGINE: OnceLock<(Engine, RiskModel)> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let (engine, _) = crate::app::PackSelection::default()
            .engine()
            .expect("the built-in packs compile");
        (engine, RiskModel::default())
    })
}

/// The whole path on arbitrary bytes: the first byte chooses the format (by file name), the
/// rest is the file. Checks extraction, findings, masking, the JSON report and redaction.
pub fn scan(bytes: &[u8]) {
    let Some((first, rest)) = bytes.split_first() else {
        return;
    };
    let name = FORMAT_NAMES[usize::from(*first) % FORMAT_NAMES.len()];
    let Some(doc) = document(name, rest) else {
        return;
    };
    let (engine, model) = engine();
    let scanner = Scanner { engine, model };
    let posts = scanner.scan_document(&doc);
    for post in &posts {
        check_post(&doc, post);
    }
    // Deterministic: the same bytes give the same report.
    let report = json_report(&posts);
    let again = json_report(&scanner.scan_document(&doc));
    assert_eq!(report, again, "{name}: two scans of the same bytes differ");
    let parsed: serde_json::Value =
        serde_json::from_slice(&report).expect("the JSON report is JSON");
    assert_eq!(parsed["schema"], crate::report::SCHEMA);
    check_redaction(name, rest, &scanner, &posts);
}

/// Extraction of one format, then the scan of what it extracted.
pub fn format(name: &str, bytes: &[u8]) {
    let Some(doc) = document(name, bytes) else {
        return;
    };
    let (engine, model) = engine();
    let scanner = Scanner { engine, model };
    for post in scanner.scan_document(&doc) {
        check_post(&doc, &post);
    }
}

/// Extracts `bytes` as a file called `name` (named explicitly, so binary is read too) and
/// checks the document's maps. `None` when the input was not checked (with an error note).
pub fn document(name: &str, bytes: &[u8]) -> Option<Document> {
    let options = ExtractOptions::default();
    match extract_with(name, bytes.to_vec(), true, &options) {
        Extracted::Skipped(note) => {
            // An input that was not read must say so as an error, never pass as clean.
            assert!(
                note.is_error(),
                "{name}: skipped without an error: {note:?}"
            );
            assert!(!note.message.is_empty());
            None
        }
        Extracted::Document(doc, _notes) => {
            check_document(name, bytes, &doc);
            Some(doc)
        }
    }
}

/// Offsets at every character boundary of `text`, the end included.
fn boundaries(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
}

/// A document's maps stay inside its bytes and in order.
pub fn check_document(name: &str, original: &[u8], doc: &Document) {
    let format = InputFormat::Auto.resolve(name, original);
    if !matches!(format, InputFormat::Docx | InputFormat::Image) {
        assert_eq!(
            doc.bytes, original,
            "{name}: the document's bytes are the input"
        );
    }
    let len = doc.bytes.len();
    let mut last = 0;
    for i in boundaries(&doc.text) {
        let s = doc.map.to_source(i);
        assert!(s >= last && s <= len, "{name}: text offset {i} maps to {s}");
        last = s;
    }
    if std::str::from_utf8(&doc.bytes).is_ok() && !doc.bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        // Valid UTF-8 is its own text.
        assert_eq!(doc.text.as_bytes(), &doc.bytes[..], "{name}: UTF-8 decoded");
    }
    for post in &doc.posts {
        for seg in &post.segments {
            let mut last = None;
            for i in boundaries(&seg.text) {
                let s = seg.map.to_source(i);
                assert!(
                    s <= len,
                    "{name}: segment offset {i} maps to {s} past {len}"
                );
                assert!(
                    last.is_none_or(|l| s >= l),
                    "{name}: segment {:?} offsets out of order at {i}",
                    seg.locator
                );
                last = Some(s);
            }
            let r = seg.map.range_to_source(0..seg.text.len());
            assert!(
                r.start <= r.end && r.end <= len,
                "{name}: segment range {r:?}"
            );
        }
    }
}

/// A post's findings are located exactly, and masked as documented.
pub fn check_post(doc: &Document, post: &PostResult) {
    let name = &doc.name;
    let findings = post
        .findings
        .iter()
        .chain(post.allowed.iter().map(|a| &a.finding))
        .chain(&post.unreported);
    for f in findings {
        let t = f.text_span.clone();
        assert!(t.start < t.end, "{name}: empty finding {t:?}");
        assert!(f.span.start < f.span.end, "{name}: empty source range");
        assert!(
            f.span.end <= doc.bytes.len(),
            "{name}: {:?} past the end",
            f.span
        );
        let Some(text) = doc.text.get(t.clone()) else {
            panic!("{name}: finding {t:?} is not on character boundaries of the text");
        };
        assert_eq!(f.value, text, "{name}: the value is the text at its range");
        assert_eq!(
            doc.map.range_to_source(t.clone()),
            f.span,
            "{name}: the text range maps back to the byte range"
        );
        if std::str::from_utf8(&doc.bytes).is_ok() {
            assert_eq!(&doc.bytes[f.span.clone()], f.value.as_bytes());
        }
        mask(&f.value, f.category());
    }
    for f in &post.findings {
        let t = &f.text_span;
        // Lines and columns: 1-based, counted in the document's text.
        let before = &doc.text[..t.start];
        let line = before.matches('\n').count() + 1;
        let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
            .chars()
            .count()
            + 1;
        assert_eq!(
            (f.start.line, f.start.column),
            (line, column),
            "{name}: position of {t:?}"
        );
        assert!(f.start <= f.end);
    }
    for r in post
        .shadows
        .iter()
        .chain(post.signals.iter().map(|s| &s.text_span))
    {
        assert!(
            r.start <= r.end && r.end <= doc.text.len(),
            "{name}: range {r:?}"
        );
    }
}

/// Which characters a mask may show, as README.md and `src/mask.rs` document it, derived here
/// independently: a mask has the value's length in characters, and each character is either
/// `*` or the value's own character, where:
/// - spaces and visible punctuation may show (never control or invisible characters);
/// - words (names, places, dates, ages, email and web addresses, IP addresses...) show at
///   most the first letter of each run of letters and digits, and never a digit;
/// - identifiers (SSN, phone, fax, record, plan, account, licence, vehicle, device, other IDs)
///   show no letters, and only their last 4 digits (9 or more digits), last 2 (6 to 8), none
///   (below 6).
pub fn mask(value: &str, category: Category) {
    let masked = crate::mask::mask(value, category);
    let v: Vec<char> = value.chars().collect();
    let m: Vec<char> = masked.chars().collect();
    assert_eq!(v.len(), m.len(), "mask of {category:?} changes the length");
    let identifier = matches!(
        category.as_str(),
        "ssn"
            | "phone"
            | "fax"
            | "medical_record_number"
            | "health_plan_id"
            | "account_number"
            | "license_number"
            | "vehicle_id"
            | "device_id"
            | "other_id"
    );
    let digits: Vec<usize> = (0..v.len()).filter(|&i| v[i].is_ascii_digit()).collect();
    let shown = match digits.len() {
        9.. => 4,
        6..=8 => 2,
        _ => 0,
    };
    let last_digits = &digits[digits.len() - shown..];
    for (i, (&c, &k)) in v.iter().zip(&m).enumerate() {
        if k == '*' {
            continue;
        }
        assert_eq!(
            k, c,
            "mask of {category:?} shows a character not in the value"
        );
        if !c.is_alphanumeric() {
            assert!(
                !c.is_control() && !invisible(c),
                "mask shows control or invisible U+{:04X}",
                u32::from(c)
            );
            continue;
        }
        if identifier {
            assert!(
                last_digits.contains(&i),
                "mask of {category:?} shows {c:?} at {i}: only the last {shown} digits may show"
            );
        } else {
            let word_start = i == 0 || !v[i - 1].is_alphanumeric();
            assert!(
                c.is_alphabetic() && word_start,
                "mask of {category:?} shows {c:?} at {i}: only a word's first letter may show"
            );
        }
    }
}

/// Zero-width, direction-changing and other invisible formatting characters.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// The JSON report of one document's posts (values masked).
pub fn json_report(posts: &[PostResult]) -> Vec<u8> {
    let results = ScanResults {
        posts: posts.to_vec(),
        sources: 1,
        ..ScanResults::default()
    };
    let opts = crate::report::ReportOptions {
        format: crate::report::Format::Json,
        show_values: false,
        min_risk: crate::category::RiskLevel::None,
        fail_on: crate::category::RiskLevel::High,
        color: false,
        verbose: false,
    };
    let mut out = Vec::new();
    crate::report::write(&results, &opts, &mut out).expect("writing to memory");
    out
}

/// Redaction either refuses (with a reason) or gives bytes that read back as the same kind of
/// document, with no redacted value left where it was found.
fn check_redaction(name: &str, bytes: &[u8], scanner: &Scanner, posts: &[PostResult]) {
    let opts = crate::redact::RedactOptions::default();
    let Ok(out) = crate::redact::redact(
        name,
        bytes.to_vec(),
        true,
        scanner,
        &ExtractOptions::default(),
        &opts,
    ) else {
        return;
    };
    let found: usize = posts.iter().map(|p| p.findings.len()).sum();
    assert_eq!(out.total(), found, "{name}: every finding is replaced");
    if found == 0 {
        assert_eq!(out.bytes, bytes, "{name}: nothing found, nothing changed");
        return;
    }
    let Some(again) = document(name, &out.bytes) else {
        panic!("{name}: the redacted output cannot be read");
    };
    let after = scanner.scan_document(&again);
    for post in &after {
        check_post(&again, post);
        for f in &post.findings {
            let before = posts
                .iter()
                .flat_map(|p| &p.findings)
                .any(|b| b.value == f.value && b.span.start == f.span.start);
            assert!(
                !before,
                "{name}: a redacted value is still found at {}",
                f.span.start
            );
        }
    }
}

/// A pack (TOML) and, after a NUL byte, the text of a word list beside it (`words.txt`). The
/// pack parses or fails with errors located in its text; a pack that parses compiles or fails
/// with errors, and its examples are checked.
pub fn pack(bytes: &[u8]) {
    let (toml, words) = match memchr::memchr(0, bytes) {
        Some(i) => (&bytes[..i], &bytes[i + 1..]),
        None => (bytes, &[][..]),
    };
    let Ok(text) = std::str::from_utf8(toml) else {
        return;
    };
    // Word lists are files: keep the fuzzer away from devices and the system's files.
    if ["/dev", "/proc", "/sys", "..", "\\"]
        .iter()
        .any(|p| text.contains(p))
    {
        return;
    }
    let dir = pack_dir();
    std::fs::write(dir.join("words.txt"), words).expect("writing the word list");
    let src = PackSource {
        name: "fuzz.toml".into(),
        text: text.to_owned(),
        builtin: false,
        path: Some(dir.join("fuzz.toml")),
    };
    let lines = text.split('\n').count();
    let located = |d: &crate::pack::Diagnostic| {
        assert_eq!(d.file, "fuzz.toml");
        assert!(!d.message.is_empty());
        if let Some(line) = d.line {
            assert!(line >= 1 && line <= lines, "line {line} of {lines}: {d}");
        }
    };
    match crate::pack::parse(&src) {
        Err(diags) => {
            assert!(
                diags.iter().any(|d| d.is_error()),
                "failed without an error"
            );
            diags.iter().for_each(located);
        }
        Ok((pack, warnings)) => {
            assert!(!warnings.iter().any(|d| d.is_error()));
            warnings.iter().for_each(located);
            if let Ok(engine) = Engine::build(std::slice::from_ref(&pack)) {
                let sample = "Our patient Jo Example, SSN 987-65-4320, call 555-0142.";
                for m in engine.scan_detailed(sample).matches {
                    assert!(sample.get(m.range.clone()).is_some(), "{:?}", m.range);
                }
            }
            let report = crate::pack::check::check(&[src], &[]);
            let _ = report.ok();
        }
    }
}

/// One directory per process for [`pack`]'s word lists.
fn pack_dir() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("phiguard-fuzz-pack-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        dir
    })
    .clone()
}

/// A `.phiguard.toml`: it parses, or fails with an error located in its text; what parses
/// renders (`config show`) as TOML that parses again to the same settings.
pub fn config(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let lines = text.split('\n').count();
    match crate::config::Config::parse(".phiguard.toml", text) {
        Err(d) => {
            assert!(d.is_error());
            assert!(!d.message.is_empty());
            if let Some(line) = d.line {
                assert!(line >= 1 && line <= lines, "line {line} of {lines}: {d}");
            }
        }
        Ok(config) => {
            let shown = config.render();
            let again = crate::config::Config::parse("shown.toml", &shown)
                .unwrap_or_else(|d| panic!("`config show` output does not parse: {d}"));
            // The same settings (where each came from aside), and showing is a fixed point.
            let settings = |c: &crate::config::Config| {
                format!(
                    "{:?} {:?} {:?} {:?} {:?} {:?}",
                    c.risk,
                    c.columns,
                    c.packs.add,
                    c.packs.disable.iter().map(|l| &l.value).collect::<Vec<_>>(),
                    c.packs
                        .rules
                        .iter()
                        .map(|(l, r)| (&l.value, r))
                        .collect::<Vec<_>>(),
                    c.lists,
                )
            };
            assert_eq!(
                settings(&again),
                settings(&config),
                "`config show` changes settings"
            );
            // What was set stays set (what was not is shown with its default).
            let set = |c: &crate::config::Config| {
                format!(
                    "{:?} {:?} {:?} {:?}",
                    c.max_file_size, c.fail_on, c.min_risk, c.packs.builtin
                )
            };
            let mut unset = config.clone();
            unset.max_file_size = config.max_file_size.or(again.max_file_size);
            unset.fail_on = config.fail_on.or(again.fail_on);
            unset.min_risk = config.min_risk.or(again.min_risk);
            unset.packs.builtin = config.packs.builtin.or(again.packs.builtin);
            assert_eq!(set(&again), set(&unset), "`config show` changes settings");
            let shown_again = again.render();
            let third = crate::config::Config::parse("shown.toml", &shown_again)
                .unwrap_or_else(|d| panic!("`config show` output does not parse: {d}"));
            assert_eq!(
                third.render(),
                shown_again,
                "`config show` is not a fixed point"
            );
        }
    }
}
