//! HTML pages (a clinic's news page, a CMS export): a page is one post. Its visible text is one
//! segment that reads as a visitor reads it — `<b>Jane</b> Doe` is "Jane Doe", a new paragraph,
//! list item, cell or line break starts a new line — and the texts a visitor meets elsewhere
//! are segments of their own: `<title>`, image descriptions and tooltips (`<img alt>`,
//! `<a title>`, `<button aria-label>`...) and the share texts of `<meta>` (`<meta
//! name="description">`, `og:description`...). Tags, attribute names, URLs, scripts, styles,
//! templates and comments are not scanned.
//!
//! `html5gum` tokenizes (as browsers do, WHATWG) and gives each text run and attribute its
//! span; character references (`&amp;`, `&#64;`, `&eacute;`) are decoded by it, and aligned here
//! so that every decoded character maps to the bytes of its reference.

use std::ops::Range;

use html5gum::{DefaultEmitter, StartTag, State, Token, Tokenizer};

use super::mapped::{MappedText, Unit};
use super::{Post, Segment};
use crate::text::OffsetMap;

/// Attributes whose text a visitor reads (or hears, with a screen reader): image descriptions,
/// tooltips, accessible labels, form hints shown in empty fields, and lightbox captions.
const TEXT_ATTRIBUTES: &[&str] = &[
    "alt",
    "title",
    "aria-label",
    "aria-description",
    "placeholder",
    "data-caption",
];

/// `<meta name|property>` values whose `content` is shown when the page is shared or listed.
const META_TEXTS: &[&str] = &[
    "description",
    "keywords",
    "og:title",
    "og:description",
    "og:image:alt",
    "twitter:title",
    "twitter:description",
    "twitter:image:alt",
];

/// Elements whose content a visitor never sees as text.
const HIDDEN: &[&str] = &[
    "script", "style", "template", "noscript", "iframe", "noembed", "noframes",
];

/// Elements that start a new line of text where they open and close.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "legend",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "optgroup",
    "option",
    "p",
    "pre",
    "section",
    "select",
    "summary",
    "table",
    "tbody",
    "td",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Elements whose whitespace is kept as written.
const PREFORMATTED: &[&str] = &["pre", "textarea", "listing", "xmp", "plaintext"];

/// The page in `text` as one post (none when it has no text to scan).
pub fn posts(text: &str, text_map: &OffsetMap) -> Vec<Post> {
    let mut page = Page::new(text);
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    // Script, style and title contents are read as browsers read them, not as markup.
    emitter.naively_switch_states(true);
    for token in Tokenizer::new_with_emitter(text, emitter) {
        match token {
            Ok(token) => page.token(token),
            Err(never) => match never {},
        }
    }
    let mut segments = page.finish();
    if segments.is_empty() {
        return Vec::new();
    }
    for s in &mut segments {
        s.map = s.map.then(text_map);
    }
    segments.sort_by_key(|s| s.map.to_source(0));
    vec![Post {
        locator: None,
        segments,
    }]
}

/// How the tokenizer read a stretch of text, which decides how its references decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    /// Ordinary content.
    Data,
    /// `<title>`, `<textarea>`: references decoded, no tags.
    RcData,
    /// `<xmp>`, `<plaintext>`: nothing decoded.
    RawText,
    /// An attribute value.
    Attribute,
}

/// The page being read.
struct Page<'a> {
    text: &'a str,
    body: Flow,
    title: Option<Flow>,
    segments: Vec<Segment>,
    /// How many hidden elements (script, template...) the tokens are inside.
    hidden: usize,
    /// How many preformatted elements the tokens are inside.
    preformatted: usize,
    in_head: bool,
    context: Context,
}

