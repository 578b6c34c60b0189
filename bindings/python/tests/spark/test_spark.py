"""``mods.spark`` on pyspark in local mode: the same verdicts as ``mods validate --format
json`` on the same NDJSON, record for record; string and binary columns, nulls, several
batches per partition; ``explode_issues`` and ``count_by_code``."""

from __future__ import annotations

import collections
import copy
import json
import pathlib
import subprocess
from typing import Any, Dict, List, Tuple

import pytest

import mods
import mods.spark

from conftest import ROOT, cli

CORPUS = ROOT / "tests" / "conformance" / "cases"
RECORDS = ROOT / "examples" / "records"


def lines() -> List[str]:
    """NDJSON lines: every record case of the corpus that has JSON input and no options,
    and the example records, each also with its NHS number broken."""
    out: List[str] = []
    for path in sorted(CORPUS.rglob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        if "input" in case and not case.get("options") and case.get("target", "record") == "record":
            out.append(json.dumps(case["input"], ensure_ascii=False))
    for path in sorted(RECORDS.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        out.append(json.dumps(record))
        broken = copy.deepcopy(record)
        if isinstance(broken.get("subject_of_care"), dict):
            broken["subject_of_care"]["nhs_number"] = "9434765918"
        out.append(json.dumps(broken))
    out.append("{")  # not JSON: an input-syntax report
    return out


def cli_verdicts(path: pathlib.Path) -> Dict[int, Tuple[bool, Any]]:
    p = subprocess.run(
        [str(cli()), "validate", "--format", "json", str(path)], capture_output=True, text=True
    )
    assert p.returncode in (0, 1), p.stderr
    doc = json.loads(p.stdout)
    [f] = doc["files"]
    return {
        r["line"]: (r["valid"], sorted((i["code"], i["severity"], i["path"]) for i in r["issues"]))
        for r in f["records"]
    }


@pytest.fixture(scope="module")
def ndjson(tmp_path_factory: Any) -> Tuple[pathlib.Path, List[str]]:
    ls = lines()
    assert len(ls) > 100
    path = tmp_path_factory.mktemp("spark") / "records.ndjson"
    path.write_text("\n".join(ls) + "\n", encoding="utf-8")
    return path, ls


def spark_verdicts(spark: Any, ls: List[str], binary: bool) -> Dict[int, Tuple[bool, Any]]:
    from pyspark.sql import functions as F

    df = spark.createDataFrame(list(enumerate(ls, start=1)), "line long, record string").repartition(3)
    if binary:
        df = df.withColumn("record", F.col("record").cast("binary"))
    checked = mods.spark.validate(df, "record")
    assert checked.columns == ["line", "record", "valid", "errors", "warnings", "issues"]
    rows = checked.collect()
    assert len(rows) == len(ls)
    out = {}
    for row in rows:
        issues = sorted((i["code"], i["severity"], i["pointer"]) for i in row["issues"])
        assert row["errors"] == sum(1 for i in issues if i[1] == "error")
        assert row["warnings"] == sum(1 for i in issues if i[1] == "warning")
        out[row["line"]] = (row["valid"], issues)
    return out


@pytest.mark.parametrize("binary", [False, True], ids=["string", "binary"])
def test_the_verdicts_of_the_cli_record_for_record(
    spark: Any, ndjson: Tuple[pathlib.Path, List[str]], binary: bool
) -> None:
    path, ls = ndjson
    want = cli_verdicts(path)
    assert sorted(want) == list(range(1, len(ls) + 1))
    got = spark_verdicts(spark, ls, binary)
    assert {v for v, _ in want.values()} == {True, False}
    differ = [n for n in want if want[n] != got[n]]
    assert not differ, f"lines {differ[:10]} differ: CLI {want[differ[0]]}, Spark {got[differ[0]]}"


def test_nulls_options_and_helpers(spark: Any) -> None:
    green = (RECORDS / "mr-green.json").read_text(encoding="utf-8")
    record = json.loads(green)
    record["subject_of_care"]["nhs_number"] = "9434765918"
    extra = dict(json.loads(green), extra_thing=1)
    rows = [("a", green), ("b", json.dumps(record)), ("c", None), ("d", json.dumps(extra))]
    df = spark.createDataFrame(rows, "id string, record string")
    lax = {r["id"]: r for r in mods.spark.validate(df, "record").collect()}
    assert [lax[k]["valid"] for k in "abcd"] == [True, False, False, True]
    assert [i["code"] for i in lax["c"]["issues"]] == ["input-syntax"]
    strict = {r["id"]: r["valid"] for r in mods.spark.validate(df, "record", strict=True).collect()}
    assert strict == {"a": True, "b": False, "c": False, "d": False}
    validator = mods.Validator(version="1.0", strict=True)
    pinned = {r["id"]: r["valid"] for r in mods.spark.validate(df, "record", validator=validator).collect()}
    assert pinned == strict

    checked = mods.spark.validate(df, "record", strict=True)
    exploded = mods.spark.explode_issues(checked)
    assert exploded.columns == ["id", "record", "valid", "errors", "warnings", "code", "severity", "pointer"]
    want = collections.Counter()
    for k in "abcd":
        for i in mods.validate_many([dict(rows)[k] or ""], strict=True)[0].issues:
            want[(i.code, i.severity)] += 1
    got = {(r["code"], r["severity"]): r["count"] for r in mods.spark.count_by_code(checked).collect()}
    assert got == dict(want)
    assert exploded.count() == sum(want.values())
    counted = mods.spark.count_by_code(checked).collect()
    assert all(r["records"] == 1 for r in counted)

    # only the columns asked for come back
    slim = mods.spark.validate(df, "record", columns=["id"])
    assert slim.columns == ["id", "valid", "errors", "warnings", "issues"]
    assert {r["id"]: r["valid"] for r in slim.collect()} == {k: lax[k]["valid"] for k in "abcd"}
    with pytest.raises(ValueError, match="no columns named"):
        mods.spark.validate(df, "record", columns=["id", "nope"])
    with pytest.raises(ValueError, match="no column"):
        mods.spark.validate(df, "nope")
    with pytest.raises(ValueError, match="already has"):
        mods.spark.validate(checked, "record")


def test_conversions_as_a_column(spark: Any) -> None:
    green = (RECORDS / "mr-green.json").read_text(encoding="utf-8")
    bad = json.loads(green)
    bad["subject_of_care"]["nhs_number"] = "9434765918"
    rows = [("a", green), ("b", json.dumps(bad)), ("c", None)]
    df = spark.createDataFrame(rows, "id string, record string")
    ts = "2026-01-14T21:00:00Z"
    got = {r["id"]: r for r in mods.spark.to_fhir(df, "record", columns=["id"], timestamp=ts).collect()}
    assert json.loads(got["a"]["fhir"]) == mods.to_fhir(green, timestamp=ts)
    assert got["a"]["fhir_error"] is None
    assert got["b"]["fhir"] is None and got["b"]["fhir_error"].startswith("ValueError")
    assert "9434765918" not in got["b"]["fhir_error"]
    assert got["c"]["fhir"] is None and got["c"]["fhir_error"] == "no document (null)"
    migrated = {r["id"]: r for r in mods.spark.migrate(df, "record", "1.1", output="m").collect()}
    assert json.loads(migrated["a"]["m"]) == mods.migrate(green, "1.1")["record"]
    assert migrated["a"]["m_error"] is None and migrated["c"]["m"] is None
    with pytest.raises(ValueError, match="to must be"):
        mods.spark.migrate(df, "record", "9.9")
