//! Baselines: the findings a repository accepts as they are today, so that a scan reports only
//! what is new.
//!
//! `phiguard baseline create` scans and writes every finding's *fingerprint* to a baseline file
//! (`.phiguard-baseline.json` by default); `phiguard scan --baseline FILE` hides the findings
//! whose fingerprint is in it (they move to the post's `allowed` list and leave the risk) and
//! reports the entries no finding matches any more (stale); `phiguard baseline update` keeps
//! the file's salt, adds the new findings and drops the stale entries.
//!
//! A fingerprint is HMAC-SHA256, keyed with the baseline's own random salt, of:
//! - the rule id;
//! - the value as the engine reads it ([`normalized_value`]): invisible characters dropped,
//!   look-alike and full-width characters read as plain ones, then only its letters and digits,
//!   lower-cased, one space between words — so `Jane  SMITH` and `jane smith` are one value,
//!   as are `(555) 555-0142` and `555.555.0142`;
//! - the file's path relative to the baseline file's folder, with `/` between folders;
//! - which occurrence of that rule and value in the file it is (0, 1, ...), in file order.
//!
//! No line numbers (an edit above a finding must not revive it), no raw values, no commit ids.
//! The file stores the salt and, per entry, the fingerprint, the rule id and the path: nothing
//! a reader could turn back into a value without the repository's posts and a brute-force
//! search (the salt defeats tables computed in advance, not a search by someone who has the
//! file; drop stale entries so a removed value does not linger as a fingerprint).

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::app::PackSelection;
use crate::assess::RiskModel;
use crate::config::Config;
use crate::error::Error;
use crate::extract::{ExtractOptions, InputFormat};
use crate::finding::{Allowed, Finding};
use crate::report;
use crate::scan::{ScanResults, Scanner, assess_post};
use crate::source::{Input, Note, NoteKind, collect_inputs, io_reason};

/// The schema identifier of a baseline file.
pub const SCHEMA: &str = "phiguard.baseline/1";

/// The baseline file's name when none is given.
pub const DEFAULT_FILE: &str = ".phiguard-baseline.json";

/// What every fingerprint's message starts with (domain separation from any other use of the
/// salt).
const DOMAIN: &[u8] = b"phiguard.baseline/1 fingerprint\0";

/// Bytes of the salt.
const SALT_LEN: usize = 32;

/// Bytes of HMAC output kept in a fingerprint (128 bits: 32 hex digits).
const FINGERPRINT_LEN: usize = 16;

/// Stale entries named in the note before "and N more".
const STALE_LISTED: usize = 5;

/// The file as written: `{"schema", "salt", "entries": [{"fingerprint", "rule", "path"}]}`.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileFormat {
    schema: String,
    salt: String,
    entries: Vec<Entry>,
}

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// 32 lower-case hex digits.
    pub fingerprint: String,
    /// The rule id that found it.
    pub rule: String,
    /// The file, relative to the baseline file's folder (`/` between folders).
    pub path: String,
}

/// What a scan with a baseline hid, and how many entries matched nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BaselineCounts {
    /// Findings hidden because the baseline lists them.
    pub hidden: usize,
    /// Entries of the files scanned (or of files that are gone) that no finding matches.
    pub stale: usize,
}

/// How `baseline create` or `update` changed the entries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changes {
    pub added: usize,
    pub dropped: usize,
    /// Entries after the change.
    pub total: usize,
}

/// A baseline: its salt and entries, and the folder its paths are relative to.
#[derive(Debug, Clone)]
pub struct Baseline {
    /// The file, as named.
    pub file: PathBuf,
    /// The file's folder, resolved: paths in entries are relative to it.
    root: PathBuf,
    salt: [u8; SALT_LEN],
    pub entries: Vec<Entry>,
    /// The folder sources are named from, when not the current one (a git scan names them
    /// from the repository's top folder).
    sources_from: Option<PathBuf>,
}

