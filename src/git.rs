//! Git: `scan --staged` (what is staged for the next commit: the index, not the work tree),
//! `scan --diff BASE` (only the lines a branch adds since it left BASE) and `install-hook` (a
//! pre-commit hook that runs `phiguard scan --staged`).
//!
//! phiguard runs the `git` command line rather than linking a git library. Wherever a commit
//! is made or a pull request is checked out, `git` is there; running it means every repository
//! git can read works as git reads it (linked worktrees, `core.hooksPath`, the temporary index
//! that `git commit -a` and `git commit PATH` hand their hooks in `GIT_INDEX_FILE`, split and
//! sparse indexes, SHA-256 repositories), with no dependency to keep in step with git's formats.
//! Only git's machine-readable output is read: `diff --raw -z`, `cat-file --batch` and the hunk
//! headers of a unified diff.
//!
//! What is compared:
//! - `--staged`: the index against `HEAD` (against nothing before the first commit): every file
//!   the next commit adds or changes is scanned whole, from the bytes in the index.
//! - `--diff BASE`: the merge base of BASE and `HEAD` against `HEAD`, as `git diff BASE...HEAD`
//!   and a pull request's "Files changed" do: the changes made on BASE since the branch left it
//!   are not the branch's, and uncommitted changes are not compared. Each changed file's new
//!   content (from `HEAD`) is scanned whole, so wording elsewhere in a post still weighs a
//!   finding, but only findings on added lines are kept, and only posts with one are reported.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::ops::Range;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use crate::error::Error;
use crate::extract::{Document, ExtractOptions, Extracted, extract_with};
use crate::finding::Finding;
use crate::scan::{PostResult, ScanResults, Scanner};
use crate::source::{MAX_INPUT_SIZE, Note, NoteKind, human_size};

/// Which content of a repository a scan reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitScope {
    /// What is staged for the next commit (`scan --staged`).
    Staged,
    /// The lines added since BASE's merge base with `HEAD` (`scan --diff BASE`).
    Diff(String),
}

/// A git command with the settings that would change its machine-readable output pinned, and
/// the environment variables that would override our options removed. `GIT_DIR`,
/// `GIT_INDEX_FILE` and the like are kept: a hook must read the index its commit is making.
pub(crate) fn git() -> Command {
    let mut cmd = Command::new("git");
    cmd.args([
        "-c",
        "diff.relative=false",
        "-c",
        "diff.noprefix=false",
        "-c",
        "color.ui=never",
    ])
    .env_remove("GIT_DIFF_OPTS")
    .env_remove("GIT_EXTERNAL_DIFF")
    .env("GIT_TERMINAL_PROMPT", "0")
    // phiguard never uses the network: in a partial clone, a missing object is an error (the
    // file is reported as not checked), not a fetch from the promisor remote.
    .env("GIT_NO_LAZY_FETCH", "1")
    // Reading must not take the index lock that the commit running this hook holds.
    .env("GIT_OPTIONAL_LOCKS", "0")
    .stdin(Stdio::null());
    cmd
}

/// Runs a git command to the end; its stdout when it succeeds, else the first line of what it
/// said on stderr (or its status).
pub(crate) fn run(cmd: &mut Command) -> Result<Vec<u8>, GitFailure> {
    let out = cmd.output().map_err(|e| {
        if e.kind() == io::ErrorKind::NotFound {
            GitFailure::Missing
        } else {
            GitFailure::Failed(format!("cannot run git: {}", crate::source::io_reason(&e)))
        }
    })?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let said = stderr
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .map(|l| l.strip_prefix("fatal: ").unwrap_or(l).to_owned())
            .unwrap_or_else(|| format!("git exited with {}", out.status));
        Err(GitFailure::Failed(said))
    }
}

pub(crate) enum GitFailure {
    /// `git` is not on PATH.
    Missing,
    /// It ran and failed: what it said.
    Failed(String),
}

impl GitFailure {
    pub(crate) fn into_error(self, doing: &str) -> Error {
        match self {
            GitFailure::Missing => Error::Git(format!(
                "{doing} needs git, and `git` was not found on PATH; install git or scan the \
                 files by path"
            )),
            GitFailure::Failed(said) => Error::Git(format!("{doing}: git failed: {said}")),
        }
    }
}

/// Git's output as text, without the line end.
pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).trim_end().to_owned()
}

