//! Sources: where bytes come from. Turns the paths a user gave into a list of inputs (walking
//! folders with `.gitignore` respected), reads each input, and records a [`Note`] for every
//! path that is skipped or cannot be read, so the scan goes on and the exit code tells the truth.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::Serialize;

/// Why a note was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// Could not be read or walked: the scan did not check it (exit code 2).
    Error,
    /// Deliberately not scanned (hidden, binary, a symbolic link).
    Skipped,
    /// Scanned, with a caveat (e.g. invalid UTF-8 replaced).
    Info,
}

/// Something the user should know about one source.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Note {
    pub source: String,
    pub kind: NoteKind,
    pub message: String,
}

impl Note {
    pub fn new(source: impl Into<String>, kind: NoteKind, message: impl Into<String>) -> Note {
        Note {
            source: source.into(),
            kind,
            message: message.into(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.kind == NoteKind::Error
    }
}

/// Where an input's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    File(PathBuf),
    Stdin,
}

/// Largest input read by default, in bytes (`[input] max-file-size`, `--max-file-size`). A
/// larger one is reported as not checked.
pub const MAX_INPUT_SIZE: u64 = 256 << 20;

/// A size for people: `256 MiB`, `12 KiB`, `900 bytes`.
pub fn human_size(n: u64) -> String {
    match n {
        _ if n >= 1 << 30 && n % (1 << 30) == 0 => format!("{} GiB", n >> 30),
        _ if n >= 1 << 20 && n % (1 << 20) == 0 => format!("{} MiB", n >> 20),
        _ if n >= 1 << 10 && n % (1 << 10) == 0 => format!("{} KiB", n >> 10),
        _ => format!("{n} bytes"),
    }
}

/// Reads a size: a number of bytes, or a number with a unit (`64 MiB`, `64M`, `500 KB`, `1G`);
/// K, M and G count in 1024s, with or without `B`/`iB`.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '_')
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let num: u64 = num
        .replace('_', "")
        .parse()
        .map_err(|_| format!("{s:?} is not a size (write e.g. 64 MiB)"))?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" | "byte" | "bytes" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => return Err(format!("{s:?} is not a size (units: bytes, KiB, MiB, GiB)")),
    };
    num.checked_mul(1 << shift)
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("{s:?} is not a usable size"))
}

/// One thing to scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The name reports use: the path as given or found by the walk, or `-` for stdin.
    pub name: String,
    pub origin: Origin,
    /// Whether the user named it (rather than a folder walk finding it): named inputs are
    /// scanned even when they look binary.
    pub explicit: bool,
}

impl Input {
    /// Reads the whole input, refusing anything that is not a regular file (a pipe named as a
    /// file would block forever) and anything over [`MAX_INPUT_SIZE`].
    pub fn read(&self) -> std::io::Result<Vec<u8>> {
        self.read_limited(MAX_INPUT_SIZE)
    }

    /// [`Input::read`] with another size limit, in bytes: a larger input is not read at all
    /// (a file) or not beyond the limit (stdin).
    pub fn read_limited(&self, limit: u64) -> std::io::Result<Vec<u8>> {
        use std::io::{Error, ErrorKind};
        let too_large = || {
            Error::new(
                ErrorKind::FileTooLarge,
                format!(
                    "larger than the {} limit (raise [input] max-file-size or \
                     --max-file-size to check it)",
                    human_size(limit)
                ),
            )
        };
        let mut buf = Vec::new();
        match &self.origin {
            Origin::File(path) => {
                let file = std::fs::File::open(path)?;
                let meta = file.metadata()?;
                if !meta.is_file() {
                    return Err(Error::new(
                        ErrorKind::InvalidInput,
                        "not a regular file (a folder, pipe, socket or device)",
                    ));
                }
                if meta.len() > limit {
                    return Err(too_large());
                }
                // Room for the whole file and one byte more: one read fills it and a second
                // says it ended (without a size to go by, read_to_end probes and grows: five
                // or six system calls for a small post, on each of a folder's files).
                // Best effort: where the room cannot be had, read_to_end still reads (and
                // reports running out of memory as an error on this file, not an abort).
                let expected = usize::try_from(meta.len()).unwrap_or(usize::MAX);
                let _ = buf.try_reserve_exact(expected.saturating_add(1));
                file.take(limit.saturating_add(1)).read_to_end(&mut buf)?;
            }
            Origin::Stdin => {
                std::io::stdin()
                    .lock()
                    .take(limit.saturating_add(1))
                    .read_to_end(&mut buf)?;
            }
        }
        if buf.len() as u64 > limit {
            return Err(too_large());
        }
        Ok(buf)
    }
}

