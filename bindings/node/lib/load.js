'use strict'
// Which build of mods-sdk index.js calls: the native addon that fits this platform, found
// by the napi-rs loader (native.js: a `mods.<platform>.node` beside the package in a
// development build, else the platform package `@mods-sdk/node-<platform>`, one of this
// package's optionalDependencies, of which npm installs only the one that fits), or else
// the WebAssembly build (lib/wasm-native.js over the `mods-sdk-wasm` package). Setting
// MODS_SDK_FORCE_WASM=1 skips the addon (to test the fallback on a platform that has one).

const { loadWasm, create } = require('./wasm-native.js')

/** The WebAssembly fallback, or an Error that names what is missing. */
function wasmFallback(why) {
  let wasm
  try {
    wasm = loadWasm()
  } catch (e) {
    const err = new Error(
      `@mods-sdk/node: no native addon for ${process.platform}-${process.arch} (${why}), and its ` +
        `WebAssembly fallback, the package mods-sdk-wasm, could not be loaded (${e && e.message ? e.message.split('\n')[0] : e}). ` +
        'Reinstall @mods-sdk/node (npm installs mods-sdk-wasm with it), or install mods-sdk-wasm.',
    )
    err.code = 'ERR_MODS_NO_BINDING'
    err.cause = e
    throw err
  }
  return create(wasm)
}

function load() {
  if (process.env.MODS_SDK_FORCE_WASM === '1') return wasmFallback('MODS_SDK_FORCE_WASM=1')
  try {
    // stamps `__napiBindingTarget: 'native'` on what it loads
    return require('../native.js')
  } catch (e) {
    return wasmFallback(e && e.message ? e.message.split('\n')[0] : String(e))
  }
}

module.exports = load()
