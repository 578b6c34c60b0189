#!/usr/bin/env bash
# Runs independent FHIR validators on FHIR R4 JSON files and fails on any error that is not a
# known false positive: fhirkit (structure, datatypes), Medplum validateResource (base R4 with
# invariants; UK Core profiles from the snapshots in the reference folder), npm fhir (required
# bindings) and the fhirpath.js pass over the base-R4 invariants. See README.md.
#
# Usage: tests/fhir-validators/run.sh [--profiles] FILE_OR_DIR...
#   Directories are searched recursively for *.json files.
#   --profiles  also validate each resource against the UK Core profile of its type
#               (UKCore-<resourceType>) when a snapshot exists, even if meta.profile does not
#               claim it; profiles claimed in meta.profile are always checked.
# Environment: MODS_SHARED_DIR  the reference folder (default: `shared` beside the repository;
#                               MODS_SHARED is read too), for fhir/ukcore/snapshots
#              XDG_CACHE_HOME   where the venv lives (default ~/.cache), mods-sdk/fhir-validators-venv
#              CI               when set (not 0/false), missing snapshots are a failure
# Installs what is missing: the venv with requirements.txt, and node_modules with `npm ci`.
# Exit status: 0 no errors, 1 at least one error outside known-false-positives.json, 2 usage or
# setup error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
shared="${MODS_SHARED_DIR:-${MODS_SHARED:-$repo/../shared}}"
venv="${XDG_CACHE_HOME:-$HOME/.cache}/mods-sdk/fhir-validators-venv"

profiles=()
inputs=()
for arg in "$@"; do
  case "$arg" in
    --profiles) profiles=(--profiles) ;;
    -h|--help) sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run.sh: unknown option $arg" >&2; exit 2 ;;
    *) inputs+=("$arg") ;;
  esac
done
if [ "${#inputs[@]}" -eq 0 ]; then
  echo "usage: run.sh [--profiles] FILE_OR_DIR..." >&2
  exit 2
fi

files=()
for input in "${inputs[@]}"; do
  if [ -d "$input" ]; then
    while IFS= read -r -d '' f; do files+=("$f"); done \
      < <(find "$input" -type f -name '*.json' -not -path '*/node_modules/*' -print0 | sort -z)
  elif [ -f "$input" ]; then
    files+=("$input")
  else
    echo "run.sh: $input: no such file or directory" >&2
    exit 2
  fi
done
if [ "${#files[@]}" -eq 0 ]; then
  echo "run.sh: no .json files in ${inputs[*]}" >&2
  exit 2
fi

# the Python validator: a venv outside the repository, reinstalled when requirements.txt changes
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  echo "$want" > "$stamp"
fi
# the npm validators, exactly as package-lock.json pins them
if [ ! -d "$here/node_modules/@medplum/core" ]; then
  npm ci --prefix "$here" --no-audit --no-fund --loglevel=error
fi

results="$(mktemp)"
trap 'rm -f "$results"' EXIT
"$venv/bin/python" "$here/fhirkit_check.py" "${files[@]}" > "$results"
node "$here/validate.mjs" "${profiles[@]}" --fhirkit "$results" \
  --snapshots "$shared/fhir/ukcore/snapshots" "${files[@]}"