impl<'a> Page<'a> {
    fn new(text: &'a str) -> Page<'a> {
        Page {
            text,
            body: Flow::default(),
            title: None,
            segments: Vec::new(),
            hidden: 0,
            preformatted: 0,
            in_head: false,
            context: Context::Data,
        }
    }

    fn token(&mut self, token: Token<usize>) {
        match token {
            Token::StartTag(tag) => self.start_tag(&tag),
            Token::EndTag(tag) => {
                self.context = Context::Data;
                self.end_tag(&name_of(&tag.name), tag.span.start);
            }
            Token::String(s) => self.string(&s.value, s.span.start..s.span.end),
            Token::Comment(_) | Token::Doctype(_) | Token::Error(_) => {}
        }
    }

    fn start_tag(&mut self, tag: &StartTag<usize>) {
        let name = name_of(&tag.name);
        let name = name.as_str();
        self.context = match name {
            "title" | "textarea" => Context::RcData,
            "xmp" | "plaintext" => Context::RawText,
            _ => Context::Data,
        };
        if BLOCKS.contains(&name) {
            self.body.boundary(tag.span.start);
        }
        if PREFORMATTED.contains(&name) {
            self.preformatted += 1;
        }
        match name {
            "head" => self.in_head = true,
            "body" => self.in_head = false,
            "title" => self.title = Some(Flow::default()),
            _ => {}
        }
        if self.hidden > 0 {
            if HIDDEN.contains(&name) {
                self.hidden += 1;
            }
            return;
        }
        if name == "meta" {
            self.meta(tag);
        } else if !self.in_head {
            self.attributes(name, tag);
        }
        if HIDDEN.contains(&name) {
            self.hidden += 1;
        }
    }

    fn end_tag(&mut self, name: &str, at: usize) {
        if BLOCKS.contains(&name) {
            self.body.boundary(at);
        }
        if PREFORMATTED.contains(&name) {
            self.preformatted = self.preformatted.saturating_sub(1);
        }
        if HIDDEN.contains(&name) {
            self.hidden = self.hidden.saturating_sub(1);
        }
        match name {
            "head" => self.in_head = false,
            "title" => self.finish_title(),
            _ => {}
        }
    }

    fn string(&mut self, value: &[u8], span: Range<usize>) {
        if self.hidden > 0 {
            return;
        }
        let keep_whitespace = self.preformatted > 0;
        let flow = match self.title.as_mut() {
            Some(title) => title,
            None if self.in_head => return,
            None => &mut self.body,
        };
        let decoded = String::from_utf8_lossy(value);
        flow.push_run(self.text, span, &decoded, self.context, keep_whitespace);
    }

    fn finish_title(&mut self) {
        if let Some(title) = self.title.take() {
            push_segment(&mut self.segments, title, "<title>".to_owned());
        }
    }

    /// The texts of a tag's attributes a visitor reads, in the order they are written.
    fn attributes(&mut self, name: &str, tag: &StartTag<usize>) {
        let mut found: Vec<(&str, usize, String)> = tag
            .attributes
            .iter()
            .filter_map(|(attr, value)| {
                let attr = std::str::from_utf8(attr).ok()?;
                let known = TEXT_ATTRIBUTES
                    .iter()
                    .find(|a| a.eq_ignore_ascii_case(attr))?;
                Some((
                    *known,
                    value.span.start,
                    String::from_utf8_lossy(&value.value).into_owned(),
                ))
            })
            .collect();
        found.sort_by_key(|f| f.1);
        for (attr, at, decoded) in found {
            self.attribute(at, &decoded, format!("<{name} {attr}>"));
        }
    }

    /// `<meta name="description" content="...">` and the like.
    fn meta(&mut self, tag: &StartTag<usize>) {
        let get = |key: &str| {
            tag.attributes
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key.as_bytes()))
                .map(|(_, v)| v)
        };
        let Some(content) = get("content") else {
            return;
        };
        for key in ["name", "property"] {
            let Some(kind) = get(key) else { continue };
            let kind = String::from_utf8_lossy(&kind.value).trim().to_owned();
            if META_TEXTS.iter().any(|m| m.eq_ignore_ascii_case(&kind)) {
                let decoded = String::from_utf8_lossy(&content.value).into_owned();
                self.attribute(
                    content.span.start,
                    &decoded,
                    format!("<meta {key}=\"{kind}\">"),
                );
                return;
            }
        }
    }

    /// One attribute's value as a segment; `at` is where the attribute (its name) starts.
    fn attribute(&mut self, at: usize, decoded: &str, locator: String) {
        let Some(value) = value_range(self.text, at) else {
            return;
        };
        let mut flow = Flow::default();
        flow.push_run(self.text, value, decoded, Context::Attribute, false);
        push_segment(&mut self.segments, flow, locator);
    }

    fn finish(mut self) -> Vec<Segment> {
        self.finish_title();
        let body = std::mem::take(&mut self.body);
        if let Some((text, map)) = body.finish()
            && !text.trim().is_empty()
        {
            self.segments.push(Segment {
                text,
                map,
                locator: None,
            });
        }
        self.segments
    }
}

