//! Word documents (`.docx`, and `.docm`, `.dotx`, `.dotm`, the same zip package): every piece of
//! text a draft carries, as [`Field`]s located so a person can find it in Word.
//!
//! Read, in this order:
//! - the body: each paragraph (`paragraph 4`), each cell of a table (`table 1, row 2, cell 1`),
//!   text boxes and shapes (`text box 1`), the alt text and title of pictures (`image 1 alt text`,
//!   `image 1 title`; `shape 1 alt text` for other drawings);
//! - headers and footers (`header 1`, `footer 1`), footnotes and endnotes (`footnote 1`),
//!   comments (`comment 1`: the text only; the author is staff);
//! - the document properties Word shows under File › Info: `document title`, `document subject`,
//!   `document keywords` (Word's Tags), `document description` (Word's Comments), `document
//!   category`, and custom properties (`custom property "Ward"`). The author and last editor are
//!   staff and are not read.
//!
//! Text that Word does not show is read too, because it is still in the file and travels with
//! it: a tracked deletion is a field of its own (`paragraph 4 (deleted text)`), and so is hidden
//! text (`paragraph 4 (hidden text)`). Within a run, `w:tab` is a tab, `w:br` and `w:cr` a line
//! break, `w:noBreakHyphen` a hyphen; symbols (`w:sym`), soft hyphens and field codes are not
//! text. XML entities and character references are decoded.
//!
//! **How paragraphs are counted.** `paragraph N` counts the paragraphs of the body's text flow in
//! order, from 1, *empty paragraphs included* and *paragraphs in tables, text boxes, headers,
//! comments and notes excluded* (those have their own locators). This is what Word shows with
//! formatting marks on (Home › ¶): every ¶ is a paragraph, a blank line included, so a reader can
//! count them; it is also the index of the paragraph in python-docx's `document.paragraphs`, and
//! the numbers stay put when a paragraph's text is edited or emptied. Paragraphs in a content
//! control (`w:sdt`) count as the paragraphs they look like.
//!
//! A table cell's paragraphs are one field, one line each; a table inside a cell is read as part
//! of that cell. `T` counts the body's tables, `R` the rows of a table and `C` the cells of a row,
//! as Word's Go To › Table and a reader count them. Comments, notes, headers and footers are
//! counted in the order the package stores them (Word keeps comments and notes in document
//! order).
//!
//! Word writes each text box twice (`mc:AlternateContent`: a modern shape and a VML fallback);
//! the fallback's copy is dropped when it says the same thing, and kept when it does not.
//!
//! Hostile input is bounded: at most [`MAX_ENTRIES`] entries in the package, at most
//! [`MAX_EXPANDED_BYTES`] read out of it once decompressed (a zip bomb fails), elements nested at
//! most a thousand deep. A corrupt package or malformed XML is an `Err` with a reason, never a
//! panic and never a silently empty result.

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use super::Field;
use super::xml_error::{UNKNOWN_ENTITY, describe};
use crate::text::decode_utf16;

/// The most bytes read out of one package, all parts together, once decompressed.
pub const MAX_EXPANDED_BYTES: u64 = 64 << 20;
/// The most entries a package may have.
pub const MAX_ENTRIES: usize = 10_000;
/// The deepest element nesting read in a part.
const MAX_DEPTH: usize = 1_000;

/// The deepest nesting of `mc:AlternateContent` whose branches are compared.
const MAX_ALTERNATES_DEPTH: usize = 4;

/// The first bytes of an OLE compound file: a legacy `.doc`, or a password-protected `.docx`.
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// The text fields of a Word document, in document order (see the module documentation for
/// what is read and how each field is located). `Err` says, for a person, why the file could not
/// be read: not a zip package, no main document part, a part that expands beyond the limit,
/// malformed XML.
pub fn fields(bytes: &[u8]) -> Result<Vec<Field>, String> {
    fields_within(bytes, &Limits::DEFAULT)
}

/// Bounds on what one package may make us read.
struct Limits {
    expanded_bytes: u64,
    entries: usize,
}

impl Limits {
    const DEFAULT: Limits = Limits {
        expanded_bytes: MAX_EXPANDED_BYTES,
        entries: MAX_ENTRIES,
    };
}

fn fields_within(bytes: &[u8], limits: &Limits) -> Result<Vec<Field>, String> {
    let mut package = Package::open(bytes, limits)?;
    let mut out = Vec::new();
    for part in package.parts()? {
        let xml = package.read(&part.name)?;
        let found = match part.kind {
            PartKind::CoreProperties => property_fields(&xml, core_property),
            PartKind::CustomProperties => property_fields(&xml, custom_property),
            _ => Walker::new(&part).run(&xml),
        };
        out.extend(found.map_err(|e| format!("{}: {e}", part.name))?);
    }
    Ok(out)
}

/// The zip package, with what is left of the decompression budget.
struct Package<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    budget: u64,
    limit: u64,
}

impl<'a> Package<'a> {
    fn open(bytes: &'a [u8], limits: &Limits) -> Result<Package<'a>, String> {
        if bytes.starts_with(OLE_MAGIC) {
            return Err(
                "not a .docx package: a legacy .doc or a password-protected document \
                        (save it as .docx without a password to check it)"
                    .into(),
            );
        }
        let zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| format!("not a Word document (not a zip package: {e})"))?;
        if zip.len() > limits.entries {
            return Err(format!(
                "the package has {} entries, more than the {} this tool reads",
                zip.len(),
                limits.entries
            ));
        }
        Ok(Package {
            zip,
            budget: limits.expanded_bytes,
            limit: limits.expanded_bytes,
        })
    }

    /// The parts holding text, in reading order: body, headers, footers, footnotes, endnotes,
    /// comments, properties. A part's kind comes from `[Content_Types].xml`, or else from the
    /// name Word gives it.
    fn parts(&mut self) -> Result<Vec<Part>, String> {
        let overrides = match self.zip.index_for_name("[Content_Types].xml") {
            Some(_) => content_types(&self.read("[Content_Types].xml")?)
                .map_err(|e| format!("[Content_Types].xml: {e}"))?,
            None => HashMap::new(),
        };
        let mut parts: Vec<(PartKind, (String, u64), String)> = self
            .zip
            .file_names()
            .filter_map(|name| {
                overrides
                    .get(&name.to_ascii_lowercase())
                    .copied()
                    .or_else(|| kind_by_name(name))
                    .map(|kind| (kind, natural_key(name), name.to_owned()))
            })
            .collect();
        parts.sort();
        if !parts.iter().any(|p| p.0 == PartKind::Body) {
            return Err("not a Word document (no word/document.xml)".into());
        }
        let mut numbered: Vec<Part> = Vec::with_capacity(parts.len());
        for (kind, _, name) in parts {
            let number = match numbered.last() {
                Some(last) if last.kind == kind => last.number + 1,
                _ => 1,
            };
            numbered.push(Part { kind, name, number });
        }
        Ok(numbered)
    }

