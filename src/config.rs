//! The configuration file, `.phiguard.toml`: when a scan fails (`[scan]`), which packs and
//! rules run (`[packs]`), how inputs are read (`[input]`), the organisation's own people and
//! public facts, which are never PHI (`[organisation]`), values and patterns allowed
//! everywhere (`[allow]`), and the risk model's weights and thresholds (`[risk]`).
//!
//! Found by `--config FILE`, else the `PHIGUARD_CONFIG` environment variable, else the nearest
//! `.phiguard.toml` walking up from the current folder (stopping at the repository root, the
//! first folder with a `.git`), else built-in defaults. Unknown keys and out-of-range values are
//! errors that name the file, line and column.

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::allow::AllowList;
use crate::assess::RiskModel;
use crate::category::RiskLevel;
use crate::detect::NameOptions;
use crate::pack::Diagnostic;
use crate::text::LineIndex;

/// The file name looked for when no `--config` is given.
pub const FILE_NAME: &str = ".phiguard.toml";

/// A loaded configuration.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Where it came from; `None` for the built-in defaults.
    pub path: Option<PathBuf>,
    pub risk: RiskModel,
    pub names: NameOptions,
    /// `[input] columns`: the table columns to scan (header names); empty means all.
    pub columns: Vec<String>,
    /// `[input] max-file-size`, in bytes.
    pub max_file_size: Option<u64>,
    /// `[scan] fail-on` and `min-risk` (the command line wins).
    pub fail_on: Option<RiskLevel>,
    pub min_risk: Option<RiskLevel>,
    /// `[packs]`.
    pub packs: PacksConfig,
    /// How it was found: `--config`, `$PHIGUARD_CONFIG`, the nearest file, or the defaults.
    pub found_by: &'static str,
    /// Each key set in the file (`risk.threshold-medium`) and its line.
    pub origins: Vec<(String, usize)>,
    /// The lists behind the allow list, as written (for `phiguard config`).
    pub lists: Lists,
}

/// The configuration's lists of values, as written.
#[derive(Debug, Clone, Default)]
pub struct Lists {
    pub phones: Vec<String>,
    pub addresses: Vec<String>,
    pub domains: Vec<String>,
    pub allow_values: Vec<String>,
    pub allow_patterns: Vec<String>,
}

/// `[packs]`: which packs and rules run.
#[derive(Debug, Clone, Default)]
pub struct PacksConfig {
    /// `builtin = false` leaves the built-in packs out (like `--no-default-packs`).
    pub builtin: Option<bool>,
    /// More pack files, relative to the configuration file.
    pub add: Vec<PathBuf>,
    /// Rule ids (or id prefixes ending at a dot, `hipaa.zip`) that do not run.
    pub disable: Vec<Located>,
    /// Rules whose confidence or severity is changed.
    pub rules: Vec<(Located, RuleOverride)>,
}

/// A value from the file with its 1-based line and column, for errors found later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub value: String,
    pub line: usize,
    pub column: usize,
}

/// `[packs.rules."ID"]`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleOverride {
    pub confidence: Option<f64>,
    pub severity: Option<RiskLevel>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    risk: RiskFile,
    #[serde(default)]
    organisation: Organisation,
    #[serde(default)]
    input: InputFile,
    #[serde(default)]
    scan: ScanFile,
    #[serde(default)]
    packs: PacksFile,
    #[serde(default)]
    allow: AllowFile,
}

/// `[scan]`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ScanFile {
    fail_on: Option<RiskLevel>,
    min_risk: Option<RiskLevel>,
}

/// `[packs]`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct PacksFile {
    builtin: Option<bool>,
    #[serde(default)]
    add: Vec<String>,
    #[serde(default)]
    disable: Vec<Spanned<String>>,
    #[serde(default)]
    rules: std::collections::BTreeMap<Spanned<String>, Spanned<RuleOverride>>,
}

/// `[allow]`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct AllowFile {
    #[serde(default)]
    values: Vec<Spanned<String>>,
    #[serde(default)]
    patterns: Vec<Spanned<String>>,
}

/// `[input]`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct InputFile {
    /// In CSV and TSV files, scan only these columns (by header name, any case).
    #[serde(default)]
    columns: Vec<String>,
    /// Larger files are not read (reported as not checked): bytes, or "64 MiB".
    max_file_size: Option<Spanned<SizeValue>>,
}

