//! Redaction: a post with every finding replaced by a placeholder (`[NAME]`, `[PHONE]`...),
//! every other byte as it was.
//!
//! Findings carry exact byte spans into the original bytes, so the replacement happens in the
//! file as written, in its encoding (UTF-8, with or without a byte-order mark, or UTF-16).
//! What is replaced:
//! - every finding of every post, whatever the post's risk (a writer who redacts wants nothing
//!   left that looks like an identifier);
//! - with it, any candidate that lost an overlap to it and reaches beyond it (its *shadow*);
//! - findings covered by a recorded patient authorization too, unless `keep_authorized`.
//!
//! Findings let through by a `phiguard:allow` marker or an allow list are left as they are.
//!
//! A placeholder must not change what the file *is*, so it is written the way the place it
//! lands in needs: escaped in a JSON string (`\"`), a YAML or TOML quoted string and HTML
//! (`&amp;`); a JSON number, a TOML date or number becomes a string (`"[PHONE]"`); a plain YAML
//! value whose placeholder holds punctuation (`[` would start a list) is put in double quotes,
//! and so is a CSV cell whose placeholder holds the delimiter or a quote; in HTML the tags inside
//! a finding (`Jane</b> Doe`) are kept. The output is then read again with the same format and
//! must have the same posts and values in the same places, or nothing is written.
//!
//! Word documents and images cannot be redacted in place: their findings are located in the
//! text extracted from them, not in their bytes.

use std::collections::BTreeMap;
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::app::PackSelection;
use crate::category::Category;
use crate::config::Config;
use crate::error::Error;
use crate::extract::{Document, ExtractOptions, Extracted, InputFormat, Segment, extract_with};
use crate::finding::Finding;
use crate::mask::{mask, mask_all};
use crate::report;
use crate::scan::{PostResult, Scanner};
use crate::source::{Input, Origin, io_reason};

/// The suffix of the backup `--write` leaves beside a redacted file.
pub const BACKUP_SUFFIX: &str = ".phiguard-bak";

/// The built-in placeholder styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Style {
    /// `[NAME]`, `[PHONE]`, `[MRN]`: the category's label in brackets.
    #[default]
    Brackets,
    /// The value masked as reports show it (`J*** S****`, `***-**-4321`): it keeps the value's
    /// shape and may reveal a first letter or the last digits, so it is for review, not for
    /// publishing.
    Mask,
    /// `[name]`, `[medical_record_number]`: the category's stable name, as reports print it.
    Category,
}

impl Style {
    /// The template the style stands for.
    pub fn template(self) -> &'static str {
        match self {
            Style::Brackets => "[{CATEGORY}]",
            Style::Mask => "{mask}",
            Style::Category => "[{category}]",
        }
    }
}

/// The short upper-case label of a category in placeholders (`[NAME]`, `[MRN]`).
pub fn label(category: Category) -> &'static str {
    match category {
        Category::Name => "NAME",
        Category::Geographic => "ADDRESS",
        Category::Date => "DATE",
        Category::AgeOver89 => "AGE",
        Category::Phone => "PHONE",
        Category::Fax => "FAX",
        Category::Email => "EMAIL",
        Category::Ssn => "SSN",
        Category::MedicalRecordNumber => "MRN",
        Category::HealthPlanId => "HEALTH-PLAN-ID",
        Category::AccountNumber => "ACCOUNT",
        Category::LicenseNumber => "LICENSE",
        Category::VehicleId => "VEHICLE-ID",
        Category::DeviceId => "DEVICE-ID",
        Category::Url => "URL",
        Category::IpAddress => "IP-ADDRESS",
        Category::Biometric => "BIOMETRIC",
        Category::Photo => "PHOTO",
        Category::OtherId => "ID",
    }
}

/// A placeholder template: text with `{CATEGORY}` (the label: `NAME`), `{category}` (the
/// stable name: `medical_record_number`) and `{mask}` (the masked value); `{{` and `}}` are
/// braces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    pieces: Vec<Piece>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Label,
    Category,
    Mask,
}

impl Placeholder {
    /// A built-in style's placeholder.
    pub fn style(style: Style) -> Placeholder {
        Placeholder::parse(style.template()).expect("built-in templates are valid")
    }