    /// One part's XML as text, counted against the decompression budget.
    fn read(&mut self, name: &str) -> Result<String, String> {
        let too_big = || {
            format!(
                "{name} expands beyond the {} MiB limit for a Word document's text",
                self.limit >> 20
            )
        };
        let entry = self
            .zip
            .by_name(name)
            .map_err(|e| format!("cannot read {name} ({e})"))?;
        if entry.size() > self.budget {
            return Err(too_big());
        }
        let mut bytes = Vec::new();
        entry
            .take(self.budget + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read {name} ({e})"))?;
        if bytes.len() as u64 > self.budget {
            return Err(too_big());
        }
        self.budget -= bytes.len() as u64;
        xml_text(name, bytes)
    }
}

/// XML bytes as text: UTF-16 with a byte-order mark, or UTF-8.
fn xml_text(name: &str, bytes: Vec<u8>) -> Result<String, String> {
    if let Some(decoded) = decode_utf16(&bytes) {
        return Ok(decoded.text);
    }
    let mut text =
        String::from_utf8(bytes).map_err(|_| format!("{name} is not UTF-8 or UTF-16 text"))?;
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    Ok(text)
}

/// What a part holds, in reading order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum PartKind {
    Body,
    Header,
    Footer,
    Footnotes,
    Endnotes,
    Comments,
    CoreProperties,
    CustomProperties,
}

/// A part to read: its kind, its name in the zip, its number among the parts of its kind.
#[derive(Debug)]
struct Part {
    kind: PartKind,
    name: String,
    number: usize,
}

fn kind_by_content_type(content_type: &str) -> Option<PartKind> {
    const TYPES: [(&str, PartKind); 11] = [
        (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            PartKind::Body,
        ),
        (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
            PartKind::Body,
        ),
        (
            "application/vnd.ms-word.document.macroEnabled.main+xml",
            PartKind::Body,
        ),
        (
            "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
            PartKind::Body,
        ),
        (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
            PartKind::Header,
        ),
        (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml",
            PartKind::Footer,
        ),
        (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
            PartKind::Footnotes,
        ),
        (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml",
            PartKind::Endnotes,
        ),
        (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml",
            PartKind::Comments,
        ),
        (
            "application/vnd.openxmlformats-package.core-properties+xml",
            PartKind::CoreProperties,
        ),
        (
            "application/vnd.openxmlformats-officedocument.custom-properties+xml",
            PartKind::CustomProperties,
        ),
    ];
    TYPES
        .iter()
        .find(|(t, _)| t.eq_ignore_ascii_case(content_type.trim()))
        .map(|(_, kind)| *kind)
}

/// The kind Word's own part names imply (`word/header2.xml`).
fn kind_by_name(name: &str) -> Option<PartKind> {
    let lower = name.to_ascii_lowercase();
    let numbered = |prefix: &str| {
        lower
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(".xml"))
            .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
    };
    match lower.as_str() {
        "word/document.xml" => Some(PartKind::Body),
        "word/footnotes.xml" => Some(PartKind::Footnotes),
        "word/endnotes.xml" => Some(PartKind::Endnotes),
        "word/comments.xml" => Some(PartKind::Comments),
        "docprops/core.xml" => Some(PartKind::CoreProperties),
        "docprops/custom.xml" => Some(PartKind::CustomProperties),
        _ if numbered("word/header") => Some(PartKind::Header),
        _ if numbered("word/footer") => Some(PartKind::Footer),
        _ => None,
    }
}

/// Sorts `header10.xml` after `header2.xml`.
fn natural_key(name: &str) -> (String, u64) {
    let stem = name.strip_suffix(".xml").unwrap_or(name);
    let digits = stem.len() - stem.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let (head, number) = stem.split_at(stem.len() - digits);
    (head.to_owned(), number.parse().unwrap_or(0))
}

/// `[Content_Types].xml`: the kinds it declares (`Override` entries), by zip name in lower case
/// (part names are case-insensitive).
fn content_types(xml: &str) -> Result<HashMap<String, PartKind>, String> {
    let mut reader = Reader::from_str(xml);
    let mut out = HashMap::new();
    loop {
        match reader.read_event().map_err(|e| xml_error(&reader, &e))? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"Override" => {
                let (Some(part), Some(kind)) = (attr(&e, b"PartName")?, attr(&e, b"ContentType")?)
                else {
                    continue;
                };
                if let Some(kind) = kind_by_content_type(&kind) {
                    out.insert(part.trim_start_matches('/').to_ascii_lowercase(), kind);
                }
            }
            Event::Eof => return Ok(out),
            _ => {}
        }
    }
}

/// How a piece of text is shown in Word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Shown,
    /// A tracked deletion (`w:delText`, or text inside `w:del`/`w:moveFrom`).
    Deleted,
    /// Hidden text (`w:vanish` on its run).
    Hidden,
}

/// The text gathered for one field and its deleted and hidden companions. Separate deleted (or
/// hidden) stretches go on lines of their own, so words that were never next to each other are
/// not read as one.
#[derive(Debug, Default)]
struct Text {
    shown: String,
    deleted: String,
    hidden: String,
    last: Option<Kind>,
}

impl Text {
    fn push(&mut self, kind: Kind, s: &str) {
        if s.is_empty() {
            return;
        }
        let continues = self.last == Some(kind);
        let buf = match kind {
            Kind::Shown => &mut self.shown,
            Kind::Deleted => &mut self.deleted,
            Kind::Hidden => &mut self.hidden,
        };
        if kind != Kind::Shown && !continues && !buf.is_empty() {
            buf.push('\n');
        }
        buf.push_str(s);
        self.last = Some(kind);
    }
}

/// Something whose text becomes fields: a body paragraph, a table cell, a text box, a comment,
/// a note, a header, or the part itself (for stray text outside all of those).
#[derive(Debug)]
struct Container {
    locator: String,
    /// Prefix for the locators of text boxes and images inside (`header 1, `).
    scope: String,
    /// Orders this container's fields among the part's.
    seq: usize,
    /// The document body: each of its paragraphs is a container of its own.
    body: bool,
    text: Text,
    /// Paragraphs begun so far, and open now, directly in this container.
    paragraphs: usize,
    open: usize,
    /// Whether the run being read is hidden.
    run_hidden: bool,
}

