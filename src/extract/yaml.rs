//! YAML, as scheduling tools and CMSs keep posts (and as Markdown front matter is written):
//! every scalar value is a segment located by a JSON-pointer-like path (`/posts/3/message`);
//! keys are not scanned. A top-level sequence of mappings is a list of posts (`/3`); a stream of
//! several documents (`---`) is a post per document (`document 2`); anything else is one post.
//!
//! `saphyr-parser` parses (YAML 1.2) and gives each scalar's span and style; the value it
//! decoded is aligned here with the scalar's bytes, so every character maps to its exact bytes:
//! plain and quoted scalars folded over lines, `''` in single quotes, escapes in double quotes,
//! and literal (`|`) and folded (`>`) blocks with their indentation stripped. An alias is not
//! scanned again (its anchor's scalar was, where it is written), so alias bombs cost nothing.

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span};

use super::mapped::{MappedText, Unit};
use super::{Post, Segment};
use crate::text::OffsetMap;

/// Deepest nesting of collections read; deeper documents are refused (hostile input).
pub const MAX_DEPTH: usize = 256;

/// The posts of a YAML stream, or why it is not YAML (with the line).
pub fn posts(text: &str, text_map: &OffsetMap) -> Result<Vec<Post>, String> {
    let mut docs = documents(text, text_map)?;
    Ok(match docs.len() {
        0 => Vec::new(),
        1 => {
            let doc = docs.remove(0);
            match doc.items {
                Some(items) => {
                    let mut posts: Vec<Post> = (0..items)
                        .map(|i| Post {
                            locator: Some(format!("/{i}")),
                            segments: Vec::new(),
                        })
                        .collect();
                    for (item, segment) in doc.scalars {
                        if let Some(post) = item.and_then(|i| posts.get_mut(i)) {
                            post.segments.push(segment);
                        }
                    }
                    posts
                }
                None => vec![Post {
                    locator: None,
                    segments: doc.scalars.into_iter().map(|(_, s)| s).collect(),
                }],
            }
        }
        _ => docs
            .into_iter()
            .enumerate()
            .map(|(n, doc)| Post {
                locator: Some(format!("document {}", n + 1)),
                segments: doc.scalars.into_iter().map(|(_, s)| s).collect(),
            })
            .collect(),
    })
}

/// Every scalar value of the YAML in `text` (all its documents) as a segment located by its
/// path (`/author/name`), in document order; `Err` with the reason and line when it is not YAML.
pub fn scalars(text: &str, text_map: &OffsetMap) -> Result<Vec<Segment>, String> {
    Ok(documents(text, text_map)?
        .into_iter()
        .flat_map(|d| d.scalars.into_iter().map(|(_, s)| s))
        .collect())
}

/// One document's scalars, each with the top-level item it is under.
#[derive(Debug, Default)]
struct Doc {
    scalars: Vec<(Option<usize>, Segment)>,
    /// How many items the root holds when it is a non-empty sequence of mappings.
    items: Option<usize>,
}

/// A collection being read.
#[derive(Debug)]
struct Frame {
    pointer: String,
    /// The top-level item this collection is (in), when the root is a sequence.
    item: Option<usize>,
    /// Inside a complex key: nothing here is scanned.
    skipped: bool,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    /// The next item's index.
    Sequence(usize),
    /// The key whose value comes next, if a key was read.
    Mapping(Option<String>),
}

/// Where the next node goes.
enum Slot {
    Key,
    Value {
        pointer: String,
        item: Option<usize>,
    },
    Skipped,
}

