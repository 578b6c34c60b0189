//! Python binding of mods-sdk (`import mods`).
//!
//! Thin by design: every operation is a function of `mods-api` (the layer every binding
//! shares: options, target resolution, report shaping, error codes); this crate converts
//! Python values to JSON bytes and the layer's results back to Python objects, and maps the
//! layer's error codes to Python exceptions (`errors.rs`). The Python package
//! (`python/mods/`) adds the exception classes and `check`.
//!
//! Threads: every function that reads a whole document (validation, migration, diff, the
//! FHIR functions, loading terminology) turns its Python arguments into JSON bytes holding
//! the GIL (a `bytes` object, or a `memoryview` of a whole one, is read in place, never
//! copied), then releases the GIL while the core works on those bytes, and takes it back
//! to build the Python result. Other Python threads run meanwhile; the bytes the core reads
//! are immutable (`bytes`) or the binding's own, so no other thread can change them.

mod arrow_column;
mod commission;
mod conformance;
mod convert;
mod days;
mod errors;
mod file_hint;
mod legacy_import;
mod mi;
mod share;
mod shared_strings;
mod types;
mod validator;

/// The binding's own Rust allocations (records, reports, Bundles as `serde_json` trees) go
/// through mimalloc: building and freeing those trees is much of the work of a call, and
/// mimalloc does it in about a quarter less time than the platform allocator
/// (docs/performance.md). Python's objects keep Python's allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use convert::{record_bytes, ser_to_py, to_py, to_py_owned, Input, JsonWriter};
use errors::{guarded, OrPy};
use mods_api::{Prepared, ValidateOptions};
use mods_core::guard::{self, Panicked};
use mods_core::Limits;
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString, PyTuple};
use types::{PyOfflineTerminology, PyReport};

// ------------------------------------------------------------------ options

/// The Python arguments of `validate` and `validate_many` as the layer's options (the
/// layer checks the class, `today` and the limit names).
#[allow(clippy::too_many_arguments)]
fn options(
    py: Python<'_>,
    class_: Option<String>,
    strict: bool,
    include_values: bool,
    max_issues: usize,
    limits: Option<&Bound<'_, PyAny>>,
    terminology: Option<&Bound<'_, PyAny>>,
    unavailable_terminology: Option<&Bound<'_, PyAny>>,
    today: Option<&Bound<'_, PyAny>>,
) -> PyResult<Prepared> {
    let mut o = ValidateOptions::default()
        .with_strict(strict)
        .with_include_values(include_values)
        .with_max_issues(max_issues);
    o.class = class_;
    if let Some(t) = today {
        o.today = Some(today_text(t)?);
    }
    if let Some(l) = limits {
        let d = l
            .cast::<PyDict>()
            .map_err(|_| PyTypeError::new_err("limits must be a dict of str to int"))?;
        // A snapshot of the items: reading a value can run Python code (`__index__`) that
        // changes the dict, which iterating the dict itself would turn into a panic.
        let items = d.items();
        let size = d.len();
        for item in items.iter() {
            let (k, v): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
            let k: String = k.extract()?;
            let n: usize = v.extract().map_err(|_| {
                PyValueError::new_err(format!("limits[{k:?}] must be a non-negative int"))
            })?;
            o.limits.set(&k, n).or_py(py)?;
            if d.len() != size {
                return Err(PyRuntimeError::new_err(
                    "limits changed while it was being read (a value's __index__ changed the dict)",
                ));
            }
        }
    }
    if let Some(t) = terminology {
        match t.cast::<PyOfflineTerminology>() {
            Ok(p) => o.providers.push(p.get().inner.clone()),
            Err(_) => o
                .providers
                .push(PyOfflineTerminology::load(py, Some(t))?.inner),
        }
    }
    if let Some(u) = unavailable_terminology {
        if u.cast::<PyString>().is_ok() {
            return Err(PyTypeError::new_err(
                "unavailable_terminology must be a list of code-system URIs, not one string",
            ));
        }
        o.unavailable_terminology = u.extract()?;
    }
    o.prepare().or_py(py)
}

/// `today=`: a `datetime.date` (not a `datetime.datetime`: its date depends on a time zone
/// the caller should choose, e.g. `now.date()`) or a string `YYYY-MM-DD`, as text for the
/// layer to read.
fn today_text(t: &Bound<'_, PyAny>) -> PyResult<String> {
    date_arg(t, "today")
}

/// A date argument `name` (as `today=`): a `datetime.date` or a string, as text.
fn date_arg(t: &Bound<'_, PyAny>, name: &str) -> PyResult<String> {
    if t.cast::<PyString>().is_ok() {
        return t.extract();
    }
    let datetime = PyModule::import(t.py(), "datetime")?;
    if t.is_instance(&datetime.getattr("datetime")?)? {
        return Err(PyTypeError::new_err(format!(
            "{name} must be a datetime.date, not a datetime.datetime (use .date())"
        )));
    }
    if !t.is_instance(&datetime.getattr("date")?)? {
        return Err(PyTypeError::new_err(format!(
            "{name} must be a datetime.date or a str YYYY-MM-DD"
        )));
    }
    t.call_method0("isoformat")?.extract()
}

