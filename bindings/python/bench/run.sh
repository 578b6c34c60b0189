#!/usr/bin/env bash
# Runs the Python benchmark (bench/bench.py, its options passed on) against a release wheel
# built from this tree, in a virtualenv kept outside the repository with every contender's
# package (requirements-dev.txt and bench/requirements.txt, pinned). Run from anywhere.
#   MODS_PY_BENCH_VENV   the virtualenv (default ${XDG_CACHE_HOME:-$HOME/.cache}/mods-sdk/py-bench-venv)
#   PYTHON               the interpreter that creates it (default python3)
set -Eeuo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/mods-sdk
VENV=${MODS_PY_BENCH_VENV:-$CACHE/py-bench-venv}
PY=${PYTHON:-python3}
DIST=$CACHE/py-bench-dist

stamp="$(cat "$HERE/requirements-dev.txt" "$HERE/bench/requirements.txt"; "$PY" --version 2>&1)"
if [[ ! -x $VENV/bin/python || "$(cat "$VENV/.stamp" 2>/dev/null)" != "$stamp" ]]; then
  echo "--- creating $VENV" >&2
  rm -rf "$VENV"
  mkdir -p "$(dirname "$VENV")"
  "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check \
    -r "$HERE/requirements-dev.txt" -r "$HERE/bench/requirements.txt"
  printf '%s' "$stamp" > "$VENV/.stamp"
fi
export PYO3_PYTHON=$VENV/bin/python
echo "--- maturin build --release" >&2
rm -rf "$DIST"
(cd "$HERE" && "$VENV/bin/maturin" build --release --locked --quiet -o "$DIST" 2>&1 | grep -v '^\s*$' | tail -3 >&2)
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps "$DIST"/*.whl
exec "$VENV/bin/python" "$HERE/bench/bench.py" "$@"