/// A size written as a number of bytes or as a string with a unit.
#[derive(Deserialize)]
#[serde(untagged)]
enum SizeValue {
    Bytes(u64),
    Text(String),
}

/// `[risk]`: every key optional, each a number from 0 to 1.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RiskFile {
    weight_low: Option<Spanned<f64>>,
    weight_medium: Option<Spanned<f64>>,
    weight_high: Option<Spanned<f64>>,
    threshold_low: Option<Spanned<f64>>,
    threshold_medium: Option<Spanned<f64>>,
    threshold_high: Option<Spanned<f64>>,
    name_alone: Option<Spanned<f64>>,
    name_with_patient: Option<Spanned<f64>>,
    name_with_health: Option<Spanned<f64>>,
    name_with_identifier: Option<Spanned<f64>>,
    anonymous_story: Option<Spanned<f64>>,
    staff_context_factor: Option<Spanned<f64>>,
    mitigation_factor: Option<Spanned<f64>>,
}

/// `[organisation]`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Organisation {
    /// Clinicians' and staff members' names ("Priya Raman"): never patients.
    #[serde(default)]
    staff_names: Vec<Spanned<String>>,
    /// Public figures beyond the built-in list (a local mayor, a team's players).
    #[serde(default)]
    public_figures: Vec<Spanned<String>>,
    /// The organisation's own phone and fax numbers.
    #[serde(default)]
    phones: Vec<Spanned<String>>,
    /// The organisation's own addresses.
    #[serde(default)]
    addresses: Vec<Spanned<String>>,
    /// The organisation's web and email domains.
    #[serde(default)]
    domains: Vec<Spanned<String>>,
}

impl Config {
    /// Finds and loads the configuration: `explicit` (from `--config`), else
    /// `PHIGUARD_CONFIG`, else the nearest `.phiguard.toml` from `start` up to the repository
    /// root, else the defaults.
    pub fn discover(explicit: Option<&Path>, start: &Path) -> Result<Config, Diagnostic> {
        let env = std::env::var_os("PHIGUARD_CONFIG").filter(|v| !v.is_empty());
        let (config, found_by) = match (explicit, env) {
            (Some(path), _) => (Config::load(path)?, "--config"),
            (None, Some(path)) => (Config::load(Path::new(&path))?, "$PHIGUARD_CONFIG"),
            (None, None) => match nearest(start) {
                Some(path) => (Config::load(&path)?, "the nearest .phiguard.toml"),
                None => (Config::default(), "none found: built-in defaults"),
            },
        };
        Ok(Config { found_by, ..config })
    }

