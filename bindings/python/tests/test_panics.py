"""A panic in the native code never crosses into Python as pyo3's ``PanicException`` or a
crash, and never shows the input: every call raises ``mods.InternalError`` (fixed text and
the place in the code), and ``validate_many`` gives the record concerned one
``internal-error`` issue and returns the rest of the batch.

No input makes the core panic, so these tests use the test-only fault injection
(docs/validation.md, "Fault injection"): ``check.sh`` builds a second, debug wheel with
``--features fault-injection`` and runs this file against it with
``MODS_TEST_FAULT_INJECTION=1``. There, a string value starting with ``CORE_PREFIX`` panics
in the core while the record is read, and one starting with ``CONVERT_PREFIX`` panics in the
binding while a Python value is converted; both panic messages quote the whole string. Run
against the release wheel (every other run), the same strings are checked to be ordinary
data, so the shipped wheel has no fault injection.
"""

from __future__ import annotations

import os
import re
from typing import Any, Dict, List

import pytest

import mods

FAULT_INJECTION = os.environ.get("MODS_TEST_FAULT_INJECTION") == "1"

CORE_PREFIX = "mods-fault-injection:panic"
CONVERT_PREFIX = "mods-fault-injection:convert"
SECRET = "Secretname Q7713"

needs_faults = pytest.mark.skipif(
    not FAULT_INJECTION, reason="needs the fault-injection wheel (check.sh runs it)"
)
release_only = pytest.mark.skipif(FAULT_INJECTION, reason="checks the release wheel")


def record(nhs: str = "9434765919", family_name: str = "Green") -> Dict[str, Any]:
    return {
        "mods_version": "1.0",
        "subject_of_care": {
            "record_uid": "soc-1",
            "version_number": 1,
            "nhs_number": nhs,
            "person_name": [{"given_name": ["Arthur"], "family_name": family_name}],
        },
    }


DISCHARGE = {
    "record_uid": "dis-1",
    "version_number": 1,
    "subject_of_care": "soc-1",
    "hospital": "org-1",
    "discharge_date_and_time": "2026-01-22T15:30:00Z",
}


def core_panic() -> Dict[str, Any]:
    return record(family_name=f"{CORE_PREFIX} {SECRET}")


def convert_panic() -> Dict[str, Any]:
    return record(family_name=f"{CONVERT_PREFIX} {SECRET}")


def assert_no_input(*texts: str) -> None:
    for t in texts:
        for needle in ("Secretname", "Q7713", "mods-fault-injection", "fault injected"):
            assert needle not in t, f"{needle!r} leaked: {t}"


LOCATION = re.compile(r"^[\w./\\-]+\.rs:\d+$")


def test_internal_error_is_a_mods_error_and_a_runtime_error() -> None:
    assert issubclass(mods.InternalError, mods.ModsError)
    assert issubclass(mods.InternalError, RuntimeError)
    assert "InternalError" in mods.__all__
    e = mods.InternalError("internal error at x.rs:1", location="x.rs:1")
    assert e.location == "x.rs:1" and str(e) == "internal error at x.rs:1"
    assert repr(e) == "InternalError(location='x.rs:1')"
    assert "internal-error" in mods.issue_codes()
    assert mods.explain("internal-error")["severity"] == "error"
    import pickle

    back = pickle.loads(pickle.dumps(e))
    assert type(back) is mods.InternalError and back.location == "x.rs:1" and str(back) == str(e)


@release_only
def test_the_release_wheel_has_no_fault_injection() -> None:
    assert mods.validate(core_panic()).valid
    assert mods.validate(convert_panic()).valid
    [a, b] = mods.validate_many([core_panic(), convert_panic()], workers=2)
    assert a.valid and b.valid
    assert CONVERT_PREFIX.encode() in mods.to_json_bytes(convert_panic())


def assert_internal_error(e: BaseException, where: str) -> str:
    assert type(e) is mods.InternalError, type(e)
    loc = e.location  # type: ignore[attr-defined]
    assert isinstance(loc, str) and LOCATION.match(loc), loc
    assert loc.startswith(where), loc
    assert loc in str(e)
    assert str(e).startswith("internal error (a bug in mods-sdk) at ")
    assert_no_input(str(e), repr(e), repr(e.args))
    return loc


@needs_faults
@pytest.mark.parametrize("how", ["dict", "text", "bytes"])
def test_validate_raises_internal_error_for_a_panic_in_the_core(how: str, capfd: Any) -> None:
    import json

    value: Any = core_panic()
    if how != "dict":
        value = json.dumps(value)
    if how == "bytes":
        value = value.encode()
    with pytest.raises(mods.InternalError) as e:
        mods.validate(value)
    assert_internal_error(e.value, "mods-core/src/fault_injection.rs:")
    out, err = capfd.readouterr()
    assert_no_input(out, err)
    assert err == "", "the module's panic hook prints nothing"
    # the next call works as usual
    assert mods.validate(record()).valid


