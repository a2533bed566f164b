//! The configuration file, `.phiguard.toml`: the risk model's weights and thresholds, the
//! organisation's own people, whose names are never patients', and which table columns to
//! scan.
//!
//! Found by `--config FILE`, else the `PHIGUARD_CONFIG` environment variable, else the nearest
//! `.phiguard.toml` walking up from the current folder (stopping at the repository root, the
//! first folder with a `.git`), else built-in defaults. Unknown keys and out-of-range values are
//! errors that name the file, line and column.

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::assess::RiskModel;
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
}

impl Config {
    /// Finds and loads the configuration: `explicit` (from `--config`), else
    /// `PHIGUARD_CONFIG`, else the nearest `.phiguard.toml` from `start` up to the repository
    /// root, else the defaults.
    pub fn discover(explicit: Option<&Path>, start: &Path) -> Result<Config, Diagnostic> {
        let env = std::env::var_os("PHIGUARD_CONFIG").filter(|v| !v.is_empty());
        match (explicit, env) {
            (Some(path), _) => Config::load(path),
            (None, Some(path)) => Config::load(Path::new(&path)),
            (None, None) => match nearest(start) {
                Some(path) => Config::load(&path),
                None => Ok(Config::default()),
            },
        }
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
        Ok(Config {
            path: None,
            columns: file.input.columns,
            max_file_size,
            risk,
            names: NameOptions {
                staff_names: names(org.staff_names, "staff-names")?,
                public_figures: names(org.public_figures, "public-figures")?,
            },
        })
    }
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
