//! The reference material beside the repository (`../shared`) and the rule every test that
//! reads it follows: when it is missing, the test fails in CI (`CI` set to anything but
//! empty, `0` or `false`) and is skipped elsewhere, saying so on the terminal.
//!
//! A dev-dependency of the crates whose tests read the folder, so that the rule lives in one
//! place; it is not published.

use std::io::Write;
use std::path::PathBuf;

/// `$MODS_SHARED_DIR` when it is set (and then only it), else `../shared` beside the
/// repository.
pub fn shared_root() -> PathBuf {
    match std::env::var_os("MODS_SHARED_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
    }
}

/// Whether the tests run in CI (`CI=true`, as CI services set it).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| {
        let v = v.trim();
        !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false")
    })
}

/// `rel` inside the shared folder, when it exists. When it does not, in CI this panics
/// (the test fails with the reason); elsewhere it writes `SKIPPED <test>: <reason>` straight
/// to stderr, past the test harness's capture so that it shows in `cargo test` output, and
/// returns `None`.
pub fn shared_path(rel: &str, test: &str) -> Option<PathBuf> {
    let path = shared_root().join(rel);
    if path.exists() {
        return Some(path);
    }
    let reason = format!(
        "{} not found (reference data: the folder `shared` beside the repository, or the one MODS_SHARED_DIR names)",
        path.display()
    );
    if in_ci() {
        panic!(
            "{test}: {reason}. In CI (CI is set) a test that reads the reference folder must \
             run, so its absence is a failure, not a skip."
        );
    }
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {reason}");
    None
}

/// [`shared_path`] read as JSON.
pub fn shared_json(rel: &str, test: &str) -> Option<serde_json::Value> {
    let path = shared_path(rel, test)?;
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{test}: cannot read {}: {e}", path.display()));
    Some(
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{test}: {} is not JSON: {e}", path.display())),
    )
}
