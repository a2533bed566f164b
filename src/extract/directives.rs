//! What a document says about its own scan.
//!
//! - Inline markers, in any comment the format has (`<!-- phiguard:allow -->` in Markdown and
//!   HTML, `# phiguard:allow` in YAML and TOML, `// phiguard:allow` in JSON with comments):
//!   a marker on a line of its own allows the findings of the next non-blank line; a marker at
//!   the end of a line allows that line's. Words after it narrow it to rules or categories
//!   (`phiguard:allow phone hipaa.date.iso`); words after `--` are the reason, shown in the report.
//! - From Markdown front matter: `phiguard-allow`, a list of values (or rule ids and categories)
//!   that are not PHI anywhere in the document; and `phi-authorization`, the reference of a
//!   recorded patient authorization (optionally with the `subject` it covers), which takes the
//!   subject's name out of the risk and is shown in the report.

use crate::category::Category;
use crate::detect::PersonRole;
use crate::finding::Finding;

/// The word that starts an inline marker.
pub const MARKER: &str = "phiguard:allow";

/// Everything a document says about its scan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Directives {
    pub markers: Vec<Marker>,
    /// Values, rule ids or categories allowed everywhere in the document (front matter).
    pub allow: Vec<String>,
    pub authorization: Option<Authorization>,
}

/// One inline `phiguard:allow` marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// The 1-based line of the marker itself.
    pub at: usize,
    /// The 1-based line whose findings it allows.
    pub covers: usize,
    /// Rule ids (or their prefixes) and categories it is limited to; empty for all.
    pub only: Vec<String>,
    pub reason: Option<String>,
}

/// A recorded patient authorization (HIPAA §164.508) for what the post discloses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// The organisation's reference for the signed form (`AUTH-2026-0142`).
    pub reference: String,
    /// Whom it covers; `None` for the patient the post is about (every patient name in it).
    pub subject: Option<String>,
}

impl Directives {
    /// Why `f` is allowed, if it is: the marker's or the front matter's words.
    pub fn allows(&self, f: &Finding) -> Option<String> {
        let line = f.start.line;
        let first = self.markers.partition_point(|m| m.covers < line);
        for m in self.markers[first..]
            .iter()
            .take_while(|m| m.covers == line)
        {
            if m.only.is_empty() || m.only.iter().any(|o| names(o, f)) {
                let mut why = format!("{MARKER} on line {}", m.at);
                if let Some(r) = &m.reason {
                    why.push_str(": ");
                    why.push_str(r);
                }
                return Some(why);
            }
        }
        for entry in &self.allow {
            if names(entry, f) || same_words(entry, &f.value) {
                return Some("allowed in the front matter (phiguard-allow)".to_owned());
            }
        }
        None
    }

    /// The authorization reference covering `f`, if one does: a name of its subject (or, with
    /// no subject given, any patient's or person's name).
    pub fn authorizes(&self, f: &Finding) -> Option<&str> {
        let auth = self.authorization.as_ref()?;
        let role = f.rule.person?;
        if !matches!(role, PersonRole::Patient | PersonRole::Person) {
            return None;
        }
        let covered = match &auth.subject {
            None => true,
            // Every word of the name is the subject's ("Rosalind", "Rosalind Example"): a
            // relative who shares a surname is not covered.
            Some(subject) => same_value(subject, &f.value),
        };
        covered.then_some(auth.reference.as_str())
    }
}

/// Whether a marker or allow-list word names the finding's rule (its id or an id prefix ending
/// at a dot) or category.
fn names(word: &str, f: &Finding) -> bool {
    let id = f.rule.id.as_str();
    let word = word.trim();
    id == word
        || (id.starts_with(word) && id.as_bytes().get(word.len()) == Some(&b'.'))
        || Category::from_name(word) == Some(f.category())
}

/// Whether an allowed value is the finding's value, or holds it as whole words ("Dr. Ana Soto"
/// allows "Ana Soto"), ignoring case and spacing.
pub(crate) fn same_value(allowed: &str, value: &str) -> bool {
    let a = words(allowed);
    let v = words(value);
    !v.is_empty() && a.windows(v.len()).any(|w| w == v.as_slice())
}

/// Whether two values are the same words, ignoring case and punctuation: an allow-list entry
/// allows its value, not every value inside it ("Jane Smith Memorial 5K" does not allow "Jane
/// Smith").
pub(crate) fn same_words(allowed: &str, value: &str) -> bool {
    let v = words(value);
    !v.is_empty() && words(allowed) == v
}

/// Whether `value`'s words start `allowed`'s ("250 W. Main St" in "250 W. Main St,
/// Springfield IL 62701", but not "62701" alone).
pub(crate) fn starts_with_words(allowed: &str, value: &str) -> bool {
    let v = words(value);
    !v.is_empty() && words(allowed).starts_with(&v)
}

