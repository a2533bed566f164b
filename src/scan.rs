//! The orchestration of one scan: inputs → read → extract → detect → assess, on worker
//! threads, into results in a deterministic order. This is the one place where the stages meet.

use std::collections::BTreeMap;
use std::ops::Range;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, OnceLock, PoisonError, mpsc};

use crate::assess::{Assessment, RiskModel, assess};
use crate::detect::Engine;
use crate::extract::{Document, ExtractOptions, Extracted, Post, extract_with};
use crate::finding::{Allowed, Finding, Position, SignalFound, SourceLine};
use crate::source::{Input, Note, NoteKind, io_reason};
use crate::text::{LineIndex, PositionCursor};

/// Most worker threads a scan starts, whatever `--threads` asks for.
pub const MAX_THREADS: usize = 256;

/// Fewest posts of one document each thread takes when a document is scanned on several (an
/// export is one input; on its own it would keep one thread busy while the others wait).
const POSTS_PER_THREAD: usize = 256;

/// A streamed scan of at most this many inputs, and this many bytes, runs on the calling
/// thread: starting threads costs more than they give (a pre-commit hook's few files). A large
/// export among them still borrows helper threads.
const SMALL_JOB_INPUTS: usize = 32;
const SMALL_JOB_BYTES: u64 = 256 << 10;

/// Helper threads borrowed from a scan's spare ones, given back when dropped (a panic too).
struct Borrowed<'a> {
    spare: &'a AtomicUsize,
    count: usize,
}

impl<'a> Borrowed<'a> {
    /// Up to `wanted` of `spare`'s threads (fewer when other documents hold some).
    fn take(spare: &'a AtomicUsize, wanted: usize) -> Borrowed<'a> {
        let mut count = 0;
        if wanted > 0 {
            let _ = spare.fetch_update(Ordering::AcqRel, Ordering::Acquire, |free| {
                count = free.min(wanted);
                Some(free - count)
            });
        }
        Borrowed { spare, count }
    }
}

impl Drop for Borrowed<'_> {
    fn drop(&mut self) {
        self.spare.fetch_add(self.count, Ordering::AcqRel);
    }
}

/// Runs `work` over `jobs` on up to `threads` scoped threads, each with its own `state` (a
/// reader it keeps open, say); the results come back in the order of the jobs. Threads that
/// cannot be started leave their share to the others and to this one.
pub fn parallel<J, S, O>(
    jobs: &[J],
    threads: usize,
    state: impl Fn() -> S + Sync,
    work: impl Fn(&J, &mut S) -> O + Sync,
) -> Vec<O>
where
    J: Sync,
    O: Send + Sync,
{
    let slots: Vec<OnceLock<O>> = jobs.iter().map(|_| OnceLock::new()).collect();
    let next = AtomicUsize::new(0);
    let run = || {
        let mut s = state();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(job) = jobs.get(i) else { break };
            let _ = slots[i].set(work(job, &mut s));
        }
    };
    let threads = threads.clamp(1, jobs.len().clamp(1, MAX_THREADS));
    std::thread::scope(|scope| {
        for _ in 1..threads {
            if std::thread::Builder::new()
                .spawn_scoped(scope, run)
                .is_err()
            {
                break;
            }
        }
        run();
    });
    slots
        .into_iter()
        .map(|s| s.into_inner().expect("every job ran"))
        .collect()
}

/// One assessed post.
#[derive(Debug, Clone)]
pub struct PostResult {
    pub source: String,
    pub locator: Option<String>,
    /// The post's position in its source, for ordering.
    pub ordinal: usize,
    /// Sorted by position.
    pub findings: Vec<Finding>,
    /// The source lines the findings start on, by line number (for showing them in context).
    pub lines: Vec<SourceLine>,
    /// Ranges (in the decoded source text) of candidates that lost an overlap to a finding:
    /// reports mask them too, since a losing candidate can reach beyond the winner.
    pub shadows: Vec<Range<usize>>,
    /// Signals found in the post, in text order.
    pub signals: Vec<SignalFound>,
    /// Findings a scan left out on purpose (`scan --diff`: not on an added line): never
    /// reported, but masked where a shown line holds one, and counted by baselines.
    pub unreported: Vec<Finding>,
    /// Findings let through by an inline marker or the document's allow list (not in
    /// `findings`, not counted in the risk).
    pub allowed: Vec<Allowed>,
    pub assessment: Assessment,
}

