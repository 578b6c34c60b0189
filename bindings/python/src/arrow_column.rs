//! `validate_column`'s native part: the values of one Arrow array of JSON documents
//! (string or binary; 32- or 64-bit offsets, or views), read in place through the Arrow C
//! data interface (`__arrow_c_array__`, the Arrow PyCapsule interface), validated with the
//! GIL released, and the reports as flat columns for the Python side to build a table from.
//!
//! Why by hand and not the `arrow` crate's `pyarrow` feature or `pyo3-arrow`: both tie the
//! binding to the pyo3 version they were built against (one `pyo3-ffi` may be linked per
//! build), and bring the whole `arrow` crate for reading four kinds of array. The C data
//! interface is a small, stable ABI (<https://arrow.apache.org/docs/format/CDataInterface.html>);
//! every producer (pyarrow, polars, pandas through pyarrow, DuckDB...) speaks it.

use crate::errors::{guarded, OrPy};
use crate::validator::PyValidator;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyDict, PyTuple};
use std::ffi::{c_char, c_void, CStr};

/// `struct ArrowSchema` of the C data interface.
#[repr(C)]
struct ArrowSchema {
    format: *const c_char,
    name: *const c_char,
    metadata: *const c_char,
    flags: i64,
    n_children: i64,
    children: *mut *mut ArrowSchema,
    dictionary: *mut ArrowSchema,
    release: Option<unsafe extern "C" fn(*mut ArrowSchema)>,
    private_data: *mut c_void,
}

/// `struct ArrowArray` of the C data interface.
#[repr(C)]
struct ArrowArray {
    length: i64,
    null_count: i64,
    offset: i64,
    n_buffers: i64,
    n_children: i64,
    buffers: *mut *const c_void,
    children: *mut *mut ArrowArray,
    dictionary: *mut ArrowArray,
    release: Option<unsafe extern "C" fn(*mut ArrowArray)>,
    private_data: *mut c_void,
}

/// The layouts of JSON values this reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// `u`/`z`: 32-bit offsets, then data.
    Offsets32,
    /// `U`/`Z`: 64-bit offsets, then data.
    Offsets64,
    /// `vu`/`vz`: 16-byte views, data buffers, then their sizes.
    Views,
    /// `n`: every value null.
    Null,
}

fn layout(format: &[u8]) -> Option<Layout> {
    match format {
        b"u" | b"z" => Some(Layout::Offsets32),
        b"U" | b"Z" => Some(Layout::Offsets64),
        b"vu" | b"vz" => Some(Layout::Views),
        b"n" => Some(Layout::Null),
        _ => None,
    }
}

/// The values of an array: `None` for a null. Borrowed from the producer's buffers, which
/// the capsules keep alive.
struct Column<'a> {
    values: Vec<Option<&'a [u8]>>,
}

/// Read the values of `array` (of `layout`). Safety: `array` is a live, valid array of the
/// C data interface with that layout (the producer's promise), not released while the
/// returned slices are in use.
unsafe fn read<'a>(array: &'a ArrowArray, layout: Layout) -> Result<Column<'a>, &'static str> {
    let n = usize::try_from(array.length).map_err(|_| "a negative length")?;
    let offset = usize::try_from(array.offset).map_err(|_| "a negative offset")?;
    if layout == Layout::Null {
        return Ok(Column {
            values: vec![None; n],
        });
    }
    // offsets: validity, offsets, data; views: validity, views, data buffers..., sizes
    if array.n_buffers < 3 || array.buffers.is_null() {
        return Err("fewer buffers than the type has");
    }
    let buffers = std::slice::from_raw_parts(array.buffers, array.n_buffers as usize);
    let validity = buffers[0] as *const u8;
    let is_null = |i: usize| -> bool {
        if array.null_count == 0 || validity.is_null() {
            return false;
        }
        let bit = offset + i;
        // SAFETY: the bitmap holds offset + length bits
        unsafe { *validity.add(bit / 8) & (1 << (bit % 8)) == 0 }
    };
    let mut values = Vec::with_capacity(n);
    match layout {
        Layout::Offsets32 | Layout::Offsets64 => {
            let data = buffers[2] as *const u8;
            for i in 0..n {
                if is_null(i) {
                    values.push(None);
                    continue;
                }
                let (start, end) = if layout == Layout::Offsets32 {
                    let o = buffers[1] as *const i32;
                    (*o.add(offset + i) as i64, *o.add(offset + i + 1) as i64)
                } else {
                    let o = buffers[1] as *const i64;
                    (*o.add(offset + i), *o.add(offset + i + 1))
                };
                if start < 0 || end < start {
                    return Err("offsets out of order");
                }
                let len = (end - start) as usize;
                values.push(Some(if len == 0 {
                    &[][..]
                } else {
                    std::slice::from_raw_parts(data.add(start as usize), len)
                }));
            }
        }
        Layout::Views => {
            let views = buffers[1] as *const u8;
            // buffers: validity, views, the data buffers..., then the sizes of the data buffers
            let data = &buffers[2..buffers.len() - 1];
            for i in 0..n {
                if is_null(i) {
                    values.push(None);
                    continue;
                }
                let view = std::slice::from_raw_parts(views.add((offset + i) * 16), 16);
                let len = i32::from_le_bytes([view[0], view[1], view[2], view[3]]);
                let len = usize::try_from(len).map_err(|_| "a negative view length")?;
                if len <= 12 {
                    values.push(Some(&view[4..4 + len]));
                    continue;
                }
                let b = i32::from_le_bytes([view[8], view[9], view[10], view[11]]);
                let at = i32::from_le_bytes([view[12], view[13], view[14], view[15]]);
                let buffer = usize::try_from(b)
                    .ok()
                    .and_then(|b| data.get(b))
                    .ok_or("a view into a missing buffer")?;
                let at = usize::try_from(at).map_err(|_| "a negative view offset")?;
                values.push(Some(std::slice::from_raw_parts(
                    (*buffer as *const u8).add(at),
                    len,
                )));
            }
        }
        Layout::Null => unreachable!("handled above"),
    }
    Ok(Column { values })
}

