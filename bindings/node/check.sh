#!/usr/bin/env bash
# Builds the Node binding (npm ci, then `npm run build`: the release addon with
# @napi-rs/cli) and a debug addon with the test-only `fault-injection` feature for
# test/panics.test.mjs, runs `node --test` (the conformance corpus, the API, hostile-input
# and panic tests), and finally packs the package with `npm pack`, installs the tarball
# into a fresh folder and runs the README's snippet there, as a user would. Run from
# anywhere; scripts/check runs it. npm's cache is the user's (~/.npm); nothing is written
# outside bindings/node but cargo's target directory and temporary folders, which are
# removed.
set -Eeuo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$HERE"
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

echo "--- npm ci"
npm ci --no-audit --no-fund --loglevel=error

echo "--- npm run build (release addon)"
npm run --silent build 2>&1 | grep -v '^\s*$' | tail -3
ls -l ./*.node

echo "--- debug addon with the test-only fault injection (faults/)"
# The same addon `npm run build:faults` makes, built by cargo for the host so that it shares
# the workspace's debug build (napi's CLI always passes --target, a separate tree), next to
# the loader of the release build (it loads the addon beside it)
rm -rf faults && mkdir faults
cargo build --locked --quiet -p mods-node --features fault-injection
target_dir=$(cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>console.log(JSON.parse(s).target_directory))')
cp "$target_dir/debug/libmods_node.so" faults/mods.linux-x64-gnu.node
cp native.js faults/native.js

echo "--- node --test"
tap=$(mktemp)
MODS_NODE_FAULTS=1 node --test --test-reporter=dot --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" test/ \
  || { grep -E '^not ok' "$tap"; rm -f "$tap"; exit 1; }
grep -E '^# (tests|pass|fail|skipped)' "$tap"
rm -f "$tap"

echo "--- npm pack, install into a fresh folder, README snippet"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
npm pack --silent --pack-destination "$tmp" >/dev/null
tarball=$(ls "$tmp"/*.tgz)
echo "package: $(basename "$tarball") ($(stat -c %s "$tarball") bytes)"
mkdir "$tmp/app"
(cd "$tmp/app" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error "$tarball" >/dev/null)
# the README's first ```js block, run from the repository root as it says, resolving the
# package from the fresh folder
node -e '
const text = require("fs").readFileSync(process.argv[1], "utf8")
const m = text.match(/```js\n([\s\S]*?)```/)
if (!m) { console.error("no ```js block in the README"); process.exit(1) }
process.stdout.write(m[1])
' "$HERE/README.md" > "$tmp/app/snippet.cjs"
(cd "$ROOT" && node "$tmp/app/snippet.cjs")
# and an ES module import of the installed package works
(cd "$tmp/app" && node --input-type=module -e '
import { validate, coreVersion } from "@mods-sdk/node"
if (validate("{}").valid) process.exit(1)
console.log("ESM import of the installed package: mods-sdk", coreVersion())
')
