//! `phiguard install-hook`: a git pre-commit hook that runs `phiguard scan --staged` and blocks
//! the commit when a staged post reaches `--fail-on` (exit 1) or something could not be checked
//! (exit 2).
//!
//! The hook goes where git looks for hooks (`git rev-parse --git-path hooks`: `.git/hooks`, the
//! common folder of linked worktrees, or `core.hooksPath`). Another hook already there is never
//! lost: `--append` keeps it beside ours as `pre-commit.before-phiguard`, which the hook runs
//! first (a commit needs both to pass); `--force` keeps it as `pre-commit.replaced-by-phiguard`
//! (not run); `--uninstall` removes ours and puts back whichever of them is there.
//!
//! The hook calls phiguard by the absolute path of the executable that installed it, falling
//! back to `phiguard` on PATH when that file is gone. `cargo install` replaces the executable in
//! place (`~/.cargo/bin/phiguard`), so the path keeps working across upgrades, and it works in
//! git clients that start hooks with a shorter PATH than the user's shell (editors, desktop
//! apps, which often lack `~/.cargo/bin`).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::git::{GitFailure, git, run, text};

/// The line that marks a hook as ours.
const MARKER: &str = "# phiguard pre-commit hook, installed by `phiguard install-hook`";
/// Where `--append` keeps the hook it found; ours runs it first.
pub const BEFORE: &str = "pre-commit.before-phiguard";
/// Where `--force` keeps the hook it replaced; not run.
pub const REPLACED: &str = "pre-commit.replaced-by-phiguard";

/// Options of `install-hook`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HookOptions {
    /// Replace another pre-commit hook (keeping it as [`REPLACED`]).
    pub force: bool,
    /// Keep another pre-commit hook and run it first (as [`BEFORE`]).
    pub append: bool,
    /// Remove our hook and put back the one it replaced or chained.
    pub uninstall: bool,
}

/// The folder git runs hooks from, as git names it (relative to the current folder, or
/// absolute).
pub fn hooks_dir() -> Result<PathBuf, Error> {
    const DOING: &str = "install-hook";
    match run(git().args(["rev-parse", "--git-path", "hooks"])) {
        Ok(out) => Ok(PathBuf::from(text(&out))),
        Err(GitFailure::Failed(said)) if said.contains("not a git repository") => {
            Err(Error::Git(format!(
                "{DOING}: not in a git repository (no .git here or in any folder above); run \
                 it inside the repository whose commits it should check"
            )))
        }
        Err(e) => Err(e.into_error(DOING)),
    }
}

/// Quotes a string for a POSIX shell.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The hook's text, calling phiguard at `exe` (else on PATH).
pub fn script(exe: Option<&str>) -> String {
    let exe = sh_quote(exe.unwrap_or("phiguard"));
    format!(
        r#"#!/bin/sh
{MARKER}
# (`phiguard install-hook --uninstall` removes it).
#
# Before each commit it runs `phiguard scan --staged`, which checks the files as they are staged
# (not as they are in the work tree) and blocks the commit when a post reaches --fail-on (exit 1)
# or when something could not be checked (exit 2: the check did not run completely). It blocks
# too when phiguard cannot be run, crashes, is killed or runs past PHIGUARD_HOOK_TIMEOUT: a check
# that did not finish never lets a commit through. `git commit --no-verify` skips it, visibly.
# A hook that was here before is kept beside this one:
#   {BEFORE}       runs first (install-hook --append); both must pass
#   {REPLACED}  not run (install-hook --force)

# Where phiguard was when the hook was installed (`cargo install` upgrades it in place), else on
# PATH.
phiguard={exe}
[ -x "$phiguard" ] || phiguard=phiguard

status=0
before="$(dirname "$0")/{BEFORE}"
if [ -x "$before" ]; then
    "$before" "$@" || status=1
fi

# PHIGUARD_HOOK_TIMEOUT=SECONDS: a check that runs longer is stopped (with `timeout`, when it
# is installed) and the commit is blocked.
limit="${{PHIGUARD_HOOK_TIMEOUT:-}}"
case $limit in
    '') ;;
    *[!0-9]* | 0*)
        echo >&2 "phiguard: commit blocked: PHIGUARD_HOOK_TIMEOUT must be a whole number of seconds (1 or more), not '$limit': the check did not run."
        echo >&2 "To commit anyway, deliberately: git commit --no-verify"
        exit 1
        ;;
    *)
        if ! command -v timeout >/dev/null 2>&1; then
            echo >&2 "phiguard: PHIGUARD_HOOK_TIMEOUT is set but the timeout command is not installed: checking without a time limit."
            limit=
        fi
        ;;
