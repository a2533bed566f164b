//! `phiguard packs check`: validate packs and run every rule's examples through the real engine.
//!
//! An example passes when scanning its text yields a finding from its rule (with the pinned
//! value, if the example gives one); a negative example passes when it yields none from its rule.
//! Examples are scanned with every pack being checked loaded together with the context packs (the
//! built-in ones, for a user's pack), so a rule that loses an overlap to another rule on its own
//! example, or reuses another pack's rule id, fails its check as it would fail in a real scan.

use super::{Diagnostic, Example, Pack, PackSource, parse};
use crate::detect::Engine;

/// Minimum number of examples and negative examples a built-in rule must carry.
pub const MIN_BUILTIN_EXAMPLES: usize = 2;

/// One checked pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackSummary {
    pub id: String,
    pub file: String,
    pub rules: usize,
}

/// The outcome of checking a set of packs.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// Every checked pack that parsed.
    pub packs: Vec<PackSummary>,
    /// Errors and warnings, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// How many examples and negative examples ran.
    pub examples_run: usize,
}

impl CheckReport {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    pub fn ok(&self) -> bool {
        self.errors() == 0
    }
}

/// Validates `checked` and runs their examples, with `context` packs loaded beside them (their
/// own examples are not run). Built-in packs are held to the stricter bar (at least
/// [`MIN_BUILTIN_EXAMPLES`] of each kind of example and a description per rule).
pub fn check(checked: &[PackSource], context: &[PackSource]) -> CheckReport {
    let mut report = CheckReport::default();
    let mut context_packs = Vec::new();
    for src in context {
        match parse(src) {
            Ok((pack, _)) => context_packs.push(pack),
            Err(diags) => report.diagnostics.extend(diags),
        }
    }
    let mut packs = Vec::new();
    for src in checked {
        match parse(src) {
            Ok((pack, warnings)) => {
                report.diagnostics.extend(warnings);
                report.packs.push(PackSummary {
                    id: pack.id.clone(),
                    file: pack.file.clone(),
                    rules: pack.rules.len(),
                });
                if pack.builtin {
                    builtin_bar(&pack, &mut report.diagnostics);
                }
                packs.push(pack);
            }
            Err(diags) => report.diagnostics.extend(diags),
        }
    }
    let all: Vec<Pack> = context_packs.iter().chain(&packs).cloned().collect();
    match Engine::build_checked(&all) {
        Ok(engine) => {
            for pack in &packs {
                run_examples(&engine, pack, &mut report);
            }
        }
        Err(diags) => {
            report.diagnostics.extend(diags);
            // Still test every pack that compiles beside the context (or, failing that, alone).
            for pack in &packs {
                let mut with_context = context_packs.clone();
                with_context.push(pack.clone());
                let engine = Engine::build_checked(&with_context)
                    .or_else(|_| Engine::build_checked(std::slice::from_ref(pack)));
                if let Ok(engine) = engine {
                    run_examples(&engine, pack, &mut report);
                }
            }
        }
    }
    report
}

fn builtin_bar(pack: &Pack, diags: &mut Vec<Diagnostic>) {
    let few = |n: usize| n < MIN_BUILTIN_EXAMPLES;
    for s in &pack.signals {
        if few(s.examples.len())
            || few(s.negative_examples.len())
            || s.description.trim().is_empty()
        {
            diags.push(
                Diagnostic::error(
                    &pack.file,
                    format!(
                        "built-in signals need a `description` and at least {MIN_BUILTIN_EXAMPLES} \
                         `examples` and `negative_examples`"
                    ),
                )
                .at(s.line, None)
                .rule(&s.id),
            );
        }
    }
    if let Some(n) = &pack.names
        && (few(n.examples.len()) || few(n.negative_examples.len()))
    {
        diags.push(
            Diagnostic::error(
                &pack.file,
                format!(
                    "built-in `[names]` needs at least {MIN_BUILTIN_EXAMPLES} `examples` and \
                     `negative_examples`"
                ),
            )
            .at(n.line, None),
        );
    }
    for rule in &pack.rules {
        let err = |msg: String| {
            Diagnostic::error(&pack.file, msg)
                .at(rule.line, None)
                .rule(&rule.id)
        };
        if rule.examples.len() < MIN_BUILTIN_EXAMPLES {
            diags.push(err(format!(
                "built-in rules need at least {MIN_BUILTIN_EXAMPLES} `examples` (has {})",
                rule.examples.len()
            )));
        }
        if rule.negative_examples.len() < MIN_BUILTIN_EXAMPLES {
            diags.push(err(format!(
                "built-in rules need at least {MIN_BUILTIN_EXAMPLES} `negative_examples` (has {})",
                rule.negative_examples.len()
            )));
        }
        if rule.description.trim().is_empty() {
            diags.push(err("built-in rules need a `description`".into()));
        }
    }
}

