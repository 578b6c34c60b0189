"""mods.to_fhir / mods.from_fhir beside fhir.resources parsing the same Bundles, in one run.

For each example record (examples/records): ``mods.to_fhir`` (the record, as bytes, to a
Bundle dict; and with ``as_json=True``, to the Bundle's JSON bytes, the form that is sent),
``mods.from_fhir`` (those JSON bytes to a record and its report), and ``fhir.resources``
(PyPI; its R4B models, the nearest it ships to R4) parsing the same JSON bytes
(``Bundle.model_validate_json``): the cost of merely reading, with validation of structure
and datatypes, what ``to_fhir`` writes. Reports operations per second (best of three rounds)
and the ratios the project targets: ``to_fhir`` at least 25 times the rate of fhir.resources
parsing its output, ``from_fhir`` at least 10 times.

Usage: python bench/fhir_bench.py [--seconds S] [--markdown]
Needs: the mods package and ``pip install fhir.resources``.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import platform
import sys
import time
from typing import Any, Callable, List, Tuple

import mods

ROOT = pathlib.Path(__file__).resolve().parents[3]


def rate(fn: Callable[[], Any], seconds: float) -> float:
    """Operations per second: repeat fn for about `seconds`, best of 3 rounds."""
    fn()
    best = 0.0
    for _ in range(3):
        n = 0
        t0 = time.perf_counter()
        while True:
            fn()
            n += 1
            dt = time.perf_counter() - t0
            if dt >= seconds / 3:
                break
        best = max(best, n / dt)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=1.5)
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    try:
        import fhir.resources
        from fhir.resources.R4B.bundle import Bundle
    except ImportError:
        sys.exit("fhir.resources is not installed: pip install fhir.resources")
    rows: List[Tuple[str, int, float, float, float, float]] = []
    for path in sorted((ROOT / "examples" / "records").glob("*.json")):
        record = path.read_bytes()
        bundle_bytes = mods.to_fhir(record, as_json=True)
        assert json.loads(bundle_bytes) == mods.to_fhir(record), path.name
        # fhir.resources must accept what we write, or the comparison means nothing
        Bundle.model_validate_json(bundle_bytes)
        back, _ = mods.from_fhir(bundle_bytes)
        assert back == json.loads(record), path.name
        export = rate(lambda: mods.to_fhir(record), args.seconds)
        export_json = rate(lambda: mods.to_fhir(record, as_json=True), args.seconds)
        imp = rate(lambda: mods.from_fhir(bundle_bytes), args.seconds)
        peer = rate(lambda: Bundle.model_validate_json(bundle_bytes), args.seconds)
        rows.append((path.stem, len(bundle_bytes), export, export_json, imp, peer))
    env = (
        f"Python {platform.python_version()}, mods {mods.__version__}, "
        f"fhir.resources {fhir.resources.__version__}, {platform.machine()}, {platform.system()}"
    )
    if args.markdown:
        print(f"Measured with `python bench/fhir_bench.py --seconds {args.seconds} --markdown` ({env}).\n")
        print("| record | Bundle KiB | `to_fhir` dict /s | `to_fhir` JSON /s | `from_fhir` /s | fhir.resources parse /s "
              "| dict ÷ parse | JSON ÷ parse | from_fhir ÷ parse |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name, size, e, j, i, p in rows:
            print(f"| {name} | {size / 1024:.1f} | {e:,.0f} | {j:,.0f} | {i:,.0f} | {p:,.1f} "
                  f"| {e / p:.1f} | {j / p:.1f} | {i / p:.1f} |")
    else:
        print(env)
        for name, size, e, j, i, p in rows:
            print(f"{name:24} {size / 1024:6.1f} KiB  to_fhir {e:8.0f}/s  as JSON {j:8.0f}/s  from_fhir {i:8.0f}/s  "
                  f"fhir.resources {p:8.1f}/s  ratios {e / p:6.1f} {j / p:6.1f} {i / p:6.1f}")
    worst_dict = min(e / p for _, _, e, _, _, p in rows)
    worst_json = min(j / p for _, _, _, j, _, p in rows)
    worst_import = min(i / p for _, _, _, _, i, p in rows)
    print(f"\nworst ratios: to_fhir {worst_dict:.1f}x to a dict, {worst_json:.1f}x to JSON bytes (target 25x), "
          f"from_fhir {worst_import:.1f}x (target 10x)")


if __name__ == "__main__":
    main()
