//! Reports written while the scan runs, so that memory holds what is reported, not the corpus.
//!
//! The JSON and JSON Lines formats write each post as it comes (in input order) and keep only
//! counts; the human, SARIF and GitHub formats list the most serious posts first, so they keep
//! the posts they may show (anything found, allowed or left out, or a post at or above
//! `--min-risk`) and count the rest, then write as before. Either way the bytes are the same as
//! writing the whole results at the end.

use std::io::{self, Write};

use super::{Format, ReportOptions, Summary, json, jsonl};
use crate::scan::{InputOutcome, Part, PostResult, ScanResults};
use crate::source::Note;

/// Takes a scan's outcomes as they come and writes the report.
pub struct Streamer<'w> {
    opts: ReportOptions,
    out: &'w mut dyn Write,
    /// The JSON document's writer, once its head is written.
    json: Option<json::Writer>,
    /// What the report will hold (posts kept for the formats that sort them) and the counts.
    results: ScanResults,
    summary: Summary,
    /// The first write error; later writes are skipped but the scan goes on, so that the exit
    /// code still says what was found (`phiguard scan | head` is not an error).
    failed: Option<io::Error>,
}

impl<'w> Streamer<'w> {
    pub fn new(opts: ReportOptions, out: &'w mut dyn Write) -> Streamer<'w> {
        let mut s = Streamer {
            opts,
            out,
            json: None,
            results: ScanResults::default(),
            summary: Summary::default(),
            failed: None,
        };
        if opts.format == Format::Json {
            match json::Writer::start(s.out) {
                Ok(w) => s.json = Some(w),
                Err(e) => s.failed = Some(e),
            }
        }
        s
    }

    /// Whether a post is worth keeping until the report is written (and so worth handing on):
    /// JSON and JSON Lines write the posts they list; the other formats also keep posts below
    /// `--min-risk` that have findings (SARIF numbers their occurrences). Others are counted.
    pub fn keeps(opts: &ReportOptions, p: &PostResult) -> bool {
        let listed = p.assessment.risk >= opts.min_risk;
        match opts.format {
            Format::Json | Format::Jsonl => listed,
            Format::Human | Format::Sarif | Format::Github => {
                listed
                    || !p.findings.is_empty()
                    || !p.allowed.is_empty()
                    || !p.unreported.is_empty()
            }
        }
    }

    /// What a streaming scan hands on.
    pub fn part(&mut self, part: Part) {
        match part {
            Part::Post(p) => self.post(p),
            Part::Done(outcome) => self.input(outcome),
        }
    }

    /// One input's outcome.
    pub fn input(&mut self, outcome: InputOutcome) {
        self.results.sources += usize::from(outcome.scanned);
        self.summary.sources += usize::from(outcome.scanned);
        self.summary.add_quiet(&outcome.quiet);
        self.results.quiet.merge(&outcome.quiet);
        for n in &outcome.notes {
            self.summary.add_note(n);
        }
        self.results.notes.extend(outcome.notes);
        for p in outcome.posts {
            self.post(p);
        }
    }

    /// Notes found outside any input (paths that cannot be read).
    pub fn notes(&mut self, notes: Vec<Note>) {
        for n in &notes {
            self.summary.add_note(n);
        }
        self.results.notes.extend(notes);
    }

    fn post(&mut self, p: PostResult) {
        self.summary.add_post(&p);
        let listed = Streamer::keeps(&self.opts, &p);
        let show = self.opts.show_values;
        match self.opts.format {
            Format::Json => {
                if listed
                    && self.failed.is_none()
                    && let Some(w) = &mut self.json
                    && let Err(e) = w.post(self.out, &p, show)
                {
                    self.failed = Some(e);
                }
                self.results.quiet.add(&p);
            }
            Format::Jsonl => {
                if listed
                    && self.failed.is_none()
                    && let Err(e) = jsonl::post(self.out, &p, show)
                {
                    self.failed = Some(e);
                }
                self.results.quiet.add(&p);
            }
            Format::Human | Format::Sarif | Format::Github => {
                if listed {
                    self.results.posts.push(p);
                } else {
                    self.results.quiet.add(&p);
                }
            }
        }
    }

    /// Writes the rest of the report. Returns what the report holds (for the exit code and the
    /// GitHub step summary) and the outcome of writing.
    pub fn finish(mut self) -> (ScanResults, io::Result<()>) {
        self.results.notes.sort();
        let written = match self.failed.take() {
            Some(e) => Err(e),
            None => match self.opts.format {
                Format::Json => match self.json.take() {
                    Some(w) => w.finish(self.out, &self.results.notes, &self.summary),
                    None => Ok(()),
                },
                Format::Jsonl => jsonl::finish(self.out, &self.results.notes, &self.summary),
                _ => super::write(&self.results, &self.opts, self.out),
            },
        };
        (self.results, written)
    }
}
