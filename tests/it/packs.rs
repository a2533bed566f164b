//! The built-in packs test themselves, the pack commands work, and the pack docs stay true.

use std::path::Path;

use phiguard::pack::{self, PackSource, check::check};
use phiguard::validate::Validator;

use crate::util::phiguard;

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("patterns/README.md"))
        .unwrap()
}

/// `packs check` over every built-in pack: no errors, no warnings, every example run.
#[test]
fn builtin_packs_pass_their_own_check() {
    let report = check(&PackSource::builtin(), &[]);
    let text: Vec<String> = report.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(report.diagnostics.is_empty(), "{}", text.join("\n"));
    assert_eq!(report.packs.len(), pack::BUILTIN.len());
    assert!(report.examples_run > 0);
}

/// Every built-in rule has at least two examples and two negative examples, a description,
/// and a namespaced `hipaa.` id.
#[test]
fn builtin_rules_carry_examples_and_descriptions() {
    for src in PackSource::builtin() {
        let (p, _) = pack::parse(&src).unwrap();
        assert!(
            !p.rules.is_empty() || !p.signals.is_empty() || p.names.is_some(),
            "{} has no rules, signals or names",
            src.name
        );
        for r in &p.rules {
            assert!(
                r.examples.len() >= 2,
                "{}: {} examples",
                r.id,
                r.examples.len()
            );
            assert!(
                r.negative_examples.len() >= 2,
                "{}: {} negative examples",
                r.id,
                r.negative_examples.len()
            );
            assert!(
                !r.description.trim().is_empty(),
                "{} has no description",
                r.id
            );
            assert!(
                r.id.starts_with("hipaa."),
                "{} is not in the hipaa namespace",
                r.id
            );
        }
    }
}

/// Every built-in pack file is in the table, and the folder holds no pack the table misses.
#[test]
fn builtin_table_matches_the_patterns_folder() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("patterns");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    on_disk.sort();
    let mut table: Vec<String> = pack::BUILTIN.iter().map(|(f, _)| (*f).to_owned()).collect();
    table.sort();
    assert_eq!(on_disk, table);
    let readme = readme();
    for (file, _) in pack::BUILTIN {
        assert!(
            readme.contains(&format!("| `{file}` |")),
            "patterns/README.md lacks {file}"
        );
    }
}

/// patterns/README.md documents every validator with its current description. Run with
/// `PHIGUARD_BLESS=1` to rewrite the table after changing a validator.
#[test]
fn readme_documents_every_validator() {
    let readme = readme();
    let start = readme.find("<!-- validators:start").expect("start marker");
    let start = start + readme[start..].find('\n').unwrap() + 1;
    let end = readme.find("<!-- validators:end -->").expect("end marker");
    let mut expected = String::from("| validator | what it accepts |\n| --- | --- |\n");
    for v in Validator::ALL {
        expected.push_str(&format!("| `{}` | {} |\n", v.name(), v.description()));
    }
    if std::env::var_os("PHIGUARD_BLESS").is_some() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("patterns/README.md");
        std::fs::write(
            path,
            format!("{}{expected}{}", &readme[..start], &readme[end..]),
        )
        .unwrap();
        return;
    }
    assert_eq!(
        &readme[start..end],
        expected,
        "patterns/README.md's validator table is stale; run `PHIGUARD_BLESS=1 cargo test \
         readme_documents_every_validator`"
    );
}

