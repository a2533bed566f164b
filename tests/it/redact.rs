//! `phiguard redact`: placeholders written where the findings were, every other byte as it was,
//! in each format's own syntax and the file's own encoding; `--write` with its backup; refusals;
//! and a property test that no found value survives.

use std::path::Path;

use phiguard::assess::RiskModel;
use phiguard::extract::{self, ExtractOptions};
use phiguard::redact::{Placeholder, RedactOptions, Style, redact};
use phiguard::scan::Scanner;
use proptest::prelude::*;

use crate::util::{engine, phiguard};

/// Redacts `text` held in a file called `name` with the built-in packs.
fn redacted(name: &str, bytes: &[u8], style: Style) -> Result<Vec<u8>, String> {
    let model = RiskModel::default();
    let scanner = Scanner {
        engine: engine(),
        model: &model,
    };
    let opts = RedactOptions {
        placeholder: Placeholder::style(style),
        keep_authorized: false,
    };
    redact(
        name,
        bytes.to_vec(),
        true,
        &scanner,
        &ExtractOptions::default(),
        &opts,
    )
    .map(|r| r.bytes)
}

fn redacted_text(name: &str, text: &str, style: Style) -> String {
    String::from_utf8(redacted(name, text.as_bytes(), style).expect("redacts")).unwrap()
}

/// `(category, value)` of every finding of every post of `bytes` read as a file called `name`.
fn findings(name: &str, bytes: &[u8]) -> Vec<(String, String)> {
    let model = RiskModel::default();
    let scanner = Scanner {
        engine: engine(),
        model: &model,
    };
    let extract::Extracted::Document(doc, _) = extract::extract(name, bytes.to_vec(), true) else {
        panic!("{name} was not read");
    };
    scanner
        .scan_document(&doc)
        .iter()
        .flat_map(|p| &p.findings)
        .map(|f| (f.category().as_str().to_owned(), f.value.clone()))
        .collect()
}

#[test]
fn plain_text_gets_one_placeholder_per_finding() {
    let text = "Our patient Jaylen Brooks (DOB 03/14/1952) called from (555) 555-0142.\n\
                SSN 987-65-4321, email jane.doe@example.com.\n";
    assert_eq!(
        redacted_text("post.txt", text, Style::Brackets),
        "Our patient [NAME] (DOB [DATE]) called from [PHONE].\nSSN [SSN], email [EMAIL].\n"
    );
    assert_eq!(
        redacted_text("post.txt", text, Style::Mask),
        "Our patient J***** B***** (DOB **/**/****) called from (***) ***-0142.\n\
         SSN ***-**-4321, email j***.d**@e******.c**.\n"
    );
    assert_eq!(
        redacted_text("post.txt", text, Style::Category),
        "Our patient [name] (DOB [date]) called from [phone].\nSSN [ssn], email [email].\n"
    );
}

#[test]
fn hidden_characters_inside_a_value_go_with_it() {
    // A zero-width space inside the SSN, CRLF line ends, and text after it: untouched.
    let text = "SSN 987\u{200B}-65-4321\r\nThanks, café team!\r\n";
    assert_eq!(
        redacted_text("post.txt", text, Style::Brackets),
        "SSN [SSN]\r\nThanks, café team!\r\n"
    );
}

#[test]
fn a_csv_row_keeps_its_quoting() {
    let csv = "Date,Message,Alt text\r\n\
               2026-03-01,\"Happy birthday, Jaylen Brooks! SSN 987-65-4321\",\"Call (555) 555-0142\"\r\n\
               2026-03-02,Write to jane.doe@example.com today,\r\n";
    assert_eq!(
        redacted_text("posts.csv", csv, Style::Brackets),
        "Date,Message,Alt text\r\n\
         2026-03-01,\"Happy birthday, [NAME]! SSN [SSN]\",\"Call [PHONE]\"\r\n\
         2026-03-02,Write to [EMAIL] today,\r\n"
    );
    // A placeholder with the delimiter: an unquoted cell is quoted, a quoted one stays quoted.
    let out = phiguard()
        .args(["redact", "--placeholder", "\"{CATEGORY}\", redacted", "-"])
        .args(["--input-format", "csv"])
        .write_stdin(csv)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "Date,Message,Alt text\r\n\
         2026-03-01,\"Happy birthday, \"\"NAME\"\", redacted! SSN \"\"SSN\"\", redacted\",\
         \"Call \"\"PHONE\"\", redacted\"\r\n\
         2026-03-02,\"Write to \"\"EMAIL\"\", redacted today\",\r\n"
    );
}