/// The work tree's top folder; an error naming `doing` outside a repository.
pub(crate) fn toplevel(doing: &str) -> Result<PathBuf, Error> {
    match run(git().args(["rev-parse", "--show-toplevel"])) {
        Ok(out) => Ok(PathBuf::from(text(&out))),
        Err(GitFailure::Failed(said)) if said.contains("not a git repository") => {
            Err(Error::Git(format!(
                "{doing}: not in a git repository (no .git here or in any folder above); run it \
                 inside a repository's work tree, or scan files by path"
            )))
        }
        Err(GitFailure::Failed(said)) if said.contains("must be run in a work tree") => {
            Err(Error::Git(format!(
                "{doing}: this repository has no work tree (a bare repository)"
            )))
        }
        Err(e) => Err(e.into_error(doing)),
    }
}

/// The commit a revision names, or `None` when it names none.
fn commit_of(rev: &str) -> Result<Option<String>, Error> {
    let spec = format!("{rev}^{{commit}}");
    match run(git().args(["rev-parse", "--verify", "--quiet", &spec])) {
        Ok(out) => Ok(Some(text(&out))),
        Err(GitFailure::Failed(_)) => Ok(None),
        Err(e) => Err(e.into_error("reading the revision")),
    }
}

/// One file the commit or branch adds or changes, from `git diff --raw`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Change {
    /// `A`dded, `M`odified, `R`enamed, `C`opied, `T`ype changed, `D`eleted, `U`nmerged.
    status: u8,
    old_mode: u32,
    new_mode: u32,
    old_oid: String,
    new_oid: String,
    /// The path after the change (the new name of a renamed file), from the repository's top.
    path: String,
}

/// Reads `git diff --raw -z` output.
fn parse_raw(out: &[u8]) -> Result<Vec<Change>, String> {
    let mut fields = out.split(|&b| b == 0);
    let mut changes = Vec::new();
    while let Some(meta) = fields.next() {
        if meta.is_empty() {
            continue;
        }
        let meta = std::str::from_utf8(meta).map_err(|_| "unreadable git diff output")?;
        let parts: Vec<&str> = meta.trim_start_matches(':').split(' ').collect();
        let [old_mode, new_mode, old_oid, new_oid, status] = parts[..] else {
            return Err(format!("unexpected git diff output: {meta:?}"));
        };
        let status = status.bytes().next().ok_or("unexpected git diff output")?;
        let mode = |m: &str| u32::from_str_radix(m, 8).map_err(|_| format!("bad mode {m:?}"));
        let mut path = fields.next().ok_or("truncated git diff output")?;
        if matches!(status, b'R' | b'C') {
            path = fields.next().ok_or("truncated git diff output")?;
        }
        changes.push(Change {
            status,
            old_mode: mode(old_mode)?,
            new_mode: mode(new_mode)?,
            old_oid: old_oid.to_owned(),
            new_oid: new_oid.to_owned(),
            path: String::from_utf8_lossy(path).into_owned(),
        });
    }
    Ok(changes)
}

const MODE_SUBMODULE: u32 = 0o160000;
const MODE_SYMLINK: u32 = 0o120000;

fn is_regular(mode: u32) -> bool {
    mode & 0o170000 == 0o100000
}

/// What a scope compares: the changed files it covers, limited to `paths` (git pathspecs, from
/// the current folder), how to compare each, and the commit the new content is compared with
/// (`None` before the first commit).
struct Changes {
    changes: Vec<Change>,
    compare: Compare,
    old_commit: Option<String>,
}

fn changes(scope: &GitScope, paths: &[PathBuf]) -> Result<Changes, Error> {
    let mut cmd = git();
    cmd.args(["diff", "--raw", "-z", "--no-abbrev", "--no-ext-diff"]);
    let (compare, old_commit) = match scope {
        GitScope::Staged => {
            // Renames need no pairing here: the new path is scanned whole either way.
            cmd.args(["--cached", "--no-renames"]);
            (Compare::Whole, commit_of("HEAD")?)
        }
        GitScope::Diff(base) => {
            let (merge_base, head) = diff_ends(base)?;
            cmd.args(["--find-renames", &merge_base, &head]);
            (Compare::AddedLines, Some(merge_base))
        }
    };
    cmd.arg("--").args(paths);
    let doing = match scope {
        GitScope::Staged => "scan --staged",
        GitScope::Diff(_) => "scan --diff",
    };
    let out = run(&mut cmd).map_err(|e| e.into_error(doing))?;
    let changes = parse_raw(&out).map_err(|e| Error::Git(format!("{doing}: {e}")))?;
    Ok(Changes {
        changes,
        compare,
        old_commit,
    })
}