/// What an open element means, so its end tag can undo it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Other,
    /// An element inside a skipped one (a footnote separator).
    Skip,
    Run,
    RunProps,
    /// A paragraph that joins its container's text.
    Paragraph,
    /// An element that opened a container.
    Container,
    BodyTable,
    Deleted,
    Drawing,
    Alternates,
    Branch,
    Text(Kind),
}

/// Numbers given so far in a part.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Counters {
    paragraph: usize,
    table: usize,
    text_box: usize,
    image: usize,
    shape: usize,
    note: usize,
    comment: usize,
}

impl Counters {
    fn max(self, o: Counters) -> Counters {
        Counters {
            paragraph: self.paragraph.max(o.paragraph),
            table: self.table.max(o.table),
            text_box: self.text_box.max(o.text_box),
            image: self.image.max(o.image),
            shape: self.shape.max(o.shape),
            note: self.note.max(o.note),
            comment: self.comment.max(o.comment),
        }
    }
}

/// A body table being read: its number and the current row and cell.
#[derive(Debug)]
struct Table {
    number: usize,
    row: usize,
    cell: usize,
}

/// A drawing being read (`wp:inline`, `wp:anchor`).
#[derive(Debug, Default)]
struct Drawing {
    seq: usize,
    descr: String,
    title: String,
    picture: bool,
}

/// An `mc:AlternateContent` being read: each branch (`mc:Choice`, `mc:Fallback`) is numbered
/// from the same counters, so a fallback's copy of a text box gets the same locator and can be
/// recognised.
#[derive(Debug)]
struct Alternates {
    start: Counters,
    end: Counters,
    /// Where the first branch's fields begin in the output.
    first_field: Option<usize>,
}

/// Reads one WordprocessingML part (body, header, footer, notes, comments) into fields.
///
/// Elements are matched by local name (`w:p`, `m:t`, `a:t` alike), so transitional and strict
/// documents read the same way.
struct Walker {
    kind: PartKind,
    containers: Vec<Container>,
    stack: Vec<Role>,
    deleted: usize,
    counters: Counters,
    tables: Vec<Table>,
    drawings: Vec<Drawing>,
    alternates: Vec<Alternates>,
    out: Vec<(usize, Field)>,
    seq: usize,
    saw_root: bool,
}

impl Walker {
    fn new(part: &Part) -> Walker {
        let (locator, body) = match part.kind {
            PartKind::Body => ("document body".to_owned(), true),
            PartKind::Header => (format!("header {}", part.number), false),
            PartKind::Footer => (format!("footer {}", part.number), false),
            PartKind::Footnotes => ("footnotes".to_owned(), false),
            PartKind::Endnotes => ("endnotes".to_owned(), false),
            _ => ("comments".to_owned(), false),
        };
        // Text boxes and images outside the body say where they are: `header 1, image 1`.
        let scope = if body {
            String::new()
        } else {
            format!("{locator}, ")
        };
        Walker {
            kind: part.kind,
            containers: vec![Container::new(locator, scope, 0, body)],
            stack: Vec::new(),
            deleted: 0,
            counters: Counters::default(),
            tables: Vec::new(),
            drawings: Vec::new(),
            alternates: Vec::new(),
            out: Vec::new(),
            seq: 1,
            saw_root: false,
        }
    }

