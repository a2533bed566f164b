//! `phiguard explain`: rules, name rules, signals and categories explained end to end, unknown
//! names answered with suggestions, and user packs explained with their file.

use serde_json::Value;

use crate::util::phiguard;

/// Runs `phiguard explain ARGS…`: (exit code, stdout, stderr).
fn explain(args: &[&str]) -> (i32, String, String) {
    let out = phiguard().arg("explain").args(args).output().unwrap();
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

/// The text with every run of whitespace made one space, so that checks do not depend on where
/// the text was wrapped.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[track_caller]
fn assert_has(text: &str, wanted: &[&str]) {
    let flat = flat(text);
    for w in wanted {
        assert!(flat.contains(w), "missing {w:?} in:\n{text}");
    }
}

#[test]
fn a_builtin_rule_says_what_where_why_and_how() {
    let (code, out, err) = explain(&["hipaa.ssn.dashed"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
    assert!(out.starts_with("hipaa.ssn.dashed\n"), "{out}");
    assert_has(
        &out,
        &[
            "Social Security number written with dashes",
            "category ssn: Social Security number",
            "identifier (G) of 45 CFR 164.514(b)(2)(i): social security numbers",
            "severity high:",
            "confidence 0.90",
            "validator ssn: A US Social Security number",
            "defined in patterns/government-ids.toml:",
            "(pack hipaa-government-ids, built into phiguard)",
            // The pack's boost keywords and exclusions, a few of them.
            "\"ssn\", \"ss#\"",
            "Not reported when one of these words is within 16 characters before the value",
            // Its examples, as written in the pack.
            "\"SSN: 987-65-4326\"",
            "\"Order #987-65-4326 has shipped!\"",
            "Why it matters under HIPAA",
            "identity theft",
            "How to fix a post",
            "Remove it: an SSN never belongs in a public post.",
            "How to allow it",
            "--fail-on",
            "--pack FILE",
        ],
    );
    // Only options that exist are offered.
    for flag in ["--disable", "--allow", "--ignore", "--config"] {
        assert!(!out.contains(flag), "{flag} in:\n{out}");
    }
}

#[test]
fn a_category_lists_its_rules_in_any_spelling() {
    let (code, out, err) = explain(&["ssn"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("ssn: Social Security number\n"), "{out}");
    assert_has(
        &out,
        &[
            "Safe Harbor identifier (G) of 45 CFR 164.514(b)(2)(i)",
            "severity high by default",
            "Rules in this category",
            "hipaa.ssn.dashed Social Security number written with dashes, like 987-65-4326",
            "hipaa.ssn.spaced",
            "hipaa.ssn.itin",
            "Remove it: an SSN never belongs in a public post.",
        ],
    );

    for spelling in ["SSN", " ssn "] {
        let (code, again, _) = explain(&[spelling]);
        assert_eq!(code, 0, "{spelling}");
        assert_eq!(again, out, "{spelling}");
    }
    for spelling in ["age_over_89", "age-over-89", "AGE-OVER-89", "Age_Over_89"] {
        let (code, text, err) = explain(&[spelling]);
        assert_eq!(code, 0, "{spelling}: {err}");
        assert!(text.starts_with("age_over_89: age over 89\n"), "{text}");
        assert_has(
            &text,
            &["identifier (C) of 45 CFR 164.514(b)(2)(i)", "90 or older"],
        );
    }
    let (_, text, _) = explain(&["medical-record-number"]);
    assert_has(&text, &["identifier (H)", "medical record numbers"]);
}

#[test]
fn the_name_category_lists_the_name_detection_rules() {
    let (code, out, err) = explain(&["name"]);
    assert_eq!(code, 0, "{err}");
    assert_has(
        &out,
        &[
            "identifier (A) of 45 CFR 164.514(b)(2)(i): names",
            "hipaa.name.patient",
            "hipaa.name.person",
            "hipaa.name.staff",
            "hipaa.name.public-figure",
            "set by what surrounds each name",
            "[names]",
        ],
    );
    // The reply handle is an `other_id`, not a name.
    assert!(!out.contains("hipaa.handle.addressee"), "{out}");
    let (_, other, _) = explain(&["other_id"]);
    assert_has(&other, &["hipaa.handle.addressee", "identifier (R)"]);
}

#[test]
fn staff_names_are_explained_by_titles_and_credentials() {
    let (code, out, err) = explain(&["hipaa.name.staff"]);
    assert_eq!(code, 0, "{err}");
    assert_has(
        &out,
        &[
            "category name",
            "identifier (A)",
            "found by name detection",
            "patterns/names.toml:",
            "What the role means",
            "staff title (Dr., Nurse",
            "credential (\", RN\"",
            "adds no risk",
            "staff titles before a name",
            "credentials after a name",
            "staff_titles",
            "public_figures = { words = [\"Jane Example\"] }",
            "phiguard scan --pack my-names.toml",
        ],
    );
}

#[test]
fn patient_and_person_names_say_what_raises_and_lowers_the_risk() {
    let (code, out, err) = explain(&["hipaa.name.patient"]);
    assert_eq!(code, 0, "{err}");
    assert_has(
        &out,
        &[
            "patient wording",
            "our patient Liam",
            "With health information",
            "anonymising wording",
            "Use a first name only with written authorization",
        ],
    );
    let (code, out, err) = explain(&["hipaa.name.person"]);
    assert_eq!(code, 0, "{err}");
    assert_has(
        &out,
        &[
            "Lower in staff wording",
            "names have been changed",
            "hipaa.name.public-figure",
        ],
    );
    let (code, out, err) = explain(&["hipaa.name.public-figure"]);
    assert_eq!(code, 0, "{err}");
    assert_has(&out, &["Florence Nightingale", "Nothing to fix."]);
    let (code, out, err) = explain(&["hipaa.handle.addressee"]);
    assert_eq!(code, 0, "{err}");
    assert_has(
        &out,
        &[
            "category other_id",
            "identifier (R)",
            "a public reply that confirms someone's care discloses it",
            "private channel",
        ],
    );
}

#[test]
fn a_signal_is_explained_as_context_not_an_identifier() {
    let (code, out, err) = explain(&["hipaa.context.condition"]);
    assert_eq!(code, 0, "{err}");
    assert_has(
        &out,
        &[
            "kind health:",
            "a signal, not an identifier",
            "defined in patterns/context.toml:",
            "words and phrases",
            "\"She beat leukemia!\"",
            "What it does to the risk",
        ],
    );
    assert!(!out.contains("Safe Harbor"), "{out}");
}

#[test]
fn an_unknown_name_exits_2_with_suggestions() {
    let (code, out, err) = explain(&["hipaa.ssn.dashd"]);
    assert_eq!(code, 2);
    assert!(out.is_empty(), "{out}");
    assert!(
        err.starts_with("phiguard: no rule, signal or category is called \"hipaa.ssn.dashd\"\n"),
        "{err}"
    );
    assert!(err.contains("did you mean:\n  hipaa.ssn.dashed\n"), "{err}");
    assert_has(&err, &["phiguard packs list", "age_over_89"]);

    let (code, _, err) = explain(&["hipaa.name"]);
    assert_eq!(code, 2);
    assert!(err.contains("  hipaa.name.staff\n"), "{err}");

    let (code, _, err) = explain(&["age-over-98"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean:\n  age_over_89\n"), "{err}");

    let (code, _, err) = explain(&["social security"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean:\n  ssn\n"), "{err}");

    let (code, _, err) = explain(&["\u{1b}[2Jqqq"]);
    assert_eq!(code, 2);
    assert!(
        !err.contains('\u{1b}'),
        "escape sequences are not echoed: {err:?}"
    );
}

#[test]
fn a_user_pack_rule_is_explained_with_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("acme.toml");
    std::fs::write(
        &pack,
        "[pack]\nid = \"acme\"\n\n[[rule]]\nid = \"acme.portal\"\ncategory = \"other_id\"\n\
         description = \"Patient portal user names (PP- and 6 digits)\"\n\
         regex = '(?-u:\\b)PP-([0-9]{6})(?-u:\\b)'\nkeywords = [\"portal\", \"PP-\"]\nwindow = 40\n\
         severity = \"high\"\n\
         examples = [\"portal login PP-204817 reset\", { text = \"Your portal ID is PP-204817.\", value = \"204817\" }]\n\
         negative_examples = [\"PP-2048 is a paper size\", \"order PP-20481\"]\n",
    )
    .unwrap();
    let path = pack.display().to_string();

    let (code, out, err) = explain(&["--pack", &path, "acme.portal"]);
    assert_eq!(code, 0, "{err}");
    assert_has(
        &out,
        &[
            "Patient portal user names (PP- and 6 digits)",
            "category other_id: other identifying number",
            "identifier (R) of 45 CFR 164.514(b)(2)(i)",
            "severity high:",
            "confidence 0.60",
            &format!("defined in {path}:5 (pack acme, your pack)"),
            "Needs one of these words within 40 characters of the value: \"portal\", \"PP-\".",
            "\"portal login PP-204817 reset\"",
            "\"Your portal ID is PP-204817.\"",
            "\"PP-2048 is a paper size\"",
            &format!("This rule comes from your pack {path}"),
        ],
    );

    // The category lists it beside the built-in rules, and says how to explain it again.
    let (code, out, _) = explain(&["other_id", "--pack", &path]);
    assert_eq!(code, 0);
    assert_has(
        &out,
        &["acme.portal Patient portal user names", "hipaa.room.number"],
    );

    // Without the built-in packs, only the user pack's rules are known.
    let (code, out, _) = explain(&["--no-default-packs", "--pack", &path, "other_id"]);
    assert_eq!(code, 0);
    assert_has(
        &out,
        &[
            "Rules in this category (1)",
            &format!("phiguard explain acme.portal --no-default-packs --pack {path}"),
        ],
    );
    let (code, _, err) = explain(&["--no-default-packs", "--pack", &path, "hipaa.ssn.dashed"]);
    assert_eq!(code, 2);
    assert!(err.contains("no rule, signal or category"), "{err}");

    // A pack that cannot be read is an error naming it.
    let missing = dir.path().join("missing.toml").display().to_string();
    let (code, _, err) = explain(&["--pack", &missing, "ssn"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read pack"), "{err}");
}

#[test]
fn json_output_has_stable_keys() {
    let (code, out, err) = explain(&["hipaa.ssn.dashed", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["schema"], "phiguard.explain/1");
    assert_eq!(v["kind"], "rule");
    assert_eq!(v["id"], "hipaa.ssn.dashed");
    assert_eq!(v["category"], "ssn");
    assert_eq!(v["safe_harbor"], "G");
    assert_eq!(v["severity"], "high");
    assert_eq!(v["confidence"], 0.9);
    assert_eq!(v["pack"], "hipaa-government-ids");
    assert_eq!(v["file"], "patterns/government-ids.toml");
    assert_eq!(v["builtin"], true);
    assert_eq!(v["validator"]["name"], "ssn");
    assert_eq!(v["role"], Value::Null);
    assert_eq!(
        v["examples"][0],
        serde_json::json!({"text": "SSN: 987-65-4326", "value": "987-65-4326"})
    );
    assert_eq!(v["boosts"][0]["window"]["before"], 40);
    assert_eq!(v["excludes"][0]["window"]["after"], 0);
    for key in [
        "why",
        "fix",
        "allow",
        "keywords",
        "negative_examples",
        "line",
    ] {
        assert!(!v[key].is_null(), "{key} missing: {out}");
    }

    let (_, out, _) = explain(&["--format", "json", "hipaa.name.staff"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["kind"], "rule");
    assert_eq!(v["role"], "staff");
    assert_eq!(v["category"], "name");
    assert_eq!(v["regex"], Value::Null);
    assert_eq!(v["file"], "patterns/names.toml");

    let (_, out, _) = explain(&["--format", "json", "Age-Over-89"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["kind"], "category");
    assert_eq!(v["id"], "age_over_89");
    assert_eq!(v["safe_harbor"], "C");
    assert_eq!(v["default_severity"], "medium");
    assert!(
        v["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == "hipaa.age.years-old"),
        "{out}"
    );

    let (_, out, _) = explain(&["--format", "json", "hipaa.context.staff"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["kind"], "signal");
    assert_eq!(v["signal_kind"], "staff");
    assert!(v["terms"].as_array().unwrap().len() > 10);
}

/// Every key `--format json` prints is documented in the README's table for its kind.
#[test]
fn json_keys_are_documented_in_the_readme() {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    let subjects = [
        "hipaa.ssn.dashed",
        "hipaa.name.patient",
        "hipaa.context.condition",
        "ssn",
    ];
    for subject in subjects {
        let (code, out, err) = explain(&["--format", "json", subject]);
        assert_eq!(code, 0, "{err}");
        let v: Value = serde_json::from_str(&out).unwrap();
        let kind = v["kind"].as_str().unwrap();
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| `{kind}` |")))
            .unwrap_or_else(|| panic!("README has no row for kind {kind}"));
        for key in v.as_object().unwrap().keys() {
            assert!(
                row.contains(&format!("`{key}`")),
                "README does not document key {key} of {kind}"
            );
        }
    }
}