/// The merge base of BASE and `HEAD`, and `HEAD`, as commit ids.
fn diff_ends(base: &str) -> Result<(String, String), Error> {
    if base.is_empty() || base.starts_with('-') {
        return Err(Error::Git(format!(
            "scan --diff {base:?}: BASE must name a commit (a branch such as origin/main, a \
             tag or a commit id)"
        )));
    }
    let Some(base_id) = commit_of(base)? else {
        return Err(Error::Git(format!(
            "scan --diff {base}: no commit named {base:?} in this repository (a typo, or not \
             fetched: git fetch origin, or in GitHub Actions check out with fetch-depth: 0)"
        )));
    };
    let Some(head) = commit_of("HEAD")? else {
        return Err(Error::Git(format!(
            "scan --diff {base}: HEAD has no commit yet (nothing to compare; scan --staged \
             checks what is staged)"
        )));
    };
    match run(git().args(["merge-base", &base_id, &head])) {
        Ok(out) if !text(&out).is_empty() => Ok((text(&out), head)),
        Ok(_) | Err(GitFailure::Failed(_)) => Err(Error::Git(format!(
            "scan --diff {base}: {base} and HEAD share no history, so there is no merge base \
             to compare from (in a shallow clone fetch the whole history: git fetch --unshallow, \
             or in GitHub Actions check out with fetch-depth: 0)"
        ))),
        Err(e) => Err(e.into_error("scan --diff")),
    }
}

/// How much of each changed file's findings to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compare {
    /// Every finding (`--staged`: the whole staged file is what gets committed).
    Whole,
    /// Only findings on lines added since the old version (`--diff`).
    AddedLines,
}

/// Paths named with `--staged` or `--diff` must exist somewhere: in the work tree, or as a
/// pathspec that matches something git tracks (in the index or in `tree`). A typo is an error,
/// as it is for a scan of paths, not an empty pass.
fn check_paths(paths: &[PathBuf], tree: Option<&str>, notes: &mut Vec<Note>) {
    for path in paths {
        if std::fs::symlink_metadata(path).is_ok() {
            continue;
        }
        let mut cmd = git();
        cmd.args(["ls-files", "--error-unmatch"]);
        if let Some(tree) = tree {
            cmd.arg(format!("--with-tree={tree}"));
        }
        cmd.arg("--").arg(path);
        if run(&mut cmd).is_err() {
            notes.push(Note::new(
                path.display().to_string(),
                NoteKind::Error,
                "cannot read: no such file or folder, in the work tree or in git",
            ));
        }
    }
}

