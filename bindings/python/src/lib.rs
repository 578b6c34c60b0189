//! Python binding of mods-sdk (`import mods`).
//!
//! Thin by design: it translates Python values to JSON bytes and back, options to
//! [`ValidationOptions`], and core errors to Python exceptions. Every rule lives in
//! `mods-core`. The Python package (`python/mods/`) adds the exception classes and `check`.

mod convert;

/// The binding's own Rust allocations (records, reports, Bundles as `serde_json` trees) go
/// through mimalloc: building and freeing those trees is much of the work of a call, and
/// mimalloc does it in about a quarter less time than the platform allocator
/// (docs/performance.md). Python's objects keep Python's allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use convert::{record_bytes, ser_to_py, to_py, Input, JsonWriter};
use mods_core::guard::{self, Panicked};
use mods_core::model;
use mods_core::terminology::{CodeCheck, CodeRequest, OfflineProvider, Terminology};
use mods_core::{
    validate_instance_json, validate_record_json, InputError, InstanceError, Issue, IssueCode,
    Limits, Mode, Report, ValidationOptions,
};
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

// ------------------------------------------------------------------ errors

static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

fn errors_module(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    Ok(ERRORS
        .get_or_try_init(py, || {
            PyModule::import(py, "mods._errors").map(|m| m.unbind())
        })?
        .bind(py))
}

/// `mods.InputError` for input the core could not read.
fn input_error(py: Python<'_>, e: &InputError) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let cls = errors_module(py)?.getattr("InputError")?;
        let kw = PyDict::new(py);
        kw.set_item("code", e.code.as_str())?;
        kw.set_item("pointer", e.path.as_deref())?;
        kw.set_item("line", e.line)?;
        kw.set_item("column", e.column)?;
        kw.set_item("offset", e.offset)?;
        let obj = cls.call((e.message.clone(),), Some(&kw))?;
        Ok(PyErr::from_value(obj))
    };
    build().unwrap_or_else(|err| err)
}

/// `mods.InternalError` for a panic (a bug) anywhere in the native code: fixed text and the
/// location, never the panic's message (it can quote the input), never a crash and never
/// pyo3's `PanicException`.
fn internal_error(py: Python<'_>, p: &Panicked) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let cls = errors_module(py)?.getattr("InternalError")?;
        let kw = PyDict::new(py);
        kw.set_item("location", p.location())?;
        Ok(PyErr::from_value(cls.call((p.message(),), Some(&kw))?))
    };
    build().unwrap_or_else(|_| PyRuntimeError::new_err(p.message()))
}

/// Run the body of a Python entry point; a panic anywhere in it (converting values,
/// validating, building the result) becomes `mods.InternalError`.
fn guarded<T>(py: Python<'_>, body: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    guard::catch(body).unwrap_or_else(|p| Err(internal_error(py, &p)))
}

// ------------------------------------------------------------------ terminology providers

/// A provider that covers some code systems but is unavailable (a terminology server that
/// is down): every question about them is answered "unavailable".
struct Unavailable(Vec<String>);

impl mods_core::terminology::TerminologyProvider for Unavailable {
    fn name(&self) -> &str {
        "unavailable terminology"
    }
    fn check_code(&self, r: &CodeRequest<'_>) -> CodeCheck {
        if self.0.iter().any(|s| s == r.system) {
            CodeCheck::Unavailable {
                reason: "the terminology is marked unavailable".into(),
            }
        } else {
            CodeCheck::NotCovered
        }
    }
}

/// Offline terminology loaded from FHIR R4 resources (CodeSystem or ValueSet).
///
/// Load once and pass to ``validate(..., terminology=provider)`` for every record: codes
/// bound to terminologies that are not embedded (SNOMED CT, dm+d) are then checked
/// against it.
///
/// Args:
///     resources: FHIR ``CodeSystem`` / ``ValueSet`` resources, each a dict, JSON text or
///         bytes.
///
/// Raises:
///     ValueError: a resource is not a FHIR CodeSystem or ValueSet.
#[pyclass(module = "mods", frozen, name = "OfflineTerminology")]
struct PyOfflineTerminology {
    inner: Arc<OfflineProvider>,
}

impl PyOfflineTerminology {
    /// Load FHIR resources (not guarded: its callers are).
    fn load(resources: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let mut p = OfflineProvider::new();
        if let Some(rs) = resources {
            if rs.cast::<PyDict>().is_ok() || rs.cast::<PyString>().is_ok() {
                return Err(PyTypeError::new_err(
                    "resources must be a list of FHIR resources, not a single one",
                ));
            }
            for (i, r) in rs.try_iter()?.enumerate() {
                let r = r?;
                let bytes = record_bytes(&r, 1_000, 512 * 1024 * 1024)
                    .map_err(|e| e.into_pyerr(&format!("resources[{i}]")))?;
                p.load_fhir_json(bytes.as_bytes())
                    .map_err(|e| PyValueError::new_err(format!("resources[{i}]: {e}")))?;
            }
        }
        Ok(PyOfflineTerminology { inner: Arc::new(p) })
    }
}