esac

if [ -n "$limit" ]; then
    timeout -k 10 "$limit" "$phiguard" scan --staged
else
    "$phiguard" scan --staged
fi
code=$?
case $code in
    0) ;;
    1)
        echo >&2 "phiguard: commit blocked: a staged post holds likely protected health information (see the report above)."
        echo >&2 "Fix it and stage the fix (git add): the hook checks what is staged, not the work tree."
        echo >&2 "To commit anyway, deliberately: git commit --no-verify"
        status=1
        ;;
    2)
        echo >&2 "phiguard: commit blocked: phiguard could not check everything that is staged (exit 2: the check did not run completely; see the errors above)."
        echo >&2 "To commit anyway, deliberately: git commit --no-verify"
        status=1
        ;;
    124)
        echo >&2 "phiguard: commit blocked: the check took longer than PHIGUARD_HOOK_TIMEOUT=$limit seconds and was stopped: the check did not run to the end."
        echo >&2 "To commit anyway, deliberately: git commit --no-verify"
        status=1
        ;;
    126 | 127)
        echo >&2 "phiguard: commit blocked: phiguard could not be run (exit $code): the check did not run."
        echo >&2 "It was looked for at $phiguard; install it and run phiguard install-hook again."
        echo >&2 "To commit anyway, deliberately: git commit --no-verify"
        status=1
        ;;
    *)
        if [ "$code" -gt 128 ]; then
            how="was killed by signal $((code - 128)) (exit $code)"
        elif [ "$code" -eq 101 ]; then
            how="crashed (exit 101, an internal error)"
        else
            how="stopped with exit code $code, which it never gives for a finished check"
        fi
        echo >&2 "phiguard: commit blocked: phiguard $how: the check did not run to the end."
        echo >&2 "To commit anyway, deliberately: git commit --no-verify"
        status=1
        ;;
esac
exit $status
"#
    )
}

/// Whether a hook's text is ours.
fn is_ours(text: &str) -> bool {
    text.lines().any(|l| l == MARKER)
}

/// `phiguard install-hook`: installs, updates or (with `uninstall`) removes the hook, saying
/// what it did on `out`. Refusals are errors (exit 2) that say what to do.
pub fn install_hook(opts: HookOptions, out: &mut dyn Write) -> Result<u8, Error> {
    let dir = hooks_dir()?;
    let hook = dir.join("pre-commit");
    let existing = match std::fs::read(&hook) {
        Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io_error(&hook, &e)),
    };
    let said = if opts.uninstall {
        uninstall(&dir, &hook, existing.as_deref())?
    } else {
        install(opts, &dir, &hook, existing.as_deref())?
    };
    let _ = writeln!(out, "{said}");
    let _ = out.flush();
    Ok(0)
}

fn io_error(path: &Path, e: &std::io::Error) -> Error {
    Error::Git(format!(
        "install-hook: {}: {}",
        path.display(),
        crate::source::io_reason(e)
    ))
}