/// Scans what `scope` covers of the repository around the current folder, limited to `paths`
/// (git pathspecs; none means the whole repository). Names in the results are paths from the
/// repository's top folder. Errors: not in a repository, git missing or failing, a BASE that
/// names no commit, no merge base.
pub fn scan(
    scope: &GitScope,
    paths: &[PathBuf],
    scanner: &Scanner<'_>,
    threads: usize,
    options: &ExtractOptions,
) -> Result<ScanResults, Error> {
    let doing = match scope {
        GitScope::Staged => "scan --staged".to_owned(),
        GitScope::Diff(base) => format!("scan --diff {base}"),
    };
    if paths.iter().any(|p| p.as_os_str() == "-") {
        return Err(Error::Git(format!(
            "{doing}: reads files from git, so it cannot read stdin (-)"
        )));
    }
    toplevel(&doing)?;
    let Changes {
        changes,
        compare,
        old_commit,
    } = changes(scope, paths)?;
    let mut notes = Vec::new();
    check_paths(paths, old_commit.as_deref(), &mut notes);
    // The branch under review can change the configuration that reviews it (an allow pattern
    // that allows everything): the scan uses it, and says so, so a reviewer looks at it.
    for c in changes.iter().filter(|c| {
        c.status != b'D'
            && (c.path == crate::config::FILE_NAME
                || c.path.ends_with(&format!("/{}", crate::config::FILE_NAME)))
    }) {
        notes.push(Note::new(
            &c.path,
            NoteKind::Info,
            format!(
                "the configuration changed in {doing}, and this scan used the changed one: \
                 review what it allows, disables or lowers before trusting a clean result"
            ),
        ));
    }

    let mut jobs = Vec::new();
    for c in changes {
        match c.status {
            // Nothing of a deleted file is published.
            b'D' => {}
            b'U' => notes.push(Note::new(
                &c.path,
                NoteKind::Error,
                "unmerged (a conflict): resolve it and stage the result to check it",
            )),
            _ if c.new_mode == MODE_SUBMODULE => notes.push(Note::new(
                &c.path,
                NoteKind::Skipped,
                "submodule skipped (its files are another repository's: run phiguard there)",
            )),
            _ if c.new_mode == MODE_SYMLINK => notes.push(Note::new(
                &c.path,
                NoteKind::Skipped,
                "symbolic link not followed (name its target to scan it)",
            )),
            _ if !is_regular(c.new_mode) => notes.push(Note::new(
                &c.path,
                NoteKind::Skipped,
                format!("not a file in git (mode {:o})", c.new_mode),
            )),
            _ => jobs.push(c),
        }
    }

    let outcomes = crate::scan::parallel(
        &jobs,
        threads,
        || None,
        |job, blobs| scan_change(job, compare, scanner, options, blobs),
    );
    let mut results = ScanResults::default();
    for outcome in outcomes {
        results.posts.extend(outcome.posts);
        results.notes.extend(outcome.notes);
        results.sources += usize::from(outcome.scanned);
    }
    results.notes.extend(notes);
    results.posts.sort_by(|a, b| {
        a.source
            .cmp(&b.source)
            .then_with(|| a.ordinal.cmp(&b.ordinal))
    });
    results.notes.sort();
    Ok(results)
}

#[derive(Default)]
struct Outcome {
    posts: Vec<PostResult>,
    notes: Vec<Note>,
    scanned: bool,
}

impl Outcome {
    fn note(path: &str, kind: NoteKind, message: impl Into<String>) -> Outcome {
        Outcome {
            notes: vec![Note::new(path, kind, message)],
            ..Outcome::default()
        }
    }
}

/// Which findings of one changed file to keep.
enum Keep {
    All,
    /// Byte ranges of the added lines in the new content (each with its line end).
    Bytes(Vec<Range<usize>>),
}

