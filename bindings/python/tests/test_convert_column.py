"""``mods.to_fhir_column`` and ``mods.migrate_column``: a column of JSON converted record
by record, as ``mods.to_fhir`` / ``mods.migrate`` convert each one, with the reason a
record was not converted beside it (the code ``mods.spark``'s conversions run per batch)."""

from __future__ import annotations

import copy
import json
from typing import Any, Dict, List, Optional

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import mods

STAMP = "2026-01-02T03:04:05Z"


def values(green: Dict[str, Any]) -> List[Optional[str]]:
    bad = copy.deepcopy(green)
    bad["subject_of_care"]["nhs_number"] = "9434765918"  # a wrong check digit: invalid
    return [json.dumps(green), json.dumps(bad), "{", None]


def test_to_fhir_column_gives_to_fhir_s_bundles_and_the_reasons(green: Dict[str, Any]) -> None:
    vals = values(green)
    want = mods.to_fhir(json.dumps(green).encode(), timestamp=STAMP)
    for column in (pa.array(vals), pa.array(vals, pa.string_view()),
                   pa.array([v.encode() if v is not None else None for v in vals], pa.binary()),
                   pa.chunked_array([pa.array(vals[:1]), pa.array(vals[1:])])):
        table = mods.to_fhir_column(column, timestamp=STAMP)
        assert table.schema.names == ["fhir", "fhir_error"]
        rows = table.to_pylist()
        assert json.loads(rows[0]["fhir"]) == want and rows[0]["fhir_error"] is None
        for row in rows[1:]:
            assert row["fhir"] is None and row["fhir_error"]
        assert rows[3]["fhir_error"] == "no document (null)"
        # the reasons never hold the record's data
        assert "9434765918" not in rows[1]["fhir_error"]
    # allow_invalid as for mods.to_fhir
    lenient = mods.to_fhir_column(pa.array(vals[:2]), timestamp=STAMP, allow_invalid=True)
    assert lenient.column("fhir_error").to_pylist()[1] is None


def test_migrate_column_gives_migrate_s_records(green: Dict[str, Any]) -> None:
    vals = values(green)
    table = mods.migrate_column(pa.array(vals), "1.1")
    assert table.schema.names == ["migrated", "migrated_error"]
    rows = table.to_pylist()
    assert json.loads(rows[0]["migrated"]) == mods.migrate(json.dumps(green).encode(), "1.1")["record"]
    assert rows[2]["migrated"] is None and rows[2]["migrated_error"]
    assert rows[3]["migrated_error"] == "no document (null)"
    with pytest.raises(ValueError, match="to must be one of"):
        mods.migrate_column(pa.array(vals), "9.9")


def test_frames_in_frames_out(green: Dict[str, Any]) -> None:
    vals = values(green)
    s = pd.Series(vals, index=[5, 6, 7, 8])
    frame = mods.to_fhir_column(s, timestamp=STAMP)
    assert isinstance(frame, pd.DataFrame) and list(frame.index) == [5, 6, 7, 8]
    assert list(frame["fhir"].isna()) == [False, True, True, True]
    p = mods.migrate_column(pl.Series("record", vals), "1.1")
    assert isinstance(p, pl.DataFrame) and p["migrated"].is_null().to_list() == [False, False, True, True]
    assert isinstance(mods.migrate_column(pl.Series("record", vals), "1.1", output="arrow"), pa.Table)


def test_other_types_and_outputs_are_refused() -> None:
    with pytest.raises(TypeError, match="Arrow type"):
        mods.to_fhir_column(pa.array([1, 2]))
    with pytest.raises(TypeError):
        mods.migrate_column([b"{}"], "1.1")
    with pytest.raises(ValueError, match="output"):
        mods.to_fhir_column(pa.array(["{}"]), output="excel")
