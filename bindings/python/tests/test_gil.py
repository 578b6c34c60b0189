"""Every call that reads a whole document releases the GIL while the core works, reads
``bytes`` in place, and gives the same result whatever other threads do meanwhile."""

from __future__ import annotations

import copy
import json
import sys
import threading
import time
import tracemalloc
from typing import Any, Callable, Dict, Iterator, List, Tuple

import pyarrow
import pytest

import mods
from conftest import RECORDS, ROOT, load

FIXTURES = ROOT / "mods-fhir" / "tests" / "fixtures"


def enlarged(record: Dict[str, Any], times: int) -> Dict[str, Any]:
    """The record with every collection's records repeated ``times`` times, each copy
    under a new uid: a valid record about ``times`` times as large."""
    out = copy.deepcopy(record)
    for key, value in record.items():
        if isinstance(value, list) and key != "person_demographics":
            items = []
            for i in range(times):
                for item in value:
                    c = copy.deepcopy(item)
                    if i > 0 and "record_uid" in c:
                        c["record_uid"] = f"{c['record_uid']}-copy{i}"
                    items.append(c)
            out[key] = items
    return out


@pytest.fixture(scope="module")
def large() -> Dict[str, bytes]:
    """Large documents (records of about 700 KB, a Bundle made from one) as bytes."""
    james = json.dumps(enlarged(load(RECORDS / "james.json"), 20)).encode()
    bodat = json.dumps(enlarged(load(RECORDS / "mr-bodat.json"), 20)).encode()
    assert len(james) > 500_000 and mods.validate(james).valid and mods.validate(bodat).valid
    return {
        "james": james,
        "bodat": bodat,
        "bundle": json.dumps(mods.to_fhir(james)).encode(),
        "gp": (FIXTURES / "gp-record-mr-bodat.json").read_bytes(),
        "discharge": (FIXTURES / "discharge-james.json").read_bytes(),
    }


CALLS: Dict[str, Callable[[Dict[str, bytes]], Any]] = {
    "validate": lambda d: mods.validate(d["james"]).to_dict(),
    "check": lambda d: mods.check(d["james"]).to_dict(),
    "validate_many": lambda d: [r.to_dict() for r in mods.validate_many([d["james"]], workers=1)],
    "migrate": lambda d: mods.migrate(d["james"], "1.1"),
    "diff": lambda d: mods.diff(d["james"], d["bodat"]),
    "mar": lambda d: mods.mar(d["james"], "2026-01-14"),
    "to_fhir": lambda d: mods.to_fhir(d["james"], timestamp="2026-01-14T21:00:00Z"),
    "transfer_summary": lambda d: mods.transfer_summary(d["james"], timestamp="2026-01-14T21:00:00Z"),
    "from_fhir": lambda d: mods.from_fhir(d["bundle"]),
    "operation_outcome": lambda d: mods.operation_outcome(d["james"]),
    "merge_gp_record": lambda d: mods.merge_gp_record(d["bodat"], d["gp"], date="2026-01-14"),
    "import_discharge": lambda d: mods.import_discharge(d["james"], d["discharge"], date="2026-01-14"),
    "Validator.validate": lambda d: mods.Validator().validate(d["james"]).to_dict(),
    "Validator.is_valid": lambda d: mods.Validator().is_valid(d["james"]),
    "validate_column": lambda d: mods.validate_column(
        pyarrow.array([d["james"], d["bodat"]]), workers=1
    ).to_pylist(),
}


class Counter:
    """A Python thread counting while it holds the GIL, sleeping 0.1 ms between counts."""

    def __init__(self) -> None:
        self.ticks = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.ticks += 1
            time.sleep(0.0001)

    def __enter__(self) -> "Counter":
        self._thread.start()
        while self.ticks == 0:
            time.sleep(0.001)
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()


@pytest.fixture
def no_forced_switch() -> Iterator[None]:
    """Python makes a thread hand the GIL to a waiting one only after 100 s: a call that
    holds it throughout keeps every other Python thread waiting, however slow the machine."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(100.0)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


@pytest.mark.parametrize("name", list(CALLS))
def test_other_threads_run_during_a_call_and_the_result_is_the_same(
    name: str, large: Dict[str, bytes], no_forced_switch: None
) -> None:
    call = CALLS[name]
    alone = call(large)
    # calls are repeated for at least 0.3 s: on a loaded machine the counting thread may not
    # be scheduled during one short call even though the GIL is free
    with Counter() as counter:
        before = counter.ticks
        t = time.perf_counter()
        results = []
        while not results or (time.perf_counter() - t < 0.3 and len(results) < 1000):
            results.append(call(large))
        ticks = counter.ticks - before
        elapsed = time.perf_counter() - t
    # the counter counts only while this thread has let the GIL go: never, without a release
    assert ticks >= 1, (
        f"{name}: no other Python thread ran during {len(results)} calls, {elapsed * 1000:.0f} ms"
    )
    assert all(r == alone for r in results)


def test_a_normal_record_releases_the_gil_too(green: Dict[str, Any], no_forced_switch: None) -> None:
    record = json.dumps(green).encode()
    expected = mods.validate(record)
    with Counter() as counter:
        before = counter.ticks
        reports = [mods.validate(record) for _ in range(100)]
        ticks = counter.ticks - before
    assert ticks >= 1, "no other Python thread ran during 100 validations"
    assert all(r == expected for r in reports)


def test_threads_validating_at_once_get_the_reports_of_one_thread() -> None:
    docs: List[bytes] = []
    for p in sorted(RECORDS.glob("*.json")):
        good = p.read_bytes()
        docs.append(good)
        docs.append(good.replace(b'"9', b'"8', 1))  # some records change, some break
    expected = [mods.validate(d) for d in docs]
    results: List[Tuple[int, bool]] = []

    def worker(k: int) -> None:
        for _ in range(10):
            for i, d in enumerate(docs):
                results.append((k, mods.validate(d) == expected[i]))

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4 * 10 * len(docs) and all(ok for _, ok in results)


def python_peak(call: Callable[[], Any]) -> int:
    """The most memory Python's allocator held at once during ``call``, in bytes."""
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_bytes_and_a_view_of_them_are_read_in_place(large: Dict[str, bytes]) -> None:
    doc = large["james"]
    expected = mods.validate(doc)
    for given in (doc, memoryview(doc), memoryview(doc).cast("B")):
        peak = python_peak(lambda: mods.validate(given))
        assert peak < len(doc) // 4, f"{type(given).__name__}: {peak} bytes for a {len(doc)}-byte document"
        assert mods.validate(given) == expected
    # a mutable buffer, or part of one, is copied first: another thread could change it
    # while the GIL is released; the verdict is the same
    for given in (bytearray(doc), memoryview(bytearray(doc)), memoryview(b" " + doc)[1:]):
        assert mods.validate(given) == expected
