//! Legacy import by declarative mapping (use case 5): `import_legacy`, through `mods_api`
//! (docs/import.md).

use crate::{guarded, out, Obj};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

/// Import a legacy export held in memory (CSV, NDJSON or a JSON array) by a mapping: one
/// record document per person, the report and the summary (see docs/import.md).
///
/// Args:
///     mapping: The mapping, as TOML text (format 1).
///     data: The export (bytes or str).
///     format: ``csv`` (the default), ``ndjson`` or ``json``.
///     dry_run: Report only: no records.
///     include_values: Put offending values in the report entries (values are personal data).
///     base_dir: The folder document paths are relative to (default: the working folder).
///     chunk_rows: Rows held in memory before spilling to disk while grouping by person.
///     name: The input's name in the report (default ``input``).
///
/// Returns:
///     dict: ``{"records", "entries", "summary"}``. Each entry is ``{"source", "row",
///     "column", "code", "severity", "message"}`` (and ``pointer``, ``record_uid``, ``cells``,
///     ``value`` where they apply); the summary's ``columns`` says, per source column, how
///     many cells were imported, ignored or reported.
///
/// Raises:
///     ValueError: the mapping is not TOML or does not fit the model (an unknown class or
///         element, a code not in the value set, a column the input lacks), the input
///         cannot be read, or a bad option (``invalid-option``; the message lists every
///         mapping error).
#[pyfunction]
#[pyo3(signature = (mapping, data, *, format=None, dry_run=false, include_values=false, base_dir=None, chunk_rows=None, name=None))]
#[allow(clippy::too_many_arguments)]
pub fn import_legacy<'py>(
    py: Python<'py>,
    mapping: String,
    data: &Bound<'py, PyAny>,
    format: Option<String>,
    dry_run: bool,
    include_values: bool,
    base_dir: Option<String>,
    chunk_rows: Option<usize>,
    name: Option<String>,
) -> Obj<'py> {
    guarded(py, || {
        let bytes: Vec<u8> = if let Ok(b) = data.cast::<PyBytes>() {
            b.as_bytes().to_vec()
        } else if data.cast::<PyString>().is_ok() {
            data.extract::<String>()?.into_bytes()
        } else {
            return Err(PyTypeError::new_err("data must be bytes or str"));
        };
        let mut opts = mods_api::LegacyImportOptions::default()
            .with_dry_run(dry_run)
            .with_include_values(include_values);
        opts.format = format;
        opts.base_dir = base_dir;
        opts.chunk_rows = chunk_rows;
        opts.name = name;
        out(
            py,
            py.detach(|| mods_api::import_legacy(&mapping, &bytes, &opts)),
        )
    })
}
