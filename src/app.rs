//! The commands, as library functions: settings in, output written, exit code out. `main.rs`
//! only turns command-line arguments into these settings.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::detect::{Engine, NameOptions};
use crate::error::Error;
use crate::extract::{ExtractOptions, InputFormat};
use crate::pack::{self, Diagnostic, Pack, PackSource};
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

    /// Parses the selected packs. Warnings are returned for the caller to show.
    pub fn packs(&self) -> Result<(Vec<Pack>, Vec<Diagnostic>), Error> {
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
        Ok((packs, diags))
    }

    /// Parses and compiles the selected packs. Warnings are returned for the caller to show.
    pub fn engine(&self) -> Result<(Engine, Vec<Diagnostic>), Error> {
        self.engine_with(&NameOptions::default())
    }

    /// Parses and compiles the selected packs with the organisation's own names.
    pub fn engine_with(&self, names: &NameOptions) -> Result<(Engine, Vec<Diagnostic>), Error> {
        let (packs, warnings) = self.packs()?;
        let engine = Engine::build_with(&packs, names).map_err(Error::Packs)?;
        Ok((engine, warnings))
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
    /// `--config FILE`; without it the configuration is discovered (see [`Config::discover`]).
    pub config: Option<PathBuf>,
    /// `--input-format`: how to read every input (`Auto`: by extension).
    pub input_format: InputFormat,
    /// `--max-file-size`, in bytes (over the configuration's).
    pub max_file_size: Option<u64>,
    /// Whether `--fail-on` / `--min-risk` were given (they win over `[scan]` in the
    /// configuration; otherwise the configuration's, then the defaults, apply).
    pub fail_on_from_cli: bool,
    pub min_risk_from_cli: bool,
    /// `--staged` or `--diff BASE`: read what git has staged or the branch adds, with `paths`
    /// as git pathspecs, instead of files.
    pub git: Option<crate::git::GitScope>,
    /// `--baseline FILE`: hide the findings it lists, report its stale entries.
    pub baseline: Option<PathBuf>,
}

/// `phiguard init`: writes the commented starter configuration to `path`, refusing to overwrite
/// a file unless `force`.
pub fn init(path: &Path, force: bool, out: &mut dyn Write) -> Result<u8, Error> {
    if path.exists() && !force {
        return Err(Error::Config(Diagnostic::error(
            &path.display().to_string(),
            "already exists; `phiguard init --force` replaces it",
        )));
    }
    std::fs::write(path, crate::config::STARTER).map_err(|source| Error::Output {
        path: path.to_path_buf(),
        source,
    })?;
    emit(
        out,
        &format!(
            "wrote {}: uncomment what you need; `phiguard config` shows what is in effect\n",
            path.display()
        ),
    )?;
    Ok(0)
}

/// `phiguard config`: prints the configuration in effect and where each part comes from.
pub fn show_config(explicit: Option<&Path>, out: &mut dyn Write) -> Result<u8, Error> {
    let config = Config::discover(explicit, Path::new(".")).map_err(Error::Config)?;
    emit(out, &config.render())?;
    Ok(0)
}