/// A document (dict, JSON text or bytes) as JSON bytes within the default limits; `what`
/// names it in conversion errors.
fn json_of<'py>(obj: &Bound<'py, PyAny>, what: &str) -> PyResult<Input<'py>> {
    file_hint::refuse_file_name(obj, what)?;
    let limits = Limits::default();
    record_bytes(obj, limits.max_depth, limits.max_bytes).map_err(|e| e.into_pyerr(what))
}

/// A Python object, or the exception.
type Obj<'py> = PyResult<Bound<'py, PyAny>>;

/// A result of the layer as a Python object (through `Serialize`), or its exception. A
/// `serde_json::Value` (a FHIR resource, a schema) goes to `to_py` directly, without a copy.
fn out<'py, T: serde::Serialize>(py: Python<'py>, r: Result<T, mods_api::Error>) -> Obj<'py> {
    ser_to_py(py, &r.or_py(py)?)
}

// ------------------------------------------------------------------ validation

/// Validate one record document (or, with ``class_``, one instance of a class).
///
/// The GIL is released while the record is validated, so other Python threads run
/// meanwhile. ``bytes`` (and a ``memoryview`` of a whole ``bytes``) are read in place,
/// without a copy; a ``bytearray`` or another ``memoryview`` is copied first (another thread
/// could change it while the GIL is released), a ``str`` encoded as UTF-8, and a ``dict``
/// written as JSON, holding the GIL.
///
/// Args:
///     record: The record: a ``dict`` (or any JSON-like value), JSON text as ``str``, or
///         UTF-8 JSON as ``bytes``/``bytearray``/``memoryview``.
///     class_: Validate ``record`` as one instance of this class (technical name, e.g.
///         ``"alert"``) against the latest model, instead of as a record document.
///     strict: Treat elements the model does not define as errors (default: warnings).
///     include_values: Put each offending value in its issue's ``context["value"]``. Off by
///         default: records hold people's data and reports travel into logs.
///     max_issues: Most issues listed; the rest are counted in ``Report.omitted``.
///     limits: Input limits, any of ``max_bytes``, ``max_depth``, ``max_string_bytes``,
///         ``max_array_items``, ``max_object_members``, ``max_nodes``.
///     terminology: An ``OfflineTerminology``, or a list of FHIR CodeSystem/ValueSet
///         resources loaded into one for this call.
///     unavailable_terminology: Code-system URIs whose terminology is unavailable: codes
///         bound to them are reported ``code-unchecked``.
///     today: The date taken as today (a ``datetime.date`` or ``"YYYY-MM-DD"``) by the rules
///         that need one (``implausible-date``: a birth or an event in the future, a birth
///         more than 125 years ago). Default: the system clock's date in UTC.
///
/// Returns:
///     Report: every issue found.
///
/// Raises:
///     mods.InputError: the input cannot be read as one JSON document within the limits
///         (not JSON, not UTF-8, too deep, too large...).
///     TypeError: a Python value that JSON cannot hold (a set, a non-str key, an object).
///     ValueError: NaN or Infinity, a circular reference, an unknown ``class_``.
///     RuntimeError: a dict or list changed while it was being read.
///     mods.InternalError: a bug in mods-sdk (a panic) stopped the validation; like every
///         function of the module, never a crash.
#[pyfunction]
#[pyo3(signature = (record, *, class_=None, strict=false, include_values=false, max_issues=1000, limits=None, terminology=None, unavailable_terminology=None, today=None))]
#[allow(clippy::too_many_arguments)]
fn validate(
    py: Python<'_>,
    record: &Bound<'_, PyAny>,
    class_: Option<String>,
    strict: bool,
    include_values: bool,
    max_issues: usize,
    limits: Option<&Bound<'_, PyAny>>,
    terminology: Option<&Bound<'_, PyAny>>,
    unavailable_terminology: Option<&Bound<'_, PyAny>>,
    today: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyReport> {
    guarded(py, || {
        let opts = options(
            py,
            class_,
            strict,
            include_values,
            max_issues,
            limits,
            terminology,
            unavailable_terminology,
            today,
        )?;
        file_hint::refuse_file_name(record, "the record")?;
        let input = record_bytes(record, opts.limits().max_depth, opts.limits().max_bytes)
            .map_err(|e| e.into_pyerr("the record"))?;
        let bytes = input.as_bytes();
        let result = py.detach(|| mods_api::validate(bytes, &opts));
        Ok(PyReport {
            inner: result.or_py(py)?,
        })
    })
}

/// Validate many records in parallel, without holding the GIL.
///
/// Each record is turned into JSON bytes first (holding the GIL); validation then runs on
/// ``workers`` native threads with the GIL released.
///
/// A record that cannot be read as JSON does not stop the batch: its report holds the one
/// ``input-*`` issue ``validate`` would have raised as ``mods.InputError``. Nor does a record
/// whose conversion or validation hits a bug (a panic): its report holds one
/// ``internal-error`` issue, with the place in the code in ``context["location"]``.
///
/// Args:
///     records: An iterable of records, each as ``validate`` accepts.
///     workers: Threads to use (default: the number of CPUs). The calling thread is one of
///         them (``1`` validates on it alone). Records are handed out one at a time from a
///         short list and a few at a time from a long one, so even a short list is spread
///         over every worker.
///     class_, strict, include_values, max_issues, limits, terminology,
///     unavailable_terminology, today: As for ``validate``, applied to every record.
///
/// Returns:
///     list[Report]: one report per record, in order.
///
/// Raises:
///     TypeError, ValueError: a record holds a Python value that JSON cannot hold (the
///         message names its index and path).
///     RuntimeError: a dict or list changed while it was being read.
#[pyfunction]
#[pyo3(signature = (records, *, workers=None, class_=None, strict=false, include_values=false, max_issues=1000, limits=None, terminology=None, unavailable_terminology=None, today=None))]
#[allow(clippy::too_many_arguments)]
fn validate_many(
    py: Python<'_>,
    records: &Bound<'_, PyAny>,
    workers: Option<usize>,
    class_: Option<String>,
    strict: bool,
    include_values: bool,
    max_issues: usize,
    limits: Option<&Bound<'_, PyAny>>,
    terminology: Option<&Bound<'_, PyAny>>,
    unavailable_terminology: Option<&Bound<'_, PyAny>>,
    today: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<PyReport>> {
    guarded(py, || {
        let opts = options(
            py,
            class_,
            strict,
            include_values,
            max_issues,
            limits,
            terminology,
            unavailable_terminology,
            today,
        )?;
        mods_api::check_workers(workers).or_py(py)?;
        let (depth, size) = (opts.limits().max_depth, opts.limits().max_bytes);
        // Each record is converted under its own guard: a panic there is that record's
        // `internal-error` report, like a panic while it is validated.
        let mut inputs: Vec<Result<Input<'_>, Panicked>> = Vec::new();
        for (i, r) in records.try_iter()?.enumerate() {
            let r = r?;
            inputs.push(match guard::catch(|| record_bytes(&r, depth, size)) {
                Ok(Ok(input)) => Ok(input),
                Ok(Err(e)) => return Err(e.into_pyerr(&format!("records[{i}]"))),
                Err(p) => Err(p),
            });
        }
        let slices: Vec<Result<&[u8], &Panicked>> = inputs
            .iter()
            .map(|r| r.as_ref().map(Input::as_bytes))
            .collect();
        let reports = py.detach(|| mods_api::validate_many(&slices, &opts, workers));
        Ok(reports
            .or_py(py)?
            .into_iter()
            .map(|inner| PyReport { inner })
            .collect())
    })
}

// ------------------------------------------------------------------ model, terminology, glossary

/// The MODS versions this library supports, oldest first.
#[pyfunction]
fn versions(py: Python<'_>) -> PyResult<Vec<&'static str>> {
    guarded(py, || Ok(mods_api::versions()))
}

/// The MODS version in force (the default for look-ups).
#[pyfunction]
fn latest_version(py: Python<'_>) -> PyResult<&'static str> {
    guarded(py, || Ok(mods_api::latest_version()))
}

/// The classes of a MODS version, as dicts (name, technical_name, group, kind, elements,
/// provenance...).
///
/// Args:
///     version: A MODS version (default: the version in force).
#[pyfunction]
#[pyo3(signature = (version=None))]
fn classes<'py>(py: Python<'py>, version: Option<&str>) -> Obj<'py> {
    guarded(py, || out(py, mods_api::classes(version)))
}

/// The embedded value sets, as dicts (id, title, url, system, source, version, licence,
/// codes...); a set that spans several code systems has ``includes`` (each with system,
/// title, version, codes, and ``grammar`` for BCP 47 language tags) instead of system and
/// codes.
#[pyfunction]
#[pyo3(signature = (*, version=None))]
fn value_sets<'py>(py: Python<'py>, version: Option<&str>) -> Obj<'py> {
    guarded(py, || out(py, mods_api::value_sets(version)))
}

