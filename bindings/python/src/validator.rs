//! `mods.Validator`: validation options checked once, for any number of records (as
//! jsonschema-rs's validators are used), with `validate`, `is_valid` and `iter_issues`.

use crate::convert::record_bytes;
use crate::errors::{guarded, OrPy};
use crate::file_hint::refuse_file_name;
use crate::types::{issue_list, PyOfflineTerminology, PyReport};
use mods_api::Prepared;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

/// A validator: validation options checked once (a bad option raises here, not on the
/// first record), then any number of records validated with them.
///
/// Args:
///     version: The one MODS version records must state (e.g. ``"1.0"``): a record stating
///         another supported version is reported ``mods-version-unsupported`` (the accepted
///         version in ``context["expected"]``) and nothing else is validated. Default: each
///         record is validated against the version it states.
///     class_, strict, include_values, max_issues, limits, terminology,
///     unavailable_terminology, today: As for :func:`mods.validate`.
///
/// Raises:
///     ValueError: an unknown ``version`` or ``class_``, a bad ``today``, an unknown limit.
///     TypeError: an option of the wrong type.
///
/// A validator is immutable and thread-safe: share one between threads. It pickles (for
/// multiprocessing, Spark) when its ``terminology`` is given as a list of FHIR resources;
/// with an :class:`OfflineTerminology` object it does not (pickling raises ``TypeError``).
#[pyclass(module = "mods", frozen, name = "Validator")]
pub struct PyValidator {
    prepared: Prepared,
    /// The arguments it was made with (copies), to pickle it and show it.
    args: Py<PyDict>,
}

impl PyValidator {
    /// The options, checked.
    pub(crate) fn prepared(&self) -> &Prepared {
        &self.prepared
    }

    /// The record as JSON bytes within the limits, then `f` on them with the GIL released.
    fn run<T: Send>(
        &self,
        py: Python<'_>,
        record: &Bound<'_, PyAny>,
        f: impl FnOnce(&[u8], &Prepared) -> Result<T, mods_api::Error> + Send,
    ) -> PyResult<T> {
        refuse_file_name(record, "the record")?;
        let limits = self.prepared.limits();
        let input = record_bytes(record, limits.max_depth, limits.max_bytes)
            .map_err(|e| e.into_pyerr("the record"))?;
        let bytes = input.as_bytes();
        let prepared = &self.prepared;
        py.detach(|| f(bytes, prepared)).or_py(py)
    }
}