fn install(
    opts: HookOptions,
    dir: &Path,
    hook: &Path,
    existing: Option<&str>,
) -> Result<String, Error> {
    let exe = std::env::current_exe().ok();
    let exe_text = exe.as_deref().and_then(Path::to_str);
    let wanted = script(exe_text);
    let shown = hook.display();
    let runs = format!(
        "it runs `{} scan --staged` before each commit",
        exe_text.unwrap_or("phiguard")
    );
    let Some(existing) = existing else {
        write_hook(dir, hook, &wanted)?;
        return Ok(format!("installed the pre-commit hook {shown}: {runs}."));
    };
    if is_ours(existing) {
        if existing == wanted {
            return Ok(format!(
                "the phiguard pre-commit hook is already installed at {shown}: nothing to do."
            ));
        }
        write_hook(dir, hook, &wanted)?;
        return Ok(format!("updated the pre-commit hook {shown}: {runs}."));
    }
    let keep_as = if opts.append {
        BEFORE
    } else if opts.force {
        REPLACED
    } else {
        let framework = if existing.contains("pre-commit.com") {
            " It is the pre-commit framework's hook: add phiguard to .pre-commit-config.yaml \
             instead (see the README's Git section)."
        } else {
            ""
        };
        return Err(Error::Git(format!(
            "install-hook: {shown} already exists and is not phiguard's; it was left alone. Use \
             --append to keep it and run it first (a commit needs both to pass), or --force to \
             replace it (it is kept as {REPLACED}).{framework}"
        )));
    };
    let kept = dir.join(keep_as);
    if kept.exists() {
        return Err(Error::Git(format!(
            "install-hook: {} already exists; move it away first, so that the hook at {shown} \
             can be kept there",
            kept.display()
        )));
    }
    std::fs::rename(hook, &kept).map_err(|e| io_error(hook, &e))?;
    write_hook(dir, hook, &wanted)?;
    Ok(if opts.append {
        format!(
            "installed the pre-commit hook {shown}: {runs}, after the hook that was there (now {}); \
             a commit needs both to pass.",
            kept.display()
        )
    } else {
        format!(
            "replaced the pre-commit hook {shown}: {runs}. The old hook is kept as {} (not run; \
             install-hook --uninstall puts it back).",
            kept.display()
        )
    })
}

fn uninstall(dir: &Path, hook: &Path, existing: Option<&str>) -> Result<String, Error> {
    let shown = hook.display();
    match existing {
        None => Ok(format!("no pre-commit hook at {shown}: nothing to do.")),
        Some(text) if !is_ours(text) => Err(Error::Git(format!(
            "install-hook --uninstall: {shown} is not phiguard's hook; it was left alone"
        ))),
        Some(_) => {
            std::fs::remove_file(hook).map_err(|e| io_error(hook, &e))?;
            for kept in [BEFORE, REPLACED] {
                let kept = dir.join(kept);
                if kept.exists() {
                    std::fs::rename(&kept, hook).map_err(|e| io_error(&kept, &e))?;
                    return Ok(format!(
                        "removed the phiguard pre-commit hook {shown}, and put back the hook \
                         that was there before (from {}).",
                        kept.display()
                    ));
                }
            }
            Ok(format!("removed the phiguard pre-commit hook {shown}."))
        }
    }
}

/// Writes the hook whole or not at all (a temporary file renamed over it), executable.
fn write_hook(dir: &Path, hook: &Path, text: &str) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|e| io_error(dir, &e))?;
    let tmp = dir.join("pre-commit.phiguard-new");
    std::fs::write(&tmp, text).map_err(|e| io_error(&tmp, &e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| io_error(&tmp, &e))?;
    }
    std::fs::rename(&tmp, hook).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io_error(hook, &e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_quoted_for_the_shell() {
        assert_eq!(sh_quote("/usr/bin/phiguard"), "'/usr/bin/phiguard'");
        assert_eq!(sh_quote("/tmp/it's here"), r"'/tmp/it'\''s here'");
    }

    #[test]
    fn the_script_is_recognised_as_ours() {
        let s = script(Some("/opt/phiguard"));
        assert!(s.starts_with("#!/bin/sh\n"));
        assert!(is_ours(&s));
        assert!(s.contains("phiguard='/opt/phiguard'\n"));
        assert!(!is_ours("#!/bin/sh\nphiguard scan --staged\n"));
    }
}