/// The codes of an embedded value set, in display order (for form drop-downs).
///
/// Args:
///     value_set: Value set id or canonical URL.
///     version: A MODS version (default: the version in force).
///
/// Returns:
///     list[dict]: ``{"value_set", "system", "code", "display"}`` for each code.
///
/// Raises:
///     ValueError: no such value set.
#[pyfunction]
#[pyo3(signature = (value_set, *, version=None))]
fn codes<'py>(py: Python<'py>, value_set: &str, version: Option<&str>) -> Obj<'py> {
    guarded(py, || out(py, mods_api::codes(value_set, version)))
}

/// The display of a code in an embedded value set, or ``None`` when the code is not in it.
///
/// Raises:
///     ValueError: no such value set.
#[pyfunction]
#[pyo3(signature = (value_set, code, *, version=None))]
fn display(
    py: Python<'_>,
    value_set: &str,
    code: &str,
    version: Option<&str>,
) -> PyResult<Option<&'static str>> {
    guarded(py, || mods_api::display(value_set, code, version).or_py(py))
}

/// Codes whose display contains ``text`` (case-insensitive), or whose code is ``text``, in
/// one embedded value set or all of them.
#[pyfunction]
#[pyo3(signature = (text, value_set=None, *, version=None))]
fn search_codes<'py>(
    py: Python<'py>,
    text: &str,
    value_set: Option<&str>,
    version: Option<&str>,
) -> Obj<'py> {
    guarded(py, || {
        out(py, mods_api::search_codes(text, value_set, version))
    })
}

