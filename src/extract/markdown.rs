//! Markdown and MDX posts, as content repositories keep them: front matter (YAML between `---`
//! lines, or TOML between `+++` lines) and a body.
//!
//! The body is scanned as written, markup included, so image alt text and titles
//! (`![Jane at her last chemo](jane.jpg "Jane")`), link texts, HTML comments and code blocks are
//! all read where they stand (line and column locate them). Every front-matter value is a
//! segment of the same post located by its path (`front matter /title`); keys are not scanned.
//!
//! Two front-matter keys steer the scan instead of being scanned:
//! - `phi-authorization`: the reference of a recorded patient authorization, either a string
//!   (`phi-authorization: AUTH-2026-0142`, covering the patient the post is about) or a table
//!   with `reference` and `subject` (whose name it covers).
//! - `phiguard-allow`: a value, or a list of values (or rule ids and categories), that are not
//!   PHI anywhere in this post (the clinic's own number, a spokesperson's name).

use std::ops::Range;

use toml::de::{DeTable, DeValue};

use super::directives::{Authorization, Directives};
use super::mapped::MappedText;
use super::{Post, Segment, yaml};
use crate::text::OffsetMap;

/// The front matter keys that steer the scan (either spelling).
const AUTHORIZATION_KEYS: [&str; 3] =
    ["phi-authorization", "phi_authorization", "phiAuthorization"];
const ALLOW_KEYS: [&str; 3] = ["phiguard-allow", "phiguard_allow", "phiguardAllow"];

/// A Markdown document: its one post, what its front matter says about the scan, and a
/// complaint when the front matter could not be read (it is then scanned as text).
pub struct Markdown {
    pub post: Post,
    pub directives: Directives,
    pub complaint: Option<String>,
}

/// Reads a Markdown document.
pub fn read(text: &str, text_map: &OffsetMap) -> Markdown {
    let mut directives = Directives::default();
    let mut segments = Vec::new();
    let mut complaint = None;
    let body_start = match front_matter(text) {
        None => 0,
        Some(fm) => {
            let inner = &text[fm.inner.clone()];
            let map = OffsetMap::identity(fm.inner.start).then(text_map);
            let values = match fm.kind {
                Kind::Yaml => yaml::scalars(inner, &map),
                Kind::Toml => toml_values(inner, &map),
            };
            match values {
                Ok(values) => {
                    for mut seg in values {
                        let path = seg.locator.take().unwrap_or_default();
                        if steer(&path, &seg.text, &mut directives) {
                            continue;
                        }
                        seg.locator = Some(format!("front matter {path}"));
                        segments.push(seg);
                    }
                }
                Err(e) => {
                    // Lines are counted from the top of the file, not of the front matter.
                    let before = text[..fm.inner.start].matches('\n').count();
                    complaint = Some(format!(
                        "front matter is not valid {} ({}); scanned as plain text",
                        fm.kind.name(),
                        shift_lines(&e, before)
                    ));
                    segments.push(Segment {
                        text: inner.to_owned(),
                        map,
                        locator: Some("front matter".to_owned()),
                    });
                }
            }
            fm.end
        }
    };
    // An authorization is only as good as its reference: without one (a list, `null`, only a
    // subject) nothing is authorized, and the writer is told.
    if directives
        .authorization
        .as_ref()
        .is_some_and(|a| a.reference.is_empty())
    {
        directives.authorization = None;
        complaint.get_or_insert_with(|| {
            "phi-authorization has no reference (write `phi-authorization: AUTH-…`, or a \
             table with `reference` and `subject`): nothing was treated as authorized"
                .to_owned()
        });
    }
    if body_start < text.len() {
        segments.push(Segment {
            text: text[body_start..].to_owned(),
            map: OffsetMap::identity(body_start).then(text_map),
            locator: None,
        });
    }
    Markdown {
        post: Post {
            locator: None,
            segments,
        },
        directives,
        complaint,
    }
}

