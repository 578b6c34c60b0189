//! `validate_column`'s native part: the values of one Arrow array of JSON documents
//! (string or binary; 32- or 64-bit offsets, or views), read in place through the Arrow C
//! data interface (`__arrow_c_array__`, the Arrow PyCapsule interface), validated with the
//! GIL released, and the reports as flat columns for the Python side to build a table from.
//!
//! The array is imported with the `arrow` crates' own C data interface (`arrow-array`'s
//! `ffi` feature), which has no pyo3 inside, so it does not tie the binding to a pyo3
//! version (the `arrow` crate's `pyarrow` feature and `pyo3-arrow` would). pyo3 takes the
//! two PyCapsules; arrow takes the structs out of them, checks the buffers against the type
//! (`ArrayData::validate_full`: buffer sizes, offsets in order and within the data, views
//! within their buffers) and reads the values, borrowed from the producer's buffers (the
//! documents are not copied). Every producer (pyarrow, polars, pandas through pyarrow,
//! DuckDB...) speaks the interface (<https://arrow.apache.org/docs/format/CDataInterface.html>).
//!
//! Strings are imported as their binary twin (`utf8` as `binary`, `large_utf8` as
//! `large_binary`, `utf8_view` as `binary_view`: the same layouts), so arrow does not check
//! their UTF-8: the validator reads bytes and reports text that is not UTF-8 as
//! `input-encoding` for that row, as it does for bytes, instead of refusing the whole column.

use crate::errors::{guarded, OrPy};
use crate::validator::PyValidator;
use arrow_array::ffi::{from_ffi_and_data_type, FFI_ArrowArray, FFI_ArrowSchema};
use arrow_array::{BinaryArray, BinaryViewArray, LargeBinaryArray};
use arrow_data::ArrayData;
use arrow_schema::DataType;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyDict, PyTuple};
use std::ffi::CStr;

/// The type to import an array of `data_type` as: the binary twin of a string type (the
/// same layout), a binary or null type as it is, `None` for a type that cannot hold JSON.
fn import_type(data_type: &DataType) -> Option<DataType> {
    match data_type {
        DataType::Utf8 | DataType::Binary => Some(DataType::Binary),
        DataType::LargeUtf8 | DataType::LargeBinary => Some(DataType::LargeBinary),
        DataType::Utf8View | DataType::BinaryView => Some(DataType::BinaryView),
        DataType::Null => Some(DataType::Null),
        _ => None,
    }
}

/// An imported array, of a type [`import_type`] lets through. Only these three arrays are
/// built (not `make_array`, which would bring every Arrow array type into the wheel).
enum Column {
    Binary(BinaryArray),
    LargeBinary(LargeBinaryArray),
    View(BinaryViewArray),
    /// `DataType::Null`: this many values, all null.
    Null(usize),
}

impl Column {
    /// Check the buffers of `data` against its type (buffer sizes, offsets in order and
    /// within the data, views within their buffers) and make it a column. Runs without the
    /// GIL: it reads every offset or view.
    fn checked(data: ArrayData) -> Result<Column, String> {
        data.validate_full()
            .map_err(|e| format!("a malformed Arrow array: {e}"))?;
        Ok(match data.data_type() {
            DataType::Binary => Column::Binary(data.into()),
            DataType::LargeBinary => Column::LargeBinary(data.into()),
            DataType::BinaryView => Column::View(data.into()),
            _ => Column::Null(data.len()),
        })
    }

    /// The values: `None` for a null, borrowed from the array's buffers.
    fn values(&self) -> Vec<Option<&[u8]>> {
        match self {
            Column::Binary(a) => a.iter().collect(),
            Column::LargeBinary(a) => a.iter().collect(),
            Column::View(a) => a.iter().collect(),
            Column::Null(n) => vec![None; *n],
        }
    }
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
///
/// Raises:
///     TypeError: not an Arrow array, or of a type other than string or binary.
///     ValueError: a released or malformed Arrow array (buffers that do not agree with
///         its type).
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
        let schema: *mut FFI_ArrowSchema = capsule_ptr(&schema_cap, c"arrow_schema")?;
        let arr: *mut FFI_ArrowArray = capsule_ptr(&array_cap, c"arrow_array")?;
        // SAFETY: a capsule named "arrow_schema" holds a live `struct ArrowSchema` of the C
        // data interface (the PyCapsule interface's contract; the capsules were made by the
        // call above, so nobody has moved it out), which `FFI_ArrowSchema` is (`#[repr(C)]`);
        // it stays alive while `schema_cap` does, until this function returns, and is only
        // read here. (A schema that broke that contract, e.g. with a null or non-UTF-8
        // format, makes arrow panic, which `guarded` turns into `InternalError`.)
        let schema = unsafe { &*schema };
        let unsupported = || {
            PyTypeError::new_err(format!(
                "the values must be JSON as Arrow strings or binary (utf8, large_utf8, \
                 utf8_view, binary, large_binary, binary_view), not Arrow type {:?}",
                schema.format()
            ))
        };
        let data_type = DataType::try_from(schema)
            .ok()
            .and_then(|t| import_type(&t))
            .ok_or_else(unsupported)?;
        // SAFETY: a capsule named "arrow_array" holds a `struct ArrowArray` (as above) that
        // its consumer may move out, leaving a released one behind for the capsule's
        // destructor (the PyCapsule interface's contract): `from_raw` does that, so the
        // array's `release` runs once, when the last of `imported` and the arrays made from
        // it drops
        let imported = unsafe { FFI_ArrowArray::from_raw(arr) };
        if imported.is_released() {
            return Err(PyValueError::new_err("a released Arrow array"));
        }
        // SAFETY: the array has the layout of `data_type`: the schema's type or its binary
        // twin, which has the same buffers (the producer's promise, the C data interface's
        // one precondition); `Column::checked` then verifies the buffers before any value
        // is read
        let data = unsafe { from_ffi_and_data_type(imported, data_type) }
            .map_err(|e| PyValueError::new_err(format!("a malformed Arrow array: {e}")))?;
        let prepared = validator.get().prepared();
        let reports = py
            .detach(|| {
                let column = Column::checked(data)?;
                let empty: &[u8] = &[];
                let slices: Vec<&[u8]> = column
                    .values()
                    .into_iter()
                    .map(|v| v.unwrap_or(empty))
                    .collect();
                Ok(mods_api::validate_many(&slices, prepared, workers))
            })
            .map_err(PyValueError::new_err::<String>)?
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