/// The glossary of agreed MODS terms.
///
/// Args:
///     term: ``None`` for the whole glossary (a dict with ``terms``); otherwise a term id,
///         preferred term or synonym (case-insensitive), for that one term.
///
/// Raises:
///     KeyError: no such term.
#[pyfunction]
#[pyo3(signature = (term=None))]
fn glossary<'py>(py: Python<'py>, term: Option<&str>) -> Obj<'py> {
    guarded(py, || match term {
        None => ser_to_py(py, mods_api::glossary()),
        Some(t) => out(py, mods_api::glossary_term(t)),
    })
}

/// Glossary terms whose term, synonyms or definition mention ``text``.
#[pyfunction]
fn search_glossary<'py>(py: Python<'py>, text: &str) -> Obj<'py> {
    guarded(py, || out(py, mods_api::search_glossary(text)))
}

/// What an issue code means: ``{"code", "title", "severity", "explanation"}``.
///
/// Raises:
///     ValueError: not a code of the catalogue (``mods.issue_codes()`` lists them).
#[pyfunction]
fn explain<'py>(py: Python<'py>, code: &str) -> Obj<'py> {
    guarded(py, || out(py, mods_api::explain(code)))
}

/// Every issue code of the closed catalogue, in documentation order.
#[pyfunction]
fn issue_codes(py: Python<'_>) -> PyResult<Vec<&'static str>> {
    guarded(py, || Ok(mods_api::issue_codes()))
}

/// The JSON Schema (draft 2020-12) of the record document, or of one class, of a MODS
/// version. The schema is the strict mode of the validator; rules it cannot express (the
/// NHS number check digit, date order, references) are only checked by ``validate``.
///
/// Args:
///     version: A MODS version (default: the version in force).
///     class_: A class technical name, for that class's schema.
///
/// Raises:
///     ValueError: unsupported version or unknown class.
#[pyfunction]
#[pyo3(signature = (version=None, class_=None))]
fn schema<'py>(py: Python<'py>, version: Option<&str>, class_: Option<&str>) -> Obj<'py> {
    guarded(py, || {
        to_py(py, &mods_api::schema(version, class_).or_py(py)?)
    })
}

// ------------------------------------------------------------------ records: migrate, diff

/// Move a record to another MODS version, step by step, with a report of every change.
///
/// Args:
///     record: The record (dict, JSON text or bytes).
///     to: The target MODS version.
///     keep_lost: Move data the target cannot hold into ``mods_extensions.migration`` (a
///         later migration back restores it) instead of refusing.
///
/// Returns:
///     dict: ``{"from", "to", "record", "changes"}``; paths are JSON pointers and changes
///     never include values. A change of kind ``lost`` (something the target cannot
///     arrange as the record did, every value kept) or ``not_restored`` (kept data that
///     could not be put back) means a migration back will not give the record exactly.
///
/// Raises:
///     mods.MigrationError: the record cannot be migrated (no or unknown version, unknown
///         target, or data would be lost); ``.losses`` lists what would be lost.
///     mods.InputError: the input cannot be read as JSON.
#[pyfunction]
#[pyo3(signature = (record, to, *, keep_lost=false))]
fn migrate<'py>(
    py: Python<'py>,
    record: &Bound<'py, PyAny>,
    to: &str,
    keep_lost: bool,
) -> Obj<'py> {
    guarded(py, || {
        let input = json_of(record, "the record")?;
        let opts = mods_api::MigrateOptions::default().with_keep_lost(keep_lost);
        let bytes = input.as_bytes();
        out(py, py.detach(|| mods_api::migrate(bytes, to, &opts)))
    })
}

/// The differences between two MODS versions of the model (classes and elements added,
/// removed, retyped...; value-set codes added and removed), each marked ``breaking`` or
/// not, with the migration step that handles it.
///
/// Raises:
///     ValueError: either version is not supported.
#[pyfunction]
fn diff_spec<'py>(py: Python<'py>, a: &str, b: &str) -> Obj<'py> {
    guarded(py, || out(py, mods_api::diff_spec(a, b)))
}

