"""FHIR R4 UK Core: export, import and OperationOutcome through the binding."""

from __future__ import annotations

import copy
import json
from typing import Any, Dict

import pytest

import mods
from conftest import RECORDS, load


@pytest.mark.parametrize("path", sorted(RECORDS.glob("*.json")), ids=lambda p: p.stem)
@pytest.mark.parametrize("kind", ["collection", "transaction", "document"])
def test_examples_round_trip(path: Any, kind: str) -> None:
    record = load(path)
    bundle = mods.to_fhir(record, type=kind, timestamp="2025-11-03T12:00:00Z")
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == kind
    back, report = mods.from_fhir(json.dumps(bundle))
    assert back == record
    assert report["issues"] == [] and report["validation"]["valid"] is True


@pytest.mark.parametrize("path", sorted(RECORDS.glob("*.json")), ids=lambda p: p.stem)
def test_as_json_gives_the_same_bundle_as_json_bytes(path: Any) -> None:
    record = path.read_bytes()
    when = "2025-11-03T12:00:00Z"
    for kind in ["collection", "transaction", "document"]:
        text = mods.to_fhir(record, type=kind, timestamp=when, as_json=True)
        assert isinstance(text, bytes)
        assert json.loads(text) == mods.to_fhir(record, type=kind, timestamp=when)
    summary = mods.transfer_summary(record, timestamp=when, as_json=True)
    assert isinstance(summary, bytes)
    assert json.loads(summary) == mods.transfer_summary(record, timestamp=when)


def test_as_json_refuses_as_the_dict_form_does(green: Dict[str, Any]) -> None:
    bad = copy.deepcopy(green)
    bad["subject_of_care"]["nhs_number"] = "9434765918"
    for fn in (mods.to_fhir, mods.transfer_summary):
        with pytest.raises(ValueError, match="not valid MODS") as e:
            fn(bad, timestamp="2026-01-14T21:00:00Z", as_json=True)
        assert "9434765918" not in str(e.value)
        with pytest.raises(mods.InputError):
            fn("{not json", as_json=True)
    assert json.loads(mods.to_fhir(bad, allow_invalid=True, as_json=True))["type"] == "collection"


def test_profile_sets(green: Dict[str, Any]) -> None:
    current = mods.to_fhir(green)
    stu2 = mods.to_fhir(green, profiles="stu2")
    flags = [e["resource"] for e in current["entry"] if e["resource"]["resourceType"] == "Flag"]
    assert flags and all(f["meta"]["profile"] == ["https://fhir.hl7.org.uk/StructureDefinition/UKCore-Flag"] for f in flags)
    flags2 = [e["resource"] for e in stu2["entry"] if e["resource"]["resourceType"] == "Flag"]
    assert flags2 and all("profile" not in f["meta"] for f in flags2), "UKCore-Flag is not in 2.0.2"


def test_export_refuses_invalid_records_and_bad_options(green: Dict[str, Any]) -> None:
    bad = copy.deepcopy(green)
    bad["subject_of_care"]["nhs_number"] = "9434765918"
    with pytest.raises(ValueError, match="not valid MODS"):
        mods.to_fhir(bad)
    with pytest.raises(ValueError, match="type must be"):
        mods.to_fhir(green, type="message")
    with pytest.raises(ValueError, match="profiles must be"):
        mods.to_fhir(green, profiles="r5")
    with pytest.raises(ValueError, match="timestamp"):
        mods.to_fhir(green, type="document")
    with pytest.raises(mods.InputError):
        mods.to_fhir("{not json")


