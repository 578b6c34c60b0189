//! `conformance` and `conformance_text`: how far a record meets a MODS version, class by
//! class (docs/conformance.md).

use crate::errors::{guarded, OrPy};
use crate::{json_of, out, today_text, Obj};
use pyo3::prelude::*;

/// How far a record meets a MODS version: each class it must hold and holds, what each
/// lacks, a score per class and overall, and its validation status (docs/conformance.md).
/// An invalid record is still assessed. The GIL is released while the record is assessed.
///
/// Args:
///     record: The record (dict, JSON text or bytes).
///     version: The MODS version to assess against (default: the current version).
///     strict: Validate in strict mode (unknown elements are errors) for the status.
///     today: The date taken as today by the validation rules that need one
///         (``datetime.date`` or ``"YYYY-MM-DD"``).
///
/// Returns:
///     dict: ``mods_version``, ``record_version``, ``conformant``, ``score``,
///     ``validation`` (``valid``, ``errors``, ``warnings``), ``classes`` (each ``class``,
///     ``name``, ``person_class``, ``instances``, ``requirements``, ``met``, ``score``,
///     ``gaps``) and ``gaps``. It never holds the person's data.
///
/// Raises:
///     mods.InputError: the record cannot be read as JSON.
///     ValueError: ``version`` is not a supported MODS version; ``today`` is not a date.
#[pyfunction]
#[pyo3(signature = (record, *, version=None, strict=false, today=None))]
pub fn conformance<'py>(
    py: Python<'py>,
    record: &Bound<'py, PyAny>,
    version: Option<String>,
    strict: bool,
    today: Option<&Bound<'py, PyAny>>,
) -> Obj<'py> {
    guarded(py, || {
        let record = json_of(record, "the record")?;
        let mut opts = mods_api::ConformanceOptions::default().with_strict(strict);
        opts.version = version;
        opts.today = today.map(today_text).transpose()?;
        let bytes = record.as_bytes();
        out(py, py.detach(|| mods_api::conformance(bytes, &opts)))
    })
}

/// The assessment as text for a person to read (what ``mods conformance`` prints after
/// the record's name).
///
/// Args:
///     assessment: An assessment made by :func:`conformance` (dict, JSON text or bytes).
///
/// Raises:
///     ValueError: ``assessment`` is not an assessment made by :func:`conformance`.
#[pyfunction]
pub fn conformance_text<'py>(py: Python<'py>, assessment: &Bound<'py, PyAny>) -> PyResult<String> {
    guarded(py, || {
        let input = json_of(assessment, "the assessment")?;
        mods_api::conformance_text_of(input.as_bytes()).or_py(py)
    })
}