#[pymethods]
impl PyOfflineTerminology {
    #[new]
    #[pyo3(signature = (resources=None))]
    fn new(py: Python<'_>, resources: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        guarded(py, || Self::load(resources))
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        guarded(py, || {
            Ok(format!("OfflineTerminology(concepts={})", self.inner.len()))
        })
    }
}

// ------------------------------------------------------------------ options

const LIMIT_KEYS: &[&str] = &[
    "max_bytes",
    "max_depth",
    "max_string_bytes",
    "max_array_items",
    "max_object_members",
    "max_nodes",
];

#[allow(clippy::too_many_arguments)]
fn options(
    strict: bool,
    include_values: bool,
    max_issues: usize,
    limits: Option<&Bound<'_, PyAny>>,
    terminology: Option<&Bound<'_, PyAny>>,
    unavailable_terminology: Option<&Bound<'_, PyAny>>,
    today: Option<&Bound<'_, PyAny>>,
) -> PyResult<ValidationOptions> {
    let mut o = ValidationOptions {
        mode: if strict { Mode::Strict } else { Mode::Lax },
        include_values,
        max_issues,
        ..ValidationOptions::default()
    };
    if let Some(t) = today {
        o.today = Some(today_option(t)?);
    }
    if let Some(l) = limits {
        let d = l
            .cast::<PyDict>()
            .map_err(|_| PyTypeError::new_err("limits must be a dict of str to int"))?;
        let mut lim = Limits::default();
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
            match k.as_str() {
                "max_bytes" => lim.max_bytes = n,
                "max_depth" => lim.max_depth = n,
                "max_string_bytes" => lim.max_string_bytes = n,
                "max_array_items" => lim.max_array_items = n,
                "max_object_members" => lim.max_object_members = n,
                "max_nodes" => lim.max_nodes = n,
                other => {
                    return Err(PyValueError::new_err(format!(
                        "unknown limit {other:?}; the limits are {}",
                        LIMIT_KEYS.join(", ")
                    )))
                }
            }
            if d.len() != size {
                return Err(PyRuntimeError::new_err(
                    "limits changed while it was being read (a value's __index__ changed the dict)",
                ));
            }
        }
        o.limits = lim;
    }
    if let Some(t) = terminology {
        if let Ok(p) = t.cast::<PyOfflineTerminology>() {
            o.terminology.push(p.get().inner.clone());
        } else {
            let p = PyOfflineTerminology::load(Some(t))?;
            o.terminology.push(p.inner);
        }
    }
    if let Some(u) = unavailable_terminology {
        if u.cast::<PyString>().is_ok() {
            return Err(PyTypeError::new_err(
                "unavailable_terminology must be a list of code-system URIs, not one string",
            ));
        }
        let systems: Vec<String> = u.extract()?;
        o.terminology.push(Arc::new(Unavailable(systems)));
    }
    Ok(o)
}

/// `today=`: a `datetime.date` (not a `datetime.datetime`: its date depends on a time zone
/// the caller should choose, e.g. `now.date()`) or a string `YYYY-MM-DD`.
fn today_option(t: &Bound<'_, PyAny>) -> PyResult<mods_core::types::NaiveDate> {
    let bad = || PyValueError::new_err("today must be a date YYYY-MM-DD naming a real day");
    if t.cast::<PyString>().is_ok() {
        let text: String = t.extract()?;
        return mods_core::checks::parse_date(&text).ok_or_else(bad);
    }
    let datetime = PyModule::import(t.py(), "datetime")?;
    if t.is_instance(&datetime.getattr("datetime")?)? {
        return Err(PyTypeError::new_err(
            "today must be a datetime.date, not a datetime.datetime (use .date())",
        ));
    }
    if !t.is_instance(&datetime.getattr("date")?)? {
        return Err(PyTypeError::new_err(
            "today must be a datetime.date or a str YYYY-MM-DD",
        ));
    }
    let iso: String = t.call_method0("isoformat")?.extract()?;
    mods_core::checks::parse_date(&iso).ok_or_else(bad)
}

// ------------------------------------------------------------------ issue and report