fn scan_change(
    change: &Change,
    compare: Compare,
    scanner: &Scanner<'_>,
    options: &ExtractOptions,
    blobs: &mut Option<BlobReader>,
) -> Outcome {
    let path = change.path.as_str();
    // Which lines are new: everything in a new file (or one that was a link or a submodule);
    // the added lines of a changed one, by git's own line diff.
    let mut added: Option<Vec<usize>> = None;
    let mut binary = false;
    if compare == Compare::AddedLines
        && matches!(change.status, b'M' | b'R' | b'C')
        && is_regular(change.old_mode)
    {
        if change.old_oid == change.new_oid {
            return Outcome::default(); // renamed or mode changed, not one line added
        }
        match run(git().args([
            "diff",
            "--no-ext-diff",
            "--no-textconv",
            "--no-color",
            "-U0",
            &change.old_oid,
            &change.new_oid,
        ])) {
            Ok(out) => match added_lines(&out) {
                Some(lines) if lines.is_empty() => return Outcome::default(),
                Some(lines) => added = Some(lines),
                None => binary = true,
            },
            Err(e) => {
                let said = match e {
                    GitFailure::Missing => "git was not found on PATH".to_owned(),
                    GitFailure::Failed(said) => said,
                };
                return Outcome::note(
                    path,
                    NoteKind::Error,
                    format!("cannot compare with the old version: {said}"),
                );
            }
        }
    }

    let limit = options.max_file_size.unwrap_or(MAX_INPUT_SIZE);
    let reader = match blobs {
        Some(r) => r,
        None => match BlobReader::spawn() {
            Ok(r) => blobs.insert(r),
            Err(e) => {
                return Outcome::note(
                    path,
                    NoteKind::Error,
                    format!("cannot read from git: {}", crate::source::io_reason(&e)),
                );
            }
        },
    };
    let bytes = match reader.read(&change.new_oid, limit) {
        Ok(Blob::Bytes(b)) => b,
        Ok(Blob::TooLarge) => {
            return Outcome::note(
                path,
                NoteKind::Error,
                format!(
                    "cannot read: larger than the {} limit (raise [input] max-file-size or \
                     --max-file-size to check it)",
                    human_size(limit)
                ),
            );
        }
        Ok(Blob::Missing) => {
            return Outcome::note(
                path,
                NoteKind::Error,
                "cannot read: its content is not in the repository (a partial clone?)",
            );
        }
        Err(e) => {
            *blobs = None;
            return Outcome::note(
                path,
                NoteKind::Error,
                format!("cannot read from git: {}", crate::source::io_reason(&e)),
            );
        }
    };
    let mut notes = Vec::new();
    let (bytes, keep) = if is_lfs_pointer(&bytes) {
        match lfs_content(&bytes, limit) {
            Ok(content) => (content, Keep::All),
            Err(message) => return Outcome::note(path, NoteKind::Error, message),
        }
    } else {
        let keep = match (&added, binary) {
            (Some(lines), _) => Keep::Bytes(line_ranges(&bytes, lines)),
            (None, true) => {
                notes.push(Note::new(
                    path,
                    NoteKind::Info,
                    "binary file changed: its lines cannot be compared, so all of it was checked",
                ));
                Keep::All
            }
            (None, false) => Keep::All,
        };
        (bytes, keep)
    };
    // Spans point into the bytes given only when the document is those bytes (text formats).
    let original = matches!(keep, Keep::Bytes(_)).then(|| bytes.clone());
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        // Named by git, like a file named on the command line: text with a stray NUL byte is
        // still checked, never skipped as binary.
        match extract_with(path, bytes, true, options) {
            Extracted::Skipped(note) => Outcome {
                notes: vec![note],
                ..Outcome::default()
            },
            Extracted::Document(doc, doc_notes) => {
                let posts = scan_kept(scanner, &doc, &keep, original.as_deref());
                Outcome {
                    posts,
                    notes: doc_notes,
                    scanned: true,
                }
            }
        }
    }));
    match outcome {
        Ok(mut o) => {
            if o.scanned {
                o.notes.extend(notes);
            }
            o
        }
        Err(_) => Outcome::note(
            path,
            NoteKind::Error,
            "internal error while scanning this file; it was not checked (please report it)",
        ),
    }
}

/// Scans a document keeping what `keep` says; with added lines, posts without a kept finding
/// are left out.
fn scan_kept(
    scanner: &Scanner<'_>,
    doc: &Document,
    keep: &Keep,
    original: Option<&[u8]>,
) -> Vec<PostResult> {
    match keep {
        Keep::All => scanner.scan_document(doc),
        // A container's extracted text (a Word document, an image's metadata) has no lines in
        // git: all of it is kept.
        Keep::Bytes(_) if original != Some(doc.bytes.as_slice()) => scanner.scan_document(doc),
        Keep::Bytes(ranges) => {
            let on_added = |f: &Finding| {
                ranges
                    .iter()
                    .any(|r| f.span.start < r.end && r.start < f.span.end.max(f.span.start + 1))
            };
            let mut posts = scanner.scan_document_keeping(doc, &on_added);
            posts.retain(|p| !p.findings.is_empty() || !p.allowed.is_empty());
            posts
        }
    }
}

/// The 1-based numbers of the lines a unified diff of one file adds to the new version, in
/// order; `None` when git found the file binary. Any amount of context is understood.
fn added_lines(diff: &[u8]) -> Option<Vec<usize>> {
    let mut added = Vec::new();
    let mut line_no: Option<usize> = None;
    let mut hunks = 0;
    for line in diff.split(|&b| b == b'\n') {
        if line.starts_with(b"@@ ") {
            line_no = hunk_new_start(line);
            hunks += 1;
            continue;
        }
        let Some(n) = line_no.as_mut() else {
            if line.starts_with(b"Binary files ") || line.starts_with(b"GIT binary patch") {
                return None;
            }
            continue;
        };
        match line.first() {
            Some(b'+') => {
                added.push(*n);
                *n += 1;
            }
            Some(b'-' | b'\\') => {}
            // Context: a space, or nothing when git leaves blank context lines empty.
            _ => *n += 1,
        }
    }
    // Two different versions with no hunk git's output could be read from: the lines cannot
    // be told apart, so the caller checks the whole file rather than nothing.
    if hunks == 0 {
        return None;
    }
    Some(added)
}