#[test]
fn a_json_value_with_escapes_stays_valid_json() {
    let json = "[{\"message\": \"Write to jane.doe\\u0040example.com or call \\\"(555) 555-0142\\\"\", \
                \"id\": 7}]\n";
    assert_eq!(
        redacted_text("posts.json", json, Style::Brackets),
        "[{\"message\": \"Write to [EMAIL] or call \\\"[PHONE]\\\"\", \"id\": 7}]\n"
    );
    // The mask is taken from the value as read (`@`, not `\u0040`), then written as JSON.
    assert_eq!(
        redacted_text("posts.json", json, Style::Mask),
        "[{\"message\": \"Write to j***.d**@e******.c** or call \\\"(***) ***-0142\\\"\", \
         \"id\": 7}]\n"
    );
    // A placeholder with a quote and a backslash is escaped.
    let out = phiguard()
        .args(["redact", "--placeholder", "\"{CATEGORY}\\", "-"])
        .args(["--input-format", "json"])
        .write_stdin(json)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "[{\"message\": \"Write to \\\"EMAIL\\\\ or call \\\"\\\"PHONE\\\\\\\"\", \"id\": 7}]\n"
    );
}

#[test]
fn a_json_number_becomes_a_string() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("ids.toml");
    std::fs::write(
        &pack,
        "[pack]\nid = \"acme\"\n\n[[rule]]\nid = \"acme.member\"\ncategory = \"health_plan_id\"\n\
         regex = '(?-u:\\b)(41[0-9]{7})(?-u:\\b)'\nexamples = [\"410482913\"]\n",
    )
    .unwrap();
    let out = phiguard()
        .args(["redact", "--no-default-packs", "--pack"])
        .arg(&pack)
        .args(["--input-format", "json", "-"])
        .write_stdin("{\"member\": 410482913, \"note\": \"member 410482913\"}")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "{\"member\": \"[HEALTH-PLAN-ID]\", \"note\": \"member [HEALTH-PLAN-ID]\"}"
    );
}

#[test]
fn an_html_page_keeps_its_tags_and_references() {
    let html = "<html><head><title>Jaylen Brooks</title></head><body>\n\
                <p>Our patient <b>Jaylen</b> Brooks rang the bell after chemo. Write to \
                jane&#64;example.com &amp; smile.</p>\n\
                <img alt=\"Jaylen Brooks in the NICU\" src=\"bell.jpg\">\n</body></html>\n";
    assert_eq!(
        redacted_text("page.html", html, Style::Brackets),
        "<html><head><title>[NAME]</title></head><body>\n\
         <p>Our patient <b>[NAME]</b> rang the bell after chemo. Write to [EMAIL] &amp; \
         smile.</p>\n\
         <img alt=\"[NAME] in the NICU\" src=\"bell.jpg\">\n</body></html>\n"
    );
    // Masks come from the text as read (`@`), and placeholders are escaped for HTML.
    assert_eq!(
        redacted_text("page.html", html, Style::Mask),
        "<html><head><title>J***** B*****</title></head><body>\n\
         <p>Our patient <b>J***** B*****</b> rang the bell after chemo. Write to \
         j***@e******.c** &amp; smile.</p>\n\
         <img alt=\"J***** B***** in the NICU\" src=\"bell.jpg\">\n</body></html>\n"
    );
    let out = phiguard()
        .args(["redact", "--placeholder", "<{category}>", "-"])
        .args(["--input-format", "html"])
        .write_stdin("<p>Write to jane&#64;example.com</p>")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "<p>Write to &lt;email&gt;</p>"
    );
}

#[test]
fn markdown_front_matter_stays_yaml() {
    let md = "---\n\
              title: Jaylen Brooks rings the bell\n\
              tags: [Jaylen Brooks, oncology]\n\
              note: 'Call (555) 555-0142'\n\
              summary: |\n  Jaylen Brooks went home.\n\
              ---\n\
              Our patient Jaylen Brooks rang the bell after chemo.\n";
    // A plain value that would start with `[` (a list) is put in double quotes; a value in a
    // flow list too; quoted and block values keep their form.
    assert_eq!(
        redacted_text("story.md", md, Style::Brackets),
        "---\n\
         title: \"[NAME] rings the bell\"\n\
         tags: [\"[NAME]\", oncology]\n\
         note: 'Call [PHONE]'\n\
         summary: |\n  [NAME] went home.\n\
         ---\n\
         Our patient [NAME] rang the bell after chemo.\n"
    );
}

