//! Keeping a panic inside the boundary of a program or binding built on mods-core.
//!
//! mods-core is written never to panic on any input; this module is the net under that
//! promise, for the code that calls it on people's records (the `mods` CLI, the language
//! bindings). A panic's message (its payload) can quote the input: a failed string slice
//! quotes the whole string, a name or an NHS number. So the payload is never shown, logged
//! or put in a report; only where the panic happened (file and line) is kept.
//!
//! - [`install_panic_hook`] replaces the process's panic hook with one that records the
//!   location of each panic (per thread) and never reads the payload. Call it once at the
//!   start of the program or when the binding is loaded; without it the standard hook
//!   prints the payload to stderr.
//! - [`catch`] runs a closure and turns a panic into a [`Panicked`], which holds only that
//!   location, so one record's failure does not end a batch.
//! - [`Panicked::report`] is the report of a record whose validation panicked: one
//!   [`IssueCode::InternalError`] issue, whose message is fixed text and the location.
//!
//! ```
//! use mods_core::{guard, validate_record_json, ValidationOptions};
//!
//! guard::install_panic_hook(|_location| {});
//! let report = guard::catch(|| validate_record_json(b"{}", &ValidationOptions::default()))
//!     .unwrap_or_else(|p| Ok(p.report()));
//! assert!(!report.unwrap().valid);
//! ```

use crate::issue::{Issue, IssueCode, Report, Severity};
use serde_json::{Map, Value};
use std::cell::Cell;
use std::fmt;
use std::panic::{self, AssertUnwindSafe};

thread_local! {
    /// Where the last panic on this thread happened, as recorded by the hook.
    static LAST_LOCATION: Cell<Option<String>> = const { Cell::new(None) };
}

/// Replace the process's panic hook with one that records the location (`file:line`) of
/// every panic for [`catch`] and then calls `announce` with it (`None` when the location is
/// unknown). The payload is never read, so nothing of the input can be printed by the hook.
///
/// `announce` runs on the panicking thread, inside the hook: it must not panic (a panic in
/// a panic hook aborts the process). The `mods` CLI prints a fixed sentence with the
/// location to stderr; a binding may do nothing and raise an exception instead.
///
/// The hook is global to the program (to each shared library that links its own Rust
/// standard library): install it from the program or binding, never from a library.
pub fn install_panic_hook(announce: fn(Option<&str>)) {
    panic::set_hook(Box::new(move |info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", short_path(l.file()), l.line()));
        // `try_with`: a panic while the thread's locals are being destroyed is still announced.
        let _ = LAST_LOCATION.try_with(|c| c.set(location.clone()));
        announce(location.as_deref());
    }));
}

/// A panic caught by [`catch`]: where it happened, never what it said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panicked {
    location: Option<String>,
}

impl Panicked {
    /// A panic known only by its effect, with no location: for example a worker thread
    /// that ended without handing back its results.
    pub fn unlocated() -> Panicked {
        Panicked { location: None }
    }

    /// `file:line` of the panic (the file relative to its crate's directory, e.g.
    /// `mods-core/src/checks.rs:174`), or `None` when [`install_panic_hook`] was not called.
    pub fn location(&self) -> Option<&str> {
        self.location.as_deref()
    }

    /// The one sentence shown for the panic: fixed text and the location, nothing else.
    pub fn message(&self) -> String {
        format!(
            "internal error (a bug in mods-sdk) at {}; please report it with this location. \
             The input is not quoted",
            self.location.as_deref().unwrap_or("an unknown location")
        )
    }

    /// The `internal-error` issue (severity error, path `""`: the whole document) for the
    /// record being validated when the panic happened; its context holds `location`.
    pub fn issue(&self) -> Issue {
        let mut context = Map::new();
        if let Some(l) = &self.location {
            context.insert("location".into(), Value::String(l.clone()));
        }
        Issue {
            code: IssueCode::InternalError,
            severity: Severity::Error,
            path: String::new(),
            message: self.message(),
            context,
        }
    }

    /// The report of a record whose validation panicked: invalid, with the one
    /// [`issue`](Self::issue).
    pub fn report(&self) -> Report {
        Report {
            valid: false,
            issues: vec![self.issue()],
            omitted: 0,
        }
    }
}

impl fmt::Display for Panicked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for Panicked {}

/// Run `f`, turning a panic into [`Panicked`] (its location, never its payload).
///
/// Whatever `f` was building when it panicked must be thrown away: `f` is run as if it
/// were unwind safe, so the caller must not keep using state that `f` changed part-way.
/// Validating a record fits: the report under construction is dropped and the next record
/// starts afresh. Where the target is built with `panic = "abort"` (the default on
/// `wasm32-unknown-unknown`), a panic aborts and this returns only `Ok`.
pub fn catch<R>(f: impl FnOnce() -> R) -> Result<R, Panicked> {
    let _ = LAST_LOCATION.try_with(|c| c.set(None));
    match panic::catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => Ok(r),
        Err(payload) => {
            // The payload's own drop could panic (a `panic_any` value); keep that in too.
            if let Err(again) = panic::catch_unwind(AssertUnwindSafe(move || drop(payload))) {
                std::mem::forget(again);
            }
            let location = LAST_LOCATION.try_with(Cell::take).ok().flatten();
            Err(Panicked { location })
        }
    }
}

/// A source path as short as still identifies it, without the directories of the machine
/// that built it: relative paths (this workspace's crates) are kept; an absolute one (a
/// crate from a registry, the standard library) keeps its crate directory onwards, e.g.
/// `serde_json-1.0.140/src/de.rs` or `core/src/str/mod.rs`.
fn short_path(file: &str) -> &str {
    let is_absolute =
        file.starts_with('/') || file.starts_with('\\') || file.get(1..2) == Some(":");
    if !is_absolute {
        return file;
    }
    let norm = |b: u8| if b == b'\\' { b'/' } else { b };
    let bytes = file.as_bytes();
    // the last `/src/` and the component before it
    let src = (0..bytes.len().saturating_sub(4)).rev().find(|&i| {
        bytes
            .get(i..i + 5)
            .is_some_and(|w| w.iter().map(|&b| norm(b)).eq(b"/src/".iter().copied()))
    });
    let start = match src {
        Some(i) => bytes
            .get(..i)
            .and_then(|head| head.iter().rposition(|&b| norm(b) == b'/'))
            .map_or(0, |p| p + 1),
        None => bytes
            .iter()
            .rposition(|&b| norm(b) == b'/')
            .map_or(0, |p| p + 1),
    };
    // `start` follows an ASCII separator, so it is a character boundary.
    file.get(start..).unwrap_or(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_paths_drop_the_build_machines_directories() {
        assert_eq!(
            short_path("mods-core/src/parse.rs"),
            "mods-core/src/parse.rs"
        );
        assert_eq!(
            short_path("/home/alice/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/serde_json-1.0.140/src/de.rs"),
            "serde_json-1.0.140/src/de.rs"
        );
        assert_eq!(
            short_path(
                "/rustc/90b35a6239c3d8bdabc530a6a0816f7ff89a0aaf/library/core/src/str/mod.rs"
            ),
            "core/src/str/mod.rs"
        );
        assert_eq!(short_path("/home/alice/build.rs"), "build.rs");
        assert_eq!(
            short_path(r"C:\Users\alice\proj\mods-core\src\parse.rs"),
            r"mods-core\src\parse.rs"
        );
        assert_eq!(short_path("/é/src/x.rs"), "é/src/x.rs");
        assert_eq!(short_path("/"), "");
    }
}