/// The first new-file line of a hunk header `@@ -a,b +c,d @@`: `c`.
fn hunk_new_start(header: &[u8]) -> Option<usize> {
    let at = header.windows(2).position(|w| w == b" +")? + 2;
    let digits: &[u8] = &header[at..];
    let end = digits
        .iter()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(digits.len());
    std::str::from_utf8(&digits[..end]).ok()?.parse().ok()
}

/// The byte ranges of 1-based `lines` (sorted) in `bytes`, each with its line end, adjacent
/// lines merged.
fn line_ranges(bytes: &[u8], lines: &[usize]) -> Vec<Range<usize>> {
    let mut starts = vec![0];
    starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for &n in lines {
        let Some(&start) = starts.get(n.wrapping_sub(1)) else {
            continue;
        };
        let end = starts.get(n).copied().unwrap_or(bytes.len());
        match ranges.last_mut() {
            Some(last) if last.end == start => last.end = end,
            _ => ranges.push(start..end),
        }
    }
    ranges
}

/// What `git cat-file --batch` returned for one object.
enum Blob {
    Bytes(Vec<u8>),
    TooLarge,
    Missing,
}

/// One `git cat-file --batch` process, asked for one blob at a time (one per worker thread).
struct BlobReader {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl BlobReader {
    fn spawn() -> io::Result<BlobReader> {
        let mut child = git()
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let stdin = child.stdin.take();
        let stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
        Ok(BlobReader {
            child,
            stdin,
            stdout,
        })
    }

