//! Translation between Python objects and JSON: Python values are written as JSON bytes
//! (which `mods-core` then reads with its own limits, so every input rule stays in the
//! core), and `serde_json` values become Python objects.

use crate::shared_strings::SharedStrings;
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyMemoryView, PyString, PyTuple,
};
use serde_json::Value;

/// Hard bound on nesting, whatever the limits say, so that a Python structure can never
/// exhaust the native stack while it is written, even on a Python thread with a small stack
/// (`threading.stack_size(256 * 1024)`; each level takes about 1 KiB). The core's reader
/// (serde_json) refuses nesting deeper than 128 whatever the limits, so writing containers
/// down to 129 levels and `null` below them gives the core the same verdict as the whole
/// value: `input-syntax` (recursion limit) at the same place.
const HARD_DEPTH: usize = 129;

/// Why a Python value could not be written as JSON.
pub enum ConvError {
    /// Not a JSON type (set, custom object, non-str key...).
    Type(String),
    /// A JSON type with a value JSON cannot hold (NaN, a circular reference...).
    Value(String),
    /// A container changed while it was being written (Python code run meanwhile, such as
    /// a finaliser, changed it).
    Changed(String),
    /// An exception raised by Python while reading the value.
    Py(PyErr),
}

/// A conversion error with the JSON pointer of the value concerned.
pub struct Located {
    pub error: ConvError,
    /// Path segments, innermost first (pushed while unwinding).
    pub rev_path: Vec<String>,
}

impl Located {
    fn new(error: ConvError) -> Self {
        Located {
            error,
            rev_path: Vec::new(),
        }
    }

    fn at(mut self, seg: String) -> Self {
        self.rev_path.push(seg);
        self
    }

    pub fn pointer(&self) -> String {
        let mut s = String::new();
        for seg in self.rev_path.iter().rev() {
            s.push('/');
            s.push_str(&seg.replace('~', "~0").replace('/', "~1"));
        }
        s
    }

    /// The Python exception, its message prefixed with `what` (e.g. `records[3]`).
    pub fn into_pyerr(self, what: &str) -> PyErr {
        let at = self.pointer();
        let at = if at.is_empty() { "/".to_owned() } else { at };
        match self.error {
            ConvError::Type(m) => {
                PyTypeError::new_err(format!("{what} cannot be written as JSON: {m} (at {at})"))
            }
            ConvError::Value(m) => {
                PyValueError::new_err(format!("{what} cannot be written as JSON: {m} (at {at})"))
            }
            ConvError::Changed(m) => {
                PyRuntimeError::new_err(format!("{what} cannot be written as JSON: {m} (at {at})"))
            }
            ConvError::Py(e) => e,
        }
    }
}

/// Writes a Python value as compact JSON into a buffer.
///
/// Strings are written as their UTF-8 bytes; a string with a lone surrogate is written
/// with the surrogate encoded as-is (`surrogatepass`), so the core reports it as
/// `input-encoding`. Containers nested deeper than `max_depth + 1` are written as `null`
/// (the core rejects the document at depth `max_depth + 1` before it reads them), and
/// writing stops once the buffer is past `max_bytes` (the core rejects the size before
/// parsing): the core's verdict is the one the whole value would get.
pub struct JsonWriter {
    pub out: Vec<u8>,
    max_depth: usize,
    max_bytes: usize,
    /// Containers being written, for cycle detection.
    stack: Vec<usize>,
}

/// Stop writing: the buffer is already larger than the size limit.
struct Full;

enum Stop {
    Full(Full),
    Err(Located),
}

impl From<Located> for Stop {
    fn from(l: Located) -> Self {
        Stop::Err(l)
    }
}

impl Stop {
    fn at(self, seg: impl FnOnce() -> String) -> Self {
        match self {
            Stop::Err(l) => Stop::Err(l.at(seg())),
            full => full,
        }
    }
}

fn py_err(e: PyErr) -> Stop {
    Stop::Err(Located::new(ConvError::Py(e)))
}

impl JsonWriter {
    pub fn new(max_depth: usize, max_bytes: usize) -> Self {
        JsonWriter {
            out: Vec::with_capacity(4096),
            max_depth: max_depth.saturating_add(1).min(HARD_DEPTH),
            max_bytes,
            stack: Vec::new(),
        }
    }