/// The documents of a stream, read event by event (no recursion, so deep nesting is bounded by
/// [`MAX_DEPTH`] and not by the stack).
fn documents(text: &str, text_map: &OffsetMap) -> Result<Vec<Doc>, String> {
    let mut chars = CharOffsets::new(text);
    let mut docs = Vec::new();
    let mut doc = Doc::default();
    let mut stack: Vec<Frame> = Vec::new();
    // Whether the root is a sequence whose items are all mappings (so far).
    let mut list: Option<bool> = None;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| reason(&e))?;
        let root_item = stack.len() == 1 && matches!(stack[0].kind, Kind::Sequence(_));
        match event {
            Event::DocumentStart(_) => {
                doc = Doc::default();
                stack.clear();
                list = None;
            }
            Event::DocumentEnd => docs.push(std::mem::take(&mut doc)),
            Event::Scalar(value, style, _, _) => {
                if root_item {
                    list = Some(false);
                }
                match slot(&mut stack) {
                    Slot::Key => set_key(&mut stack, value.into_owned()),
                    Slot::Value { pointer, item } => {
                        if let Some(segment) =
                            scalar(text, &mut chars, &value, style, span, pointer, text_map)
                        {
                            doc.scalars.push((item, segment));
                        }
                    }
                    Slot::Skipped => {}
                }
            }
            Event::Alias(_) => {
                if root_item {
                    list = Some(false);
                }
                if let Slot::Key = slot(&mut stack) {
                    set_key(&mut stack, "*".to_owned());
                }
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(format!(
                        "nested deeper than {MAX_DEPTH} levels at line {}",
                        span.start.line()
                    ));
                }
                let mapping = matches!(event, Event::MappingStart(..));
                if root_item && !mapping {
                    list = Some(false);
                }
                let kind = if mapping {
                    Kind::Mapping(None)
                } else {
                    Kind::Sequence(0)
                };
                let frame = match slot(&mut stack) {
                    Slot::Key => {
                        // A collection as a key (`? [a, b]`): keys are not scanned.
                        set_key(&mut stack, "?".to_owned());
                        Frame {
                            pointer: String::new(),
                            item: None,
                            skipped: true,
                            kind,
                        }
                    }
                    Slot::Value { pointer, item } => Frame {
                        pointer,
                        item,
                        skipped: false,
                        kind,
                    },
                    Slot::Skipped => Frame {
                        pointer: String::new(),
                        item: None,
                        skipped: true,
                        kind,
                    },
                };
                if stack.is_empty() && !mapping {
                    list = Some(true);
                }
                stack.push(frame);
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(frame) = stack.pop()
                    && stack.is_empty()
                    && let Kind::Sequence(n) = frame.kind
                    && list == Some(true)
                    && n > 0
                {
                    doc.items = Some(n);
                }
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
        }
    }
    Ok(docs)
}

/// The parser's complaint, with its line and column.
fn reason(e: &ScanError) -> String {
    format!(
        "{} at line {}, column {}",
        e.info(),
        e.marker().line(),
        e.marker().col() + 1
    )
}

/// Where the next node of the collection on top of `stack` goes, advancing it.
fn slot(stack: &mut [Frame]) -> Slot {
    let root = stack.len() == 1;
    let Some(top) = stack.last_mut() else {
        return Slot::Value {
            pointer: String::new(),
            item: None,
        };
    };
    if top.skipped {
        return Slot::Skipped;
    }
    match &mut top.kind {
        Kind::Sequence(next) => {
            let i = *next;
            *next += 1;
            Slot::Value {
                pointer: format!("{}/{i}", top.pointer),
                item: if root { Some(i) } else { top.item },
            }
        }
        Kind::Mapping(key) => match key.take() {
            None => Slot::Key,
            Some(key) => Slot::Value {
                pointer: format!("{}/{}", top.pointer, token(&key)),
                item: top.item,
            },
        },
    }
}

fn set_key(stack: &mut [Frame], key: String) {
    if let Some(Frame {
        kind: Kind::Mapping(k),
        ..
    }) = stack.last_mut()
    {
        *k = Some(key);
    }
}

/// A JSON pointer token: `~` and `/` escaped.
fn token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// A scalar value as a segment (none when blank).
fn scalar(
    text: &str,
    chars: &mut CharOffsets,
    value: &str,
    style: ScalarStyle,
    span: Span,
    pointer: String,
    text_map: &OffsetMap,
) -> Option<Segment> {
    if value.trim().is_empty() {
        return None;
    }
    let start = chars.byte(span.start.index());
    let end = chars.byte(span.end.index()).max(start);
    let raw = text.get(start..end)?;
    let mut out = MappedText::new();
    let (text, map) = match align(raw, value, style) {
        Some((units, len)) => {
            out.push_units(&value[..len], raw, start, &units);
            out.finish()
        }
        None => None,
    }
    // Not expected: the scalar is then scanned as it is written.
    .unwrap_or_else(|| (raw.to_owned(), OffsetMap::identity(start)));
    Some(Segment {
        text,
        map: map.then(text_map),
        locator: Some(if pointer.is_empty() {
            "/".to_owned()
        } else {
            pointer
        }),
    })
}

/// Converts the parser's character indexes to byte offsets, walking forward (scalars come in
/// order, so the whole document is walked about once).
struct CharOffsets<'a> {
    text: &'a str,
    char_at: usize,
    byte_at: usize,
}