#[test]
fn yaml_values_are_quoted_as_their_style_needs() {
    let yaml = "- message: Jaylen Brooks rang the bell after chemo\n  \
                alt: \"SSN 987-65-4321\"\n  \
                note: 'Our patient Jaylen Brooks'\n";
    assert_eq!(
        redacted_text("posts.yaml", yaml, Style::Mask),
        "- message: \"J***** B***** rang the bell after chemo\"\n  \
         alt: \"SSN ***-**-4321\"\n  \
         note: 'Our patient J***** B*****'\n"
    );
}

#[test]
fn a_utf16_file_is_written_back_in_utf16() {
    let utf16 = |s: &str, little: bool| -> Vec<u8> {
        let mut out = if little {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for u in s.encode_utf16() {
            out.extend(if little {
                u.to_le_bytes()
            } else {
                u.to_be_bytes()
            });
        }
        out
    };
    for little in [true, false] {
        let input = utf16("Our patient Jaylen Brooks 🎗, SSN 987-65-4321.\r\n", little);
        assert_eq!(
            redacted("post.txt", &input, Style::Brackets).unwrap(),
            utf16("Our patient [NAME] 🎗, SSN [SSN].\r\n", little)
        );
    }
}

#[test]
fn allowed_findings_stay_and_authorized_ones_go_unless_kept() {
    let md = "---\n\
              phi-authorization:\n  reference: AUTH-2026-0142\n  subject: Rosalind Example\n\
              ---\n\
              Our patient Rosalind Example finished chemo. Call (555) 555-0100. \
              <!-- phiguard:allow phone -- our front desk -->\n\
              SSN 987-65-4321\n";
    let run = |extra: &[&str]| {
        let out = phiguard()
            .args(["redact", "--input-format", "markdown", "-"])
            .args(extra)
            .write_stdin(md)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (stdout, stderr) = run(&[]);
    assert_eq!(
        stdout,
        md.replace("Rosalind Example finished", "[NAME] finished")
            .replace("987-65-4321", "[SSN]")
    );
    assert_eq!(
        stderr,
        "phiguard: -: replaced 2 findings (1 name, 1 ssn); left 1 finding as it is (allowed)\n"
    );
    let (stdout, stderr) = run(&["--keep-authorized"]);
    assert_eq!(stdout, md.replace("987-65-4321", "[SSN]"));
    assert_eq!(
        stderr,
        "phiguard: -: replaced 1 finding (1 ssn); left 1 finding as it is (allowed); kept 1 \
         finding covered by an authorization\n"
    );
}

#[test]
fn write_replaces_the_file_after_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let post = dir.path().join("post.txt");
    let original = "Our patient Jaylen Brooks, SSN 987-65-4321.\n";
    std::fs::write(&post, original).unwrap();
    let out = phiguard()
        .current_dir(dir.path())
        .args(["redact", "--write", "post.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "phiguard: post.txt: replaced 2 findings (1 name, 1 ssn); written in place, original \
         in post.txt.phiguard-bak\n"
    );
    assert_eq!(
        std::fs::read_to_string(&post).unwrap(),
        "Our patient [NAME], SSN [SSN].\n"
    );
    let backup = dir.path().join("post.txt.phiguard-bak");
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), original);
    // Again: nothing left to redact, nothing touched.
    let out = phiguard()
        .current_dir(dir.path())
        .args(["redact", "--write", "post.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "phiguard: post.txt: nothing to redact\n"
    );
    // A new finding, but the backup of the first redaction is there: refused, nothing lost.
    std::fs::write(&post, "SSN 987-65-4322\n").unwrap();
    let out = phiguard()
        .current_dir(dir.path())
        .args(["redact", "--write", "post.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("post.txt.phiguard-bak already exists"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&post).unwrap(), "SSN 987-65-4322\n");
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), original);
    // Another suffix works.
    let out = phiguard()
        .current_dir(dir.path())
        .args(["redact", "--write", "--backup-suffix", ".orig", "post.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&post).unwrap(), "SSN [SSN]\n");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("post.txt.orig")).unwrap(),
        "SSN 987-65-4322\n"
    );
    // No temporary file is left behind.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["post.txt", "post.txt.orig", "post.txt.phiguard-bak"]
    );
}

#[test]
fn what_cannot_be_redacted_is_refused_with_exit_2() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/formats");
    for (file, says) in [
        (
            "draft-phi.docx",
            "a Word document cannot be redacted in place",
        ),
        ("photo-phi.jpg", "an image cannot be redacted in place"),
    ] {
        let out = phiguard()
            .arg("redact")
            .arg(fixtures.join(file))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{file}");
        assert!(out.stdout.is_empty());
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains(says), "{stderr}");
    }
    let cases: &[(&[&str], &str)] = &[
        (&["--write", "-"], "stdin (-) is not a file"),
        (&["a.txt", "b.txt"], "redact prints one file"),
        (&["--placeholder", "{name}", "a.txt"], "unknown `{name}`"),
        (&["no-such-file.txt"], "cannot read: no such file or folder"),
        (&["."], "is a folder"),
    ];
    for (args, says) in cases {
        let out = phiguard().arg("redact").args(*args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
}

#[test]
fn a_placeholder_that_would_break_the_structure_is_refused() {
    // In a TOML literal string a `'` cannot be written.
    let md = "+++\ntitle = 'Jaylen Brooks rings the bell'\n+++\nBody.\n";
    let out = phiguard()
        .args([
            "redact",
            "--placeholder",
            "'{CATEGORY}'",
            "--input-format",
            "markdown",
            "-",
        ])
        .write_stdin(md)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("cannot hold a '"), "{stderr}");
    // A caption cannot hold a cue timing arrow.
    let vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nOur patient Jaylen Brooks rang the bell\n";
    let out = phiguard()
        .args(["redact", "--placeholder", "{CATEGORY} -->", "-"])
        .args(["--input-format", "vtt"])
        .write_stdin(vtt)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("a caption cannot hold -->"), "{stderr}");
}