impl Baseline {
    /// A new, empty baseline to be written at `file`, with a fresh random salt.
    pub fn create(file: &Path) -> Result<Baseline, Error> {
        let mut salt = [0; SALT_LEN];
        getrandom::fill(&mut salt).map_err(|e| Error::Baseline {
            path: file.to_owned(),
            message: format!("no random salt from the operating system: {e}"),
        })?;
        Ok(Baseline {
            file: file.to_owned(),
            root: root_of(file)?,
            salt,
            entries: Vec::new(),
            sources_from: None,
        })
    }

    /// Reads a baseline file. A missing, unreadable or invalid file is an error (a scan that
    /// was asked to use a baseline never runs without it).
    pub fn load(file: &Path) -> Result<Baseline, Error> {
        let fail = |message: String| Error::Baseline {
            path: file.to_owned(),
            message,
        };
        let text = std::fs::read_to_string(file).map_err(|e| {
            fail(match e.kind() {
                std::io::ErrorKind::NotFound => {
                    "no such file (`phiguard baseline create` writes one)".to_owned()
                }
                _ => format!("cannot read: {}", io_reason(&e)),
            })
        })?;
        let parsed: FileFormat =
            serde_json::from_str(&text).map_err(|e| fail(format!("not a baseline file: {e}")))?;
        if parsed.schema != SCHEMA {
            return Err(fail(format!(
                "schema {:?} is not {SCHEMA:?}, the one this phiguard reads",
                parsed.schema
            )));
        }
        let salt = from_hex(&parsed.salt)
            .and_then(|s| <[u8; SALT_LEN]>::try_from(s).ok())
            .ok_or_else(|| fail(format!("salt is not {} hex digits", SALT_LEN * 2)))?;
        for (i, e) in parsed.entries.iter().enumerate() {
            if e.fingerprint.len() != FINGERPRINT_LEN * 2
                || !e
                    .fingerprint
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            {
                return Err(fail(format!(
                    "entry {} has a fingerprint that is not {} lower-case hex digits",
                    i + 1,
                    FINGERPRINT_LEN * 2
                )));
            }
        }
        Ok(Baseline {
            file: file.to_owned(),
            root: root_of(file)?,
            salt,
            entries: parsed.entries,
            sources_from: None,
        })
    }

    /// Writes the file (sorted by path, rule and fingerprint; a temporary file renamed over the
    /// old one, so a failed write leaves the old file whole).
    pub fn save(&self) -> Result<(), Error> {
        let mut entries = self.entries.clone();
        entries.sort_by(|a, b| {
            (&a.path, &a.rule, &a.fingerprint).cmp(&(&b.path, &b.rule, &b.fingerprint))
        });
        entries.dedup();
        let doc = FileFormat {
            schema: SCHEMA.to_owned(),
            salt: to_hex(&self.salt),
            entries,
        };
        let mut text = serde_json::to_string_pretty(&doc).map_err(std::io::Error::from)?;
        text.push('\n');
        write_atomically(&self.file, text.as_bytes()).map_err(|e| Error::Baseline {
            path: self.file.clone(),
            message: format!("cannot write: {}", io_reason(&e)),
        })
    }

    /// A source's path as entries name it: relative to the baseline's folder, `/` between
    /// folders (`-` for stdin; a file outside the folder keeps its absolute path).
    pub fn relative_path(&self, source: &str) -> String {
        if source == "-" {
            return source.to_owned();
        }
        let joined = self.sources_from.as_ref().map(|d| d.join(source));
        let path = joined.as_deref().unwrap_or(Path::new(source));
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let resolved = std::fs::canonicalize(&absolute)
            .ok()
            .or_else(|| {
                // A file that is not there (any more): its folder, resolved, and its name.
                let parent = std::fs::canonicalize(absolute.parent()?).ok()?;
                Some(parent.join(absolute.file_name()?))
            })
            .unwrap_or(absolute);
        let shown = resolved.strip_prefix(&self.root).unwrap_or(&resolved);
        let parts: Vec<String> = shown
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .filter(|c| c != "/")
            .collect();
        if shown.is_absolute() {
            format!("/{}", parts.join("/"))
        } else {
            parts.join("/")
        }
    }