    /// Write one value; on success `self.out` holds the document (possibly cut short past
    /// the size limit, which the core then reports).
    pub fn write(&mut self, v: &Bound<'_, PyAny>) -> Result<(), Located> {
        match self.value(v, 1) {
            Ok(()) | Err(Stop::Full(_)) => Ok(()),
            Err(Stop::Err(l)) => Err(l),
        }
    }

    fn value(&mut self, v: &Bound<'_, PyAny>, depth: usize) -> Result<(), Stop> {
        if self.out.len() > self.max_bytes {
            return Err(Stop::Full(Full));
        }
        if let Ok(s) = v.cast::<PyString>() {
            return self.string(s);
        }
        if let Ok(d) = v.cast::<PyDict>() {
            if depth > self.max_depth {
                self.out.extend_from_slice(b"null");
                return Ok(());
            }
            self.enter(v)?;
            self.out.push(b'{');
            let mut first = true;
            // Iterate a snapshot of the items: pyo3's dict iterator panics when the dict
            // changes size under it. Writing runs no Python code of the value's (no
            // `__str__`, `__index__` or `encode` override is called), but a finaliser or
            // another thread could still change the dict; that is reported, not a panic.
            let size = d.len();
            let items = d.items();
            for item in items.iter() {
                let (k, val): (Bound<'_, PyAny>, Bound<'_, PyAny>) =
                    item.extract().map_err(py_err)?;
                let Ok(ks) = k.cast::<PyString>() else {
                    let t = type_name(&k);
                    return Err(Stop::Err(Located::new(ConvError::Type(format!(
                        "object keys must be str, not {t}"
                    )))));
                };
                if !first {
                    self.out.push(b',');
                }
                first = false;
                self.string(ks)?;
                self.out.push(b':');
                self.value(&val, depth + 1)
                    .map_err(|e| e.at(|| ks.to_string_lossy().into_owned()))?;
                if d.len() != size {
                    return Err(changed("a dict"));
                }
            }
            self.out.push(b'}');
            self.stack.pop();
            return Ok(());
        }
        if let Ok(l) = v.cast::<PyList>() {
            let size = l.len();
            self.seq(v, l.iter(), depth)?;
            if l.len() != size {
                return Err(changed("a list"));
            }
            return Ok(());
        }
        if let Ok(t) = v.cast::<PyTuple>() {
            return self.seq(v, t.iter(), depth);
        }
        if v.is_none() {
            self.out.extend_from_slice(b"null");
            return Ok(());
        }
        if let Ok(b) = v.cast::<PyBool>() {
            self.out
                .extend_from_slice(if b.is_true() { b"true" } else { b"false" });
            return Ok(());
        }
        if v.cast::<PyInt>().is_ok() {
            // The value of the int itself (`PyLong_AsLongLong` reads an int subclass's
            // value without calling its methods), never `str(v)`: a subclass's `__str__`
            // could write any JSON text, or change the container being written.
            if let Ok(i) = v.extract::<i64>() {
                self.out.extend_from_slice(i.to_string().as_bytes());
            } else if let Ok(u) = v.extract::<u64>() {
                self.out.extend_from_slice(u.to_string().as_bytes());
            } else {
                // a big integer: its decimal digits, from `int.__repr__` itself (not a
                // subclass's override), are a JSON number; the core then judges it
                let digits = v
                    .py()
                    .get_type::<PyInt>()
                    .getattr("__repr__")
                    .and_then(|repr| repr.call1((v,)))
                    .map_err(py_err)?;
                let digits = digits.cast::<PyString>().map_err(|e| py_err(e.into()))?;
                let digits = digits.to_cow().map_err(py_err)?;
                let b = digits.as_bytes();
                let body = b.strip_prefix(b"-").unwrap_or(b);
                if body.is_empty() || !body.iter().all(u8::is_ascii_digit) {
                    return Err(Stop::Err(Located::new(ConvError::Value(
                        "an int whose digits cannot be read".into(),
                    ))));
                }
                self.out.extend_from_slice(b);
            }
            return Ok(());
        }
        if let Ok(f) = v.cast::<PyFloat>() {
            let x = f.value();
            if !x.is_finite() {
                return Err(Stop::Err(Located::new(ConvError::Value(format!(
                    "{x} is not a JSON number (NaN and Infinity are not allowed)"
                )))));
            }
            serde_json::to_writer(&mut self.out, &x)
                .map_err(|e| Stop::Err(Located::new(ConvError::Value(format!("a float: {e}")))))?;
            return Ok(());
        }
        let t = type_name(v);
        Err(Stop::Err(Located::new(ConvError::Type(format!(
            "an object of type {t} is not JSON serialisable (use dict, list, tuple, str, int, float, bool or None)"
        )))))
    }

