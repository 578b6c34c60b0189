"""``validate_column``: validate a column of JSON documents (a pyarrow ``Array`` or
``ChunkedArray``, a pandas ``Series`` or a polars ``Series``) without building Python
dicts: the native module reads the Arrow buffers in place (the Arrow C data interface) and
validates them with the GIL released. ``to_fhir_column`` and ``migrate_column``: the same
columns converted, record by record, as ``mods.spark.to_fhir`` and ``mods.spark.migrate``
do per batch (the same code). pyarrow is needed (``pip install 'mods-sdk[arrow]'``);
pandas and polars only when their frames are given or asked for."""

from __future__ import annotations

import datetime
import importlib
import json
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from ._errors import ModsError
from ._mods import OfflineTerminology, Validator, _validate_arrow
from ._mods import migrate as _migrate
from ._mods import to_fhir as _to_fhir
from ._mods import versions as _versions
from ._options import validator_from

__all__ = ["validate_column", "to_fhir_column", "migrate_column", "ISSUE_FIELDS"]

#: The fields of each issue in the ``issues`` column.
ISSUE_FIELDS = ("code", "severity", "pointer")


def _import(name: str) -> Any:
    """An optional library (imported by name, so that type checkers need not have it)."""
    return importlib.import_module(name)


def _pyarrow() -> Any:
    try:
        pyarrow = _import("pyarrow")
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError(
            "mods.validate_column needs pyarrow: pip install 'mods-sdk[arrow]'"
        ) from None
    return pyarrow


def _kind(values: Any) -> str:
    """``"pandas"``, ``"polars"`` or ``"arrow"``, by the type's module (neither pandas nor
    polars is imported to find out)."""
    module = type(values).__module__.split(".")[0]
    if module in ("pandas", "polars"):
        return module
    return "arrow"


def _chunks(values: Any, kind: str) -> List[Any]:
    """Arrow arrays (objects with ``__arrow_c_array__``) holding the values, in order."""
    pa = _pyarrow()
    if kind == "pandas":
        values = pa.array(values, from_pandas=True)
    elif kind == "polars":
        values = values.to_arrow()
    if isinstance(values, pa.ChunkedArray):
        return list(values.chunks)
    if hasattr(values, "__arrow_c_array__"):
        return [values]
    if hasattr(values, "__arrow_c_stream__"):
        return list(pa.chunked_array(values).chunks)
    raise TypeError(
        "values must be a pyarrow Array or ChunkedArray, a pandas Series or a polars Series "
        "(of JSON as str or bytes)"
    )


def _schema() -> Any:
    pa = _pyarrow()
    issue = pa.struct([(name, pa.string()) for name in ISSUE_FIELDS])
    return pa.schema(
        [
            ("valid", pa.bool_()),
            ("errors", pa.int64()),
            ("warnings", pa.int64()),
            ("issues", pa.list_(issue)),
        ]
    )


def _table(parts: List[Dict[str, List[Any]]]) -> Any:
    pa = _pyarrow()
    schema = _schema()
    batches = []
    for p in parts:
        issues = pa.StructArray.from_arrays(
            [pa.array(p[name], pa.string()) for name in ISSUE_FIELDS], names=list(ISSUE_FIELDS)
        )
        lists = pa.ListArray.from_arrays(pa.array(p["offsets"], pa.int32()), issues)
        batches.append(
            pa.RecordBatch.from_arrays(
                [
                    pa.array(p["valid"], pa.bool_()),
                    pa.array(p["errors"], pa.int64()),
                    pa.array(p["warnings"], pa.int64()),
                    lists.cast(schema.field("issues").type),
                ],
                schema=schema,
            )
        )
    return pa.Table.from_batches(batches, schema=schema)


def validate_arrow(values: Any, validator: Validator, workers: Optional[int] = None) -> Any:
    """:func:`validate_column` of Arrow values with a validator, as a ``pyarrow.Table``
    (what :mod:`mods.spark` calls on each batch)."""
    return _table([_validate_arrow(c, validator, workers=workers) for c in _chunks(values, "arrow")])


