#!/usr/bin/env bash
# Builds the WebAssembly package (`npm run build`): pkg-web/ (`--target web`, an ES module
# for browsers) and pkg-node/ (`--target nodejs`, CommonJS), each with TypeScript types and
# the same .wasm optimised once with wasm-opt -Oz (npm binaryen: Debian's binaryen 108
# writes a module that fails to load).
#
# wasm-bindgen-cli must be the version of the wasm-bindgen crate in Cargo.lock. It is taken
# from $WASM_BINDGEN, else from PATH, else from ~/.cache/mods-sdk-ci/tools (where
# .ci/run installs it); run `scripts/install-wasm-bindgen` to install it there.
set -Eeuo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
root=$(cd ../.. && pwd)
want=$(awk '$0=="name = \"wasm-bindgen\""{getline; gsub(/"/,"",$3); print $3}' "$root/Cargo.lock")
bindgen=${WASM_BINDGEN:-}
for candidate in "$bindgen" "$(command -v wasm-bindgen || true)" \
  "${MODS_TOOLS_DIR:-$HOME/.cache/mods-sdk-ci/tools}/wasm-bindgen-$want/bin/wasm-bindgen"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] && [ "$("$candidate" --version)" = "wasm-bindgen $want" ]; then
    bindgen=$candidate
    break
  fi
  bindgen=
done
if [ -z "$bindgen" ]; then
  echo "wasm-bindgen $want not found: run scripts/install-wasm-bindgen (or set WASM_BINDGEN)" >&2
  exit 1
fi
wasm_opt=node_modules/.bin/wasm-opt
[ -x "$wasm_opt" ] || { echo "run 'npm ci' in bindings/wasm first (wasm-opt from npm binaryen)" >&2; exit 1; }

# MODS_WASM_FEATURES, when set, builds only those of the crate's features for records in bulk
# (conformance, share, mi, legacy-import; comma-separated, empty for none): a smaller module
# for an app that needs only validation, forms and the care flows (sizes in README.md).
features=(--features default)
if [ -n "${MODS_WASM_FEATURES+set}" ]; then
  features=(--no-default-features --features "$MODS_WASM_FEATURES")
fi
cargo build --locked -p mods-wasm --target wasm32-unknown-unknown --profile wasm-release "${features[@]}"
target_dir=$(cargo metadata --format-version 1 --no-deps --locked | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
module="$target_dir/wasm32-unknown-unknown/wasm-release/mods_wasm.wasm"

rm -rf pkg-web pkg-node
"$bindgen" --target web --out-dir pkg-web "$module"
"$bindgen" --target nodejs --out-dir pkg-node "$module"
# the two targets' .wasm files are byte-identical: optimise once, copy. wasm-opt (a JS build
# of binaryen) takes about a minute here, so its output is kept in the target directory,
# keyed by the hash of its input and the wasm-opt version: an unchanged module is not
# optimised again.
opt_cache="$target_dir/wasm-opt-cache"
key=$( (sha256sum pkg-web/mods_wasm_bg.wasm; "$wasm_opt" --version) | sha256sum | cut -c1-32)
if [ -f "$opt_cache/$key.wasm" ]; then
  echo "wasm-opt: unchanged input, optimised module taken from $opt_cache"
  cp "$opt_cache/$key.wasm" pkg-web/mods_wasm_bg.wasm
else
  "$wasm_opt" -Oz --strip-debug --strip-producers pkg-web/mods_wasm_bg.wasm -o pkg-web/mods_wasm_bg.wasm
  rm -rf "$opt_cache" && mkdir -p "$opt_cache"
  cp pkg-web/mods_wasm_bg.wasm "$opt_cache/$key.wasm"
fi
cp pkg-web/mods_wasm_bg.wasm pkg-node/mods_wasm_bg.wasm

version=$(node -p 'require("./package.json").version')
for target in web node; do
  node - "$target" "$version" <<'JS'
const [target, version] = process.argv.slice(2);
const fs = require("fs");
const common = {
  name: target === "web" ? "mods-sdk-wasm-web" : "mods-sdk-wasm",
  version,
  description: "MODS (Adult Social Care Minimum Operational Data Standard) validation, look-ups and form API in WebAssembly (" + (target === "web" ? "browsers, ES module" : "Node, CommonJS") + ")",
  license: "MIT OR Apache-2.0",
  files: ["mods_wasm_bg.wasm", "mods_wasm.js", "mods_wasm.d.ts", "mods_wasm_bg.wasm.d.ts", "README.md"],
  types: "mods_wasm.d.ts",
};
const pkg = target === "web"
  ? { ...common, type: "module", main: "mods_wasm.js", module: "mods_wasm.js", sideEffects: ["./snippets/*"] }
  : { ...common, main: "mods_wasm.js" };
fs.writeFileSync(`pkg-${target}/package.json`, JSON.stringify(pkg, null, 2) + "\n");
JS
  cp README.md "pkg-$target/README.md"
  rm -f "pkg-$target/.gitignore"
done
ls -l pkg-web/mods_wasm_bg.wasm
echo "gzip -9: $(gzip -9 -c pkg-web/mods_wasm_bg.wasm | wc -c) bytes"