    /// Reads a template; an unknown `{...}`, a lone brace or a control character (a line
    /// break would change the post's lines) is an error.
    pub fn parse(template: &str) -> Result<Placeholder, String> {
        if template.chars().any(char::is_control) {
            return Err(
                "a placeholder cannot hold line breaks, tabs or other control \
                        characters"
                    .into(),
            );
        }
        let mut pieces = Vec::new();
        let mut text = String::new();
        let mut rest = template;
        while let Some(c) = rest.chars().next() {
            if let Some(r) = rest.strip_prefix("{{") {
                text.push('{');
                rest = r;
            } else if let Some(r) = rest.strip_prefix("}}") {
                text.push('}');
                rest = r;
            } else if c == '{' {
                let end = rest.find('}').ok_or_else(|| {
                    "a `{` in the placeholder is not closed (write `{{` for a brace)".to_owned()
                })?;
                let piece = match &rest[1..end] {
                    "CATEGORY" => Piece::Label,
                    "category" => Piece::Category,
                    "mask" => Piece::Mask,
                    other => {
                        return Err(format!(
                            "unknown `{{{other}}}` in the placeholder: use {{CATEGORY}}, \
                             {{category}} or {{mask}}"
                        ));
                    }
                };
                if !text.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut text)));
                }
                pieces.push(piece);
                rest = &rest[end + 1..];
            } else if c == '}' {
                return Err(
                    "a `}` in the placeholder is not opened (write `}}` for a brace)".into(),
                );
            } else {
                text.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
        if !text.is_empty() {
            pieces.push(Piece::Text(text));
        }
        Ok(Placeholder { pieces })
    }

    /// The placeholder of a value found as `category`.
    pub fn render(&self, category: Category, value: &str) -> String {
        let mut out = String::new();
        for p in &self.pieces {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Label => out.push_str(label(category)),
                Piece::Category => out.push_str(category.as_str()),
                Piece::Mask => out.push_str(&mask(value, category)),
            }
        }
        out
    }

    /// Whether the placeholder shows masked values (then text a finding's shadow adds is
    /// masked too, rather than dropped).
    fn masks(&self) -> bool {
        self.pieces.contains(&Piece::Mask)
    }
}

/// What to replace, and with what.
#[derive(Debug, Clone)]
pub struct RedactOptions {
    pub placeholder: Placeholder,
    /// Leave findings covered by a recorded patient authorization as they are.
    pub keep_authorized: bool,
}

impl Default for RedactOptions {
    fn default() -> RedactOptions {
        RedactOptions {
            placeholder: Placeholder::style(Style::Brackets),
            keep_authorized: false,
        }
    }
}

/// A redacted source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redacted {
    /// The source's bytes with the findings replaced, in its encoding.
    pub bytes: Vec<u8>,
    /// How many findings were replaced, per category.
    pub replaced: BTreeMap<Category, usize>,
    /// Findings left as they are because a marker or an allow list allows them.
    pub allowed: usize,
    /// Findings left as they are because an authorization covers them (`keep_authorized`).
    pub authorized: usize,
}

impl Redacted {
    /// How many findings were replaced.
    pub fn total(&self) -> usize {
        self.replaced.values().sum()
    }
}

/// Redacts one source. `Err` says why it cannot be (a Word document or an image, an unreadable
/// container, a placeholder that would change the file's structure).
pub fn redact(
    name: &str,
    bytes: Vec<u8>,
    explicit: bool,
    scanner: &Scanner,
    extract: &ExtractOptions,
    opts: &RedactOptions,
) -> Result<Redacted, String> {
    let format = extract.format.resolve(name, &bytes);
    match format {
        InputFormat::Docx => {
            return Err(
                "a Word document cannot be redacted in place (its findings are in the \
                        text extracted from it): edit it in Word, or redact the text saved from \
                        it"
                .into(),
            );
        }
        InputFormat::Image => {
            return Err(
                "an image cannot be redacted in place (its findings are in its \
                        metadata): remove the metadata with an image editor or a metadata tool"
                    .into(),
            );
        }
        _ => {}
    }
    let (doc, notes) = match extract_with(name, bytes, explicit, extract) {
        Extracted::Document(doc, notes) => (doc, notes),
        Extracted::Skipped(note) => return Err(note.message),
    };
    let posts = scanner.scan_document(&doc);
    let mut replaced = BTreeMap::new();
    let mut allowed = 0;
    let mut authorized = 0;
    let mut edits = Vec::new();
    for (post, result) in doc.posts.iter().zip(&posts) {
        allowed += result.allowed.len();
        let redacted: Vec<&Finding> = result
            .findings
            .iter()
            .filter(|f| !(opts.keep_authorized && f.authorization.is_some()))
            .collect();
        authorized += result.findings.len() - redacted.len();
        for f in &redacted {
            *replaced.entry(f.category()).or_insert(0) += 1;
        }
        let planner = Planner {
            doc: &doc,
            segments: &post.segments,
            format,
            opts,
        };
        edits.extend(planner.edits(&redacted, result)?);
    }
    let out = apply(&doc, edits)?;
    // Read the result again: the same posts, with their values in the same places.
    match extract_with(name, out.clone(), explicit, extract) {
        Extracted::Document(again, again_notes) => {
            same_shape(&doc, &again).map_err(|why| changed(format, &why))?;
            if again_notes.len() > notes.len() {
                let why = again_notes.last().map(|n| n.message.as_str()).unwrap_or("");
                return Err(changed(format, why));
            }
        }
        Extracted::Skipped(note) => return Err(changed(format, &note.message)),
    }
    Ok(Redacted {
        bytes: out,
        replaced,
        allowed,
        authorized,
    })
}