    /// Sources are named from `folder` (a git scan's repository top), not the current folder.
    pub fn sources_from(&mut self, folder: PathBuf) {
        self.sources_from = Some(folder);
    }

    /// The keyed fingerprint of one finding (see the module documentation).
    pub fn fingerprint(&self, rule: &str, value: &str, path: &str, occurrence: usize) -> String {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.salt)
            .expect("HMAC takes keys of any length");
        mac.update(DOMAIN);
        for part in [rule, &normalized_value(value), path] {
            mac.update(part.as_bytes());
            mac.update(b"\0");
        }
        mac.update(occurrence.to_string().as_bytes());
        to_hex(&mac.finalize().into_bytes()[..FINGERPRINT_LEN])
    }

    /// Sets the keyed fingerprint of every finding, reported or allowed. Occurrences count per
    /// file over all its posts, in file order.
    pub fn fingerprint_results(&self, results: &mut ScanResults) {
        let mut by_source: HashMap<String, Vec<&mut Finding>> = HashMap::new();
        for post in &mut results.posts {
            let list = by_source.entry(post.source.clone()).or_default();
            list.extend(post.findings.iter_mut());
            list.extend(post.allowed.iter_mut().map(|a| &mut a.finding));
            // Findings a diff scan left out still take their place in the count, so a new copy
            // of an accepted value is not mistaken for the accepted one.
            list.extend(post.unreported.iter_mut());
        }
        for (source, mut findings) in by_source {
            let path = self.relative_path(&source);
            findings.sort_by(|a, b| {
                (a.span.start, a.span.end, &a.rule.id).cmp(&(b.span.start, b.span.end, &b.rule.id))
            });
            let mut seen: HashMap<(String, String), usize> = HashMap::new();
            for f in findings {
                let key = (f.rule.id.clone(), normalized_value(&f.value));
                let n = seen.entry(key).or_default();
                f.fingerprint = Some(self.fingerprint(&f.rule.id, &f.value, &path, *n));
                *n += 1;
            }
        }
    }

    /// Hides the findings the baseline lists: each moves to its post's `allowed` list with the
    /// reason "in the baseline FILE", and the post is assessed again without it. Entries of the
    /// files in `scanned` (or of files that are gone) that no finding matched are stale: a note
    /// names them. Every finding gets its keyed fingerprint.
    pub fn apply(&self, results: &mut ScanResults, scanned: &[String], model: &RiskModel) {
        self.fingerprint_results(results);
        let listed: HashSet<&str> = self
            .entries
            .iter()
            .map(|e| e.fingerprint.as_str())
            .collect();
        let mut matched: HashSet<String> = HashSet::new();
        let reason = format!("in the baseline {}", self.file.display());
        let mut hidden = 0;
        for post in &mut results.posts {
            for a in &post.allowed {
                if let Some(fp) = a
                    .finding
                    .fingerprint
                    .as_deref()
                    .filter(|f| listed.contains(f))
                {
                    matched.insert(fp.to_owned());
                }
            }
            let (gone, kept): (Vec<Finding>, Vec<Finding>) = std::mem::take(&mut post.findings)
                .into_iter()
                .partition(|f| {
                    f.fingerprint
                        .as_deref()
                        .is_some_and(|fp| listed.contains(fp))
                });
            post.findings = kept;
            if gone.is_empty() {
                continue;
            }
            hidden += gone.len();
            for f in gone {
                matched.extend(f.fingerprint.clone());
                post.allowed.push(Allowed {
                    finding: f,
                    reason: reason.clone(),
                });
            }
            post.allowed
                .sort_by_key(|a| (a.finding.span.start, a.finding.span.end));
            post.assessment = assess_post(&post.findings, &post.allowed, &post.signals, model);
        }
        let scanned: HashSet<String> = scanned.iter().map(|s| self.relative_path(s)).collect();
        let stale: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| !matched.contains(&e.fingerprint))
            .filter(|e| scanned.contains(&e.path) || self.is_gone(&e.path))
            .collect();
        if !stale.is_empty() {
            let mut named: Vec<String> = stale
                .iter()
                .take(STALE_LISTED)
                .map(|e| format!("{} in {}", e.rule, e.path))
                .collect();
            if stale.len() > STALE_LISTED {
                named.push(format!("and {} more", stale.len() - STALE_LISTED));
            }
            results.notes.push(Note::new(
                self.file.display().to_string(),
                NoteKind::Info,
                format!(
                    "{} baseline {} no longer found (stale): {}; `phiguard baseline update` \
                     drops {}",
                    stale.len(),
                    if stale.len() == 1 { "entry" } else { "entries" },
                    named.join(", "),
                    if stale.len() == 1 { "it" } else { "them" },
                ),
            ));
            results.notes.sort();
        }
        results.baseline = Some(BaselineCounts {
            hidden,
            stale: stale.len(),
        });
    }

    /// Records the findings of a scan as accepted: the entries of the files in `scanned` (and of
    /// files that are gone) are replaced by those files' findings now; the entries of other
    /// files are kept as they are. Allowed findings are not recorded (they are allowed already).
    pub fn record(&mut self, results: &mut ScanResults, scanned: &[String]) -> Changes {
        self.fingerprint_results(results);
        let scanned: HashSet<String> = scanned.iter().map(|s| self.relative_path(s)).collect();
        let mut entries: Vec<Entry> = Vec::new();
        for post in &results.posts {
            let path = self.relative_path(&post.source);
            for f in &post.findings {
                entries.push(Entry {
                    fingerprint: f.fingerprint.clone().expect("fingerprinted above"),
                    rule: f.rule.id.clone(),
                    path: path.clone(),
                });
            }
        }
        let fresh: HashSet<Entry> = entries.iter().cloned().collect();
        let old: HashSet<Entry> = self.entries.iter().cloned().collect();
        for e in &self.entries {
            if !scanned.contains(&e.path) && !self.is_gone(&e.path) && !fresh.contains(e) {
                entries.push(e.clone());
            }
        }
        let new: HashSet<Entry> = entries.iter().cloned().collect();
        let changes = Changes {
            added: new.difference(&old).count(),
            dropped: old.difference(&new).count(),
            total: new.len(),
        };
        entries.sort_by(|a, b| {
            (&a.path, &a.rule, &a.fingerprint).cmp(&(&b.path, &b.rule, &b.fingerprint))
        });
        entries.dedup();
        self.entries = entries;
        changes
    }

    /// Whether an entry's file no longer exists.
    fn is_gone(&self, path: &str) -> bool {
        path != "-" && !self.root.join(path).exists()
    }
}

