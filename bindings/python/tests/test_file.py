"""``mods.validate_file`` (JSON and NDJSON) and the hint when a file name or a path is
passed where JSON is expected."""

from __future__ import annotations

import copy
import json
import pathlib
from typing import Any, Dict

import pytest

import mods

from conftest import RECORDS


def bad(record: Dict[str, Any]) -> Dict[str, Any]:
    r = copy.deepcopy(record)
    r["subject_of_care"]["nhs_number"] = "9434765918"
    return r


def test_a_json_file(tmp_path: pathlib.Path, green: Dict[str, Any]) -> None:
    [r] = mods.validate_file(RECORDS / "mr-green.json")
    assert r == mods.validate(green)
    p = tmp_path / "bad.json"
    p.write_text(json.dumps(bad(green)))
    [r] = mods.validate_file(str(p), strict=True)
    assert r == mods.validate(bad(green), strict=True)
    p.write_text("{")
    [r] = mods.validate_file(p)
    assert [i.code for i in r.issues] == ["input-syntax"]


def test_an_ndjson_file(tmp_path: pathlib.Path, green: Dict[str, Any]) -> None:
    lines = [json.dumps(green), "", "   ", json.dumps(bad(green)), "{", json.dumps(green)]
    for name in ("batch.ndjson", "batch.jsonl"):
        p = tmp_path / name
        p.write_text("\n".join(lines) + "\n")
        got = mods.validate_file(p)
        assert isinstance(got, list)
        # blank lines are skipped, as the CLI does
        assert [r.valid for r in got] == [True, False, False, True]
        assert got[1] == mods.validate(bad(green))
        lazy = mods.validate_file(p, lazy=True)
        assert not isinstance(lazy, list)
        assert list(lazy) == got
    # by option, whatever the name
    p = tmp_path / "export.txt"
    p.write_text("\n".join(lines))
    assert [r.valid for r in mods.validate_file(p, format="ndjson")] == [True, False, False, True]
    with pytest.raises(ValueError):
        mods.validate_file(p, format="csv")


def test_a_validator_or_options(tmp_path: pathlib.Path, green: Dict[str, Any]) -> None:
    v = mods.Validator(version="1.0")
    p = tmp_path / "r.json"
    p.write_text(json.dumps(dict(green, mods_version="1.1")))
    [r] = mods.validate_file(p, validator=v)
    assert [i.code for i in r.issues] == ["mods-version-unsupported"]
    with pytest.raises(ValueError, match="either"):
        mods.validate_file(p, validator=v, strict=True)
    with pytest.raises(OSError):
        mods.validate_file(tmp_path / "missing.json")


@pytest.mark.parametrize("name", ["record.json", "  export.NDJSON", "c:\\data\\x.jsonl"])
def test_a_file_name_is_not_json(name: str) -> None:
    for f in (mods.validate, mods.Validator().validate, mods.Validator().is_valid, mods.to_fhir):
        with pytest.raises(TypeError, match="file name") as e:
            f(name)
        assert "validate_file" in str(e.value)
    with pytest.raises(TypeError, match=r"records\[1\]"):
        mods.Validator().validate_many(["{}", name])


def test_an_existing_path_is_not_json(tmp_path: pathlib.Path) -> None:
    p = tmp_path / "record"
    p.write_text("{}")
    with pytest.raises(TypeError, match="path that exists") as e:
        mods.validate(str(p))
    # the message does not quote the value
    assert str(p) not in str(e.value)
    with pytest.raises(TypeError, match="os.PathLike"):
        mods.validate(p)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="os.PathLike"):
        mods.Validator().validate(p)  # type: ignore[arg-type]


def test_json_text_is_still_json() -> None:
    # a JSON text is read as JSON whatever it ends in; a str that is neither is an input error
    assert not mods.validate('{"note": "x.json"}').valid
    assert not mods.validate("[]").valid
    with pytest.raises(mods.InputError):
        mods.validate("not json")


def test_a_validator_and_options_together_are_refused(green: Dict[str, Any]) -> None:
    pa = pytest.importorskip("pyarrow")
    v = mods.Validator(strict=True)
    column = pa.array([json.dumps(green)])
    # the validator alone, or options alone, are taken...
    [r] = mods.validate_file(RECORDS / "mr-green.json", validator=v)
    assert r == mods.validate(green, strict=True)
    assert mods.validate_column(column, validator=v).num_rows == 1
    assert mods.validate_column(column, strict=True).num_rows == 1
    # ...both at once is an error, whichever option is set
    for options in ({"strict": True}, {"max_issues": 5}, {"version": "1.0"}, {"today": "2026-01-01"}):
        with pytest.raises(ValueError, match="either validator or validation options"):
            mods.validate_file(RECORDS / "mr-green.json", validator=v, **options)
        with pytest.raises(ValueError, match="either validator or validation options"):
            mods.validate_column(column, validator=v, **options)
