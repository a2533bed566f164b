//! CSV and TSV, as scheduling tools export posts: each row after the header is a post, each
//! non-empty cell a segment located by its column ("row 12", `column "Message"`).
//!
//! `csv-core` finds the fields (quoting, delimiters inside quotes, multi-line cells, CRLF); the
//! unquoting is redone here so that every character of a cell maps back to its exact offset.

use csv_core::{ReadFieldResult, ReaderBuilder};

use super::{Post, Segment};
use crate::text::OffsetMap;

/// One cell: its text (unquoted) and the map from that text to offsets in the table's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub map: OffsetMap,
}

/// The rows of `text`, split on `delimiter`.
pub fn rows(text: &str, delimiter: u8) -> Vec<Vec<Cell>> {
    let bytes = text.as_bytes();
    let mut reader = ReaderBuilder::new().delimiter(delimiter).build();
    let mut out_buf = vec![0u8; 4096];
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut pos = 0;
    let mut field_start = 0;
    loop {
        let (result, nin, _) = reader.read_field(&bytes[pos..], &mut out_buf);
        pos += nin;
        match result {
            // Only the boundaries matter: the content is re-read from the input below.
            ReadFieldResult::OutputFull => continue,
            ReadFieldResult::InputEmpty if pos < bytes.len() => continue,
            ReadFieldResult::InputEmpty => {
                // Feed the end of input.
                let (result, _, _) = reader.read_field(&[], &mut out_buf);
                if let ReadFieldResult::Field { .. } = result {
                    row.push(cell(text, field_start, pos, delimiter));
                    rows.push(std::mem::take(&mut row));
                }
                break;
            }
            ReadFieldResult::Field { record_end } => {
                row.push(cell(text, field_start, pos, delimiter));
                field_start = pos;
                if record_end {
                    rows.push(std::mem::take(&mut row));
                }
            }
            ReadFieldResult::End => {
                if !row.is_empty() {
                    rows.push(std::mem::take(&mut row));
                }
                break;
            }
        }
    }
    // A blank line is not a row.
    rows.retain(|r| !(r.len() == 1 && r[0].text.is_empty()));
    rows
}

/// The cell whose raw bytes are `text[start..end]`, less the delimiter or line end that closed
/// it and any line end left over from the row before.
fn cell(text: &str, start: usize, end: usize, delimiter: u8) -> Cell {
    let bytes = text.as_bytes();
    let mut s = start;
    while s < end && matches!(bytes[s], b'\r' | b'\n') {
        s += 1;
    }
    let mut e = end;
    if e > s && bytes[e - 1] == delimiter {
        e -= 1;
    } else {
        while e > s && matches!(bytes[e - 1], b'\r' | b'\n') && !closes_quote_before(bytes, s, e) {
            e -= 1;
        }
    }
    let raw = &text[s..e];
    let Some(inner) = raw.strip_prefix('"') else {
        return Cell {
            text: raw.to_owned(),
            map: OffsetMap::identity(s),
        };
    };
    // Quoted: drop the quotes, read "" as ", and keep whatever follows a closing quote.
    let mut out = String::with_capacity(inner.len());
    let mut anchors = vec![(0, s + 1)];
    let mut chars = inner.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '"' {
            // A dropped quote sits between two anchors at the same text offset, so that a
            // range ending there stops before it and one starting there begins after it.
            if chars.peek().is_some_and(|&(_, n)| n == '"') {
                chars.next();
                out.push('"');
                anchors.push((out.len(), s + 1 + i + 1));
                anchors.push((out.len(), s + 1 + i + 2));
            } else {
                // The closing quote.
                anchors.push((out.len(), s + 1 + i));
                anchors.push((out.len(), s + 1 + i + 1));
            }
            continue;
        }
        out.push(c);
    }
    Cell {
        text: out,
        map: OffsetMap::from_anchors(anchors),
    }
}

/// Whether the raw field `bytes[s..e]` is quoted and its line end is inside the quotes (the
/// closing quote is not yet seen before `e`): then the line end belongs to the cell.
fn closes_quote_before(bytes: &[u8], s: usize, e: usize) -> bool {
    if bytes[s] != b'"' {
        return false;
    }
    // Count quotes up to e: an odd count means the quote is still open at e.
    bytes[s..e].iter().filter(|&&b| b == b'"').count() % 2 == 1
}

/// Whether the first row reads as a header: short, distinct labels with letters, no numbers.
fn is_header(first: &[Cell], rows: usize) -> bool {
    let mut seen = std::collections::HashSet::new();
    rows > 1
        && first.iter().all(|c| {
            let t = c.text.trim();
            !t.is_empty()
                && t.chars().count() <= 64
                && t.chars().any(char::is_alphabetic)
                && !t.contains('@')
                && t.chars().filter(char::is_ascii_digit).count() * 2 < t.chars().count()
                && seen.insert(t.to_lowercase())
        })
}

/// Whether a cell is the post's own scheduling stamp (see [`super::schedule_stamp`]); such a
/// column can still be scanned by naming it in `[input] columns`.
fn schedule_stamp(header: Option<&String>, cell: &str) -> bool {
    header.is_some_and(|h| super::schedule_stamp(h, cell))
}

