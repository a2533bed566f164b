//! The commands, as library functions: settings in, output written, exit code out. `main.rs`
//! only turns command-line arguments into these settings.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;

use crate::assess::RiskModel;
use crate::detect::Engine;
use crate::error::Error;
use crate::pack::{self, Diagnostic, PackSource};
use crate::report::{self, Format, ReportOptions};
use crate::scan::Scanner;
use crate::source::collect_inputs;

/// Which packs to load.
#[derive(Debug, Clone, Default)]
pub struct PackSelection {
    /// User packs, loaded after the built-in ones.
    pub packs: Vec<PathBuf>,
    pub no_default_packs: bool,
}

impl PackSelection {
    /// The pack sources, built-in first. Unreadable files are errors.
    pub fn sources(&self) -> Result<Vec<PackSource>, Error> {
        let mut sources = if self.no_default_packs {
            Vec::new()
        } else {
            PackSource::builtin()
        };
        let mut errors = Vec::new();
        for path in &self.packs {
            match PackSource::read(path) {
                Ok(s) => sources.push(s),
                Err(d) => errors.push(d),
            }
        }
        if !errors.is_empty() {
            return Err(Error::Packs(errors));
        }
        if sources.is_empty() {
            return Err(Error::NoPacks);
        }
        Ok(sources)
    }

    /// Parses and compiles the selected packs. Warnings are returned for the caller to show.
    pub fn engine(&self) -> Result<(Engine, Vec<Diagnostic>), Error> {
        let mut packs = Vec::new();
        let mut diags = Vec::new();
        for src in self.sources()? {
            match pack::parse(&src) {
                Ok((p, warnings)) => {
                    diags.extend(warnings);
                    packs.push(p);
                }
                Err(errs) => diags.extend(errs),
            }
        }
        if diags.iter().any(Diagnostic::is_error) {
            return Err(Error::Packs(diags));
        }
        let engine = Engine::build(&packs).map_err(Error::Packs)?;
        Ok((engine, diags))
    }
}

/// When to use colour in the human report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set or TERM is "dumb".
    #[default]
    Auto,
    /// Always, unless NO_COLOR is set.
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour output going to stdout.
    pub fn enabled_for_stdout(self) -> bool {
        if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            return false;
        }
        match self {
            ColorChoice::Never => false,
            ColorChoice::Always => true,
            ColorChoice::Auto => {
                io::stdout().is_terminal() && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
            }
        }
    }
}

/// Settings of `phiguard scan`.
#[derive(Debug, Clone)]
pub struct ScanSettings {
    /// Files, folders or `-` for stdin.
    pub paths: Vec<PathBuf>,
    pub packs: PackSelection,
    pub report: ReportOptions,
    /// Write the report here instead of stdout.
    pub output: Option<PathBuf>,
    /// Worker threads (at least 1).
    pub threads: usize,
}

/// Runs a scan and writes its report. Returns the exit code (0, 1 or 2).
pub fn scan(settings: &ScanSettings, stderr: &mut dyn Write) -> Result<u8, Error> {
    let (engine, warnings) = settings.packs.engine()?;
    for w in &warnings {
        writeln!(stderr, "phiguard: {w}")?;
    }
    let mut notes = Vec::new();
    let inputs = collect_inputs(&settings.paths, &mut notes);
    let model = RiskModel::default();
    let scanner = Scanner {
        engine: &engine,
        model: &model,
    };
    let mut results = scanner.scan_inputs(&inputs, settings.threads);
    results.notes.extend(notes);
    results.notes.sort();
    let code = report::exit_code(&results, settings.report.fail_on);

    let human_on_stdout = settings.output.is_none() && settings.report.format == Format::Human;
    if !human_on_stdout {
        for n in results.notes.iter().filter(|n| n.is_error()) {
            writeln!(stderr, "phiguard: error: {}: {}", n.source, n.message)?;
        }
    }
    match &settings.output {
        Some(path) => {
            let file = std::fs::File::create(path).map_err(|source| Error::Output {
                path: path.clone(),
                source,
            })?;
            let mut w = BufWriter::new(file);
            let opts = ReportOptions {
                color: false,
                ..settings.report
            };
            report::write(&results, &opts, &mut w)
                .and_then(|()| w.flush())
                .map_err(|source| Error::Output {
                    path: path.clone(),
                    source,
                })?;
        }
        None => {
            let stdout = io::stdout();
            let mut w = BufWriter::new(stdout.lock());
            let written =
                report::write(&results, &settings.report, &mut w).and_then(|()| w.flush());
            match written {
                Ok(()) => {}
                // A reader that stopped early (`| head`) is not an error.
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(code)
}

/// `phiguard packs list`: every selected pack and its rules.
pub fn packs_list(selection: &PackSelection, out: &mut dyn Write) -> Result<u8, Error> {
    let mut packs = Vec::new();
    for src in selection.sources()? {
        match pack::parse(&src) {
            Ok((p, _)) => packs.push(p),
            Err(errs) => return Err(Error::Packs(errs)),
        }
    }
    for p in &packs {
        let n = p.rules.len();
        writeln!(
            out,
            "{}  {}  ({n} rule{})",
            p.id,
            p.file,
            if n == 1 { "" } else { "s" }
        )?;
        if !p.description.is_empty() {
            writeln!(out, "  {}", p.description)?;
        }
        let width = p.rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
        for r in &p.rules {
            let validator = r
                .validator
                .map(|v| format!("  [validator: {}]", v.name()))
                .unwrap_or_default();
            writeln!(
                out,
                "    {:<width$}  {:<21}  {:<6}  {}{validator}",
                r.id,
                r.category.as_str(),
                r.severity.as_str(),
                r.description,
            )?;
        }
        writeln!(out)?;
    }
    let rules: usize = packs.iter().map(|p| p.rules.len()).sum();
    writeln!(out, "{} packs, {rules} rules.", packs.len())?;
    Ok(0)
}

/// `phiguard packs check`: validate packs and run their examples. With no files, checks the
/// built-in packs. Returns 0 when every check passes, 1 when a pack has errors, 2 when a pack
/// file cannot be read.
pub fn packs_check(files: &[PathBuf], out: &mut dyn Write) -> Result<u8, Error> {
    let mut sources = Vec::new();
    let mut unreadable = Vec::new();
    if files.is_empty() {
        sources = PackSource::builtin();
    }
    for f in files {
        match PackSource::read(f) {
            Ok(s) => sources.push(s),
            Err(d) => unreadable.push(d),
        }
    }
    for d in &unreadable {
        writeln!(out, "{d}")?;
    }
    let report = pack::check::check(&sources);
    for d in &report.diagnostics {
        writeln!(out, "{d}")?;
    }
    let rules: usize = report.packs.iter().map(|p| p.2).sum();
    writeln!(
        out,
        "checked {} pack{}, {rules} rules, {} examples: {} error{}, {} warning{}",
        report.packs.len(),
        if report.packs.len() == 1 { "" } else { "s" },
        report.examples_run,
        report.errors() + unreadable.len(),
        if report.errors() + unreadable.len() == 1 {
            ""
        } else {
            "s"
        },
        report.warnings(),
        if report.warnings() == 1 { "" } else { "s" },
    )?;
    Ok(if !unreadable.is_empty() {
        2
    } else if report.ok() {
        0
    } else {
        1
    })
}