fn run_examples(engine: &Engine, pack: &Pack, report: &mut CheckReport) {
    run_name_and_signal_examples(engine, pack, report);
    for rule in &pack.rules {
        let fail = |msg: String| {
            Diagnostic::error(&pack.file, msg)
                .at(rule.line, None)
                .rule(&rule.id)
        };
        for (n, ex) in rule.examples.iter().enumerate() {
            report.examples_run += 1;
            let found = findings(engine, ex);
            let ours: Vec<&(String, String)> =
                found.iter().filter(|(id, _)| *id == rule.id).collect();
            let ok = match ex.value() {
                Some(v) => ours.iter().any(|(_, got)| got == v),
                None => !ours.is_empty(),
            };
            if !ok {
                let wanted = ex
                    .value()
                    .map(|v| format!(" with value {v:?}"))
                    .unwrap_or_default();
                report.diagnostics.push(fail(format!(
                    "example {} {:?} should be found{wanted}, but {}",
                    n + 1,
                    ex.text(),
                    describe(&found)
                )));
            }
        }
        for (n, ex) in rule.negative_examples.iter().enumerate() {
            report.examples_run += 1;
            let found = findings(engine, ex);
            if let Some((_, got)) = found.iter().find(|(id, _)| *id == rule.id) {
                report.diagnostics.push(fail(format!(
                    "negative example {} {:?} should not be found, but the rule matched {got:?}",
                    n + 1,
                    ex.text()
                )));
            }
        }
    }
}

/// Runs the `[names]` examples (a name must be found, with the pinned value) and every signal's
/// examples (the signal must occur).
fn run_name_and_signal_examples(engine: &Engine, pack: &Pack, report: &mut CheckReport) {
    if let Some(names) = &pack.names {
        let fail = |msg: String| Diagnostic::error(&pack.file, msg).at(names.line, None);
        for (n, ex) in names.examples.iter().enumerate() {
            report.examples_run += 1;
            let found: Vec<(String, String)> = findings(engine, ex)
                .into_iter()
                .filter(|(id, _)| id.starts_with("hipaa.name."))
                .collect();
            let ok = match ex.value() {
                Some(v) => found.iter().any(|(_, got)| got == v),
                None => !found.is_empty(),
            };
            if !ok {
                let wanted = ex.value().map(|v| format!(" {v:?}")).unwrap_or_default();
                report.diagnostics.push(fail(format!(
                    "names example {} {:?} should find the name{wanted}, but {}",
                    n + 1,
                    ex.text(),
                    describe(&found)
                )));
            }
        }
        for (n, ex) in names.negative_examples.iter().enumerate() {
            report.examples_run += 1;
            let found: Vec<(String, String)> = findings(engine, ex)
                .into_iter()
                .filter(|(id, _)| id.starts_with("hipaa.name."))
                .collect();
            if !found.is_empty() {
                report.diagnostics.push(fail(format!(
                    "names negative example {} {:?} should find no name, but {}",
                    n + 1,
                    ex.text(),
                    describe(&found)
                )));
            }
        }
    }
    for signal in &pack.signals {
        let fail = |msg: String| {
            Diagnostic::error(&pack.file, msg)
                .at(signal.line, None)
                .rule(&signal.id)
        };
        let occurs = |text: &str| {
            engine
                .scan_detailed(text)
                .signals
                .iter()
                .any(|h| engine.signal(h.signal).id == signal.id)
        };
        for (n, ex) in signal.examples.iter().enumerate() {
            report.examples_run += 1;
            if !occurs(ex.text()) {
                report.diagnostics.push(fail(format!(
                    "example {} {:?} should contain the signal, but none of its terms was found",
                    n + 1,
                    ex.text()
                )));
            }
        }
        for (n, ex) in signal.negative_examples.iter().enumerate() {
            report.examples_run += 1;
            if occurs(ex.text()) {
                report.diagnostics.push(fail(format!(
                    "negative example {} {:?} should not contain the signal, but one of its terms was found",
                    n + 1,
                    ex.text()
                )));
            }
        }
    }
}

fn findings(engine: &Engine, ex: &Example) -> Vec<(String, String)> {
    let text = ex.text();
    engine
        .scan(text)
        .into_iter()
        .map(|m| (engine.rule(m.rule).id.clone(), text[m.range].to_owned()))
        .collect()
}

