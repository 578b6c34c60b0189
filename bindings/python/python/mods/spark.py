"""MODS validation on Apache Spark (``pip install 'mods-sdk[spark]'``).

:func:`validate` adds the verdict of each record of a DataFrame column of MODS JSON
(string or binary) with ``mapInArrow``: each executor validates its Arrow batches with
:func:`mods.validate_column`'s native reader, on the batch's buffers, with the same engine
and so the same verdicts as ``mods validate``. The ``mods-sdk`` wheel must be installed on
the executors (docs/spark.md). pyspark is imported only by the functions that need it.

Example (a local session)::

    from pyspark.sql import SparkSession
    import mods.spark

    spark = SparkSession.builder.master("local[2]").getOrCreate()
    df = spark.read.text("examples/records/*.ndjson").withColumnRenamed("value", "record")
    checked = mods.spark.validate(df, "record")
    mods.spark.count_by_code(checked).show()
"""

from __future__ import annotations

import datetime
from typing import Any, Callable, Dict, Iterator, Mapping, Optional, Sequence, Union

from ._column import ISSUE_FIELDS, _import, convert_values, validate_arrow
from ._mods import Validator
from ._options import validator_from
from ._mods import migrate as _migrate
from ._mods import to_fhir as _to_fhir
from ._mods import versions as _versions

__all__ = [
    "RESULT_COLUMNS",
    "count_by_code",
    "explode_issues",
    "migrate",
    "result_schema",
    "to_fhir",
    "validate",
]

#: The columns :func:`validate` adds, in order.
RESULT_COLUMNS = ("valid", "errors", "warnings", "issues")


def result_schema() -> Any:
    """The Spark schema of the columns :func:`validate` adds."""
    T = _import("pyspark.sql.types")

    issue = T.StructType([T.StructField(name, T.StringType(), True) for name in ISSUE_FIELDS])
    return T.StructType(
        [
            T.StructField("valid", T.BooleanType(), True),
            T.StructField("errors", T.LongType(), True),
            T.StructField("warnings", T.LongType(), True),
            T.StructField("issues", T.ArrayType(issue, True), True),
        ]
    )


def _validate_batches(column: str, keep: Sequence[str], validator: Validator) -> Any:
    """The function ``mapInArrow`` runs on each partition: the ``keep`` columns of every
    batch with the result columns added (the validator is pickled to the executors with
    it)."""

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        pa = _import("pyarrow")

        for batch in batches:
            # one thread per task: Spark runs one task per core already
            result = validate_arrow(batch.column(column), validator, workers=1)
            arrays = [batch.column(c) for c in keep] + [
                result.column(name).combine_chunks() for name in RESULT_COLUMNS
            ]
            yield pa.RecordBatch.from_arrays(arrays, names=list(keep) + list(RESULT_COLUMNS))

    return run


def validate(
    df: Any,
    column: str,
    *,
    columns: Optional[Sequence[str]] = None,
    validator: Optional[Validator] = None,
    version: Optional[str] = None,
    class_: Optional[str] = None,
    strict: bool = False,
    include_values: bool = False,
    max_issues: int = 1000,
    limits: Optional[Mapping[str, int]] = None,
    terminology: Optional[Sequence[Union[Mapping[str, object], str, bytes]]] = None,
    unavailable_terminology: Optional[Sequence[str]] = None,
    today: Union[datetime.date, str, None] = None,
) -> Any:
    """The rows of ``df`` with the verdict on ``column`` (MODS JSON as string or binary):
    ``valid`` (bool), ``errors``, ``warnings`` (long) and ``issues`` (array of struct
    ``code``, ``severity``, ``pointer``). A null value is reported (``input-syntax``), not
    skipped.

    Args:
        df: A ``pyspark.sql.DataFrame``.
        column: The name of the column of JSON documents.
        columns: The columns of ``df`` to keep beside the results (default: all of them).
            Leaving out the documents themselves (``columns=["id"]``) saves sending them
            back from Python to the JVM, when only the verdicts are wanted.
        validator: A :class:`mods.Validator` (it is pickled to the executors, so its
            ``terminology`` must be a list of FHIR resources, not an
            ``OfflineTerminology``); the other options must then be left out.
        version, class_, strict, include_values, max_issues, limits, terminology,
        unavailable_terminology, today: As for :class:`mods.Validator`.

    Returns:
        pyspark.sql.DataFrame: lazily evaluated, as every Spark transformation.

    Raises:
        ValueError: no such column, or a column that already has one of the result names.
    """
    T = _import("pyspark.sql.types")

    if column not in df.columns:
        raise ValueError("df has no column of that name")
    keep = list(df.columns) if columns is None else list(columns)
    missing = [c for c in keep if c not in df.columns]
    if missing:
        raise ValueError(f"df has no columns named {', '.join(missing)}")
    clash = [c for c in RESULT_COLUMNS if c in keep]
    if clash:
        raise ValueError(f"df already has columns named {', '.join(clash)}: rename them first")
    validator = validator_from(
        validator, version=version, class_=class_, strict=strict,
        include_values=include_values, max_issues=max_issues, limits=limits,
        terminology=terminology, unavailable_terminology=unavailable_terminology, today=today,
    )
    fields = [df.schema[c] for c in keep]
    schema = T.StructType(fields + list(result_schema().fields))
    return df.mapInArrow(_validate_batches(column, keep, validator), schema)