/// Expands the user's paths into inputs. `-` is stdin; files are taken as named (even hidden or
/// ignored ones); folders are walked with `.gitignore`, `.ignore` and git excludes respected,
/// skipping hidden entries (noted) and `.git` itself (silently). The order is deterministic
/// (see [`Inputs`]).
pub fn collect_inputs(paths: &[PathBuf], notes: &mut Vec<Note>) -> Vec<Input> {
    let mut it = Inputs::new(paths);
    let inputs = it.by_ref().collect();
    notes.append(&mut it.notes);
    inputs
}

/// The inputs the user's paths name, produced one at a time: a folder of a million files is
/// walked as it is scanned, never listed whole. The order is deterministic: the paths as named,
/// sorted; each folder's entries sorted by name, a folder's files before the next entry.
pub struct Inputs {
    paths: std::vec::IntoIter<PathBuf>,
    walk: Option<Walk>,
    stdin_seen: bool,
    /// Problems met so far (unreadable paths, skipped entries); the caller takes them.
    pub notes: Vec<Note>,
}

struct Walk {
    root: PathBuf,
    entries: ignore::Walk,
    /// Hidden entries the walk's filter skipped (it cannot push to `notes` itself).
    hidden: Arc<Mutex<Vec<Note>>>,
}

impl Inputs {
    pub fn new(paths: &[PathBuf]) -> Inputs {
        let mut paths = paths.to_vec();
        paths.sort_by_cached_key(|p| p.display().to_string());
        Inputs {
            paths: paths.into_iter(),
            walk: None,
            stdin_seen: false,
            notes: Vec::new(),
        }
    }

    /// The next file of the folder being walked, if any.
    fn next_walked(&mut self) -> Option<Input> {
        let walk = self.walk.as_mut()?;
        for result in walk.entries.by_ref() {
            match result {
                Ok(entry) => {
                    let Some(ft) = entry.file_type() else {
                        continue;
                    };
                    if ft.is_file() {
                        return Some(Input {
                            name: entry.path().display().to_string(),
                            origin: Origin::File(entry.into_path()),
                            explicit: false,
                        });
                    } else if ft.is_symlink() {
                        // The root itself may be a link the user named: it is walked, not
                        // skipped.
                        if entry.depth() > 0 {
                            self.notes.push(Note::new(
                                entry.path().display().to_string(),
                                NoteKind::Skipped,
                                "symbolic link not followed (name its target to scan it)",
                            ));
                        }
                    } else if !ft.is_dir() {
                        self.notes.push(Note::new(
                            entry.path().display().to_string(),
                            NoteKind::Skipped,
                            "not a regular file (a pipe, socket or device)",
                        ));
                    }
                }
                Err(err) => self.notes.push(walk_error(&walk.root, &err)),
            }
        }
        self.notes
            .append(&mut walk.hidden.lock().expect("the walk is over"));
        self.walk = None;
        None
    }
}

impl Iterator for Inputs {
    type Item = Input;

    fn next(&mut self) -> Option<Input> {
        loop {
            if let Some(input) = self.next_walked() {
                return Some(input);
            }
            let path = self.paths.next()?;
            if path.as_os_str() == "-" {
                if !self.stdin_seen {
                    self.stdin_seen = true;
                    return Some(Input {
                        name: "-".into(),
                        origin: Origin::Stdin,
                        explicit: true,
                    });
                }
                continue;
            }
            let name = path.display().to_string();
            match std::fs::metadata(&path) {
                Err(err) => self.notes.push(Note::new(
                    name,
                    NoteKind::Error,
                    format!("cannot read: {}", io_reason(&err)),
                )),
                Ok(meta) if meta.is_dir() => self.walk = Some(walk(&path)),
                Ok(meta) if !meta.is_file() => self.notes.push(Note::new(
                    name,
                    NoteKind::Error,
                    "not a regular file (a pipe, socket or device); it was not checked",
                )),
                Ok(_) => {
                    return Some(Input {
                        name,
                        origin: Origin::File(path),
                        explicit: true,
                    });
                }
            }
        }
    }
}

