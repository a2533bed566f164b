//! Extraction: bytes of one source → posts made of segments, each segment carrying the text to
//! scan and an exact map back to the source's bytes.
//!
//! A *post* is the unit that gets published (and assessed): a whole text or Markdown file here.
//! A *segment* is one stretch of scannable text inside it (the body, a CSV cell; later a
//! front-matter value, an alt text...).
//!
//! The format comes from the file's extension (`.csv`, `.tsv`, `.srt`, `.vtt`, `.json`,
//! `.jsonl`, `.html`, `.yaml`, `.docx`, image extensions such as `.jpg`), or from
//! `--input-format` for every input, stdin included; anything else is one post of plain text.

pub mod captions;
pub mod csv;
pub mod directives;
pub mod docx;
pub mod html;
pub mod image;
pub mod json;
mod mapped;
pub mod markdown;
mod xml_error;
pub mod yaml;

use crate::source::{Note, NoteKind};
use crate::text::{Decoded, OffsetMap, decode_utf8, decode_utf16};
pub use directives::Directives;

/// How many leading bytes are inspected for NUL when deciding whether a file is binary.
pub const BINARY_SNIFF_LEN: usize = 8192;

/// One stretch of text to scan.
#[derive(Debug, Clone)]
pub struct Segment {
    pub text: String,
    pub map: OffsetMap,
    /// Where the segment is inside its post (`column "Message"`); `None` for a whole post.
    pub locator: Option<String>,
}

/// How to read an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum InputFormat {
    /// By the file's extension; plain text when it has none we know (and for stdin).
    #[default]
    Auto,
    /// One post of plain text.
    Text,
    /// Markdown or MDX: front matter (YAML or TOML) values located by path, and the body;
    /// front matter can record a patient authorization and an allow list.
    Markdown,
    /// Comma-separated values: one post per row.
    Csv,
    /// Tab-separated values: one post per row.
    Tsv,
    /// SubRip captions: the cues of one video are one post.
    Srt,
    /// WebVTT captions: the cues of one video are one post.
    Vtt,
    /// JSON: string and number values located by JSON pointer; an array of objects is a list
    /// of posts.
    Json,
    /// JSON Lines: a post per line.
    Jsonl,
    /// Word document (.docx, .docm, .dotx, .dotm): its paragraphs, table cells, comments,
    /// notes, headers, alt text and properties are one post.
    Docx,
    /// HTML: a page is one post; its visible text, title, alt texts and share texts.
    Html,
    /// YAML: scalar values located by path; a sequence of mappings is a list of posts, each
    /// document of a stream a post.
    Yaml,
    /// An image (JPEG, PNG, TIFF, WebP, HEIF/HEIC/AVIF): the text of its metadata (EXIF, XMP,
    /// PNG text chunks) and its GPS position, as one post.
    Image,
}

impl InputFormat {
    /// The format a file's name implies.
    pub fn of_name(name: &str) -> InputFormat {
        let ext = std::path::Path::new(name)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("md" | "markdown" | "mdx" | "mkd" | "mdown") => InputFormat::Markdown,
            Some("csv") => InputFormat::Csv,
            Some("tsv" | "tab") => InputFormat::Tsv,
            Some("srt") => InputFormat::Srt,
            Some("vtt") => InputFormat::Vtt,
            Some("json") => InputFormat::Json,
            Some("jsonl" | "ndjson") => InputFormat::Jsonl,
            Some("docx" | "docm" | "dotx" | "dotm") => InputFormat::Docx,
            Some("html" | "htm" | "xhtml") => InputFormat::Html,
            Some("yaml" | "yml") => InputFormat::Yaml,
            Some(
                "jpg" | "jpeg" | "jpe" | "png" | "tif" | "tiff" | "webp" | "heic" | "heif" | "avif",
            ) => InputFormat::Image,
            _ => InputFormat::Text,
        }
    }
}