/// One problem found in a record.
///
/// Attributes:
///     code: Stable code from the closed catalogue, e.g. ``"nhs-number-check-digit"``
///         (``mods.explain(code)`` documents it).
///     severity: ``"error"``, ``"warning"`` or ``"information"``.
///     path: Where, as a list of keys (str) and array indexes (int); ``[]`` is the whole
///         document.
///     pointer: Where, as a JSON pointer (RFC 6901), e.g. ``"/subject_of_care/nhs_number"``.
///     message: A sentence for a person. Never contains the record's data.
///     context: Structured details (element, class, expected form...). Holds the
///         offending value under ``"value"`` only when validated with
///         ``include_values=True``.
///
/// ``str()`` and ``repr()`` never show the context, so they never show the person's data.
#[pyclass(module = "mods", frozen, name = "Issue")]
struct PyIssue {
    inner: Issue,
}

fn pointer_segments<'py>(py: Python<'py>, pointer: &str) -> PyResult<Bound<'py, PyList>> {
    let l = PyList::empty(py);
    if pointer.is_empty() {
        return Ok(l);
    }
    for seg in pointer.split('/').skip(1) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        let is_index = !seg.is_empty()
            && seg.bytes().all(|b| b.is_ascii_digit())
            && (seg == "0" || !seg.starts_with('0'));
        match seg.parse::<usize>() {
            Ok(i) if is_index => l.append(i)?,
            _ => l.append(seg)?,
        }
    }
    Ok(l)
}

// Every method that does more than read a field runs `guarded`, so a panic in it is
// `mods.InternalError`; reading a field cannot panic.
#[pymethods]
impl PyIssue {
    #[getter]
    fn code(&self) -> &'static str {
        self.inner.code.as_str()
    }
    #[getter]
    fn severity(&self) -> &'static str {
        self.inner.severity.as_str()
    }
    #[getter]
    fn pointer(&self) -> &str {
        &self.inner.path
    }
    #[getter]
    fn path<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        guarded(py, || pointer_segments(py, &self.inner.path))
    }
    #[getter]
    fn message(&self) -> &str {
        &self.inner.message
    }
    #[getter]
    fn context<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guarded(py, || ser_to_py(py, &self.inner.context))
    }

    /// The issue as a plain dict (``code``, ``severity``, ``path``, ``pointer``,
    /// ``message``, ``context``).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        guarded(py, || self.dict(py))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyIssue>()
            .is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (self.inner.code, self.inner.severity, &self.inner.path).hash(&mut h);
        h.finish()
    }

    fn __str__(&self, py: Python<'_>) -> PyResult<String> {
        guarded(py, || Ok(self.inner.to_string()))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        guarded(py, || {
            Ok(format!(
                "Issue(code={:?}, severity={:?}, pointer={:?})",
                self.inner.code.as_str(),
                self.inner.severity.as_str(),
                self.inner.path
            ))
        })
    }
}

impl PyIssue {
    fn dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("code", self.code())?;
        d.set_item("severity", self.severity())?;
        d.set_item("path", pointer_segments(py, &self.inner.path)?)?;
        d.set_item("pointer", self.pointer())?;
        d.set_item("message", self.message())?;
        d.set_item("context", ser_to_py(py, &self.inner.context)?)?;
        Ok(d)
    }
}

/// The result of validating one record or instance: every issue found.
///
/// Attributes:
///     valid: ``True`` when no issue has severity ``"error"``.
///     issues: Every issue, in the order found (a new list on each access).
///     omitted: Issues found beyond ``max_issues`` and left out of ``issues``.
///
/// ``str()`` and ``repr()`` never show the person's data.
#[pyclass(module = "mods", frozen, name = "Report")]
struct PyReport {
    inner: Report,
}

fn issue_list<'py, 'a>(
    py: Python<'py>,
    it: impl Iterator<Item = &'a Issue>,
) -> PyResult<Bound<'py, PyList>> {
    let l = PyList::empty(py);
    for i in it {
        l.append(Py::new(py, PyIssue { inner: i.clone() })?)?;
    }
    Ok(l)
}

#[pymethods]
impl PyReport {
    #[getter]
    fn valid(&self) -> bool {
        self.inner.valid
    }
    #[getter]
    fn issues<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        guarded(py, || issue_list(py, self.inner.issues.iter()))
    }
    #[getter]
    fn omitted(&self) -> usize {
        self.inner.omitted
    }

    /// Issues of severity ``"error"``.
    fn errors<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        guarded(py, || issue_list(py, self.inner.errors()))
    }

    /// Issues of severity ``"warning"``.
    fn warnings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        guarded(py, || issue_list(py, self.inner.warnings()))
    }

    /// The report as a plain dict: ``valid``, ``issues`` (each as ``Issue.to_dict()``),
    /// ``omitted``.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        guarded(py, || {
            let d = PyDict::new(py);
            d.set_item("valid", self.inner.valid)?;
            let l = PyList::empty(py);
            for i in &self.inner.issues {
                l.append(PyIssue { inner: i.clone() }.dict(py)?)?;
            }
            d.set_item("issues", l)?;
            d.set_item("omitted", self.inner.omitted)?;
            Ok(d)
        })
    }

    /// The report as JSON text, in the format the ``mods`` CLI and every binding share
    /// (each issue's ``path`` is a JSON pointer there).
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        guarded(py, || {
            serde_json::to_string(&self.inner).map_err(|e| PyValueError::new_err(e.to_string()))
        })
    }

    fn __len__(&self) -> usize {
        self.inner.issues.len()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyReport>()
            .is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        guarded(py, || Ok(self.repr()))
    }

    fn __str__(&self, py: Python<'_>) -> PyResult<String> {
        guarded(py, || {
            let mut s = self.repr();
            for i in &self.inner.issues {
                s.push_str("\n  ");
                s.push_str(&i.to_string());
            }
            Ok(s)
        })
    }
}

