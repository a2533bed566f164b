//! Building a segment's text piece by piece while keeping the exact map back to the offsets its
//! pieces came from: a character copied as it is keeps its own offset, a decoded escape or
//! reference stands for all of its bytes.

use std::ops::Range;

use crate::text::OffsetMap;

/// A stretch of decoded text and the source bytes it stands for. When the two read the same,
/// the stretch is copied verbatim (each character at its own offset); otherwise it replaces
/// its bytes as a whole (`&amp;` → `&`, `\t` → a tab, `''` → `'`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// Range in the decoded text.
    pub text: Range<usize>,
    /// Range in the source.
    pub src: Range<usize>,
}

/// Text under construction and its anchors (text offset → source offset).
#[derive(Debug, Default)]
pub struct MappedText {
    text: String,
    anchors: Vec<(usize, usize)>,
}

impl MappedText {
    pub fn new() -> MappedText {
        MappedText::default()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn ends_with(&self, c: char) -> bool {
        self.text.ends_with(c)
    }

    /// Appends `s`, whose characters are the source's from offset `src` on, one for one.
    pub fn push_verbatim(&mut self, s: &str, src: usize) {
        self.start_piece(src);
        self.text.push_str(s);
    }

    /// Appends `s`, which stands for the source bytes `src` as a whole.
    pub fn push_for(&mut self, s: &str, src: Range<usize>) {
        self.start_piece(src.start);
        self.text.push_str(s);
        self.anchors.push((self.text.len(), src.end));
    }

    /// Anchors a piece starting at source offset `src`. When it does not follow on from the
    /// text so far, the text so far is first closed where its last piece ends, so that a range
    /// ending here does not take in the bytes skipped between the two (a closing tag).
    fn start_piece(&mut self, src: usize) {
        let at = self.text.len();
        let end = self.anchors.last().map(|&(t, base)| base + (at - t));
        if end == Some(src) {
            return;
        }
        if let Some(end) = end.filter(|&end| end < src) {
            self.anchors.push((at, end));
        }
        self.anchors.push((at, src));
    }

    /// Appends `decoded[unit.text]` for each unit, `base` being the source offset of the units'
    /// `src` ranges.
    pub fn push_units(&mut self, decoded: &str, raw: &str, base: usize, units: &[Unit]) {
        for u in units {
            let s = &decoded[u.text.clone()];
            if s == &raw[u.src.clone()] {
                self.push_verbatim(s, base + u.src.start);
            } else {
                self.push_for(s, base + u.src.start..base + u.src.end);
            }
        }
    }

    /// The text and its map, or `None` when the pieces did not come in source order (a map
    /// must never point backwards).
    pub fn finish(self) -> Option<(String, OffsetMap)> {
        if self.anchors.is_empty() {
            return Some((self.text, OffsetMap::identity(0)));
        }
        let ordered = self.anchors[0].0 == 0
            && self
                .anchors
                .windows(2)
                .all(|w| w[0].0 <= w[1].0 && w[0].1 <= w[1].1);
        ordered.then(|| (self.text, OffsetMap::from_anchors(self.anchors)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbatim_and_replaced_pieces_map_to_their_bytes() {
        // Source: "ab&amp;cd" at offset 10.
        let mut m = MappedText::new();
        m.push_verbatim("ab", 10);
        m.push_for("&", 12..17);
        m.push_verbatim("cd", 17);
        // Then "ef" after a skipped tag "<b>".
        m.push_verbatim("ef", 22);
        let (text, map) = m.finish().unwrap();
        assert_eq!(text, "ab&cdef");
        assert_eq!(map.range_to_source(3..5), 17..19);
        assert_eq!(map.range_to_source(4..6), 18..23);
        assert_eq!(map.range_to_source(0..2), 10..12);
        assert_eq!(map.range_to_source(2..3), 12..17);
        assert_eq!(map.range_to_source(3..5), 17..19);
        assert_eq!(map.range_to_source(1..4), 11..18);
        // A replaced piece after a gap closes the text before it too.
        let mut m = MappedText::new();
        m.push_verbatim("Doe", 0);
        m.push_for(" ", 8..9);
        m.push_verbatim("x", 9);
        let (_, map) = m.finish().unwrap();
        assert_eq!(map.range_to_source(0..3), 0..3);
        assert_eq!(map.range_to_source(3..4), 8..9);
    }

    #[test]
    fn out_of_order_pieces_are_refused() {
        let mut m = MappedText::new();
        m.push_verbatim("ab", 10);
        m.push_verbatim("cd", 3);
        assert!(m.finish().is_none());
    }
}