    fn seq<'py>(
        &mut self,
        v: &Bound<'py, PyAny>,
        items: impl Iterator<Item = Bound<'py, PyAny>>,
        depth: usize,
    ) -> Result<(), Stop> {
        if depth > self.max_depth {
            self.out.extend_from_slice(b"null");
            return Ok(());
        }
        self.enter(v)?;
        self.out.push(b'[');
        for (i, item) in items.enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            self.value(&item, depth + 1)
                .map_err(|e| e.at(|| i.to_string()))?;
        }
        self.out.push(b']');
        self.stack.pop();
        Ok(())
    }

    fn enter(&mut self, v: &Bound<'_, PyAny>) -> Result<(), Stop> {
        let id = v.as_ptr() as usize;
        if self.stack.contains(&id) {
            return Err(Stop::Err(Located::new(ConvError::Value(
                "circular reference: a container holds itself".into(),
            ))));
        }
        self.stack.push(id);
        Ok(())
    }

    fn string(&mut self, s: &Bound<'_, PyString>) -> Result<(), Stop> {
        let b = utf8_bytes(s).map_err(py_err)?;
        #[cfg(feature = "fault-injection")]
        fault_injection(b.as_bytes());
        escape_into(&mut self.out, b.as_bytes());
        Ok(())
    }
}

/// A `str` as UTF-8 bytes. A lone surrogate is kept as Python encodes it with
/// `surrogatepass`, so the core reports the document as not UTF-8 (`input-encoding`, with
/// an offset). Always `str.encode` itself, never a subclass's override of `encode`.
fn utf8_bytes<'py>(s: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyBytes>> {
    match s.encode_utf8() {
        Ok(b) => Ok(b),
        Err(_) => Ok(s
            .py()
            .get_type::<PyString>()
            .getattr("encode")?
            .call1((s, "utf-8", "surrogatepass"))?
            .cast_into::<PyBytes>()?),
    }
}

/// `Stop` for a container that changed while it was written.
fn changed(what: &str) -> Stop {
    Stop::Err(Located::new(ConvError::Changed(format!(
        "{what} changed while it was being written"
    ))))
}

/// TEST ONLY (feature `fault-injection`, never in a release build): a `str` value starting
/// with this makes the conversion panic, quoting the whole string.
#[cfg(feature = "fault-injection")]
pub const CONVERT_PANIC_PREFIX: &str = "mods-fault-injection:convert";

#[cfg(feature = "fault-injection")]
fn fault_injection(b: &[u8]) {
    if b.starts_with(CONVERT_PANIC_PREFIX.as_bytes()) {
        panic!(
            "fault injected while converting the string `{}`",
            String::from_utf8_lossy(b)
        );
    }
}

fn type_name(v: &Bound<'_, PyAny>) -> String {
    v.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}

/// Write `bytes` as a JSON string: quotes, backslashes and control characters escaped,
/// everything else verbatim.
fn escape_into(out: &mut Vec<u8>, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        if esc.is_empty() {
            out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[(b >> 4) as usize],
                HEX[(b & 0xf) as usize],
            ]);
        } else {
            out.extend_from_slice(esc);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// The JSON bytes of a document: a `bytes` object read in place (given as `bytes`, as a
/// `memoryview` of a whole `bytes`, or the UTF-8 of a `str`), or bytes of our own (a copy of
/// a mutable buffer, or a Python structure written as JSON). Either is immutable while the
/// core reads it with the GIL released.
pub enum Input<'py> {
    /// A `bytes` object, held for as long as its bytes are read.
    Bytes(Bound<'py, PyBytes>),
    /// Bytes the binding owns.
    Owned(Vec<u8>),
}

impl Input<'_> {
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Input::Bytes(b) => b.as_bytes(),
            Input::Owned(v) => v,
        }
    }
}