impl PyReport {
    fn repr(&self) -> String {
        format!(
            "Report(valid={}, errors={}, warnings={}, issues={}, omitted={})",
            if self.inner.valid { "True" } else { "False" },
            self.inner.error_count(),
            self.inner.warning_count(),
            self.inner.issues.len(),
            self.inner.omitted
        )
    }
}

// ------------------------------------------------------------------ validation

enum Target {
    Record,
    Class(String),
}

/// Validate one record's bytes; a panic is `RunError::Panic`, on whatever thread this runs.
fn run(target: &Target, bytes: &[u8], opts: &ValidationOptions) -> Result<Report, RunError> {
    guard::catch(|| match target {
        Target::Record => validate_record_json(bytes, opts).map_err(RunError::Input),
        Target::Class(c) => validate_instance_json(c, bytes, opts).map_err(|e| match e {
            InstanceError::Input(i) => RunError::Input(i),
            other => RunError::Class(other.to_string()),
        }),
    })
    .unwrap_or_else(|p| Err(RunError::Panic(p)))
}

enum RunError {
    Input(InputError),
    Class(String),
    Panic(Panicked),
}

fn target(class_: Option<String>) -> PyResult<Target> {
    match class_ {
        None => Ok(Target::Record),
        Some(c) => {
            let ok = model::latest()
                .class(&c)
                .is_some_and(|d| d.kind != model::ClassKind::Abstract);
            if ok {
                Ok(Target::Class(c))
            } else {
                Err(PyValueError::new_err(format!(
                    "{c:?} is not a record or component class of MODS {} (see mods.classes())",
                    model::latest().mods_version
                )))
            }
        }
    }
}

/// Validate one record document (or, with ``class_``, one instance of a class).
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
            strict,
            include_values,
            max_issues,
            limits,
            terminology,
            unavailable_terminology,
            today,
        )?;
        let target = target(class_)?;
        let input = record_bytes(record, opts.limits.max_depth, opts.limits.max_bytes)
            .map_err(|e| e.into_pyerr("the record"))?;
        let bytes = input.as_bytes();
        let result = if bytes.len() < 64 * 1024 {
            run(&target, bytes, &opts)
        } else {
            py.detach(|| run(&target, bytes, &opts))
        };
        match result {
            Ok(r) => Ok(PyReport { inner: r }),
            Err(RunError::Input(e)) => Err(input_error(py, &e)),
            Err(RunError::Class(m)) => Err(PyValueError::new_err(m)),
            Err(RunError::Panic(p)) => Err(internal_error(py, &p)),
        }
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
///     workers: Threads to use (default: the number of CPUs; ``1`` validates on the calling
///         thread).
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
            strict,
            include_values,
            max_issues,
            limits,
            terminology,
            unavailable_terminology,
            today,
        )?;
        let target = target(class_)?;
        if workers == Some(0) {
            return Err(PyValueError::new_err("workers must be at least 1"));
        }
        // Each record is converted under its own guard: a panic there is that record's
        // `internal-error` report, like a panic while it is validated.
        let mut inputs: Vec<Result<Input<'_>, Panicked>> = Vec::new();
        for (i, r) in records.try_iter()?.enumerate() {
            let r = r?;
            let converted =
                guard::catch(|| record_bytes(&r, opts.limits.max_depth, opts.limits.max_bytes));
            inputs.push(match converted {
                Ok(Ok(input)) => Ok(input),
                Ok(Err(e)) => return Err(e.into_pyerr(&format!("records[{i}]"))),
                Err(p) => Err(p),
            });
        }
        let slices: Vec<Result<&[u8], &Panicked>> = inputs
            .iter()
            .map(|r| r.as_ref().map(Input::as_bytes))
            .collect();
        let results = py.detach(|| validate_all(&target, &opts, &slices, workers));
        let mut out = Vec::with_capacity(results.len());
        for r in results {
            out.push(PyReport {
                inner: match r {
                    Ok(r) => r,
                    Err(RunError::Input(e)) => Report::from_input_error(&e),
                    Err(RunError::Class(m)) => return Err(PyValueError::new_err(m)),
                    Err(RunError::Panic(p)) => p.report(),
                },
            });
        }
        Ok(out)
    })
}