/// What changed between two versions of a record (or one person's record on two days), in
/// MODS terms: instances added and removed (matched by ``record_uid``) and elements changed.
///
/// Args:
///     old: The older record (dict, JSON text or bytes).
///     new: The newer record, of the same MODS version.
///     include_values: Put the values before and after in each change (they hold the
///         person's data; hidden by default).
///     include_audit: Include Change log entries (the audit trail; left out by default).
///
/// Returns:
///     dict: ``{"mods_version", "changes": [{"kind", "class", "class_name", "record_uid",
///     "path", "element", "element_name", "before", "after"}], "issues": [...]}``;
///     ``issues`` lists record uids used twice in a record (``duplicate-record-uid``,
///     shaped as in a validation report), which are not changes.
///
/// Raises:
///     ValueError: the records are not of one supported MODS version.
///     mods.InputError: an input cannot be read as JSON.
#[pyfunction]
#[pyo3(signature = (old, new, *, include_values=false, include_audit=false))]
fn diff<'py>(
    py: Python<'py>,
    old: &Bound<'py, PyAny>,
    new: &Bound<'py, PyAny>,
    include_values: bool,
    include_audit: bool,
) -> Obj<'py> {
    guarded(py, || {
        let (old, new) = (
            json_of(old, "the old record")?,
            json_of(new, "the new record")?,
        );
        let opts = mods_api::DiffOptions::default()
            .with_include_values(include_values)
            .with_include_audit(include_audit);
        let (old, new) = (old.as_bytes(), new.as_bytes());
        out(py, py.detach(|| mods_api::diff(old, new, &opts)))
    })
}

// ------------------------------------------------------------------ care flows: mar

/// The medication administration record of a person for a day (use case 3): every dose
/// with its time, medicine, amount, route and who gave it (name and role: a care worker, a
/// nurse, an unpaid carer such as a son, the person themself), the doses of the 24 hours
/// before, and every warning (too soon after the last dose, over the maximum in 24 hours,
/// one medicine under two Medication records, a dose only the person reports, a reference
/// not found), with the record's validation report (see docs/flows/mar.md).
///
/// Args:
///     record: The record (dict, JSON text or bytes).
///     date: The day, a UK civil date (``datetime.date`` or ``"YYYY-MM-DD"``); the first day
///         of a period with ``to``.
///     to: The last day of a period (default: ``date``).
///     strict: Validate in strict mode (unknown elements are errors) for the report.
///     include_values: Put offending values in the report's ``context["value"]``.
///     today: The date the validation rules that need one take as today.
///
/// Returns:
///     MarView: a dict ``{"mods_version", "person", "period", "doses", "earlier_doses",
///     "warnings", "validation"}``.
///
/// Raises:
///     ValueError: a date is not ``YYYY-MM-DD``, the period ends before it starts, or the
///         record states no supported MODS version.
///     mods.InputError: the input cannot be read as JSON.
#[pyfunction]
#[pyo3(signature = (record, date, *, to=None, strict=false, include_values=false, today=None))]
fn mar<'py>(
    py: Python<'py>,
    record: &Bound<'py, PyAny>,
    date: &Bound<'py, PyAny>,
    to: Option<&Bound<'py, PyAny>>,
    strict: bool,
    include_values: bool,
    today: Option<&Bound<'py, PyAny>>,
) -> Obj<'py> {
    guarded(py, || {
        let input = json_of(record, "the record")?;
        let date = date_arg(date, "date")?;
        let mut opts = mods_api::MarOptions::default()
            .with_strict(strict)
            .with_include_values(include_values);
        opts.to = to.map(|t| date_arg(t, "to")).transpose()?;
        opts.today = today.map(today_text).transpose()?;
        let bytes = input.as_bytes();
        out(py, py.detach(|| mods_api::mar(bytes, &date, &opts)))
    })
}

/// The view made by :func:`mar` as text for a person to read (what ``mods mar`` prints).
///
/// Raises:
///     ValueError: ``view`` is not a view made by :func:`mar`.
#[pyfunction]
fn mar_text<'py>(py: Python<'py>, view: &Bound<'py, PyAny>) -> PyResult<String> {
    guarded(py, || {
        let input = json_of(view, "the view")?;
        mods_api::mar_text_of(input.as_bytes()).or_py(py)
    })
}

// ------------------------------------------------------------------ FHIR

/// Compact UTF-8 JSON of a Bundle the layer made, written and freed without the GIL (a
/// `serde_json::Value` always serialises: a failure would be a bug).
fn json_bytes(
    bundle: Result<serde_json::Value, mods_api::Error>,
) -> Result<Vec<u8>, mods_api::Error> {
    bundle.and_then(|b| serde_json::to_vec(&b).map_err(|_| Panicked::unlocated().into()))
}

