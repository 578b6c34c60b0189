//! A clear error when a file name or a path is passed where a JSON document is expected
//! (`mods.validate("record.json")`): without it, the name would be read as JSON text and
//! reported as a syntax error at its first character.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyString, PyType};

/// `os.PathLike`, looked up once.
static PATH_LIKE: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// Longest `str` taken for a file name (longer text is JSON, or not a path on any system).
const MAX_NAME: usize = 4096;

/// Endings of a file name of JSON documents.
const ENDINGS: &[&str] = &[".json", ".ndjson", ".jsonl"];

/// `Err(TypeError)` with a hint when `value` (given as `what`, e.g. "the record") is an
/// `os.PathLike`, or a `str` that looks like a file name: no leading `{` or `[`, and it ends
/// in `.json`, `.ndjson` or `.jsonl` or names a path that exists. The message never quotes
/// the value.
pub fn refuse_file_name(value: &Bound<'_, PyAny>, what: &str) -> PyResult<()> {
    let py = value.py();
    if let Ok(s) = value.cast::<PyString>() {
        // the length is read without copying the text; only a short str is looked at
        if s.len()? > MAX_NAME {
            return Ok(());
        }
        // text that is not valid Unicode (a lone surrogate) is no file name: the converter
        // reports it
        let Ok(text) = s.to_cow() else {
            return Ok(());
        };
        let t = text.trim();
        if t.is_empty() || t.starts_with('{') || t.starts_with('[') || t.contains('\n') {
            return Ok(());
        }
        let lower = t.to_ascii_lowercase();
        let named = if ENDINGS.iter().any(|e| lower.ends_with(e)) {
            Some("ends in a JSON file name's extension")
        } else if PyModule::import(py, "os.path")?
            .call_method1("exists", (t,))?
            .is_truthy()?
        {
            Some("names a path that exists")
        } else {
            None
        };
        if let Some(why) = named {
            return Err(PyTypeError::new_err(format!(
                "{what} is a str that looks like a file name (it {why}), not JSON text: \
                 pass the file's content (open(path, \"rb\").read()) or use \
                 mods.validate_file(path)"
            )));
        }
        return Ok(());
    }
    if value.cast::<PyDict>().is_ok() || value.cast::<PyBytes>().is_ok() {
        return Ok(());
    }
    let pathlike = PATH_LIKE.import(py, "os", "PathLike")?;
    if value.is_instance(pathlike)? {
        return Err(PyTypeError::new_err(format!(
            "{what} is a path (os.PathLike), not a JSON document: use mods.validate_file(path), \
             or pass the file's content (open(path, \"rb\").read())"
        )));
    }
    Ok(())
}