fn walk(root: &Path) -> Walk {
    let hidden: Arc<Mutex<Vec<Note>>> = Arc::default();
    let hidden_in_filter = Arc::clone(&hidden);
    let entries = ignore::WalkBuilder::new(root)
        .hidden(false)
        .require_git(false)
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(move |entry| {
            if entry.depth() == 0 {
                return true;
            }
            let name = entry.file_name().to_string_lossy();
            if name == ".git" {
                return false;
            }
            if name.starts_with('.') {
                let what = if entry.file_type().is_some_and(|t| t.is_dir()) {
                    "hidden folder"
                } else {
                    "hidden file"
                };
                hidden_in_filter
                    .lock()
                    .expect("no panics while holding the lock")
                    .push(Note::new(
                        entry.path().display().to_string(),
                        NoteKind::Skipped,
                        format!("{what} skipped (name it explicitly to scan it)"),
                    ));
                return false;
            }
            true
        })
        .build();
    Walk {
        root: root.to_owned(),
        entries,
        hidden,
    }
}

fn walk_error(root: &Path, err: &ignore::Error) -> Note {
    // Find the innermost path and I/O error the walker attached.
    let mut path = None;
    let mut e = err;
    loop {
        match e {
            ignore::Error::WithPath { path: p, err } => {
                path = Some(p.display().to_string());
                e = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                e = err;
            }
            _ => break,
        }
    }
    let message = match e {
        ignore::Error::Io(io) => format!("cannot read: {}", io_reason(io)),
        ignore::Error::Loop { child, .. } => {
            path = Some(child.display().to_string());
            "symbolic link loop".to_owned()
        }
        other => format!("cannot walk: {other}"),
    };
    Note::new(
        path.unwrap_or_else(|| root.display().to_string()),
        NoteKind::Error,
        message,
    )
}

/// A short reason for an I/O error, without the OS error number.
pub fn io_reason(err: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match err.kind() {
        ErrorKind::NotFound => "no such file or folder".into(),
        ErrorKind::PermissionDenied => "permission denied".into(),
        ErrorKind::IsADirectory => "is a folder".into(),
        _ => {
            let s = err.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_owned(),
                None => s,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_read_with_units() {
        assert_eq!(parse_size("1024"), Ok(1024));
        assert_eq!(parse_size("64 MiB"), Ok(64 << 20));
        assert_eq!(parse_size("64M"), Ok(64 << 20));
        assert_eq!(parse_size("2gb"), Ok(2 << 30));
        assert_eq!(parse_size("1_000 kB"), Ok(1000 << 10));
        assert!(parse_size("0").is_err());
        assert!(parse_size("ten MB").is_err());
        assert!(parse_size("5 TB").is_err());
        assert_eq!(human_size(256 << 20), "256 MiB");
        assert_eq!(human_size(1500), "1500 bytes");
    }

    #[test]
    fn walks_in_order_respecting_gitignore_and_noting_hidden() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("b.md"), "b").unwrap();
        std::fs::write(root.join("a.txt"), "a").unwrap();
        std::fs::write(root.join(".gitignore"), "ignored.md\n").unwrap();
        std::fs::write(root.join("ignored.md"), "x").unwrap();
        std::fs::create_dir(root.join(".git")).unwrap();
        std::fs::write(root.join(".git/config"), "x").unwrap();
        std::fs::create_dir(root.join("sub")).unwrap();
        std::fs::write(root.join("sub/c.md"), "c").unwrap();

        let mut notes = Vec::new();
        let inputs = collect_inputs(&[root.to_path_buf()], &mut notes);
        let names: Vec<String> = inputs
            .iter()
            .map(|i| {
                Path::new(&i.name)
                    .strip_prefix(root)
                    .unwrap()
                    .display()
                    .to_string()
            })
            .collect();
        assert_eq!(names, vec!["a.txt", "b.md", "sub/c.md"]);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].source.ends_with(".gitignore"));
        assert_eq!(notes[0].kind, NoteKind::Skipped);
    }

    #[test]
    fn missing_paths_are_errors_and_named_files_are_taken_as_given() {
        let dir = tempfile::tempdir().unwrap();
        let hidden = dir.path().join(".draft.md");
        std::fs::write(&hidden, "x").unwrap();
        let mut notes = Vec::new();
        let inputs = collect_inputs(
            &[
                dir.path().join("nope.md"),
                hidden.clone(),
                PathBuf::from("-"),
                PathBuf::from("-"),
            ],
            &mut notes,
        );
        // Named paths are taken in sorted order ("-" sorts first), stdin once.
        assert_eq!(inputs.len(), 2);
        assert_eq!(inputs[0].origin, Origin::Stdin);
        assert_eq!(inputs[1].origin, Origin::File(hidden));
        assert!(inputs[1].explicit);
        assert_eq!(notes.len(), 1);
        assert!(notes[0].is_error());
        assert_eq!(notes[0].message, "cannot read: no such file or folder");
    }
}
