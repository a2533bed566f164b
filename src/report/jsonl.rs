//! JSON Lines: one JSON object per line, each naming what it is in its `schema` key, so a reader
//! can process posts as they come (see DESIGN.md):
//!
//! - `phiguard.post/1`: one line per post at or above `--min-risk`, with exactly the keys of a
//!   post in the JSON report's `posts` (sorted the same way);
//! - `phiguard.note/1`: one line per note (`source`, `kind`, `message`);
//! - `phiguard.summary/1`: the last line, with `tool` and the keys of the JSON report's
//!   `summary`. A stream without it was cut short.

use std::io::{self, Write};

use serde::Serialize;

use super::json::{self, JsonSummary, Post, Tool};
use super::{ReportOptions, Summary};
use crate::scan::{PostResult, ScanResults};
use crate::source::Note;

/// The `schema` of a post line.
pub const POST_SCHEMA: &str = "phiguard.post/1";
/// The `schema` of a note line.
pub const NOTE_SCHEMA: &str = "phiguard.note/1";
/// The `schema` of the summary line, always the last.
pub const SUMMARY_SCHEMA: &str = "phiguard.summary/1";

#[derive(Serialize)]
struct Line<T> {
    schema: &'static str,
    #[serde(flatten)]
    item: T,
}

#[derive(Serialize)]
struct SummaryLine {
    tool: Tool,
    #[serde(flatten)]
    summary: JsonSummary,
}

fn line<T: Serialize>(out: &mut dyn Write, schema: &'static str, item: T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &Line { schema, item }).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

pub(super) fn write(
    results: &ScanResults,
    opts: &ReportOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    for p in results
        .posts
        .iter()
        .filter(|p| p.assessment.risk >= opts.min_risk)
    {
        post(out, p, opts.show_values)?;
    }
    finish(out, &results.notes, &Summary::of(results))
}

/// A post's line.
pub(super) fn post(out: &mut dyn Write, p: &PostResult, show_values: bool) -> io::Result<()> {
    let post: Post<'_> = json::post(p, show_values);
    line(out, POST_SCHEMA, post)
}

/// The notes' lines, then the summary line.
pub(super) fn finish(out: &mut dyn Write, notes: &[Note], summary: &Summary) -> io::Result<()> {
    for n in notes {
        line::<&Note>(out, NOTE_SCHEMA, n)?;
    }
    line(
        out,
        SUMMARY_SCHEMA,
        SummaryLine {
            tool: json::tool(),
            summary: json::summary_of(summary),
        },
    )
}