    fn run(mut self, xml: &str) -> Result<Vec<Field>, String> {
        let mut reader = Reader::from_str(xml);
        reader.config_mut().expand_empty_elements = true;
        loop {
            match reader.read_event().map_err(|e| xml_error(&reader, &e))? {
                Event::Start(e) => self.start(&e)?,
                Event::End(_) => self.end(),
                Event::Text(t) => {
                    let s = t.xml10_content().map_err(|e| e.to_string())?;
                    self.text(&s);
                }
                Event::CData(t) => {
                    let s = t.decode().map_err(|e| e.to_string())?;
                    self.text(&s);
                }
                Event::GeneralRef(r) => {
                    let s = resolve_reference(&r)?;
                    self.text(&s);
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if !self.saw_root {
            return Err("not well-formed XML (no root element)".into());
        }
        if !self.stack.is_empty() {
            return Err("not well-formed XML (it ends before its elements are closed)".into());
        }
        while let Some(c) = self.containers.pop() {
            self.emit(c);
        }
        self.out.sort_by_key(|(seq, _)| *seq);
        Ok(self.out.into_iter().map(|(_, f)| f).collect())
    }

    fn next_seq(&mut self) -> usize {
        self.seq += 1;
        self.seq
    }

    /// Whether the innermost container is the body itself (between its paragraphs).
    fn in_body(&self) -> bool {
        self.containers.last().is_some_and(|c| c.body)
    }

    /// The prefix for text boxes and images here (`header 1, `).
    fn scope(&self) -> &str {
        self.containers.last().map_or("", |c| c.scope.as_str())
    }

    fn top(&mut self) -> &mut Container {
        // The part's own container is never popped before the end.
        let last = self.containers.len() - 1;
        &mut self.containers[last]
    }

    fn open_container(&mut self, locator: String) -> Role {
        let scope = match self.kind {
            PartKind::Comments | PartKind::Footnotes | PartKind::Endnotes
                if self.containers.len() == 1 =>
            {
                format!("{locator}, ")
            }
            _ => self.scope().to_owned(),
        };
        let seq = self.next_seq();
        self.containers
            .push(Container::new(locator, scope, seq, false));
        Role::Container
    }

    fn start(&mut self, e: &BytesStart) -> Result<(), String> {
        self.saw_root = true;
        if self.stack.len() >= MAX_DEPTH {
            return Err(format!("elements nested more than {MAX_DEPTH} deep"));
        }
        let parent = self.stack.last().copied();
        let role = if parent == Some(Role::Skip) {
            Role::Skip
        } else {
            self.role_of(e, parent)?
        };
        self.stack.push(role);
        Ok(())
    }

    fn role_of(&mut self, e: &BytesStart, parent: Option<Role>) -> Result<Role, String> {
        let in_run = parent == Some(Role::Run);
        Ok(match e.local_name().as_ref() {
            b"p" => self.paragraph(),
            b"r" => {
                self.top().run_hidden = false;
                Role::Run
            }
            b"rPr" if in_run => Role::RunProps,
            b"vanish" if parent == Some(Role::RunProps) => {
                self.top().run_hidden = on_off(e)?;
                Role::Other
            }
            b"t" => Role::Text(self.run_kind()),
            b"delText" => Role::Text(Kind::Deleted),
            b"tab" | b"ptab" if in_run => self.inline("\t"),
            b"br" | b"cr" if in_run => self.inline("\n"),
            b"noBreakHyphen" if in_run => self.inline("-"),
            b"del" | b"moveFrom" => {
                self.deleted += 1;
                Role::Deleted
            }
            b"tbl" if self.in_body() => {
                self.counters.table += 1;
                let number = self.counters.table;
                self.tables.push(Table {
                    number,
                    row: 0,
                    cell: 0,
                });
                Role::BodyTable
            }
            b"tr" if self.in_body() => {
                if let Some(t) = self.tables.last_mut() {
                    t.row += 1;
                    t.cell = 0;
                }
                Role::Other
            }
            b"tc" if self.in_body() => match self.tables.last_mut() {
                Some(t) => {
                    t.cell += 1;
                    let locator = format!("table {}, row {}, cell {}", t.number, t.row, t.cell);
                    self.open_container(locator)
                }
                None => Role::Other,
            },
            b"txbxContent" => {
                self.counters.text_box += 1;
                let locator = format!("{}text box {}", self.scope(), self.counters.text_box);
                self.open_container(locator)
            }
            b"inline" | b"anchor" => {
                let seq = self.next_seq();
                self.drawings.push(Drawing {
                    seq,
                    ..Drawing::default()
                });
                Role::Drawing
            }
            b"docPr" if !self.drawings.is_empty() => {
                let descr = attr(e, b"descr")?.unwrap_or_default();
                let title = attr(e, b"title")?.unwrap_or_default();
                if let Some(d) = self.drawings.last_mut() {
                    d.descr = descr;
                    d.title = title;
                }
                Role::Other
            }
            b"pic" => {
                if let Some(d) = self.drawings.last_mut() {
                    d.picture = true;
                }
                Role::Other
            }
            // Deeper than Word ever nests them, alternates are read as they come (copies and
            // all), so a hostile file cannot make the repeats' check run over and over.
            b"AlternateContent" if self.alternates.len() < MAX_ALTERNATES_DEPTH => {
                self.alternates.push(Alternates {
                    start: self.counters,
                    end: self.counters,
                    first_field: None,
                });
                Role::Alternates
            }
            b"Choice" | b"Fallback" if parent == Some(Role::Alternates) => {
                let len = self.out.len();
                if let Some(a) = self.alternates.last_mut() {
                    a.first_field.get_or_insert(len);
                    self.counters = a.start;
                }
                Role::Branch
            }
            b"comment" if self.kind == PartKind::Comments => {
                self.counters.comment += 1;
                self.scope_counters_reset();
                self.open_container(format!("comment {}", self.counters.comment))
            }
            name @ (b"footnote" | b"endnote")
                if matches!(self.kind, PartKind::Footnotes | PartKind::Endnotes) =>
            {
                // Separators and continuation notices are not notes.
                if attr(e, b"type")?.is_some_and(|t| t != "normal") {
                    return Ok(Role::Skip);
                }
                self.counters.note += 1;
                self.scope_counters_reset();
                let what = if name == b"footnote" {
                    "footnote"
                } else {
                    "endnote"
                };
                self.open_container(format!("{what} {}", self.counters.note))
            }
            _ => Role::Other,
        })
    }

    /// Text boxes and images are numbered afresh in each comment and note.
    fn scope_counters_reset(&mut self) {
        self.counters.text_box = 0;
        self.counters.image = 0;
        self.counters.shape = 0;
    }

    /// A paragraph of the body opens a container; elsewhere it joins its container's text.
    fn paragraph(&mut self) -> Role {
        if self.in_body() {
            self.counters.paragraph += 1;
            return self.open_container(format!("paragraph {}", self.counters.paragraph));
        }
        let top = self.top();
        if top.open == 0 && top.paragraphs > 0 && !top.text.shown.is_empty() {
            top.text.shown.push('\n');
        }
        top.open += 1;
        top.paragraphs += 1;
        Role::Paragraph
    }

    fn run_kind(&mut self) -> Kind {
        if self.deleted > 0 {
            Kind::Deleted
        } else if self.top().run_hidden {
            Kind::Hidden
        } else {
            Kind::Shown
        }
    }

    /// A tab, break or hyphen element inside a run.
    fn inline(&mut self, s: &str) -> Role {
        let kind = self.run_kind();
        self.top().text.push(kind, s);
        Role::Other
    }

    fn text(&mut self, s: &str) {
        if let Some(Role::Text(kind)) = self.stack.last().copied() {
            self.top().text.push(kind, s);
        }
    }

    fn end(&mut self) {
        let Some(role) = self.stack.pop() else {
            return;
        };
        match role {
            Role::Run => self.top().run_hidden = false,
            Role::Paragraph => {
                let top = self.top();
                top.open = top.open.saturating_sub(1);
                top.text.last = None;
            }
            Role::Container => {
                if self.containers.len() > 1
                    && let Some(c) = self.containers.pop()
                {
                    self.emit(c);
                }
            }
            Role::BodyTable => {
                self.tables.pop();
            }
            Role::Deleted => self.deleted = self.deleted.saturating_sub(1),
            Role::Drawing => self.end_drawing(),
            Role::Branch => {
                if let Some(a) = self.alternates.last_mut() {
                    a.end = a.end.max(self.counters);
                }
            }
            Role::Alternates => self.end_alternates(),
            Role::Other | Role::Skip | Role::RunProps | Role::Text(_) => {}
        }
    }

    fn end_drawing(&mut self) {
        let Some(d) = self.drawings.pop() else {
            return;
        };
        let (what, number) = if d.picture {
            self.counters.image += 1;
            ("image", self.counters.image)
        } else {
            self.counters.shape += 1;
            ("shape", self.counters.shape)
        };
        let scope = self.scope().to_owned();
        for (label, text) in [("alt text", d.descr), ("title", d.title)] {
            if !text.trim().is_empty() {
                let locator = format!("{scope}{what} {number} {label}");
                self.out.push((d.seq, Field::new(locator, text)));
            }
        }
    }

    /// Drops what a later branch repeats of an earlier one (Word's VML copy of a text box).
    fn end_alternates(&mut self) {
        let Some(a) = self.alternates.pop() else {
            return;
        };
        self.counters = a.end.max(self.counters);
        let Some(first) = a.first_field else {
            return;
        };
        let mut seen = HashSet::new();
        for (seq, field) in self.out.split_off(first) {
            if seen.insert((field.locator.clone(), field.text.clone())) {
                self.out.push((seq, field));
            }
        }
    }

    fn emit(&mut self, c: Container) {
        let Container {
            locator, seq, text, ..
        } = c;
        for (suffix, text) in [
            ("", text.shown),
            (" (deleted text)", text.deleted),
            (" (hidden text)", text.hidden),
        ] {
            let text = text.trim_end_matches('\n');
            if !text.trim().is_empty() {
                self.out
                    .push((seq, Field::new(format!("{locator}{suffix}"), text)));
            }
        }
    }
}

impl Container {
    fn new(locator: String, scope: String, seq: usize, body: bool) -> Container {
        Container {
            locator,
            scope,
            seq,
            body,
            text: Text::default(),
            paragraphs: 0,
            open: 0,
            run_hidden: false,
        }
    }
}

/// The locator of a core property worth reading (`dc:title` → `document title`); `None` for
/// the author, last editor, dates and revision.
fn core_property(e: &BytesStart) -> Result<Option<String>, String> {
    Ok(match e.local_name().as_ref() {
        b"title" => Some("document title".into()),
        b"subject" => Some("document subject".into()),
        b"keywords" => Some("document keywords".into()),
        b"description" => Some("document description".into()),
        b"category" => Some("document category".into()),
        _ => None,
    })
}

/// A custom property's locator: `custom property "Ward"`.
fn custom_property(e: &BytesStart) -> Result<Option<String>, String> {
    if e.local_name().as_ref() != b"property" {
        return Ok(None);
    }
    let name = attr(e, b"name")?.unwrap_or_default();
    Ok(Some(format!("custom property \"{name}\"")))
}

/// The text of each child of the root element that `pick` gives a locator, in order.
fn property_fields(
    xml: &str,
    pick: fn(&BytesStart) -> Result<Option<String>, String>,
) -> Result<Vec<Field>, String> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().expand_empty_elements = true;
    let mut depth = 0usize;
    let mut current: Option<Field> = None;
    let mut out = Vec::new();
    loop {
        match reader.read_event().map_err(|e| xml_error(&reader, &e))? {
            Event::Start(e) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(format!("elements nested more than {MAX_DEPTH} deep"));
                }
                if depth == 2 {
                    current = pick(&e)?.map(|locator| Field::new(locator, ""));
                }
            }
            Event::End(_) => {
                if depth == 2
                    && let Some(field) = current.take()
                    && !field.text.trim().is_empty()
                {
                    out.push(field);
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(t) => {
                if let Some(f) = current.as_mut() {
                    f.text
                        .push_str(&t.xml10_content().map_err(|e| e.to_string())?);
                }
            }
            Event::CData(t) => {
                if let Some(f) = current.as_mut() {
                    f.text.push_str(&t.decode().map_err(|e| e.to_string())?);
                }
            }
            Event::GeneralRef(r) => {
                let s = resolve_reference(&r)?;
                if let Some(f) = current.as_mut() {
                    f.text.push_str(&s);
                }
            }
            Event::Eof if depth == 0 => return Ok(out),
            Event::Eof => {
                return Err("not well-formed XML (it ends before its elements are closed)".into());
            }
            _ => {}
        }
    }
}

/// An attribute's value by local name (`w:val` and `val` alike), entities decoded.
fn attr(e: &BytesStart, local: &[u8]) -> Result<Option<String>, String> {
    for a in e.attributes() {
        let a = a.map_err(|err| format!("not well-formed XML ({err})"))?;
        if a.key.local_name().as_ref() == local {
            let value = a
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|err| format!("not well-formed XML ({})", describe(&err)))?;
            return Ok(Some(value.into_owned()));
        }
    }
    Ok(None)
}

/// A WordprocessingML on/off property: on unless `w:val` is `0`, `false` or `off`.
fn on_off(e: &BytesStart) -> Result<bool, String> {
    Ok(!matches!(
        attr(e, b"val")?.as_deref(),
        Some("0" | "false" | "off")
    ))
}

/// `&amp;`, `&#233;`, `&#x1F600;` as text; an entity XML does not define is an error.
fn resolve_reference(r: &BytesRef) -> Result<String, String> {
    let bad = |what: &dyn std::fmt::Display| format!("not well-formed XML ({what})");
    if let Some(c) = r.resolve_char_ref().map_err(|e| bad(&describe(&e)))? {
        return Ok(c.to_string());
    }
    let name = r.decode().map_err(|e| bad(&e))?;
    // The name is not quoted: a hostile document can put anything there.
    quick_xml::escape::resolve_predefined_entity(&name)
        .map(str::to_owned)
        .ok_or_else(|| bad(&UNKNOWN_ENTITY))
}

fn xml_error(reader: &Reader<&[u8]>, e: &quick_xml::Error) -> String {
    format!(
        "not well-formed XML ({}, at byte {})",
        describe(e),
        reader.error_position()
    )
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use zip::write::SimpleFileOptions;

    use super::*;

    const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
        xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" \
        xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" \
        xmlns:v=\"urn:schemas-microsoft-com:vml\" \
        xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"";

    /// A zip package of `entries`, deflated.
    fn package(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(1));
        for (name, data) in entries {
            zip.start_file(*name, options).unwrap();
            zip.write_all(data).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn document(body: &str) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document {W}><w:body>{body}</w:body></w:document>"
        )
    }

