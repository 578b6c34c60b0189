//! # mods-import
//!
//! Legacy import for **mods-sdk** (use case 5): a CSV, NDJSON or JSON export of a legacy
//! case-management system becomes MODS record documents, one per person, by a declarative
//! mapping file (TOML, format 1, described in `docs/import.md`).
//!
//! - [`Mapping::parse`] reads and checks a mapping against the model: every error found
//!   ([`MappingError`]: unknown class or element, a path no column can fill, a code not in
//!   the value set, ...).
//! - [`run()`] reads the inputs, groups rows by the person column (an external merge sort
//!   that spills to disk, so memory stays flat in the number of rows; or a single pass with
//!   `grouped = true`), builds and validates one record per person, and hands records and
//!   report entries to a [`Sink`]. Every non-empty source cell is imported, ignored by the
//!   mapping, or accounted to a report entry ([`Summary::columns`]).
//! - Report entries ([`Entry`]) name the input, row, column and code, never the value
//!   unless [`Options::include_values`] is set.
//!
//! Kept out of `mods-core` so that the core (which also builds for WebAssembly) does not
//! carry the CSV reader, the checksum and the spill files.
//!
//! ```
//! use mods_import::{run, Input, Format, Mapping, Options, VecSink};
//!
//! let mapping = Mapping::parse(r#"
//!     format = 1
//!     person = "id"
//!     [[column]]
//!     name = "id"
//!     path = "subject_of_care.local_identifier"
//!     [[column]]
//!     name = "name"
//!     path = "subject_of_care.person_name"
//!     split = "name"
//! "#).map_err(|e| e[0].to_string())?;
//! let csv = "id,name\n7,\"SMITH, Ann\"\n".as_bytes().to_vec();
//! let mut sink = VecSink::default();
//! let input = Input::Bytes { name: "export.csv".into(), format: Format::Csv, data: csv };
//! let summary = run(&mapping, &[input], &Options::default(), &mut sink).map_err(|e| e.to_string())?;
//! assert_eq!(summary.persons, 1);
//! assert_eq!(sink.records[0]["subject_of_care"]["person_name"][0]["family_name"], "SMITH");
//! # Ok::<(), String>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod build;
pub mod codes;
pub mod convert;
pub mod group;
pub mod mapping;
pub mod run;
pub mod source;

pub use build::Attachment;
pub use codes::ImportCode;
pub use mapping::{Mapping, MappingError, FORMAT_VERSION};
pub use run::{run, ColumnCount, Entry, Options, Sink, Summary};
pub use source::{Format, Input};

use serde_json::Value;

/// Why an import could not run (everything about the data itself is a report [`Entry`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// The mapping is wrong: every error found.
    Mapping(Vec<MappingError>),
    /// An input cannot be read at all.
    Input {
        /// The input's name.
        input: String,
        /// The code (`unreadable-input`).
        code: ImportCode,
        /// What is wrong; never the input's content.
        message: String,
    },
    /// Writing the output or a spill file failed.
    Io(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Mapping(errors) => {
                write!(f, "the mapping has {} error(s)", errors.len())?;
                for e in errors {
                    write!(f, "\n  {e}")?;
                }
                Ok(())
            }
            Error::Input {
                input,
                code,
                message,
            } => write!(f, "{code}: {input}: {message}"),
            Error::Io(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for Error {}

/// A [`Sink`] that keeps everything in memory (for tests and the bindings).
#[derive(Debug, Default)]
pub struct VecSink {
    /// The records.
    pub records: Vec<Value>,
    /// The report entries.
    pub entries: Vec<Entry>,
}

impl Sink for VecSink {
    fn record(&mut self, doc: &Value) -> Result<(), Error> {
        self.records.push(doc.clone());
        Ok(())
    }

    fn entry(&mut self, entry: &Entry) -> Result<(), Error> {
        self.entries.push(entry.clone());
        Ok(())
    }
}