/// Validate every record (without the GIL) on up to `workers` threads; one result per
/// record, in order. A record whose conversion panicked keeps that panic as its result.
fn validate_all(
    target: &Target,
    opts: &ValidationOptions,
    slices: &[Result<&[u8], &Panicked>],
    workers: Option<usize>,
) -> Vec<Result<Report, RunError>> {
    let n = slices.len();
    let one = |s: &Result<&[u8], &Panicked>| match s {
        Ok(b) => run(target, b, opts),
        Err(p) => Err(RunError::Panic((*p).clone())),
    };
    let workers = workers
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .min(n.max(1));
    if workers <= 1 {
        return slices.iter().map(one).collect();
    }
    let next = AtomicUsize::new(0);
    const CHUNK: usize = 8;
    let parts: Vec<Vec<(usize, Result<Report, RunError>)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let start = next.fetch_add(CHUNK, Ordering::Relaxed);
                        if start >= n {
                            break;
                        }
                        for (i, b) in slices.iter().enumerate().skip(start).take(CHUNK) {
                            out.push((i, one(b)));
                        }
                    }
                    out
                })
            })
            .collect();
        // `run` contains panics, so a worker only fails to join in a pathological case;
        // its records are then reported as internal errors below
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let mut slots: Vec<Option<Result<Report, RunError>>> = (0..n).map(|_| None).collect();
    for (i, r) in parts.into_iter().flatten() {
        if let Some(slot) = slots.get_mut(i) {
            *slot = Some(r);
        }
    }
    slots
        .into_iter()
        .map(|s| s.unwrap_or_else(|| Err(RunError::Panic(Panicked::unlocated()))))
        .collect()
}

// ------------------------------------------------------------------ model, terminology, glossary

fn model_for(version: Option<&str>) -> PyResult<&'static model::Model> {
    match version {
        None => Ok(model::latest()),
        Some(v) => model::model(v).ok_or_else(|| {
            PyValueError::new_err(format!(
                "MODS version {v:?} is not supported (supported: {})",
                model::supported_versions()
            ))
        }),
    }
}

/// The MODS versions this library supports, oldest first.
#[pyfunction]
fn versions(py: Python<'_>) -> PyResult<Vec<&'static str>> {
    guarded(py, || {
        Ok(model::models().iter().map(|m| m.mods_version).collect())
    })
}

/// The MODS version in force (the default for look-ups).
#[pyfunction]
fn latest_version(py: Python<'_>) -> PyResult<&'static str> {
    guarded(py, || Ok(model::latest().mods_version))
}

/// The classes of a MODS version, as dicts (name, technical_name, group, kind, elements,
/// provenance...).
///
/// Args:
///     version: A MODS version (default: the version in force).
#[pyfunction]
#[pyo3(signature = (version=None))]
fn classes<'py>(py: Python<'py>, version: Option<&str>) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || ser_to_py(py, model_for(version)?.classes))
}

fn terminology_for(version: Option<&str>) -> PyResult<Terminology> {
    Ok(Terminology::new(model_for(version)?))
}

fn known_value_set(t: &Terminology, value_set: &str) -> PyResult<()> {
    if t.value_set(value_set).is_some() {
        Ok(())
    } else {
        Err(PyValueError::new_err(format!(
            "no embedded value set {value_set:?} (see mods.value_sets())"
        )))
    }
}

fn code_entries<'py>(
    py: Python<'py>,
    entries: Vec<mods_core::terminology::CodeEntry>,
) -> PyResult<Bound<'py, PyList>> {
    let l = PyList::empty(py);
    for e in entries {
        let d = PyDict::new(py);
        d.set_item("value_set", e.value_set)?;
        d.set_item("system", e.system)?;
        d.set_item("code", e.code)?;
        d.set_item("display", e.display)?;
        l.append(d)?;
    }
    Ok(l)
}