def validate_column(
    values: Any,
    *,
    output: Optional[str] = None,
    workers: Optional[int] = None,
    validator: Optional[Validator] = None,
    version: Optional[str] = None,
    class_: Optional[str] = None,
    strict: bool = False,
    include_values: bool = False,
    max_issues: int = 1000,
    limits: Optional[Mapping[str, int]] = None,
    terminology: Union[OfflineTerminology, Sequence[Union[Mapping[str, object], str, bytes]], None] = None,
    unavailable_terminology: Optional[Sequence[str]] = None,
    today: Union[datetime.date, str, None] = None,
) -> Any:
    """Validate a column of JSON documents: one result row per value, in order.

    The values are JSON text (Arrow ``string``/``large_string``/``string_view``, pandas
    ``str``) or UTF-8 bytes (Arrow ``binary``/``large_binary``/``binary_view``, pandas
    ``bytes``). They are read from the Arrow buffers in place and validated on ``workers``
    threads with the GIL released; no Python dict is built. A null value is reported (an
    ``input-syntax`` error: there is no document), never skipped, so the result lines up
    with the input row for row.

    Args:
        values: A pyarrow ``Array`` or ``ChunkedArray`` (or any object with
            ``__arrow_c_array__`` or ``__arrow_c_stream__``), a pandas ``Series`` or a
            polars ``Series``.
        output: ``"arrow"`` (a ``pyarrow.Table``), ``"pandas"`` or ``"polars"`` (a
            ``DataFrame``; pandas keeps the Series' index). Default: the caller's frame
            type (pandas for a pandas Series, polars for a polars Series), else Arrow.
        workers: Threads to use (default: the number of CPUs).
        validator: A :class:`Validator` to use; the other options must then be left out.
        version, class_, strict, include_values, max_issues, limits, terminology,
        unavailable_terminology, today: As for :class:`Validator`.

    Returns:
        A table with the columns ``valid`` (bool), ``errors`` and ``warnings`` (int64),
        ``issues`` (list of struct ``code``, ``severity``, ``pointer``), as ``output``
        says.

    Raises:
        ImportError: pyarrow (or the frame library asked for) is not installed.
        TypeError: values of another type (numbers, nested types...).
        ValueError: an unknown ``output``, or ``validator`` given with other options.
    """
    kind = _kind(values)
    if output is None:
        output = kind
    if output not in ("arrow", "pandas", "polars"):
        raise ValueError('output must be "arrow", "pandas" or "polars"')
    validator = validator_from(
        validator, version=version, class_=class_, strict=strict,
        include_values=include_values, max_issues=max_issues, limits=limits,
        terminology=terminology, unavailable_terminology=unavailable_terminology, today=today,
    )
    table = _table([_validate_arrow(c, validator, workers=workers) for c in _chunks(values, kind)])
    if output == "pandas":
        frame = table.to_pandas()
        if kind == "pandas":
            frame.index = values.index
        return frame
    if output == "polars":
        return _import("polars").from_arrow(table)
    return table


def convert_values(values: Any, convert: Callable[[bytes], object]) -> Tuple[List[Optional[str]], List[Optional[str]]]:
    """Each value of one Arrow array of JSON documents converted and written as JSON text
    (``convert`` gives a Python value, or JSON bytes it wrote itself), or why it was not: the error's type and message (which never hold the record's data),
    or ``no document (null)``; the other one ``None``. ``mods.spark``'s conversions run this
    on each batch."""
    out: List[Optional[str]] = []
    errors: List[Optional[str]] = []
    for value in values.to_pylist():
        if value is None:
            out.append(None)
            errors.append("no document (null)")
            continue
        try:
            converted = convert(value.encode() if isinstance(value, str) else value)
        except (ValueError, TypeError, ModsError) as e:
            out.append(None)
            errors.append(f"{type(e).__name__}: {e}")
            continue
        if isinstance(converted, bytes):
            # JSON the core wrote (``as_json=True``): no Python objects built and written again
            out.append(converted.decode("utf-8"))
        else:
            out.append(json.dumps(converted, ensure_ascii=False, separators=(",", ":")))
        errors.append(None)
    return out, errors


