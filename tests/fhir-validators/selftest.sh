#!/usr/bin/env bash
# Proves that run.sh and the validators behind it work, and that run.sh fails when it should,
# on the reference cases in the folder `shared` beside the repository (MODS_SHARED_DIR):
#  1. fhir/validator-cases/valid/ (17 UK Core examples): run.sh --profiles passes;
#  2. every case of fhir/validator-cases/broken/_cases.json: run.sh --profiles fails exactly
#     when selftest-expectations.json says a tool catches the defect, and the tools that
#     report errors are exactly the ones it lists (a gap all tools share must pass, so a tool
#     that starts catching it shows up here); SELFTEST_EACH=1 runs run.sh once per case;
#  3. profiles: case 11 (two NHS numbers) passes without --profiles, fails when meta.profile
#     claims UKCore-Patient; a claimed profile without a snapshot is a note, not an error;
#  4. fhir/ukcore/examples/ (all 44): only the files listed in selftest-expectations.json
#     (the upstream ConditionEpisode defect) have errors.
# When the folder is missing: SKIPPED, or a failure when CI is set (not empty, 0 or false).
# Usage: tests/fhir-validators/selftest.sh      Exit status 0 when every assertion holds.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
shared="${MODS_SHARED_DIR:-${MODS_SHARED:-$repo/../shared}}"
cases="$shared/fhir/validator-cases"
examples="$shared/fhir/ukcore/examples"
expect="$here/selftest-expectations.json"

for need in "$cases/valid" "$cases/broken/_cases.json" "$examples" "$shared/fhir/ukcore/snapshots"; do
  if [ ! -e "$need" ]; then
    reason="$need not found (reference data: the folder \`shared\` beside the repository, or the one MODS_SHARED_DIR names)"
    ci="$(printf '%s' "${CI:-}" | tr '[:upper:]' '[:lower:]' | tr -d '[:space:]')"
    if [ -n "$ci" ] && [ "$ci" != 0 ] && [ "$ci" != false ]; then
      echo "FAILED fhir-validators selftest: $reason. In CI (CI is set) the reference folder must be present." >&2
      exit 1
    fi
    echo "SKIPPED fhir-validators selftest: $reason"
    exit 0
  fi
done

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# run.sh's exit status; its output goes to $tmp/out
run() {
  local rc=0
  "$here/run.sh" "$@" > "$tmp/out" 2>&1 || rc=$?
  echo "$rc"
}
# the tools with an error line for FILE in $tmp/out, sorted, space-separated
tools_for() { awk -v f="$1" '$2 == f { print $1 }' "$tmp/out" | sort -u | tr '\n' ' ' | sed 's/ $//'; }
show() { sed 's/^/    /' "$tmp/out"; }

# 1. valid cases
rc=$(run --profiles "$cases/valid")
if [ "$rc" = 0 ]; then ok "valid/: no errors"; else fail "valid/: run.sh exited $rc"; show; fi

# 2. broken cases: the list of cases comes from _cases.json, the expected tools from our file
mapfile -t plan < <(python3 - "$cases/broken/_cases.json" "$expect" <<'PY'
import json, sys
cases = json.load(open(sys.argv[1]))
expected = json.load(open(sys.argv[2]))["broken"]
for name in sorted(set(cases) | set(expected)):
    if name not in expected:
        print(f"{name}\tUNLISTED\t")
    elif name not in cases:
        print(f"{name}\tSTALE\t")
    else:
        print(f"{name}\tOK\t{' '.join(sorted(expected[name]))}")
PY
)
# One run.sh over all the cases (each file is checked on its own, so the tools with an error
# line for a file are what run.sh reports when given that file alone), then two single-file
# runs for the exit status. SELFTEST_EACH=1 runs run.sh once per case instead (about 2 s each).
check_case() { # name want rc got
  local name="$1" want="$2" rc="$3" got="$4"
  if [ -n "$want" ]; then
    if { [ -z "$rc" ] || [ "$rc" = 1 ]; } && [ "$got" = "$want" ]; then
      ok "broken/$name: run.sh fails (caught by $got)"; caught=$((caught + 1))
    else
      fail "broken/$name: run.sh exited ${rc:-1} with errors from [$got], expected 1 with errors from [$want]"; show
    fi
  elif { [ -z "$rc" ] || [ "$rc" = 0 ]; } && [ -z "$got" ]; then
    ok "broken/$name: not caught by any of these tools, as expected (mods-fhir checks it)"
  else
    fail "broken/$name: expected no tool to catch it, run.sh${rc:+ exited $rc and} reported errors from [$got]; update selftest-expectations.json and README.md"; show
  fi
}
caught=0
listed=()
for line in "${plan[@]}"; do
  IFS=$'\t' read -r name status want <<< "$line"
  case "$status" in
    UNLISTED) fail "broken/$name is in _cases.json but not in selftest-expectations.json" ;;
    STALE) fail "selftest-expectations.json lists broken/$name, which _cases.json does not" ;;
    *) listed+=("$line") ;;
  esac