/// Runs a scan and writes its report. Returns the exit code (0, 1 or 2).
pub fn scan(settings: &ScanSettings, stderr: &mut dyn Write) -> Result<u8, Error> {
    let config =
        Config::discover(settings.config.as_deref(), Path::new(".")).map_err(Error::Config)?;
    let (engine, warnings) = config.engine(&settings.packs)?;
    // Never freed: the process ends after the report, and freeing the automata and word sets
    // piece by piece would add about a millisecond to every run (pre-commit latency).
    let engine = std::mem::ManuallyDrop::new(engine);
    let mut report_options = settings.report;
    if !settings.fail_on_from_cli
        && let Some(level) = config.fail_on
    {
        report_options.fail_on = level;
    }
    if !settings.min_risk_from_cli
        && let Some(level) = config.min_risk
    {
        report_options.min_risk = level;
    }
    let settings = &ScanSettings {
        report: report_options,
        ..settings.clone()
    };
    let baseline = match &settings.baseline {
        Some(file) => Some(crate::baseline::Baseline::load(file)?),
        None => None,
    };
    // Messages on stderr are best effort: a closed stderr must not change the verdict.
    for w in &warnings {
        let _ = writeln!(stderr, "phiguard: {w}");
    }
    let scanner = Scanner {
        engine: &engine,
        model: &config.risk,
    };
    let options = ExtractOptions {
        format: settings.input_format,
        columns: config.columns.clone(),
        max_file_size: settings.max_file_size.or(config.max_file_size),
    };
    if settings.git.is_none() && baseline.is_none() {
        return scan_streaming(settings, &scanner, &options, stderr);
    }
    let (mut results, scanned) = match &settings.git {
        Some(scope) => {
            let results =
                crate::git::scan(scope, &settings.paths, &scanner, settings.threads, &options)?;
            // A git scan sees what git hands it (only added lines, for --diff): it does not
            // judge which baseline entries are stale.
            (results, Vec::new())
        }
        None => {
            let mut notes = Vec::new();
            let inputs = collect_inputs(&settings.paths, &mut notes);
            let mut results = scanner.scan_inputs_with(&inputs, settings.threads, &options);
            results.notes.extend(notes);
            results.notes.sort();
            let scanned = crate::baseline::scanned_sources(&inputs, &results.notes);
            (results, scanned)
        }
    };
    if let Some(mut b) = baseline {
        // A git scan names files from the repository's top folder, not from here.
        if settings.git.is_some() {
            b.sources_from(crate::git::toplevel("scan --baseline")?);
        }
        b.apply(&mut results, &scanned, &config.risk);
    }
    let code = report::exit_code(&results, settings.report.fail_on);

    error_notes(settings, &results, stderr);
    write_report(settings, |opts, w| ((), report::write(&results, &opts, w)))?;
    // `--format github`: the job summary on GitHub Actions.
    report::write_step_summary(&results, &settings.report)
        .map_err(|(path, source)| Error::Output { path, source })?;
    Ok(code)
}

/// [`scan`] of files and folders without a baseline: inputs are walked, scanned and reported
/// as they come, so memory holds a batch of posts and what the report keeps, not the corpus.
fn scan_streaming(
    settings: &ScanSettings,
    scanner: &Scanner<'_>,
    options: &ExtractOptions,
    stderr: &mut dyn Write,
) -> Result<u8, Error> {
    let mut inputs = crate::source::Inputs::new(&settings.paths);
    let run = |opts: ReportOptions, w: &mut dyn Write| {
        let mut stream = report::Streamer::new(opts, w);
        let keep = |p: &crate::scan::PostResult| report::Streamer::keeps(&opts, p);
        scanner.scan_streaming(&mut inputs, settings.threads, options, &keep, &mut |o| {
            stream.part(o)
        });
        stream.notes(std::mem::take(&mut inputs.notes));
        stream.finish()
    };
    let results = write_report(settings, run)?;
    let code = report::exit_code(&results, settings.report.fail_on);
    error_notes(settings, &results, stderr);
    report::write_step_summary(&results, &settings.report)
        .map_err(|(path, source)| Error::Output { path, source })?;
    Ok(code)
}

/// Error notes on stderr, unless the human report on stdout shows them. Best effort: a closed
/// stderr must not change the verdict.
fn error_notes(
    settings: &ScanSettings,
    results: &crate::scan::ScanResults,
    stderr: &mut dyn Write,
) {
    let human_on_stdout = settings.output.is_none() && settings.report.format == Format::Human;
    if !human_on_stdout {
        for n in results.notes.iter().filter(|n| n.is_error()) {
            let _ = writeln!(
                stderr,
                "phiguard: error: {}: {}",
                report::sanitize(&n.source),
                n.message
            );
        }
    }
}

