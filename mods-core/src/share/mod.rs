//! Sharing a record (use case 7): named components extracted on their own, and views by
//! purpose that keep only what a recipient may see.
//!
//! - [`policy`]: a purpose's policy (which classes and elements a recipient may see), read
//!   from TOML; the built-in purposes are data in `mods-core/share/purposes/`.
//! - [`mod@component`]: the named components (About Me, Needs, Care plan, ...), data in
//!   `mods-core/share/components.toml`.
//! - [`share()`]: the view of a record for a policy, a component or both, with a
//!   [`Manifest`] of what was withheld (class, element, count, reason, the rule or the
//!   Consent record that caused it; never a value of the record).
//!
//! A view is a record document that validates on its own: a reference to a record that is
//! withheld is removed (and counted in the manifest), or, when the reference is required,
//! the record holding it is withheld too; nothing is left dangling. The person's sharing
//! consents are honoured (see [Consent](self#consent) below): a refused, withdrawn or lapsed
//! consent withholds what it covers.
//!
//! # Consent
//!
//! MODS 1.0's Consent has no element naming a recipient, so a consent is matched to a view
//! by its purpose code: a Consent whose `consent_purpose` is one of the policy's
//! `consent_purposes` (by default `information-sharing`) governs the view. It covers what it
//! `applies_to_*`, or the whole record (but the subject of care and the Consent records)
//! when it names nothing. For each record the latest covering decision wins (on the same
//! day a refusal wins); refused, withdrawn, and given-but-lapsed withhold. Decisions where
//! the use case is silent are documented in `docs/share.md`.

pub mod component;
mod consent;
mod manifest;
pub mod policy;
mod refs;
mod view;

pub use component::{component, components, Component};
pub use consent::ConsentRef;
pub use manifest::{ClassCount, Manifest, PurposeRef, Reason, Withheld};
pub use policy::{Origin, Policy, PolicyError};
pub use view::{share, Header, ShareError, ShareOptions, View, HEADER_KEY};
