//! Legacy import by declarative mapping (use case 5, `mods_import`): an export held in
//! memory (CSV, NDJSON or a JSON array) and a mapping in TOML give one record per person,
//! the report and the summary.
//!
//! Errors reuse the layer's codes: a mapping that is not TOML or does not fit the model (an
//! unknown class or element, a code not in the value set, a column the input lacks), an
//! input that cannot be read, or a bad option is `invalid-option`; the message lists every
//! mapping error with its code and place and never quotes the input.

use crate::error::{guarded, Error};
use crate::options::FromJson;
use mods_import::{Entry, Format, Input, Mapping, Options, Summary, VecSink};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Options of [`import_legacy`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
///
/// New options may be added in any release: build the struct with `default()` and its
/// `with_*` methods (see docs/releasing.md).
#[non_exhaustive]
pub struct LegacyImportOptions {
    /// `csv` (the default), `ndjson` or `json`.
    pub format: Option<String>,
    /// Report only: no records.
    pub dry_run: bool,
    /// Put offending values in the report entries.
    pub include_values: bool,
    /// The folder document paths are relative to (default: the working folder).
    pub base_dir: Option<String>,
    /// Rows held in memory before spilling to disk (default 50,000).
    pub chunk_rows: Option<usize>,
    /// The input's name in the report (default `input`).
    pub name: Option<String>,
}

mods_core::__option_setters!(LegacyImportOptions {
    with_format(format: Option<String>);
    with_dry_run(dry_run: bool);
    with_include_values(include_values: bool);
    with_base_dir(base_dir: Option<String>);
    with_chunk_rows(chunk_rows: Option<usize>);
    with_name(name: Option<String>);
});

impl FromJson for LegacyImportOptions {
    const KNOWN: &'static [&'static str] = &[
        "format",
        "dry_run",
        "include_values",
        "base_dir",
        "chunk_rows",
        "name",
    ];
    fn expected(name: &str) -> &'static str {
        match name {
            "dry_run" | "include_values" => "true or false",
            "chunk_rows" => "a whole number of 1 or more",
            _ => "a string",
        }
    }
}

/// What [`import_legacy`] gives.
#[derive(Debug, Clone, Serialize)]
pub struct LegacyImported {
    /// One record document per person (none on a dry run).
    pub records: Vec<Value>,
    /// The report entries.
    pub entries: Vec<Entry>,
    /// The summary (rows, persons, where every column's cells went, attachments...).
    pub summary: Summary,
}

/// Import an export held in memory by a mapping (TOML text); see `docs/import.md`.
pub fn import_legacy(
    mapping: &str,
    data: &[u8],
    opts: &LegacyImportOptions,
) -> Result<LegacyImported, Error> {
    guarded(|| {
        let mapping = Mapping::parse(mapping).map_err(|errors| {
            Error::option("mapping", mods_import::Error::Mapping(errors).to_string())
        })?;
        let format = match opts.format.as_deref() {
            None => Format::Csv,
            Some(f) => Format::from_name(f)
                .ok_or_else(|| Error::option("format", "the format is csv, ndjson or json"))?,
        };
        let mut run_opts = Options::default()
            .with_dry_run(opts.dry_run)
            .with_include_values(opts.include_values);
        if let Some(d) = &opts.base_dir {
            run_opts.base_dir = d.into();
        }
        if let Some(n) = opts.chunk_rows {
            if n == 0 {
                return Err(Error::option("chunk_rows", "chunk_rows must be 1 or more"));
            }
            run_opts.chunk_rows = n;
        }
        let input = Input::Bytes {
            name: opts.name.clone().unwrap_or_else(|| "input".into()),
            format,
            data: data.to_vec(),
        };
        let mut sink = VecSink::default();
        let summary =
            mods_import::run(&mapping, &[input], &run_opts, &mut sink).map_err(|e| match e {
                mods_import::Error::Mapping(_) => Error::option("mapping", e.to_string()),
                mods_import::Error::Input { .. } => Error::option("data", e.to_string()),
                mods_import::Error::Io(_) => Error::option("chunk_rows", e.to_string()),
            })?;
        Ok(LegacyImported {
            records: sink.records,
            entries: sink.entries,
            summary,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAP: &str = "format = 1\nperson = \"id\"\n[[column]]\nname = \"id\"\npath = \"subject_of_care.local_identifier\"\n[[column]]\nname = \"name\"\npath = \"subject_of_care.person_name\"\nsplit = \"name\"\n";

    #[test]
    fn records_entries_and_summary() {
        let out = import_legacy(
            MAP,
            b"id,name\n1,Ann Smith\n2,Bob,Jones\n",
            &LegacyImportOptions::default(),
        )
        .unwrap();
        assert_eq!(out.records.len(), 1);
        assert_eq!(out.entries[0].code, "too-many-fields");
        assert_eq!(out.summary.persons, 1);
        let json = serde_json::to_value(&out).unwrap();
        assert_eq!(json["summary"]["columns"]["id"]["cells"], 2);
    }

    #[test]
    fn a_bad_mapping_or_option_is_invalid_option() {
        let e = import_legacy(
            &MAP.replace("local_identifier", "shoe_size"),
            b"id\n1\n",
            &LegacyImportOptions::default(),
        )
        .unwrap_err();
        assert_eq!(e.code().as_str(), "invalid-option");
        assert!(e.to_string().contains("unknown-element"), "{e}");
        let e = LegacyImportOptions::from_json(r#"{"dryrun": true}"#).unwrap_err();
        assert_eq!(e.code().as_str(), "unknown-option");
        let o = LegacyImportOptions {
            format: Some("xls".into()),
            ..Default::default()
        };
        assert_eq!(
            import_legacy(MAP, b"", &o).unwrap_err().code().as_str(),
            "invalid-option"
        );
    }
}