/// Runs `write` on the report's destination (`--output FILE`, without colour, or stdout) and
/// flushes it. A reader of stdout that stopped early (`| head`) is not an error.
fn write_report<T>(
    settings: &ScanSettings,
    write: impl FnOnce(ReportOptions, &mut dyn Write) -> (T, io::Result<()>),
) -> Result<T, Error> {
    match &settings.output {
        Some(path) => {
            let output = |source| Error::Output {
                path: path.clone(),
                source,
            };
            let mut w = BufWriter::new(std::fs::File::create(path).map_err(output)?);
            let opts = ReportOptions {
                color: false,
                ..settings.report
            };
            let (value, written) = write(opts, &mut w);
            written.and_then(|()| w.flush()).map_err(output)?;
            Ok(value)
        }
        None => {
            let stdout = io::stdout();
            let mut w = BufWriter::new(stdout.lock());
            let (value, written) = write(settings.report, &mut w);
            match written.and_then(|()| w.flush()) {
                Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(e.into()),
                _ => Ok(value),
            }
        }
    }
}

/// Writes `text` to `out`. A reader that stopped early (`| head`) is not an error.
fn emit(out: &mut dyn Write, text: &str) -> Result<(), Error> {
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// `phiguard packs list`: every selected pack and its rules.
pub fn packs_list(selection: &PackSelection, out: &mut dyn Write) -> Result<u8, Error> {
    use std::fmt::Write as _;
    let (packs, _) = selection.packs()?;
    let mut text = String::new();
    for p in &packs {
        let n = p.rules.len();
        let _ = writeln!(
            text,
            "{}  {}  ({n} rule{})",
            p.id,
            p.file,
            if n == 1 { "" } else { "s" }
        );
        if !p.description.is_empty() {
            let _ = writeln!(text, "  {}", p.description);
        }
        let width = p.rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
        for r in &p.rules {
            let validator = r
                .validator
                .map(|v| format!("  [validator: {}]", v.name()))
                .unwrap_or_default();
            let _ = writeln!(
                text,
                "    {:<width$}  {:<21}  {:<6}  {}{validator}",
                r.id,
                r.category.as_str(),
                r.severity.as_str(),
                r.description,
            );
        }
        text.push('\n');
    }
    let rules: usize = packs.iter().map(|p| p.rules.len()).sum();
    let _ = writeln!(text, "{} packs, {rules} rules.", packs.len());
    emit(out, &text)?;
    Ok(0)
}

/// `phiguard packs check`: validate packs and run their examples. With no files, checks the
/// built-in packs; with files, checks them with the built-in packs loaded beside them (unless
/// `no_default_packs`), as a scan would, so id clashes and overlaps lost to a built-in rule show
/// up. Returns 0 when every check passes, 1 when a checked pack has errors, 2 when a pack file
/// cannot be read.
pub fn packs_check(
    files: &[PathBuf],
    no_default_packs: bool,
    out: &mut dyn Write,
) -> Result<u8, Error> {
    use std::fmt::Write as _;
    let mut text = String::new();
    let mut checked = Vec::new();
    let mut unreadable = 0;
    for f in files {
        match PackSource::read(f) {
            Ok(s) => checked.push(s),
            Err(d) => {
                unreadable += 1;
                let _ = writeln!(text, "{d}");
            }
        }
    }
    let context = if no_default_packs && !files.is_empty() {
        Vec::new()
    } else {
        PackSource::builtin()
    };
    let report = if files.is_empty() {
        pack::check::check(&context, &[])
    } else {
        pack::check::check(&checked, &context)
    };
    for d in &report.diagnostics {
        let _ = writeln!(text, "{d}");
    }
    let rules: usize = report.packs.iter().map(|p| p.rules).sum();
    let errors = report.errors() + unreadable;
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let _ = writeln!(
        text,
        "checked {} pack{}, {rules} rules, {} examples: {errors} error{}, {} warning{}",
        report.packs.len(),
        plural(report.packs.len()),
        report.examples_run,
        plural(errors),
        report.warnings(),
        plural(report.warnings()),
    );
    emit(out, &text)?;
    Ok(if unreadable > 0 {
        2
    } else if report.ok() {
        0
    } else {
        1
    })
}
