//! JSON and JSON Lines, as scheduling tools and CMSs export posts: every string (and number)
//! value is a segment located by its JSON pointer (`/posts/3/message`). An array of objects is a
//! list of posts (`/3`); a JSON Lines file is a post per line (`line 12`); anything else is one
//! post.
//!
//! `jsonc-parser` parses (comments and trailing commas are tolerated) and gives each literal's
//! range; escapes are decoded here with anchors, so every character of a value maps to its
//! exact bytes (`\n`, `\"`, `\u00e9` and surrogate pairs included).

use jsonc_parser::ast::{ObjectPropName, StringLit, Value};
use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};

use super::{Post, Segment};
use crate::text::OffsetMap;

/// The posts of a JSON document, or the parser's complaint.
pub fn posts(text: &str, text_map: &OffsetMap) -> Result<Vec<Post>, String> {
    let root = parse(text)?;
    let Some(root) = root else {
        return Ok(Vec::new());
    };
    let list = match &root {
        Value::Array(a) if !a.elements.is_empty() && a.elements.iter().all(is_object) => {
            Some(&a.elements)
        }
        _ => None,
    };
    Ok(match list {
        Some(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let pointer = format!("/{i}");
                let mut segments = Vec::new();
                collect(text, item, &pointer, text_map, &mut segments);
                Post {
                    locator: Some(pointer),
                    segments,
                }
            })
            .collect(),
        None => {
            let mut segments = Vec::new();
            collect(text, &root, "", text_map, &mut segments);
            vec![Post {
                locator: None,
                segments,
            }]
        }
    })
}

/// The posts of a JSON Lines document: one per non-blank line. A line that is not JSON is
/// scanned as text and named in the returned complaints.
pub fn lines(text: &str, text_map: &OffsetMap) -> (Vec<Post>, Vec<String>) {
    let mut posts = Vec::new();
    let mut bad = Vec::new();
    let mut at = 0;
    for (n, raw) in text.split_inclusive('\n').enumerate() {
        let line = raw.trim_end_matches(['\n', '\r']);
        let start = at;
        at += raw.len();
        if line.trim().is_empty() {
            continue;
        }
        let map = OffsetMap::identity(start).then(text_map);
        let mut segments = Vec::new();
        match parse(line) {
            Ok(Some(value)) => collect(line, &value, "", &map, &mut segments),
            Ok(None) => continue,
            Err(e) => {
                bad.push(format!("line {}: {e}", n + 1));
                segments.push(Segment {
                    text: line.to_owned(),
                    map,
                    locator: None,
                });
            }
        }
        posts.push(Post {
            locator: Some(format!("line {}", n + 1)),
            segments,
        });
    }
    (posts, bad)
}

fn parse(text: &str) -> Result<Option<Value<'_>>, String> {
    parse_to_ast(text, &CollectOptions::default(), &ParseOptions::default())
        .map(|r| r.value)
        .map_err(|e| e.to_string())
}

fn is_object(v: &Value) -> bool {
    matches!(v, Value::Object(_))
}

/// A JSON pointer token: `~` and `/` escaped.
fn token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Every string and number value under `value`, as segments located by pointer.
fn collect(text: &str, value: &Value, pointer: &str, text_map: &OffsetMap, out: &mut Vec<Segment>) {
    match value {
        Value::StringLit(lit) => {
            let (decoded, map) = decode(text, lit);
            if !decoded.trim().is_empty() {
                out.push(Segment {
                    text: decoded,
                    map: map.then(text_map),
                    locator: Some(pointer_or_root(pointer)),
                });
            }
        }
        Value::NumberLit(n) => out.push(Segment {
            text: n.value.to_string(),
            map: OffsetMap::identity(n.range.start).then(text_map),
            locator: Some(pointer_or_root(pointer)),
        }),
        Value::Object(o) => {
            for prop in &o.properties {
                let key = match &prop.name {
                    ObjectPropName::String(s) => s.value.to_string(),
                    ObjectPropName::Word(w) => w.value.to_string(),
                };
                collect(
                    text,
                    &prop.value,
                    &format!("{pointer}/{}", token(&key)),
                    text_map,
                    out,
                );
            }
        }
        Value::Array(a) => {
            for (i, v) in a.elements.iter().enumerate() {
                collect(text, v, &format!("{pointer}/{i}"), text_map, out);
            }
        }
        Value::BooleanLit(_) | Value::NullKeyword(_) => {}
    }
}

fn pointer_or_root(pointer: &str) -> String {
    if pointer.is_empty() {
        "/".to_owned()
    } else {
        pointer.to_owned()
    }
}

