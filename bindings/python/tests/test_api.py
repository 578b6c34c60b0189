"""The Python API: reports, issues, errors, look-ups, privacy."""

from __future__ import annotations

import copy
import datetime
import json
import pickle
from typing import Any, Dict

import pytest

import mods

BAD_NHS = "9434765918"


def with_bad_nhs(record: Dict[str, Any]) -> Dict[str, Any]:
    r = copy.deepcopy(record)
    r["subject_of_care"]["nhs_number"] = BAD_NHS
    return r


def test_valid_record_all_input_forms(green: Dict[str, Any]) -> None:
    text = json.dumps(green)
    for value in (green, text, text.encode(), bytearray(text.encode()), memoryview(text.encode())):
        r = mods.validate(value)
        assert r.valid and r.issues == [] and r.omitted == 0 and len(r) == 0


def test_issue_attributes(green: Dict[str, Any]) -> None:
    r = mods.validate(with_bad_nhs(green))
    assert not r.valid
    [i] = r.errors()
    assert i.code == "nhs-number-check-digit"
    assert i.severity == "error"
    assert i.pointer == "/subject_of_care/nhs_number"
    assert i.path == ["subject_of_care", "nhs_number"]
    assert isinstance(i.message, str) and i.message
    assert isinstance(i.context, dict)
    assert r.warnings() == []
    d = r.to_dict()
    assert d["valid"] is False and d["issues"][0]["pointer"] == i.pointer
    assert d["issues"][0]["path"] == i.path
    assert json.loads(r.to_json())["issues"][0]["path"] == i.pointer
    assert i == r.issues[0] and hash(i) == hash(r.issues[0])
    assert r == mods.validate(with_bad_nhs(green))


def test_int_path_segments(green: Dict[str, Any]) -> None:
    r = copy.deepcopy(green)
    r["alert"][0]["status"] = {"code": "nope"}
    issues = [i for i in mods.validate(r).issues if i.code == "code-not-in-value-set"]
    assert issues and issues[0].path[:2] == ["alert", 0]
    assert issues[0].pointer.startswith("/alert/0/")


def test_no_person_data_in_str_or_repr(green: Dict[str, Any]) -> None:
    r = mods.validate(with_bad_nhs(green))
    texts = [str(r), repr(r)] + [str(i) for i in r.issues] + [repr(i) for i in r.issues]
    with pytest.raises(mods.ValidationError) as e:
        mods.check(with_bad_nhs(green))
    texts += [str(e.value), repr(e.value)]
    for t in texts:
        assert BAD_NHS not in t
    assert "value" not in r.issues[0].context


def test_include_values_puts_value_in_context_only(green: Dict[str, Any]) -> None:
    r = mods.validate(with_bad_nhs(green), include_values=True)
    [i] = r.errors()
    assert i.context["value"] == BAD_NHS
    assert BAD_NHS not in str(r) + repr(r) + str(i) + repr(i)


def test_check(green: Dict[str, Any]) -> None:
    assert mods.check(green).valid
    with pytest.raises(mods.ValidationError) as e:
        mods.check(with_bad_nhs(green))
    assert isinstance(e.value, ValueError) and isinstance(e.value, mods.ModsError)
    assert [i.code for i in e.value.issues] == ["nhs-number-check-digit"]
    assert e.value.report.valid is False


def test_strict_and_unknown_elements(green: Dict[str, Any]) -> None:
    r = copy.deepcopy(green)
    r["subject_of_care"]["favourite_colour"] = "blue"
    lax = mods.validate(r)
    assert lax.valid and [i.code for i in lax.warnings()] == ["unknown-element"]
    strict = mods.validate(r, strict=True)
    assert not strict.valid and [i.severity for i in strict.issues] == ["error"]


def test_max_issues() -> None:
    r = mods.validate({"mods_version": "1.0", "a": 1, "b": 2, "c": 3, "d": 4}, max_issues=2)
    assert r.omitted > 0 and len(r.issues) <= 3


def test_class_target() -> None:
    r = mods.validate({"status": {"code": "active"}}, class_="alert")
    assert isinstance(r, mods.Report)
    with pytest.raises(ValueError, match="not a record or component class"):
        mods.validate({}, class_="no_such_class")