#[pymethods]
impl PyValidator {
    #[new]
    #[pyo3(signature = (*, version=None, class_=None, strict=false, include_values=false, max_issues=1000, limits=None, terminology=None, unavailable_terminology=None, today=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        version: Option<String>,
        class_: Option<String>,
        strict: bool,
        include_values: bool,
        max_issues: usize,
        limits: Option<&Bound<'_, PyAny>>,
        terminology: Option<&Bound<'_, PyAny>>,
        unavailable_terminology: Option<&Bound<'_, PyAny>>,
        today: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        guarded(py, || {
            // copies, so that changing the caller's dict or list later changes nothing
            let limits = limits
                .map(|l| l.cast::<PyDict>().map(|d| d.copy()))
                .transpose()
                .map_err(|_| PyTypeError::new_err("limits must be a dict of str to int"))?
                .transpose()?;
            let terminology = match terminology {
                Some(t) if t.cast::<PyOfflineTerminology>().is_err() => {
                    Some(PyList::new(py, t.try_iter()?.collect::<PyResult<Vec<_>>>()?)?.into_any())
                }
                other => other.cloned(),
            };
            let unavailable = match unavailable_terminology {
                Some(u) if u.cast::<pyo3::types::PyString>().is_err() => {
                    Some(PyList::new(py, u.try_iter()?.collect::<PyResult<Vec<_>>>()?)?.into_any())
                }
                other => other.cloned(),
            };
            let mut prepared = crate::options(
                py,
                class_.clone(),
                strict,
                include_values,
                max_issues,
                limits.as_ref().map(|d| d.as_any()),
                terminology.as_ref(),
                unavailable.as_ref(),
                today,
            )?;
            if let Some(v) = &version {
                prepared = prepared.pin_version(v).or_py(py)?;
            }
            let args = PyDict::new(py);
            args.set_item("version", version)?;
            args.set_item("class_", class_)?;
            args.set_item("strict", strict)?;
            args.set_item("include_values", include_values)?;
            args.set_item("max_issues", max_issues)?;
            args.set_item("limits", limits)?;
            args.set_item("terminology", terminology)?;
            args.set_item("unavailable_terminology", unavailable)?;
            args.set_item("today", today)?;
            Ok(PyValidator {
                prepared,
                args: args.unbind(),
            })
        })
    }

    /// Validate one record (or, with ``class_``, one instance): the report
    /// :func:`mods.validate` gives with the same options. The GIL is released meanwhile.
    ///
    /// Raises:
    ///     mods.InputError: the input cannot be read as JSON within the limits.
    ///     TypeError: a file name or path instead of JSON (see :func:`mods.validate_file`),
    ///         or a value JSON cannot hold.
    fn validate(&self, py: Python<'_>, record: &Bound<'_, PyAny>) -> PyResult<PyReport> {
        guarded(py, || {
            let inner = self.run(py, record, |b, o| mods_api::validate(b, o))?;
            Ok(PyReport { inner })
        })
    }

    /// Whether the record is valid (no issue of severity ``"error"``): the same verdict as
    /// ``validate(record).valid``, without building the list of issues; checking stops at
    /// the first error (the rest of the input is only read, for its syntax and the limits),
    /// so an invalid record costs less than with :meth:`validate`.
    ///
    /// Raises:
    ///     As :meth:`validate` (input that is not JSON raises; it is neither valid nor not).
    fn is_valid(&self, py: Python<'_>, record: &Bound<'_, PyAny>) -> PyResult<bool> {
        guarded(py, || self.run(py, record, |b, o| mods_api::is_valid(b, o)))
    }

    /// The issues of the record, in report order, as an iterator of :class:`Issue`
    /// (``iter(validate(record).issues)``).
    fn iter_issues<'py>(
        &self,
        py: Python<'py>,
        record: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guarded(py, || {
            let report = self.run(py, record, |b, o| mods_api::validate(b, o))?;
            Ok(issue_list(py, report.issues.iter())?.try_iter()?.into_any())
        })
    }

    /// The MODS version records must state, or ``None``.
    #[getter]
    fn version(&self) -> Option<&'static str> {
        self.prepared.version()
    }

    /// The arguments the validator was made with, as a dict (copies).
    #[getter]
    fn options<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.args.bind(py).copy()
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        guarded(py, || {
            let args = self.args.bind(py);
            if let Some(t) = args.get_item("terminology")? {
                if t.cast::<PyOfflineTerminology>().is_ok() {
                    return Err(PyTypeError::new_err(
                        "a Validator made with an OfflineTerminology cannot be pickled: give \
                         terminology as a list of FHIR resources to pickle it",
                    ));
                }
            }
            let partial = PyModule::import(py, "functools")?.getattr("partial")?;
            let cls = py.get_type::<PyValidator>();
            let make = partial.call((cls,), Some(args))?;
            PyTuple::new(py, [make, PyTuple::empty(py).into_any()])
        })
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        guarded(py, || {
            let mut parts = Vec::new();
            for (k, v) in self.args.bind(py).iter() {
                if v.is_none() {
                    continue;
                }
                let k: String = k.extract()?;
                let shown = match k.as_str() {
                    // never the resources themselves
                    "terminology" => "...".to_owned(),
                    _ => v.repr()?.extract()?,
                };
                parts.push(format!("{k}={shown}"));
            }
            Ok(format!("Validator({})", parts.join(", ")))
        })
    }
    /// Validate many records in parallel with the GIL released, as
    /// :func:`mods.validate_many` does with this validator's options: one report per record,
    /// in order; a record that cannot be read as JSON gets a report holding its one
    /// ``input-*`` issue instead of raising.
    ///
    /// Args:
    ///     records: An iterable of records, each as :meth:`validate` accepts.
    ///     workers: Threads to use (default: the number of CPUs).
    #[pyo3(signature = (records, *, workers=None))]
    fn validate_many(
        &self,
        py: Python<'_>,
        records: &Bound<'_, PyAny>,
        workers: Option<usize>,
    ) -> PyResult<Vec<PyReport>> {
        use mods_core::guard::{self, Panicked};
        guarded(py, || {
            mods_api::check_workers(workers).or_py(py)?;
            let limits = self.prepared.limits();
            let (depth, size) = (limits.max_depth, limits.max_bytes);
            let mut inputs = Vec::new();
            for (i, r) in records.try_iter()?.enumerate() {
                let r = r?;
                let what = format!("records[{i}]");
                refuse_file_name(&r, &what)?;
                inputs.push(match guard::catch(|| record_bytes(&r, depth, size)) {
                    Ok(Ok(input)) => Ok(input),
                    Ok(Err(e)) => return Err(e.into_pyerr(&what)),
                    Err(p) => Err(p),
                });
            }
            let slices: Vec<Result<&[u8], &Panicked>> = inputs
                .iter()
                .map(|r| r.as_ref().map(crate::convert::Input::as_bytes))
                .collect();
            let prepared = &self.prepared;
            let reports = py.detach(|| mods_api::validate_many(&slices, prepared, workers));
            Ok(reports
                .or_py(py)?
                .into_iter()
                .map(|inner| PyReport { inner })
                .collect())
        })
    }
}
