"""Generate and validate MODS records with Spark in local mode, and time it.

    python examples/spark/validate_million.py --records 1000000 --partitions 2 4 --cores 1 2

Stage 1 writes the records (records.py) to Parquet in ``--work`` (once per record count);
stage 2, timed, reads them and validates them with ``mods.spark.validate``, counting valid
and invalid records (which must match what was generated), for each ``--cores`` (Spark's
``local[N]``: N task slots, one executor) and each ``--partitions``. Then the same records'
per-core rate through ``mods.validate_many(workers=1)`` on a sample, for comparison.
Prints one Markdown table. docs/spark.md has the figures of a run and how to run this on a
cluster.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys
import time
from typing import Any, Iterator, List

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import records  # noqa: E402

import mods  # noqa: E402
import mods.spark  # noqa: E402


def session(cores: int) -> Any:
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("mods-sdk million records")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "2g")
        .config("spark.sql.shuffle.partitions", str(cores))
        # small read splits, so that coalesce(partitions) can make as many as asked for
        .config("spark.sql.files.maxPartitionBytes", str(4 << 20))
        .getOrCreate()
    )
    # the generator's module, for the executors (mods itself is installed there)
    spark.sparkContext.addPyFile(str(HERE / "records.py"))
    return spark


def generate(spark: Any, n: int, files: int, path: pathlib.Path) -> None:
    import pyarrow as pa

    parts, _ = records.template()

    def gen(batches: Iterator[Any]) -> Iterator[Any]:
        for b in batches:
            ids = b.column("id").to_pylist()
            if ids:
                yield pa.RecordBatch.from_arrays(
                    [pa.array(ids, pa.int64()), pa.array(records.make(ids[0], ids[-1] + 1, parts))],
                    names=["id", "record"],
                )

    df = spark.range(0, n, numPartitions=files).mapInArrow(gen, "id long, record string")
    df.write.mode("overwrite").parquet(str(path))


def validate(spark: Any, path: pathlib.Path, partitions: int, keep: Any) -> dict:
    from pyspark.sql import functions as F

    df = spark.read.parquet(str(path)).coalesce(partitions)
    assert df.rdd.getNumPartitions() == partitions
    checked = mods.spark.validate(df, "record", columns=keep)
    t = time.perf_counter()
    counts = {
        ("valid" if r["valid"] else "invalid"): r["n"]
        for r in checked.groupBy("valid").agg(F.count(F.lit(1)).alias("n")).collect()
    }
    return {"seconds": time.perf_counter() - t, "counts": counts}


def baseline(n: int) -> float:
    """Records per second of ``validate_many(workers=1)`` on ``n`` of the same records
    (as bytes), best of three."""
    parts, _ = records.template()
    batch = [r.encode() for r in records.make(0, n, parts)]
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        reports = mods.validate_many(batch, workers=1)
        best = min(best, time.perf_counter() - t)
    assert sum(r.valid for r in reports) == records.expected(n)["valid"]
    return n / best


def main(argv: List[str]) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--partitions", type=int, nargs="+", default=[2, 4])
    ap.add_argument("--cores", type=int, nargs="+", default=[2])
    ap.add_argument("--baseline", type=int, default=50_000, help="records for validate_many")
    ap.add_argument("--work", type=pathlib.Path, default=pathlib.Path("/tmp/mods-spark-example"))
    args = ap.parse_args(argv)
    path = args.work / f"records-{args.records}.parquet"
    want = records.expected(args.records)
    rows = []
    for cores in args.cores:
        spark = session(cores)
        spark.sparkContext.setLogLevel("ERROR")
        if not (path / "_SUCCESS").exists():
            t = time.perf_counter()
            generate(spark, args.records, 4, path)
            print(f"generated {args.records:,} records in {time.perf_counter() - t:.1f} s", flush=True)
        # a first, untimed job starts the Python workers
        validate(spark, path, args.partitions[0], ["id"])
        for p in args.partitions:
            for keep, label in ((None, "all"), (["id"], "id")):
                got = validate(spark, path, p, keep)
                assert got["counts"] == want, (got["counts"], want)
                rate = args.records / got["seconds"]
                rows.append((cores, p, label, got["seconds"], rate, rate / cores))
                print(f"local[{cores}], {p} partitions, columns {label}: {got['seconds']:.1f} s, "
                      f"{rate:,.0f} records/s", flush=True)
        spark.stop()
    base = baseline(args.baseline)
    print()
    print(f"{args.records:,} records ({want['valid']:,} valid, {want['invalid']:,} invalid), "
          f"{len(records.template()[1]):,} bytes each")
    print()
    print("| Spark master | partitions | columns kept | seconds | records/s | records/s per core | × validate_many per core |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for cores, p, label, s, rate, per_core in rows:
        print(f"| local[{cores}] | {p} | {label} | {s:.1f} | {rate:,.0f} | {per_core:,.0f} | {per_core / base:.2f} |")
    print(f"| validate_many(workers=1), {args.baseline:,} records | | | | {base:,.0f} | {base:,.0f} | 1.00 |")


if __name__ == "__main__":
    main(sys.argv[1:])