/// The value of a finding as fingerprints see it: read as the engine reads it (see
/// [`crate::normalize`]), lower-cased, its letters and digits in words separated by one space,
/// with the marks that change what a value is kept: `@` and `+` (`jane.doe@example.com` is not
/// `jane@doe.example.com`) and a minus sign before a number (`-40.71` is not `40.71`).
pub fn normalized_value(value: &str) -> String {
    let read = crate::normalize::normalize(value).map_or_else(|| value.to_owned(), |n| n.text);
    let mut out = String::with_capacity(read.len());
    let mut prev: Option<char> = None;
    let mut chars = read.chars().peekable();
    while let Some(c) = chars.next() {
        let sign = c == '-'
            && chars.peek().is_some_and(char::is_ascii_digit)
            && prev.is_none_or(|p| !p.is_alphanumeric());
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if c == '@' || c == '+' || sign {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
        prev = Some(c);
    }
    out.trim_end().to_owned()
}

/// The names of the inputs that were read and scanned (not skipped, not unreadable).
pub fn scanned_sources(inputs: &[Input], notes: &[Note]) -> Vec<String> {
    let missed: HashSet<&str> = notes
        .iter()
        .filter(|n| n.kind != NoteKind::Info)
        .map(|n| n.source.as_str())
        .collect();
    inputs
        .iter()
        .filter(|i| !missed.contains(i.name.as_str()))
        .map(|i| i.name.clone())
        .collect()
}

/// The resolved folder of a baseline file.
fn root_of(file: &Path) -> Result<PathBuf, Error> {
    let folder = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::canonicalize(folder).map_err(|e| Error::Baseline {
        path: file.to_owned(),
        message: format!("its folder cannot be used: {}", io_reason(&e)),
    })
}

/// Writes `bytes` to `path` through a temporary file in the same folder, renamed over it (so a
/// reader never sees half a file, and a failure leaves the old one whole). A symbolic link is
/// followed: its target is replaced. The old file's permissions are kept.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let target = match std::fs::canonicalize(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => path.to_path_buf(),
        Err(e) => return Err(e),
    };
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".phiguard-")
        .suffix(".tmp")
        .tempfile_in(&folder)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    if let Ok(meta) = std::fs::metadata(&target) {
        std::fs::set_permissions(tmp.path(), meta.permissions())?;
    }
    tmp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_hex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 || !s.is_ascii() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