impl InputFormat {
    /// The format an input is read as: `Auto` by its name, and by its bytes when the name
    /// does not tell (an image under any name, a zip package without an extension).
    pub fn resolve(self, name: &str, bytes: &[u8]) -> InputFormat {
        match self {
            InputFormat::Auto => match InputFormat::of_name(name) {
                // An image under a name that does not say so is still read as one.
                InputFormat::Text if image::sniff(bytes).is_some() => InputFormat::Image,
                // A zip package with no extension to go by (stdin, a bare name) is read as the
                // Word document it most likely is; a `.zip` archive is left to the binary check.
                InputFormat::Text
                    if bytes.starts_with(b"PK\x03\x04")
                        && std::path::Path::new(name).extension().is_none() =>
                {
                    InputFormat::Docx
                }
                f => f,
            },
            f => f,
        }
    }
}

/// How extraction reads inputs.
#[derive(Debug, Clone, Default)]
pub struct ExtractOptions {
    /// `Auto` decides per file by its extension.
    pub format: InputFormat,
    /// For tables: scan only these columns (header names, any case); empty means all.
    pub columns: Vec<String>,
    /// Largest input read, in bytes; `None` for [`crate::source::MAX_INPUT_SIZE`].
    pub max_file_size: Option<u64>,
}

/// One unit of publication.
#[derive(Debug, Clone)]
pub struct Post {
    /// Where the post is inside its source (`row 12`, `/posts/3`); `None` for whole-file posts.
    pub locator: Option<String>,
    pub segments: Vec<Segment>,
}

/// A source's posts, plus the original bytes that locations point into and the source decoded
/// as a whole (lines and columns are counted in that text, so they are right in any encoding).
#[derive(Debug, Clone)]
pub struct Document {
    pub name: String,
    pub bytes: Vec<u8>,
    /// The whole source, decoded.
    pub text: String,
    /// Maps `text` offsets to offsets in `bytes`.
    pub map: OffsetMap,
    pub posts: Vec<Post>,
    /// What the document says about its own scan (inline markers, front matter).
    pub directives: Directives,
}

impl Document {
    /// A document that is one post of one segment: the whole decoded text.
    pub fn single_post(name: &str, bytes: Vec<u8>, decoded: Decoded) -> Document {
        let post = Post {
            locator: None,
            segments: vec![Segment {
                text: decoded.text.clone(),
                map: decoded.map.clone(),
                locator: None,
            }],
        };
        Document {
            name: name.to_owned(),
            bytes,
            // Plain text has no comments, so no markers.
            directives: Directives::default(),
            text: decoded.text,
            map: decoded.map,
            posts: vec![post],
        }
    }
}

/// Whether a value is the post's own scheduling stamp — a date or time under a name that says
/// when the post is published ("Date", "Publish time", "scheduled_at", "publishDate") — which
/// is not about anyone. The name is read word by word (`daytime_phone` and `candidate` are not
/// stamps), a name about a person's care or life ("Admission date", "DOB") never is one, and
/// the value must read as a date or time.
pub fn schedule_stamp(name: &str, value: &str) -> bool {
    let words = name_words(name);
    // Words that say when the post goes out, and the small words that join them to other such
    // words ("posted_at", "publish_on", "post date").
    const WHEN: &[&str] = &[
        "date",
        "time",
        "datetime",
        "timestamp",
        "scheduled",
        "schedule",
        "publish",
        "published",
        "publishdate",
        "pubdate",
        "posted",
        "fecha",
        "hora",
        "lastmod",
        "updated",
        "created",
        "modified",
    ];
    const LINKING: &[&str] = &["post", "at", "on", "when"];
    let personal = [
        "birth",
        "birthday",
        "dob",
        "born",
        "admission",
        "admitted",
        "admit",
        "discharge",
        "discharged",
        "surgery",
        "death",
        "died",
        "appointment",
        "appt",
        "visit",
        "diagnosis",
        "diagnosed",
        "nacimiento",
        "ingreso",
        "alta",
        "cita",
        "procedure",
        "deceased",
    ];
    words
        .iter()
        .all(|w| WHEN.contains(&w.as_str()) || LINKING.contains(&w.as_str()))
        && words.iter().any(|w| WHEN.contains(&w.as_str()))
        && !words.iter().any(|w| personal.contains(&w.as_str()))
        && reads_as_date_or_time(value)
}