/// Export a MODS record as a FHIR R4 Bundle with UK Core profiles (see docs/fhir-mapping.md).
///
/// Args:
///     record: The record (dict, JSON text or bytes); it must be valid MODS 1.0.
///     type: ``"collection"`` (default), ``"transaction"`` (conditional creates on the
///         record uid) or ``"document"`` (a Composition first; needs ``timestamp``).
///     profiles: ``"current"`` (UK Core current build, drafts included; default) or
///         ``"stu2"`` (the published 2.0.2).
///     timestamp: ``Bundle.timestamp`` (an instant, e.g. ``"2025-11-03T12:00:00Z"``).
///     allow_invalid: Export a record with validation errors too (best effort).
///     as_json: Give the Bundle as compact UTF-8 JSON (``bytes``), ready to send (the body
///         of a POST to a FHIR server), instead of a dict: no Python object is built for
///         its parts, so this is the faster form when the Bundle is to be sent or stored.
///
/// Returns:
///     dict: the Bundle (``bytes`` of its JSON with ``as_json=True``).
///
/// Raises:
///     ValueError: the record is invalid, of another MODS version, or an option is unknown.
///     mods.InputError: the input cannot be read as JSON.
#[pyfunction]
#[pyo3(signature = (record, *, r#type="collection", profiles="current", timestamp=None, allow_invalid=false, as_json=false))]
fn to_fhir<'py>(
    py: Python<'py>,
    record: &Bound<'py, PyAny>,
    r#type: &str,
    profiles: &str,
    timestamp: Option<String>,
    allow_invalid: bool,
    as_json: bool,
) -> Obj<'py> {
    guarded(py, || {
        let input = json_of(record, "the record")?;
        let mut opts = mods_api::ExportOptions::default()
            .with_bundle_type(r#type.to_owned())
            .with_profiles(profiles.to_owned())
            .with_allow_invalid(allow_invalid);
        opts.timestamp = timestamp;
        let bytes = input.as_bytes();
        if as_json {
            let text = py.detach(|| json_bytes(mods_api::to_fhir(bytes, &opts)));
            return Ok(PyBytes::new(py, &text.or_py(py)?).into_any());
        }
        let bundle = py.detach(|| mods_api::to_fhir(bytes, &opts)).or_py(py)?;
        to_py_owned(py, bundle)
    })
}

/// The hospital transfer summary ("Red Bag") of a MODS record: a FHIR R4 ``document``
/// Bundle whose UKCore-Composition has one section per heading (About Me, communication
/// needs, support with daily living, current medication, allergies, alerts and risks,
/// contacts and carers, care plan), each with a narrative written from the record and
/// references to the record's resources (see docs/fhir-mapping.md).
///
/// Args:
///     record: The record (dict, JSON text or bytes); it must be valid MODS 1.0.
///     timestamp: The time of the summary (an instant, e.g. ``"2026-01-14T21:00:00Z"``):
///         the Composition's date and the Bundle's timestamp. The current time (UTC) when
///         not given.
///     profiles: ``"current"`` (default) or ``"stu2"``, as for :func:`to_fhir`.
///     allow_invalid: Summarise a record with validation errors too (best effort).
///     as_json: Give the Bundle as compact UTF-8 JSON (``bytes``) instead of a dict, as
///         for :func:`to_fhir`.
///
/// Returns:
///     dict: the Bundle (``bytes`` of its JSON with ``as_json=True``).
///
/// Raises:
///     ValueError: the record is invalid or of another MODS version, the timestamp is not
///         an instant, or an option is unknown.
///     mods.InputError: the input cannot be read as JSON.
#[pyfunction]
#[pyo3(signature = (record, *, timestamp=None, profiles="current", allow_invalid=false, as_json=false))]
fn transfer_summary<'py>(
    py: Python<'py>,
    record: &Bound<'py, PyAny>,
    timestamp: Option<String>,
    profiles: &str,
    allow_invalid: bool,
    as_json: bool,
) -> Obj<'py> {
    guarded(py, || {
        let input = json_of(record, "the record")?;
        let mut opts = mods_api::TransferSummaryOptions::default()
            .with_profiles(profiles.to_owned())
            .with_allow_invalid(allow_invalid);
        opts.timestamp = timestamp;
        let bytes = input.as_bytes();
        if as_json {
            let text = py.detach(|| json_bytes(mods_api::transfer_summary(bytes, &opts)));
            return Ok(PyBytes::new(py, &text.or_py(py)?).into_any());
        }
        let bundle = py
            .detach(|| mods_api::transfer_summary(bytes, &opts))
            .or_py(py)?;
        to_py_owned(py, bundle)
    })
}

/// Import a FHIR R4 Bundle (or one resource) as a MODS record, with a report.
///
/// Args:
///     bundle: The Bundle (dict, JSON text or bytes).
///     keep_unmapped: Keep every FHIR part no MODS element holds in
///         ``mods_extensions.fhir_unmapped`` of the record (it is always reported).
///
/// Returns:
///     tuple: ``(record, report)``; ``report`` is ``{"issues": [{"code", "severity",
///     "location" (FHIRPath), "message"}], "validation": {...}}``, the validation being the
///     record's, shaped as the CLI's JSON report.
///
/// Raises:
///     ValueError: the input is JSON but not a FHIR resource.
///     mods.InputError: the input cannot be read as JSON.
#[pyfunction]
#[pyo3(signature = (bundle, *, keep_unmapped=false))]
fn from_fhir<'py>(py: Python<'py>, bundle: &Bound<'py, PyAny>, keep_unmapped: bool) -> Obj<'py> {
    guarded(py, || {
        let input = json_of(bundle, "the bundle")?;
        let opts = mods_api::ImportOptions::default().with_keep_unmapped(keep_unmapped);
        let bytes = input.as_bytes();
        let got = py.detach(|| mods_api::from_fhir(bytes, &opts)).or_py(py)?;
        let pair = [to_py(py, &got.record)?, ser_to_py(py, &got.report)?];
        Ok(PyTuple::new(py, pair)?.into_any())
    })
}