/// Settings of `phiguard baseline create` and `phiguard baseline update`.
#[derive(Debug, Clone)]
pub struct BaselineSettings {
    /// `update`: keep the file's salt and the entries of files not scanned now.
    pub update: bool,
    /// The baseline file.
    pub file: PathBuf,
    /// `create` over an existing file.
    pub force: bool,
    /// Files or folders to scan (not stdin).
    pub paths: Vec<PathBuf>,
    pub packs: PackSelection,
    pub config: Option<PathBuf>,
    pub input_format: InputFormat,
    pub max_file_size: Option<u64>,
    pub threads: usize,
}

/// `phiguard baseline create|update`: scans, records the findings and writes the file. Returns
/// 0, or 2 when some input could not be checked (the file is still written: what was not
/// checked is not in it, so a later scan reports it).
pub fn run(
    settings: &BaselineSettings,
    out: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<u8, Error> {
    if settings.paths.iter().any(|p| p.as_os_str() == "-") {
        return Err(Error::Usage(
            "a baseline records files by their path: stdin (-) cannot be part of one".into(),
        ));
    }
    let mut baseline = if settings.update {
        Baseline::load(&settings.file)?
    } else {
        if settings.file.exists() && !settings.force {
            return Err(Error::Baseline {
                path: settings.file.clone(),
                message: "already exists: `phiguard baseline update` refreshes it and keeps its \
                          salt (`--force` starts a new one)"
                    .into(),
            });
        }
        Baseline::create(&settings.file)?
    };
    let config =
        Config::discover(settings.config.as_deref(), Path::new(".")).map_err(Error::Config)?;
    let (engine, warnings) = config.engine(&settings.packs)?;
    for w in &warnings {
        let _ = writeln!(stderr, "phiguard: {w}");
    }
    let mut notes = Vec::new();
    let inputs = collect_inputs(&settings.paths, &mut notes);
    let scanner = Scanner {
        engine: &engine,
        model: &config.risk,
    };
    let options = ExtractOptions {
        format: settings.input_format,
        columns: config.columns.clone(),
        max_file_size: settings.max_file_size.or(config.max_file_size),
    };
    let mut results = scanner.scan_inputs_with(&inputs, settings.threads, &options);
    results.notes.extend(notes);
    results.notes.sort();
    for n in results.notes.iter().filter(|n| n.is_error()) {
        let _ = writeln!(
            stderr,
            "phiguard: error: {}: {} (not recorded)",
            report::sanitize(&n.source),
            n.message
        );
    }
    let scanned = scanned_sources(&inputs, &results.notes);
    let changes = baseline.record(&mut results, &scanned);
    baseline.save()?;
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let files: HashSet<&str> = baseline.entries.iter().map(|e| e.path.as_str()).collect();
    let line = format!(
        "wrote {}: {} in {} ({} added, {} dropped)\n",
        report::sanitize(&settings.file.display().to_string()),
        plural(changes.total, "entry", "entries"),
        plural(files.len(), "file", "files"),
        changes.added,
        changes.dropped,
    );
    match out.write_all(line.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => return Err(e.into()),
        _ => {}
    }
    Ok(if results.notes.iter().any(Note::is_error) {
        2
    } else {
        0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_normalised_to_their_words() {
        assert_eq!(normalized_value("Jane  SMITH"), "jane smith");
        assert_eq!(normalized_value("(555) 555-0142"), "555 555 0142");
        assert_eq!(normalized_value("555.555.0142"), "555 555 0142");
        // Read as the engine reads it: a zero-width space inside, full-width digits.
        assert_eq!(normalized_value("987\u{200B}-65-4321"), "987 65 4321");
        assert_eq!(normalized_value("９８７-65-4321"), "987 65 4321");
    }

    #[test]
    fn hex_round_trips() {
        assert_eq!(to_hex(&[0, 15, 255]), "000fff");
        assert_eq!(from_hex("000fff"), Some(vec![0, 15, 255]));
        assert_eq!(from_hex("0g"), None);
        assert_eq!(from_hex("abc"), None);
    }

    #[test]
    fn fingerprints_are_keyed_and_ignore_spelling() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(DEFAULT_FILE);
        let a = Baseline::create(&file).unwrap();
        let mut b = a.clone();
        b.salt = [7; SALT_LEN];
        let fp = a.fingerprint("hipaa.ssn.dashed", "987-65-4321", "posts/a.md", 0);
        assert_eq!(fp.len(), 32);
        assert_eq!(
            fp,
            a.fingerprint("hipaa.ssn.dashed", "987 65 4321", "posts/a.md", 0)
        );
        assert_ne!(
            fp,
            b.fingerprint("hipaa.ssn.dashed", "987-65-4321", "posts/a.md", 0)
        );
        assert_ne!(
            fp,
            a.fingerprint("hipaa.ssn.dashed", "987-65-4321", "posts/a.md", 1)
        );
        assert_ne!(
            fp,
            a.fingerprint("hipaa.ssn.dashed", "987-65-4321", "posts/b.md", 0)
        );
        assert_ne!(
            fp,
            a.fingerprint("hipaa.ssn.spaced", "987-65-4321", "posts/a.md", 0)
        );
    }

    #[test]
    fn paths_are_relative_to_the_baseline_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("posts")).unwrap();
        std::fs::write(dir.path().join("posts/a.md"), "x").unwrap();
        let b = Baseline::create(&dir.path().join(DEFAULT_FILE)).unwrap();
        let named = dir.path().join("posts/../posts/a.md");
        assert_eq!(b.relative_path(&named.display().to_string()), "posts/a.md");
        // A file that is gone keeps its place.
        let gone = dir.path().join("posts/gone.md");
        assert_eq!(
            b.relative_path(&gone.display().to_string()),
            "posts/gone.md"
        );
        assert_eq!(b.relative_path("-"), "-");
        assert!(b.is_gone("posts/gone.md"));
        assert!(!b.is_gone("posts/a.md"));
    }

    #[test]
    fn files_are_validated_when_loaded() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("b.json");
        let salt = "ab".repeat(32);
        let load = |text: &str| {
            std::fs::write(&file, text).unwrap();
            Baseline::load(&file)
                .map(|b| b.entries.len())
                .map_err(|e| e.to_string())
        };
        let ok = format!(
            r#"{{"schema":"phiguard.baseline/1","salt":"{salt}","entries":[{{"fingerprint":"{}","rule":"r","path":"p"}}]}}"#,
            "0".repeat(32)
        );
        assert_eq!(load(&ok), Ok(1));
        let err = load(&ok.replace("baseline/1", "baseline/9")).unwrap_err();
        assert!(err.contains("is not \"phiguard.baseline/1\""), "{err}");
        let err = load(&ok.replace(&salt, "abc")).unwrap_err();
        assert!(err.contains("salt is not 64 hex digits"), "{err}");
        let err = load(&ok.replace(&"0".repeat(32), "0123")).unwrap_err();
        assert!(err.contains("entry 1 has a fingerprint"), "{err}");
        let err = load(&ok.replace("\"rule\"", "\"value\":\"x\",\"rule\"")).unwrap_err();
        assert!(err.contains("unknown field `value`"), "{err}");
        let missing = Baseline::load(&dir.path().join("none.json")).unwrap_err();
        assert!(missing.to_string().contains("no such file"), "{missing}");
    }
}
