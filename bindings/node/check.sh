#!/usr/bin/env bash
# Builds the Node binding (npm ci, then `npm run build`: the release addon with
# @napi-rs/cli), a debug addon with the test-only `fault-injection` feature for
# test/panics.test.mjs, and the WebAssembly build the package falls back to
# (bindings/wasm/build.sh, which needs wasm-bindgen-cli: scripts/install-wasm-bindgen);
# runs `node --test` (the conformance corpus, the API, hostile-input and panic tests) on
# the addon and again on the WebAssembly fallback; and finally packs the packages as they
# are released (scripts/pack.mjs: the main package and the linux-x64-gnu platform package;
# mods-sdk-wasm) and installs them into fresh folders as a user would: with the platform
# package (the native addon), and without it (the WebAssembly fallback), and runs the
# README's snippet in each, and once more with MODS_SDK_FORCE_WASM=1. Run from anywhere;
# scripts/check runs it. npm's cache is the user's (~/.npm); nothing is written outside
# bindings/node and bindings/wasm but cargo's target directory, the wasm-bindgen cache and
# temporary folders, which are removed.
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

echo "--- the WebAssembly build, the package's fallback (bindings/wasm/build.sh)"
# for test/wasm-fallback.test.mjs and the packages below (the main package depends on
# mods-sdk-wasm); quick when bindings/wasm/check.sh has built it
(cd ../wasm && ../../scripts/install-wasm-bindgen >/dev/null && npm ci --no-audit --no-fund --loglevel=error \
  && ./build.sh 2>&1 | tail -1)

echo "--- node --test"
tap=$(mktemp)
MODS_NODE_FAULTS=1 MODS_NODE_WASM=1 node --test --test-reporter=dot --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" test/ \
  || { grep -E '^not ok' "$tap"; rm -f "$tap"; exit 1; }
grep -E '^# (tests|pass|fail|skipped)' "$tap"

echo "--- node --test on the WebAssembly fallback (MODS_SDK_FORCE_WASM=1)"
# the same tests through the fallback; skipped there: the fault-injection addon's, and the
# two that need threads or a file system (README.md, "Install")
MODS_SDK_FORCE_WASM=1 MODS_NODE_WASM=1 node --test --test-reporter=dot --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" test/ \
  || { grep -E '^not ok' "$tap"; rm -f "$tap"; exit 1; }
grep -E '^# (tests|pass|fail|skipped)' "$tap"
rm -f "$tap"

echo "--- npm packages (scripts/pack.mjs), and mods-sdk-wasm (bindings/wasm/pkg-node)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# the main package and this platform's package (the release packs all three platforms)
node scripts/pack.mjs --out "$tmp/npm" --require linux-x64-gnu
(cd ../wasm/pkg-node && npm pack --silent --pack-destination "$tmp/npm" >/dev/null)
main=$(ls "$tmp"/npm/mods-sdk-node-[0-9]*.tgz)
gnu=$(ls "$tmp"/npm/mods-sdk-node-linux-x64-gnu-*.tgz)
wasm=$(ls "$tmp"/npm/mods-sdk-wasm-[0-9]*.tgz)
ls -l "$tmp"/npm/*.tgz | awk '{print "  " $5, $NF}' | sed "s|$tmp/npm/||"
# the README's first ```js block, run from the repository root as it says
node -e '
const text = require("fs").readFileSync(process.argv[1], "utf8")
const m = text.match(/```js\n([\s\S]*?)```/)
if (!m) { console.error("no ```js block in the README"); process.exit(1) }
process.stdout.write(m[1])
' "$HERE/README.md" > "$tmp/snippet.cjs"

# install TARBALLS... into the fresh folder $tmp/$1, run the snippet there (resolving the
# package from that folder) and an ES module import, and check which build is in use
try_install() {
  local app=$tmp/$1 want=$2; shift 2
  mkdir "$app"
  (cd "$app" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error "$@" >/dev/null)
  cp "$tmp/snippet.cjs" "$app/snippet.cjs"
  (cd "$ROOT" && node "$app/snippet.cjs")
  (cd "$app" && WANT=$want node --input-type=module -e '
import { validate, coreVersion, __napiBindingTarget } from "@mods-sdk/node"
if (validate("{}").valid) process.exit(1)
if (__napiBindingTarget !== process.env.WANT) { console.error(`the ${__napiBindingTarget} build is in use, not the ${process.env.WANT} one`); process.exit(1) }
console.log(`ESM import of the installed package: mods-sdk ${coreVersion()}, the ${__napiBindingTarget} build`)
')
}
echo "--- installed: @mods-sdk/node + @mods-sdk/node-linux-x64-gnu (the native addon)"
try_install app-native native "$main" "$gnu" "$wasm"
echo "--- installed: @mods-sdk/node without a platform package (the WebAssembly fallback)"
try_install app-wasm wasm "$main" "$wasm"
echo "--- the native install with MODS_SDK_FORCE_WASM=1 (the WebAssembly fallback)"
(cd "$ROOT" && MODS_SDK_FORCE_WASM=1 node "$tmp/app-native/snippet.cjs" >/dev/null)
(cd "$tmp/app-native" && MODS_SDK_FORCE_WASM=1 node -e '
const m = require("@mods-sdk/node")
if (m.__napiBindingTarget !== "wasm") process.exit(1)
console.log("MODS_SDK_FORCE_WASM=1: the", m.__napiBindingTarget, "build")')
