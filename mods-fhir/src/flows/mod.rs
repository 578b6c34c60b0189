//! Import flows: FHIR Bundles from other systems merged into an existing MODS record.

pub mod discharge;
pub mod gp_merge;
pub mod medication_request;
pub mod merge;
