#!/bin/sh
# James's hospital discharge merged into his care plan (use case 4).
#
#   examples/flows/discharge/run.sh [OUTDIR]
#
# Runs `mods` (built from this repository with cargo, or $MODS when set) on the inputs beside
# this script; writes the merged records to OUTDIR (a new temporary directory by default).
# README.md beside this script says what each step shows.
set -u
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$(mktemp -d)}
mkdir -p "$out"
mods=${MODS:-"cargo run -q --manifest-path $here/../../../Cargo.toml -p mods-cli --"}
merge="$mods merge-discharge --committer cw-liam --date-time 2026-01-22T17:30:00Z"

echo "== 1. The discharge merged into James's care plan"
# the report (stderr) is shown; the merged record (stdout) goes to a file
$merge "$here/james-before-discharge.json" "$here/discharge-james.json" \
    2>&1 >"$out/james-merged.json"
echo "exit status $?"

echo "== 2. What changed in the record, in MODS terms"
$mods diff --include-values "$here/james-before-discharge.json" "$out/james-merged.json"

echo "== 3. Merged again: nothing more to do"
$merge "$out/james-merged.json" "$here/discharge-james.json" 2>&1 >/dev/null
echo "exit status $?"

echo "== 4. The care plan was changed at home while James was in hospital"
$merge "$here/james-changed-at-home.json" "$here/discharge-james.json" \
    2>&1 >"$out/james-changed-at-home-merged.json"
echo "exit status $?"

echo "== 5. The same, three-way against the record as it was at admission"
$merge --base "$here/james-before-discharge.json" \
    "$here/james-changed-at-home.json" "$here/discharge-james.json" 2>&1 >/dev/null
echo "exit status $?"
