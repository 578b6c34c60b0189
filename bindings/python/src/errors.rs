//! `mods_api::Error` as the Python exceptions of `mods._errors`, by its code; panics in the
//! binding's own code (converting values) as `mods.InternalError`.

use crate::convert::to_py;
use mods_api::Error;
use mods_core::guard::{self, Panicked};
use pyo3::exceptions::{PyKeyError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// An instance of the exception class `name` of `mods._errors`.
fn raise(py: Python<'_>, name: &str, message: String, kw: &Bound<'_, PyDict>) -> PyResult<PyErr> {
    let module = ERRORS.get_or_try_init(py, || {
        PyModule::import(py, "mods._errors").map(|m| m.unbind())
    })?;
    let cls = module.bind(py).getattr(name)?;
    Ok(PyErr::from_value(cls.call((message,), Some(kw))?))
}

/// `mods.InternalError` (fixed text and the location, never the panic's message), or a
/// `RuntimeError` with the same text if even that cannot be built.
fn internal_error(py: Python<'_>, p: &Panicked) -> PyErr {
    let build = || {
        let kw = PyDict::new(py);
        kw.set_item("location", p.location())?;
        raise(py, "InternalError", p.message(), &kw)
    };
    build().unwrap_or_else(|_| PyRuntimeError::new_err(p.message()))
}

/// The Python exception of an error of the layer: `input-*` → `mods.InputError`,
/// `migration-refused` → `mods.MigrationError`, `internal-error` → `mods.InternalError`,
/// `unknown-term` → `KeyError`, every other code → `ValueError`.
pub fn to_pyerr(py: Python<'_>, e: Error) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let kw = PyDict::new(py);
        match &e {
            Error::Input(i) => {
                kw.set_item("code", i.code.as_str())?;
                kw.set_item("pointer", i.path.as_deref())?;
                kw.set_item("line", i.line)?;
                kw.set_item("column", i.column)?;
                kw.set_item("offset", i.offset)?;
                raise(py, "InputError", i.message.clone(), &kw)
            }
            Error::MigrationRefused { losses, .. } => {
                kw.set_item("losses", to_py(py, losses)?)?;
                raise(py, "MigrationError", e.to_string(), &kw)
            }
            Error::Internal(p) => Ok(internal_error(py, p)),
            Error::UnknownTerm { term } => Ok(PyKeyError::new_err(term.clone())),
            _ => Ok(PyValueError::new_err(e.to_string())),
        }
    };
    build().unwrap_or_else(|err| err)
}

/// `?` for the layer's results in a Python entry point.
pub trait OrPy<T> {
    /// The value, or the Python exception of the error.
    fn or_py(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> OrPy<T> for Result<T, Error> {
    fn or_py(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| to_pyerr(py, e))
    }
}

/// Run the body of a Python entry point; a panic anywhere in it (converting values,
/// building the result) becomes `mods.InternalError`.
pub fn guarded<T>(py: Python<'_>, body: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    guard::catch(body).unwrap_or_else(|p| Err(internal_error(py, &p)))
}
