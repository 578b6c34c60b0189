"""Shared fixtures: where the repository's data is."""

from __future__ import annotations

import json
import pathlib
from typing import Any, Dict

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
CORPUS = ROOT / "tests" / "conformance" / "cases"
RECORDS = ROOT / "examples" / "records"


def load(path: pathlib.Path) -> Dict[str, Any]:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="session")
def green() -> Dict[str, Any]:
    """Mr Green's record: valid."""
    return load(RECORDS / "mr-green.json")