    /// Loads one configuration file.
    pub fn load(path: &Path) -> Result<Config, Diagnostic> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            Diagnostic::error(
                &name,
                format!("cannot read: {}", crate::source::io_reason(&e)),
            )
        })?;
        let mut config = Config::parse(&name, &text)?;
        // Packs are named relative to the file that names them.
        let dir = path.parent().unwrap_or(Path::new("."));
        for p in &mut config.packs.add {
            if p.is_relative() {
                *p = dir.join(&*p);
            }
        }
        config.path = Some(path.to_path_buf());
        Ok(config)
    }

    /// Parses a configuration's text; `name` is used in errors.
    pub fn parse(name: &str, text: &str) -> Result<Config, Diagnostic> {
        let lines = LineIndex::new(text.as_bytes());
        let at = |d: Diagnostic, span: Range<usize>| {
            let (line, col) = lines.position(text.as_bytes(), span.start);
            d.at(line, Some(col))
        };
        let file: ConfigFile = toml::from_str(text).map_err(|err| {
            let d = Diagnostic::error(name, err.message().trim().to_owned());
            match err.span() {
                Some(span) => at(d, span),
                None => d,
            }
        })?;

        let mut risk = RiskModel::default();
        let r = file.risk;
        let keys: [(&str, Option<Spanned<f64>>, &mut f64); 13] = [
            ("weight-low", r.weight_low, &mut risk.weight_low),
            ("weight-medium", r.weight_medium, &mut risk.weight_medium),
            ("weight-high", r.weight_high, &mut risk.weight_high),
            ("threshold-low", r.threshold_low, &mut risk.threshold_low),
            (
                "threshold-medium",
                r.threshold_medium,
                &mut risk.threshold_medium,
            ),
            ("threshold-high", r.threshold_high, &mut risk.threshold_high),
            ("name-alone", r.name_alone, &mut risk.name_alone),
            (
                "name-with-patient",
                r.name_with_patient,
                &mut risk.name_with_patient,
            ),
            (
                "name-with-health",
                r.name_with_health,
                &mut risk.name_with_health,
            ),
            (
                "name-with-identifier",
                r.name_with_identifier,
                &mut risk.name_with_identifier,
            ),
            (
                "anonymous-story",
                r.anonymous_story,
                &mut risk.anonymous_story,
            ),
            (
                "staff-context-factor",
                r.staff_context_factor,
                &mut risk.staff_context_factor,
            ),
            (
                "mitigation-factor",
                r.mitigation_factor,
                &mut risk.mitigation_factor,
            ),
        ];
        let mut threshold_spans = Vec::new();
        for (key, value, slot) in keys {
            let Some(value) = value else { continue };
            let v = *value.get_ref();
            if !(0.0..=1.0).contains(&v) {
                return Err(at(
                    Diagnostic::error(name, format!("[risk] {key} must be from 0 to 1, not {v}")),
                    value.span(),
                ));
            }
            if key.starts_with("threshold-") {
                threshold_spans.push(value.span());
            }
            *slot = v;
        }
        if !(risk.threshold_low <= risk.threshold_medium
            && risk.threshold_medium <= risk.threshold_high)
        {
            let d = Diagnostic::error(
                name,
                format!(
                    "[risk] thresholds must rise: threshold-low ({}) <= threshold-medium ({}) <= \
                     threshold-high ({})",
                    risk.threshold_low, risk.threshold_medium, risk.threshold_high
                ),
            );
            return Err(match threshold_spans.first() {
                Some(span) => at(d, span.clone()),
                None => d,
            });
        }

        let names = |list: Vec<Spanned<String>>, key: &str| -> Result<Vec<String>, Diagnostic> {
            list.into_iter()
                .map(|n| {
                    let v = n.get_ref().trim();
                    if v.chars().any(char::is_alphabetic) {
                        Ok(v.to_owned())
                    } else {
                        Err(at(
                            Diagnostic::error(
                                name,
                                format!("[organisation] {key}: {v:?} is not a name"),
                            ),
                            n.span(),
                        ))
                    }
                })
                .collect()
        };
        let max_file_size = match file.input.max_file_size {
            None => None,
            Some(v) => {
                let span = v.span();
                let parsed = match v.into_inner() {
                    SizeValue::Bytes(0) => Err("0 is not a usable size".to_owned()),
                    SizeValue::Bytes(n) => Ok(n),
                    SizeValue::Text(t) => crate::source::parse_size(&t),
                };
                match parsed {
                    Ok(n) => Some(n),
                    Err(e) => {
                        return Err(at(
                            Diagnostic::error(name, format!("[input] max-file-size: {e}")),
                            span,
                        ));
                    }
                }
            }
        };
        let org = file.organisation;
        let mut allow = AllowList::default();
        let nonempty = |v: &Spanned<String>, key: &str| -> Result<(), Diagnostic> {
            if v.get_ref().trim().is_empty() {
                Err(at(
                    Diagnostic::error(name, format!("{key}: an empty value allows nothing")),
                    v.span(),
                ))
            } else {
                Ok(())
            }
        };
        for v in &org.phones {
            nonempty(v, "[organisation] phones")?;
            if v.get_ref().chars().filter(char::is_ascii_digit).count() < 7 {
                return Err(at(
                    Diagnostic::error(
                        name,
                        format!(
                            "[organisation] phones: {:?} is not a phone number",
                            v.get_ref()
                        ),
                    ),
                    v.span(),
                ));
            }
            allow.phone(v.get_ref());
        }
        for v in &org.addresses {
            nonempty(v, "[organisation] addresses")?;
            allow.address(v.get_ref());
        }
        for v in &org.domains {
            nonempty(v, "[organisation] domains")?;
            allow.domain(v.get_ref());
        }
        for v in &file.allow.values {
            nonempty(v, "[allow] values")?;
            allow.value(v.get_ref());
        }
        for v in &file.allow.patterns {
            nonempty(v, "[allow] patterns")?;
            if let Err(e) = allow.pattern(v.get_ref()) {
                let first = e.lines().last().unwrap_or("").trim().to_owned();
                return Err(at(
                    Diagnostic::error(
                        name,
                        format!(
                            "[allow] patterns: {:?} is not a valid regex: {first}",
                            v.get_ref()
                        ),
                    ),
                    v.span(),
                ));
            }
        }
        let locate = |v: &Spanned<String>| {
            let (line, column) = lines.position(text.as_bytes(), v.span().start);
            Located {
                value: v.get_ref().trim().to_owned(),
                line,
                column,
            }
        };
        let mut rules = Vec::new();
        for (id, o) in &file.packs.rules {
            let v = *o.get_ref();
            if let Some(c) = v.confidence
                && !(0.0..=1.0).contains(&c)
            {
                return Err(at(
                    Diagnostic::error(
                        name,
                        format!(
                            "[packs.rules.\"{}\"] confidence must be from 0 to 1, not {c}",
                            id.get_ref()
                        ),
                    ),
                    o.span(),
                ));
            }
            rules.push((locate(id), v));
        }
        let packs = PacksConfig {
            builtin: file.packs.builtin,
            add: file.packs.add.iter().map(PathBuf::from).collect(),
            disable: file.packs.disable.iter().map(locate).collect(),
            rules,
        };
        Ok(Config {
            path: None,
            columns: file.input.columns,
            max_file_size,
            risk,
            fail_on: file.scan.fail_on,
            min_risk: file.scan.min_risk,
            packs,
            found_by: "",
            origins: origins(text),
            lists: Lists {
                phones: strings(&org.phones),
                addresses: strings(&org.addresses),
                domains: strings(&org.domains),
                allow_values: strings(&file.allow.values),
                allow_patterns: strings(&file.allow.patterns),
            },
            names: NameOptions {
                staff_names: names(org.staff_names, "staff-names")?,
                public_figures: names(org.public_figures, "public-figures")?,
                allow,
            },
        })
    }
}

