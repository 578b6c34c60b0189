"""validate_many releases the GIL and spreads the work over its worker threads."""

from __future__ import annotations

import json
import os
import threading
import time
from typing import Any, Dict

import pytest

import mods


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover
        return os.cpu_count() or 1


def thread_cpu() -> Dict[int, int]:
    """CPU time (clock ticks, user + system) of each thread of this process, from /proc."""
    out = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:  # the thread ended meanwhile
            continue
        out[int(tid)] = int(fields[11]) + int(fields[12])
    return out


@pytest.mark.skipif(cores() < 2, reason="needs at least 2 cores")
@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="needs Linux /proc")
def test_validate_many_spreads_the_work_over_its_workers(green: Dict[str, Any]) -> None:
    # Not a timing: a wall-clock speed-up depends on what else the machine runs (CI shares
    # its cores; docs/performance.md has the measured figures). What can be checked on any
    # machine is that the two workers (the calling thread and one it starts) each did part of
    # the work, so the operating system can run them on two cores.
    records = [json.dumps(green).encode()] * 3000
    known = set(thread_cpu())
    seen: Dict[int, int] = {}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            for tid, cpu in thread_cpu().items():
                if tid not in known:
                    seen[tid] = max(cpu, seen.get(tid, 0))
            time.sleep(0.002)

    sampler = threading.Thread(target=sample)
    known.add(0)
    sampler.start()
    while sampler.native_id is None:  # pragma: no cover
        time.sleep(0.001)
    known.add(sampler.native_id)
    me = threading.get_native_id()
    mine = thread_cpu()[me]
    try:
        reports = mods.validate_many(records, workers=2)
        mine = thread_cpu()[me] - mine
    finally:
        stop.set()
        sampler.join()
    assert len(reports) == len(records)
    started = [tid for tid, cpu in seen.items() if cpu > 0]
    assert mine > 0 and len(started) >= 1, f"the caller's ticks {mine}; threads started: {seen}"


def test_gil_is_released(green: Dict[str, Any]) -> None:
    records = [json.dumps(green).encode()] * 3000
    ticks = 0
    stop = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0)

    t = threading.Thread(target=count)
    t.start()
    try:
        before = ticks
        mods.validate_many(records, workers=1)
        during = ticks - before
    finally:
        stop.set()
        t.join()
    # the other Python thread kept running while the batch validated
    assert during > 10