fn changed(format: InputFormat, why: &str) -> String {
    format!(
        "the placeholders would change the structure of this {} file ({why}); nothing was \
         redacted: choose another --placeholder or --style",
        format_name(format)
    )
}

fn format_name(format: InputFormat) -> &'static str {
    match format {
        InputFormat::Auto | InputFormat::Text => "text",
        InputFormat::Markdown => "Markdown",
        InputFormat::Csv => "CSV",
        InputFormat::Tsv => "TSV",
        InputFormat::Srt => "SubRip",
        InputFormat::Vtt => "WebVTT",
        InputFormat::Json => "JSON",
        InputFormat::Jsonl => "JSON Lines",
        InputFormat::Docx => "Word",
        InputFormat::Html => "HTML",
        InputFormat::Yaml => "YAML",
        InputFormat::Image => "image",
    }
}

/// Checks that a redacted document has the original's posts, each with values only where the
/// original had them (a value may go: a placeholder can make it a schedule stamp or empty).
/// `Err` says what changed.
fn same_shape(before: &Document, after: &Document) -> Result<(), String> {
    if before.posts.len() != after.posts.len() {
        return Err(format!(
            "{} posts instead of {}",
            after.posts.len(),
            before.posts.len()
        ));
    }
    for (a, b) in before.posts.iter().zip(&after.posts) {
        if a.locator != b.locator {
            return Err(format!(
                "a post at {}",
                b.locator.as_deref().unwrap_or("the start")
            ));
        }
        let known: Vec<Option<&str>> = a.segments.iter().map(|s| s.locator.as_deref()).collect();
        if let Some(stray) = b
            .segments
            .iter()
            .find(|s| !known.contains(&s.locator.as_deref()))
        {
            return Err(format!(
                "a value at {}",
                stray.locator.as_deref().unwrap_or("the text")
            ));
        }
    }
    Ok(())
}

/// One replacement, in the document's decoded text.
#[derive(Debug)]
struct Edit {
    range: Range<usize>,
    text: String,
}

/// How text must be written where a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Syntax {
    /// As it is: plain text, Markdown, YAML block scalars.
    Raw,
    /// A caption cue: as it is, but never a cue timing arrow; in WebVTT `&` and `<` as
    /// references.
    Caption {
        vtt: bool,
    },
    /// HTML text or attribute value: `&`, `<`, `>`, `"`, `'` as references.
    Html,
    /// Inside a JSON string.
    JsonString,
    /// A JSON number: becomes a string.
    JsonBare,
    /// A plain YAML scalar: double-quoted when a placeholder holds punctuation.
    YamlPlain,
    YamlDouble,
    YamlSingle,
    /// A TOML basic string (`"..."`, `"""..."""`).
    TomlBasic,
    /// A TOML literal string (`'...'`): cannot hold `'`.
    TomlLiteral,
    /// A TOML number or date: becomes a string.
    TomlBare,
    CsvQuoted,
    /// An unquoted cell: quoted when a placeholder holds the delimiter, a quote or a line break.
    CsvBare(char),
}

impl Syntax {
    /// The syntax a bare value takes when it must be quoted, with its quote character.
    fn quoted(self) -> Option<(Syntax, &'static str)> {
        match self {
            Syntax::JsonBare => Some((Syntax::JsonString, "\"")),
            Syntax::YamlPlain => Some((Syntax::YamlDouble, "\"")),
            Syntax::TomlBare => Some((Syntax::TomlBasic, "\"")),
            Syntax::CsvBare(_) => Some((Syntax::CsvQuoted, "\"")),
            _ => None,
        }
    }

    /// Whether a bare value holding `replacement` must be quoted.
    fn must_quote(self, replacement: &str) -> bool {
        match self {
            Syntax::JsonBare | Syntax::TomlBare => true,
            Syntax::YamlPlain => replacement
                .chars()
                .any(|c| !(c.is_alphanumeric() || " _.()/+".contains(c))),
            Syntax::CsvBare(d) => replacement.contains([d, '"', '\r', '\n']),
            _ => false,
        }
    }