/// A key's words: split at `_`, `-`, spaces, dots and lower-to-upper case changes, lower case.
fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in name.trim().chars() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// Whether a short value is a date, a time or both ("2026-03-02", "3/2/2026 9:00 AM",
/// "Mon, Mar 2 2026 09:00 EST", "2026-03-02T09:00:00Z").
fn reads_as_date_or_time(value: &str) -> bool {
    const WORDS: &[&str] = &[
        "jan",
        "january",
        "feb",
        "february",
        "mar",
        "march",
        "apr",
        "april",
        "may",
        "jun",
        "june",
        "jul",
        "july",
        "aug",
        "august",
        "sep",
        "sept",
        "september",
        "oct",
        "october",
        "nov",
        "november",
        "dec",
        "december",
        "mon",
        "monday",
        "tue",
        "tues",
        "tuesday",
        "wed",
        "wednesday",
        "thu",
        "thur",
        "thurs",
        "thursday",
        "fri",
        "friday",
        "sat",
        "saturday",
        "sun",
        "sunday",
        "am",
        "pm",
        "a",
        "p",
        "m",
        "utc",
        "gmt",
        "est",
        "edt",
        "cst",
        "cdt",
        "mst",
        "mdt",
        "pst",
        "pdt",
        "t",
        "z",
        "de",
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ];
    let v = value.trim();
    v.chars().count() <= 40
        && v.chars().any(|c| c.is_ascii_digit())
        && v.split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
            .all(|w| WORDS.contains(&w.to_lowercase().as_str()))
}

/// Drops the segments of structured posts (JSON, YAML, front matter) that are scheduling
/// stamps, judged by the last key of their path.
fn drop_schedule_stamps(segments: &mut Vec<Segment>) {
    segments.retain(|s| {
        let key = s
            .locator
            .as_deref()
            .and_then(|l| l.rsplit('/').next())
            .unwrap_or("");
        key.is_empty() || !schedule_stamp(key, &s.text)
    });
}

/// A text field pulled out of a container whose bytes are not text (an image's metadata, a
/// Word document's paragraph): its locator (`EXIF ImageDescription`, `paragraph 4`) and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub locator: String,
    pub text: String,
}

impl Field {
    /// A field; a byte-order mark opening its value (seen in EXIF text) is not part of it, so
    /// columns count from the value's first character.
    pub fn new(locator: impl Into<String>, text: impl Into<String>) -> Field {
        let mut text = text.into();
        if let Some(rest) = text.strip_prefix('\u{feff}') {
            text = rest.to_owned();
        }
        Field {
            locator: locator.into(),
            text,
        }
    }
}

impl Document {
    /// A container's fields as one post. The document's text is the *extracted* text: the
    /// fields one after another, each starting on a line of its own, so spans, lines and
    /// columns count in that text (the container's own bytes have no lines to point at) and
    /// each finding's locator names its field.
    pub fn from_fields(name: &str, fields: Vec<Field>) -> Document {
        let mut text = String::new();
        let mut segments = Vec::with_capacity(fields.len());
        for field in fields {
            if field.text.trim().is_empty() {
                continue;
            }
            if !text.is_empty() {
                text.push('\n');
            }
            let start = text.len();
            text.push_str(&field.text);
            segments.push(Segment {
                text: field.text,
                map: OffsetMap::identity(start),
                locator: Some(field.locator),
            });
        }
        let posts = if segments.is_empty() {
            Vec::new()
        } else {
            vec![Post {
                locator: None,
                segments,
            }]
        };
        Document {
            name: name.to_owned(),
            bytes: text.clone().into_bytes(),
            map: OffsetMap::identity(0),
            text,
            posts,
            directives: Directives::default(),
        }
    }
}

