//! The care flows (`mods_core::flows`) for the bindings and the CLI: options read from
//! JSON-like values, results as serialisable structures, errors as [`crate::Error`].

mod commission;
mod days;
mod discharge;
mod mar;

pub use commission::*;
pub use days::*;
pub use discharge::*;
pub use mar::*;