/// The CLI check passes on the built-in packs and names file, line and rule on a bad one.
#[test]
fn packs_check_command() {
    phiguard()
        .args(["packs", "check"])
        .assert()
        .code(0)
        .stdout(predicates::str::contains(" 0 errors, 0 warnings"));

    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("acme.toml");
    std::fs::write(
        &good,
        "[pack]\nid = \"acme\"\n\n[[rule]]\nid = \"acme.portal\"\ncategory = \"other_id\"\n\
         regex = '(?-u:\\b)PP-([0-9]{6})(?-u:\\b)'\nkeywords = [\"portal\", \"PP-\"]\nwindow = 40\n\
         examples = [\"portal login PP-204817 reset\", { text = \"Your portal ID is PP-204817.\", value = \"204817\" }]\n\
         negative_examples = [\"PP-2048 is a paper size\", \"order PP-20481\"]\n",
    )
    .unwrap();
    phiguard()
        .args(["packs", "check"])
        .arg(&good)
        .assert()
        .code(0)
        .stdout("checked 1 pack, 1 rules, 4 examples: 0 errors, 0 warnings\n");

    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[pack]\nid = \"acme\"\n\n[[rule]]\nid = \"acme.portal\"\ncategory = \"other_id\"\n\
         regex = '(?-u:\\b)PP-([0-9]{6})(?-u:\\b)'\nexamples = [\"PP-2048\"]\n",
    )
    .unwrap();
    let out = phiguard()
        .args(["packs", "check"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(&format!(
            "{}:5: error: rule `acme.portal`: example 1 \"PP-2048\" should be found, but nothing was found",
            bad.display()
        )),
        "{text}"
    );

    let missing = dir.path().join("missing.toml");
    phiguard()
        .args(["packs", "check"])
        .arg(&missing)
        .assert()
        .code(2)
        .stdout(predicates::str::contains("cannot read pack"));
}

/// `packs list` shows every built-in pack and a user pack after them.
#[test]
fn packs_list_command() {
    let out = phiguard().args(["packs", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    for id in [
        "hipaa-government-ids",
        "hipaa-health-ids",
        "hipaa-contact",
        "hipaa-dates",
        "hipaa-places",
        "hipaa-vehicles-devices",
    ] {
        assert!(text.contains(id), "{id} missing:\n{text}");
    }
    assert!(text.contains("[validator: ssn]"), "{text}");
}

/// A rule's own `advice` replaces its category's under `fix:` in the report.
#[test]
fn a_rule_s_advice_is_the_fix_shown() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("ward.toml");
    std::fs::write(
        &pack,
        r#"[pack]
id = "ward"

[[rule]]
id = "ward.bed-code"
category = "other_id"
description = "Our ward's bed codes"
regex = '(?-u:\b)(WB-[0-9]{4})(?-u:\b)'
severity = "high"
advice = "replace the bed code with the ward's name"
examples = ["Moved to WB-1234", "bed WB-0042 is free"]
negative_examples = ["WB-12 is a form", "web-1234"]
"#,
    )
    .unwrap();
    let out = phiguard()
        .args(["scan", "--pack", pack.to_str().unwrap(), "-"])
        .write_stdin("Mr. Example moved to WB-1234 today.\n")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("replace the bed code with the ward's name"),
        "{text}"
    );
}

/// A word list that is a device (endless) or too large is refused, naming the pack, not read
/// until memory runs out.
#[test]
fn a_word_list_that_is_not_a_bounded_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("names.toml");
    std::fs::write(
        &pack,
        "[pack]\nid = \"endless\"\n\n[names]\nfirst_names = { file = \"/dev/zero\" }\n",
    )
    .unwrap();
    let big = dir.path().join("big.txt");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(17 << 20)
        .unwrap();
    let pack2 = dir.path().join("big.toml");
    std::fs::write(
        &pack2,
        "[pack]\nid = \"big\"\n\n[names]\nsurnames = { file = \"big.txt\" }\n",
    )
    .unwrap();
    for (pack, reason) in [
        (&pack, "cannot read word list /dev/zero: not a regular file"),
        (&pack2, "larger than the 16 MiB limit for word lists"),
    ] {
        let out = phiguard()
            .args(["scan", "--pack", pack.to_str().unwrap(), "-"])
            .write_stdin("Hello\n")
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(reason), "{err}");
        assert!(
            err.contains(pack.file_name().unwrap().to_str().unwrap()),
            "{err}"
        );
    }
}