def test_import_reports_by_fhirpath_and_keeps_on_request() -> None:
    patient = {
        "resourceType": "Patient",
        "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "1234567890"}],
        "name": [{"family": "Smith", "given": ["Margaret"]}],
        "multipleBirthBoolean": False,
    }
    record, report = mods.from_fhir(patient, keep_unmapped=True)
    codes = {i["code"]: i for i in report["issues"]}
    assert codes["fhir-nhs-number-check-digit"]["location"] == "Patient.identifier[0].value"
    assert codes["fhir-element-unmapped"]["location"] == "Patient.multipleBirthBoolean"
    assert "1234567890" not in json.dumps(report["issues"])
    assert record["mods_extensions"]["fhir_unmapped"][0]["path"] == "Patient.multipleBirthBoolean"
    with pytest.raises(ValueError, match="not a FHIR resource"):
        mods.from_fhir({"a": 1})
    with pytest.raises(mods.InputError):
        mods.from_fhir(b"\xff")


def test_operation_outcome(green: Dict[str, Any]) -> None:
    ok = mods.operation_outcome(green)
    assert ok["resourceType"] == "OperationOutcome" and ok["issue"][0]["severity"] == "information"
    bad = copy.deepcopy(green)
    bad["subject_of_care"]["nhs_number"] = "9434765918"
    oo = mods.operation_outcome(bad)
    errors = [i for i in oo["issue"] if i["severity"] == "error"]
    assert errors[0]["details"]["coding"][0]["code"] == "nhs-number-check-digit"
    assert errors[0]["expression"] == ["subject_of_care.nhs_number"]


def test_transfer_summary_of_james() -> None:
    james = load(RECORDS / "james.json")
    doc = mods.transfer_summary(james, timestamp="2026-01-14T21:00:00Z")
    assert doc["resourceType"] == "Bundle" and doc["type"] == "document"
    assert doc["timestamp"] == "2026-01-14T21:00:00Z"
    composition = doc["entry"][0]["resource"]
    assert composition["resourceType"] == "Composition" and composition["date"] == doc["timestamp"]
    titles = [s["title"] for s in composition["section"]]
    assert titles == [
        "About Me",
        "Communication needs",
        "Support with daily living",
        "Current medication",
        "Allergies",
        "Alerts and risks",
        "Contacts and carers",
        "Care plan",
    ]
    sections = {s["title"]: s for s in composition["section"]}
    urls = {e["fullUrl"] for e in doc["entry"]}
    meds = sections["Current medication"]
    assert len(meds["entry"]) == 3 and all(r["reference"] in urls for r in meds["entry"])
    assert "Sodium valproate 500mg modified-release tablets" in meds["text"]["div"]
    assert sections["Allergies"]["emptyReason"]["coding"][0]["code"] == "unavailable"
    assert "entry" not in sections["Allergies"]
    # a stopped medication is not current, and does not travel
    stopped = copy.deepcopy(james)
    stopped["medication"][0]["medication_status"] = {"code": "stopped"}
    doc2 = mods.transfer_summary(json.dumps(stopped), timestamp="2026-01-14T21:00:00Z")
    meds2 = next(s for s in doc2["entry"][0]["resource"]["section"] if s["title"] == "Current medication")
    assert len(meds2["entry"]) == 2 and "valproate" not in meds2["text"]["div"]


def test_transfer_summary_time_and_errors(green: Dict[str, Any]) -> None:
    doc = mods.transfer_summary(green)
    ts = doc["timestamp"]
    assert len(ts) == 20 and ts.endswith("Z") and ts[10] == "T"
    assert doc["entry"][0]["resource"]["date"] == ts
    with pytest.raises(ValueError, match="not a FHIR instant"):
        mods.transfer_summary(green, timestamp="2026-01-14")
    with pytest.raises(ValueError, match="profiles must be"):
        mods.transfer_summary(green, profiles="r5")
    bad = copy.deepcopy(green)
    bad["subject_of_care"]["nhs_number"] = "9434765918"
    with pytest.raises(ValueError, match="not valid MODS") as e:
        mods.transfer_summary(bad, timestamp="2026-01-14T21:00:00Z")
    assert "9434765918" not in str(e.value)
    assert mods.transfer_summary(bad, timestamp="2026-01-14T21:00:00Z", allow_invalid=True)["type"] == "document"
    with pytest.raises(mods.InputError):
        mods.transfer_summary("{not json")