fn describe(found: &[(String, String)]) -> String {
    if found.is_empty() {
        return "nothing was found".to_owned();
    }
    let list: Vec<String> = found
        .iter()
        .map(|(id, v)| format!("`{id}` {v:?}"))
        .collect();
    format!("the scan found {}", list.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(text: &str) -> PackSource {
        PackSource {
            name: "user.toml".into(),
            text: text.into(),
            builtin: false,
            path: None,
        }
    }

    #[test]
    fn passing_examples_and_a_failing_one() {
        let report = check(
            &[user(
                "[pack]\nid = \"u\"\n[[rule]]\nid = \"u.pp\"\ncategory = \"other_id\"\n\
             regex = '\\bPP-([0-9]{6})\\b'\nkeywords = [\"portal\", \"PP-\"]\nwindow = 40\n\
             examples = [\"portal login PP-204817 reset\", { text = \"PP-204817\", value = \"204817\" }]\n\
             negative_examples = [\"PP-2048 is a paper size\", \"portal PP-204817\"]\n",
            )],
            &[],
        );
        assert_eq!(report.examples_run, 4);
        assert_eq!(report.errors(), 1, "{:?}", report.diagnostics);
        let msg = report.diagnostics[0].to_string();
        assert_eq!(
            msg,
            "user.toml:4: error: rule `u.pp`: negative example 2 \"portal PP-204817\" should not be \
             found, but the rule matched \"204817\""
        );
    }

    #[test]
    fn pinned_value_must_match_exactly() {
        let report = check(
            &[user(
                "[pack]\nid = \"u\"\n[[rule]]\nid = \"u.n\"\ncategory = \"other_id\"\nregex = '[0-9]+'\n\
             examples = [{ text = \"a 123 b\", value = \"12\" }]\n",
            )],
            &[],
        );
        assert_eq!(report.errors(), 1);
        assert!(
            report.diagnostics[0]
                .message
                .contains("should be found with value \"12\", but the scan found `u.n` \"123\""),
            "{}",
            report.diagnostics[0].message
        );
    }

    #[test]
    fn builtin_packs_must_carry_two_of_each_example() {
        let report = check(
            &[PackSource {
                name: "patterns/x.toml".into(),
                text: "[pack]\nid = \"x\"\n[[rule]]\nid = \"x.a\"\ncategory = \"other_id\"\nregex = 'a1'\n\
                       examples = [\"a1\"]\n"
                    .into(),
                builtin: true,
                path: None,
            }],
            &[],
        );
        let msgs: Vec<&str> = report
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(
            msgs,
            vec![
                "built-in rules need at least 2 `examples` (has 1)",
                "built-in rules need at least 2 `negative_examples` (has 0)",
                "built-in rules need a `description`",
            ]
        );
    }

    #[test]
    fn context_packs_catch_id_clashes_and_lost_overlaps() {
        let context = PackSource {
            name: "patterns/base.toml".into(),
            text: "[pack]\nid = \"base\"\n[[rule]]\nid = \"base.mrn\"\ncategory = \"medical_record_number\"\n\
                   regex = 'chart #([0-9]{7})'\nconfidence = 0.9\n"
                .into(),
            builtin: true,
            path: None,
        };
        let report = check(
            &[user(
                "[pack]\nid = \"u\"\n[[rule]]\nid = \"base.mrn\"\ncategory = \"other_id\"\nregex = 'x'\nexamples = [\"x\"]\n",
            )],
            std::slice::from_ref(&context),
        );
        let msgs: Vec<String> = report.diagnostics.iter().map(ToString::to_string).collect();
        assert_eq!(
            msgs,
            vec![
                "user.toml:4: error: rule `base.mrn`: duplicate rule id (also defined at patterns/base.toml:4)"
            ]
        );

        let report = check(
            &[user(
                "[pack]\nid = \"u\"\n[[rule]]\nid = \"u.chart\"\ncategory = \"other_id\"\nregex = '#([0-9]{7})'\n\
                 confidence = 0.5\nexamples = [\"chart #4829173\"]\n",
            )],
            &[context],
        );
        let msgs: Vec<String> = report.diagnostics.iter().map(ToString::to_string).collect();
        assert!(
            msgs.iter().any(|m| m.contains(
                "example 1 \"chart #4829173\" should be found, but the scan found `base.mrn` \"4829173\""
            )),
            "{msgs:?}"
        );
    }

    #[test]
    fn a_broken_pack_does_not_stop_others_being_tested() {
        let good = user(
            "[pack]\nid = \"g\"\n[[rule]]\nid = \"g.a\"\ncategory = \"other_id\"\nregex = 'a1'\nexamples = [\"b2\"]\n",
        );
        let bad = user(
            "[pack]\nid = \"b\"\n[[rule]]\nid = \"b.a\"\ncategory = \"other_id\"\nregex = '(a'\n",
        );
        let report = check(&[good, bad], &[]);
        let msgs: Vec<String> = report.diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(report.errors(), 2, "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("regex does not compile")));
        assert!(
            msgs.iter()
                .any(|m| m.contains("example 1 \"b2\" should be found"))
        );
    }
}
