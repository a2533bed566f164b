//! Text plumbing shared by the stages: decoding source bytes into scannable text while keeping
//! an exact map back to the original bytes, turning byte offsets into 1-based line/column
//! positions, and stepping a number of characters left or right.

use std::ops::Range;

/// Maps byte offsets in a segment's scanned text back to byte offsets in the original source.
///
/// The map is piecewise linear: a sorted list of anchors `(text_offset, source_offset)`; an
/// offset between two anchors is shifted by the same amount as the anchor before it. Decoding
/// and normalisation add an anchor wherever the text and the source stop moving in step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetMap {
    anchors: Vec<(usize, usize)>,
}

impl OffsetMap {
    /// Text offset `t` is source offset `base + t`.
    pub fn identity(base: usize) -> OffsetMap {
        OffsetMap {
            anchors: vec![(0, base)],
        }
    }

    /// Builds a map from anchors; they must be sorted by both coordinates and start at text 0.
    pub fn from_anchors(anchors: Vec<(usize, usize)>) -> OffsetMap {
        debug_assert!(anchors.first().is_some_and(|a| a.0 == 0));
        debug_assert!(
            anchors
                .windows(2)
                .all(|w| w[0].0 <= w[1].0 && w[0].1 <= w[1].1)
        );
        OffsetMap { anchors }
    }

    /// The source offset of text offset `t`.
    pub fn to_source(&self, t: usize) -> usize {
        let i = self.anchors.partition_point(|a| a.0 <= t).saturating_sub(1);
        let (at, src) = self.anchors[i];
        src + (t - at)
    }

    /// The source byte range of a text range.
    ///
    /// Where several anchors share a text offset (bytes that were dropped or replaced sit
    /// between them), a start maps past the dropped bytes and an end maps before them, so a
    /// range never swallows bytes that are not part of its text.
    pub fn range_to_source(&self, r: Range<usize>) -> Range<usize> {
        let start = self.to_source(r.start);
        if r.end <= r.start {
            return start..start;
        }
        let i = self.anchors.partition_point(|a| a.0 < r.end);
        let end = match self.anchors.get(i) {
            Some(&(at, src)) if at == r.end => src,
            _ => {
                let (at, src) = self.anchors[i - 1];
                src + (r.end - at)
            }
        };
        start..end.max(start)
    }
}

/// Source bytes decoded for scanning.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text to scan.
    pub text: String,
    /// Maps `text` offsets to offsets in the original bytes.
    pub map: OffsetMap,
    /// Whether some bytes were not valid UTF-8 and were replaced with U+FFFD.
    pub lossy: bool,
}

/// Decodes UTF-8 bytes (an optional byte-order mark is skipped); invalid sequences become
/// U+FFFD, and the map still points every character at its original bytes.
pub fn decode_utf8(bytes: &[u8]) -> Decoded {
    let base = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let body = &bytes[base..];
    if let Ok(s) = std::str::from_utf8(body) {
        return Decoded {
            text: s.to_owned(),
            map: OffsetMap::identity(base),
            lossy: false,
        };
    }
    let mut text = String::with_capacity(body.len() + 16);
    let mut anchors = vec![(0, base)];
    let mut src = base;
    for chunk in body.utf8_chunks() {
        text.push_str(chunk.valid());
        src += chunk.valid().len();
        let invalid = chunk.invalid();
        if !invalid.is_empty() {
            anchors.push((text.len(), src));
            text.push(char::REPLACEMENT_CHARACTER);
            src += invalid.len();
            anchors.push((text.len(), src));
        }
    }
    Decoded {
        text,
        map: OffsetMap::from_anchors(anchors),
        lossy: true,
    }
}

/// Finds 1-based line and column numbers for byte offsets in a source.
///
/// Columns count Unicode scalar values from the start of the line (an invalid UTF-8 sequence
/// counts as one, as it is shown as one replacement character).
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(bytes: &[u8]) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        LineIndex { starts }
    }

    /// The 1-based line number holding byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }

    /// The byte range of 1-based line `line`, without its line terminator.
    pub fn line_range(&self, bytes: &[u8], line: usize) -> Range<usize> {
        let start = self.starts[line - 1];
        let mut end = self.starts.get(line).map_or(bytes.len(), |&s| s - 1);
        if end > start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end.max(start)
    }

    /// The 1-based (line, column) of byte `offset` in `bytes`.
    pub fn position(&self, bytes: &[u8], offset: usize) -> (usize, usize) {
        let offset = offset.min(bytes.len());
        let line = self.line(offset);
        let start = self.starts[line - 1];
        (line, count_chars(&bytes[start..offset]) + 1)
    }
}