#[test]
fn reports_of_redaction_never_show_values() {
    let out = phiguard()
        .args(["redact", "-"])
        .write_stdin("Our patient Jaylen Brooks, SSN 987-65-4321, jane.doe@example.com\n")
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    for raw in ["Jaylen", "Brooks", "4321", "jane"] {
        assert!(!stderr.contains(raw), "{raw} in {stderr}");
    }
}

// ---- property: no found value survives -----------------------------------------------------

const FIRST: &[&str] = &["Jaylen", "Marisol", "Rosalind", "Priya", "Imani", "Desmond"];
const LAST: &[&str] = &[
    "Brooks", "Petrakis", "Okonkwo", "Nakamura", "Haddad", "Whitcomb",
];
const FILLER: &[&str] = &[
    "the",
    "clinic",
    "team",
    "thanks",
    "and",
    "great",
    "news",
    "for",
    "everyone",
    "visit",
    "today",
    "with",
    "our",
    "café",
    "community",
    "🎉",
    "—",
    "!",
    ",",
    ".",
    "\n",
];

/// One identifier, in a context that makes it one.
#[derive(Debug, Clone)]
enum Planted {
    Ssn(u8),
    Phone(u8),
    Email(usize, usize),
    Name(usize, usize),
    Date(u8, u8, u8),
}

impl Planted {
    /// The sentence that carries it, and the value.
    fn sentence(&self) -> (String, String, &'static str) {
        match *self {
            Planted::Ssn(d) => {
                let v = format!("987-65-432{}", d % 10);
                (format!("SSN {v} on file"), v, "ssn")
            }
            Planted::Phone(n) => {
                let v = format!("(555) 555-01{:02}", n % 100);
                (format!("call {v} now"), v, "phone")
            }
            Planted::Email(f, l) => {
                let v = format!(
                    "{}.{}@example.com",
                    FIRST[f].to_lowercase(),
                    LAST[l].to_lowercase()
                );
                (format!("email {v} please"), v, "email")
            }
            Planted::Name(f, l) => {
                let v = format!("{} {}", FIRST[f], LAST[l]);
                (
                    format!("our patient {v} rang the bell after chemo"),
                    v,
                    "name",
                )
            }
            Planted::Date(m, d, y) => {
                let v = format!("{:02}/{:02}/19{:02}", m % 12 + 1, d % 28 + 1, y % 90 + 10);
                (format!("DOB {v} noted"), v, "date")
            }
        }
    }
}

fn planted() -> impl Strategy<Value = Planted> {
    prop_oneof![
        any::<u8>().prop_map(Planted::Ssn),
        any::<u8>().prop_map(Planted::Phone),
        (0..FIRST.len(), 0..LAST.len()).prop_map(|(f, l)| Planted::Email(f, l)),
        (0..FIRST.len(), 0..LAST.len()).prop_map(|(f, l)| Planted::Name(f, l)),
        (any::<u8>(), any::<u8>(), any::<u8>()).prop_map(|(m, d, y)| Planted::Date(m, d, y)),
    ]
}

