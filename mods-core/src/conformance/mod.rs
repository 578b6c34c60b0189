//! Conformance of a record to a MODS version (use case 6): what a record lacks to meet the
//! standard, class by class, with a score per class and overall. Distinct from validity: a
//! record holding only the person's name is valid, and far from conformant.
//!
//! The rules (described in `docs/conformance.md`):
//!
//! - every instance of a MODS record class holds the elements the standard marks as
//!   required: published rows "Must occur once", and the elements the provisional model
//!   makes `1..1` or `1..*` (the Versioned record elements, which every valid record
//!   carries, are not counted);
//! - the record holds the classes every record must hold for the person, with the elements
//!   they are expected to hold: the version's profile ([`profile()`]), read from
//!   `mods-core/spec/conformance/`;
//! - the record is written to the version assessed, and is valid.
//!
//! Findings ([`Gap`]) name classes, elements and JSON pointers, never the person's data.

mod assess;
mod csv;
pub mod profile;
mod text;

pub use assess::{assess, unreadable};
pub use csv::{csv_rows, CSV_HEADER};
pub use profile::{profile, profiles, Profile};
pub use text::to_text;

use serde::{Deserialize, Serialize};

/// How a record stands against one MODS version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    /// The MODS version the record was assessed against.
    pub mods_version: String,
    /// The version the record states, when it is one this library supports.
    pub record_version: Option<String>,
    /// Every requirement met, the record valid and written to `mods_version`.
    pub conformant: bool,
    /// The mean of the classes' scores, from 0 to 1, rounded down to four decimal places
    /// (only a record meeting every requirement scores 1); 0 when no class could be
    /// assessed.
    pub score: f64,
    /// The record's validation, summarised (`mods validate` gives the issues).
    pub validation: ValidationStatus,
    /// The classes assessed: the profile's classes first, then the other classes the
    /// record holds, in the model's order.
    pub classes: Vec<ClassResult>,
    /// What stops the record being assessed class by class (another version, a document
    /// that could not be read).
    pub gaps: Vec<Gap>,
}

/// The record's validation, in numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationStatus {
    /// No issue of severity error.
    pub valid: bool,
    /// Issues of severity error listed in the report.
    pub errors: usize,
    /// Issues of severity warning listed in the report.
    pub warnings: usize,
}

/// One class of the record against its requirements.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassResult {
    /// Technical name.
    pub class: String,
    /// Published (or proposed) name.
    pub name: String,
    /// The profile requires the class for the person.
    pub person_class: bool,
    /// Instances the record holds.
    pub instances: usize,
    /// Requirements counted (see [`Assessment::score`] and `docs/conformance.md`).
    pub requirements: usize,
    /// Requirements met.
    pub met: usize,
    /// `met / requirements`, rounded down to four decimal places.
    pub score: f64,
    /// What is missing, one entry per requirement not met (a missing class: one entry).
    pub gaps: Vec<Gap>,
}

/// One requirement the record does not meet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gap {
    /// What kind of gap.
    pub code: GapCode,
    /// JSON pointer to where the thing is missing (the instance, or the element).
    pub path: String,
    /// Technical names of the elements concerned (for a missing class: the elements it
    /// must hold; for an expectation: the elements of which one would meet it).
    pub elements: Vec<String>,
    /// Where the requirement comes from.
    pub basis: Basis,
    /// A sentence naming the class and elements; never the person's data.
    pub message: String,
}

/// The kinds of [`Gap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GapCode {
    /// The record holds no instance of a class it must hold for the person.
    ClassMissing,
    /// An instance lacks a required element (or every element of an expectation).
    ElementMissing,
    /// The record is written to another supported MODS version.
    VersionMismatch,
    /// The record states no MODS version this library supports.
    VersionUnsupported,
    /// The document could not be read as JSON within the limits.
    Unreadable,
}

impl GapCode {
    /// The code as text (`class-missing`).
    pub fn as_str(self) -> &'static str {
        match self {
            GapCode::ClassMissing => "class-missing",
            GapCode::ElementMissing => "element-missing",
            GapCode::VersionMismatch => "version-mismatch",
            GapCode::VersionUnsupported => "version-unsupported",
            GapCode::Unreadable => "unreadable",
        }
    }
}

/// Where a requirement comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// A published row of the standard, "Must occur once".
    Published,
    /// Required (`1..1`, `1..*`) in this library's provisional model of the class.
    Provisional,
    /// The version's conformance profile (`mods-core/spec/conformance/`).
    Profile,
    /// The record document format (a document states its MODS version and is JSON).
    Document,
}

/// Why a record cannot be assessed at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConformanceError {
    /// The version asked for has no model or no profile.
    UnknownVersion(String),
}

impl std::fmt::Display for ConformanceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConformanceError::UnknownVersion(_) => write!(
                f,
                "no supported MODS version of that name (supported: {})",
                crate::model::supported_versions()
            ),
        }
    }
}

impl std::error::Error for ConformanceError {}