done
if [ -n "${SELFTEST_EACH:-}" ]; then
  for line in "${listed[@]}"; do
    IFS=$'\t' read -r name status want <<< "$line"
    file="$cases/broken/$name.json"
    rc=$(run --profiles "$file")
    check_case "$name" "$want" "$rc" "$(tools_for "$file")"
  done
else
  files=()
  for line in "${listed[@]}"; do files+=("$cases/broken/${line%%$'\t'*}.json"); done
  rc=$(run --profiles "${files[@]}")
  [ "$rc" = 1 ] || { fail "broken/: run.sh over all cases exited $rc, expected 1"; show; }
  for line in "${listed[@]}"; do
    IFS=$'\t' read -r name status want <<< "$line"
    check_case "$name" "$want" "" "$(tools_for "$cases/broken/$name.json")"
  done
  for one in 02-bad-gender-code:1 10-nhsnumber-no-value:0; do
    rc=$(run --profiles "$cases/broken/${one%:*}.json")
    if [ "$rc" = "${one#*:}" ]; then ok "broken/${one%:*} alone: run.sh exits $rc"; else fail "broken/${one%:*} alone: run.sh exited $rc, expected ${one#*:}"; show; fi
  done
fi
echo "broken cases caught: $caught of ${#listed[@]}"

# 3. profiles: by type with --profiles, by meta.profile always, a note for a profile without snapshot
rc=$(run "$cases/broken/11-two-nhs-numbers.json")
if [ "$rc" = 0 ]; then ok "profiles: 11 passes without --profiles and without meta.profile"; else fail "profiles: 11 without --profiles exited $rc"; show; fi
python3 - "$cases/broken/11-two-nhs-numbers.json" "$tmp/claims.json" "$cases/valid/UKCore-Patient-RichardSmith-Example.json" "$tmp/unknown.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r.setdefault("meta", {})["profile"] = ["https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient"]
json.dump(r, open(sys.argv[2], "w"))
r = json.load(open(sys.argv[3]))
r.setdefault("meta", {})["profile"] = ["https://example.org/fhir/StructureDefinition/NoSnapshot"]
json.dump(r, open(sys.argv[4], "w"))
PY
rc=$(run "$tmp/claims.json")
got="$(tools_for "$tmp/claims.json")"
if [ "$rc" = 1 ] && [ "$got" = medplum-ukcore ]; then ok "profiles: 11 claiming UKCore-Patient in meta.profile fails (medplum-ukcore)"; else fail "profiles: 11 with meta.profile exited $rc with errors from [$got]"; show; fi
rc=$(run "$tmp/unknown.json")
if [ "$rc" = 0 ] && grep -q "https://example.org/fhir/StructureDefinition/NoSnapshot" "$tmp/out" && grep -q "have no snapshot" "$tmp/out"; then
  ok "profiles: a claimed profile without a snapshot is a note, not an error"
else
  fail "profiles: a claimed profile without a snapshot: exit $rc, or no note"; show
fi

# 4. all UK Core examples
rc=$(run --profiles "$examples")
got="$(awk '$1 ~ /^(fhirkit|medplum-base|medplum-ukcore|npm-fhir|fhirpath-invariants)$/ && $2 ~ /[.]json$/ { n = split($2, p, "/"); print p[n] }' "$tmp/out" | sort -u | tr '\n' ' ' | sed 's/ $//')"
want="$(python3 -c 'import json,sys; print(" ".join(sorted(json.load(open(sys.argv[1]))["ukcore_examples_failing"])))' "$expect")"
n=$(find "$examples" -name '*.json' | wc -l)
if [ "$rc" = 1 ] && [ "$got" = "$want" ]; then
  ok "ukcore/examples/ ($n files): errors only in the known upstream defect(s): $got"
else
  fail "ukcore/examples/: exit $rc, errors in [$got], expected exit 1 with errors in [$want]"; show
fi

if [ "$failures" -gt 0 ]; then
  echo "fhir-validators selftest: $failures failure(s)"
  exit 1
fi
echo "fhir-validators selftest: all assertions hold"