/// Everything a scan produced.
#[derive(Debug, Clone, Default)]
pub struct ScanResults {
    /// In input order (see [`crate::source::Inputs`]), then by position in the source.
    pub posts: Vec<PostResult>,
    /// Sorted by source.
    pub notes: Vec<Note>,
    /// How many sources were read and scanned.
    pub sources: usize,
    /// What `--baseline` hid and found stale, when a baseline was used.
    pub baseline: Option<crate::baseline::BaselineCounts>,
    /// Posts counted but not kept: posts with nothing to report, dropped as the scan went (see
    /// [`crate::report::Streamer`]).
    pub quiet: Quiet,
}

/// What scanning one input produced: its posts, its notes, and whether it was scanned at all.
pub struct InputOutcome {
    pub posts: Vec<PostResult>,
    pub notes: Vec<Note>,
    pub scanned: bool,
    /// Posts scanned but not kept (see [`Scanner::scan_streaming`]).
    pub quiet: Quiet,
}

/// What the summary needs of posts that were not kept: how many at each risk level (none,
/// low, medium, high), and their findings and allowed findings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Quiet {
    pub risk: [usize; 4],
    pub findings: usize,
    pub allowed: usize,
}

impl Quiet {
    /// Counts a post.
    pub fn add(&mut self, p: &PostResult) {
        self.risk[p.assessment.risk as usize] += 1;
        self.findings += p.findings.len();
        self.allowed += p.allowed.len();
    }

    /// Adds other counts to these.
    pub fn merge(&mut self, other: &Quiet) {
        for (a, b) in self.risk.iter_mut().zip(other.risk) {
            *a += b;
        }
        self.findings += other.findings;
        self.allowed += other.allowed;
    }
}

/// What a streaming scan hands on, in input order: an input's posts one by one, then the
/// input's outcome (its notes and counts; its `posts` empty).
pub enum Part {
    Post(PostResult),
    Done(InputOutcome),
}

/// Which assessed posts a streaming scan keeps; the others are only counted.
pub type KeepPost<'a> = dyn Fn(&PostResult) -> bool + Sync + 'a;

impl InputOutcome {
    fn not_scanned(note: Note) -> InputOutcome {
        InputOutcome {
            posts: Vec::new(),
            notes: vec![note],
            scanned: false,
            quiet: Quiet::default(),
        }
    }
}

/// Scans documents with one engine and risk model.
#[derive(Debug, Clone, Copy)]
pub struct Scanner<'a> {
    pub engine: &'a Engine,
    pub model: &'a RiskModel,
}