fn name_of(name: &[u8]) -> String {
    String::from_utf8_lossy(name).to_ascii_lowercase()
}

fn push_segment(segments: &mut Vec<Segment>, flow: Flow, locator: String) {
    if let Some((text, map)) = flow.finish()
        && !text.trim().is_empty()
    {
        segments.push(Segment {
            text,
            map,
            locator: Some(locator),
        });
    }
}

/// The source range of the value of the attribute whose name starts at `at` (`name="value"`,
/// `name='value'`, `name=value`); `None` when it has no value.
fn value_range(text: &str, at: usize) -> Option<Range<usize>> {
    let rest = text.get(at..)?;
    let name_end = rest.find(|c: char| c == '=' || c == '>' || is_space(c))?;
    let after_name = rest[name_end..].trim_start_matches(is_space);
    let after_eq = after_name.strip_prefix('=')?.trim_start_matches(is_space);
    let start = at + (rest.len() - after_eq.len());
    match after_eq.chars().next()? {
        q @ ('"' | '\'') => {
            let inner = &after_eq[1..];
            let len = inner.find(q).unwrap_or(inner.len());
            Some(start + 1..start + 1 + len)
        }
        _ => {
            let len = after_eq
                .find(|c: char| c == '>' || is_space(c))
                .unwrap_or(after_eq.len());
            Some(start..start + len)
        }
    }
}

/// HTML's whitespace (the ASCII kind; a no-break space is text).
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0C')
}

/// Text as a visitor reads it: each run of whitespace one space (outside `<pre>`), a line break
/// where a block starts or ends, nothing added between inline runs.
#[derive(Debug, Default)]
struct Flow {
    out: MappedText,
    /// Whitespace seen since the last text: one space if more text follows on this line.
    space: Option<Range<usize>>,
    /// The first block boundary since the last text, mapped at its tag.
    boundary: Option<usize>,
}

impl Flow {
    fn boundary(&mut self, at: usize) {
        self.boundary.get_or_insert(at);
    }

    /// Adds a text run: `decoded` read from the source bytes `span` of `text`.
    fn push_run(
        &mut self,
        text: &str,
        span: Range<usize>,
        decoded: &str,
        context: Context,
        keep_whitespace: bool,
    ) {
        let Some(raw) = text.get(span.clone()) else {
            return;
        };
        let Some(units) = align(raw, decoded, context) else {
            // Not expected; the decoded run then stands for its bytes as a whole.
            self.text(decoded, span, false);
            return;
        };
        for u in units {
            let s = &decoded[u.text.clone()];
            let src = span.start + u.src.start..span.start + u.src.end;
            let verbatim = s == &raw[u.src.clone()];
            if keep_whitespace {
                self.text(s, src, verbatim);
            } else if verbatim {
                self.verbatim_collapsed(s, src.start);
            } else if s.chars().all(is_space) {
                self.space(src);
            } else {
                self.text(s, src, false);
            }
        }
    }