@needs_faults
def test_validate_raises_internal_error_for_a_panic_in_conversion(capfd: Any) -> None:
    with pytest.raises(mods.InternalError) as e:
        mods.validate(convert_panic())
    assert_internal_error(e.value, "bindings/python/src/")
    with pytest.raises(mods.InternalError):
        mods.validate(convert_panic(), class_="subject_of_care")
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


@needs_faults
@pytest.mark.parametrize("workers", [1, 2])
def test_validate_many_keeps_the_batch(workers: int) -> None:
    batch: List[Any] = [record(), core_panic(), record(nhs="9434765918"), convert_panic(), b"{"]
    reports = mods.validate_many(batch, workers=workers)
    assert len(reports) == 5
    assert reports[0].valid and reports[0].issues == []
    for r, where in ((reports[1], "mods-core/src/fault_injection.rs:"), (reports[3], "bindings/python/src/")):
        assert not r.valid
        [i] = r.issues
        assert (i.code, i.severity, i.pointer, i.path) == ("internal-error", "error", "", [])
        loc = i.context["location"]
        assert LOCATION.match(loc) and loc.startswith(where), loc
        assert loc in i.message
        assert_no_input(i.message, str(i.context), repr(i), str(r), r.to_json())
    assert [i.code for i in reports[2].issues] == ["nhs-number-check-digit"]
    assert [i.code for i in reports[4].issues] == ["input-syntax"]


@needs_faults
def test_every_call_that_reads_a_record_raises_internal_error() -> None:
    calls = [
        lambda: mods.migrate(core_panic(), "1.1"),
        lambda: mods.migrate(convert_panic(), "1.1"),
        lambda: mods.diff(record(), core_panic()),
        lambda: mods.diff(convert_panic(), record()),
        lambda: mods.mar(core_panic(), "2026-01-14"),
        lambda: mods.mar(convert_panic(), "2026-01-14"),
        lambda: mods.merge_discharge(core_panic(), DISCHARGE, committer="cw-1", date_time="2026-01-22T17:30:00Z"),
        lambda: mods.merge_discharge(record(), convert_panic(), committer="cw-1", date_time="2026-01-22T17:30:00Z"),
        lambda: mods.share(core_panic(), purpose="gp", today="2026-03-01"),
        lambda: mods.share(convert_panic(), component="medication", today="2026-03-01"),
        lambda: mods.to_json_bytes(convert_panic()),
        lambda: mods.check(core_panic()),
        lambda: mods.Validator().validate(core_panic()),
        lambda: mods.Validator().validate(convert_panic()),
        lambda: mods.Validator().is_valid(core_panic()),
        lambda: list(mods.Validator().iter_issues(core_panic())),
        lambda: mods.OfflineTerminology([{"resourceType": "CodeSystem", "url": f"{CONVERT_PREFIX} {SECRET}"}]),
        lambda: mods.OfflineTerminology([{"resourceType": "CodeSystem", "url": f"{CORE_PREFIX} {SECRET}"}]),
        lambda: mods.validate(record(), terminology=[{"resourceType": "CodeSystem", "url": f"{CORE_PREFIX} {SECRET}"}]),
    ]
    for call in calls:
        with pytest.raises(mods.InternalError) as e:
            call()
        assert_internal_error(e.value, "")


@needs_faults
def test_a_column_keeps_its_other_rows() -> None:
    import json

    import pyarrow as pa

    values = [json.dumps(record()), json.dumps(core_panic()), "{"]
    reports = mods.Validator().validate_many(values, workers=2)
    assert [r.valid for r in reports] == [True, False, False]
    assert [i.code for i in reports[1].issues] == ["internal-error"]
    rows = mods.validate_column(pa.array(values)).to_pylist()
    assert [r["valid"] for r in rows] == [True, False, False]
    assert [i["code"] for i in rows[1]["issues"]] == ["internal-error"]
    assert_no_input(json.dumps(rows))


@needs_faults
def test_internal_error_is_never_pyo3s_panic_exception() -> None:
    # PanicException derives from BaseException, so `except Exception` would miss it
    try:
        mods.validate(core_panic())
    except Exception as e:  # noqa: BLE001 - the point of the test
        assert type(e).__name__ == "InternalError"
    else:
        raise AssertionError("no exception")