    /// `text` written in this syntax.
    fn escape(self, text: &str) -> Result<String, String> {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match (self, c) {
                (Syntax::Html, '&') => out.push_str("&amp;"),
                (Syntax::Html, '<') => out.push_str("&lt;"),
                (Syntax::Html, '>') => out.push_str("&gt;"),
                (Syntax::Html, '"') => out.push_str("&quot;"),
                (Syntax::Html, '\'') => out.push_str("&#39;"),
                (Syntax::JsonString | Syntax::YamlDouble | Syntax::TomlBasic, '"' | '\\') => {
                    out.push('\\');
                    out.push(c);
                }
                (Syntax::JsonString, c) if c.is_control() => {
                    out.push_str(&format!("\\u{:04x}", u32::from(c)));
                }
                (Syntax::YamlSingle, '\'') => out.push_str("''"),
                (Syntax::CsvQuoted, '"') => out.push_str("\"\""),
                (Syntax::Caption { vtt: true }, '&') => out.push_str("&amp;"),
                (Syntax::Caption { vtt: true }, '<') => out.push_str("&lt;"),
                (Syntax::TomlLiteral, '\'') => {
                    return Err(
                        "a TOML literal string ('...') cannot hold a ' : choose another \
                                --placeholder"
                            .into(),
                    );
                }
                _ => out.push(c),
            }
        }
        if matches!(self, Syntax::Caption { .. }) && out.contains("-->") {
            return Err(
                "a caption cannot hold --> (it starts a cue): choose another \
                        --placeholder"
                    .into(),
            );
        }
        Ok(out)
    }
}

/// A run of text to replace: findings joined by the shadows that overlap them.
#[derive(Debug)]
struct Component<'a> {
    range: Range<usize>,
    findings: Vec<&'a Finding>,
}

/// Plans the edits of one post.
struct Planner<'a> {
    doc: &'a Document,
    segments: &'a [Segment],
    format: InputFormat,
    opts: &'a RedactOptions,
}

