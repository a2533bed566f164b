//! Text plumbing shared by the stages: decoding source bytes into scannable text while keeping
//! an exact map back to the original bytes, turning byte offsets into 1-based line/column
//! positions, and stepping a number of characters left or right.

use std::ops::Range;
use std::sync::Arc;

/// Maps byte offsets in a segment's scanned text back to byte offsets in the original source.
///
/// The map is piecewise linear: a sorted list of anchors `(text_offset, source_offset)`; an
/// offset between two anchors is shifted by the same amount as the anchor before it. Decoding
/// and normalisation add an anchor wherever the text and the source stop moving in step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetMap {
    anchors: Arc<[(usize, usize)]>,
    /// The map this one's source offsets go through next (see [`OffsetMap::then`]).
    outer: Option<Arc<OffsetMap>>,
}

impl OffsetMap {
    /// Text offset `t` is source offset `base + t`.
    pub fn identity(base: usize) -> OffsetMap {
        OffsetMap {
            anchors: Arc::new([(0, base)]),
            outer: None,
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
        OffsetMap {
            anchors: anchors.into(),
            outer: None,
        }
    }

    /// `Some(base)` when this map is [`OffsetMap::identity`]`(base)`.
    fn shift(&self) -> Option<usize> {
        match (&*self.anchors, &self.outer) {
            ([(0, base)], None) => Some(*base),
            _ => None,
        }
    }

    /// The source offset of text offset `t`.
    pub fn to_source(&self, t: usize) -> usize {
        let s = self.local(t);
        self.outer.as_ref().map_or(s, |o| o.to_source(s))
    }

    /// An offset between two anchors moves with the first but never past the second, so the
    /// map stays monotone even where text is longer than its source (a U+FFFD for one bad byte,
    /// a value some parser decoded its own way).
    fn local(&self, t: usize) -> usize {
        let i = self.anchors.partition_point(|a| a.0 <= t).saturating_sub(1);
        self.shifted(i, t)
    }

    /// Text offset `t` shifted by anchor `i`, held at the next anchor's source offset.
    fn shifted(&self, i: usize, t: usize) -> usize {
        let (at, src) = self.anchors[i];
        let s = src + t.saturating_sub(at);
        match self.anchors.get(i + 1) {
            Some(&(_, next)) => s.min(next),
            None => s,
        }
    }

    /// The text offset of source offset `src` (the inverse of [`OffsetMap::to_source`]); an
    /// offset inside bytes that became one character maps to that character's start.
    pub fn to_text(&self, src: usize) -> usize {
        let src = self.outer.as_ref().map_or(src, |o| o.to_text(src));
        let i = self
            .anchors
            .partition_point(|a| a.1 <= src)
            .saturating_sub(1);
        let (at, base) = self.anchors[i];
        let t = at + src.saturating_sub(base);
        match self.anchors.get(i + 1) {
            Some(&(next, _)) => t.min(next),
            None => t,
        }
    }

    /// This map followed by `outer` (which maps this map's source offsets onward): text
    /// offset → `outer`'s source. The maps are chained, not merged, so composing costs nothing
    /// however many anchors `outer` has (a CSV cell's unquoted text inside a UTF-16 file), and
    /// each map keeps its own rule for bytes it dropped.
    pub fn then(&self, outer: &OffsetMap) -> OffsetMap {
        // Identities compose without a link (most text is UTF-8 that decodes to itself; a
        // large export has one map per value).
        if let Some(shift) = outer.shift() {
            if shift == 0 {
                return self.clone();
            }
            if let Some(base) = self.shift() {
                return OffsetMap::identity(base + shift);
            }
        }
        let next = match &self.outer {
            Some(o) => o.then(outer),
            None => outer.clone(),
        };
        OffsetMap {
            anchors: Arc::clone(&self.anchors),
            outer: Some(Arc::new(next)),
        }
    }

    /// The source byte range of a text range.
    ///
    /// Where several anchors share a text offset (bytes that were dropped or replaced sit
    /// between them), a start maps past the dropped bytes and an end maps before them, so a
    /// range never swallows bytes that are not part of its text.
    pub fn range_to_source(&self, r: Range<usize>) -> Range<usize> {
        let local = self.local_range(r);
        match &self.outer {
            Some(o) => o.range_to_source(local),
            None => local,
        }
    }

    fn local_range(&self, r: Range<usize>) -> Range<usize> {
        let start = self.local(r.start);
        if r.end <= r.start {
            return start..start;
        }
        let i = self.anchors.partition_point(|a| a.0 < r.end);
        let end = match self.anchors.get(i) {
            Some(&(at, src)) if at == r.end => src,
            _ => self.shifted(i - 1, r.end),
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

/// Decodes bytes that start with a UTF-16 byte-order mark (`FF FE` little-endian, `FE FF`
/// big-endian); `None` when there is no such mark. Unpaired surrogates become U+FFFD; the map
/// points every character at its two or four original bytes.
pub fn decode_utf16(bytes: &[u8]) -> Option<Decoded> {
    let little = match bytes {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return None,
    };
    let units = bytes[2..].chunks_exact(2).map(|c| {
        if little {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    let mut text = String::with_capacity(bytes.len() / 2);
    let mut anchors = Vec::with_capacity(bytes.len() / 2 + 1);
    let mut src = 2;
    let mut lossy = false;
    for r in char::decode_utf16(units) {
        anchors.push((text.len(), src));
        let c = r.unwrap_or_else(|_| {
            lossy = true;
            char::REPLACEMENT_CHARACTER
        });
        text.push(c);
        src += c.len_utf16() * 2;
    }
    anchors.push((text.len(), src));
    if bytes.len() % 2 == 1 {
        lossy = true;
    }
    Some(Decoded {
        text,
        map: OffsetMap::from_anchors(anchors),
        lossy,
    })
}

/// Finds 1-based line and column numbers for byte offsets in a source.
///
/// Columns count Unicode scalar values from the start of the line (an invalid UTF-8 sequence
/// counts as one, as it is shown as one replacement character).
///
/// A UTF-8 byte-order mark is not part of line 1: columns count from after it, as editors do.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(bytes: &[u8]) -> LineIndex {
        let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        let mut starts = vec![bom];
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        LineIndex { starts }
    }

    /// The 1-based line number holding byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1)
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
        let start = self.starts[line - 1].min(offset);
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
            offset: lines.starts[0].min(bytes.len()),
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

/// The offset `n` characters before `from`, not before `floor`, in UTF-8 (or lossy) bytes: it
/// steps over continuation bytes, so on valid UTF-8 it lands on character boundaries.
pub fn step_back(bytes: &[u8], from: usize, floor: usize, n: usize) -> usize {
    if from.saturating_sub(floor) <= n {
        return floor.min(from);
    }
    let mut i = from;
    for _ in 0..n {
        if i <= floor {
            break;
        }
        i -= 1;
        while i > floor && is_continuation(bytes[i]) {
            i -= 1;
        }
    }
    i
}

/// The offset `n` characters after `from`, not past `ceil` (see [`step_back`]).
pub fn step_forward(bytes: &[u8], from: usize, ceil: usize, n: usize) -> usize {
    if ceil.saturating_sub(from) <= n {
        return ceil.max(from);
    }
    let mut i = from;
    for _ in 0..n {
        if i >= ceil {
            break;
        }
        i += 1;
        while i < ceil && is_continuation(bytes[i]) {
            i += 1;
        }
    }
    i
}

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composed_maps_keep_both_shifts() {
        // Inner: text "abXcd" where X stands for a dropped quote at middle offset 2.
        // middle "ab\"cd": inner text 0..2 → middle 0..2, inner 2.. → middle 3..
        let inner = OffsetMap::from_anchors(vec![(0, 0), (2, 3)]);
        // Outer: middle offset 4 onward sits two bytes later (a two-byte character before it).
        let outer = OffsetMap::from_anchors(vec![(0, 10), (4, 16)]);
        let m = inner.then(&outer);
        assert_eq!(m.to_source(0), 10);
        assert_eq!(m.to_source(1), 11);
        assert_eq!(m.to_source(2), 13);
        assert_eq!(m.to_source(3), 16);
        assert_eq!(m.range_to_source(2..4), 13..17);
        // Identity inner keeps the outer map as it is.
        let m = OffsetMap::identity(0).then(&outer);
        assert_eq!(m.to_source(3), 13);
        assert_eq!(m.to_source(5), 17);
    }

    #[test]
    fn identity_map_shifts_by_base() {
        let m = OffsetMap::identity(3);
        assert_eq!(m.to_source(0), 3);
        assert_eq!(m.range_to_source(2..5), 5..8);
    }

    #[test]
    fn identities_compose_like_any_other_map() {
        let bad = decode_utf8(b"a\xFFbc").map;
        let cases = [
            (
                OffsetMap::identity(3).then(&OffsetMap::identity(4)),
                vec![7, 8, 9],
            ),
            (
                OffsetMap::identity(3).then(&OffsetMap::identity(0)),
                vec![3, 4, 5],
            ),
            (bad.then(&OffsetMap::identity(0)), vec![0, 1, 2]),
            (bad.then(&OffsetMap::identity(10)), vec![10, 11, 12]),
            (OffsetMap::identity(1).then(&bad), vec![1, 2, 2]),
        ];
        for (map, want) in cases {
            let got: Vec<usize> = (0..3).map(|t| map.to_source(t)).collect();
            assert_eq!(got, want, "{map:?}");
        }
    }

    #[test]
    fn text_longer_than_its_source_never_maps_backwards() {
        // One bad byte is three bytes of U+FFFD: offsets inside it stop at the next byte.
        let d = decode_utf8(b"a\xF0b");
        assert_eq!(d.text, "a\u{fffd}b");
        let mapped: Vec<usize> = (0..=d.text.len()).map(|t| d.map.to_source(t)).collect();
        assert_eq!(mapped, vec![0, 1, 2, 2, 2, 3]);
        assert_eq!(d.map.range_to_source(1..3), 1..2);
    }

    #[test]
    fn source_offsets_map_back_to_text() {
        let d = decode_utf8(b"ab\xFF\xFEcd");
        assert_eq!(d.map.to_text(0), 0);
        assert_eq!(d.map.to_text(2), 2);
        assert_eq!(d.map.to_text(3), 5);
        assert_eq!(d.map.to_text(4), 8);
        assert_eq!(d.map.to_text(5), 9);
        let b = decode_utf8(b"\xEF\xBB\xBFhi");
        assert_eq!(b.map.to_text(3), 0);
        assert_eq!(b.map.to_text(4), 1);
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
    fn utf16_with_a_byte_order_mark_maps_back_to_its_bytes() {
        let mut le = vec![0xFF, 0xFE];
        for u in "SSN 98é".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode_utf16(&le).unwrap();
        assert_eq!(d.text, "SSN 98é");
        assert!(!d.lossy);
        // "98" is characters 4..6: bytes 2 + 4*2 .. 2 + 6*2.
        assert_eq!(d.map.range_to_source(4..6), 10..14);
        // "é" is 2 bytes of text, one UTF-16 unit.
        assert_eq!(d.map.range_to_source(6..8), 14..16);
        let be: Vec<u8> = [0xFE, 0xFF, 0x00, 0x41, 0xD8, 0x00].to_vec();
        let d = decode_utf16(&be).unwrap();
        assert_eq!(d.text, "A\u{FFFD}");
        assert!(d.lossy);
        assert!(decode_utf16(b"plain").is_none());
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
    fn a_byte_order_mark_is_not_a_column() {
        let src = "\u{FEFF}SSN 1\nx".as_bytes();
        let idx = LineIndex::new(src);
        assert_eq!(idx.position(src, 3), (1, 1));
        assert_eq!(idx.position(src, 7), (1, 5));
        assert_eq!(&src[idx.line_range(src, 1)], b"SSN 1");
        let mut cur = PositionCursor::new(src, &idx);
        assert_eq!(cur.position(7), (1, 5));
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
        let t = "añb 12".as_bytes();
        assert_eq!(step_back(t, 4, 0, 2), 1);
        assert_eq!(step_back(t, 4, 0, 10), 0);
        assert_eq!(step_back(t, 4, 2, 10), 2);
        assert_eq!(step_forward(t, 0, t.len(), 2), 3);
        assert_eq!(step_forward(t, 3, t.len(), 100), t.len());
        assert_eq!(step_forward(t, 3, 5, 1), 4);
    }
}