/// A post: filler words with identifiers planted between them. Returns the text, the planted
/// values and their categories.
fn post() -> impl Strategy<Value = (String, Vec<(String, &'static str)>)> {
    prop::collection::vec(
        (
            prop::collection::vec(0..FILLER.len(), 0..6),
            prop::option::of(planted()),
        ),
        1..6,
    )
    .prop_map(|parts| {
        let mut text = String::new();
        let mut values = Vec::new();
        for (words, plant) in parts {
            for w in words {
                text.push_str(FILLER[w]);
                text.push(' ');
            }
            if let Some(p) = plant {
                let (sentence, value, category) = p.sentence();
                text.push_str(&sentence);
                text.push_str(". ");
                values.push((value, category));
            }
        }
        (text, values)
    })
}

/// Checks a redaction of `bytes` (a file called `name` holding `values`): every planted value
/// was found before, none is in the output, and the output has no finding of their categories.
fn check(name: &str, bytes: &[u8], values: &[(String, &str)]) -> Result<(), TestCaseError> {
    let before = findings(name, bytes);
    for (v, c) in values {
        prop_assert!(
            before
                .iter()
                .any(|(fc, fv)| fc == c && fv.contains(v.as_str())),
            "{v} ({c}) not found in {:?}",
            String::from_utf8_lossy(bytes)
        );
    }
    let out = redacted(name, bytes, Style::Brackets).map_err(TestCaseError::fail)?;
    let text = String::from_utf8(out.clone()).expect("UTF-8 in, UTF-8 out");
    for (v, _) in values {
        prop_assert!(!text.contains(v.as_str()), "{v} survived in {text:?}");
    }
    let after = findings(name, &out);
    let categories: Vec<&str> = values.iter().map(|(_, c)| *c).collect();
    let left: Vec<_> = after
        .iter()
        .filter(|(c, _)| categories.contains(&c.as_str()))
        .collect();
    prop_assert!(left.is_empty(), "{left:?} left in {text:?}");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn no_found_value_survives_in_text((text, values) in post()) {
        check("post.txt", text.as_bytes(), &values)?;
    }

    #[test]
    fn no_found_value_survives_in_a_csv_cell((text, values) in post()) {
        let csv = format!("Date,Message\n2026-03-01,\"{}\"\n", text.replace('"', "\"\""));
        check("posts.csv", csv.as_bytes(), &values)?;
    }

    #[test]
    fn no_found_value_survives_in_json((text, values) in post()) {
        let json = serde_json::json!([{ "message": text, "id": 1 }]).to_string();
        check("posts.json", json.as_bytes(), &values)?;
    }

    #[test]
    fn no_found_value_survives_in_yaml_front_matter((text, values) in post()) {
        let line = text.replace('\n', " ");
        let md = format!("---\ntitle: Story {}\n---\n{text}\n", line.trim());
        // Each value is planted twice: in the title and in the body.
        check("story.md", md.as_bytes(), &values)?;
    }
}

/// Tags inside a name are kept whole, even when an attribute value or a comment holds `>`.
#[test]
fn tags_with_a_closing_bracket_inside_stay_whole() {
    let page = "<p>Our patient Jaylen <span title=\"x>y\">Brooks</span> was treated for cancer.</p>\n\
                <p>Our patient Maria<!-- a > b --> Lopez was treated for cancer.</p>\n";
    assert_eq!(
        redacted_text("page.html", page, Style::Brackets),
        "<p>Our patient [NAME]<span title=\"x>y\"></span> was treated for cancer.</p>\n\
         <p>Our patient [NAME]<!-- a > b --> was treated for cancer.</p>\n"
    );
}

/// A multi-line TOML string in front matter keeps its own quotes: nothing is added around the
/// value.
#[test]
fn multi_line_toml_strings_stay_as_they_are() {
    let post = "+++\nbody = \"\"\"\nOur patient Ann Smith has cancer\"\"\"\nnote = '''\nCall Jane Doe, our patient'''\n+++\nHi\n";
    assert_eq!(
        redacted_text("post.md", post, Style::Brackets),
        "+++\nbody = \"\"\"\nOur patient [NAME] has cancer\"\"\"\nnote = '''\nCall [NAME], our patient'''\n+++\nHi\n"
    );
}