def test_input_error() -> None:
    with pytest.raises(mods.InputError) as e:
        mods.validate('{"mods_version": "1.0",')
    err = e.value
    assert isinstance(err, ValueError) and isinstance(err, mods.ModsError)
    assert err.code == "input-syntax" and err.line == 1
    assert "input-syntax" in str(err)
    with pytest.raises(mods.InputError) as e:
        mods.validate(b"\xff\xfe{}")
    assert e.value.code == "input-encoding"


def test_limits_option() -> None:
    with pytest.raises(mods.InputError) as e:
        mods.validate({"a": [[[]]]}, limits={"max_depth": 2})
    assert e.value.code == "input-too-deep" and e.value.pointer == "/a/0"
    with pytest.raises(ValueError, match="unknown limit"):
        mods.validate({}, limits={"max_everything": 1})
    with pytest.raises(TypeError):
        mods.validate({}, limits=[1, 2])  # type: ignore[arg-type]


def test_today_option(green: Dict[str, Any]) -> None:
    r = copy.deepcopy(green)
    r["subject_of_care"]["date_of_birth"] = "2026-12-25"
    r["subject_of_care"].pop("person_demographics", None)

    def implausible(report: mods.Report) -> list[str]:
        return [i.pointer for i in report.issues if i.code == "implausible-date"]

    # born on Christmas Day 2026: in the future seen from 1 December 2026, not from 2027
    for today in (datetime.date(2026, 12, 1), "2026-12-01"):
        rep = mods.validate(r, today=today)
        assert rep.valid and implausible(rep) == ["/subject_of_care/date_of_birth"]
        [many] = mods.validate_many([r], today=today)
        assert implausible(many) == ["/subject_of_care/date_of_birth"]
    assert implausible(mods.validate(r, today=datetime.date(2027, 1, 1))) == []
    assert implausible(mods.check(r, today="2026-12-01")) == ["/subject_of_care/date_of_birth"]
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        mods.validate(r, today="2026-02-30")
    with pytest.raises(TypeError, match="use .date"):
        mods.validate(r, today=datetime.datetime(2026, 12, 1, 9, 0))
    with pytest.raises(TypeError):
        mods.validate(r, today=20261201)  # type: ignore[arg-type]


def test_validate_many_matches_validate(green: Dict[str, Any]) -> None:
    records = [green, with_bad_nhs(green), "not json", json.dumps(green).encode()] * 10
    many = mods.validate_many(records, workers=2)
    assert len(many) == len(records)
    for rec, rep in zip(records, many):
        if rec == "not json":
            assert [i.code for i in rep.issues] == ["input-syntax"] and not rep.valid
        else:
            assert rep == mods.validate(rec)
    assert mods.validate_many([]) == []
    assert mods.validate_many(iter([green]), workers=1)[0].valid
    with pytest.raises(ValueError):
        mods.validate_many([green], workers=0)
    with pytest.raises(TypeError, match=r"records\[1\]"):
        mods.validate_many([green, {"x": {1, 2}}])


def test_terminology_options() -> None:
    cs = {
        "resourceType": "CodeSystem",
        "url": "http://example.org/cs",
        "concept": [{"code": "a", "display": "A"}],
    }
    t = mods.OfflineTerminology([cs])
    assert len(t) == 1 and "OfflineTerminology" in repr(t)
    with pytest.raises(ValueError):
        mods.OfflineTerminology([{"resourceType": "Patient"}])
    with pytest.raises(TypeError):
        mods.OfflineTerminology(cs)
    with pytest.raises(TypeError):
        mods.validate({}, unavailable_terminology="http://snomed.info/sct")