impl Scanner<'_> {
    /// Scans every input on up to `threads` worker threads. Unreadable inputs become error
    /// notes; so does an internal failure on one input, which never stops the others.
    pub fn scan_inputs(&self, inputs: &[Input], threads: usize) -> ScanResults {
        self.scan_inputs_with(inputs, threads, &ExtractOptions::default())
    }

    /// [`Scanner::scan_inputs`], reading inputs as `options` say.
    pub fn scan_inputs_with(
        &self,
        inputs: &[Input],
        threads: usize,
        options: &ExtractOptions,
    ) -> ScanResults {
        let mut results = ScanResults::default();
        for outcome in self.scan_batch(inputs, threads, options) {
            results.posts.extend(outcome.posts);
            results.notes.extend(outcome.notes);
            results.sources += usize::from(outcome.scanned);
        }
        results.notes.sort();
        results
    }

    /// Scans inputs as they come on up to `threads` threads (the calling one included) and
    /// hands each input's outcome to `sink` in input order. Each thread takes the next batch
    /// of inputs from the walk itself, and the walk stays at most a window of inputs ahead of
    /// the outcome handed on last: memory holds a few hundred outcomes, not the corpus (a folder
    /// of a million posts streams through). A small job (at most 32 inputs and 256 KiB) is
    /// scanned on the calling thread.
    pub fn scan_streaming(
        &self,
        inputs: &mut (dyn Iterator<Item = Input> + Send),
        threads: usize,
        options: &ExtractOptions,
        keep: &KeepPost<'_>,
        sink: &mut dyn FnMut(Part),
    ) {
        let threads = threads.clamp(1, MAX_THREADS);
        // Threads a large export may borrow beyond the workers: with every worker on a large
        // export at once, a scan runs at most twice `threads` threads (never threads squared).
        let spare = &AtomicUsize::new(threads - 1);
        if threads == 1 {
            self.scan_in_turn(inputs, options, keep, sink, spare);
            return;
        }
        // Look ahead: a small job is scanned in turn.
        let mut ahead = Vec::new();
        let mut bytes = 0;
        let small = loop {
            if ahead.len() > SMALL_JOB_INPUTS || bytes > SMALL_JOB_BYTES {
                break false;
            }
            match inputs.next() {
                Some(input) => {
                    if let crate::source::Origin::File(path) = &input.origin {
                        bytes += std::fs::metadata(path).map_or(0, |m| m.len());
                    }
                    ahead.push(input);
                }
                None => break true,
            }
        };
        let inputs = &mut ahead.into_iter().chain(inputs);
        if small {
            self.scan_in_turn(inputs, options, keep, sink, spare);
            return;
        }
        // Whichever thread needs inputs takes the next batch from the walk itself (no thread
        // only walks: it would be woken for every batch, a context switch each), and parts come
        // back in bundles. A thread takes a batch only while the walk is less than `window`
        // inputs ahead of the last input handed on: memory stays bounded.
        const BATCH: usize = 32;
        const BUNDLE: usize = 256;
        let window = 512 * threads;
        // The walk, and how many inputs it has given out.
        let walk = Mutex::new((&mut *inputs, 0usize));
        let take = || {
            let mut walk = walk.lock().unwrap_or_else(PoisonError::into_inner);
            let (inputs, given) = &mut *walk;
            let first = *given;
            let batch: Vec<(usize, Input)> = inputs
                .take(BATCH)
                .enumerate()
                .map(|(k, i)| (first + k, i))
                .collect();
            *given += batch.len();
            batch
        };
        let given = || walk.lock().unwrap_or_else(PoisonError::into_inner).1;
        // How many inputs were handed on; workers wait while the walk is a window ahead.
        let handed = (Mutex::new(0usize), Condvar::new());
        // Set when the calling thread leaves (a panic included): waiting workers stop waiting.
        let stop = AtomicBool::new(false);
        let (done_tx, done_rx) = mpsc::channel::<Vec<(usize, Part)>>();
        std::thread::scope(|scope| {
            let (take, handed, stop) = (&take, &handed, &stop);
            let work = move |done: mpsc::Sender<Vec<(usize, Part)>>| {
                let mut bundle = Vec::new();
                loop {
                    {
                        let (count, turn) = handed;
                        let mut n = count.lock().unwrap_or_else(PoisonError::into_inner);
                        while !stop.load(Ordering::Relaxed) && given() >= *n + window {
                            n = turn.wait(n).unwrap_or_else(PoisonError::into_inner);
                        }
                        if stop.load(Ordering::Relaxed) {
                            return;
                        }
                    }
                    let batch = take();
                    if batch.is_empty() {
                        return;
                    }
                    for (seq, input) in batch {
                        let outcome = self.scan_guarded(
                            &input,
                            options,
                            keep,
                            &mut |p| {
                                bundle.push((seq, Part::Post(p)));
                                if bundle.len() >= BUNDLE {
                                    let _ = done.send(std::mem::take(&mut bundle));
                                }
                            },
                            spare,
                        );
                        bundle.push((seq, Part::Done(outcome)));
                    }
                    if done.send(std::mem::take(&mut bundle)).is_err() {
                        return;
                    }
                }
            };
            for _ in 1..threads {
                let done = done_tx.clone();
                // A thread that cannot be started leaves its share to the others.
                let _ = std::thread::Builder::new().spawn_scoped(scope, move || work(done));
            }
            drop(done_tx);
            /// Lets waiting workers go when this thread leaves the scope, a panic included
            /// (the scope would otherwise wait for them forever).
            struct Release<'a>(&'a AtomicBool, &'a (Mutex<usize>, Condvar));
            impl Drop for Release<'_> {
                fn drop(&mut self) {
                    self.0.store(true, Ordering::Relaxed);
                    let _guard = self.1.0.lock().unwrap_or_else(PoisonError::into_inner);
                    self.1.1.notify_all();
                }
            }
            let _release = Release(stop, handed);
            // This thread scans too, and hands parts on in input order: those of the input
            // due next at once, later ones when their turn comes.
            let mut waiting: BTreeMap<usize, Vec<Part>> = BTreeMap::new();
            let mut next = 0;
            let mut accept = |seq: usize, part: Part| {
                if seq != next {
                    waiting.entry(seq).or_default().push(part);
                    return;
                }
                let mut part = Some(part);
                loop {
                    for p in part
                        .take()
                        .into_iter()
                        .chain(waiting.remove(&next).into_iter().flatten())
                    {
                        let done = matches!(p, Part::Done(_));
                        sink(p);
                        if done {
                            next += 1;
                            // Waiting workers need a batch's worth of room.
                            if next % BATCH == 0 {
                                let (count, turn) = handed;
                                *count.lock().unwrap_or_else(PoisonError::into_inner) = next;
                                turn.notify_all();
                            }
                        }
                    }
                    if !waiting.contains_key(&next) {
                        break;
                    }
                }
            };
            loop {
                for (seq, part) in done_rx.try_iter().flatten() {
                    accept(seq, part);
                }
                // A window ahead: wait for the workers' parts, which move it on.
                let published = *handed.0.lock().unwrap_or_else(PoisonError::into_inner);
                if given() >= published + window
                    && let Ok(bundle) = done_rx.recv()
                {
                    for (seq, part) in bundle {
                        accept(seq, part);
                    }
                    continue;
                }
                let batch = take();
                if batch.is_empty() {
                    break;
                }
                for (seq, input) in batch {
                    // This thread's posts are handed on as they come once their input is due,
                    // the workers' parts taken in first (a large export is not held post by
                    // post until its end). A panic handing on is not the input's: it goes on
                    // once the input's scan is over.
                    let mut failed = None;
                    let outcome = self.scan_guarded(
                        &input,
                        options,
                        keep,
                        &mut |p| {
                            if failed.is_some() {
                                return;
                            }
                            let hand_on = AssertUnwindSafe(|| {
                                for (seq, part) in done_rx.try_iter().flatten() {
                                    accept(seq, part);
                                }
                                accept(seq, Part::Post(p));
                            });
                            failed = catch_unwind(hand_on).err();
                        },
                        spare,
                    );
                    if let Some(panic) = failed {
                        std::panic::resume_unwind(panic);
                    }
                    accept(seq, Part::Done(outcome));
                    for (seq, part) in done_rx.try_iter().flatten() {
                        accept(seq, part);
                    }
                }
            }
            // The walk is over: the workers' last parts. Each one handed on may free room a
            // worker waits for.
            for (seq, part) in done_rx.into_iter().flatten() {
                accept(seq, part);
            }
        });
    }

    /// [`Scanner::scan_streaming`] on this thread alone: each input's parts handed on as they
    /// come.
    fn scan_in_turn(
        &self,
        inputs: &mut (dyn Iterator<Item = Input> + Send),
        options: &ExtractOptions,
        keep: &KeepPost<'_>,
        sink: &mut dyn FnMut(Part),
        spare: &AtomicUsize,
    ) {
        for input in inputs {
            let done =
                self.scan_guarded(&input, options, keep, &mut |p| sink(Part::Post(p)), spare);
            sink(Part::Done(done));
        }
    }

    /// Scans `inputs` in parallel; outcomes in input order.
    fn scan_batch(
        &self,
        inputs: &[Input],
        threads: usize,
        options: &ExtractOptions,
    ) -> Vec<InputOutcome> {
        parallel(
            inputs,
            threads,
            || (),
            |input, ()| {
                let mut posts = Vec::new();
                let mut outcome = self.scan_guarded(
                    input,
                    options,
                    &|_| true,
                    &mut |p| posts.push(p),
                    &AtomicUsize::new(0),
                );
                outcome.posts = posts;
                outcome
            },
        )
    }

    /// [`Scanner::scan_input`], an internal failure becoming an error note on that input.
    fn scan_guarded(
        &self,
        input: &Input,
        options: &ExtractOptions,
        keep: &KeepPost<'_>,
        emit: &mut dyn FnMut(PostResult),
        spare: &AtomicUsize,
    ) -> InputOutcome {
        catch_unwind(AssertUnwindSafe(|| {
            self.scan_input(input, options, keep, emit, spare)
        }))
        .unwrap_or_else(|_| {
            InputOutcome::not_scanned(Note::new(
                &input.name,
                NoteKind::Error,
                "internal error while scanning this file; it was not checked (please report it)",
            ))
        })
    }

    /// Reads, extracts and scans one input, handing the posts `keep` accepts to `emit` as they
    /// are assessed (the outcome's `posts` stay empty). A document of many posts (an export)
    /// borrows helper threads from `spare`.
    fn scan_input(
        &self,
        input: &Input,
        options: &ExtractOptions,
        keep: &KeepPost<'_>,
        emit: &mut dyn FnMut(PostResult),
        spare: &AtomicUsize,
    ) -> InputOutcome {
        let limit = options
            .max_file_size
            .unwrap_or(crate::source::MAX_INPUT_SIZE);
        let bytes = match input.read_limited(limit) {
            Ok(b) => b,
            Err(err) => {
                return InputOutcome::not_scanned(Note::new(
                    &input.name,
                    NoteKind::Error,
                    format!("cannot read: {}", io_reason(&err)),
                ));
            }
        };
        match extract_with(&input.name, bytes, input.explicit, options) {
            Extracted::Skipped(note) => InputOutcome::not_scanned(note),
            Extracted::Document(doc, notes) => {
                let mut quiet = Quiet::default();
                self.scan_posts(&doc, None, keep, &mut quiet, emit, spare);
                InputOutcome {
                    posts: Vec::new(),
                    notes,
                    scanned: true,
                    quiet,
                }
            }
        }
    }

    /// Scans and assesses every post of a document.
    pub fn scan_document(&self, doc: &Document) -> Vec<PostResult> {
        self.scan_document_keeping(doc, &|_| true)
    }

    /// [`Scanner::scan_document`], keeping only the findings `keep` accepts: the others are
    /// dropped before the post is assessed, while its signals still count in full (`scan
    /// --diff` keeps the findings on added lines and weighs them with the whole post's wording).
    pub fn scan_document_keeping(
        &self,
        doc: &Document,
        keep: &dyn Fn(&Finding) -> bool,
    ) -> Vec<PostResult> {
        let mut posts = Vec::new();
        self.scan_posts(
            doc,
            Some(keep),
            &|_| true,
            &mut Quiet::default(),
            &mut |p| posts.push(p),
            &AtomicUsize::new(0),
        );
        posts
    }

    /// [`Scanner::scan_document_keeping`], keeping only the posts `keep_post` accepts and
    /// counting the others in `quiet`: a large export's clean posts are never
    /// all held at once. Without a `keep` (every finding kept), a document of many posts is
    /// scanned with helper threads borrowed from `spare` (the threads a scan may start beyond
    /// its workers), a round of posts at a time, and handed on in order.
    fn scan_posts(
        &self,
        doc: &Document,
        keep: Option<&dyn Fn(&Finding) -> bool>,
        keep_post: &KeepPost<'_>,
        quiet: &mut Quiet,
        emit: &mut dyn FnMut(PostResult),
        spare: &AtomicUsize,
    ) {
        let lines = OnceLock::new();
        let mut hand = |result: PostResult| {
            if keep_post(&result) {
                emit(result);
            } else {
                quiet.add(&result);
            }
        };
        let wanted = match keep {
            Some(_) => 0,
            None => (doc.posts.len() / POSTS_PER_THREAD).saturating_sub(1),
        };
        let borrowed = Borrowed::take(spare, wanted);
        let threads = 1 + borrowed.count;
        if threads == 1 {
            for (ordinal, post) in doc.posts.iter().enumerate() {
                hand(self.scan_post(doc, ordinal, post, keep, &lines));
            }
            return;
        }
        // Round r's posts are split in `threads` parts; part k of every round is scanned by
        // thread k (this one is 0), so each thread keeps its regex caches warm, and a thread
        // runs at most a round ahead of the posts handed on.
        let round = POSTS_PER_THREAD * threads;
        let scan = |r: usize, k: usize| -> Vec<PostResult> {
            let chunk = doc.posts.chunks(round).nth(r).unwrap_or_default();
            let per = chunk.len().div_ceil(threads);
            let first = r * round + k * per;
            chunk
                .chunks(per)
                .nth(k)
                .unwrap_or_default()
                .iter()
                .enumerate()
                .map(|(i, post)| self.scan_post(doc, first + i, post, None, &lines))
                .collect()
        };
        let rounds = doc.posts.len().div_ceil(round);
        let scan = &scan;
        std::thread::scope(|scope| {
            let helpers: Vec<Option<mpsc::Receiver<Vec<PostResult>>>> = (1..threads)
                .map(|k| {
                    // A rendezvous: a helper hands a round on only when this thread takes it.
                    let (tx, rx) = mpsc::sync_channel(0);
                    std::thread::Builder::new()
                        .spawn_scoped(scope, move || {
                            for r in 0..rounds {
                                if tx.send(scan(r, k)).is_err() {
                                    return;
                                }
                            }
                        })
                        .ok()
                        .map(|_| rx)
                })
                .collect();
            for r in 0..rounds {
                scan(r, 0).into_iter().for_each(&mut hand);
                for (k, helper) in helpers.iter().enumerate() {
                    let results = match helper {
                        // A helper that stopped (panicked) fails this input, never skips posts.
                        Some(rx) => rx
                            .recv()
                            .unwrap_or_else(|_| panic!("a thread scanning this document stopped")),
                        // A thread that could not be started leaves its parts to this one.
                        None => scan(r, k + 1),
                    };
                    results.into_iter().for_each(&mut hand);
                }
            }
        });
    }

    /// Scans and assesses one post of a document (its `ordinal`-th). `lines` is the document's
    /// line index, made when a post first needs it.
    fn scan_post(
        &self,
        doc: &Document,
        ordinal: usize,
        post: &Post,
        keep: Option<&dyn Fn(&Finding) -> bool>,
        lines: &OnceLock<LineIndex>,
    ) -> PostResult {
        let mut findings = Vec::new();
        let mut shadows = Vec::new();
        // Segment text → source bytes → document text.
        let to_doc = |r: Range<usize>| doc.map.to_text(r.start)..doc.map.to_text(r.end);
        let mut signals = Vec::new();
        for seg in &post.segments {
            let found = self.engine.scan_detailed(&seg.text);
            shadows.extend(
                found
                    .shadows
                    .into_iter()
                    .map(|r| to_doc(seg.map.range_to_source(r))),
            );
            signals.extend(found.signals.into_iter().map(|h| {
                let info = self.engine.signal(h.signal);
                SignalFound {
                    id: info.id.clone(),
                    kind: info.kind,
                    term: seg.text[h.range.clone()].to_owned(),
                    text_span: to_doc(seg.map.range_to_source(h.range)),
                }
            }));
            for m in found.matches {
                let span = seg.map.range_to_source(m.range.clone());
                let text_span = to_doc(span.clone());
                // The value as decoded (a UTF-16 file's bytes are not its text), as written
                // in the source: invisible characters included.
                let value = match doc.text.get(text_span.clone()) {
                    Some(v) => v.to_owned(),
                    None => String::from_utf8_lossy(&doc.bytes[span.clone()]).into_owned(),
                };
                findings.push(Finding {
                    text_span,
                    rule: self.engine.rule(m.rule).clone(),
                    confidence: m.confidence,
                    severity: m.severity,
                    boost: m.boost,
                    value,
                    locator: seg.locator.clone(),
                    authorization: None,
                    fingerprint: None,
                    span,
                    start: Position::default(),
                    end: Position::default(),
                });
            }
        }
        // Findings left out (not on an added line) are not reported, but reports still mask
        // them where a shown line holds one, and baselines still count them.
        let (kept_findings, unreported): (Vec<Finding>, Vec<Finding>) = findings
            .into_iter()
            .partition(|f| keep.is_none_or(|k| k(f)));
        let mut findings = kept_findings;
        shadows.extend(unreported.iter().map(|f| f.text_span.clone()));
        findings.sort_by(|a, b| {
            (a.span.start, a.span.end, &a.rule.id).cmp(&(b.span.start, b.span.end, &b.rule.id))
        });
        shadows.sort_unstable_by_key(|r| (r.start, r.end));
        let mut kept_lines: Vec<SourceLine> = Vec::new();
        if !findings.is_empty() {
            let text = doc.text.as_bytes();
            let lines = lines.get_or_init(|| LineIndex::new(text));
            let mut cursor = PositionCursor::new(text, lines);
            for f in &mut findings {
                f.start = cursor.position(f.text_span.start).into();
                f.end = cursor.position(f.text_span.end).into();
                if kept_lines.last().is_none_or(|l| l.number != f.start.line) {
                    let range = lines.line_range(text, f.start.line);
                    kept_lines.push(SourceLine {
                        number: f.start.line,
                        start: range.start,
                        text: doc.text[range].to_owned(),
                    });
                }
            }
        }
        let mut allowed = Vec::new();
        let d = &doc.directives;
        let org = self.engine.allow_list();
        if d != &crate::extract::Directives::default() || !org.is_empty() {
            let mut kept = Vec::with_capacity(findings.len());
            for mut f in findings {
                let why = d
                    .allows(&f)
                    .or_else(|| org.allows(&f.rule, &f.value).map(str::to_owned));
                match why {
                    Some(reason) => allowed.push(Allowed { finding: f, reason }),
                    None => {
                        f.authorization = d.authorizes(&f).map(str::to_owned);
                        kept.push(f);
                    }
                }
            }
            findings = kept;
        }
        let assessment = assess_post(&findings, &allowed, &signals, self.model);
        PostResult {
            source: doc.name.clone(),
            locator: post.locator.clone(),
            ordinal,
            findings,
            lines: kept_lines,
            shadows,
            signals,
            allowed,
            unreported,
            assessment,
        }
    }
}

