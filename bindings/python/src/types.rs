//! The classes of the module: `Issue` and `Report` over the layer's report types, and
//! `OfflineTerminology`.

use crate::convert::{record_bytes, ser_to_py};
use crate::errors::{guarded, OrPy};
use mods_core::terminology::OfflineProvider;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use std::sync::Arc;

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
pub struct PyOfflineTerminology {
    pub inner: Arc<OfflineProvider>,
}

impl PyOfflineTerminology {
    /// Load FHIR resources (not guarded: its callers are).
    pub fn load(py: Python<'_>, resources: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let mut t = mods_api::OfflineTerminology::new();
        if let Some(rs) = resources {
            if rs.cast::<PyDict>().is_ok() || rs.cast::<PyString>().is_ok() {
                return Err(PyTypeError::new_err(
                    "resources must be a list of FHIR resources, not a single one",
                ));
            }
            for (i, r) in rs.try_iter()?.enumerate() {
                let bytes = record_bytes(&r?, 1_000, 512 * 1024 * 1024)
                    .map_err(|e| e.into_pyerr(&format!("resources[{i}]")))?;
                let bytes = bytes.as_bytes();
                py.detach(|| t.load_fhir_json(bytes)).or_py(py)?;
            }
        }
        Ok(PyOfflineTerminology {
            inner: t.into_provider(),
        })
    }
}

#[pymethods]
impl PyOfflineTerminology {
    #[new]
    #[pyo3(signature = (resources=None))]
    fn new(py: Python<'_>, resources: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        guarded(py, || Self::load(py, resources))
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
pub struct PyIssue {
    inner: mods_api::Issue,
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
        &self.inner.pointer
    }
    #[getter]
    fn path<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guarded(py, || ser_to_py(py, &self.inner.path))
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
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guarded(py, || ser_to_py(py, &self.inner))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyIssue>()
            .is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (self.inner.code, self.inner.severity, &self.inner.pointer).hash(&mut h);
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
                self.inner.pointer
            ))
        })
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
pub struct PyReport {
    pub inner: mods_api::Report,
}

/// Issues as a list of `Issue` objects.
pub(crate) fn issue_list<'py, 'a>(
    py: Python<'py>,
    it: impl Iterator<Item = &'a mods_api::Issue>,
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
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guarded(py, || ser_to_py(py, &self.inner))
    }

    /// The report as JSON text, in the format the ``mods`` CLI and every binding share
    /// (each issue's ``path`` is a JSON pointer there).
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        guarded(py, || Ok(self.inner.to_core_json()))
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
            self.inner.errors().count(),
            self.inner.warnings().count(),
            self.inner.issues.len(),
            self.inner.omitted
        )
    }
}