/// The posts of a table: one per row after the header (when there is one), each non-empty cell
/// a segment. `columns`, when not empty, limits the scan to those header names (any case).
/// `text_map` maps the table's text to the source bytes.
///
/// Also returns the names in `columns` that no header cell has (all of them when the table has
/// no header): the caller reports them, since a column that is not there is not checked.
pub fn posts(
    text: &str,
    delimiter: u8,
    columns: &[String],
    text_map: &OffsetMap,
) -> (Vec<Post>, Vec<String>) {
    let rows = rows(text, delimiter);
    let header = rows
        .first()
        .filter(|first| is_header(first, rows.len()))
        .map(|first| {
            first
                .iter()
                .map(|c| c.text.trim().to_owned())
                .collect::<Vec<_>>()
        });
    let missing: Vec<String> = columns
        .iter()
        .filter(|c| {
            !header
                .as_ref()
                .is_some_and(|h| h.iter().any(|name| c.eq_ignore_ascii_case(name)))
        })
        .cloned()
        .collect();
    // A column name longer than this is shown by number: a long "header" may be a first row of
    // text that only looked like one, and locators must not carry it.
    const MAX_NAME: usize = 40;
    let wanted = |k: usize| -> bool {
        columns.is_empty()
            || header.as_ref().is_some_and(|h| {
                h.get(k)
                    .is_some_and(|name| columns.iter().any(|c| c.eq_ignore_ascii_case(name)))
            })
    };
    let skip = usize::from(header.is_some());
    let posts = rows
        .iter()
        .enumerate()
        .skip(skip)
        .map(|(r, row)| Post {
            locator: Some(format!("row {}", r + 1)),
            segments: row
                .iter()
                .enumerate()
                .filter(|(k, c)| {
                    wanted(*k)
                        && !c.text.trim().is_empty()
                        && (!columns.is_empty()
                            || !schedule_stamp(header.as_ref().and_then(|h| h.get(*k)), &c.text))
                })
                .map(|(k, c)| Segment {
                    text: c.text.clone(),
                    map: c.map.then(text_map),
                    locator: Some(match header.as_ref().and_then(|h| h.get(k)) {
                        Some(name) if name.chars().count() <= MAX_NAME => {
                            format!("column {name:?}")
                        }
                        _ => format!("column {}", k + 1),
                    }),
                })
                .collect(),
        })
        .collect();
    (posts, missing)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(rows: &[Vec<Cell>]) -> Vec<Vec<&str>> {
        rows.iter()
            .map(|r| r.iter().map(|c| c.text.as_str()).collect())
            .collect()
    }

    #[test]
    fn quoting_multiline_cells_and_crlf() {
        let t = "Date,Message\r\n2026-03-01,\"Hello, \"\"world\"\"\r\nline two\"\r\n\r\n2026-03-02,plain\n";
        let rows = super::rows(t, b',');
        assert_eq!(
            texts(&rows),
            vec![
                vec!["Date", "Message"],
                vec!["2026-03-01", "Hello, \"world\"\r\nline two"],
                vec!["2026-03-02", "plain"],
            ]
        );
        // Every character maps back to its own byte.
        let cell = &rows[1][1];
        let at = |needle: &str| t.find(needle).unwrap();
        let w = cell.text.find("world").unwrap();
        assert_eq!(cell.map.to_source(w), at("world"));
        let two = cell.text.find("two").unwrap();
        assert_eq!(
            cell.map.range_to_source(two..two + 3),
            at("two")..at("two") + 3
        );
        // A value ending at the closing quote stops before it.
        let end = cell.text.len();
        assert_eq!(cell.map.range_to_source(two..end), at("two")..at("two") + 3);
        let plain = &rows[2][1];
        assert_eq!(plain.map.to_source(0), at("plain"));
    }

    #[test]
    fn tabs_and_a_last_row_without_newline() {
        let rows = super::rows("a\tb\nc\td", b'\t');
        assert_eq!(texts(&rows), vec![vec!["a", "b"], vec!["c", "d"]]);
        assert_eq!(rows[1][1].map.to_source(0), 6);
    }

    #[test]
    fn header_detection_and_locators() {
        let t = "Network,Message,Link\nInstagram,Meet our NICU grads,https://example.com/a\n";
        let (table, missing) = posts(t, b',', &[], &OffsetMap::identity(0));
        assert!(missing.is_empty());
        assert_eq!(table.len(), 1);
        assert_eq!(table[0].locator.as_deref(), Some("row 2"));
        let locs: Vec<_> = table[0]
            .segments
            .iter()
            .map(|s| s.locator.clone().unwrap())
            .collect();
        assert_eq!(
            locs,
            vec![
                "column \"Network\"",
                "column \"Message\"",
                "column \"Link\""
            ]
        );
        let (only, missing) = posts(t, b',', &["message".to_owned()], &OffsetMap::identity(0));
        assert_eq!(only[0].segments.len(), 1);
        assert!(missing.is_empty());
        let (_, missing) = posts(t, b',', &["Mesage".to_owned()], &OffsetMap::identity(0));
        assert_eq!(missing, vec!["Mesage".to_owned()]);
        // No header: numbers in the first row.
        let t = "2026-03-01,Flu shots today\n2026-03-02,Open house\n";
        let (table, _) = posts(t, b',', &[], &OffsetMap::identity(0));
        assert_eq!(table.len(), 2);
        assert_eq!(table[0].locator.as_deref(), Some("row 1"));
        assert_eq!(table[0].segments[1].locator.as_deref(), Some("column 2"));
    }
}