impl Config {
    /// The pack selection once `[packs] add` and `builtin` are applied to the command line's.
    pub fn select_packs(&self, cli: &crate::app::PackSelection) -> crate::app::PackSelection {
        crate::app::PackSelection {
            packs: self
                .packs
                .add
                .iter()
                .chain(cli.packs.iter())
                .cloned()
                .collect(),
            no_default_packs: cli.no_default_packs || self.packs.builtin == Some(false),
        }
    }

    /// The engine for a command: the command line's packs with `[packs]` applied, and the
    /// organisation's names and allow list. Pack warnings are returned for the caller to show.
    pub fn engine(
        &self,
        cli: &crate::app::PackSelection,
    ) -> Result<(crate::detect::Engine, Vec<Diagnostic>), crate::Error> {
        let (mut packs, warnings) = self.select_packs(cli).packs()?;
        self.apply_rules(&mut packs).map_err(crate::Error::Config)?;
        let engine =
            crate::detect::Engine::build_with(&packs, &self.names).map_err(crate::Error::Packs)?;
        Ok((engine, warnings))
    }

    /// Applies `[packs] disable` and `[packs.rules]` to parsed packs. A rule id that matches
    /// nothing is an error naming the file, line and column (a typo must not silently keep a
    /// rule on, or off).
    pub fn apply_rules(&self, packs: &mut [crate::pack::Pack]) -> Result<(), Diagnostic> {
        let file = self
            .path
            .as_ref()
            .map_or_else(|| FILE_NAME.to_owned(), |p| p.display().to_string());
        let missing = |l: &Located, what: &str| {
            let hint = if l.value.starts_with("hipaa.name") || l.value.starts_with("hipaa.handle") {
                " (names are steered by [organisation] staff-names and public-figures, and [allow])"
            } else {
                ""
            };
            Diagnostic::error(
                &file,
                format!("{what}: no rule {:?} in the packs loaded{hint}", l.value),
            )
            .at(l.line, Some(l.column))
        };
        let matches = |id: &str, pattern: &str| {
            id == pattern
                || (id.starts_with(pattern) && id.as_bytes().get(pattern.len()) == Some(&b'.'))
        };
        for l in &self.packs.disable {
            let mut found = false;
            for p in packs.iter_mut() {
                let before = p.rules.len();
                p.rules.retain(|r| !matches(&r.id, &l.value));
                found |= p.rules.len() != before;
            }
            if !found {
                return Err(missing(l, "[packs] disable"));
            }
        }
        for (l, o) in &self.packs.rules {
            let rule = packs
                .iter_mut()
                .flat_map(|p| p.rules.iter_mut())
                .find(|r| r.id == l.value);
            let Some(rule) = rule else {
                return Err(missing(l, "[packs.rules]"));
            };
            if let Some(c) = o.confidence {
                rule.confidence = c;
            }
            if let Some(s) = o.severity {
                rule.severity = s;
            }
        }
        Ok(())
    }
}