/// The embedded value sets, as dicts (id, title, url, system, source, version, licence,
/// codes...); a set that spans several code systems has ``includes`` (each with system,
/// title, version, codes, and ``grammar`` for BCP 47 language tags) instead of system and
/// codes.
#[pyfunction]
#[pyo3(signature = (*, version=None))]
fn value_sets<'py>(py: Python<'py>, version: Option<&str>) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || ser_to_py(py, terminology_for(version)?.value_sets()))
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
fn codes<'py>(
    py: Python<'py>,
    value_set: &str,
    version: Option<&str>,
) -> PyResult<Bound<'py, PyList>> {
    guarded(py, || {
        let t = terminology_for(version)?;
        known_value_set(&t, value_set)?;
        code_entries(py, t.codes(value_set))
    })
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
    guarded(py, || {
        let t = terminology_for(version)?;
        known_value_set(&t, value_set)?;
        Ok(t.display(value_set, code))
    })
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
) -> PyResult<Bound<'py, PyList>> {
    guarded(py, || {
        let t = terminology_for(version)?;
        if let Some(vs) = value_set {
            known_value_set(&t, vs)?;
        }
        code_entries(py, t.search(text, value_set))
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
fn glossary<'py>(py: Python<'py>, term: Option<&str>) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || match term {
        None => ser_to_py(py, mods_core::glossary::glossary()),
        Some(t) => match mods_core::glossary::lookup(t) {
            Some(found) => ser_to_py(py, found),
            None => Err(pyo3::exceptions::PyKeyError::new_err(t.to_owned())),
        },
    })
}

/// Glossary terms whose term, synonyms or definition mention ``text``.
#[pyfunction]
fn search_glossary<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || ser_to_py(py, &mods_core::glossary::search(text)))
}

/// What an issue code means: ``{"code", "title", "severity", "explanation"}``.
///
/// Raises:
///     ValueError: not a code of the catalogue (``mods.issue_codes()`` lists them).
#[pyfunction]
fn explain<'py>(py: Python<'py>, code: &str) -> PyResult<Bound<'py, PyDict>> {
    guarded(py, || {
        let c = IssueCode::from_code(code).ok_or_else(|| {
            PyValueError::new_err(format!(
                "{code:?} is not an issue code (see mods.issue_codes())"
            ))
        })?;
        let d = PyDict::new(py);
        d.set_item("code", c.as_str())?;
        d.set_item("title", c.title())?;
        d.set_item("severity", c.default_severity().as_str())?;
        d.set_item("explanation", c.explanation())?;
        Ok(d)
    })
}

/// Every issue code of the closed catalogue, in documentation order.
#[pyfunction]
fn issue_codes(py: Python<'_>) -> PyResult<Vec<&'static str>> {
    guarded(py, || {
        Ok(IssueCode::ALL.iter().map(|c| c.as_str()).collect())
    })
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
fn schema<'py>(
    py: Python<'py>,
    version: Option<&str>,
    class_: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let v = model_for(version)?.mods_version;
        let s = match class_ {
            None => mods_core::schema::record_schema(v),
            Some(c) => mods_core::schema::class_schema(v, c),
        };
        match s {
            Some(s) => to_py(py, &s),
            None => Err(PyValueError::new_err(format!(
                "no schema for class {:?} in MODS {v} (see mods.classes())",
                class_.unwrap_or("")
            ))),
        }
    })
}

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
) -> PyResult<Bound<'py, PyAny>> {
    use mods_core::migrate::{MigrateError, MigrateOptions, OnLoss};
    guarded(py, || {
        let limits = Limits::default();
        let input = record_bytes(record, limits.max_depth, limits.max_bytes)
            .map_err(|e| e.into_pyerr("the record"))?;
        let value =
            mods_core::parse_json(input.as_bytes(), &limits).map_err(|e| input_error(py, &e))?;
        let opts = MigrateOptions {
            on_loss: if keep_lost {
                OnLoss::KeepInExtension
            } else {
                OnLoss::Fail
            },
        };
        match mods_core::migrate::migrate(&value, to, &opts) {
            Ok(m) => ser_to_py(py, &m),
            Err(e) => {
                let losses = match &e {
                    MigrateError::Lossy { losses, .. } => ser_to_py(py, losses)?,
                    _ => PyList::empty(py).into_any(),
                };
                let cls = errors_module(py)?.getattr("MigrationError")?;
                let kw = PyDict::new(py);
                kw.set_item("losses", losses)?;
                Err(PyErr::from_value(cls.call((e.to_string(),), Some(&kw))?))
            }
        }
    })
}

/// The differences between two MODS versions of the model (classes and elements added,
/// removed, retyped...; value-set codes added and removed), each marked ``breaking`` or
/// not, with the migration step that handles it.
///
/// Raises:
///     ValueError: either version is not supported.
#[pyfunction]
fn diff_spec<'py>(py: Python<'py>, a: &str, b: &str) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || match mods_core::spec_diff::diff_spec(a, b) {
        Some(d) => ser_to_py(py, &d),
        None => Err(PyValueError::new_err(format!(
            "MODS versions {a:?} and {b:?} must both be supported (supported: {})",
            model::supported_versions()
        ))),
    })
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
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let limits = Limits::default();
        let read = |what: &str, rec: &Bound<'py, PyAny>| -> PyResult<serde_json::Value> {
            let input = record_bytes(rec, limits.max_depth, limits.max_bytes)
                .map_err(|e| e.into_pyerr(what))?;
            mods_core::parse_json(input.as_bytes(), &limits).map_err(|e| input_error(py, &e))
        };
        let (old, new) = (read("the old record", old)?, read("the new record", new)?);
        let opts = mods_core::history::DiffOptions {
            include_values,
            include_audit,
        };
        match mods_core::history::diff_records(&old, &new, &opts) {
            Ok(d) => ser_to_py(py, &d),
            Err(e) => Err(PyValueError::new_err(e.to_string())),
        }
    })
}