    /// Verbatim text whose whitespace runs become single spaces.
    fn verbatim_collapsed(&mut self, s: &str, src: usize) {
        let mut at = 0;
        while at < s.len() {
            let rest = &s[at..];
            let ws = rest.len() - rest.trim_start_matches(is_space).len();
            if ws > 0 {
                self.space(src + at..src + at + ws);
                at += ws;
                continue;
            }
            let word = rest.find(is_space).unwrap_or(rest.len());
            self.text(&rest[..word], src + at..src + at + word, true);
            at += word;
        }
    }

    fn space(&mut self, src: Range<usize>) {
        match &mut self.space {
            Some(r) => r.end = src.end,
            None => self.space = Some(src),
        }
    }

    fn text(&mut self, s: &str, src: Range<usize>, verbatim: bool) {
        if !self.out.is_empty() {
            if let Some(at) = self.boundary {
                if !self.out.ends_with('\n') {
                    self.out.push_for("\n", at..at + 1);
                }
            } else if let Some(r) = self.space.clone() {
                self.out.push_for(" ", r);
            }
        }
        self.boundary = None;
        self.space = None;
        if verbatim {
            self.out.push_verbatim(s, src.start);
        } else {
            self.out.push_for(s, src);
        }
    }

    fn finish(self) -> Option<(String, OffsetMap)> {
        self.out.finish()
    }
}

/// Aligns a run's decoded text with its raw bytes: which stretches are copied verbatim and
/// which decoded characters stand for a character reference (or a normalised line end). Each
/// reference is decoded again on its own by the tokenizer, so the two always agree on what a
/// reference is; `None` if the pieces do not add up to `decoded`.
fn align(raw: &str, decoded: &str, context: Context) -> Option<Vec<Unit>> {
    let references = context != Context::RawText;
    let mut starts = vec![0];
    if references {
        starts.extend(raw.match_indices('&').map(|(i, _)| i).filter(|&i| i > 0));
    }
    let mut units = Vec::new();
    let mut done = 0;
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(raw.len());
        let piece = &raw[start..end];
        let (expected, piece_units) = if references && piece.starts_with('&') {
            let expanded = expand(piece, context)?;
            let piece_units = reference(piece, &expanded, context)?;
            (expanded, piece_units)
        } else {
            literal(piece, context)
        };
        if !decoded.get(done..)?.starts_with(&expected) {
            return None;
        }
        units.extend(piece_units.into_iter().map(|u| Unit {
            text: done + u.text.start..done + u.text.end,
            src: start + u.src.start..start + u.src.end,
        }));
        done += expected.len();
    }
    (done == decoded.len()).then_some(units)
}

/// How the tokenizer reads one character outside a reference: line ends become `\n`, NUL
/// becomes U+FFFD except in ordinary content.
fn literal_char(c: char, context: Context) -> char {
    match c {
        '\r' => '\n',
        '\0' if context != Context::Data => '\u{FFFD}',
        c => c,
    }
}

/// A stretch without references: its decoded text and units (verbatim runs, normalised line
/// ends and NULs).
fn literal(raw: &str, context: Context) -> (String, Vec<Unit>) {
    let mut out = String::with_capacity(raw.len());
    let mut units = Vec::new();
    let mut run = 0;
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let d = literal_char(c, context);
        if d == c {
            continue;
        }
        let mut len = 1;
        if c == '\r' && chars.peek().is_some_and(|&(_, n)| n == '\n') {
            chars.next();
            len = 2;
        }
        if i > run {
            units.push(Unit {
                text: out.len()..out.len() + (i - run),
                src: run..i,
            });
            out.push_str(&raw[run..i]);
        }
        let at = out.len();
        out.push(d);
        units.push(Unit {
            text: at..out.len(),
            src: i..i + len,
        });
        run = i + len;
    }
    if run < raw.len() {
        units.push(Unit {
            text: out.len()..out.len() + (raw.len() - run),
            src: run..raw.len(),
        });
        out.push_str(&raw[run..]);
    }
    (out, units)
}

