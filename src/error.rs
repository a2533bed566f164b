//! Errors that stop a command before or while it runs (exit code 2). Per-file problems during a
//! scan are not errors of this kind: they become notes and the scan goes on.

use std::path::PathBuf;

use crate::pack::Diagnostic;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Packs that do not parse or compile; every diagnostic names its file, line and rule.
    #[error("{}", render(.0))]
    Packs(Vec<Diagnostic>),
    /// A configuration file that cannot be read or is invalid.
    #[error("invalid configuration: {0}")]
    Config(Diagnostic),
    #[error("no packs selected: --no-default-packs needs at least one --pack FILE")]
    NoPacks,
    #[error("cannot write {}: {}", .path.display(), crate::source::io_reason(.source))]
    Output {
        path: PathBuf,
        source: std::io::Error,
    },
    /// `scan --staged`, `scan --diff` or `install-hook` could not use git: not a repository,
    /// a BASE that names no commit, a hook it will not overwrite. The message says what to do.
    #[error("{0}")]
    Git(String),
    /// A baseline file that cannot be read, written or used.
    #[error("baseline {}: {message}", .path.display())]
    Baseline { path: PathBuf, message: String },
    /// A command asked for something it cannot do; the message says what to do instead.
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

fn render(diags: &[Diagnostic]) -> String {
    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.is_error())
        .map(ToString::to_string)
        .collect();
    format!("invalid pack:\n{}", errors.join("\n"))
}
