//! When phiguard itself fails: a panic (a bug) must neither look like a clean result nor leak
//! what the post holds.
//!
//! Rust's default panic message quotes whatever the panic carried, and some of the standard
//! library's own messages quote text (slicing a string at a bad offset prints the string). In a
//! scanner of posts, that text may be the very PHI the scan is looking for, printed on a CI log.
//! So [`install_panic_hook`] replaces the message with one that names only the place in
//! phiguard's source, says the check did not run to the end, and never shows the payload; and
//! [`guarded`] turns the panic into exit code 2 ("could not check"), the code hooks and CI
//! already treat as a failed check, rather than Rust's 101.

use std::io::Write;
use std::panic::Location;
use std::sync::atomic::{AtomicBool, Ordering};

/// The exit code of a run that panicked: 2, "could not check", never "clean".
pub const CRASH_EXIT: u8 = 2;

/// What is printed when phiguard panics: where (in phiguard's source), and what it means. The
/// panic's own message is never included.
pub fn crash_message(location: Option<&Location<'_>>) -> String {
    let at = location.map_or_else(String::new, |l| {
        format!(" at {}:{}:{}", l.file(), l.line(), l.column())
    });
    format!(
        "phiguard: internal error (a bug in phiguard{at}): the check did not run to the end, so \
         nothing was checked; exit code {CRASH_EXIT}.\nphiguard: the error's own text is not \
         shown, as it may quote a post; please report the place above."
    )
}

/// Replaces the panic message for the whole process with [`crash_message`], printed once
/// however many threads panic.
pub fn install_panic_hook() {
    static SAID: AtomicBool = AtomicBool::new(false);
    std::panic::set_hook(Box::new(|info| {
        if !SAID.swap(true, Ordering::SeqCst) {
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "{}", crash_message(info.location()));
            let _ = stderr.flush();
        }
    }));
}

/// Runs `work` (a command, returning its exit code), turning a panic into [`CRASH_EXIT`].
pub fn guarded(work: impl FnOnce() -> u8) -> u8 {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).unwrap_or(CRASH_EXIT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_names_the_place_and_says_nothing_was_checked() {
        let here = Location::caller();
        let said = crash_message(Some(here));
        assert!(
            said.starts_with(&format!(
                "phiguard: internal error (a bug in phiguard at {}:{}:",
                here.file(),
                here.line()
            )),
            "{said}"
        );
        assert!(
            said.contains("the check did not run to the end, so nothing was checked; exit code 2.")
        );
        assert_eq!(
            crash_message(None).lines().next(),
            Some(
                "phiguard: internal error (a bug in phiguard): the check did not run to the end, \
                 so nothing was checked; exit code 2."
            )
        );
    }
}