/// `message` with every "line N" moved down by `by` lines.
fn shift_lines(message: &str, by: usize) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find("line ") {
        let (head, tail) = rest.split_at(at + 5);
        out.push_str(head);
        let digits = tail.len() - tail.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        match tail[..digits].parse::<usize>() {
            Ok(n) => out.push_str(&(n + by).to_string()),
            Err(_) => out.push_str(&tail[..digits]),
        }
        rest = &tail[digits..];
    }
    out.push_str(rest);
    out
}

/// Takes a front-matter value that steers the scan into `directives`; false for other values.
fn steer(path: &str, value: &str, directives: &mut Directives) -> bool {
    let mut parts = path.trim_start_matches('/').split('/');
    let key = parts.next().unwrap_or("");
    let sub = parts.next();
    let value = value.trim();
    if AUTHORIZATION_KEYS.contains(&key) {
        let auth = directives
            .authorization
            .get_or_insert_with(|| Authorization {
                reference: String::new(),
                subject: None,
            });
        // YAML's null and booleans are no reference ("phi-authorization: no").
        let nothing = ["", "~", "null", "none", "no", "false", "true", "yes", "n/a"]
            .contains(&value.to_lowercase().as_str());
        match sub {
            None | Some("reference" | "ref" | "id") if !nothing => {
                auth.reference = value.to_owned();
            }
            Some("subject" | "patient" | "name") if !nothing => {
                auth.subject = Some(value.to_owned());
            }
            _ => {}
        }
        return true;
    }
    if ALLOW_KEYS.contains(&key) {
        if !value.is_empty() {
            directives.allow.push(value.to_owned());
        }
        return true;
    }
    false
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Yaml,
    Toml,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Yaml => "YAML",
            Kind::Toml => "TOML",
        }
    }
}

/// Where front matter is: its content, and where the body starts.
struct FrontMatter {
    kind: Kind,
    inner: Range<usize>,
    end: usize,
}

/// Front matter at the very start of the text: `---` (YAML) or `+++` (TOML) alone on the first
/// line, closed by the same line (or `...` for YAML).
fn front_matter(text: &str) -> Option<FrontMatter> {
    let first = text.split_inclusive('\n').next()?;
    let kind = match first.trim_end() {
        "---" => Kind::Yaml,
        "+++" => Kind::Toml,
        _ => return None,
    };
    let mut at = first.len();
    for line in text[at..].split_inclusive('\n') {
        let bare = line.trim_end();
        let closes = match kind {
            Kind::Yaml => bare == "---" || bare == "...",
            Kind::Toml => bare == "+++",
        };
        if closes {
            return Some(FrontMatter {
                kind,
                inner: first.len()..at,
                end: at + line.len(),
            });
        }
        at += line.len();
    }
    None
}

/// Every string (and number) value of TOML front matter as a segment located by its path.
fn toml_values(text: &str, map: &OffsetMap) -> Result<Vec<Segment>, String> {
    let table = DeTable::parse(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        match line {
            Some(l) => format!("{} at line {l}", e.message().trim()),
            None => e.message().trim().to_owned(),
        }
    })?;
    let mut out = Vec::new();
    walk_table(text, table.get_ref(), "", map, &mut out);
    Ok(out)
}

fn walk_table(text: &str, t: &DeTable<'_>, path: &str, map: &OffsetMap, out: &mut Vec<Segment>) {
    for (k, v) in t {
        let p = format!("{path}/{}", pointer_token(k.get_ref()));
        walk_value(text, v.get_ref(), v.span(), &p, map, out);
    }
}