    /// Reads a blob, not keeping one over `limit` bytes.
    fn read(&mut self, oid: &str, limit: u64) -> io::Result<Blob> {
        let stdin = self.stdin.as_mut().expect("open until dropped");
        writeln!(stdin, "{oid}")?;
        stdin.flush()?;
        let mut header = Vec::new();
        self.stdout.read_until(b'\n', &mut header)?;
        let header = String::from_utf8_lossy(&header);
        let bad = || io::Error::new(io::ErrorKind::InvalidData, "git cat-file stopped answering");
        if header.trim_end().ends_with(" missing") {
            return Ok(Blob::Missing);
        }
        let size: u64 = header
            .split_whitespace()
            .nth(2)
            .and_then(|s| s.parse().ok())
            .ok_or_else(bad)?;
        if size > limit {
            io::copy(&mut (&mut self.stdout).take(size + 1), &mut io::sink())?;
            return Ok(Blob::TooLarge);
        }
        let mut buf = vec![0; usize::try_from(size).map_err(|_| bad())?];
        self.stdout.read_exact(&mut buf)?;
        let mut newline = [0];
        self.stdout.read_exact(&mut newline)?;
        Ok(Blob::Bytes(buf))
    }
}

impl Drop for BlobReader {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

/// Lower-case hexadecimal.
fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// A Git LFS pointer: the real content's SHA-256 and size.
#[derive(Debug, PartialEq, Eq)]
struct LfsPointer {
    oid: String,
    size: u64,
}

fn is_lfs_pointer(bytes: &[u8]) -> bool {
    lfs_pointer(bytes).is_some()
}

/// Reads a Git LFS pointer file (`version https://git-lfs.github.com/spec/v1`, `oid
/// sha256:…`, `size …`).
fn lfs_pointer(bytes: &[u8]) -> Option<LfsPointer> {
    if bytes.len() > 1024 || !bytes.starts_with(b"version https://git-lfs.github.com/spec/") {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let mut oid = None;
    let mut size = None;
    // Strictly the pointer format: any other line means this is a file that only starts like a
    // pointer, and it is scanned as itself.
    for line in text.lines() {
        if let Some(hex) = line.strip_prefix("oid sha256:") {
            if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            oid = Some(hex.to_ascii_lowercase());
        } else if let Some(n) = line.strip_prefix("size ") {
            size = Some(n.parse().ok()?);
        } else if !(line.starts_with("version ") || line.starts_with("ext-")) {
            return None;
        }
    }
    Some(LfsPointer {
        oid: oid?,
        size: size?,
    })
}

/// The content a Git LFS pointer stands for, from this clone's LFS store (never fetched: that
/// would need the network). The message says why it cannot be had.
fn lfs_content(pointer_bytes: &[u8], limit: u64) -> Result<Vec<u8>, String> {
    use sha2::{Digest, Sha256};
    let pointer = lfs_pointer(pointer_bytes).expect("checked by is_lfs_pointer");
    if pointer.size > limit {
        return Err(format!(
            "cannot read: a Git LFS file larger than the {} limit (raise [input] max-file-size \
             or --max-file-size to check it)",
            human_size(limit)
        ));
    }
    let not_here = "a Git LFS file whose content is not in this clone (git lfs pull fetches it); \
                    it was not checked";
    let common = run(git().args(["rev-parse", "--git-common-dir"])).map_err(|_| not_here)?;
    let common = PathBuf::from(text(&common));
    let storage = match run(git().args(["config", "--get", "lfs.storage"])) {
        Ok(s) if !text(&s).is_empty() => common.join(text(&s)),
        _ => common.join("lfs"),
    };
    let object = storage
        .join("objects")
        .join(&pointer.oid[..2])
        .join(&pointer.oid[2..4])
        .join(&pointer.oid);
    let content = std::fs::read(&object).map_err(|_| not_here.to_owned())?;
    if content.len() as u64 != pointer.size || hex(&Sha256::digest(&content)) != pointer.oid {
        return Err(
            "a Git LFS file whose stored content does not match its pointer; it was not checked"
                .into(),
        );
    }
    Ok(content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_diff_records_are_read_with_renames() {
        let z = |s: &str| s.replace('|', "\0");
        let out = z(":000000 100644 0000 1111 A|new post.md|\
                     :100644 100644 2222 3333 R087|old.md|posts/renamed.md|\
                     :100644 000000 4444 0000 D|gone.md|\
                     :160000 160000 5555 6666 M|vendor/lib|");
        let changes = parse_raw(out.as_bytes()).unwrap();
        let got: Vec<(char, &str, u32)> = changes
            .iter()
            .map(|c| (c.status as char, c.path.as_str(), c.new_mode))
            .collect();
        assert_eq!(
            got,
            vec![
                ('A', "new post.md", 0o100644),
                ('R', "posts/renamed.md", 0o100644),
                ('D', "gone.md", 0),
                ('M', "vendor/lib", 0o160000),
            ]
        );
        assert_eq!(changes[1].old_oid, "2222");
        assert_eq!(changes[1].new_oid, "3333");
        assert!(parse_raw(b":100644 100644 1 2\0x\0").is_err());
    }

    #[test]
    fn added_lines_come_from_the_hunks() {
        // Line 2 replaced, two lines added after old line 5 (new lines 6 and 7), line 9 gone.
        let diff = b"diff --git a/x b/x\nindex 1..2\n--- a/x\n+++ b/x\n\
                     @@ -2 +2 @@\n-old\n+new\n\
                     @@ -5,0 +6,2 @@ heading\n+one\n++two\n\
                     @@ -9 +10,0 @@\n-gone\n\\ No newline at end of file\n";
        assert_eq!(added_lines(diff), Some(vec![2, 6, 7]));
        // With context lines, blank ones possibly left empty.
        let diff = b"@@ -1,3 +1,4 @@\n a\n\n+b\n c\n";
        assert_eq!(added_lines(diff), Some(vec![3]));
        assert_eq!(
            added_lines(b"diff --git a/x b/x\nBinary files a/x and b/x differ\n"),
            None
        );
        // Output with no hunk to read (empty, or coloured by a user's settings): the whole file
        // is checked, never nothing.
        assert_eq!(added_lines(b""), None);
        assert_eq!(
            added_lines(b"diff --git a/x b/x\n\x1b[36m@@ -1 +1 @@\x1b[m\n\x1b[32m+new\x1b[m\n"),
            None
        );
    }

    #[test]
    fn added_lines_become_byte_ranges() {
        let text = b"one\ntwo\nthree\nfour";
        assert_eq!(line_ranges(text, &[2, 3]), vec![4..14]);
        assert_eq!(line_ranges(text, &[1, 4]), vec![0..4, 14..18]);
        assert_eq!(line_ranges(text, &[7]), Vec::<Range<usize>>::new());
    }

    #[test]
    fn lfs_pointers_are_recognised() {
        let oid = "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393";
        let p =
            format!("version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize 12345\n");
        assert_eq!(
            lfs_pointer(p.as_bytes()),
            Some(LfsPointer {
                oid: oid.into(),
                size: 12345
            })
        );
        assert_eq!(lfs_pointer(b"version https://example.com\n"), None);
        assert_eq!(hex(&[0, 0xab, 0x10]), "00ab10");
    }
}
