#!/usr/bin/env bash
# The WebAssembly package's checks, as CI runs them (scripts/check): wasm-bindgen-cli of the
# right version (installed once into a cache), npm packages from the lock file, both builds,
# the size budget, node --test (conformance corpus, API, README snippet in a fresh install),
# the care form in headless Chromium, and the benchmark once, briefly.
# Without chromium the browser test says SKIPPED, except with CI=true, where it fails.
set -Eeuo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
t0=$SECONDS
../../scripts/install-wasm-bindgen
npm ci --no-audit --no-fund --loglevel=error
npm run --silent build
npm run --silent size
node --test tests/
node --test ../../examples/web-form/test/browser.test.mjs
node bench/bench.mjs --seconds 0.2 >/dev/null
echo "bindings/wasm checks: $((SECONDS - t0)) s"