/// A pointer of a capsule of `name`.
fn capsule_ptr<T>(c: &Bound<'_, PyAny>, name: &CStr) -> PyResult<*mut T> {
    let cap = c
        .cast::<PyCapsule>()
        .map_err(|_| PyTypeError::new_err("__arrow_c_array__ did not return capsules"))?;
    let p = cap
        .pointer_checked(Some(name))
        .map_err(|_| PyTypeError::new_err("__arrow_c_array__ returned capsules of other names"))?;
    Ok(p.as_ptr() as *mut T)
}

/// Validate the JSON values of one Arrow array (an object with `__arrow_c_array__`: a
/// pyarrow ``Array``, a chunk of a ``ChunkedArray``, a polars ``Series`` on recent versions)
/// with a validator, with the GIL released. A null value is validated as empty input (an
/// ``input-syntax`` error), so it is reported, not skipped.
///
/// Returns:
///     dict: ``valid`` (list of bool), ``errors``, ``warnings`` (lists of int), and the
///     issues flat: ``offsets`` (``len + 1`` ints: row ``i``'s issues are
///     ``offsets[i]:offsets[i+1]``), ``code``, ``severity``, ``pointer`` (lists of str).
#[pyfunction]
#[pyo3(signature = (array, validator, *, workers=None))]
pub fn _validate_arrow<'py>(
    py: Python<'py>,
    array: &Bound<'py, PyAny>,
    validator: &Bound<'py, PyValidator>,
    workers: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    guarded(py, || {
        let pair = array
            .call_method0("__arrow_c_array__")
            .map_err(|_| PyTypeError::new_err("the values are not an Arrow array"))?;
        let pair = pair.cast::<PyTuple>().map_err(|_| {
            PyTypeError::new_err("__arrow_c_array__ did not return (schema, array)")
        })?;
        let (schema_cap, array_cap) = (pair.get_item(0)?, pair.get_item(1)?);
        let schema: *mut ArrowSchema = capsule_ptr(&schema_cap, c"arrow_schema")?;
        let arr: *mut ArrowArray = capsule_ptr(&array_cap, c"arrow_array")?;
        // SAFETY: the capsules hold a schema and an array that stay alive (and unreleased)
        // while `schema_cap` and `array_cap` are, which is until this function returns
        let (schema, arr) = unsafe { (&*schema, &*arr) };
        if schema.format.is_null() || arr.release.is_none() {
            return Err(PyValueError::new_err("a released Arrow array"));
        }
        // SAFETY: `format` is a NUL-terminated string
        let format = unsafe { CStr::from_ptr(schema.format) }.to_bytes();
        let Some(layout) = layout(format) else {
            return Err(PyTypeError::new_err(format!(
                "the values must be JSON as Arrow strings or binary (utf8, large_utf8, \
                 utf8_view, binary, large_binary, binary_view), not Arrow type {:?}",
                String::from_utf8_lossy(format)
            )));
        };
        // SAFETY: as above, with the layout the schema states
        let column = unsafe { read(arr, layout) }
            .map_err(|why| PyValueError::new_err(format!("a malformed Arrow array: {why}")))?;
        let prepared = validator.get().prepared();
        let empty: &[u8] = &[];
        let slices: Vec<&[u8]> = column.values.iter().map(|v| v.unwrap_or(empty)).collect();
        let reports = py
            .detach(|| mods_api::validate_many(&slices, prepared, workers))
            .or_py(py)?;
        let n = reports.len();
        let (mut valid, mut errors, mut warnings) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        let mut offsets = Vec::with_capacity(n + 1);
        let (mut code, mut severity, mut pointer) = (Vec::new(), Vec::new(), Vec::new());
        offsets.push(0usize);
        for r in &reports {
            valid.push(r.valid);
            errors.push(r.errors().count());
            warnings.push(r.warnings().count());
            for i in &r.issues {
                code.push(i.code.as_str());
                severity.push(i.severity.as_str());
                pointer.push(i.pointer.as_str());
            }
            offsets.push(code.len());
        }
        let out = PyDict::new(py);
        out.set_item("valid", valid)?;
        out.set_item("errors", errors)?;
        out.set_item("warnings", warnings)?;
        out.set_item("offsets", offsets)?;
        out.set_item("code", code)?;
        out.set_item("severity", severity)?;
        out.set_item("pointer", pointer)?;
        Ok(out)
    })
}