impl Planner<'_> {
    fn edits(&self, redacted: &[&Finding], post: &PostResult) -> Result<Vec<Edit>, String> {
        let components = components(redacted, &post.shadows);
        // Components by the segment they are in (quoting a bare value rewrites all of it).
        let mut by_segment: BTreeMap<usize, Vec<(Component, String, String)>> = BTreeMap::new();
        let mut edits = Vec::new();
        for c in components {
            let seg = self.segment_of(c.findings[0]);
            let syntax = self.syntax(seg.clone());
            let (text, tags) = self.replacement(&c);
            match (syntax.quoted(), seg) {
                (Some(_), Some((i, _))) => by_segment.entry(i).or_default().push((c, text, tags)),
                _ => edits.push(Edit {
                    range: c.range,
                    text: syntax.escape(&text)? + &tags,
                }),
            }
        }
        for (i, comps) in by_segment {
            let extent = self.extent(&self.segments[i]);
            let syntax = self.syntax(Some((i, extent.clone())));
            let Some((inner, quote)) = syntax.quoted() else {
                unreachable!("only bare values are grouped")
            };
            if comps.iter().any(|(_, t, _)| syntax.must_quote(t)) {
                // The whole value, quoted, with its placeholders.
                let mut text = String::from(quote);
                let mut at = extent.start;
                for (c, t, tags) in &comps {
                    text.push_str(&inner.escape(&self.doc.text[at..c.range.start])?);
                    text.push_str(&inner.escape(t)?);
                    text.push_str(tags);
                    at = c.range.end;
                }
                text.push_str(&inner.escape(&self.doc.text[at..extent.end])?);
                text.push_str(quote);
                edits.push(Edit {
                    range: extent,
                    text,
                });
            } else {
                for (c, t, tags) in comps {
                    edits.push(Edit {
                        range: c.range,
                        text: t + &tags,
                    });
                }
            }
        }
        Ok(edits)
    }

    /// A segment's range in the document's text.
    fn extent(&self, seg: &Segment) -> Range<usize> {
        let r = seg.map.range_to_source(0..seg.text.len());
        self.doc.map.to_text(r.start)..self.doc.map.to_text(r.end)
    }

    /// The segment a finding was found in, with its range in the document's text.
    fn segment_of(&self, f: &Finding) -> Option<(usize, Range<usize>)> {
        self.segments.iter().enumerate().find_map(|(i, s)| {
            let extent = self.extent(s);
            (s.locator == f.locator
                && extent.start <= f.text_span.start
                && f.text_span.end <= extent.end
                && self.decoded_in(s, &f.span).is_some())
            .then_some((i, extent))
        })
    }

    /// The text of a source byte range as the segment decoded it (escapes and references
    /// read), when the range is one of the segment's.
    fn decoded_in(&self, seg: &Segment, span: &Range<usize>) -> Option<String> {
        let t0 = seg.map.to_text(span.start);
        let t1 = seg.map.to_text(span.end);
        (t0 <= t1 && seg.map.range_to_source(t0..t1) == *span)
            .then(|| seg.text.get(t0..t1).map(str::to_owned))
            .flatten()
    }

    /// The text of a range of the document's text as its segment decoded it (or as written).
    fn decoded(&self, f: Option<&Finding>, range: Range<usize>) -> String {
        let span = self.doc.map.range_to_source(range.clone());
        f.and_then(|f| self.segment_of(f))
            .and_then(|(i, _)| self.decoded_in(&self.segments[i], &span))
            .unwrap_or_else(|| self.doc.text[range].to_owned())
    }

    /// How text is written where a segment is.
    fn syntax(&self, seg: Option<(usize, Range<usize>)>) -> Syntax {
        let text = &self.doc.text;
        let Some((i, extent)) = seg else {
            return match self.format {
                InputFormat::Html => Syntax::Html,
                InputFormat::Srt => Syntax::Caption { vtt: false },
                InputFormat::Vtt => Syntax::Caption { vtt: true },
                _ => Syntax::Raw,
            };
        };
        let locator = self.segments[i].locator.as_deref();
        let before = text[..extent.start].chars().next_back();
        match self.format {
            InputFormat::Html => Syntax::Html,
            InputFormat::Srt => Syntax::Caption { vtt: false },
            InputFormat::Vtt => Syntax::Caption { vtt: true },
            InputFormat::Json | InputFormat::Jsonl if locator.is_some() => match before {
                Some('"') => Syntax::JsonString,
                _ => Syntax::JsonBare,
            },
            InputFormat::Yaml if locator.is_some() => yaml_syntax(text, extent.start),
            InputFormat::Markdown if locator.is_some_and(|l| l.starts_with("front matter /")) => {
                if text.starts_with("+++") {
                    // A multi-line string's value starts after the newline that follows its
                    // `"""` or `'''`: look behind that newline for the quotes.
                    let head = &text[..extent.start];
                    let opened = head
                        .strip_suffix('\n')
                        .map(|h| h.strip_suffix('\r').unwrap_or(h))
                        .filter(|h| h.ends_with("\"\"\"") || h.ends_with("'''"))
                        .and_then(|h| h.chars().next_back());
                    match opened.or(before) {
                        Some('"') => Syntax::TomlBasic,
                        Some('\'') => Syntax::TomlLiteral,
                        _ => Syntax::TomlBare,
                    }
                } else {
                    yaml_syntax(text, extent.start)
                }
            }
            InputFormat::Csv | InputFormat::Tsv => match before {
                Some('"') => Syntax::CsvQuoted,
                _ => Syntax::CsvBare(if self.format == InputFormat::Csv {
                    ','
                } else {
                    '\t'
                }),
            },
            _ => Syntax::Raw,
        }
    }

    /// A component's placeholder text (not yet escaped), and in HTML the tags inside it, kept
    /// as they are so the page's structure stays.
    fn replacement(&self, c: &Component) -> (String, String) {
        let p = &self.opts.placeholder;
        let mut text = String::new();
        let mut at = c.range.start;
        for f in &c.findings {
            if p.masks() && at < f.text_span.start {
                text.push_str(&mask_all(&self.decoded(None, at..f.text_span.start)));
            }
            let value = self.decoded(Some(f), f.text_span.clone());
            text.push_str(&p.render(f.category(), &value));
            at = f.text_span.end;
        }
        if p.masks() && at < c.range.end {
            text.push_str(&mask_all(&self.decoded(None, at..c.range.end)));
        }
        let mut tags = String::new();
        if self.format == InputFormat::Html {
            let mut rest = &self.doc.text[c.range.clone()];
            while let Some(open) = rest.find('<') {
                let tail = &rest[open..];
                let Some(len) = markup_len(tail) else {
                    break;
                };
                tags.push_str(&tail[..len]);
                rest = &tail[len..];
            }
        }
        (text, tags)
    }
}

/// The length of the tag or comment `s` starts with: a comment runs to `-->`, a tag to the
/// first `>` outside a quoted attribute value (`<span title="x>y">`); `None` when it does not end.
fn markup_len(s: &str) -> Option<usize> {
    if s.starts_with("<!--") {
        return s.find("-->").map(|e| e + 3);
    }
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices().skip(1) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '>' => return Some(i + 1),
            None => {}
        }
    }
    None
}