    fn pairs(fields: Vec<Field>) -> Vec<(String, String)> {
        fields.into_iter().map(|f| (f.locator, f.text)).collect()
    }

    /// The fields of a package holding `parts`.
    fn read(parts: &[(&str, &str)]) -> Result<Vec<(String, String)>, String> {
        let entries: Vec<(&str, &[u8])> = parts.iter().map(|(n, x)| (*n, x.as_bytes())).collect();
        fields(&package(&entries)).map(pairs)
    }

    /// The fields of a document whose body is `body`.
    fn body(body: &str) -> Vec<(String, String)> {
        read(&[("word/document.xml", &document(body))]).unwrap()
    }

    fn expect(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(l, t)| ((*l).to_owned(), (*t).to_owned()))
            .collect()
    }

    #[test]
    fn the_phi_draft_fixture() {
        let got = pairs(fields(include_bytes!("../../fixtures/formats/draft-phi.docx")).unwrap());
        assert_eq!(
            got,
            expect(&[
                ("paragraph 1", "Spotlight: a brave survivor"),
                (
                    "paragraph 2",
                    "Meet Harriet Quandt, our patient of the week! Born 03/14/1961, she was \
                     diagnosed with breast cancer last spring and rang the bell after her final \
                     chemotherapy session."
                ),
                // Paragraph 3 is empty; paragraph 4 has a tracked deletion and a hidden run.
                (
                    "paragraph 4",
                    "Her care team cheered her on every step of the way."
                ),
                ("paragraph 4 (deleted text)", "(MRN 00482913) "),
                ("paragraph 4 (hidden text)", " Room 412, bed 2."),
                ("table 1, row 1, cell 1", "Contact"),
                ("table 1, row 1, cell 2", "Phone"),
                ("table 1, row 2, cell 1", "Lena Quandt (daughter)"),
                ("table 1, row 2, cell 2", "555-0142"),
                // Paragraph 5 holds the picture and no text.
                (
                    "image 1 alt text",
                    "Harriet Quandt ringing the bell on the oncology ward"
                ),
                ("image 1 title", "Bell ringing"),
                (
                    "paragraph 6",
                    "Thank you to everyone who supported her!\tShare your story."
                ),
                ("header 1", "Riverside Clinic - internal draft"),
                ("footer 1", "Not for posting until consent is on file"),
                // The comment's author (Sam Editor) and the document's author and last editor
                // (Dana Writer, Sam Editor) are staff: not read.
                (
                    "comment 1",
                    "Check with Harriet Quandt's family before posting"
                ),
                ("document title", "Patient spotlight draft"),
                ("document subject", "Harriet Quandt spotlight"),
                ("document keywords", "spotlight; oncology; survivor"),
                (
                    "document description",
                    "Consent form pending for Harriet Quandt"
                ),
            ])
        );
    }

    #[test]
    fn the_clean_draft_fixture() {
        let got = pairs(fields(include_bytes!("../../fixtures/formats/draft-clean.docx")).unwrap());
        assert_eq!(
            got,
            expect(&[
                ("paragraph 1", "Flu shots are here"),
                (
                    "paragraph 2",
                    "Our walk-in flu shot clinic is open this season. No appointment needed, \
                     and most insurance plans are accepted."
                ),
                ("table 1, row 1, cell 1", "Days"),
                ("table 1, row 1, cell 2", "Hours"),
                ("table 1, row 2, cell 1", "Monday to Friday"),
                ("table 1, row 2, cell 2", "8 am to 6 pm"),
                ("table 1, row 3, cell 1", "Saturday"),
                ("table 1, row 3, cell 2", "9 am to 1 pm"),
                (
                    "image 1 alt text",
                    "A nurse smiling next to a flu shot sign"
                ),
                (
                    "paragraph 4",
                    "Protect yourself and your family. See you soon!"
                ),
                ("comment 1", "Looks good, ready to schedule"),
                ("document title", "Flu shot clinic post"),
                ("document subject", "Seasonal flu clinic"),
                ("document keywords", "flu; vaccines; community"),
                ("document description", "Ready for the Monday schedule"),
            ])
        );
    }

    #[test]
    fn runs_tabs_breaks_hyphens_symbols_fields_and_entities() {
        let got = body(
            "<w:p><w:r><w:t xml:space=\"preserve\">Call </w:t></w:r>\
             <w:r><w:rPr><w:b/></w:rPr><w:t>555</w:t><w:noBreakHyphen/><w:t>0147</w:t></w:r>\
             <w:r><w:tab/><w:t>ask for</w:t><w:br/><w:t>R&amp;D &#233;quipe &#x1F600;</w:t>\
             <w:cr/><w:sym w:font=\"Wingdings\" w:char=\"F04A\"/><w:softHyphen/>\
             <w:t>&lt;end&gt;</w:t></w:r></w:p>\
             <w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>\
             <w:r><w:instrText xml:space=\"preserve\"> MERGEFIELD Patient </w:instrText></w:r>\
             <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>\
             <w:r><w:t>«Patient»</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>\
             <w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>\
             <w:hyperlink><w:r><w:t>link</w:t></w:r></w:hyperlink>\
             <w:ins><w:r><w:t xml:space=\"preserve\"> added</w:t></w:r></w:ins>\
             <m:oMath xmlns:m=\"http://schemas.openxmlformats.org/officeDocument/2006/math\">\
             <m:r><m:t>x</m:t></m:r></m:oMath></w:p>",
        );
        assert_eq!(
            got,
            expect(&[
                (
                    "paragraph 1",
                    "Call 555-0147\task for\nR&D \u{e9}quipe \u{1F600}\n<end>"
                ),
                ("paragraph 2", "«Patient»"),
                // A tab stop in the paragraph's properties is not a tab in its text.
                ("paragraph 3", "link addedx"),
            ])
        );
    }

    #[test]
    fn empty_paragraphs_count_and_tables_do_not() {
        let got = body(
            "<w:p/><w:p><w:r><w:t>second</w:t></w:r></w:p>\
             <w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p>\
             <w:p><w:r><w:t>b</w:t></w:r></w:p></w:tc>\
             <w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>c</w:t></w:r></w:p>\
             <w:tbl><w:tr><w:tc><w:p><w:r><w:t>nested</w:t></w:r></w:p></w:tc>\
             <w:tc><w:p><w:r><w:t>cells</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc></w:tr>\
             <w:tr><w:tc><w:p><w:r><w:t>d</w:t></w:r></w:p></w:tc></w:tr></w:tbl>\
             <w:sdt><w:sdtContent><w:p><w:r><w:t>in a control</w:t></w:r></w:p></w:sdtContent></w:sdt>\
             <w:tbl><w:tr><w:tc><w:p><w:r><w:t>e</w:t></w:r></w:p></w:tc></w:tr></w:tbl>\
             <w:p><w:r><w:t>last</w:t></w:r></w:p><w:sectPr/>",
        );
        assert_eq!(
            got,
            expect(&[
                ("paragraph 2", "second"),
                ("table 1, row 1, cell 1", "a\nb"),
                // A nested table is read with the cell it sits in.
                ("table 1, row 1, cell 3", "c\nnested\ncells"),
                ("table 1, row 2, cell 1", "d"),
                ("paragraph 3", "in a control"),
                ("table 2, row 1, cell 1", "e"),
                ("paragraph 4", "last"),
            ])
        );
    }

    #[test]
    fn tracked_deletions_and_hidden_text_are_read_apart() {
        let got = body(
            "<w:p><w:r><w:t xml:space=\"preserve\">Patient </w:t></w:r>\
             <w:del w:id=\"1\" w:author=\"A\"><w:r><w:delText>Ann</w:delText></w:r>\
             <w:r><w:delText xml:space=\"preserve\">a Ex</w:delText></w:r></w:del>\
             <w:del w:id=\"2\" w:author=\"A\"><w:r><w:delText>ample</w:delText></w:r></w:del>\
             <w:ins w:id=\"3\" w:author=\"A\"><w:r><w:t>[name]</w:t></w:r></w:ins>\
             <w:r><w:t xml:space=\"preserve\"> is home.</w:t></w:r>\
             <w:del w:id=\"4\" w:author=\"A\"><w:r><w:t>MRN 9912345</w:t></w:r></w:del>\
             <w:moveFrom w:id=\"5\" w:author=\"A\"><w:r><w:t>moved</w:t></w:r></w:moveFrom>\
             <w:r><w:rPr><w:vanish/></w:rPr><w:t>DOB 01/02/1950</w:t></w:r>\
             <w:r><w:rPr><w:vanish w:val=\"0\"/></w:rPr><w:t xml:space=\"preserve\"> Shown.</w:t></w:r>\
             <w:r><w:rPr><w:vanish w:val=\"true\"/></w:rPr><w:t>Bed 4</w:t></w:r></w:p>\
             <w:p><w:pPr><w:rPr><w:vanish/><w:del w:id=\"6\" w:author=\"A\"/></w:rPr></w:pPr>\
             <w:r><w:t>Not hidden: only the mark is.</w:t></w:r></w:p>",
        );
        assert_eq!(
            got,
            expect(&[
                ("paragraph 1", "Patient [name] is home. Shown."),
                // Adjacent deletions are one stretch; separate ones are on lines of their own.
                (
                    "paragraph 1 (deleted text)",
                    "Anna Example\nMRN 9912345moved"
                ),
                ("paragraph 1 (hidden text)", "DOB 01/02/1950\nBed 4"),
                ("paragraph 2", "Not hidden: only the mark is."),
            ])
        );
    }

    #[test]
    fn text_boxes_are_read_once_and_pictures_by_their_alt_text() {
        let text_box = |text: &str| {
            format!(
                "<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p>\
                 <w:p><w:r><w:t>line 2</w:t></w:r></w:p></w:txbxContent>"
            )
        };
        let alternates = |choice: &str, fallback: &str| {
            format!(
                "<mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor>\
                 <wp:docPr id=\"3\" name=\"Text Box 3\"/><a:graphic \
                 xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><a:graphicData>\
                 <wps:wsp xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\">\
                 <wps:txbx>{}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>\
                 </mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{}</v:textbox></v:shape>\
                 </w:pict></mc:Fallback></mc:AlternateContent>",
                text_box(choice),
                text_box(fallback)
            )
        };
        let picture = "<w:drawing><wp:inline><wp:docPr id=\"1\" name=\"Picture 1\" \
             descr=\"Jo Example &amp; nurse&#10;on ward 5\" title=\"\"/><a:graphic \
             xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><a:graphicData>\
             <pic:pic><pic:nvPicPr><pic:cNvPr id=\"0\" name=\"photo.jpg\"/></pic:nvPicPr></pic:pic>\
             </a:graphicData></a:graphic></wp:inline></w:drawing>";
        let got = body(&format!(
            "<w:p><w:r><w:t>Before</w:t></w:r><w:r>{}</w:r><w:r><w:t xml:space=\"preserve\"> \
             after</w:t></w:r></w:p><w:p><w:r>{}</w:r></w:p><w:p><w:r>{picture}</w:r></w:p>",
            alternates("Box text", "Box text"),
            alternates("New text", "Old text"),
        ));
        assert_eq!(
            got,
            expect(&[
                ("paragraph 1", "Before after"),
                ("text box 1", "Box text\nline 2"),
                // The VML copy says something else: kept, under the same number.
                ("text box 2", "New text\nline 2"),
                ("text box 2", "Old text\nline 2"),
                ("image 1 alt text", "Jo Example & nurse\non ward 5"),
            ])
        );
    }

    #[test]
    fn headers_footers_notes_comments_and_properties() {
        let w = |root: &str, inner: &str| format!("<w:{root} {W}>{inner}</w:{root}>");
        let p = |t: &str| format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>");
        let notes = |kind: &str| {
            w(
                &format!("{kind}s"),
                &format!(
                    "<w:{kind} w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>\
                     <w:{kind} w:type=\"continuationSeparator\" w:id=\"0\"><w:p><w:r><w:t>cont</w:t></w:r></w:p></w:{kind}>\
                     <w:{kind} w:id=\"1\">{}</w:{kind}><w:{kind} w:id=\"2\" w:type=\"normal\">{}</w:{kind}>",
                    p(&format!("{kind} one")),
                    p(&format!("{kind} two"))
                ),
            )
        };
        let comments = w(
            "comments",
            &format!(
                "<w:comment w:id=\"0\" w:author=\"Sam Editor\" w:initials=\"SE\">{}{}</w:comment>\
                 <w:comment w:id=\"1\" w:author=\"Sam Editor\">{}</w:comment>",
                p("first"),
                p("second line"),
                p("reply")
            ),
        );
        let core = "<cp:coreProperties \
            xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
            xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:creator>Dana Writer</dc:creator>\
            <dc:title>Title &amp; more</dc:title><cp:lastModifiedBy>Sam Editor</cp:lastModifiedBy>\
            <cp:category>Stories</cp:category><dc:description/></cp:coreProperties>";
        let custom = "<Properties \
            xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties\" \
            xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">\
            <property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" pid=\"2\" name=\"Ward\">\
            <vt:lpwstr>Ward 5</vt:lpwstr></property></Properties>";
        let header_with_logo = w(
            "hdr",
            &format!(
                "{}<w:p><w:r><w:drawing><wp:inline><wp:docPr id=\"9\" name=\"Logo\" \
                 descr=\"Clinic logo\"/><pic:pic/></wp:inline></w:drawing></w:r></w:p>",
                p("header ten")
            ),
        );
        // Part names out of order, and one name Word would not use, declared by content type.
        let types = "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
            <Override PartName=\"/word/main.xml\" \
            ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
            <Override PartName=\"/word/top.xml\" \
            ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>\
            </Types>";
        let got = read(&[
            ("[Content_Types].xml", types),
            ("docProps/custom.xml", custom),
            ("docProps/core.xml", core),
            ("word/comments.xml", &comments),
            ("word/endnotes.xml", &notes("endnote")),
            ("word/footnotes.xml", &notes("footnote")),
            ("word/footer1.xml", &w("ftr", &p("footer one"))),
            ("word/header10.xml", &header_with_logo),
            ("word/header2.xml", &w("hdr", &p("header two"))),
            ("word/top.xml", &w("hdr", &p("header top"))),
            ("word/main.xml", &document(&p("body"))),
            ("word/styles.xml", &w("styles", &p("not text"))),
        ])
        .unwrap();
        assert_eq!(
            got,
            expect(&[
                ("paragraph 1", "body"),
                // header2.xml before header10.xml; a part named otherwise comes after.
                ("header 1", "header two"),
                ("header 2", "header ten"),
                ("header 2, image 1 alt text", "Clinic logo"),
                ("header 3", "header top"),
                ("footer 1", "footer one"),
                ("footnote 1", "footnote one"),
                ("footnote 2", "footnote two"),
                ("endnote 1", "endnote one"),
                ("endnote 2", "endnote two"),
                ("comment 1", "first\nsecond line"),
                ("comment 2", "reply"),
                ("document title", "Title & more"),
                ("document category", "Stories"),
                ("custom property \"Ward\"", "Ward 5"),
            ])
        );
    }

    #[test]
    fn utf16_parts_are_read() {
        let xml = document("<w:p><w:r><w:t>caf\u{e9}</w:t></w:r></w:p>");
        let mut bytes = vec![0xFF, 0xFE];
        for u in xml.encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let got = pairs(fields(&package(&[("word/document.xml", &bytes)])).unwrap());
        assert_eq!(got, expect(&[("paragraph 1", "caf\u{e9}")]));
    }

    #[test]
    fn what_is_not_a_word_document_is_an_error() {
        assert_eq!(
            fields(b"just some text").unwrap_err(),
            "not a Word document (not a zip package: invalid Zip archive: Could not find EOCD)"
        );
        assert!(
            fields(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0")
                .unwrap_err()
                .starts_with("not a .docx package: a legacy .doc or a password-protected")
        );
        let spreadsheet = package(&[("xl/workbook.xml", b"<workbook/>")]);
        assert_eq!(
            fields(&spreadsheet).unwrap_err(),
            "not a Word document (no word/document.xml)"
        );
        // A zip cut short.
        let whole = package(&[("word/document.xml", document("").as_bytes())]);
        assert!(
            fields(&whole[..whole.len() / 2])
                .unwrap_err()
                .starts_with("not a Word document (not a zip package:")
        );
    }

    #[test]
    fn malformed_xml_is_an_error() {
        let cases = [
            (
                "<w:document><w:body><w:p></w:body></w:document>",
                "word/document.xml: not well-formed XML (ill-formed document: a close tag does \
                 not match the open tag, at byte 25)",
            ),
            (
                "<w:document><w:body><w:p><w:r><w:t>cut",
                "word/document.xml: not well-formed XML (it ends before its elements are closed)",
            ),
            (
                "<w:document><w:p><w:r><w:t>&bogus;</w:t></w:r></w:p></w:document>",
                "word/document.xml: not well-formed XML (unknown entity (its name is not shown))",
            ),
            (
                "",
                "word/document.xml: not well-formed XML (no root element)",
            ),
            (
                "<w:document><w:p><w:r><w:drawing><wp:inline><wp:docPr descr=\"a\" descr=\"b\"/>",
                "word/document.xml: not well-formed XML (position 19: duplicated attribute, \
                 previous declaration at position 9)",
            ),
        ];
        for (xml, reason) in cases {
            assert_eq!(
                read(&[("word/document.xml", xml)]).unwrap_err(),
                reason,
                "{xml}"
            );
        }
        let deep = format!("<w:document>{}", "<w:sdt>".repeat(MAX_DEPTH + 1));
        assert_eq!(
            read(&[("word/document.xml", &deep)]).unwrap_err(),
            "word/document.xml: elements nested more than 1000 deep"
        );
        assert_eq!(
            fields(&package(&[(
                "word/document.xml",
                b"<w:document>\xFF</w:document>"
            )]))
            .unwrap_err(),
            "word/document.xml is not UTF-8 or UTF-16 text"
        );
    }

    #[test]
    fn a_zip_bomb_is_stopped_at_the_limit() {
        // 65 MiB of spaces deflate to about 64 KiB.
        let mut xml = document("<w:p><w:r><w:t>").into_bytes();
        xml.resize(xml.len() + (65 << 20), b' ');
        let bomb = package(&[("word/document.xml", &xml)]);
        assert!(bomb.len() < 1 << 20, "{}", bomb.len());
        assert_eq!(
            fields(&bomb).unwrap_err(),
            "word/document.xml expands beyond the 64 MiB limit for a Word document's text"
        );
    }

    #[test]
    fn a_part_that_lies_about_its_size_is_stopped_too() {
        let mut xml = document("<w:p><w:r><w:t>").into_bytes();
        xml.resize(xml.len() + (3 << 20), b' ');
        let mut bomb = package(&[("word/document.xml", &xml)]);
        // Declare 100 bytes in the local and central headers.
        for (signature, offset) in [(b"PK\x03\x04", 22), (b"PK\x01\x02", 24)] {
            let at = bomb.windows(4).position(|w| w == signature).unwrap() + offset;
            bomb[at..at + 4].copy_from_slice(&100u32.to_le_bytes());
        }
        let limits = Limits {
            expanded_bytes: 2 << 20,
            entries: 10,
        };
        assert_eq!(
            fields_within(&bomb, &limits).unwrap_err(),
            "word/document.xml expands beyond the 2 MiB limit for a Word document's text"
        );
    }

    #[test]
    fn the_budget_is_shared_by_all_parts_and_entries_are_bounded() {
        let limits = Limits {
            expanded_bytes: 1 << 20,
            entries: 3,
        };
        let half = " ".repeat(600 << 10);
        let doc = document(&format!("<w:p><w:r><w:t>a</w:t></w:r></w:p>{half}"));
        let head = format!("<w:hdr {W}>{half}</w:hdr>");
        let two = package(&[
            ("word/document.xml", doc.as_bytes()),
            ("word/header1.xml", head.as_bytes()),
        ]);
        assert_eq!(
            fields_within(&two, &limits).unwrap_err(),
            "word/header1.xml expands beyond the 1 MiB limit for a Word document's text"
        );
        let many = package(&[
            ("word/document.xml", b"<w:document/>"),
            ("a", b""),
            ("b", b""),
            ("c", b""),
        ]);
        assert_eq!(
            fields_within(&many, &limits).unwrap_err(),
            "the package has 4 entries, more than the 3 this tool reads"
        );
    }
}