def _convert_column(values: Any, output: Optional[str], names: Tuple[str, str],
                    convert: Callable[[bytes], object]) -> Any:
    """:func:`convert_values` on every chunk of a column, as a table of ``names`` (two string
    columns) in the frame type ``output`` asks for (``validate_column``'s rules)."""
    kind = _kind(values)
    if output is None:
        output = kind
    if output not in ("arrow", "pandas", "polars"):
        raise ValueError('output must be "arrow", "pandas" or "polars"')
    pa = _pyarrow()
    schema = pa.schema([(names[0], pa.string()), (names[1], pa.string())])
    batches = []
    for chunk in _chunks(values, kind):
        chunk = pa.array(chunk)  # any __arrow_c_array__ object, as a pyarrow array
        if not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)
                or pa.types.is_binary(chunk.type) or pa.types.is_large_binary(chunk.type)
                or pa.types.is_null(chunk.type) or str(chunk.type) in ("string_view", "binary_view")):
            raise TypeError(
                "the values must be JSON as Arrow strings or binary, not Arrow type "
                f"{chunk.type}"
            )
        out, errors = convert_values(chunk, convert)
        batches.append(pa.RecordBatch.from_arrays(
            [pa.array(out, pa.string()), pa.array(errors, pa.string())], schema=schema))
    table = pa.Table.from_batches(batches, schema=schema)
    if output == "pandas":
        frame = table.to_pandas()
        if kind == "pandas":
            frame.index = values.index
        return frame
    if output == "polars":
        return _import("polars").from_arrow(table)
    return table


def to_fhir_column(
    values: Any,
    *,
    output: Optional[str] = None,
    type: str = "collection",
    profiles: str = "current",
    timestamp: Optional[str] = None,
    allow_invalid: bool = False,
) -> Any:
    """Export each record of a column of MODS JSON as a FHIR R4 Bundle, as
    :func:`mods.to_fhir` does, one row per value, in order: ``fhir`` holds the Bundle as
    JSON text, ``fhir_error`` why the record was not exported (invalid, another MODS
    version, not JSON, null), the other one null. ``mods.spark.to_fhir`` does the same per
    batch.

    Args:
        values: as for :func:`validate_column`.
        output: as for :func:`validate_column`.
        type, profiles, timestamp, allow_invalid: as for :func:`mods.to_fhir`.

    Raises:
        TypeError: values of another type.
        ValueError: an unknown ``output``.
    """
    opts: Dict[str, Any] = {
        "type": type, "profiles": profiles, "timestamp": timestamp, "allow_invalid": allow_invalid,
        "as_json": True,
    }
    return _convert_column(values, output, ("fhir", "fhir_error"), lambda b: _to_fhir(b, **opts))


def migrate_column(values: Any, to: str, *, output: Optional[str] = None, keep_lost: bool = False) -> Any:
    """Migrate each record of a column of MODS JSON to MODS ``to``, as :func:`mods.migrate`
    does, one row per value, in order: ``migrated`` holds the record as JSON text,
    ``migrated_error`` why it was not migrated (a loss without ``keep_lost``, not a record,
    null), the other one null. ``mods.spark.migrate`` does the same per batch.

    Args:
        values: as for :func:`validate_column`.
        to: the MODS version to migrate to.
        output: as for :func:`validate_column`.
        keep_lost: as for :func:`mods.migrate`.

    Raises:
        TypeError: values of another type.
        ValueError: ``to`` is not a MODS version this library supports, or an unknown
            ``output``.
    """
    if to not in _versions():
        raise ValueError(f"to must be one of {', '.join(_versions())}")
    return _convert_column(values, output, ("migrated", "migrated_error"),
                           lambda b: _migrate(b, to, keep_lost=keep_lost)["record"])