fn merge_flow<'py>(
    py: Python<'py>,
    record: &Bound<'py, PyAny>,
    bundle: &Bound<'py, PyAny>,
    date: Option<String>,
    discharge: bool,
) -> Obj<'py> {
    guarded(py, || {
        let rec = json_of(record, "the record")?;
        let bundle = json_of(bundle, "the bundle")?;
        let mut opts = mods_api::MergeOptions::default();
        opts.date = date;
        let (rec, bundle) = (rec.as_bytes(), bundle.as_bytes());
        let m = py
            .detach(|| {
                if discharge {
                    mods_api::import_discharge(rec, bundle, &opts)
                } else {
                    mods_api::merge_gp_record(rec, bundle, &opts)
                }
            })
            .or_py(py)?;
        let pair = [to_py(py, &m.record)?, to_py(py, &m.report)?];
        Ok(PyTuple::new(py, pair)?.into_any())
    })
}

/// Merge a GP system's FHIR Bundle (AllergyIntolerance, MedicationStatement,
/// MedicationRequest, Condition) into an existing MODS record, without duplicating what it
/// already holds (matched by code and date).
///
/// Args:
///     record: The existing record (MODS 1.0; dict, JSON text or bytes).
///     bundle: The Bundle (dict, JSON text or bytes).
///     date: The date of new records when neither the resources nor the Bundle give one.
///
/// Returns:
///     tuple: ``(record, report)``; ``report`` is ``{"added", "already_present"
///     ([{"class", "record_uid", "location"}]), "conflicts" ([{"class", "record_uid",
///     "element", "location", "message"}]), "issues" ([{"code", "severity", "location",
///     "message"}]), "validation" (the merged record's), "attachments" ([])}``.
///
/// Raises:
///     ValueError: the Bundle is another person's (NHS number), has no Patient, is not a
///         Bundle, or the record is not a MODS 1.0 record with an NHS number.
///     mods.InputError: an input cannot be read as JSON.
#[pyfunction]
#[pyo3(signature = (record, bundle, *, date=None))]
fn merge_gp_record<'py>(
    py: Python<'py>,
    record: &Bound<'py, PyAny>,
    bundle: &Bound<'py, PyAny>,
    date: Option<String>,
) -> Obj<'py> {
    merge_flow(py, record, bundle, date, false)
}

/// Merge a hospital's discharge Bundle (Encounter, MedicationRequest, DocumentReference)
/// into an existing MODS record: Discharge details linked to the Admission details, the
/// medicines, the discharge summary.
///
/// Args:
///     record: The existing record (MODS 1.0; dict, JSON text or bytes).
///     bundle: The Bundle (dict, JSON text or bytes).
///     date: The date of new records when neither the resources nor the Bundle give one.
///
/// Returns:
///     tuple: ``(record, report)``, as :func:`merge_gp_record`; ``report["attachments"]``
///     holds the documents' content sent inline (``{"record_uid", "content_type", "title",
///     "data"}``, ``data`` base64 as sent), for the caller to store.
///
/// Raises:
///     ValueError: as :func:`merge_gp_record`.
///     mods.InputError: an input cannot be read as JSON.
#[pyfunction]
#[pyo3(signature = (record, bundle, *, date=None))]
fn import_discharge<'py>(
    py: Python<'py>,
    record: &Bound<'py, PyAny>,
    bundle: &Bound<'py, PyAny>,
    date: Option<String>,
) -> Obj<'py> {
    merge_flow(py, record, bundle, date, true)
}

/// Merge a hospital discharge into the record's care plan (use case 4): the extra support
/// as a Need and a Service for its period, medication changes and follow-up as planned
/// activities, the review brought forward, an Alert for the team; every instance created or
/// changed gets its next version and a Change log entry naming the Discharge details. What
/// changed at home after the admission is kept and reported as a conflict (see
/// docs/flows/discharge.md).
///
/// Args:
///     record: The person's record (MODS 1.0; dict, JSON text or bytes).
///     discharge: A Discharge details instance, a record document holding them (and the
///         records the discharge brought), or a hospital's FHIR discharge Bundle.
///     committer: The ``record_uid`` of the care actor who commits the merge (required).
///     base: The record as it was at admission, for a three-way comparison.
///     date_time: When the merge is committed (RFC 3339 with an offset); now by default.
///     system_identifier: The Change log entries' system identifier.
///     discharge_uid: The Discharge details to merge when ``discharge`` holds several.
///     include_values: Put the home and discharge values in each conflict (they hold the
///         person's data; hidden by default).
///     date: For a FHIR Bundle, the date of new records it gives none for.
///
/// Returns:
///     tuple: ``(record, report)``; ``report`` is ``{"discharge_uid", "admission_uid",
///     "three_way", "changes" ([{"action", "class", "record_uid", "version_number",
///     "path", "elements", "change_log", "description"}]), "conflicts" ([{"reason",
///     "class", "record_uid", "element", "path", "message", "home", "discharge"}]),
///     "notes" ([{"kind", "path", "message"}]), "validation"}``, with ``"fhir"`` (the FHIR
///     import's report) for a Bundle.
///
/// Raises:
///     ValueError: a missing or invalid option; the discharge is another person's or holds
///         no Discharge details; a record that is not MODS 1.0.
///     mods.InputError: an input cannot be read as JSON.
#[pyfunction]
#[pyo3(signature = (record, discharge, *, committer, base=None, date_time=None,
    system_identifier=None, discharge_uid=None, include_values=false, date=None))]
