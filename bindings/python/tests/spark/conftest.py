"""The Spark tests' session (pyspark in local mode, ``local[2]``), and the rule for
what they need: Java and pyspark, and the ``mods`` CLI to compare with. Outside CI a
missing one skips the tests, saying why; under ``CI=true`` it fails them."""

from __future__ import annotations

import os
import pathlib
import shutil
import sys
from typing import Any, Iterator

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[4]
sys.path.insert(0, str(ROOT / "bindings" / "python" / "tests"))


def need(what: str, ok: bool) -> None:
    if ok:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is required under CI=true (.ci/run installs it)")
    pytest.skip(f"{what} is absent")


def cli() -> pathlib.Path:
    """The ``mods`` CLI: ``$MODS_CLI``, else the workspace's debug build."""
    given = os.environ.get("MODS_CLI")
    path = pathlib.Path(given) if given else ROOT / "target" / "debug" / "mods"
    need(f"the mods CLI ({path}; cargo build -p mods-cli)", path.is_file())
    return path


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    need("Java (java on PATH; apt-get install openjdk-17-jre-headless)", shutil.which("java") is not None)
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        need("pyspark (requirements-spark.txt)", False)
        raise
    # the workers run this interpreter, which has the wheel installed
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("mods-sdk tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        # small batches, so that a partition is several Arrow batches
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "16")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()