/// A record (dict, JSON text or bytes) read as JSON by the strict reader; `what` names it in
/// errors.
fn read_json(py: Python<'_>, obj: &Bound<'_, PyAny>, what: &str) -> PyResult<serde_json::Value> {
    let limits = Limits::default();
    let input =
        record_bytes(obj, limits.max_depth, limits.max_bytes).map_err(|e| e.into_pyerr(what))?;
    mods_core::parse_json(input.as_bytes(), &limits).map_err(|e| input_error(py, &e))
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
///
/// Returns:
///     dict: the Bundle.
///
/// Raises:
///     ValueError: the record is invalid, of another MODS version, or an option is unknown.
///     mods.InputError: the input cannot be read as JSON.
#[pyfunction]
#[pyo3(signature = (record, *, r#type="collection", profiles="current", timestamp=None, allow_invalid=false))]
fn to_fhir<'py>(
    py: Python<'py>,
    record: &Bound<'py, PyAny>,
    r#type: &str,
    profiles: &str,
    timestamp: Option<String>,
    allow_invalid: bool,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let value = read_json(py, record, "the record")?;
        let bundle_type = mods_fhir::BundleType::parse(r#type).ok_or_else(|| {
            PyValueError::new_err("type must be \"collection\", \"transaction\" or \"document\"")
        })?;
        let profiles = mods_fhir::ProfileSet::parse(profiles)
            .ok_or_else(|| PyValueError::new_err("profiles must be \"current\" or \"stu2\""))?;
        let opts = mods_fhir::ExportOptions {
            bundle_type,
            profiles,
            timestamp,
            allow_invalid,
        };
        match mods_fhir::to_fhir(&value, &opts) {
            Ok(b) => to_py(py, &b),
            Err(e) => Err(PyValueError::new_err(e.to_string())),
        }
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
///
/// Returns:
///     dict: the Bundle.
///
/// Raises:
///     ValueError: the record is invalid or of another MODS version, the timestamp is not
///         an instant, or an option is unknown.
///     mods.InputError: the input cannot be read as JSON.
#[pyfunction]
#[pyo3(signature = (record, *, timestamp=None, profiles="current", allow_invalid=false))]
fn transfer_summary<'py>(
    py: Python<'py>,
    record: &Bound<'py, PyAny>,
    timestamp: Option<String>,
    profiles: &str,
    allow_invalid: bool,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let value = read_json(py, record, "the record")?;
        let profiles = mods_fhir::ProfileSet::parse(profiles)
            .ok_or_else(|| PyValueError::new_err("profiles must be \"current\" or \"stu2\""))?;
        let timestamp = match timestamp {
            Some(t) => t,
            None => {
                let dt = py.import("datetime")?;
                let utc = dt.getattr("timezone")?.getattr("utc")?;
                dt.getattr("datetime")?
                    .call_method1("now", (utc,))?
                    .call_method1("strftime", ("%Y-%m-%dT%H:%M:%SZ",))?
                    .extract()?
            }
        };
        let opts = mods_fhir::TransferOptions {
            timestamp: Some(timestamp),
            profiles,
            allow_invalid,
        };
        match mods_fhir::transfer_summary(&value, &opts) {
            Ok(b) => to_py(py, &b),
            Err(e) => Err(PyValueError::new_err(e.to_string())),
        }
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
fn from_fhir<'py>(
    py: Python<'py>,
    bundle: &Bound<'py, PyAny>,
    keep_unmapped: bool,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let limits = Limits::default();
        let input = record_bytes(bundle, limits.max_depth, limits.max_bytes)
            .map_err(|e| e.into_pyerr("the bundle"))?;
        let opts = mods_fhir::ImportOptions {
            keep_unmapped,
            ..Default::default()
        };
        match mods_fhir::from_fhir(input.as_bytes(), &opts) {
            Ok(i) => {
                let rec = to_py(py, &i.record)?;
                let rep = ser_to_py(py, &i.report)?;
                Ok(pyo3::types::PyTuple::new(py, [rec, rep])?.into_any())
            }
            Err(mods_fhir::ImportError::Input(e)) => Err(input_error(py, &e)),
            Err(e) => Err(PyValueError::new_err(e.to_string())),
        }
    })
}

