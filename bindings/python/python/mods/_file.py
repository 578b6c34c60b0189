"""``validate_file``: validate the records of a JSON or NDJSON file."""

from __future__ import annotations

import datetime
import os
from typing import Iterator, List, Literal, Mapping, Optional, Sequence, Union, overload

from ._mods import OfflineTerminology, Report, Validator
from ._options import validator_from

__all__ = ["validate_file"]

_NDJSON_ENDINGS = (".ndjson", ".jsonl")

#: Lines validated at a time when a file is read lazily.
_BATCH_LINES = 8192


def _format_of(path: Union[str, "os.PathLike[str]"], format: Optional[str]) -> str:
    if format is None:
        return "ndjson" if os.fspath(path).lower().endswith(_NDJSON_ENDINGS) else "json"
    if format not in ("json", "ndjson"):
        raise ValueError('format must be "json" or "ndjson"')
    return format


def _lines(path: Union[str, "os.PathLike[str]"]) -> Iterator[bytes]:
    """The non-blank lines of a file, as bytes (blank lines, empty or only white space, are
    skipped, as the CLI does)."""
    with open(path, "rb") as f:
        for line in f:
            if line.strip():
                yield line


def _lazy(v: Validator, path: Union[str, "os.PathLike[str]"], workers: Optional[int]) -> Iterator[Report]:
    batch: List[bytes] = []
    for line in _lines(path):
        batch.append(line)
        if len(batch) >= _BATCH_LINES:
            yield from v.validate_many(batch, workers=workers)
            batch = []
    if batch:
        yield from v.validate_many(batch, workers=workers)


@overload
def validate_file(
    path: Union[str, "os.PathLike[str]"],
    *,
    format: Optional[str] = None,
    lazy: Literal[False] = False,
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
) -> List[Report]: ...


@overload
def validate_file(
    path: Union[str, "os.PathLike[str]"],
    *,
    format: Optional[str] = None,
    lazy: Literal[True],
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
) -> Iterator[Report]: ...


def validate_file(
    path: Union[str, "os.PathLike[str]"],
    *,
    format: Optional[str] = None,
    lazy: bool = False,
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
) -> Union[List[Report], Iterator[Report]]:
    """Validate the records of a file: one JSON document, or NDJSON (one per line).

    The format follows the file name (``.ndjson`` and ``.jsonl`` are NDJSON, anything else
    one JSON document), or ``format``. As in ``mods validate``, each NDJSON line that is not
    blank is one record (blank lines are skipped), and a record that cannot be read as JSON
    gets a report holding its one ``input-*`` issue instead of stopping the file.

    Args:
        path: The file.
        format: ``"json"`` or ``"ndjson"`` (default: by the file name).
        lazy: Return an iterator that reads and validates the file in batches of lines, so
            memory stays flat however long an NDJSON file is (default: a list).
        workers: Threads per batch, as for :func:`validate_many`.
        validator: A :class:`Validator` to use; the other options must then be left out.
        version, class_, strict, include_values, max_issues, limits, terminology,
        unavailable_terminology, today: As for :class:`Validator`.

    Returns:
        list[Report] (or an iterator of them with ``lazy=True``): one report per record,
        in file order; a JSON file gives a list of one.

    Raises:
        OSError: the file cannot be read.
        ValueError: an unknown ``format``, or ``validator`` given with other options.
    """
    fmt = _format_of(path, format)
    validator = validator_from(
        validator, version=version, class_=class_, strict=strict,
        include_values=include_values, max_issues=max_issues, limits=limits,
        terminology=terminology, unavailable_terminology=unavailable_terminology, today=today,
    )
    if fmt == "json":
        with open(path, "rb") as f:
            data = f.read()
        reports = validator.validate_many([data], workers=1)
        return iter(reports) if lazy else reports
    if lazy:
        return _lazy(validator, path, workers)
    return validator.validate_many(list(_lines(path)), workers=workers)