/// Positions of offsets visited in increasing order, each found in time proportional to the
/// distance from the previous one (so many findings on one long line stay cheap).
#[derive(Debug)]
pub struct PositionCursor<'a> {
    bytes: &'a [u8],
    lines: &'a LineIndex,
    offset: usize,
    line: usize,
    column: usize,
}

impl<'a> PositionCursor<'a> {
    pub fn new(bytes: &'a [u8], lines: &'a LineIndex) -> PositionCursor<'a> {
        PositionCursor {
            bytes,
            lines,
            offset: 0,
            line: 1,
            column: 1,
        }
    }

    /// The 1-based (line, column) of byte `offset`; any order works, increasing is fastest.
    pub fn position(&mut self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.bytes.len());
        let line = self.lines.line(offset);
        let column = if line == self.line && offset >= self.offset {
            self.column + count_chars(&self.bytes[self.offset..offset])
        } else {
            self.lines.position(self.bytes, offset).1
        };
        (self.offset, self.line, self.column) = (offset, line, column);
        (line, column)
    }
}

/// Counts characters the way a reader sees them: scalar values, one per invalid sequence.
pub fn count_chars(bytes: &[u8]) -> usize {
    bytes
        .utf8_chunks()
        .map(|c| c.valid().chars().count() + usize::from(!c.invalid().is_empty()))
        .sum()
}

/// The byte offset `n` characters before `pos` in `text` (or 0).
pub fn chars_before(text: &str, pos: usize, n: usize) -> usize {
    if n == 0 {
        return pos;
    }
    text[..pos]
        .char_indices()
        .rev()
        .nth(n - 1)
        .map_or(0, |(i, _)| i)
}

/// The byte offset `n` characters after `pos` in `text` (or its length).
pub fn chars_after(text: &str, pos: usize, n: usize) -> usize {
    text[pos..]
        .char_indices()
        .nth(n)
        .map_or(text.len(), |(i, _)| pos + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_map_shifts_by_base() {
        let m = OffsetMap::identity(3);
        assert_eq!(m.to_source(0), 3);
        assert_eq!(m.range_to_source(2..5), 5..8);
    }

    #[test]
    fn bom_is_skipped_and_offsets_point_past_it() {
        let d = decode_utf8(b"\xEF\xBB\xBFhi there");
        assert_eq!(d.text, "hi there");
        assert!(!d.lossy);
        assert_eq!(d.map.range_to_source(3..8), 6..11);
    }

    #[test]
    fn invalid_bytes_become_replacement_and_map_exactly() {
        // "ab" + two invalid bytes + "cd": the replacement char is 3 bytes in the text.
        let d = decode_utf8(b"ab\xFF\xFEcd");
        assert!(d.lossy);
        assert_eq!(d.text, "ab\u{FFFD}\u{FFFD}cd");
        let cd = d.text.find("cd").unwrap();
        assert_eq!(d.map.range_to_source(cd..cd + 2), 4..6);
        assert_eq!(d.map.range_to_source(0..2), 0..2);
        // The first replacement character covers source byte 2 only.
        assert_eq!(d.map.range_to_source(2..5), 2..3);
    }

    #[test]
    fn line_and_column_count_scalar_values() {
        let src = "first\nsé 123\r\nthird".as_bytes();
        let idx = LineIndex::new(src);
        let off = src.windows(3).position(|w| w == b"123").unwrap();
        assert_eq!(idx.position(src, off), (2, 4));
        assert_eq!(idx.position(src, 0), (1, 1));
        assert_eq!(idx.line_range(src, 2), 6..13);
        assert_eq!(&src[idx.line_range(src, 3)], b"third");
    }

    #[test]
    fn cursor_agrees_with_direct_positions_in_any_order() {
        let src = "ab\nçé 12\n\nxyz é".as_bytes();
        let idx = LineIndex::new(src);
        let mut cur = PositionCursor::new(src, &idx);
        for &off in &[0, 1, 3, 5, 8, 3, 12, 13, 16, 2, src.len()] {
            assert_eq!(cur.position(off), idx.position(src, off), "offset {off}");
        }
    }

    #[test]
    fn stepping_by_characters() {
        let t = "añb 12";
        assert_eq!(chars_before(t, 4, 2), 1);
        assert_eq!(chars_before(t, 4, 10), 0);
        assert_eq!(chars_after(t, 0, 2), 3);
        assert_eq!(chars_after(t, 3, 100), t.len());
    }
}