fn merge_flow<'py>(
    py: Python<'py>,
    record: &Bound<'py, PyAny>,
    bundle: &Bound<'py, PyAny>,
    date: Option<String>,
    discharge: bool,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let rec = read_json(py, record, "the record")?;
        let limits = Limits::default();
        let input = record_bytes(bundle, limits.max_depth, limits.max_bytes)
            .map_err(|e| e.into_pyerr("the bundle"))?;
        let opts = mods_fhir::flows::merge::MergeOptions {
            date,
            ..Default::default()
        };
        let got = if discharge {
            mods_fhir::flows::discharge::import_discharge(&rec, input.as_bytes(), &opts)
        } else {
            mods_fhir::flows::gp_merge::merge_gp_record(&rec, input.as_bytes(), &opts)
        };
        match got {
            Ok(m) => {
                let mut report = serde_json::to_value(&m.report)
                    .map_err(|e| PyValueError::new_err(e.to_string()))?;
                report["attachments"] = serde_json::to_value(&m.attachments)
                    .map_err(|e| PyValueError::new_err(e.to_string()))?;
                let rec = to_py(py, &m.record)?;
                let rep = ser_to_py(py, &report)?;
                Ok(pyo3::types::PyTuple::new(py, [rec, rep])?.into_any())
            }
            Err(mods_fhir::flows::merge::MergeError::Import(mods_fhir::ImportError::Input(e))) => {
                Err(input_error(py, &e))
            }
            Err(e) => Err(PyValueError::new_err(e.to_string())),
        }
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
) -> PyResult<Bound<'py, PyAny>> {
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
) -> PyResult<Bound<'py, PyAny>> {
    merge_flow(py, record, bundle, date, true)
}

/// Validate a record and give the report as a FHIR OperationOutcome (dict): severity, an
/// issue type, our code in ``details.coding`` and the place as ``expression``.
///
/// Raises:
///     mods.InputError: the input cannot be read as JSON.
#[pyfunction]
fn operation_outcome<'py>(
    py: Python<'py>,
    record: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(py, || {
        let value = read_json(py, record, "the record")?;
        let report = mods_core::validate_record(&value, &mods_core::ValidationOptions::default());
        to_py(py, &mods_fhir::operation_outcome(&report))
    })
}

/// JSON text for a Python value, as the binding writes records (compact, UTF-8 bytes).
/// Useful to see exactly what ``validate`` reads from a dict.
#[pyfunction]
fn to_json_bytes(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    guarded(py, || {
        let mut w = JsonWriter::new(Limits::default().max_depth, usize::MAX);
        w.write(value).map_err(|e| e.into_pyerr("the value"))?;
        Ok(pyo3::types::PyBytes::new(py, &w.out).into_any().unbind())
    })
}

#[pymodule]
fn _mods(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // A panic records its location for `mods.InternalError` and prints nothing: its message
    // can quote the input, and the exception says all there is to say. The hook belongs to
    // this extension module's own copy of the Rust standard library, not to other modules.
    guard::install_panic_hook(|_location| {});
    m.add_class::<PyIssue>()?;
    m.add_class::<PyReport>()?;
    m.add_class::<PyOfflineTerminology>()?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(validate_many, m)?)?;
    m.add_function(wrap_pyfunction!(versions, m)?)?;
    m.add_function(wrap_pyfunction!(latest_version, m)?)?;
    m.add_function(wrap_pyfunction!(classes, m)?)?;
    m.add_function(wrap_pyfunction!(value_sets, m)?)?;
    m.add_function(wrap_pyfunction!(codes, m)?)?;
    m.add_function(wrap_pyfunction!(display, m)?)?;
    m.add_function(wrap_pyfunction!(search_codes, m)?)?;
    m.add_function(wrap_pyfunction!(glossary, m)?)?;
    m.add_function(wrap_pyfunction!(search_glossary, m)?)?;
    m.add_function(wrap_pyfunction!(explain, m)?)?;
    m.add_function(wrap_pyfunction!(issue_codes, m)?)?;
    m.add_function(wrap_pyfunction!(schema, m)?)?;
    m.add_function(wrap_pyfunction!(migrate, m)?)?;
    m.add_function(wrap_pyfunction!(diff_spec, m)?)?;
    m.add_function(wrap_pyfunction!(diff, m)?)?;
    m.add_function(wrap_pyfunction!(to_json_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(to_fhir, m)?)?;
    m.add_function(wrap_pyfunction!(from_fhir, m)?)?;
    m.add_function(wrap_pyfunction!(transfer_summary, m)?)?;
    m.add_function(wrap_pyfunction!(operation_outcome, m)?)?;
    m.add_function(wrap_pyfunction!(merge_gp_record, m)?)?;
    m.add_function(wrap_pyfunction!(import_discharge, m)?)?;
    m.add("CORE_VERSION", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
