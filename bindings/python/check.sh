#!/usr/bin/env bash
# Builds the Python binding's wheel with maturin, installs it into a virtualenv kept
# outside the repository, and tests it: the README's Python snippet, stubtest, mypy --strict
# on the typed uses (tests/typing/), pytest, and the Spark tests (tests/spark/) in a
# virtualenv of their own (requirements-spark.txt: pyspark is large, so the main virtualenv
# stays small; it needs Java 17, which .ci/run installs).
# Then builds a second, debug wheel with the test-only `fault-injection` feature and runs
# tests/test_panics.py against it (docs/validation.md, "Fault injection"); that wheel is
# never installed into the virtualenv. Run from anywhere; scripts/check runs it. Ends with
# pytest's summary line.
#   MODS_PY_VENV   the virtualenv (default ${XDG_CACHE_HOME:-$HOME/.cache}/mods-sdk/py-venv)
#   MODS_SPARK_VENV  the Spark tests' virtualenv (default ${XDG_CACHE_HOME:-$HOME/.cache}/mods-sdk/spark-venv)
#   PYTHON         the interpreter that creates them (default python3; 3.9 or newer)
set -Eeuo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/mods-sdk
VENV=${MODS_PY_VENV:-$CACHE/py-venv}
SPARK_VENV=${MODS_SPARK_VENV:-$CACHE/spark-venv}
PY=${PYTHON:-python3}
DIST=$CACHE/py-dist
DIST_FAULT=$CACHE/py-dist-fault-injection

# 1. virtualenv, rebuilt only when the requirements or the interpreter change
stamp="$(cat "$HERE/requirements-dev.txt"; "$PY" --version 2>&1)"
if [[ ! -x $VENV/bin/python || "$(cat "$VENV/.stamp" 2>/dev/null)" != "$stamp" ]]; then
  echo "--- creating $VENV"
  rm -rf "$VENV"
  mkdir -p "$(dirname "$VENV")"
  "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$HERE/requirements-dev.txt"
  printf '%s' "$stamp" > "$VENV/.stamp"
fi
VPY=$VENV/bin/python
spark_stamp="$(cat "$HERE/requirements-spark.txt"; "$PY" --version 2>&1)"
if [[ ! -x $SPARK_VENV/bin/python || "$(cat "$SPARK_VENV/.stamp" 2>/dev/null)" != "$spark_stamp" ]]; then
  echo "--- creating $SPARK_VENV"
  rm -rf "$SPARK_VENV"
  mkdir -p "$(dirname "$SPARK_VENV")"
  "$PY" -m venv "$SPARK_VENV"
  "$SPARK_VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$HERE/requirements-spark.txt"
  printf '%s' "$spark_stamp" > "$SPARK_VENV/.stamp"
fi
# maturin and cargo configure pyo3 for the same interpreter
export PYO3_PYTHON=$VPY

# 2. build the wheel (abi3, release) as it is released: manylinux2014 (glibc 2.17), linked
# by zig (PyPI `ziglang`; maturin finds it through the venv's python, so the venv's bin goes
# first on PATH), checked by auditwheel, and installed as a user would
echo "--- maturin build (manylinux2014, zig)"
rm -rf "$DIST"
(cd "$HERE" && PATH="$VENV/bin:$PATH" "$VENV/bin/maturin" build --release --locked --quiet --zig \
  --compatibility manylinux2014 -o "$DIST" 2>&1 | grep -v '^\s*$' | tail -3)
