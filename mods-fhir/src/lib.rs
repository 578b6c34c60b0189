//! # mods-fhir
//!
//! MODS (DAPB4102) records to and from HL7 FHIR R4 with NHS England's UK Core profiles, so
//! that records travel between care providers, councils, hospitals and GP systems.
//!
//! - [`to_fhir`]: a valid MODS record (JSON) to a Bundle (`collection`, `transaction` or
//!   `document`), one resource per record, `meta.profile` claiming UK Core where a profile
//!   exists ([`ProfileSet`] picks the published 2.0.2 set or the current build).
//! - [`from_fhir`]: a Bundle (or one resource) to a MODS record, with an
//!   [`ImportReport`]: every part of the input no mapping reads is reported with its
//!   FHIRPath, never dropped in silence.
//! - [`operation_outcome`]: a validation report as an OperationOutcome.
//! - [`transfer_summary`]: the hospital transfer summary ("Red Bag") of a record, a
//!   `document` Bundle with a narrative section per heading ([`flows::transfer_summary`]).
//! - [`flows`]: Bundles from other systems merged into an existing record (a GP record, a
//!   hospital discharge), without duplicating what it holds.
//!
//! The mapping is data: one table per class in `mapping/mods-1.0.json`, documented in
//! `docs/fhir-mapping.md`. MODS to FHIR to MODS is the identity: an element FHIR cannot
//! hold exactly travels, exactly, in the project's element extension beside it.
//!
//! The crate does no I/O and builds for `wasm32-unknown-unknown`.
//!
//! ```
//! let record: serde_json::Value =
//!     serde_json::from_str(include_str!("../../examples/records/mr-green.json")).unwrap();
//! let bundle = mods_fhir::to_fhir(&record, &mods_fhir::ExportOptions::default()).unwrap();
//! assert_eq!(bundle["resourceType"], "Bundle");
//! let text = serde_json::to_vec(&bundle).unwrap();
//! let back = mods_fhir::from_fhir(&text, &mods_fhir::ImportOptions::default()).unwrap();
//! assert_eq!(back.record, record);
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod checks;
pub mod convert;
pub mod derived;
pub mod docs;
pub mod documents;
pub mod export;
pub mod flows;
pub mod import;
pub mod mapping;
pub mod observations;
pub mod path;
pub mod report;
pub mod roles;
pub mod systems;

pub use export::{to_fhir, ExportError};
pub use flows::transfer_summary::{transfer_summary, TransferOptions};
pub use import::{from_fhir, ImportError, Imported};
pub use report::{import_outcome, operation_outcome, FhirIssue, ImportReport};

/// The kind of Bundle to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BundleType {
    /// `collection`: resources with `id`, references by `fullUrl` (`urn:uuid:`).
    #[default]
    Collection,
    /// `transaction`: entries with `request` (POST with `ifNoneExist` on the record uid:
    /// a conditional create), resources without `id`.
    Transaction,
    /// `document`: a Composition first (a table of contents with one section per MODS
    /// class), `Bundle.identifier` and `timestamp` set; needs [`ExportOptions::timestamp`].
    Document,
}

impl BundleType {
    /// The FHIR code.
    pub fn as_str(self) -> &'static str {
        match self {
            BundleType::Collection => "collection",
            BundleType::Transaction => "transaction",
            BundleType::Document => "document",
        }
    }

    /// From the FHIR code.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "collection" => Some(BundleType::Collection),
            "transaction" => Some(BundleType::Transaction),
            "document" => Some(BundleType::Document),
            _ => None,
        }
    }
}

/// Which UK Core profiles `meta.profile` claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProfileSet {
    /// The published release 2.0.2: types it has no profile for (CarePlan, Flag, Consent,
    /// DocumentReference, Bundle, ...) claim none.
    UkCoreStu2,
    /// The current build, drafts included (CarePlan, CareTeam, Flag, Consent, Bundle,
    /// DocumentReference, ...).
    #[default]
    UkCoreCurrent,
}

impl ProfileSet {
    /// From its name: `current` or `stu2`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "current" => Some(ProfileSet::UkCoreCurrent),
            "stu2" => Some(ProfileSet::UkCoreStu2),
            _ => None,
        }
    }
}

/// Options of [`to_fhir`].
#[derive(Debug, Clone, Default)]
///
/// New options may be added in any release: build the struct with `default()` and its
/// `with_*` methods (see docs/releasing.md).
#[non_exhaustive]
pub struct ExportOptions {
    /// The Bundle type.
    pub bundle_type: BundleType,
    /// The profile set.
    pub profiles: ProfileSet,
    /// `Bundle.timestamp` (an instant); none by default, so exports are reproducible.
    pub timestamp: Option<String>,
    /// Export a record that has validation errors too (best effort: a value not of its
    /// MODS type is still an error). Off by default: export takes valid records, for which
    /// the round trip is exact.
    pub allow_invalid: bool,
}

mods_core::__option_setters!(ExportOptions {
    with_bundle_type(bundle_type: BundleType);
    with_profiles(profiles: ProfileSet);
    with_timestamp(timestamp: Option<String>);
    with_allow_invalid(allow_invalid: bool);
});

/// Options of [`from_fhir`].
#[derive(Clone, Default)]
///
/// New options may be added in any release: build the struct with `default()` and its
/// `with_*` methods (see docs/releasing.md).
#[non_exhaustive]
pub struct ImportOptions {
    /// Keep every FHIR part no MODS element holds in `mods_extensions.fhir_unmapped` of the
    /// record (it is always reported).
    pub keep_unmapped: bool,
    /// Limits of the JSON reader.
    pub limits: mods_core::Limits,
    /// Options of the validation of the record read.
    pub validation: mods_core::ValidationOptions,
}

mods_core::__option_setters!(ImportOptions {
    with_keep_unmapped(keep_unmapped: bool);
    with_limits(limits: mods_core::Limits);
    with_validation(validation: mods_core::ValidationOptions);
});
