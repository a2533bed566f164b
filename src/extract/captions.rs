//! Caption files (SubRip `.srt`, WebVTT `.vtt`): a video's captions are one post, each cue's
//! text a segment located by its number and start time (`cue 3 at 00:00:05,000`). Cue timings,
//! numbers and identifiers, the `WEBVTT` header and `NOTE`, `STYLE` and `REGION` blocks are not
//! scanned, so a timing is never taken for a date or a phone number.

use super::{Post, Segment};
use crate::text::OffsetMap;

/// The cues of a caption file's text as segments; `text_map` maps the text to source bytes.
pub fn post(text: &str, text_map: &OffsetMap) -> Post {
    let mut segments = Vec::new();
    let mut ordinal = 0;
    for block in blocks(text) {
        let lines: Vec<(usize, &str)> = block;
        let Some(timing) = lines.iter().position(|(_, l)| l.contains("-->")) else {
            continue;
        };
        ordinal += 1;
        // SubRip numbers its cues; WebVTT may name them. Otherwise count them.
        let number = timing
            .checked_sub(1)
            .map(|k| lines[k].1.trim())
            .filter(|id| id.bytes().all(|b| b.is_ascii_digit()) && !id.is_empty())
            .map_or_else(|| ordinal.to_string(), str::to_owned);
        let start_time = lines[timing]
            .1
            .split("-->")
            .next()
            .unwrap_or("")
            .trim()
            .to_owned();
        let body = &lines[timing + 1..];
        let (Some(first), Some(last)) = (body.first(), body.last()) else {
            continue;
        };
        let (start, end) = (first.0, last.0 + last.1.len());
        let cue = &text[start..end];
        if cue.trim().is_empty() {
            continue;
        }
        segments.push(Segment {
            text: cue.to_owned(),
            map: OffsetMap::identity(start).then(text_map),
            locator: Some(format!("cue {number} at {start_time}")),
        });
    }
    Post {
        locator: None,
        segments,
    }
}

/// Blocks of non-blank lines, each line with its offset (line ends excluded); header and
/// comment blocks (`WEBVTT`, `NOTE`, `STYLE`, `REGION`) are left out.
fn blocks(text: &str) -> Vec<Vec<(usize, &str)>> {
    let mut out = Vec::new();
    let mut block: Vec<(usize, &str)> = Vec::new();
    let mut at = 0;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() {
            if !block.is_empty() {
                out.push(std::mem::take(&mut block));
            }
        } else {
            block.push((at, line));
        }
        at += raw.len();
    }
    if !block.is_empty() {
        out.push(block);
    }
    out.retain(|b| {
        let head = b[0].1.trim_start_matches('\u{feff}');
        !["WEBVTT", "NOTE", "STYLE", "REGION"].iter().any(|k| {
            head == *k || head.starts_with(&format!("{k} ")) || head.starts_with(&format!("{k}\t"))
        })
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srt_cues_with_numbers_and_times() {
        let t = "1\r\n00:00:01,000 --> 00:00:04,000\r\nThis is Jaylen,\r\nour patient.\r\n\r\n2\r\n00:00:05,500 --> 00:00:07,000\r\nHe beat cancer!\r\n";
        let p = post(t, &OffsetMap::identity(0));
        let cues: Vec<(&str, &str)> = p
            .segments
            .iter()
            .map(|s| (s.locator.as_deref().unwrap(), s.text.as_str()))
            .collect();
        assert_eq!(
            cues,
            vec![
                ("cue 1 at 00:00:01,000", "This is Jaylen,\r\nour patient."),
                ("cue 2 at 00:00:05,500", "He beat cancer!"),
            ]
        );
        let seg = &p.segments[1];
        assert_eq!(seg.map.to_source(3), t.find("beat").unwrap());
    }

    #[test]
    fn vtt_header_notes_and_unnumbered_cues() {
        let t = "WEBVTT\n\nNOTE written by the comms team\n\nintro\n00:01.000 --> 00:04.000 align:start\n<v Dr. Lee>Welcome!\n\n00:05.000 --> 00:06.000\nCall 555-0147\n";
        let p = post(t, &OffsetMap::identity(0));
        let cues: Vec<(&str, &str)> = p
            .segments
            .iter()
            .map(|s| (s.locator.as_deref().unwrap(), s.text.as_str()))
            .collect();
        assert_eq!(
            cues,
            vec![
                ("cue 1 at 00:01.000", "<v Dr. Lee>Welcome!"),
                ("cue 2 at 00:05.000", "Call 555-0147"),
            ]
        );
    }
}
