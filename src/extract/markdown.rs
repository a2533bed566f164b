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
                    complaint = Some(format!(
                        "front matter is not valid {} ({e}); scanned as plain text",
                        fm.kind.name()
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
        match sub {
            None | Some("reference" | "ref" | "id") => auth.reference = value.to_owned(),
            Some("subject" | "patient" | "name") => auth.subject = Some(value.to_owned()),
            Some(_) => {}
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
            .map(|s| text[..s.start.min(text.len())].lines().count().max(1));
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
            out.push(Segment {
                text: s.to_string(),
                map: align(s, raw, span.start).then(map),
                locator: Some(path.to_owned()),
            });
        }
        DeValue::Integer(_) | DeValue::Float(_) => {
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
        DeValue::Boolean(_) | DeValue::Datetime(_) => {}
    }
}

/// A key as a JSON-pointer token (`~` and `/` escaped).
fn pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Maps a decoded string onto the raw literal it came from (quotes, escapes): each decoded
/// character is placed at its next occurrence in the raw text when one is near, otherwise (an
/// escape) at the raw position reached. Monotone, on character boundaries.
fn align(decoded: &str, raw: &str, base: usize) -> OffsetMap {
    // The common case: the value is written as it reads, between its quotes.
    if let Some(at) = raw.find(decoded) {
        return OffsetMap::identity(base + at);
    }
    let mut anchors = vec![(0, base)];
    let mut r = 0;
    for (t, c) in decoded.char_indices() {
        let end = floor_boundary(raw, (r + 12).min(raw.len()));
        if let Some(k) = raw[r..end].find(c) {
            r += k;
        }
        anchors.push((t, base + r));
        if raw[r..].starts_with(c) {
            r += c.len_utf8();
        } else if let Some(next) = raw[r..].chars().next() {
            r += next.len_utf8();
        }
        anchors.push((t + c.len_utf8(), base + r));
    }
    anchors.dedup();
    OffsetMap::from_anchors(anchors)
}

/// The largest character boundary of `s` at or before `n`.
fn floor_boundary(s: &str, mut n: usize) -> usize {
    while n > 0 && !s.is_char_boundary(n) {
        n -= 1;
    }
    n
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
    fn alignment_of_escaped_strings() {
        let raw = "\"a\\\"b\\nc\"";
        let m = align("a\"b\nc", raw, 10);
        assert_eq!(m.to_source(0), 11);
        assert_eq!(m.range_to_source(4..5), 17..18);
        let m = align("plain", "'plain'", 0);
        assert_eq!(m.range_to_source(0..5), 1..6);
    }
}
