"""``mods.validate_column``: Arrow, pandas and polars columns of JSON, read from the Arrow
buffers; the same verdicts as ``mods.validate`` on the whole conformance corpus."""

from __future__ import annotations

import base64
import copy
import json
import pathlib
import struct
from collections import Counter
from typing import Any, Dict, List, Tuple

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import mods

from conftest import CORPUS, load
from test_conformance import CASES, options


def raw(case: Dict[str, Any]) -> bytes:
    if "input" in case:
        return json.dumps(case["input"], ensure_ascii=False).encode()
    if "input_text" in case:
        return str(case["input_text"]).encode()
    return base64.b64decode(case["input_base64"])


def triples(issues: Any) -> Counter:  # type: ignore[type-arg]
    return Counter((i["code"], i["pointer"], i["severity"]) for i in issues)


def test_the_corpus_gives_the_verdicts_of_validate() -> None:
    # one column per set of options; every case in it, as binary and as text where it is UTF-8
    groups: Dict[str, List[Tuple[pathlib.Path, bytes]]] = {}
    for path in CASES:
        case = load(path)
        key = json.dumps([case.get("options"), case.get("target", "record")], sort_keys=True)
        groups.setdefault(key, []).append((path, raw(case)))
    checked = 0
    for key, items in groups.items():
        case = load(items[0][0])
        kw = options(case)
        values = [b for _, b in items]
        columns = [pa.array(values, pa.binary())]
        try:
            columns.append(pa.array([b.decode() for b in values], pa.string()))
        except UnicodeDecodeError:
            pass
        for column in columns:
            table = mods.validate_column(column, **kw)
            assert table.num_rows == len(items)
            for (path, b), row in zip(items, table.to_pylist()):
                [want] = mods.validate_many([b], **kw)
                assert row["valid"] == want.valid == load(path)["expect"]["valid"], path
                assert row["errors"] == len(want.errors()) and row["warnings"] == len(want.warnings())
                assert triples(row["issues"]) == triples(
                    {"code": i.code, "pointer": i.pointer, "severity": i.severity} for i in want.issues
                ), path
                checked += 1
    assert checked >= len(CASES)


def records(green: Dict[str, Any]) -> List[str]:
    bad = copy.deepcopy(green)
    bad["subject_of_care"]["nhs_number"] = "9434765918"
    return [json.dumps(green), json.dumps(bad), "{", json.dumps(green)]


@pytest.mark.parametrize(
    "arrow_type",
    [pa.string(), pa.large_string(), pa.string_view(), pa.binary(), pa.large_binary(), pa.binary_view()],
)
def test_every_string_and_binary_layout(arrow_type: Any, green: Dict[str, Any]) -> None:
    values: List[Any] = records(green) + [None]
    if arrow_type in (pa.binary(), pa.large_binary(), pa.binary_view()):
        values = [v.encode() if v is not None else None for v in values]
    column = pa.array(values, arrow_type)
    table = mods.validate_column(column)
    assert table.schema.names == ["valid", "errors", "warnings", "issues"]
    assert table.column("valid").to_pylist() == [True, False, False, True, False]
    rows = table.to_pylist()
    assert rows[1]["issues"] == [
        {"code": "nhs-number-check-digit", "severity": "error", "pointer": "/subject_of_care/nhs_number"}
    ]
    # a null is reported, not skipped: there is no document
    assert [i["code"] for i in rows[4]["issues"]] == ["input-syntax"]
    # a slice (an offset into the buffers) and a chunked array give the same rows
    assert mods.validate_column(column.slice(1, 3)).to_pylist() == rows[1:4]
    chunked = pa.chunked_array([column.slice(0, 2), column.slice(2)])
    assert mods.validate_column(chunked).to_pylist() == rows


def test_short_values_held_in_the_views(green: Dict[str, Any]) -> None:
    # string_view keeps values of up to 12 bytes in the view itself
    column = pa.array(["{}", "[]", "null", "{", json.dumps(green)], pa.string_view())
    got = [r.valid for r in mods.validate_many(["{}", "[]", "null", "{", json.dumps(green)])]
    assert mods.validate_column(column).column("valid").to_pylist() == got


