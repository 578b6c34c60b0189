//! Management information (use case 8): `aggregate`, `extract` and `extract_profiles`,
//! through `mods_api` (docs/mi.md). The HTML report is made by the CLI only.

use crate::convert::Input;
use crate::errors::{guarded, OrPy};
use crate::{json_of, ser_to_py, to_py, Obj};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

/// The records of a list (dicts, JSON text or bytes), as JSON bytes.
fn inputs<'py>(records: &Bound<'py, PyAny>) -> PyResult<Vec<Input<'py>>> {
    let mut out = Vec::new();
    for (i, r) in records.try_iter()?.enumerate() {
        out.push(json_of(&r?, &format!("records[{i}]"))?);
    }
    Ok(out)
}

/// Rows as a list of dicts whose keys keep the rows' order (the columns').
fn rows_to_py<'py>(py: Python<'py>, rows: &[mods_api::FlatRow]) -> Obj<'py> {
    let list = PyList::empty(py);
    for row in rows {
        let d = PyDict::new(py);
        for (k, v) in &row.0 {
            d.set_item(k, to_py(py, v)?)?;
        }
        list.append(d)?;
    }
    Ok(list.into_any())
}

/// `by` as a list of names: one string (which may hold several, comma-separated) or a list.
fn names(by: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    if by.cast::<PyString>().is_ok() {
        return Ok(vec![by.extract()?]);
    }
    by.extract()
}

/// Count people and records by coded categories, small numbers suppressed (docs/mi.md).
///
/// Args:
///     records: The records: a list (or any iterable) of dicts, JSON text or bytes.
///     by: The fields: ``class.element`` of a coded element, a short name (``ethnicity``,
///         ``gender_identity``, ``need``, ``care_setting``...), or ``age_band``; a string
///         (comma-separated for several) or a list.
///     version: The MODS version whose model resolves the fields and labels the codes.
///     as_of: The date ages are taken on (``YYYY-MM-DD``; default today, UTC).
///     suppress: Suppress small numbers (default ``True``): counts of 1 to ``threshold``
///         become ``None`` and the others are rounded to the nearest ``round_to``.
///     threshold: The largest count suppressed (default 7).
///     round_to: What other counts are rounded to (default 5).
///
/// Returns:
///     dict: ``mods_version``, ``as_of``, ``fields``, ``suppression``, ``rows`` (each
///     ``{FIELD: code, FIELD_label: label, ..., "people": n, "records": n}``, ``None`` where
///     suppressed), ``total_people``, ``total_records``, ``unreadable`` (records that could
///     not be read: counted, not dropped) and ``unreadable_examples``.
///
/// Raises:
///     ValueError: an unknown field, a field that is not coded, no field, an unknown
///         version, ``as_of`` not a date.
#[pyfunction]
#[pyo3(signature = (records, *, by, version=None, as_of=None, suppress=true, threshold=7, round_to=5))]
#[allow(clippy::too_many_arguments)]
pub fn aggregate<'py>(
    py: Python<'py>,
    records: &Bound<'py, PyAny>,
    by: &Bound<'py, PyAny>,
    version: Option<String>,
    as_of: Option<String>,
    suppress: bool,
    threshold: u64,
    round_to: u64,
) -> Obj<'py> {
    guarded(py, || {
        let mut opts = mods_api::AggregateOptions::default()
            .with_by(names(by)?)
            .with_suppress(suppress)
            .with_threshold(threshold)
            .with_round_to(round_to);
        opts.version = version;
        opts.as_of = as_of;
        let inputs = inputs(records)?;
        let slices: Vec<&[u8]> = inputs.iter().map(Input::as_bytes).collect();
        let table = py.detach(|| mods_api::aggregate(slices, &opts)).or_py(py)?;
        let out = ser_to_py(py, &table)?;
        out.set_item("rows", rows_to_py(py, &mods_api::aggregate_rows(&table))?)?;
        Ok(out)
    })
}

/// A client-level extract: one row per person and event, the person known by a keyed
/// HMAC-SHA256 pseudonym, an age band instead of the date of birth, no names, addresses or
/// free text (docs/mi.md). The key is used and never kept or shown.
///
/// Args:
///     records: The records: a list (or any iterable) of dicts, JSON text or bytes.
///     key: The pseudonymisation key (``bytes`` or ``str``), at least 32 bytes.
///     profile: The profile (default ``"dhsc-cld"``; see ``extract_profiles()``).
///     version: The MODS version the profile is checked against.
///     as_of: The date ages are taken on for people with no event (``YYYY-MM-DD``).
///     mods_codes: Write MODS codes in every column, untranslated (by default a column
///         with one of the profile's code lists, such as Ethnicity, gets the
///         collection's values).
///
/// Returns:
///     dict: ``profile``, ``columns``, ``rows`` (dicts in column order), ``records``,
///     ``unidentified`` (records naming no person: their rows have an empty id) and
///     ``unreadable`` (records that could not be read, by position).
///
/// Raises:
///     ValueError: an unknown profile, a missing or short key, an unknown version,
///         ``as_of`` not a date.
#[pyfunction]
#[pyo3(signature = (records, *, key, profile=None, version=None, as_of=None, mods_codes=false))]
pub fn extract<'py>(
    py: Python<'py>,
    records: &Bound<'py, PyAny>,
    key: &Bound<'py, PyAny>,
    profile: Option<String>,
    version: Option<String>,
    as_of: Option<String>,
    mods_codes: bool,
) -> Obj<'py> {
    guarded(py, || {
        let key: Vec<u8> = if key.cast::<PyString>().is_ok() {
            key.extract::<String>()?.into_bytes()
        } else {
            key.extract()?
        };
        let mut opts = mods_api::ExtractOptions::default().with_mods_codes(mods_codes);
        opts.version = version;
        opts.as_of = as_of;
        if let Some(p) = profile {
            opts.profile = p;
        }
        let inputs = inputs(records)?;
        let slices: Vec<&[u8]> = inputs.iter().map(Input::as_bytes).collect();
        let x = py
            .detach(|| mods_api::extract(slices, &opts, &key))
            .or_py(py)?;
        let out = ser_to_py(py, &x)?;
        out.set_item("rows", rows_to_py(py, &x.rows)?)?;
        Ok(out)
    })
}

/// The names of the built-in extract profiles.
#[pyfunction]
pub fn extract_profiles() -> Vec<String> {
    mods_api::profile_names()
}