def explode_issues(df: Any) -> Any:
    """One row per issue of a DataFrame made by :func:`validate`: its columns (but
    ``issues``) with ``code``, ``severity`` and ``pointer``. Rows without issues are
    left out."""
    F = _import("pyspark.sql.functions")

    keep = [F.col(f"`{c}`") for c in df.columns if c != "issues"]
    exploded = df.select(*keep, F.explode("issues").alias("_mods_issue"))
    return exploded.select(
        *keep, *[F.col(f"_mods_issue.{name}").alias(name) for name in ISSUE_FIELDS]
    )


def count_by_code(df: Any) -> Any:
    """How many issues of each code and severity a DataFrame made by :func:`validate` has,
    most frequent first: columns ``code``, ``severity``, ``count``, ``records`` (rows with
    at least one)."""
    F = _import("pyspark.sql.functions")

    issues = df.select(F.monotonically_increasing_id().alias("_mods_row"), "issues")
    exploded = issues.select("_mods_row", F.explode("issues").alias("i")).select(
        "_mods_row", F.col("i.code").alias("code"), F.col("i.severity").alias("severity")
    )
    return (
        exploded.groupBy("code", "severity")
        .agg(F.count(F.lit(1)).alias("count"), F.countDistinct("_mods_row").alias("records"))
        .orderBy(F.desc("count"), "code")
    )


def _convert_batches(
    column: str, keep: Sequence[str], names: Sequence[str], convert: Callable[[bytes], object]
) -> Any:
    """``mapInArrow``'s function for a conversion: each value converted and written as JSON
    text, or the error's message (which never holds the record's data)."""

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        pa = _import("pyarrow")
        for batch in batches:
            out, errors = convert_values(batch.column(column), convert)
            arrays = [batch.column(c) for c in keep] + [
                pa.array(out, pa.string()),
                pa.array(errors, pa.string()),
            ]
            yield pa.RecordBatch.from_arrays(arrays, names=list(keep) + list(names))

    return run


def _convert(df: Any, column: str, columns: Optional[Sequence[str]], names: Sequence[str],
             convert: Callable[[bytes], object]) -> Any:
    T = _import("pyspark.sql.types")
    if column not in df.columns:
        raise ValueError("df has no column of that name")
    keep = list(df.columns) if columns is None else list(columns)
    missing = [c for c in keep if c not in df.columns]
    if missing:
        raise ValueError(f"df has no columns named {', '.join(missing)}")
    clash = [c for c in names if c in keep]
    if clash:
        raise ValueError(f"df already has columns named {', '.join(clash)}: rename them first")
    fields = [df.schema[c] for c in keep] + [T.StructField(n, T.StringType(), True) for n in names]
    return df.mapInArrow(_convert_batches(column, keep, names, convert), T.StructType(fields))


def to_fhir(
    df: Any,
    column: str,
    *,
    columns: Optional[Sequence[str]] = None,
    output: str = "fhir",
    type: str = "collection",
    profiles: str = "current",
    timestamp: Optional[str] = None,
    allow_invalid: bool = False,
) -> Any:
    """The rows of ``df`` with each record of ``column`` exported as a FHIR R4 Bundle, as
    :func:`mods.to_fhir` does: ``output`` (default ``fhir``) holds the Bundle as JSON text,
    ``<output>_error`` why a record was not exported (invalid, another MODS version, null),
    the other one null. ``columns`` as for :func:`validate`."""
    opts: Dict[str, Any] = {
        "type": type, "profiles": profiles, "timestamp": timestamp, "allow_invalid": allow_invalid,
        "as_json": True,
    }
    return _convert(df, column, columns, (output, f"{output}_error"),
                    lambda b: _to_fhir(b, **opts))


def migrate(
    df: Any,
    column: str,
    to: str,
    *,
    columns: Optional[Sequence[str]] = None,
    output: str = "migrated",
    keep_lost: bool = False,
) -> Any:
    """The rows of ``df`` with each record of ``column`` migrated to MODS ``to``, as
    :func:`mods.migrate` does: ``output`` (default ``migrated``) holds the record as JSON
    text, ``<output>_error`` why it was not migrated (a loss without ``keep_lost``, not a
    record, null), the other one null. ``columns`` as for :func:`validate`.

    Raises:
        ValueError: ``to`` is not a MODS version this library supports.
    """
    if to not in _versions():
        raise ValueError(f"to must be one of {', '.join(_versions())}")
    return _convert(df, column, columns, (output, f"{output}_error"),
                    lambda b: _migrate(b, to, keep_lost=keep_lost)["record"])
