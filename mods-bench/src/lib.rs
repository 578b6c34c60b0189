//! # mods-bench
//!
//! The parse-floor benchmark of mods-sdk (not published). It runs, in one process and on
//! the same bytes, `mods_core::validate_record_json` (whatever engine is behind it) beside
//! what a supplier could pick instead or could never beat:
//!
//! - the JSON syntax scan (`serde_json::from_slice::<IgnoredAny>`), the floor;
//! - `serde_json::Value`, a heap tree;
//! - the typed serde decode into the generated record (`mods_core::generated::latest::Record`);
//! - `serde_json::Value` + the `jsonschema` crate on `schemas/1.0/record.schema.json`, its
//!   `is_valid` and its `iter_errors` (every error collected), the validator built once.
//!
//! Inputs ([`inputs`]): every example record of `examples/records/`, an invalid copy of
//! each with eleven violations ([`mutate`]), and copies with the collections repeated 1 to
//! 16 times ([`scale`]). `mods-bench time` prints wall-clock times, MB/s, ratios and (with
//! the counting allocator of [`alloc`]) peak heap and allocations; `mods-bench count`
//! counts instructions under callgrind ([`callgrind`]) and holds the ratio to
//! `serde_json::Value` to the figure in `docs/performance.md` ([`gate`]). See
//! `docs/performance.md`, "Validation at the parse floor", and `scripts/parse-floor`.

#![warn(missing_docs)]

pub mod alloc;
pub mod callgrind;
pub mod contenders;
pub mod doc;
pub mod gate;
pub mod inputs;
pub mod mutate;
pub mod results;
pub mod scale;
pub mod table;
pub mod timing;
