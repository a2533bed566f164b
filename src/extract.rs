//! Extraction: bytes of one source → posts made of segments, each segment carrying the text to
//! scan and an exact map back to the source's bytes.
//!
//! A *post* is the unit that gets published (and assessed): a whole text or Markdown file here.
//! A *segment* is one stretch of scannable text inside it (the body; later a front-matter value,
//! an alt text, a CSV cell...).

use crate::source::{Note, NoteKind};
use crate::text::{OffsetMap, decode_utf8};

/// How many leading bytes are inspected for NUL when deciding whether a file is binary.
pub const BINARY_SNIFF_LEN: usize = 8192;

/// One stretch of text to scan.
#[derive(Debug, Clone)]
pub struct Segment {
    pub text: String,
    pub map: OffsetMap,
}

/// One unit of publication.
#[derive(Debug, Clone)]
pub struct Post {
    /// Where the post is inside its source (`row 12`, `/posts/3`); `None` for whole-file posts.
    pub locator: Option<String>,
    pub segments: Vec<Segment>,
}

/// A source's posts, plus the original bytes that locations point into.
#[derive(Debug, Clone)]
pub struct Document {
    pub name: String,
    pub bytes: Vec<u8>,
    pub posts: Vec<Post>,
}

/// What extraction made of a source.
#[derive(Debug)]
pub enum Extracted {
    Document(Document, Vec<Note>),
    Skipped(Note),
}

/// Splits a source into posts. Binary content (a NUL byte near the start) is skipped with a note;
/// invalid UTF-8 is replaced and noted.
pub fn extract(name: &str, bytes: Vec<u8>) -> Extracted {
    let sniff = &bytes[..bytes.len().min(BINARY_SNIFF_LEN)];
    if memchr::memchr(0, sniff).is_some() {
        return Extracted::Skipped(Note::new(name, NoteKind::Skipped, "binary file skipped"));
    }
    let mut notes = Vec::new();
    let decoded = decode_utf8(&bytes);
    if decoded.lossy {
        notes.push(Note::new(
            name,
            NoteKind::Info,
            "not valid UTF-8: invalid bytes were read as U+FFFD; locations still point at the original bytes",
        ));
    }
    let post = Post {
        locator: None,
        segments: vec![Segment {
            text: decoded.text,
            map: decoded.map,
        }],
    };
    Extracted::Document(
        Document {
            name: name.to_owned(),
            bytes,
            posts: vec![post],
        },
        notes,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_file_is_one_post_with_one_segment() {
        let Extracted::Document(doc, notes) = extract("a.md", b"hello\nworld".to_vec()) else {
            panic!("not a document");
        };
        assert!(notes.is_empty());
        assert_eq!(doc.posts.len(), 1);
        assert_eq!(doc.posts[0].locator, None);
        assert_eq!(doc.posts[0].segments[0].text, "hello\nworld");
    }

    #[test]
    fn nul_bytes_mean_binary() {
        let Extracted::Skipped(note) = extract("x.png", b"\x89PNG\0\0".to_vec()) else {
            panic!("binary was not skipped");
        };
        assert_eq!(note.kind, NoteKind::Skipped);
        assert_eq!(note.message, "binary file skipped");
    }

    #[test]
    fn invalid_utf8_is_noted_and_still_scanned() {
        let Extracted::Document(doc, notes) = extract("a.txt", b"caf\xE9 555".to_vec()) else {
            panic!("not a document");
        };
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].kind, NoteKind::Info);
        assert_eq!(doc.posts[0].segments[0].text, "caf\u{FFFD} 555");
    }
}