/// What extraction made of a source.
#[derive(Debug)]
pub enum Extracted {
    Document(Document, Vec<Note>),
    Skipped(Note),
}

/// Splits a source into posts. Text with a UTF-16 byte-order mark is decoded as UTF-16; other
/// text as UTF-8 (invalid bytes replaced and noted). Binary content (a NUL byte near the start)
/// found by a folder walk is skipped with a note; a file named explicitly is scanned anyway.
pub fn extract(name: &str, bytes: Vec<u8>, explicit: bool) -> Extracted {
    extract_with(name, bytes, explicit, &ExtractOptions::default())
}

/// [`extract`], with the format and columns chosen by `options`.
pub fn extract_with(
    name: &str,
    bytes: Vec<u8>,
    explicit: bool,
    options: &ExtractOptions,
) -> Extracted {
    let format = options.format.resolve(name, &bytes);
    // Containers whose bytes are not text: never decoded or sniffed as text.
    if format == InputFormat::Docx {
        return from_container(name, docx::fields(&bytes));
    }
    if format == InputFormat::Image {
        return extract_image(name, bytes);
    }
    let mut notes = Vec::new();
    let decoded = match decode_utf16(&bytes) {
        Some(d) => d,
        None => {
            let sniff = &bytes[..bytes.len().min(BINARY_SNIFF_LEN)];
            if memchr::memchr(0, sniff).is_some() {
                if explicit {
                    notes.push(Note::new(
                        name,
                        NoteKind::Info,
                        "looks binary (NUL bytes); scanned as text because it was named",
                    ));
                } else if named_as_text(name) || options.format != InputFormat::Auto {
                    // A post file with a stray NUL is still a post: skipping it would let a
                    // single NUL byte hide whatever the file holds.
                    notes.push(Note::new(
                        name,
                        NoteKind::Info,
                        "holds NUL bytes; scanned as text because its name (or --input-format) \
                         says it is text",
                    ));
                } else {
                    return Extracted::Skipped(Note::new(
                        name,
                        NoteKind::Skipped,
                        "binary file skipped (name it explicitly to scan it)",
                    ));
                }
            }
            decode_utf8(&bytes)
        }
    };
    if decoded.lossy {
        notes.push(Note::new(
            name,
            NoteKind::Info,
            "not valid text in its encoding: invalid bytes were read as U+FFFD; locations \
             still point at the original bytes",
        ));
    }
    let mut posts = match format {
        InputFormat::Csv | InputFormat::Tsv => {
            let delimiter = if format == InputFormat::Csv {
                b','
            } else {
                b'\t'
            };
            let (posts, missing) =
                csv::posts(&decoded.text, delimiter, &options.columns, &decoded.map);
            if !missing.is_empty() {
                // A column the configuration names that is not there was not checked: say so
                // (exit 2) rather than pass the table as clean.
                notes.push(Note::new(
                    name,
                    NoteKind::Error,
                    format!(
                        "[input] columns names {} that this table's header does not have; those \
                         cells were not checked (fix the name, or the header)",
                        missing
                            .iter()
                            .map(|c| format!("{c:?}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            posts
        }
        InputFormat::Srt | InputFormat::Vtt => {
            let post = captions::post(&decoded.text, &decoded.map);
            if post.segments.is_empty() {
                Vec::new()
            } else {
                vec![post]
            }
        }
        InputFormat::Json => match json::posts(&decoded.text, &decoded.map) {
            Ok(posts) => posts,
            Err(e) => return as_plain_text(name, bytes, decoded, notes, "JSON", &e),
        },
        InputFormat::Jsonl => {
            let (posts, bad) = json::lines(&decoded.text, &decoded.map);
            if let Some(first) = bad.first() {
                notes.push(Note::new(
                    name,
                    NoteKind::Info,
                    format!(
                        "{} line(s) not valid JSON, scanned as plain text (first: {first})",
                        bad.len()
                    ),
                ));
            }
            posts
        }
        InputFormat::Html => html::posts(&decoded.text, &decoded.map),
        InputFormat::Yaml => match yaml::posts(&decoded.text, &decoded.map) {
            Ok(posts) => posts,
            Err(e) => return as_plain_text(name, bytes, decoded, notes, "YAML", &e),
        },
        InputFormat::Markdown => {
            let mut md = markdown::read(&decoded.text, &decoded.map);
            drop_schedule_stamps(&mut md.post.segments);
            if let Some(c) = md.complaint {
                notes.push(Note::new(name, NoteKind::Info, c));
            }
            let markers = directives::markers(&decoded.text, directives::comment_openers(format));
            return Extracted::Document(
                Document {
                    name: name.to_owned(),
                    bytes,
                    directives: Directives {
                        markers,
                        ..md.directives
                    },
                    text: decoded.text,
                    map: decoded.map,
                    posts: vec![md.post],
                },
                notes,
            );
        }
        InputFormat::Auto | InputFormat::Text | InputFormat::Docx | InputFormat::Image => {
            return Extracted::Document(Document::single_post(name, bytes, decoded), notes);
        }
    };
    if matches!(
        format,
        InputFormat::Json | InputFormat::Jsonl | InputFormat::Yaml
    ) {
        for p in &mut posts {
            drop_schedule_stamps(&mut p.segments);
        }
    }
    if posts.is_empty() {
        notes.push(Note::new(
            name,
            NoteKind::Info,
            "nothing to scan (no rows or cues)",
        ));
    }
    Extracted::Document(
        Document {
            name: name.to_owned(),
            bytes,
            directives: Directives {
                markers: directives::markers(&decoded.text, directives::comment_openers(format)),
                ..Directives::default()
            },
            text: decoded.text,
            map: decoded.map,
            posts,
        },
        notes,
    )
}

/// A file that is not what its format says, scanned as plain text with a note: nothing is lost.
/// Whether a file's name says it is text phiguard reads (`.txt`, `.md`, `.csv`, `.json`...),
/// so that NUL bytes in it do not make it binary.
fn named_as_text(name: &str) -> bool {
    let ext = std::path::Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    matches!(ext.as_deref(), Some("txt" | "text"))
        || !matches!(
            InputFormat::of_name(name),
            InputFormat::Text | InputFormat::Docx | InputFormat::Image
        )
}

fn as_plain_text(
    name: &str,
    bytes: Vec<u8>,
    decoded: Decoded,
    mut notes: Vec<Note>,
    format: &str,
    reason: &str,
) -> Extracted {
    notes.push(Note::new(
        name,
        NoteKind::Info,
        format!("not valid {format} ({reason}); scanned as plain text"),
    ));
    Extracted::Document(Document::single_post(name, bytes, decoded), notes)
}

/// `(post locator, segment locator, text)` of every segment, for tests.
#[cfg(test)]
pub(crate) fn located(posts: &[Post]) -> Vec<(Option<&str>, &str, &str)> {
    posts
        .iter()
        .flat_map(|p| {
            p.segments.iter().map(move |s| {
                (
                    p.locator.as_deref(),
                    s.locator.as_deref().unwrap_or(""),
                    s.text.as_str(),
                )
            })
        })
        .collect()
}

/// A container's fields as a document; when it cannot be read, an error note (the input was not
/// checked: exit code 2, never a silent pass).
fn from_container(name: &str, fields: Result<Vec<Field>, String>) -> Extracted {
    match fields {
        Ok(fields) => {
            let doc = Document::from_fields(name, fields);
            let mut notes = Vec::new();
            if doc.posts.is_empty() {
                notes.push(Note::new(name, NoteKind::Info, "nothing to scan (no text)"));
            }
            Extracted::Document(doc, notes)
        }
        Err(reason) => Extracted::Skipped(Note::new(
            name,
            NoteKind::Error,
            format!("could not be checked: {reason}"),
        )),
    }
}

/// An image: its metadata's text fields as one post. An image without any is checked and
/// clean (noted); bytes that cannot be read as an image are scanned as text when they are
/// text, and otherwise reported as not checked, found by a folder walk or named.
fn extract_image(name: &str, bytes: Vec<u8>) -> Extracted {
    match image::fields(&bytes) {
        Ok(fields) => {
            let doc = Document::from_fields(name, fields);
            let mut notes = Vec::new();
            if doc.posts.is_empty() {
                notes.push(Note::new(name, NoteKind::Info, "no text metadata"));
            }
            Extracted::Document(doc, notes)
        }
        Err(reason) => {
            let sniff = &bytes[..bytes.len().min(BINARY_SNIFF_LEN)];
            let decoded = decode_utf8(&bytes);
            if image::sniff(&bytes).is_none()
                && memchr::memchr(0, sniff).is_none()
                && !decoded.lossy
            {
                // Nothing is lost: text under an image's name is scanned as text.
                let note = Note::new(name, NoteKind::Info, format!("{reason}; scanned as text"));
                return Extracted::Document(
                    Document::single_post(name, bytes, decoded),
                    vec![note],
                );
            }
            Extracted::Skipped(Note::new(
                name,
                NoteKind::Error,
                format!("{reason}; it was not checked"),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_file_is_one_post_with_one_segment() {
        let Extracted::Document(doc, notes) = extract("a.md", b"hello\nworld".to_vec(), false)
        else {
            panic!("not a document");
        };
        assert!(notes.is_empty());
        assert_eq!(doc.posts.len(), 1);
        assert_eq!(doc.posts[0].locator, None);
        assert_eq!(doc.posts[0].segments[0].text, "hello\nworld");
    }

    #[test]
    fn scheduling_stamps_are_dates_under_names_for_when() {
        for (name, value) in [
            ("date", "2026-03-02"),
            ("Publish time", "9:00 AM"),
            ("scheduled_at", "2026-03-02T09:00:00Z"),
            ("publishDate", "Mon, Mar 2 2026 09:00 EST"),
            ("Fecha", "2 de marzo de 2026"),
        ] {
            assert!(schedule_stamp(name, value), "{name}: {value}");
        }
        for (name, value) in [
            ("daytime_phone", "555-555-0142"),
            ("candidate", "Jane Doe SSN 987-65-4320"),
            ("update", "SSN 987-65-4320"),
            ("publisher_email", "jane@example.com"),
            ("posted_by", "Jane Doe"),
            ("timeline", "2026-03-02"),
            ("admission_date", "2026-03-02"),
            ("dateOfBirth", "2026-03-02"),
            ("date", "Jane Doe's big day"),
        ] {
            assert!(!schedule_stamp(name, value), "{name}: {value}");
        }
    }

    #[test]
    fn fields_are_lines_of_the_extracted_text() {
        let doc = Document::from_fields(
            "a.jpg",
            vec![
                Field::new("EXIF Artist", "Jo Example"),
                Field::new("EXIF UserComment", "  "),
                Field::new("XMP dc:description", "Room 4\nbed 2"),
            ],
        );
        assert_eq!(doc.text, "Jo Example\nRoom 4\nbed 2");
        let segs = &doc.posts[0].segments;
        assert_eq!(segs.len(), 2);
        assert_eq!(segs[1].locator.as_deref(), Some("XMP dc:description"));
        assert_eq!(segs[1].map.range_to_source(0..4), 11..15);
        assert!(Document::from_fields("b.png", Vec::new()).posts.is_empty());
    }

    #[test]
    fn nul_bytes_mean_binary() {
        let Extracted::Skipped(note) = extract("x.bin", b"\x89PNG\0\0".to_vec(), false) else {
            panic!("binary was not skipped");
        };
        assert_eq!(note.kind, NoteKind::Skipped);
        assert_eq!(
            note.message,
            "binary file skipped (name it explicitly to scan it)"
        );
        let Extracted::Document(_, notes) = extract("x.bin", b"a\0b".to_vec(), true) else {
            panic!("a named file is scanned");
        };
        assert_eq!(notes[0].kind, NoteKind::Info);
        // A walk that finds a post file with a NUL in it scans it: the name says text.
        for name in [
            "post.md",
            "notes.TXT",
            "posts.csv",
            "feed.json",
            "page.html",
        ] {
            let Extracted::Document(_, notes) = extract(name, b"a\0b".to_vec(), false) else {
                panic!("{name} was skipped as binary");
            };
            assert_eq!(notes[0].kind, NoteKind::Info, "{name}");
            assert_eq!(
                notes[0].message,
                "holds NUL bytes; scanned as text because its name (or --input-format) says it \
                 is text"
            );
        }
        for name in ["archive.zip", "README", "scan.pdf"] {
            assert!(
                matches!(
                    extract(name, b"a\0b".to_vec(), false),
                    Extracted::Skipped(_)
                ),
                "{name}"
            );
        }
    }

    #[test]
    fn utf16_text_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "SSN 987-65-4321".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let Extracted::Document(doc, notes) = extract("u16.txt", bytes, false) else {
            panic!("UTF-16 is text, not binary");
        };
        assert!(notes.is_empty());
        assert_eq!(doc.posts[0].segments[0].text, "SSN 987-65-4321");
    }

    #[test]
    fn invalid_utf8_is_noted_and_still_scanned() {
        let Extracted::Document(doc, notes) = extract("a.txt", b"caf\xE9 555".to_vec(), false)
        else {
            panic!("not a document");
        };
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].kind, NoteKind::Info);
        assert_eq!(doc.posts[0].segments[0].text, "caf\u{FFFD} 555");
    }

    #[test]
    fn images_are_read_by_their_metadata() {
        let jpeg = include_bytes!("../../fixtures/formats/photo-clean.jpg").to_vec();
        // By extension, and by signature under a name that does not say it is an image.
        for name in ["lobby.JPG", "lobby.dat"] {
            let Extracted::Document(doc, notes) = extract(name, jpeg.clone(), false) else {
                panic!("{name} was not read");
            };
            assert!(notes.is_empty());
            assert_eq!(doc.text, "Lobby of our new wing");
            assert_eq!(
                doc.posts[0].segments[0].locator.as_deref(),
                Some("EXIF ImageDescription")
            );
        }
        // A JPEG with no metadata: checked, nothing to scan.
        let Extracted::Document(doc, notes) = extract("a.jpg", b"\xFF\xD8\xFF\xD9".to_vec(), false)
        else {
            panic!("an empty JPEG is readable");
        };
        assert!(doc.posts.is_empty());
        assert_eq!(
            notes,
            vec![Note::new("a.jpg", NoteKind::Info, "no text metadata")]
        );
    }

    #[test]
    fn unreadable_images_are_not_silently_clean() {
        // Binary that is not an image: not checked, found by a walk or named.
        for explicit in [false, true] {
            let Extracted::Skipped(note) = extract("a.png", b"\x89PNG\0\0\0\0".to_vec(), explicit)
            else {
                panic!("a broken image was scanned");
            };
            assert_eq!(note.kind, NoteKind::Error);
            assert_eq!(
                note.message,
                "not a readable image: not JPEG, PNG, TIFF, WebP or HEIF (unknown signature); \
                 it was not checked"
            );
        }
        // A truncated JPEG: its signature says image, so it is not read as text.
        let Extracted::Skipped(note) = extract("a.jpg", b"\xFF\xD8\xFF\xE1\x00".to_vec(), false)
        else {
            panic!("a truncated JPEG was scanned");
        };
        assert_eq!(note.kind, NoteKind::Error);
        // Text under an image's name is scanned as text.
        let Extracted::Document(doc, notes) =
            extract("notes.jpg", b"Call 555-0142".to_vec(), false)
        else {
            panic!("text was not scanned");
        };
        assert_eq!(doc.posts[0].segments[0].text, "Call 555-0142");
        assert_eq!(notes[0].kind, NoteKind::Info);
        assert_eq!(
            notes[0].message,
            "not a readable image: not JPEG, PNG, TIFF, WebP or HEIF (unknown signature); \
             scanned as text"
        );
    }
}