/// A post's assessment from its findings: those covered by a patient authorization are left
/// out of the risk (and named in a reason), and the allowed ones are counted in a reason.
/// Used when a post is scanned, and again when a baseline hides some of its findings.
pub fn assess_post(
    findings: &[Finding],
    allowed: &[Allowed],
    signals: &[SignalFound],
    model: &RiskModel,
) -> Assessment {
    let mut assessment = if findings.iter().any(|f| f.authorization.is_some()) {
        let counted: Vec<Finding> = findings
            .iter()
            .filter(|f| f.authorization.is_none())
            .cloned()
            .collect();
        let mut a = assess(&counted, signals, model);
        let mut names: Vec<String> = Vec::new();
        let mut references: Vec<&str> = Vec::new();
        for f in findings {
            let Some(reference) = f.authorization.as_deref() else {
                continue;
            };
            let masked = crate::mask::mask(&f.value, f.category());
            if !names.contains(&masked) {
                names.push(masked);
            }
            if !references.contains(&reference) {
                references.push(reference);
            }
        }
        a.reasons.push(format!(
            "{} covered by patient authorization {}: not counted",
            names.join(", "),
            references.join(", ")
        ));
        a
    } else {
        assess(findings, signals, model)
    };
    if !allowed.is_empty() {
        let mut why: Vec<&str> = Vec::new();
        for a in allowed {
            if !why.contains(&a.reason.as_str()) {
                why.push(&a.reason);
            }
        }
        assessment.reasons.push(format!(
            "{} finding{} allowed: {}",
            allowed.len(),
            if allowed.len() == 1 { "" } else { "s" },
            why.join("; ")
        ));
    }
    assessment
}