fn walk_value(
    text: &str,
    v: &DeValue<'_>,
    span: Range<usize>,
    path: &str,
    map: &OffsetMap,
    out: &mut Vec<Segment>,
) {
    match v {
        DeValue::String(s) => {
            if s.trim().is_empty() {
                return;
            }
            let raw = text.get(span.clone()).unwrap_or("");
            // The decoding here must agree with toml's; when it does not (it always should),
            // the value is located at the start of its literal rather than guessed.
            let inner = match toml_string(raw, span.start) {
                Some((decoded, m)) if decoded == **s => m,
                _ => OffsetMap::identity(span.start),
            };
            out.push(Segment {
                text: s.to_string(),
                map: inner.then(map),
                locator: Some(path.to_owned()),
            });
        }
        // Numbers and unquoted dates are scanned as written (`dob = 1980-01-02`).
        DeValue::Integer(_) | DeValue::Float(_) | DeValue::Datetime(_) => {
            if let Some(raw) = text.get(span.clone()) {
                out.push(Segment {
                    text: raw.to_owned(),
                    map: OffsetMap::identity(span.start).then(map),
                    locator: Some(path.to_owned()),
                });
            }
        }
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk_value(
                    text,
                    item.get_ref(),
                    item.span(),
                    &format!("{path}/{i}"),
                    map,
                    out,
                );
            }
        }
        DeValue::Table(t) => walk_table(text, t, path, map, out),
        DeValue::Boolean(_) => {}
    }
}

