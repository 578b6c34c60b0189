//! Fault injection, for tests only (cargo feature `fault-injection`, off by default).
//!
//! mods-core never panics on any input, so the code that must contain a panic (the `mods`
//! CLI, the language bindings) has nothing real to test that with. With this feature, a
//! JSON string value that starts with [`PANIC_PREFIX`] makes [`parse_json`](crate::parse_json)
//! panic, and the panic message quotes the whole string, as a failed string slice in the
//! standard library does. Every path that reads a record (validation of a record or of an
//! instance, migration, record diff) goes through that reader. Tests put the person-like
//! text they must never see in output after the prefix.
//!
//! The feature cannot be built with optimisations (a `compile_error!` in the crate root),
//! so no release binary, `cargo install` or wheel can contain it; the crates above forward
//! it with a feature of their own, off by default, that only their tests turn on.

/// A JSON string value starting with this makes the reader panic (with this feature only).
pub const PANIC_PREFIX: &str = "mods-fault-injection:panic";

/// Panic, quoting `s`, when `s` starts with [`PANIC_PREFIX`].
pub(crate) fn string_value(s: &str) {
    if s.starts_with(PANIC_PREFIX) {
        panic!("fault injected while reading the string value `{s}`");
    }
}