def test_lookups() -> None:
    assert "1.0" in mods.versions() and mods.latest_version() in mods.versions()
    names = {c["technical_name"] for c in mods.classes()}
    assert {"subject_of_care", "alert"} <= names
    assert mods.classes(mods.versions()[0])
    with pytest.raises(ValueError):
        mods.classes("9.9")
    vs = mods.value_sets()
    assert any(v["id"] == "ethnic_category" for v in vs)
    codes = mods.codes("ethnic_category")
    assert codes and set(codes[0]) == {"value_set", "system", "code", "display"}
    assert mods.display("ethnic_category", "A") == "White - British"
    assert mods.display("ethnic_category", "not-a-code") is None
    with pytest.raises(ValueError):
        mods.codes("no_such_value_set")
    assert any(c["code"] == "A" for c in mods.search_codes("british", "ethnic_category"))
    assert mods.search_codes("british")


def test_value_sets_spanning_several_code_systems() -> None:
    v2 = "http://terminology.hl7.org/CodeSystem/v2-0131"
    rel = mods.codes("person_relationship_type")
    assert {"code": "N", "system": v2} == {k: c[k] for c in rel if c["code"] == "N" for k in ("code", "system")}
    lang = next(v for v in mods.value_sets() if v["id"] == "language_code")
    assert "system" not in lang
    assert [i["system"] for i in lang["includes"]][1] == "urn:ietf:bcp:47"
    assert lang["includes"][1]["grammar"] == "bcp47"


def test_glossary_and_catalogue() -> None:
    g = mods.glossary()
    assert len(g["terms"]) > 10
    assert mods.glossary("Unpaid-Carer")["id"] == "unpaid-carer"
    with pytest.raises(KeyError):
        mods.glossary("no such term at all")
    assert mods.search_glossary("budget")
    codes = mods.issue_codes()
    assert "nhs-number-check-digit" in codes and len(codes) == len(set(codes))
    e = mods.explain("nhs-number-check-digit")
    assert e["severity"] == "error" and "Modulus 11" in e["explanation"]
    with pytest.raises(ValueError):
        mods.explain("no-such-code")


def test_schema() -> None:
    s = mods.schema()
    assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert s["properties"]["mods_version"]["const"] == mods.latest_version()
    assert mods.schema(class_="alert")["type"] == "object"
    with pytest.raises(ValueError):
        mods.schema(class_="nope")
    with pytest.raises(ValueError):
        mods.schema("9.9")


def test_migrate_and_diff(green: Dict[str, Any]) -> None:
    versions = mods.versions()
    d = mods.diff_spec(versions[0], versions[-1])
    assert d["from"] == versions[0] and isinstance(d["entries"], list)
    with pytest.raises(ValueError):
        mods.diff_spec("1.0", "9.9")
    with pytest.raises(mods.MigrationError):
        mods.migrate({"no": "version"}, "1.0")
    m = mods.migrate(green, green["mods_version"])
    assert m["record"]["mods_version"] == green["mods_version"]


def test_reports_are_not_picklable_by_accident(green: Dict[str, Any]) -> None:
    # native objects: to_dict() is the way to keep or send a report
    r = mods.validate(green)
    with pytest.raises(Exception):
        pickle.dumps(r)
    assert pickle.loads(pickle.dumps(r.to_dict()))["valid"] is True


def test_version_and_typing_marker() -> None:
    import importlib.resources

    assert mods.__version__
    assert (importlib.resources.files("mods") / "py.typed").is_file()


def test_record_diff_of_mrs_smiths_fall() -> None:
    from conftest import RECORDS as records

    before = json.loads((records / "mrs-smith-before-fall.json").read_text())
    after = (records / "mrs-smith-after-fall.json").read_bytes()
    d = mods.diff(before, after)
    assert sorted(c["class"] for c in d["changes"]) == [
        "admission_details",
        "alert",
        "daily_care_note",
        "incident",
        "location",
        "medication_administration",
    ]
    assert all("before" not in c and "after" not in c for c in d["changes"])
    changed = dict(before)
    changed["subject_of_care"] = dict(before["subject_of_care"], nhs_number="9434765870")
    hidden = mods.diff(before, changed)
    assert "9434765870" not in json.dumps(hidden)
    shown = mods.diff(before, changed, include_values=True)
    assert shown["changes"][0]["after"] == "9434765870"
    with pytest.raises(ValueError):
        mods.diff(before, {"mods_version": "1.1"})