fn strings(list: &[Spanned<String>]) -> Vec<String> {
    list.iter().map(|s| s.get_ref().clone()).collect()
}

/// A commented starter `.phiguard.toml` (what `phiguard init` writes): every section, with the
/// defaults commented out.
pub const STARTER: &str = include_str!("starter.phiguard.toml");

impl Config {
    /// The configuration in effect as TOML, each key commented with where its value comes from
    /// (the file and line, or the default).
    pub fn render(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let file = self.path.as_ref().map(|p| p.display().to_string());
        let _ = writeln!(out, "# The configuration phiguard uses here.");
        match &file {
            Some(f) => {
                let _ = writeln!(out, "# Read from {f} ({}).", self.found_by);
            }
            None => {
                let _ = writeln!(
                    out,
                    "# No .phiguard.toml found (from here up to the repository root), no \
                     --config, no $PHIGUARD_CONFIG: built-in defaults."
                );
            }
        }
        let _ = writeln!(
            out,
            "# Command-line flags (--fail-on, --pack...) still win over it."
        );
        let origin = |key: &str| -> String {
            match (self.origins.iter().find(|(k, _)| k == key), &file) {
                (Some((_, line)), Some(f)) => format!("# {f}:{line}"),
                _ => "# default".to_owned(),
            }
        };
        let q = |s: &str| toml::Value::String(s.to_owned()).to_string();
        let list = |v: &[String]| {
            format!(
                "[{}]",
                v.iter().map(|s| q(s)).collect::<Vec<_>>().join(", ")
            )
        };
        let section = |out: &mut String, name: &str, keys: Vec<(&str, String)>| {
            let _ = writeln!(out, "\n[{name}]");
            for (key, value) in keys {
                let _ = writeln!(out, "{key} = {value}  {}", origin(&format!("{name}.{key}")));
            }
        };
        let level = |l: Option<RiskLevel>, d: RiskLevel| q(l.unwrap_or(d).as_str());
        section(
            &mut out,
            "scan",
            vec![
                ("fail-on", level(self.fail_on, RiskLevel::Medium)),
                ("min-risk", level(self.min_risk, RiskLevel::Low)),
            ],
        );
        let add: Vec<String> = self
            .packs
            .add
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        let disable: Vec<String> = self.packs.disable.iter().map(|l| l.value.clone()).collect();
        section(
            &mut out,
            "packs",
            vec![
                ("builtin", self.packs.builtin.unwrap_or(true).to_string()),
                ("add", list(&add)),
                ("disable", list(&disable)),
            ],
        );
        for (id, o) in &self.packs.rules {
            let mut keys = Vec::new();
            if let Some(c) = o.confidence {
                keys.push(("confidence", c.to_string()));
            }
            if let Some(s) = o.severity {
                keys.push(("severity", q(s.as_str())));
            }
            let name = format!("packs.rules.{}", q(&id.value));
            let _ = writeln!(
                out,
                "\n[{name}]  # {}:{}",
                file.as_deref().unwrap_or(""),
                id.line
            );
            for (key, value) in keys {
                let _ = writeln!(out, "{key} = {value}");
            }
        }
        let size = self.max_file_size.unwrap_or(crate::source::MAX_INPUT_SIZE);
        section(
            &mut out,
            "input",
            vec![
                ("columns", list(&self.columns)),
                ("max-file-size", q(&crate::source::human_size(size))),
            ],
        );
        section(
            &mut out,
            "organisation",
            vec![
                ("staff-names", list(&self.names.staff_names)),
                ("public-figures", list(&self.names.public_figures)),
                ("phones", list(&self.lists.phones)),
                ("addresses", list(&self.lists.addresses)),
                ("domains", list(&self.lists.domains)),
            ],
        );
        section(
            &mut out,
            "allow",
            vec![
                ("values", list(&self.lists.allow_values)),
                ("patterns", list(&self.lists.allow_patterns)),
            ],
        );
        let r = &self.risk;
        let n = |v: f64| format!("{v:?}");
        section(
            &mut out,
            "risk",
            vec![
                ("weight-low", n(r.weight_low)),
                ("weight-medium", n(r.weight_medium)),
                ("weight-high", n(r.weight_high)),
                ("threshold-low", n(r.threshold_low)),
                ("threshold-medium", n(r.threshold_medium)),
                ("threshold-high", n(r.threshold_high)),
                ("name-alone", n(r.name_alone)),
                ("name-with-patient", n(r.name_with_patient)),
                ("name-with-health", n(r.name_with_health)),
                ("name-with-identifier", n(r.name_with_identifier)),
                ("anonymous-story", n(r.anonymous_story)),
                ("staff-context-factor", n(r.staff_context_factor)),
                ("mitigation-factor", n(r.mitigation_factor)),
            ],
        );
        out
    }
}

