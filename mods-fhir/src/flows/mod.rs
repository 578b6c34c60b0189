//! Care flows built on the mapping: documents and merges that move a record between settings.

pub mod transfer_summary;