def test_pandas_in_pandas_out(green: Dict[str, Any]) -> None:
    s = pd.Series(records(green) + [None], index=[10, 11, 12, 13, 14], name="record")
    frame = mods.validate_column(s)
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.index) == [10, 11, 12, 13, 14]
    assert list(frame["valid"]) == [True, False, False, True, False]
    assert list(frame["errors"]) == [0, 1, 1, 0, 1]
    assert isinstance(mods.validate_column(s, output="arrow"), pa.Table)
    # bytes too
    b = pd.Series([v.encode() for v in records(green)])
    assert list(mods.validate_column(b)["valid"]) == [True, False, False, True]


def test_polars_in_polars_out(green: Dict[str, Any]) -> None:
    s = pl.Series("record", records(green) + [None])
    frame = mods.validate_column(s)
    assert isinstance(frame, pl.DataFrame)
    assert frame["valid"].to_list() == [True, False, False, True, False]
    assert frame["issues"].to_list()[1][0]["code"] == "nhs-number-check-digit"
    assert isinstance(mods.validate_column(s, output="pandas"), pd.DataFrame)
    b = pl.Series("record", [v.encode() for v in records(green)], dtype=pl.Binary)
    assert mods.validate_column(b)["valid"].to_list() == [True, False, False, True]


def test_options_and_a_validator(green: Dict[str, Any]) -> None:
    column = pa.array([json.dumps(dict(green, extra=1)), json.dumps(dict(green, mods_version="1.1"))])
    lax = mods.validate_column(column).column("valid").to_pylist()
    strict = mods.validate_column(column, strict=True).column("valid").to_pylist()
    assert lax[0] is True and strict[0] is False
    pinned = mods.validate_column(column, validator=mods.Validator(version="1.0")).to_pylist()
    assert [i["code"] for i in pinned[1]["issues"]] == ["mods-version-unsupported"]
    with pytest.raises(ValueError, match="either"):
        mods.validate_column(column, validator=mods.Validator(), strict=True)
    with pytest.raises(ValueError, match="output"):
        mods.validate_column(column, output="excel")


def test_other_types_are_refused() -> None:
    with pytest.raises(TypeError, match="Arrow type"):
        mods.validate_column(pa.array([1, 2, 3]))
    with pytest.raises(TypeError):
        mods.validate_column([b"{}"])
    # an empty column gives an empty table with the columns
    t = mods.validate_column(pa.array([], pa.string()))
    assert t.num_rows == 0 and t.schema.names == ["valid", "errors", "warnings", "issues"]
    # every value null
    assert mods.validate_column(pa.nulls(2)).column("valid").to_pylist() == [False, False]


def test_malformed_arrays_are_refused_before_a_value_is_read() -> None:
    # buffers that do not agree with the type (pyarrow's from_buffers checks only their
    # sizes): arrow checks every offset and view before any value is read, so a bad one is a
    # ValueError, never a read past the end of a buffer
    view_past_the_end = struct.pack("<i4sii", 20, b'{"a"', 0, 1000)  # 20 bytes at 1000 of 2
    bad_view = pa.Array.from_buffers(pa.string_view(), 1, [None, pa.py_buffer(view_past_the_end), pa.py_buffer(b"{}")])
    with pytest.raises(ValueError, match="malformed Arrow array"):
        mods.validate_column(bad_view)
    offsets_out_of_order = pa.py_buffer(struct.pack("<3i", 0, 2, 1))
    for t in (pa.string(), pa.binary()):
        bad = pa.Array.from_buffers(t, 2, [None, offsets_out_of_order, pa.py_buffer(b"{}")])
        with pytest.raises(ValueError, match="malformed Arrow array"):
            mods.validate_column(bad)
    # the message names no value
    with pytest.raises(ValueError) as e:
        mods.validate_column(pa.Array.from_buffers(pa.string(), 2, [None, offsets_out_of_order, pa.py_buffer(b"{}")]))
    assert "{}" not in str(e.value)


def test_text_that_is_not_utf8_is_that_row_s_input_encoding() -> None:
    # an Arrow string array whose bytes are not UTF-8 (a producer's fault): the row is
    # reported as input-encoding, as the same bytes in a binary array are; the column is kept
    offsets = pa.py_buffer(struct.pack("<3i", 0, 2, 4))
    for t in (pa.string(), pa.binary()):
        column = pa.Array.from_buffers(t, 2, [None, offsets, pa.py_buffer(b"\xff{{}")])
        rows = mods.validate_column(column).to_pylist()
        assert [r["valid"] for r in rows] == [False, False]
        assert [i["code"] for i in rows[0]["issues"]] == ["input-encoding"]
