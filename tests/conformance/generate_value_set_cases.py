#!/usr/bin/env python3
"""Write cases/value-sets/: for every embedded value set, a case where an element bound to
it holds a code outside the set (rejected, or warned about for an extensible binding) and a
case where it holds the set's first code (accepted). A value set that spans several code
systems (`includes`) also gets, for each further code system, a case with that system's
first code (or, for a system defined by a grammar, a sample code of the grammar), and, for
each pair of listed code systems, a case with one system's code claimed under another
system that does not have it (not in the set).

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

# One conforming sample per grammar a code system may be defined by (docs/spec-format.md).
GRAMMAR_SAMPLES = {"bcp47": ("en-GB", "English (United Kingdom)")}

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
        return {"code": first_code(VALUE_SETS[lookup["value_set"]])[1]["code"]}
    return {"code": "local-1"}


def includes(vs):
    """The code systems of a value set with their codes: its `includes`, or one made of
    `system` and `codes`."""
    if "includes" in vs:
        return vs["includes"]
    return [{"system": vs["system"], "codes": vs["codes"]}]


def first_code(vs):
    """(include, code) of the set's first listed code."""
    for inc in includes(vs):
        if inc.get("codes"):
            return inc, inc["codes"][0]
    raise SystemExit(f"value set {vs['id']} lists no code")


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
        incs = includes(vs)
        codes = {c["code"] for inc in incs for c in inc.get("codes", [])}
        grammar = any("grammar" in inc for inc in incs)
        # outside every listed system, and not a well-formed code of any grammar (spaces are
        # allowed in no BCP 47 tag; "not-a-code" is one, of the language Nomatsiguenga)
        bad = "not a code" if grammar else "not-a-code"
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
        for n, inc in enumerate(incs):
            if inc.get("codes"):
                code, display = inc["codes"][0]["code"], inc["codes"][0]["display"]
            else:
                code, display = GRAMMAR_SAMPLES[inc["grammar"]]
            good = dict(base)
            good[el] = value(e, {"code": code, "system": inc["system"], "display": display})
            name = f"{vs_id}-known-code" if n == 0 else f"{vs_id}-known-code-{n + 1}"
            about = [cls["technical_name"], "code-not-in-value-set", "code-system-mismatch"]
            if "grammar" in inc:
                about.append("unknown-code")
            write(
                name,
                {
                    "description": f"{cls['name']}.{e['name']} holds a code of {vs['title']}"
                    + (f" from {inc['title']}" if len(incs) > 1 else "")
                    + ", with its system and display",
                    "about": about,
                    "target": {"class": cls["technical_name"]},
                    "input": good,
                    "expect": {"valid": True, "issues": []},
                },
            )
        # a code of one listed system, claimed under another listed system without it
        for a, inc_a in enumerate(incs):
            for b, inc_b in enumerate(incs):
                if a == b or not inc_a.get("codes") or "grammar" in inc_b:
                    continue
                code = inc_a["codes"][0]["code"]
                if code in {c["code"] for c in inc_b["codes"]}:
                    continue
                wrong = dict(base)
                wrong[el] = value(e, {"code": code, "system": inc_b["system"]})
                write(
                    f"{vs_id}-code-of-system-{a + 1}-under-system-{b + 1}",
                    {
                        "description": f"{cls['name']}.{e['name']} claims a code of {inc_a['title']} under {inc_b['title']}, which does not have it ({strength} binding)",
                        "about": [cls["technical_name"], "code-not-in-value-set"],
                        "target": {"class": cls["technical_name"]},
                        "input": wrong,
                        "expect": {
                            "valid": strength != "required",
                            "issues": [{"code": "code-not-in-value-set", "path": path, "severity": severity}],
                        },
                    },
                )
    if unbound:
        print("value sets bound by no element:", ", ".join(unbound))
    print(f"wrote {len(list(OUT.iterdir()))} cases to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
