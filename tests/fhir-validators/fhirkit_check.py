#!/usr/bin/env python3
"""fhirkit (PyPI fhirkit-rs): structure and datatypes of FHIR R4 4.0.1, every issue with its path.

Usage: fhirkit_check.py FILE...   (a list of JSON files; run.sh passes them)
Writes one JSON object to stdout: {"tool": "fhirkit", "version": ..., "files": [{"file",
"issues": [{"severity", "path", "message"}]}]}. Never prints resource contents; the
messages are fhirkit's own.
"""

import json
import sys

import fhirkit


def check(name):
    try:
        with open(name, "rb") as f:
            data = f.read()
    except OSError as e:
        return [{"severity": "error", "path": "", "message": f"cannot read file: {e.strerror}"}]
    try:
        issues = fhirkit.validate(data)
    except fhirkit.ParseError:
        return [{"severity": "error", "path": "", "message": "not JSON"}]
    except Exception as e:  # a validator failure is a finding, never a crash of the run
        return [{"severity": "error", "path": "", "message": f"validator exception: {type(e).__name__}"}]
    return [{"severity": i.severity, "path": i.path, "message": i.message} for i in issues]


def main():
    out = {
        "tool": "fhirkit",
        "version": fhirkit.__version__,
        "fhir_version": fhirkit.FHIR_VERSION,
        "files": [{"file": name, "issues": check(name)} for name in sys.argv[1:]],
    }
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