/// A string literal's value and the map from it to offsets in `text`. Each escape sits between
/// two anchors, so a value's range never swallows the backslash of the next escape.
fn decode(text: &str, lit: &StringLit) -> (String, OffsetMap) {
    let raw = &text[lit.range.start..lit.range.end];
    let base = lit.range.start + 1;
    let inner = &raw[1..raw.len().saturating_sub(1).max(1)];
    let mut out = String::with_capacity(inner.len());
    let mut anchors = vec![(0, base)];
    let mut i = 0;
    let bytes = inner.as_bytes();
    while i < inner.len() {
        if bytes[i] != b'\\' || i + 1 >= inner.len() {
            let c = inner[i..].chars().next().unwrap_or('\u{fffd}');
            out.push(c);
            i += c.len_utf8();
            continue;
        }
        let start = i;
        let (c, len) = match bytes[i + 1] {
            b'n' => (Some('\n'), 2),
            b't' => (Some('\t'), 2),
            b'r' => (Some('\r'), 2),
            b'b' => (Some('\u{8}'), 2),
            b'f' => (Some('\u{c}'), 2),
            b'u' => unicode_escape(inner, i),
            _ => (
                inner[i + 1..].chars().next(),
                1 + inner[i + 1..].chars().next().map_or(1, char::len_utf8),
            ),
        };
        anchors.push((out.len(), base + start));
        if let Some(c) = c {
            out.push(c);
        }
        i = start + len;
        anchors.push((out.len(), base + i));
    }
    // Where the decoding disagrees with the parser's (an escape this does not know), trust the
    // parser's text and locate it at the literal's start.
    // The value ends where the literal does, whatever its length.
    if out != lit.value {
        let end = (lit.value.len(), base + inner.len());
        return (
            lit.value.to_string(),
            OffsetMap::from_anchors(vec![(0, base), end]),
        );
    }
    (out, OffsetMap::from_anchors(anchors))
}

/// `\uXXXX` at `i` (with a following low surrogate when it is a high one): the character and
/// how many bytes it took.
fn unicode_escape(s: &str, i: usize) -> (Option<char>, usize) {
    let hex = |at: usize| {
        s.get(at..at + 4)
            .and_then(|h| u32::from_str_radix(h, 16).ok())
    };
    let Some(hi) = hex(i + 2) else {
        return (None, 2);
    };
    if (0xD800..0xDC00).contains(&hi)
        && s.get(i + 6..i + 8) == Some("\\u")
        && let Some(lo) = hex(i + 8)
        && (0xDC00..0xE000).contains(&lo)
    {
        let c = char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));
        return (c, 12);
    }
    (char::from_u32(hi), 6)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::extract::located;

    #[test]
    fn an_array_of_objects_is_a_list_of_posts() {
        let t = r#"[{"network": "ig", "message": "Hi \"Jo\"\nbye", "mrn": 482913},
                    {"message": "caf\u00e9 \ud83d\ude00 ok", "tags": ["a/b", ""], "draft": true}]"#;
        let posts = posts(t, &OffsetMap::identity(0)).unwrap();
        assert_eq!(
            located(&posts),
            vec![
                (Some("/0"), "/0/network", "ig"),
                (Some("/0"), "/0/message", "Hi \"Jo\"\nbye"),
                (Some("/0"), "/0/mrn", "482913"),
                (Some("/1"), "/1/message", "café 😀 ok"),
                (Some("/1"), "/1/tags/0", "a/b"),
            ]
        );
        // Characters after escapes map to their own bytes; an escape's range covers it whole.
        let msg = &posts[0].segments[1];
        let bye = msg.text.find("bye").unwrap();
        assert_eq!(msg.map.to_source(bye), t.find("bye").unwrap());
        let jo = msg.text.find("Jo").unwrap();
        assert_eq!(
            msg.map.range_to_source(jo..jo + 2),
            t.find("Jo").unwrap()..t.find("Jo").unwrap() + 2
        );
        let cafe = &posts[1].segments[0];
        let ok = cafe.text.find("ok").unwrap();
        assert_eq!(cafe.map.to_source(ok), t.find("ok\"").unwrap());
        let num = &posts[0].segments[2];
        assert_eq!(num.map.to_source(0), t.find("482913").unwrap());
    }

    #[test]
    fn other_documents_are_one_post_and_pointers_are_escaped() {
        let t = "// export\n{\"a/b\": {\"c~d\": [\"x\", \"y\",]}}";
        let posts = posts(t, &OffsetMap::identity(0)).unwrap();
        assert_eq!(
            located(&posts),
            vec![(None, "/a~1b/c~0d/0", "x"), (None, "/a~1b/c~0d/1", "y")]
        );
        assert!(super::posts("{\"a\": ", &OffsetMap::identity(0)).is_err());
    }

    #[test]
    fn a_value_decoded_another_way_stays_inside_its_literal() {
        // `\0` is no JSON escape; the parser takes it its own way, and the value is then
        // located from the literal's start and never past its closing quote.
        let t = r#"{"text": "a\0b cd", "n": 1}"#;
        let posts = posts(t, &OffsetMap::identity(0)).unwrap();
        let seg = &posts[0].segments[0];
        let open = t.find("a\\0").unwrap();
        let close = t.find("\", \"n\"").unwrap();
        assert_eq!(seg.map.to_source(0), open);
        let all = seg.map.range_to_source(0..seg.text.len());
        assert!(all.start == open && all.end <= close, "{all:?}");
    }

    #[test]
    fn json_lines_are_posts_and_bad_lines_are_text() {
        let t = "{\"text\": \"one\"}\n\nnot json\n{\"text\": \"two\"}\n";
        let (posts, bad) = lines(t, &OffsetMap::identity(0));
        assert_eq!(
            located(&posts),
            vec![
                (Some("line 1"), "/text", "one"),
                (Some("line 3"), "", "not json"),
                (Some("line 4"), "/text", "two"),
            ]
        );
        assert_eq!(bad.len(), 1);
        assert!(bad[0].starts_with("line 3: "), "{bad:?}");
        assert_eq!(
            posts[2].segments[0].map.to_source(0),
            t.find("two").unwrap()
        );
    }
}