/// Lower-case alphanumeric words.
pub(crate) fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The comment openers a marker may follow, by format: a marker counts only inside a comment,
/// so that text a writer pastes into a post (or a cell of another row) cannot allow anything.
pub fn comment_openers(format: super::InputFormat) -> &'static [&'static str] {
    use super::InputFormat as F;
    match format {
        F::Markdown => &["<!--", "{/*"],
        F::Html => &["<!--"],
        F::Yaml => &["#"],
        F::Json | F::Jsonl => &["//", "/*"],
        F::Auto | F::Text | F::Csv | F::Tsv | F::Srt | F::Vtt | F::Docx | F::Image => &[],
    }
}

/// The inline markers in a document's text, each right after one of the format's comment
/// `openers` (see [`comment_openers`]), sorted by the line they cover.
pub fn markers(text: &str, openers: &[&str]) -> Vec<Marker> {
    let mut out = Vec::new();
    if openers.is_empty() || memchr::memmem::find(text.as_bytes(), MARKER.as_bytes()).is_none() {
        return out;
    }
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let Some(at) = line.find(MARKER) else {
            continue;
        };
        let before = line[..at].trim_end();
        let Some(opener) = openers.iter().find(|o| before.ends_with(*o)) else {
            continue;
        };
        let mut rest = &line[at + MARKER.len()..];
        let closers = ["-->", "*/}", "*/"];
        if !rest.is_empty()
            && !rest.starts_with(char::is_whitespace)
            && !closers.iter().any(|c| rest.starts_with(c))
        {
            continue; // `phiguard:allowance` is not a marker.
        }
        for closer in closers {
            if let Some(end) = rest.find(closer) {
                rest = &rest[..end];
            }
        }
        let alone = before[..before.len() - opener.len()].trim().is_empty();
        let covers = if alone {
            match lines[i + 1..].iter().position(|l| !l.trim().is_empty()) {
                Some(k) => i + 2 + k,
                None => continue,
            }
        } else {
            i + 1
        };
        let (args, reason) = match rest.split_once("--") {
            Some((a, r)) => (a, Some(r.trim().to_owned()).filter(|r| !r.is_empty())),
            None => (rest, None),
        };
        out.push(Marker {
            at: i + 1,
            covers,
            only: args.split_whitespace().map(str::to_owned).collect(),
            reason,
        });
    }
    out.sort_by_key(|m| m.covers);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_cover_their_line_or_the_next() {
        let md = ["<!--", "{/*"];
        let text = "intro\n<!-- phiguard:allow -->\n\nCall 555-0100\nDOB 1/2/1950 <!-- phiguard:allow date -- the founder's birthday -->\n{/* phiguard:allow phone hipaa.email */}\nx\n<!-- phiguard:allowance -->\ny <!--phiguard:allow-->\n";
        let m = markers(text, &md);
        assert_eq!(m.len(), 4);
        assert_eq!((m[0].at, m[0].covers), (2, 4));
        assert!(m[0].only.is_empty() && m[0].reason.is_none());
        assert_eq!((m[1].at, m[1].covers), (5, 5));
        assert_eq!(m[1].only, vec!["date".to_owned()]);
        assert_eq!(m[1].reason.as_deref(), Some("the founder's birthday"));
        assert_eq!((m[2].at, m[2].covers), (6, 7));
        assert_eq!(
            m[2].only,
            vec!["phone".to_owned(), "hipaa.email".to_owned()]
        );
        assert_eq!((m[3].at, m[3].covers), (9, 9));
        // A marker with nothing after it covers nothing.
        assert!(markers("text\n<!-- phiguard:allow -->\n\n", &md).is_empty());
        assert!(markers("nothing here", &md).is_empty());
    }

    #[test]
    fn markers_count_only_in_comments() {
        // Written in the text, or after a comment opener the format does not have, it is text.
        let text = "SSN 987-65-4320 phiguard:allow\n# phiguard:allow\nx\n\"a phiguard:allow\"\n";
        assert!(markers(text, &["<!--"]).is_empty());
        assert!(markers(text, &[]).is_empty());
        let yaml = markers(text, &["#"]);
        assert_eq!(yaml.len(), 1);
        assert_eq!((yaml[0].at, yaml[0].covers), (2, 3));
    }

    #[test]
    fn allowed_values_match_whole_words() {
        assert!(same_value("Dr. Ana Soto", "Ana Soto"));
        assert!(same_value("(555) 555-0100", "555-555-0100"));
        assert!(same_value("555-555-0100", "555 555 0100"));
        assert!(!same_value("Ana", "Ana Soto"));
        assert!(!same_value("Anabel Soto", "Ana"));
    }
}