FIXTURES = RECORDS.parent.parent / "mods-fhir" / "tests" / "fixtures"


def test_merge_gp_record_adds_the_new_and_is_idempotent() -> None:
    record = load(RECORDS / "mr-bodat.json")
    bundle = (FIXTURES / "gp-record-mr-bodat.json").read_bytes()
    merged, report = mods.merge_gp_record(record, bundle)
    assert [i["record_uid"] for i in report["already_present"]] == ["med-bodat-metformin"]
    assert sorted(i["class"] for i in report["added"]) == ["allergy", "allergy", "medication", "problem"]
    assert report["validation"]["valid"]
    assert all(a["information_source"]["code"] == "gp-record" for a in merged["allergy"])
    again, report2 = mods.merge_gp_record(merged, bundle)
    assert report2["added"] == []
    assert again == merged


def test_merge_refuses_another_persons_bundle() -> None:
    record = load(RECORDS / "james.json")
    with pytest.raises(ValueError, match="another person"):
        mods.merge_gp_record(record, (FIXTURES / "gp-record-mr-bodat.json").read_bytes())
    with pytest.raises(mods.InputError):
        mods.import_discharge(record, b"{not json")


def test_import_discharge_links_the_admission_and_returns_the_attachment() -> None:
    record = load(RECORDS / "james.json")
    del record["discharge_details"]
    record["medication"] = [m for m in record["medication"] if m["record_uid"] != "med-james-amoxicillin"]
    record["medication_administration"] = [
        m for m in record["medication_administration"] if m["medication"] != "med-james-amoxicillin"
    ]
    record["document"] = [d for d in record["document"] if d["record_uid"] != "doc-james-discharge"]
    merged, report = mods.import_discharge(record, json.loads((FIXTURES / "discharge-james.json").read_text()))
    assert report["validation"]["valid"]
    assert merged["discharge_details"][0]["admission"] == "adm-james"
    assert len(report["added"]) == 3
    assert report["attachments"][0]["content_type"] == "application/pdf"
    assert report["attachments"][0]["record_uid"] == merged["discharge_details"][0]["discharge_summary"]


def test_short_strings_stay_distinct_through_the_conversion(green: Dict[str, Any]) -> None:
    # the binding shares one Python str per distinct short string of a converted document,
    # those up to 15 bytes packed with their length into one number: strings that differ
    # only by a NUL, by their length or by their last byte stay apart, at every length
    # around the packed and shared limits, as keys and as values
    edge = ["", "\u0000", "a", "a\u0000", "\u0000a", "ab", "ba", "code", "codes",
            "123456789012345", "1234567890123456", "12345678901234\u0000", "\u00e9" * 7,
            "\u00e9" * 8, "\U0001F600", "x" * 96, "x" * 97]
    record = copy.deepcopy(green)
    extensions: Dict[str, Any] = {k: edge[(i + 1) % len(edge)] for i, k in enumerate(edge)}
    extensions["all"] = edge
    # every length up to past the packed limit, each with one byte changed at every place
    # (the packing reads overlapping words: a byte it missed would make two of these one)
    positions = [
        "a" * i + "b" + "a" * (n - i - 1) for n in range(1, 18) for i in range(n)
    ] + ["a" * n for n in range(18)]
    assert len(set(positions)) == len(positions)
    extensions["positions"] = positions
    extensions.update({f"k{s}": s for s in positions})
    record["mods_extensions"] = extensions
    bundle = mods.to_fhir(record)
    back, report = mods.from_fhir(json.dumps(bundle))
    assert report["issues"] == []
    assert back == record
    assert back["mods_extensions"]["all"] == edge
    assert back["mods_extensions"]["positions"] == positions
    # the Bundle's strings are the ones its JSON text holds
    assert json.loads(json.dumps(bundle)) == bundle
