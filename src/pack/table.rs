//! A set of words compiled into the binary as plain data: the words in one string, and an
//! open-addressing hash table of their offsets. Nothing in it is a pointer but the two slices,
//! so the loader has two relocations to apply instead of one per word (100,000 for the census
//! tables: about 2 ms of every start, and 4 MB of the binary).
//!
//! build.rs includes this file to lay the tables out (`layout`), and phiguard to look words up
//! (`Table::contains`); both hash with [`hash`], so they agree.

/// The hash both sides use: FNV-1a, 64 bits. Words are short, and the hash must not change
/// between the build and the run (so no per-process seed).
pub fn hash(word: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in word {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The layout of a set of distinct words without `\n`: the words, each followed by `\n`, and
/// a power-of-two table at most half full whose slots hold a word's offset plus one (0: empty),
/// each word in the first free slot from its hash on.
#[allow(dead_code)] // build.rs lays the built-in tables out; phiguard only in its tests.
pub fn layout<'a>(words: impl IntoIterator<Item = &'a str>) -> (String, Vec<u32>) {
    let words: Vec<&str> = words.into_iter().collect();
    let size = (words.len() * 2).next_power_of_two().max(2);
    let mut text = String::new();
    let mut slots = vec![0u32; size];
    for w in words {
        debug_assert!(!w.contains('\n'));
        let at = u32::try_from(text.len() + 1).expect("tables are smaller than 4 GiB");
        text.push_str(w);
        text.push('\n');
        let mut i = hash(w.as_bytes()) as usize & (size - 1);
        while slots[i] != 0 {
            i = (i + 1) & (size - 1);
        }
        slots[i] = at;
    }
    (text, slots)
}

/// A set of words laid out by [`layout`].
#[derive(Debug)]
pub struct Table {
    words: &'static str,
    slots: &'static [u32],
    len: usize,
}

#[allow(dead_code)] // build.rs uses only `layout`.
impl Table {
    /// The table of `words` and `slots` as [`layout`] made them, holding `len` words.
    pub const fn new(words: &'static str, slots: &'static [u32], len: usize) -> Table {
        Table { words, slots, len }
    }

    /// Whether `word` is in the set.
    pub fn contains(&self, word: &str) -> bool {
        let size = self.slots.len();
        // No word holds the separator; a probe visits each slot at most once.
        if size == 0 || word.contains('\n') {
            return false;
        }
        let bytes = self.words.as_bytes();
        let mut i = hash(word.as_bytes()) as usize & (size - 1);
        for _ in 0..size {
            let at = self.slots[i] as usize;
            if at == 0 {
                return false;
            }
            let start = at - 1;
            let end = start + word.len();
            if bytes.get(start..end) == Some(word.as_bytes()) && bytes.get(end) == Some(&b'\n') {
                return true;
            }
            i = (i + 1) & (size - 1);
        }
        false
    }

    /// How many words the set holds.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the set holds no word.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_words_laid_out_and_only_them() {
        let words = ["maría", "lee", "o'brien", "ng", "a", "smith-jones"];
        let (text, slots) = layout(words);
        assert_eq!(text, "maría\nlee\no'brien\nng\na\nsmith-jones\n");
        assert_eq!(slots.len(), 16);
        assert_eq!(slots.iter().filter(|&&s| s != 0).count(), 6);
        let text: &'static str = Box::leak(text.into_boxed_str());
        let slots: &'static [u32] = Box::leak(slots.into_boxed_slice());
        let table = Table::new(text, slots, words.len());
        for w in words {
            assert!(table.contains(w), "{w}");
        }
        // Prefixes, extensions, neighbours in the text, case and the separator are not words.
        for w in [
            "mar",
            "maríaa",
            "le",
            "leen",
            "lee\no'brien",
            "LEE",
            "",
            "\n",
            "smith",
        ] {
            assert!(!table.contains(w), "{w:?}");
        }
        assert_eq!(table.len(), 6);
        let empty = Table::new("", &[], 0);
        assert!(empty.is_empty() && !empty.contains("lee"));
        // A table with no free slot (not one `layout` makes) still answers.
        let full = Table::new("lee\nng\n", &[1, 5], 2);
        assert!(full.contains("ng") && full.contains("lee") && !full.contains("kim"));
    }

    #[test]
    fn the_hash_is_fnv_1a() {
        // Published FNV-1a 64-bit test values: the build and the run must agree on them.
        assert_eq!(hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(hash(b"foobar"), 0x8594_4171_f739_67e8);
    }
}