audit=$("$VENV/bin/auditwheel" show "$DIST"/*.whl | tr '\n' ' ')
if ! grep -q "consistent with the following platform tag: \"manylinux_2_17_$(uname -m)\"" <<<"$audit"; then
  echo "auditwheel does not find the wheel manylinux2014 (glibc 2.17): $audit"
  exit 1
fi
echo "auditwheel: the wheel is manylinux_2_17_$(uname -m) (glibc 2.17 or later)"
wheel=$(ls "$DIST"/*.whl)
echo "wheel: $(basename "$wheel") ($(stat -c %s "$wheel") bytes)"
"$VPY" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps "$wheel"
"$SPARK_VENV/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps "$wheel"

# the wheel installs into a fresh virtualenv, with nothing else, and works there
fresh_venv=$(mktemp -d)
"$PY" -m venv "$fresh_venv"
"$fresh_venv/bin/python" -m pip install -q --disable-pip-version-check "$wheel"
(cd "$fresh_venv" && "$fresh_venv/bin/python" -c '
import mods
r = mods.validate(open("'"$ROOT"'/examples/records/mr-green.json", "rb").read())
assert r.valid, r
print("fresh virtualenv: mods", mods.__version__ if hasattr(mods, "__version__") else "", "validates the example")
')
rm -rf "$fresh_venv"

# everything below imports the installed wheel, never the source tree
cd "$(mktemp -d)"
trap 'rm -rf "$PWD"' EXIT

# 3. the README's Python snippets run as written, each on its own, from the repository root
#    (where its install steps leave the reader)
echo "--- README snippets"
"$VPY" - "$HERE/README.md" "$PWD" <<'PYEOF'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
blocks = re.findall(r"```python\n(.*?)```", text, re.S)
if not blocks:
    sys.exit("no ```python block in the README")
for i, b in enumerate(blocks):
    open(f"{sys.argv[2]}/snippet{i}.py", "w", encoding="utf-8").write(b)
PYEOF
for snippet in snippet*.py; do
  echo "$snippet"
  (cd "$ROOT" && "$VPY" "$OLDPWD/$snippet")
done

# 4. the stubs match the module
echo "--- stubtest"
"$VPY" -m mypy.stubtest mods

# 4b. the stubs type the record input without Any: mypy --strict passes on correct uses
#     (tests/test_typing.py checks that it rejects the misuses of tests/typing/misuse.py)
echo "--- mypy --strict tests/typing/correct.py"
"$VPY" -m mypy --strict --no-incremental "$HERE/tests/typing/correct.py"

# 5. pytest (exit code 5, no tests collected, is a failure too); the release wheel, so
#    tests/test_panics.py checks that it has no fault injection
echo "--- pytest"
set +e
"$VPY" -m pytest -q -p no:cacheprovider --ignore="$HERE/tests/spark" "$HERE/tests"
rc=$?
set -e
if [[ $rc -eq 5 ]]; then echo "pytest collected no tests"; exit 1; fi
if [[ $rc -ne 0 ]]; then exit $rc; fi

# 5b. mods.spark on pyspark in local mode, against the CLI's verdicts (builds the CLI;
#     skipped, visibly, where Java is absent, and then failing under CI=true)
echo "--- Spark tests (tests/spark, their own virtualenv)"
(cd "$ROOT" && cargo build -q --locked -p mods-cli)
set +e
MODS_CLI=${CARGO_TARGET_DIR:-$ROOT/target}/debug/mods \
  "$SPARK_VENV/bin/python" -m pytest -q -p no:cacheprovider -rs "$HERE/tests/spark"
rc=$?
set -e
if [[ $rc -eq 5 ]]; then echo "pytest collected no tests"; exit 1; fi
if [[ $rc -ne 0 ]]; then exit $rc; fi

# 6. a panic never crosses into Python: a debug wheel with the test-only fault injection
#    (mods-core refuses to build it with optimisations), unpacked into its own directory
#    that PYTHONPATH puts ahead of the virtualenv's release wheel, for this one run only
echo "--- fault-injection wheel (test only): tests/test_panics.py"
rm -rf "$DIST_FAULT"
(cd "$HERE" && "$VENV/bin/maturin" build --locked --quiet --features fault-injection -o "$DIST_FAULT" 2>&1 | grep -v '^\s*$' | tail -3)
fault_lib=$PWD/fault-injection-lib
"$VPY" -m pip install -q --disable-pip-version-check --no-deps --target "$fault_lib" "$DIST_FAULT"/*.whl
set +e
PYTHONPATH=$fault_lib MODS_TEST_FAULT_INJECTION=1 \
  "$VPY" -m pytest -q -p no:cacheprovider "$HERE/tests/test_panics.py"
rc=$?
set -e
if [[ $rc -eq 5 ]]; then echo "pytest collected no tests"; exit 1; fi
exit $rc