#[allow(clippy::too_many_arguments)]
fn merge_discharge<'py>(
    py: Python<'py>,
    record: &Bound<'py, PyAny>,
    discharge: &Bound<'py, PyAny>,
    committer: String,
    base: Option<&Bound<'py, PyAny>>,
    date_time: Option<String>,
    system_identifier: Option<String>,
    discharge_uid: Option<String>,
    include_values: bool,
    date: Option<String>,
) -> Obj<'py> {
    guarded(py, || {
        let rec = json_of(record, "the record")?;
        let dis = json_of(discharge, "the discharge")?;
        let base = base.map(|b| json_of(b, "the base record")).transpose()?;
        let mut opts = mods_api::MergeDischargeOptions::default()
            .with_committer(committer)
            .with_include_values(include_values);
        opts.date_time = date_time;
        opts.system_identifier = system_identifier;
        opts.discharge_uid = discharge_uid;
        opts.date = date;
        let (rec, dis) = (rec.as_bytes(), dis.as_bytes());
        let base = base.as_ref().map(|b| b.as_bytes());
        let m = py
            .detach(|| mods_api::merge_discharge(rec, dis, base.map(mods_api::Input::from), &opts))
            .or_py(py)?;
        let pair = [to_py(py, &m.record)?, to_py(py, &m.report)?];
        Ok(PyTuple::new(py, pair)?.into_any())
    })
}

/// Validate a record and give the report as a FHIR OperationOutcome (dict): severity, an
/// issue type, our code in ``details.coding`` and the place as ``expression``.
///
/// Raises:
///     mods.InputError: the input cannot be read as JSON.
#[pyfunction]
fn operation_outcome<'py>(py: Python<'py>, record: &Bound<'py, PyAny>) -> Obj<'py> {
    guarded(py, || {
        let input = json_of(record, "the record")?;
        let bytes = input.as_bytes();
        let outcome = py.detach(|| mods_api::operation_outcome(bytes)).or_py(py)?;
        to_py(py, &outcome)
    })
}

/// JSON text for a Python value, as the binding writes records (compact, UTF-8 bytes).
/// Useful to see exactly what ``validate`` reads from a dict.
#[pyfunction]
fn to_json_bytes(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    guarded(py, || {
        let mut w = JsonWriter::new(Limits::default().max_depth, usize::MAX);
        w.write(value).map_err(|e| e.into_pyerr("the value"))?;
        Ok(PyBytes::new(py, &w.out).into_any().unbind())
    })
}

#[pymodule]
mod _mods {
    #[pymodule_export]
    use super::{
        classes, codes, diff, diff_spec, display, explain, from_fhir, glossary, import_discharge,
        issue_codes, latest_version, mar, mar_text, merge_discharge, merge_gp_record, migrate,
        operation_outcome, schema, search_codes, search_glossary, to_fhir, to_json_bytes,
        transfer_summary, validate, validate_many, value_sets, versions,
    };
    #[pymodule_export]
    use crate::arrow_column::_validate_arrow;
    #[pymodule_export]
    use crate::commission::{commission_accept, commission_package};
    #[pymodule_export]
    use crate::conformance::{conformance, conformance_text};
    #[pymodule_export]
    use crate::days::compare_days;
    #[pymodule_export]
    use crate::legacy_import::import_legacy;
    #[pymodule_export]
    use crate::mi::{aggregate, extract, extract_profiles};
    #[pymodule_export]
    use crate::share::{share, share_components, share_purposes};
    #[pymodule_export]
    use crate::types::{PyIssue, PyOfflineTerminology, PyReport};
    #[pymodule_export]
    use crate::validator::PyValidator;

    use pyo3::prelude::*;

    #[pymodule_export]
    const CORE_VERSION: &str = mods_api::VERSION;

    #[pymodule_init]
    fn init(_m: &Bound<'_, PyModule>) -> PyResult<()> {
        // A panic records its location for `mods.InternalError` and prints nothing: its
        // message can quote the input, and the exception says all there is to say. The hook
        // belongs to this extension module's own copy of the Rust standard library.
        mods_api::install_panic_hook();
        Ok(())
    }
}