/// Every key set in a configuration's text, as `section.key`, with its line.
fn origins(text: &str) -> Vec<(String, usize)> {
    use toml::de::{DeTable, DeValue};
    let Ok(root) = DeTable::parse(text) else {
        return Vec::new();
    };
    let lines = LineIndex::new(text.as_bytes());
    let line = |at: usize| lines.line(at);
    let mut out = Vec::new();
    for (section, value) in root.get_ref() {
        let DeValue::Table(table) = value.get_ref() else {
            out.push((section.get_ref().to_string(), line(section.span().start)));
            continue;
        };
        for (key, v) in table {
            let path = format!("{}.{}", section.get_ref(), key.get_ref());
            match v.get_ref() {
                // `[packs.rules."id"]`: one level further.
                DeValue::Table(inner) if section.get_ref() == "packs" => {
                    for (id, _) in inner {
                        out.push((
                            format!("{path}.\"{}\"", id.get_ref()),
                            line(id.span().start),
                        ));
                    }
                }
                _ => out.push((path, line(key.span().start))),
            }
        }
    }
    out
}

/// The nearest `.phiguard.toml` from `start` upwards, not above the repository root.
fn nearest(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).ok()?;
    for dir in start.ancestors() {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if dir.join(".git").exists() {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_override_the_defaults() {
        let c = Config::parse(
            "t.toml",
            "[risk]\nthreshold-medium = 0.5\nname-alone = 0.1\n\n[organisation]\nstaff-names = \
             [\"Priya Raman\"]\n",
        )
        .unwrap();
        assert_eq!(c.risk.threshold_medium, 0.5);
        assert_eq!(c.risk.name_alone, 0.1);
        assert_eq!(c.risk.threshold_high, 0.7);
        assert_eq!(c.names.staff_names, vec!["Priya Raman".to_owned()]);
    }

    #[test]
    fn unknown_keys_and_bad_values_name_the_line_and_column() {
        let e = Config::parse(
            "t.toml",
            "[risk]\nthreshold-medium = 0.5\nnme-alone = 0.1\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("t.toml:3:1: error:"), "{e}");
        assert!(e.contains("nme-alone"), "{e}");

        let e = Config::parse("t.toml", "[risk]\nname-alone = 1.5\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("t.toml:2:14: error:"), "{e}");
        assert!(e.contains("from 0 to 1"), "{e}");

        let e = Config::parse("t.toml", "[risk]\nthreshold-high = 0.3\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("thresholds must rise"), "{e}");

        let e = Config::parse("t.toml", "[organisation]\nstaff-names = [\"  \"]\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("t.toml:2:16: error:"), "{e}");
    }
}
