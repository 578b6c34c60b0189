#!/usr/bin/env python3
"""Write cases/value-sets/: for every embedded value set, a case where an element bound to
it holds a code outside the set (rejected, or warned about for an extensible binding) and a
case where it holds the set's first code (accepted).

The expectations come from the model data and the documented rules (docs/validation.md),
computed here in Python, independently of the Rust validator that the cases then check.
Run from the repository root: python3 tests/conformance/generate_value_set_cases.py
"""
import json
import pathlib
import shutil

ROOT = pathlib.Path(__file__).resolve().parents[2]
SPEC = json.loads((ROOT / "mods-core/spec/mods-1.0.json").read_text())
OUT = ROOT / "tests/conformance/cases/value-sets"

CLASSES = {c["technical_name"]: c for c in SPEC["classes"]}
VALUE_SETS = {v["id"]: v for v in SPEC["value_sets"]}

# One conforming sample per identifier format.
FORMAT_SAMPLES = {
    "nhs_number": "9434765919",
    "ods_code": "A81001",
    "ods_gp_practice": "A81001",
    "ods_pcn": "U12345",
    "ods_trust": "RXH",
    "ods_trust_site": "RXH01",
    "ods_sub_icb": "00Q",
    "uprn": "100023336956",
    "postcode": "LS1 4AP",
    "cqc_id": "1-101234567",
    "gss_code": "E08000035",
    "email": "team@example.org",
    "uid": "rec-1",
}


def elements(cls):
    """The elements of a class as the library sees them: Versioned record elements first
    for versioned records, then its own, then inherited ones not redeclared."""
    out = []
    if cls["kind"] == "record" and cls.get("versioned", True):
        out.extend(CLASSES["versioned_record"]["elements"])
    own = [e["technical_name"] for e in cls["elements"]]
    out.extend(cls["elements"])
    parent = cls.get("inherits")
    seen = set(own)
    while parent:
        p = CLASSES[parent]
        for e in p["elements"]:
            if e["technical_name"] not in seen:
                out.append(e)
                seen.add(e["technical_name"])
        parent = p.get("inherits")
    return out


def sample(e):
    """A conforming value for one occurrence of an element."""
    t = e["type"]
    if t == "Text":
        return FORMAT_SAMPLES.get(e.get("format"), "Some text")
    if t == "Number":
        return 1
    if t == "Date":
        return "2024-03-01"
    if t == "Time":
        return "10:00:00"
    if t == "Date and Time":
        return "2024-03-01T10:00:00Z"
    if t == "Yes or No":
        return True
    if t == "Group":
        return minimal(CLASSES[e["component"]])
    lookup = e["lookup"]
    if lookup["kind"] == "reference":
        return "ref-1"
    if lookup["kind"] == "value_set":
        return {"code": VALUE_SETS[lookup["value_set"]]["codes"][0]["code"]}
    return {"code": "local-1"}


def value(e, v):
    return [v] if e["occurs"] in ("0..*", "1..*") else v


def minimal(cls):
    """A minimal conforming instance: every required element, nothing else."""
    return {
        e["technical_name"]: value(e, sample(e))
        for e in elements(cls)
        if e["occurs"] in ("1..1", "1..*")
    }


def bindings():
    """(value set id) -> the (class, element) binding it most strongly (required, then
    extensible, then preferred), first in model order."""
    found = {}
    for cls in SPEC["classes"]:
        if cls["kind"] == "abstract":
            continue
        for e in elements(cls):
            lookup = e.get("lookup") or {}
            if lookup.get("kind") != "value_set":
                continue
            rank = ["required", "extensible", "preferred"].index(lookup["strength"])
            best = found.get(lookup["value_set"])
            if best is None or rank < best[3]:
                found[lookup["value_set"]] = (cls, e, lookup["strength"], rank)
    return {k: v[:3] for k, v in found.items()}


def write(name, case):
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(case, indent=2, ensure_ascii=False, sort_keys=False) + "\n")


def main():
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    unbound = []
    for vs_id, vs in VALUE_SETS.items():
        b = bindings().get(vs_id)
        if b is None:
            unbound.append(vs_id)
            continue
        cls, e, strength = b
        el = e["technical_name"]
        repeating = e["occurs"] in ("0..*", "1..*")
        path = f"/{el}/0/code" if repeating else f"/{el}/code"
        base = minimal(cls)
        codes = {c["code"] for c in vs["codes"]}
        bad = "not-a-code"
        while bad in codes:
            bad += "-x"
        inst = dict(base)
        inst[el] = value(e, {"code": bad})
        severity = "error" if strength == "required" else "warning"
        write(
            f"{vs_id}-unknown-code",
            {
                "description": f"{cls['name']}.{e['name']} holds a code that is not in {vs['title']} ({strength} binding)",
                "about": [cls["technical_name"], "code-not-in-value-set"],
                "target": {"class": cls["technical_name"]},
                "input": inst,
                "expect": {
                    "valid": strength != "required",
                    "issues": [{"code": "code-not-in-value-set", "path": path, "severity": severity}],
                },
            },
        )
        good = dict(base)
        first = vs["codes"][0]
        good[el] = value(e, {"code": first["code"], "system": vs["system"], "display": first["display"]})
        write(
            f"{vs_id}-known-code",
            {
                "description": f"{cls['name']}.{e['name']} holds a code of {vs['title']}, with its system and display",
                "about": [cls["technical_name"], "code-not-in-value-set", "code-system-mismatch"],
                "target": {"class": cls["technical_name"]},
                "input": good,
                "expect": {"valid": True, "issues": []},
            },
        )
    if unbound:
        print("value sets bound by no element:", ", ".join(unbound))
    print(f"wrote {len(list(OUT.iterdir()))} cases to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