/// The findings to replace, joined by the shadows that overlap them into runs. A shadow that
/// overlaps no finding to replace (it lost to an allowed one) is left alone.
fn components<'a>(findings: &[&'a Finding], shadows: &[Range<usize>]) -> Vec<Component<'a>> {
    let overlaps = |a: &Range<usize>, b: &Range<usize>| a.start < b.end && b.start < a.end;
    let mut spans: Vec<(Range<usize>, Option<&'a Finding>)> = findings
        .iter()
        .map(|f| (f.text_span.clone(), Some(*f)))
        .collect();
    for s in shadows {
        if findings.iter().any(|f| overlaps(s, &f.text_span)) {
            spans.push((s.clone(), None));
        }
    }
    spans.sort_by_key(|(r, f)| (r.start, f.is_none(), r.end));
    let mut out: Vec<Component> = Vec::new();
    for (r, f) in spans {
        match out.last_mut() {
            Some(c) if r.start < c.range.end => {
                c.range.end = c.range.end.max(r.end);
                c.findings.extend(f);
            }
            _ => out.push(Component {
                range: r,
                findings: f.into_iter().collect(),
            }),
        }
    }
    // A run that starts with a shadow got its finding later; every run holds one.
    out.retain(|c| !c.findings.is_empty());
    for c in &mut out {
        c.findings.sort_by_key(|f| f.text_span.start);
    }
    out
}

/// How a YAML scalar starting at `start` is written: quoted by the character before it, a
/// block scalar when it starts a line under a `|` or `>` header, else plain.
fn yaml_syntax(text: &str, start: usize) -> Syntax {
    let before = &text[..start];
    match before.chars().next_back() {
        Some('"') => return Syntax::YamlDouble,
        Some('\'') => return Syntax::YamlSingle,
        _ => {}
    }
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    if !before[line_start..].trim().is_empty() {
        return Syntax::YamlPlain;
    }
    let header = before[..line_start]
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let header = match header.find(" #") {
        Some(i) => &header[..i],
        None => header,
    };
    let block = header.split_whitespace().last().is_some_and(|t| {
        t.starts_with(['|', '>'])
            && t[1..]
                .chars()
                .all(|c| c.is_ascii_digit() || c == '+' || c == '-')
    });
    if block {
        Syntax::Raw
    } else {
        Syntax::YamlPlain
    }
}

/// The document's bytes with the edits made, each replacement written in the source's encoding.
fn apply(doc: &Document, mut edits: Vec<Edit>) -> Result<Vec<u8>, String> {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    if edits.windows(2).any(|w| w[0].range.end > w[1].range.start) {
        return Err("internal error: overlapping replacements (please report it)".into());
    }
    let utf16 = match doc.bytes.get(..2) {
        Some([0xFF, 0xFE]) => Some(true),
        Some([0xFE, 0xFF]) => Some(false),
        _ => None,
    };
    let mut out = Vec::with_capacity(doc.bytes.len());
    let mut at = 0;
    for e in edits {
        let span = doc.map.range_to_source(e.range);
        out.extend_from_slice(&doc.bytes[at..span.start]);
        match utf16 {
            None => out.extend_from_slice(e.text.as_bytes()),
            Some(little) => {
                for u in e.text.encode_utf16() {
                    out.extend_from_slice(&if little {
                        u.to_le_bytes()
                    } else {
                        u.to_be_bytes()
                    });
                }
            }
        }
        at = span.end;
    }
    out.extend_from_slice(&doc.bytes[at..]);
    Ok(out)
}

/// Settings of `phiguard redact`.
#[derive(Debug, Clone)]
pub struct RedactSettings {
    /// Files, or `-` for stdin.
    pub files: Vec<PathBuf>,
    pub options: RedactOptions,
    /// Replace the files in place (after a backup) instead of printing.
    pub write: bool,
    /// The backup's suffix (`FILE` + suffix).
    pub backup_suffix: String,
    pub packs: PackSelection,
    pub config: Option<PathBuf>,
    pub input_format: InputFormat,
    pub max_file_size: Option<u64>,
}

