//! The `phiguard` binary: parses arguments, calls the library, maps the outcome to an exit code
//! (0 nothing at or above --fail-on, 1 something is, 2 could not check).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use phiguard::app::{self, ColorChoice, PackSelection, ScanSettings};
use phiguard::category::RiskLevel;
use phiguard::explain::{self, ExplainFormat};
use phiguard::extract::InputFormat;
use phiguard::report::{Format, ReportOptions};

/// Keeps protected health information out of social-media posts.
///
/// phiguard reads drafted posts, captions and alt text, finds likely PHI (the 18 HIPAA Safe
/// Harbor identifiers) and says how risky each post is, why, and how to fix it.
#[derive(Parser)]
#[command(name = "phiguard", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan files, folders (walked with .gitignore respected) or stdin (-).
    Scan(ScanArgs),
    /// List or check pattern packs.
    #[command(subcommand)]
    Packs(PacksCommand),
    /// Explain a rule, signal or category: what it finds, why it matters under HIPAA, how to
    /// fix or allow it.
    Explain {
        /// A rule id (hipaa.ssn.dashed), a signal id (hipaa.context.condition) or a category
        /// (ssn, age-over-89).
        #[arg(value_name = "RULE|CATEGORY")]
        subject: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ExplainFormat::Human)]
        format: ExplainFormat,
        #[command(flatten)]
        packs: PackArgs,
    },
    /// Write a commented starter .phiguard.toml.
    Init {
        /// Where to write it.
        #[arg(default_value = ".phiguard.toml", value_name = "FILE")]
        path: PathBuf,
        /// Replace an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Print the configuration in effect here, and where each part comes from.
    Config {
        /// Read FILE instead of the nearest .phiguard.toml (or $PHIGUARD_CONFIG).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Install a git pre-commit hook that runs `phiguard scan --staged` and blocks commits
    /// that hold likely PHI or could not be checked.
    InstallHook {
        /// Replace another pre-commit hook (it is kept as pre-commit.replaced-by-phiguard).
        #[arg(long, conflicts_with_all = ["append", "uninstall"])]
        force: bool,
        /// Keep another pre-commit hook and run it first (as pre-commit.before-phiguard); a
        /// commit needs both to pass.
        #[arg(long, conflicts_with = "uninstall")]
        append: bool,
        /// Remove phiguard's hook and put back the one it replaced or ran first.
        #[arg(long)]
        uninstall: bool,
    },
    /// Print a file with every finding replaced by a placeholder ([NAME], [PHONE], ...),
    /// every other byte as it was; --write replaces the file in place after a backup.
    Redact(RedactArgs),
    /// Record today's findings as accepted, so that `scan --baseline FILE` reports only new
    /// ones.
    #[command(subcommand)]
    Baseline(BaselineCommand),
}

#[derive(Args)]
struct RedactArgs {
    /// The file to redact (`-` reads stdin); with --write, one or more files.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
    /// Placeholder style: brackets ([NAME]), mask (J*** S****, as reports show values: not
    /// for publishing) or category ([name], the stable category names).
    #[arg(long, value_enum, default_value_t = phiguard::redact::Style::Brackets)]
    style: phiguard::redact::Style,
    /// Placeholder template (over --style): {CATEGORY} is the label (NAME, MRN), {category}
    /// the stable name (medical_record_number), {mask} the masked value; {{ and }} are braces.
    #[arg(long, value_name = "TEMPLATE")]
    placeholder: Option<String>,
    /// Leave findings covered by a recorded patient authorization as they are.
    #[arg(long)]
    keep_authorized: bool,
    /// Replace each file in place, after copying it to FILE.phiguard-bak (text formats only).
    #[arg(long)]
    write: bool,
    /// Suffix of the backup --write leaves beside each file.
    #[arg(long, value_name = "SUFFIX", default_value = phiguard::redact::BACKUP_SUFFIX)]
    backup_suffix: String,
    #[command(flatten)]
    packs: PackArgs,
    #[command(flatten)]
    read: ReadArgs,
}

#[derive(Subcommand)]
enum BaselineCommand {
    /// Scan and write a new baseline of every finding (with a new random salt).
    Create {
        #[command(flatten)]
        args: BaselineArgs,
        /// Replace an existing baseline (a new salt: its old entries no longer match).
        #[arg(long)]
        force: bool,
    },
    /// Scan again and refresh the baseline: keep its salt, add new findings, drop the entries
    /// no longer found (entries of files not scanned now are kept).
    Update(BaselineArgs),
}

#[derive(Args)]
struct BaselineArgs {
    /// Files or folders to scan. Defaults to the current folder.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// The baseline file; paths in it are relative to its folder.
    #[arg(long, short, value_name = "FILE", default_value = phiguard::baseline::DEFAULT_FILE)]
    output: PathBuf,
    #[command(flatten)]
    packs: PackArgs,
    #[command(flatten)]
    read: ReadArgs,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    threads: Option<usize>,
}

/// How inputs are read and which configuration applies: the same for every command that scans.
#[derive(Args)]
struct ReadArgs {
    /// How to read inputs: auto (by extension: .md, .csv, .tsv, .srt, .vtt, .json, .jsonl,
    /// .html, .yaml, .docx, images), text, markdown, csv, tsv, srt, vtt, json, jsonl, html, yaml,
    /// docx or image. Applies to stdin too.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto, value_name = "FORMAT")]
    input_format: InputFormat,
    /// Skip (and report as not checked) files larger than SIZE: bytes, or e.g. "64MiB".
    /// Default 256 MiB, or [input] max-file-size.
    #[arg(long, value_name = "SIZE", value_parser = phiguard::source::parse_size)]
    max_file_size: Option<u64>,
    /// Read settings from FILE instead of the nearest .phiguard.toml (or $PHIGUARD_CONFIG).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

#[derive(Args)]
struct PackArgs {
    /// Load a pack file (repeatable), after the built-in packs.
    #[arg(long = "pack", value_name = "FILE")]
    packs: Vec<PathBuf>,
    /// Do not load the built-in packs.
    #[arg(long)]
    no_default_packs: bool,
}

impl PackArgs {
    fn selection(&self) -> PackSelection {
        PackSelection {
            packs: self.packs.clone(),
            no_default_packs: self.no_default_packs,
        }
    }
}

#[derive(Args)]
struct ScanArgs {
    /// Files or folders to scan; `-` reads stdin. Defaults to the current folder.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Exit with 1 when any post reaches this risk level (`none` never fails).
    /// [default: medium, or [scan] fail-on]
    #[arg(long, value_enum, value_name = "LEVEL")]
    fail_on: Option<RiskLevel>,
    /// Show only posts at or above this risk level (all posts are still counted).
    /// [default: low, or [scan] min-risk]
    #[arg(long, value_enum, value_name = "LEVEL")]
    min_risk: Option<RiskLevel>,
    /// Print matched values as found instead of masked. Beware: this puts PHI in your output.
    #[arg(long)]
    show_values: bool,
    #[command(flatten)]
    packs: PackArgs,
    #[command(flatten)]
    read: ReadArgs,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    threads: Option<usize>,
    /// When to colour the human report (never when NO_COLOR is set).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    color: ColorChoice,
    /// List skipped paths in the human report instead of only counting them.
    #[arg(long, short)]
    verbose: bool,
    /// Scan what is staged for the next commit (the index, not the work tree); PATHs limit it.
    #[arg(long, conflicts_with = "diff")]
    staged: bool,
    /// Scan only the lines added since BASE (a branch, tag or commit): the changes from the
    /// merge base of BASE and HEAD to HEAD, as in a pull request; PATHs limit it.
    #[arg(long, value_name = "BASE")]
    diff: Option<String>,
    /// Hide the findings listed in this baseline file (see `phiguard baseline`) and report
    /// its entries that are no longer found.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
}

#[derive(Subcommand)]
enum PacksCommand {
    /// List the selected packs and their rules.
    List(PackArgs),
    /// Validate pack files and run every rule's examples, with the built-in packs loaded beside
    /// them as in a scan (checks the built-in packs when no FILE is given).
    Check {
        #[arg(value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Check the files alone, without the built-in packs beside them.
        #[arg(long)]
        no_default_packs: bool,
    },
}

/// mimalloc instead of glibc's allocator: a scan on several threads frees on one thread what
/// another allocated (the posts handed on), which glibc serialises on the allocating thread's
/// arena lock; mimalloc frees such memory without a lock. Built without transparent huge pages,
/// which would fault in 2 MiB at a time (docs/PERFORMANCE.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // A panic is a bug: it says so without quoting anything (it may hold PHI), and exits 2.
    phiguard::failsafe::install_panic_hook();
    ExitCode::from(phiguard::failsafe::guarded(run))
}

fn run() -> u8 {
    let cli = Cli::parse();
    let scanning = matches!(cli.command, Command::Scan(_));
    let mut stderr = std::io::stderr();
    let result = match cli.command {
        Command::Scan(args) => {
            let threads = args.threads.unwrap_or_else(|| {
                std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
            });
            let git = match (args.staged, args.diff) {
                (true, _) => Some(phiguard::git::GitScope::Staged),
                (false, Some(base)) => Some(phiguard::git::GitScope::Diff(base)),
                (false, None) => None,
            };
            let paths = if args.paths.is_empty() && git.is_none() {
                vec![PathBuf::from(".")]
            } else {
                args.paths
            };
            let settings = ScanSettings {
                paths,
                packs: args.packs.selection(),
                report: ReportOptions {
                    format: args.format,
                    show_values: args.show_values,
                    min_risk: args.min_risk.unwrap_or(RiskLevel::Low),
                    fail_on: args.fail_on.unwrap_or(RiskLevel::Medium),
                    color: args.output.is_none() && args.color.enabled_for_stdout(),
                    verbose: args.verbose,
                },
                output: args.output,
                threads: threads.max(1),
                config: args.read.config,
                input_format: args.read.input_format,
                max_file_size: args.read.max_file_size,
                fail_on_from_cli: args.fail_on.is_some(),
                min_risk_from_cli: args.min_risk.is_some(),
                git,
                baseline: args.baseline,
            };
            app::scan(&settings, &mut stderr)
        }
        Command::Packs(PacksCommand::List(args)) => {
            app::packs_list(&args.selection(), &mut std::io::stdout().lock())
        }
        Command::Packs(PacksCommand::Check {
            files,
            no_default_packs,
        }) => app::packs_check(&files, no_default_packs, &mut std::io::stdout().lock()),
        Command::Init { path, force } => app::init(&path, force, &mut std::io::stdout().lock()),
        Command::Config { config } => {
            app::show_config(config.as_deref(), &mut std::io::stdout().lock())
        }
        Command::InstallHook {
            force,
            append,
            uninstall,
        } => phiguard::hook::install_hook(
            phiguard::hook::HookOptions {
                force,
                append,
                uninstall,
            },
            &mut std::io::stdout().lock(),
        ),
        Command::Explain {
            subject,
            format,
            packs,
        } => explain::explain(
            &packs.selection(),
            &subject,
            format,
            &mut std::io::stdout().lock(),
            &mut stderr,
        ),
        Command::Redact(args) => redact(args, &mut stderr),
        Command::Baseline(command) => {
            let (update, force, args) = match command {
                BaselineCommand::Create { args, force } => (false, force, args),
                BaselineCommand::Update(args) => (true, false, args),
            };
            let settings = phiguard::baseline::BaselineSettings {
                update,
                file: args.output,
                force,
                paths: if args.paths.is_empty() {
                    vec![PathBuf::from(".")]
                } else {
                    args.paths
                },
                packs: args.packs.selection(),
                config: args.read.config,
                input_format: args.read.input_format,
                max_file_size: args.read.max_file_size,
                threads: args.threads.unwrap_or_else(|| {
                    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
                }),
            };
            phiguard::baseline::run(&settings, &mut std::io::stdout().lock(), &mut stderr)
        }
    };
    // The commands handle a closed stdout themselves; any error that reaches here means the
    // command could not do its job.
    match result {
        Ok(code) => code,
        Err(err) => {
            let _ = writeln!(stderr, "phiguard: {err}");
            if scanning {
                // Said for hooks and CI logs: exit 2 is never "clean".
                let _ = writeln!(
                    stderr,
                    "phiguard: the check did not run: nothing was checked."
                );
            }
            2
        }
    }
}

/// `phiguard redact`.
fn redact(args: RedactArgs, stderr: &mut dyn Write) -> Result<u8, phiguard::Error> {
    use phiguard::redact::{Placeholder, RedactOptions, RedactSettings};
    let placeholder = match &args.placeholder {
        Some(t) => Placeholder::parse(t).map_err(phiguard::Error::Usage)?,
        None => Placeholder::style(args.style),
    };
    let settings = RedactSettings {
        files: args.files,
        options: RedactOptions {
            placeholder,
            keep_authorized: args.keep_authorized,
        },
        write: args.write,
        backup_suffix: args.backup_suffix,
        packs: args.packs.selection(),
        config: args.read.config,
        input_format: args.read.input_format,
        max_file_size: args.read.max_file_size,
    };
    phiguard::redact::run(&settings, &mut std::io::stdout().lock(), stderr)
}