/// A piece starting with `&` (and running to the next `&`) as the tokenizer reads it alone.
fn expand(piece: &str, context: Context) -> Option<String> {
    let mut out = Vec::new();
    if context == Context::Attribute {
        let quote = ['"', '\''].into_iter().find(|q| !piece.contains(*q))?;
        let html = format!("<a v={quote}{piece}{quote}>");
        for token in Tokenizer::new(&html) {
            if let Ok(Token::StartTag(tag)) = token {
                out = tag.attributes.get(b"v".as_slice())?.value.to_vec();
            }
        }
    } else {
        let mut tokenizer = Tokenizer::new(piece);
        if context == Context::RcData {
            tokenizer.set_state(State::RcData);
        }
        for token in tokenizer {
            match token {
                Ok(Token::String(s)) => out.extend_from_slice(&s.value),
                Ok(Token::Error(_)) => {}
                Ok(_) => return None,
                Err(never) => match never {},
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Units for a piece that starts with a reference: the reference is what is left once the
/// longest end that reads the same in `piece` and `expanded` is taken off, keeping at least the
/// `&` and one decoded character for it (`&amp;amp;` → `&` for `&amp;`, then `amp;`).
fn reference(piece: &str, expanded: &str, context: Context) -> Option<Vec<Unit>> {
    let (mut raw_end, mut text_end) = (piece.len(), expanded.len());
    while let Some(c) = piece[..raw_end].chars().next_back() {
        let (len, d) = if c == '\n' && piece[..raw_end - 1].ends_with('\r') {
            (2, '\n')
        } else {
            (c.len_utf8(), literal_char(c, context))
        };
        let Some(e) = expanded[..text_end].chars().next_back() else {
            break;
        };
        if e != d || raw_end - len < 1 || text_end - e.len_utf8() < 1 {
            break;
        }
        raw_end -= len;
        text_end -= e.len_utf8();
    }
    let (tail, tail_units) = literal(&piece[raw_end..], context);
    if tail != expanded[text_end..] {
        return None;
    }
    let mut units = vec![Unit {
        text: 0..text_end,
        src: 0..raw_end,
    }];
    units.extend(tail_units.into_iter().map(|u| Unit {
        text: text_end + u.text.start..text_end + u.text.end,
        src: raw_end + u.src.start..raw_end + u.src.end,
    }));
    Some(units)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(locator, text)` of each segment of the page's post.
    fn segments(html: &str) -> Vec<(String, String)> {
        posts(html, &OffsetMap::identity(0))
            .into_iter()
            .flat_map(|p| p.segments)
            .map(|s| (s.locator.unwrap_or_default(), s.text))
            .collect()
    }

    /// The source text a segment's text range maps to.
    fn source_of<'a>(html: &'a str, seg: &Segment, needle: &str) -> &'a str {
        let at = seg.text.find(needle).expect("needle in segment");
        &html[seg.map.range_to_source(at..at + needle.len())]
    }

    fn body(html: &str) -> Segment {
        posts(html, &OffsetMap::identity(0))
            .remove(0)
            .segments
            .into_iter()
            .find(|s| s.locator.is_none())
            .expect("a body segment")
    }

    #[test]
    fn html_is_chosen_by_extension() {
        use crate::extract::InputFormat;
        for name in ["a.html", "b.HTM", "c.xhtml"] {
            assert_eq!(InputFormat::of_name(name), InputFormat::Html, "{name}");
        }
    }

    #[test]
    fn inline_runs_join_and_blocks_start_lines() {
        let html = "<p>Our patient <b>Jane</b>\n   <i>Doe</i>!</p><p>Second<br>line</p>\
                    <ul><li>one</li><li>t<em>wo</em></li></ul>";
        let seg = body(html);
        assert_eq!(seg.text, "Our patient Jane Doe!\nSecond\nline\none\ntwo");
        assert_eq!(source_of(html, &seg, "Jane Doe"), "Jane</b>\n   <i>Doe");
        assert_eq!(
            source_of(html, &seg, "Our patient Jane"),
            "Our patient <b>Jane"
        );
        assert_eq!(source_of(html, &seg, "two"), "t<em>wo");
        // The line break stands for the tag that made it.
        let nl = seg.text.find("\nSecond").unwrap();
        assert_eq!(&html[seg.map.range_to_source(nl..nl + 1)], "<");
        assert_eq!(seg.map.to_source(nl), html.find("</p><p>Second").unwrap());
    }

    #[test]
    fn references_map_to_their_bytes() {
        let html = "<p>jane&#46;example&#x40;example.com &amp; caf&eacute;&nbsp;ok &notit; \
                    &amp;amp; &#8203;x AT&T&semi;</p>";
        let seg = body(html);
        assert_eq!(
            seg.text,
            "jane.example@example.com & café\u{a0}ok ¬it; &amp; \u{200b}x AT&T;"
        );
        assert_eq!(
            source_of(html, &seg, "jane.example@example.com"),
            "jane&#46;example&#x40;example.com"
        );
        assert_eq!(source_of(html, &seg, "."), "&#46;");
        assert_eq!(source_of(html, &seg, "@"), "&#x40;");
        assert_eq!(source_of(html, &seg, "é"), "&eacute;");
        assert_eq!(source_of(html, &seg, "\u{a0}"), "&nbsp;");
        // A reference without its semicolon stops where the name it knows stops.
        assert_eq!(source_of(html, &seg, "¬"), "&not");
        assert_eq!(source_of(html, &seg, "¬it;"), "&notit;");
        assert_eq!(source_of(html, &seg, "&amp;"), "&amp;amp;");
        assert_eq!(source_of(html, &seg, "\u{200b}x"), "&#8203;x");
        // A bare & is itself; &semi; is a semicolon.
        assert_eq!(source_of(html, &seg, "AT&T;"), "AT&T&semi;");
        assert_eq!(source_of(html, &seg, "T;"), "T&semi;");
    }

    #[test]
    fn references_in_attributes_and_title() {
        let html = "<html><head><title>Dr &amp; Mrs\r\n Lee</title>\
                    <meta name=\"Description\" content=\"Call 555&#x2D;0147 &copy=1\">\
                    <meta property=\"og:url\" content=\"https://example.com/\"></head>\
                    <body><img src=\"x.png\" alt = 'Jos&eacute;, &quot;knee&quot;' title=Tip>\
                    <a href=\"/p?a=1&amp;b=2\" aria-label=\"Jo&#8217;s page\">go</a></body></html>";
        let got = segments(html);
        assert_eq!(
            got,
            vec![
                ("<title>".to_owned(), "Dr & Mrs Lee".to_owned()),
                (
                    "<meta name=\"Description\">".to_owned(),
                    "Call 555-0147 &copy=1".to_owned()
                ),
                ("<img alt>".to_owned(), "José, \"knee\"".to_owned()),
                ("<img title>".to_owned(), "Tip".to_owned()),
                ("<a aria-label>".to_owned(), "Jo\u{2019}s page".to_owned()),
                (String::new(), "go".to_owned()),
            ]
        );
        let segs = posts(html, &OffsetMap::identity(0)).remove(0).segments;
        assert_eq!(source_of(html, &segs[0], "Mrs Lee"), "Mrs\r\n Lee");
        assert_eq!(source_of(html, &segs[1], "555-0147"), "555&#x2D;0147");
        // In an attribute, a legacy reference before `=` is not decoded.
        assert_eq!(source_of(html, &segs[1], "&copy=1"), "&copy=1");
        assert_eq!(source_of(html, &segs[2], "José"), "Jos&eacute;");
        assert_eq!(source_of(html, &segs[3], "Tip"), "Tip");
    }

    #[test]
    fn scripts_styles_templates_comments_and_head_are_not_text() {
        let html = "<!DOCTYPE html><html><head><meta charset=utf-8><style>p{}</style>\
                    <script>var ssn = '987-65-4320';</script></head><body>\
                    <template><p>Draft <img alt=hidden></p></template><!-- MRN 12345 -->\
                    <noscript>Enable JS</noscript><p>Vis<!-- x -->ible</p>\
                    <script>document.write('<b>x</b>')</script><pre>a\n  b</pre></body></html>";
        assert_eq!(
            segments(html),
            vec![(String::new(), "Visible\na\n  b".to_owned())]
        );
        assert!(posts("<script>x()</script>", &OffsetMap::identity(0)).is_empty());
    }

    #[test]
    fn alignment_agrees_with_the_tokenizer_on_odd_text() {
        let odd = [
            "&",
            "&&",
            "a&",
            "&#",
            "&#x",
            "&#xZ;",
            "&#0;",
            "&#xD800;",
            "&#128;",
            "&#13;\r\n",
            "&notin",
            "&amp",
            "&ampx",
            "&amp&lt",
            "a\r\nb\rc\r",
            "nul\0here",
            "&#x1F600;!",
            "&nGt;",
            "&unknown;",
            "x &#99999999999; y",
            "&#65&#66",
            "é&eacute",
        ];
        for text in odd {
            for (html, context) in [
                (format!("<p>{text}</p>"), Context::Data),
                (format!("<title>{text}</title>"), Context::RcData),
            ] {
                let mut emitter = DefaultEmitter::<usize>::new_with_span();
                emitter.naively_switch_states(true);
                for token in Tokenizer::new_with_emitter(html.as_str(), emitter) {
                    if let Ok(Token::String(s)) = token {
                        let decoded = String::from_utf8_lossy(&s.value);
                        let raw = &html[s.span.start..s.span.end];
                        assert!(
                            align(raw, &decoded, context).is_some(),
                            "{raw:?} read as {decoded:?}"
                        );
                    }
                }
            }
            let html = format!("<img alt='{text}'>");
            let t = Tokenizer::new_with_emitter(html.as_str(), DefaultEmitter::new_with_span());
            for token in t {
                if let Ok(Token::StartTag(tag)) = token {
                    let v = &tag.attributes.get(b"alt".as_slice()).unwrap();
                    let range = value_range(&html, v.span.start).unwrap();
                    let decoded = String::from_utf8_lossy(&v.value);
                    assert!(
                        align(&html[range], &decoded, Context::Attribute).is_some(),
                        "attribute {text:?} read as {decoded:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn attribute_values_are_found_after_their_names() {
        let t = "<img alt=\"a b\" x=y>";
        assert_eq!(value_range(t, 5), Some(10..13));
        let t = "<img alt = 'a\"b' >";
        assert_eq!(&t[value_range(t, 5).unwrap()], "a\"b");
        let t = "<img alt=bare>";
        assert_eq!(&t[value_range(t, 5).unwrap()], "bare");
        let t = "<img alt>";
        assert_eq!(value_range(t, 5), None);
    }

    #[test]
    fn maps_compose_with_the_documents() {
        // The page's text sits 3 bytes into its source (a byte-order mark).
        let html = "<p>Jane &amp; Jo</p>";
        let p = posts(html, &OffsetMap::identity(3)).remove(0);
        let seg = &p.segments[0];
        assert_eq!(seg.text, "Jane & Jo");
        assert_eq!(seg.map.range_to_source(7..9), 17..19);
    }
}
