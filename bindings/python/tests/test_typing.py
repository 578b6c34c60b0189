"""The stubs type the record input without ``Any``: ``mypy --strict`` reports every
deliberate misuse in typing/misuse.py (each line marked ``# E: <code>``, with that code,
and no other line), and passes on typing/correct.py. Runs mypy on the installed package."""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys
from typing import Dict, List, Set, Tuple

HERE = pathlib.Path(__file__).resolve().parent / "typing"


def mypy(path: pathlib.Path) -> Tuple[int, List[str]]:
    p = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--show-error-codes",
         "--no-error-summary", str(path)],
        capture_output=True,
        text=True,
        cwd=str(HERE),
    )
    return p.returncode, p.stdout.splitlines()


def reported(lines: List[str]) -> Dict[int, Set[str]]:
    got: Dict[int, Set[str]] = {}
    for line in lines:
        m = re.match(r".*?:(\d+): error: .*\[([a-z-]+)\]$", line)
        if m:
            got.setdefault(int(m.group(1)), set()).add(m.group(2))
    return got


def test_mypy_rejects_each_misuse() -> None:
    path = HERE / "misuse.py"
    expected: Dict[int, str] = {}
    for n, line in enumerate(path.read_text().splitlines(), start=1):
        m = re.search(r"# E: ([a-z-]+)$", line)
        if m:
            expected[n] = m.group(1)
    assert len(expected) >= 15
    rc, out = mypy(path)
    assert rc == 1, out
    got = reported(out)
    missing = {n: c for n, c in expected.items() if c not in got.get(n, set())}
    assert not missing, f"not reported: {missing}\n" + "\n".join(out)
    unexpected = sorted(set(got) - set(expected))
    assert not unexpected, f"errors on unmarked lines {unexpected}\n" + "\n".join(out)


def test_mypy_strict_passes_on_correct_uses() -> None:
    rc, out = mypy(HERE / "correct.py")
    assert rc == 0, "\n".join(out)


def keys_fit(value: object, td: type) -> None:
    """``value`` is a dict with every required key of TypedDict ``td`` and no key it
    does not declare."""
    assert isinstance(value, dict)
    declared = set(td.__annotations__)
    required = set(getattr(td, "__required_keys__", declared))
    assert required <= set(value), (td.__name__, required - set(value))
    assert set(value) <= declared, (td.__name__, set(value) - declared)


def test_lookup_results_have_the_typed_shapes() -> None:
    import mods

    for version in mods.versions():
        for c in mods.classes(version):
            keys_fit(c, mods.ClassInfo)
            keys_fit(c["provenance"], mods.Provenance)
            for e in c["elements"]:
                keys_fit(e, mods.ElementInfo)
        for vs in mods.value_sets(version=version):
            keys_fit(vs, mods.ValueSetInfo)
            for inc in vs.get("includes", []):
                keys_fit(inc, mods.ValueSetInclude)
            for code in mods.codes(vs["id"], version=version):
                keys_fit(code, mods.CodeInfo)
    for hit in mods.search_codes("a"):
        keys_fit(hit, mods.CodeInfo)
    g = mods.glossary()
    keys_fit(g, mods.Glossary)
    for t in g["terms"]:
        keys_fit(t, mods.GlossaryTerm)
        keys_fit(mods.glossary(t["id"]), mods.GlossaryTerm)
    for t in mods.search_glossary("care"):
        keys_fit(t, mods.GlossaryTerm)
    for code in mods.issue_codes():
        keys_fit(mods.explain(code), mods.Explanation)