/// Turn any accepted record into JSON bytes (holding the GIL).
pub fn record_bytes<'py>(
    v: &Bound<'py, PyAny>,
    max_depth: usize,
    max_bytes: usize,
) -> Result<Input<'py>, Located> {
    if let Ok(b) = v.cast::<PyBytes>() {
        return Ok(Input::Bytes(b.clone()));
    }
    if let Ok(s) = v.cast::<PyString>() {
        return utf8_bytes(s)
            .map(Input::Bytes)
            .map_err(|e| Located::new(ConvError::Py(e)));
    }
    if let Ok(b) = v.cast::<PyByteArray>() {
        return Ok(Input::Owned(b.to_vec()));
    }
    if let Ok(m) = v.cast::<PyMemoryView>() {
        if let Some(b) = whole_bytes(m) {
            return Ok(Input::Bytes(b));
        }
        let b = v
            .call_method0("tobytes")
            .and_then(|b| b.cast_into::<PyBytes>().map_err(Into::into))
            .map_err(|e| Located::new(ConvError::Py(e)))?;
        return Ok(Input::Bytes(b));
    }
    let mut w = JsonWriter::new(max_depth, max_bytes);
    w.write(v)?;
    Ok(Input::Owned(w.out))
}

/// The `bytes` object a `memoryview` shows whole (C-contiguous and as long as the object),
/// read in place like the `bytes` itself. Any other view (a slice, or over a `bytearray`,
/// an `mmap`, an array) is copied: the GIL is released while the core reads the document,
/// and another thread could write a mutable buffer meanwhile.
fn whole_bytes<'py>(m: &Bound<'py, PyMemoryView>) -> Option<Bound<'py, PyBytes>> {
    let b = m.getattr("obj").ok()?.cast_into::<PyBytes>().ok()?;
    let contiguous: bool = m.getattr("c_contiguous").ok()?.extract().ok()?;
    let nbytes: usize = m.getattr("nbytes").ok()?.extract().ok()?;
    (contiguous && nbytes == b.as_bytes().len()).then_some(b)
}

/// A `serde_json` value as a Python object (dict, list, str, int, float, bool, None).
///
/// Keys and short strings repeat throughout a FHIR Bundle or a record (`url`, `system`,
/// code systems, extension URLs): each distinct one becomes one Python `str`, shared, whose
/// hash Python computes once.
pub fn to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Strings(SharedStrings::new(py)).value(py, v)
}

/// [`to_py`] of a whole document the caller gives up (a Bundle): each part is freed as
/// soon as its Python object exists (one walk over the tree instead of a conversion and
/// then a drop).
pub fn to_py_owned(py: Python<'_>, v: Value) -> PyResult<Bound<'_, PyAny>> {
    Strings(SharedStrings::new(py)).value_owned(py, v)
}

struct Strings<'py>(SharedStrings<'py>);

impl<'py> Strings<'py> {
    fn value(&mut self, py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
        Ok(match v {
            Value::Null => py.None().into_bound(py),
            Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
            Value::Number(n) => number(py, n)?,
            Value::String(s) => self.0.get(s).into_any(),
            Value::Array(a) => {
                let items = a
                    .iter()
                    .map(|x| self.value(py, x))
                    .collect::<PyResult<Vec<_>>>()?;
                PyList::new(py, items)?.into_any()
            }
            Value::Object(m) => {
                let d = PyDict::new(py);
                for (k, x) in m {
                    let key = self.0.get(k);
                    d.set_item(key, self.value(py, x)?)?;
                }
                d.into_any()
            }
        })
    }

    fn value_owned(&mut self, py: Python<'py>, v: Value) -> PyResult<Bound<'py, PyAny>> {
        Ok(match v {
            Value::Null => py.None().into_bound(py),
            Value::Bool(b) => PyBool::new(py, b).to_owned().into_any(),
            Value::Number(n) => number(py, &n)?,
            Value::String(s) => self.0.get(&s).into_any(),
            Value::Array(a) => {
                let items = a
                    .into_iter()
                    .map(|x| self.value_owned(py, x))
                    .collect::<PyResult<Vec<_>>>()?;
                PyList::new(py, items)?.into_any()
            }
            Value::Object(m) => {
                let d = PyDict::new(py);
                for (k, x) in m {
                    let x = self.value_owned(py, x)?;
                    d.set_item(self.0.get(&k), x)?;
                }
                d.into_any()
            }
        })
    }
}

fn number<'py>(py: Python<'py>, n: &serde_json::Number) -> PyResult<Bound<'py, PyAny>> {
    Ok(if let Some(i) = n.as_i64() {
        i.into_pyobject(py)?.into_any()
    } else if let Some(u) = n.as_u64() {
        u.into_pyobject(py)?.into_any()
    } else {
        n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
    })
}

/// Any serialisable Rust value as a Python object, through `serde_json`.
pub fn ser_to_py<'py, T: serde::Serialize + ?Sized>(
    py: Python<'py>,
    v: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let v = serde_json::to_value(v).map_err(|e| PyValueError::new_err(e.to_string()))?;
    to_py(py, &v)
}
