//! `compare_days`: day against day (docs/flows/days.md). The package's
//! `mods.compare_days` (python/mods/_days.py) turns dates and periods into text and calls
//! this.

use crate::errors::guarded;
use crate::{json_of, out, Obj};
use pyo3::prelude::*;

/// Compare a person's daily care notes of two days or periods, in MODS terms.
///
/// Args:
///     record: The record (dict, JSON text or bytes).
///     day: The day looked at, ``"YYYY-MM-DD"``, or a period ``"YYYY-MM-DD..YYYY-MM-DD"``.
///     against: The day (or period) it is compared with.
///     against_record: Take the other side's notes from this document (the same
///         person's) instead of ``record``.
///
/// Returns:
///     dict: the comparison (``mods.DayComparison``; docs/flows/days.md): ``day``,
///     ``against``, ``periods`` (each element per period, with a ``verdict``),
///     ``fluid_intake``, ``mood``, ``medicines``, ``helpers``, ``unresolved``,
///     ``skipped_notes`` and ``validation``. It holds the person's notes, names and doses.
///
/// Raises:
///     ValueError: a day that is not a date or a period; documents that cannot be
///         compared (not records, a MODS version without daily care notes, two people).
///     mods.InputError: a document cannot be read as JSON.
#[pyfunction]
#[pyo3(signature = (record, day, against, *, against_record=None))]
pub fn compare_days<'py>(
    py: Python<'py>,
    record: &Bound<'py, PyAny>,
    day: String,
    against: String,
    against_record: Option<&Bound<'py, PyAny>>,
) -> Obj<'py> {
    guarded(py, || {
        let record = json_of(record, "the record")?;
        let other = against_record
            .map(|o| json_of(o, "the against record"))
            .transpose()?;
        let opts = mods_api::CompareDaysOptions::default()
            .with_day(day)
            .with_against(against);
        let (r, o) = (record.as_bytes(), other.as_ref().map(|o| o.as_bytes()));
        out(
            py,
            py.detach(|| mods_api::compare_days(r, &opts, o.map(mods_api::Input::from))),
        )
    })
}