/// `phiguard redact`: prints the redacted file, or with `write` replaces each file after
/// writing its backup. Returns 0 when every file was redacted (or had nothing to redact), 2
/// when one could not be.
pub fn run(
    settings: &RedactSettings,
    out: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<u8, Error> {
    let stdin = settings.files.iter().any(|f| f.as_os_str() == "-");
    if settings.write && stdin {
        return Err(Error::Usage(
            "--write replaces files in place: stdin (-) is not a file (leave out --write to \
             print the redacted text)"
                .into(),
        ));
    }
    if !settings.write && settings.files.len() > 1 {
        return Err(Error::Usage(
            "redact prints one file: name one, or pass --write to redact several in place".into(),
        ));
    }
    if settings.write && settings.backup_suffix.is_empty() {
        return Err(Error::Usage(
            "--backup-suffix cannot be empty: the backup would be the file itself".into(),
        ));
    }
    let config =
        Config::discover(settings.config.as_deref(), Path::new(".")).map_err(Error::Config)?;
    let (engine, warnings) = config.engine(&settings.packs)?;
    for w in &warnings {
        let _ = writeln!(stderr, "phiguard: {w}");
    }
    let scanner = Scanner {
        engine: &engine,
        model: &config.risk,
    };
    let extract = ExtractOptions {
        format: settings.input_format,
        columns: config.columns.clone(),
        max_file_size: settings.max_file_size.or(config.max_file_size),
    };
    let limit = extract
        .max_file_size
        .unwrap_or(crate::source::MAX_INPUT_SIZE);
    let mut code = 0;
    for file in &settings.files {
        let name = file.display().to_string();
        let shown = report::sanitize(&name);
        let result = read(file, limit)
            .and_then(|bytes| {
                redact(
                    &name,
                    bytes.clone(),
                    true,
                    &scanner,
                    &extract,
                    &settings.options,
                )
                .map(|r| (bytes, r))
            })
            .and_then(|(original, r)| {
                if settings.write && r.total() > 0 {
                    write_in_place(file, &original, &r.bytes, &settings.backup_suffix)
                        .map(|backup| (r, Some(backup)))
                } else {
                    Ok((r, None))
                }
            });
        let (r, backup) = match result {
            Ok(done) => done,
            Err(message) => {
                let _ = writeln!(stderr, "phiguard: error: {shown}: {message}");
                code = 2;
                continue;
            }
        };
        if !settings.write {
            match out.write_all(&r.bytes).and_then(|()| out.flush()) {
                // A reader that stopped early (`| head`) is not an error.
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => return Err(e.into()),
                _ => {}
            }
        }
        let _ = writeln!(
            stderr,
            "phiguard: {shown}: {}",
            summary(&r, backup.as_deref())
        );
    }
    Ok(code)
}

/// One line about what was done to a file: counts and categories only, never values.
fn summary(r: &Redacted, backup: Option<&Path>) -> String {
    let plural = |n: usize, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    let mut line = if r.total() == 0 {
        "nothing to redact".to_owned()
    } else {
        let kinds: Vec<String> = r
            .replaced
            .iter()
            .map(|(c, n)| format!("{n} {}", c.as_str()))
            .collect();
        format!(
            "replaced {} ({})",
            plural(r.total(), "finding"),
            kinds.join(", ")
        )
    };
    if r.allowed > 0 {
        line.push_str(&format!(
            "; left {} as {} (allowed)",
            plural(r.allowed, "finding"),
            if r.allowed == 1 { "it is" } else { "they are" }
        ));
    }
    if r.authorized > 0 {
        line.push_str(&format!(
            "; kept {} covered by an authorization",
            plural(r.authorized, "finding")
        ));
    }
    if let Some(b) = backup {
        line.push_str(&format!(
            "; written in place, original in {}",
            report::sanitize(&b.display().to_string())
        ));
    }
    line
}

/// Reads a file (or stdin) to redact.
fn read(file: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let input = if file.as_os_str() == "-" {
        Input {
            name: "-".into(),
            origin: Origin::Stdin,
            explicit: true,
        }
    } else {
        if file.is_dir() {
            return Err("is a folder: redact takes files".into());
        }
        Input {
            name: file.display().to_string(),
            origin: Origin::File(file.to_owned()),
            explicit: true,
        }
    };
    input
        .read_limited(limit)
        .map_err(|e| format!("cannot read: {}", io_reason(&e)))
}

/// Writes the backup (never over an existing one), then replaces the file atomically. Returns
/// the backup's path.
fn write_in_place(
    file: &Path,
    original: &[u8],
    redacted: &[u8],
    suffix: &str,
) -> Result<PathBuf, String> {
    let mut backup = file.as_os_str().to_owned();
    backup.push(suffix);
    let backup = PathBuf::from(backup);
    let created = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&backup);
    let mut handle = match created {
        Ok(h) => h,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(format!(
                "{} already exists (from an earlier redaction?): move it away, or choose \
                 another --backup-suffix; the file was not changed",
                backup.display()
            ));
        }
        Err(e) => {
            return Err(format!(
                "cannot write the backup {}: {}; the file was not changed",
                backup.display(),
                io_reason(&e)
            ));
        }
    };
    handle
        .write_all(original)
        .and_then(|()| handle.sync_all())
        .map_err(|e| {
            format!(
                "cannot write the backup {}: {}; the file was not changed",
                backup.display(),
                io_reason(&e)
            )
        })?;
    if let Ok(meta) = std::fs::metadata(file) {
        let _ = std::fs::set_permissions(&backup, meta.permissions());
    }
    crate::baseline::write_atomically(file, redacted).map_err(|e| {
        format!(
            "cannot replace it: {}; it was not changed (its backup is {})",
            io_reason(&e),
            backup.display()
        )
    })?;
    Ok(backup)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_parse_and_render() {
        let p = Placeholder::parse("<{CATEGORY}|{category}|{mask}> {{x}}").unwrap();
        assert_eq!(
            p.render(Category::MedicalRecordNumber, "00482913"),
            "<MRN|medical_record_number|******13> {x}"
        );
        assert_eq!(
            Placeholder::style(Style::Brackets).render(Category::Name, "Jane Doe"),
            "[NAME]"
        );
        assert_eq!(
            Placeholder::style(Style::Mask).render(Category::Name, "Jane Doe"),
            "J*** D**"
        );
        assert_eq!(
            Placeholder::style(Style::Category).render(Category::AgeOver89, "93"),
            "[age_over_89]"
        );
        assert_eq!(
            Placeholder::parse("").unwrap().render(Category::Ssn, "x"),
            ""
        );
        for bad in ["{name}", "{CATEGORY", "}", "a\nb", "\t"] {
            assert!(Placeholder::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn every_category_has_a_distinct_label() {
        let mut labels: Vec<&str> = Category::ALL.iter().map(|&c| label(c)).collect();
        labels.sort_unstable();
        labels.dedup();
        assert_eq!(labels.len(), Category::ALL.len());
    }

    #[test]
    fn yaml_scalars_are_told_apart() {
        let text = "a: Jane\nb: \"Jane\"\nc: 'Jane'\nd: |  # note\n  Jane\ne:\n  Jane\n- Jane\n";
        let at = |needle: &str| text.find(needle).unwrap() + needle.len();
        assert_eq!(yaml_syntax(text, at("a: ")), Syntax::YamlPlain);
        assert_eq!(yaml_syntax(text, at("b: \"")), Syntax::YamlDouble);
        assert_eq!(yaml_syntax(text, at("c: '")), Syntax::YamlSingle);
        assert_eq!(yaml_syntax(text, at("note\n  ")), Syntax::Raw);
        assert_eq!(yaml_syntax(text, at("e:\n  ")), Syntax::YamlPlain);
        assert_eq!(yaml_syntax(text, at("- ")), Syntax::YamlPlain);
    }

    #[test]
    fn a_changed_structure_is_caught() {
        let doc = |text: &str| match extract_with(
            "a.yaml",
            text.as_bytes().to_vec(),
            true,
            &ExtractOptions::default(),
        ) {
            Extracted::Document(d, _) => d,
            Extracted::Skipped(n) => panic!("{n:?}"),
        };
        let before = doc("- message: Jane Doe\n  alt: x\n");
        assert_eq!(
            same_shape(&before, &doc("- message: '[NAME]'\n  alt: x\n")),
            Ok(())
        );
        // A value may go (an empty placeholder), but none may appear elsewhere.
        assert_eq!(same_shape(&before, &doc("- message:\n  alt: x\n")), Ok(()));
        assert_eq!(
            same_shape(&before, &doc("- message: [NAME]\n  alt: x\n")),
            Err("a value at /0/message/0".to_owned())
        );
        assert_eq!(
            same_shape(&before, &doc("- message: a\n- alt: x\n")),
            Err("2 posts instead of 1".to_owned())
        );
    }

    #[test]
    fn syntaxes_escape_what_they_must() {
        assert_eq!(
            Syntax::Html.escape("<a&b>\"'").unwrap(),
            "&lt;a&amp;b&gt;&quot;&#39;"
        );
        assert_eq!(Syntax::JsonString.escape("a\"b\\c").unwrap(), "a\\\"b\\\\c");
        assert_eq!(Syntax::YamlSingle.escape("O'Neil").unwrap(), "O''Neil");
        assert_eq!(Syntax::CsvQuoted.escape("a\"b").unwrap(), "a\"\"b");
        assert_eq!(Syntax::Raw.escape("[NAME]").unwrap(), "[NAME]");
        assert!(Syntax::TomlLiteral.escape("it's").is_err());
        assert!(Syntax::YamlPlain.must_quote("[NAME]"));
        assert!(!Syntax::YamlPlain.must_quote("NAME 1"));
        assert!(Syntax::YamlPlain.must_quote("- NAME"));
        assert!(Syntax::Caption { vtt: false }.escape("a --> b").is_err());
        assert_eq!(
            Syntax::Caption { vtt: true }.escape("<b>&").unwrap(),
            "&lt;b>&amp;"
        );
        assert!(Syntax::CsvBare(',').must_quote("a,b"));
        assert!(!Syntax::CsvBare('\t').must_quote("a,b"));
    }
}
