//! The care flows of use cases 1 to 4: information moving between people at a hand-over.
//!
//! Each flow is an operation over whole record documents (`serde_json::Value` laid out as
//! `docs/record-format.md` describes), with its rules here and nowhere else; the CLI and the
//! bindings call it through `mods-api`.
//!
//! - [`mar`]: a day's medicines for a person (use case 3): every dose and every warning.
//! - [`days`]: one day's care notes against another's (use case 1).
//! - [`commission`]: a package of care handed from the council to the provider (use case 2).
//! - [`discharge`]: discharge information merged into the care plan (use case 4).

pub mod commission;
pub mod days;
pub mod discharge;
pub mod mar;