impl<'a> CharOffsets<'a> {
    fn new(text: &'a str) -> CharOffsets<'a> {
        CharOffsets {
            text,
            char_at: 0,
            byte_at: 0,
        }
    }

    fn byte(&mut self, index: usize) -> usize {
        if index < self.char_at {
            (self.char_at, self.byte_at) = (0, 0);
        }
        let rest = &self.text[self.byte_at..];
        match rest.char_indices().nth(index - self.char_at) {
            Some((b, _)) => {
                self.byte_at += b;
                self.char_at = index;
            }
            None => {
                self.char_at += rest.chars().count();
                self.byte_at = self.text.len();
            }
        }
        self.byte_at
    }
}

/// Aligns a scalar's decoded `value` with its `raw` text: units for each stretch, and how much
/// of `value` they cover (a block scalar's last line ends are not in its span and are left
/// out). Every character of the value is matched in order: the same character, an escape or
/// `''` standing for it, or a line end folded into a space; the raw text's other characters
/// (anchor and tag, quotes, indentation, folded whitespace, escaped line ends) stand for
/// nothing. `None` when they do not add up.
fn align(raw: &str, value: &str, style: ScalarStyle) -> Option<(Vec<Unit>, usize)> {
    let mut units: Vec<Unit> = Vec::new();
    let mut push = |text: std::ops::Range<usize>, src: std::ops::Range<usize>, verbatim: bool| {
        if verbatim
            && let Some(last) = units.last_mut()
            && last.text.end == text.start
            && last.src.end == src.start
            && last.text.len() == last.src.len()
        {
            last.text.end = text.end;
            last.src.end = src.end;
            return;
        }
        units.push(Unit { text, src });
    };
    let mut i = properties_end(raw);
    let mut j = 0;
    let quoted_double = style == ScalarStyle::DoubleQuoted;
    let quoted_single = style == ScalarStyle::SingleQuoted;
    while let Some(d) = value[j..].chars().next() {
        let Some(c) = raw[i..].chars().next() else {
            // Line ends a block scalar keeps after its last line.
            return value[j..].chars().all(|v| v == '\n').then_some((units, j));
        };
        let dl = d.len_utf8();
        if quoted_double && c == '\\' {
            let (escaped, len) = escape(&raw[i..])?;
            match escaped {
                // An escaped line end: it and the next line's indentation stand for nothing.
                None => i += len,
                Some(e) if e == d => {
                    push(j..j + dl, i..i + len, false);
                    (i, j) = (i + len, j + dl);
                }
                Some(_) => return None,
            }
        } else if quoted_single && c == '\'' {
            if d == '\'' && raw[i + 1..].starts_with('\'') {
                push(j..j + dl, i..i + 2, false);
                (i, j) = (i + 2, j + dl);
            } else {
                i += 1;
            }
        } else if quoted_double && c == '"' {
            i += 1;
        } else if c == d {
            push(j..j + dl, i..i + dl, true);
            (i, j) = (i + dl, j + dl);
        } else if d == ' ' && matches!(c, '\n' | '\r') {
            // A line end folded into a space.
            let len = if raw[i..].starts_with("\r\n") { 2 } else { 1 };
            push(j..j + dl, i..i + len, false);
            (i, j) = (i + len, j + dl);
        } else if d == '\n' && raw[i..].starts_with("\r\n") {
            push(j..j + dl, i..i + 2, false);
            (i, j) = (i + 2, j + dl);
        } else if matches!(c, ' ' | '\t' | '\n' | '\r') {
            i += 1;
        } else {
            return None;
        }
    }
    Some((units, j))
}

/// Where an anchor (`&name`) and tag (`!!str`) before a scalar end.
fn properties_end(raw: &str) -> usize {
    let mut rest = raw;
    while rest.starts_with(['&', '!']) {
        let name = rest.find(char::is_whitespace).unwrap_or(rest.len());
        rest = rest[name..].trim_start();
    }
    raw.len() - rest.len()
}

/// The double-quoted escape at the start of `s`: the character it stands for (`None` for an
/// escaped line end) and how many bytes it takes (with an escaped line end, the next line's
/// indentation too); `None` if it is not an escape.
fn escape(s: &str) -> Option<(Option<char>, usize)> {
    let mut it = s.chars();
    it.next();
    let c = it.next()?;
    let simple = match c {
        '0' => '\0',
        'a' => '\u{7}',
        'b' => '\u{8}',
        't' | '\t' => '\t',
        'n' => '\n',
        'v' => '\u{b}',
        'f' => '\u{c}',
        'r' => '\r',
        'e' => '\u{1b}',
        ' ' => ' ',
        '"' => '"',
        '/' => '/',
        '\\' => '\\',
        'N' => '\u{85}',
        '_' => '\u{a0}',
        'L' => '\u{2028}',
        'P' => '\u{2029}',
        'x' => return hex(s, 2),
        'u' => return hex(s, 4),
        'U' => return hex(s, 8),
        '\n' | '\r' => {
            let brk = if s[1..].starts_with("\r\n") { 2 } else { 1 };
            let rest = &s[1 + brk..];
            let indent = rest.len() - rest.trim_start_matches([' ', '\t']).len();
            return Some((None, 1 + brk + indent));
        }
        _ => return None,
    };
    Some((Some(simple), 1 + c.len_utf8()))
}

/// `\xXX`, `\uXXXX`, `\UXXXXXXXX` at the start of `s`.
fn hex(s: &str, digits: usize) -> Option<(Option<char>, usize)> {
    let code = u32::from_str_radix(s.get(2..2 + digits)?, 16).ok()?;
    Some((Some(char::from_u32(code)?), 2 + digits))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::extract::located;

    /// The source text a segment's text range maps to.
    fn source_of<'a>(src: &'a str, seg: &Segment, needle: &str) -> &'a str {
        let at = seg.text.find(needle).expect("needle in segment");
        &src[seg.map.range_to_source(at..at + needle.len())]
    }

    fn all(src: &str) -> Vec<Segment> {
        scalars(src, &OffsetMap::identity(0)).unwrap()
    }

    #[test]
    fn yaml_is_chosen_by_extension() {
        use crate::extract::InputFormat;
        assert_eq!(InputFormat::of_name("posts.yaml"), InputFormat::Yaml);
        assert_eq!(InputFormat::of_name("dir/posts.YML"), InputFormat::Yaml);
    }

    #[test]
    fn a_sequence_of_mappings_is_a_list_of_posts() {
        let t = "- network: ig\n  message: Hi Jo\n  tags: [a/b, c~d]\n  mrn: 482913\n\
                 - {message: 'bye', draft: true, when: }\n";
        let posts = posts(t, &OffsetMap::identity(0)).unwrap();
        assert_eq!(
            located(&posts),
            vec![
                (Some("/0"), "/0/network", "ig"),
                (Some("/0"), "/0/message", "Hi Jo"),
                (Some("/0"), "/0/tags/0", "a/b"),
                (Some("/0"), "/0/tags/1", "c~d"),
                (Some("/0"), "/0/mrn", "482913"),
                (Some("/1"), "/1/message", "bye"),
                (Some("/1"), "/1/draft", "true"),
            ]
        );
    }

    #[test]
    fn other_documents_are_one_post_and_streams_a_post_per_document() {
        let t = "a/b:\n  c~d: [x, y]\n  ? [complex, key]\n  : v\n";
        let posts = posts(t, &OffsetMap::identity(0)).unwrap();
        assert_eq!(
            located(&posts),
            vec![
                (None, "/a~1b/c~0d/0", "x"),
                (None, "/a~1b/c~0d/1", "y"),
                (None, "/a~1b/?", "v"),
            ]
        );
        let t = "---\ntitle: One\n---\n- Two\n- Three\n...\n--- just text\n";
        let posts = super::posts(t, &OffsetMap::identity(0)).unwrap();
        assert_eq!(
            located(&posts),
            vec![
                (Some("document 1"), "/title", "One"),
                (Some("document 2"), "/0", "Two"),
                (Some("document 2"), "/1", "Three"),
                (Some("document 3"), "/", "just text"),
            ]
        );
        // A sequence of scalars is one post.
        let posts = super::posts("- a\n- b\n", &OffsetMap::identity(0)).unwrap();
        assert_eq!(posts.len(), 1);
        assert_eq!(posts[0].locator, None);
        assert!(
            super::posts("", &OffsetMap::identity(0))
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn plain_and_single_quoted_scalars_fold_and_map_exactly() {
        let t = "a: Jane\n  Doe   \n  was here\nb: 'it''s Jo''s\n\n  day'\nc: &x !!str 555-0147\n";
        let segs = all(t);
        assert_eq!(segs[0].text, "Jane Doe was here");
        assert_eq!(source_of(t, &segs[0], "Jane Doe"), "Jane\n  Doe");
        assert_eq!(source_of(t, &segs[0], "here"), "here");
        assert_eq!(segs[1].text, "it's Jo's\nday");
        assert_eq!(source_of(t, &segs[1], "it's Jo"), "it''s Jo");
        assert_eq!(source_of(t, &segs[1], "day"), "day");
        assert_eq!(segs[2].text, "555-0147");
        assert_eq!(source_of(t, &segs[2], "555-0147"), "555-0147");
    }

    #[test]
    fn double_quoted_escapes_map_to_their_bytes() {
        let t = "m: \"\\\"Jo\\\" \\x41\\u00e9\\U0001F600\\t\\\\ DOB 03/14/1961 \\\n    end\"\n";
        let segs = all(t);
        assert_eq!(segs[0].text, "\"Jo\" Aé😀\t\\ DOB 03/14/1961 end");
        assert_eq!(source_of(t, &segs[0], "\"Jo\""), "\\\"Jo\\\"");
        assert_eq!(source_of(t, &segs[0], "é"), "\\u00e9");
        assert_eq!(source_of(t, &segs[0], "😀"), "\\U0001F600");
        assert_eq!(source_of(t, &segs[0], "03/14/1961"), "03/14/1961");
        // An escaped line end and the indentation after it stand for nothing.
        assert_eq!(source_of(t, &segs[0], " end"), " \\\n    end");
        assert_eq!(source_of(t, &segs[0], "end"), "end");
    }

    #[test]
    fn block_scalars_strip_indentation_line_by_line() {
        let t = "lit: |\n  Call 555-0147\n    indented\n\n  last\nfold: >-\r\n  one\r\n  two\r\n\r\n  three\r\nkeep: |+\n  k\n\n";
        let segs = all(t);
        assert_eq!(segs[0].text, "Call 555-0147\n  indented\n\nlast\n");
        assert_eq!(source_of(t, &segs[0], "555-0147"), "555-0147");
        assert_eq!(source_of(t, &segs[0], "indented"), "indented");
        assert_eq!(source_of(t, &segs[0], "last"), "last");
        assert_eq!(segs[1].text, "one two\nthree");
        assert_eq!(source_of(t, &segs[1], "one two"), "one\r\n  two");
        assert_eq!(source_of(t, &segs[1], "three"), "three");
        assert_eq!(segs[2].text, "k\n\n");
    }

    #[test]
    fn aliases_are_not_scanned_again_and_bombs_cost_nothing() {
        let t = "a: &x Jane Doe\nb: *x\nc: &l [*x, *x, *x]\nd: [*l, *l, *l, *l]\n<<: *x\n";
        let segs = all(t);
        assert_eq!(segs.len(), 1);
        assert_eq!(segs[0].locator.as_deref(), Some("/a"));
    }

    #[test]
    fn invalid_and_hostile_yaml_is_refused_with_a_line() {
        let e = scalars("ok: 1\nbad: [\n", &OffsetMap::identity(0)).unwrap_err();
        assert!(e.contains("at line 3"), "{e}");
        let e = scalars("a: b: c\n", &OffsetMap::identity(0)).unwrap_err();
        assert!(e.ends_with("at line 1, column 5"), "{e}");
        // Deep flow nesting: the parser's own limit.
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let e = scalars(&deep, &OffsetMap::identity(0)).unwrap_err();
        assert!(e.starts_with("recursion limit exceeded at line 1"), "{e}");
        // Deep block nesting: ours.
        let deep = format!("{}x\n", "- ".repeat(100_000));
        let e = scalars(&deep, &OffsetMap::identity(0)).unwrap_err();
        assert_eq!(e, "nested deeper than 256 levels at line 1");
        let ok = format!("{}x{}", "[".repeat(200), "]".repeat(200));
        assert_eq!(all(&ok)[0].text, "x");
        assert_eq!(all(&format!("{}x", "- ".repeat(250)))[0].text, "x");
    }

    #[test]
    fn multibyte_text_before_a_scalar_is_counted_in_bytes() {
        let t = "ü: «é»\nnote: Jo 555-0147\n";
        let segs = all(t);
        assert_eq!(source_of(t, &segs[0], "«é»"), "«é»");
        assert_eq!(source_of(t, &segs[1], "555-0147"), "555-0147");
        let p = super::posts(t, &OffsetMap::identity(3)).unwrap();
        let seg = &p[0].segments[1];
        assert_eq!(seg.map.to_source(0), t.find("Jo").unwrap() + 3);
    }
}