/// A key as a JSON-pointer token (`~` and `/` escaped).
fn pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// A TOML string literal (`raw`, quotes included, at `base`) decoded with a map from every
/// character to its bytes: basic and literal strings, one-line and multi-line, escapes
/// (`\n`, `\u00e9`, `\U0001F600`) and line-ending backslashes. `None` when `raw` is not one.
fn toml_string(raw: &str, base: usize) -> Option<(String, OffsetMap)> {
    let (quote, literal) = ["\"\"\"", "'''", "\"", "'"]
        .into_iter()
        .find(|q| raw.starts_with(q))
        .map(|q| (q, q.starts_with('\'')))?;
    let multi = quote.len() == 3;
    if raw.len() < 2 * quote.len() || !raw.ends_with(quote) {
        return None;
    }
    let end = raw.len() - quote.len();
    let mut i = quote.len();
    // A newline right after the opening delimiter is not part of the string.
    if multi {
        if raw[i..].starts_with("\r\n") {
            i += 2;
        } else if raw[i..].starts_with('\n') {
            i += 1;
        }
    }
    let mut out = MappedText::new();
    while i < end {
        let c = raw[i..].chars().next()?;
        if c != '\\' || literal {
            out.push_verbatim(&raw[i..i + c.len_utf8()], base + i);
            i += c.len_utf8();
            continue;
        }
        let rest = &raw[i + 1..end];
        // A line-ending backslash swallows the line break and the whitespace after it.
        let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        if multi && (rest[spaces..].starts_with('\n') || rest[spaces..].starts_with("\r\n")) {
            let skip = rest.len() - rest.trim_start_matches([' ', '\t', '\n', '\r']).len();
            i += 1 + skip;
            continue;
        }
        let e = rest.chars().next()?;
        let hex = |n: usize| -> Option<(char, usize)> {
            let digits = rest.get(1..1 + n)?;
            char::from_u32(u32::from_str_radix(digits, 16).ok()?).map(|c| (c, n + 1))
        };
        let (decoded, len) = match e {
            'b' => ('\u{8}', 1),
            't' => ('\t', 1),
            'n' => ('\n', 1),
            'f' => ('\u{c}', 1),
            'r' => ('\r', 1),
            'e' => ('\u{1b}', 1),
            '"' => ('"', 1),
            '\\' => ('\\', 1),
            'x' => hex(2)?,
            'u' => hex(4)?,
            'U' => hex(8)?,
            _ => return None,
        };
        out.push_for(
            decoded.encode_utf8(&mut [0; 4]),
            base + i..base + i + 1 + len,
        );
        i += 1 + len;
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(text: &str) -> Markdown {
        read(text, &OffsetMap::identity(0))
    }

    #[test]
    fn yaml_front_matter_values_are_segments_and_keys_steer() {
        let text = "---\ntitle: Jane's big day\ntags: [nicu, story]\nphi-authorization: AUTH-2026-0142\nphiguard-allow:\n  - 555-0100\n---\nBody text here.\n";
        let md = read_str(text);
        let segs = &md.post.segments;
        let got: Vec<(Option<&str>, &str)> = segs
            .iter()
            .map(|s| (s.locator.as_deref(), s.text.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (Some("front matter /title"), "Jane's big day"),
                (Some("front matter /tags/0"), "nicu"),
                (Some("front matter /tags/1"), "story"),
                (None, "Body text here.\n"),
            ]
        );
        assert_eq!(segs[0].map.range_to_source(0..4), 11..15);
        let body = text.find("Body").unwrap();
        assert_eq!(segs[3].map.to_source(0), body);
        assert_eq!(
            md.directives.authorization,
            Some(Authorization {
                reference: "AUTH-2026-0142".into(),
                subject: None
            })
        );
        assert_eq!(md.directives.allow, vec!["555-0100".to_owned()]);
        assert!(md.complaint.is_none());
    }

    #[test]
    fn toml_front_matter_and_authorization_tables() {
        let text = "+++\ntitle = \"Tom\\u00e9 turns 5\"\n[phi-authorization]\nreference = \"AUTH-1\"\nsubject = \"Tomé Example\"\n+++\nHi\n";
        let md = read_str(text);
        let t = &md.post.segments[0];
        assert_eq!(t.locator.as_deref(), Some("front matter /title"));
        assert_eq!(t.text, "Tomé turns 5");
        // "turns" is written as is, after the six-byte escape.
        let at = t.text.find("turns").unwrap();
        let src = t.map.range_to_source(at..at + 5);
        assert_eq!(&text[src], "turns");
        assert_eq!(
            md.directives.authorization,
            Some(Authorization {
                reference: "AUTH-1".into(),
                subject: Some("Tomé Example".into())
            })
        );
    }

    #[test]
    fn broken_or_absent_front_matter() {
        let md = read_str("---\ntitle: [unclosed\n---\nBody\n");
        assert!(
            md.complaint
                .as_deref()
                .unwrap()
                .starts_with("front matter is not valid YAML")
        );
        assert_eq!(md.post.segments[0].locator.as_deref(), Some("front matter"));
        assert_eq!(md.post.segments[1].text, "Body\n");
        // No closing line: all body. A rule later in the file is not front matter.
        let md = read_str("---\nnot closed\n");
        assert_eq!(md.post.segments.len(), 1);
        assert_eq!(md.post.segments[0].text, "---\nnot closed\n");
        let md = read_str("Intro\n---\ntitle: x\n---\n");
        assert_eq!(md.post.segments.len(), 1);
    }

    #[test]
    fn toml_strings_map_every_character_to_its_bytes() {
        let check = |raw: &str, decoded: &str, part: &str, bytes: &str| {
            let (d, m) = toml_string(raw, 0).expect("a TOML string");
            assert_eq!(d, decoded, "{raw}");
            let at = d.find(part).unwrap();
            assert_eq!(&raw[m.range_to_source(at..at + part.len())], bytes, "{raw}");
        };
        check(
            "\"SSN \\u0031\\u0032\\u0033-45-6789\"",
            "SSN 123-45-6789",
            "123-45-6789",
            "\\u0031\\u0032\\u0033-45-6789",
        );
        check("\"a\\\"b\\nc\"", "a\"b\nc", "\"b", "\\\"b");
        check("'C:\\path'", "C:\\path", "path", "path");
        check(
            "\"\"\"Jane \\\n      Doe SSN 987-65-4320\"\"\"",
            "Jane Doe SSN 987-65-4320",
            "987-65-4320",
            "987-65-4320",
        );
        check(
            "'''\nline one\nline two'''",
            "line one\nline two",
            "two",
            "two",
        );
        assert!(toml_string("bare", 0).is_none());
        assert!(toml_string("\"bad \\q\"", 0).is_none());
    }
}
