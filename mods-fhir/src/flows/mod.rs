//! Care flows built on the mapping: documents that travel with the person (the hospital
//! transfer summary), and Bundles from other systems merged into an existing record (a GP
//! record, a hospital discharge) without duplicating what it holds.

pub mod discharge;
pub mod gp_merge;
pub mod medication_request;
pub mod merge;
pub mod transfer_summary;
