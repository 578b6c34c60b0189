// Conformance of a record to a MODS version (use case 6) in the Node build of the
// WebAssembly package: the suite of bindings/js-tests/record-conformance.mjs, which the Node binding
// runs too.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { suite } from '../../js-tests/record-conformance.mjs'

const mods = createRequire(import.meta.url)('../pkg-node/mods_wasm.js')

suite(mods)

test("options that are not an object: the layer's invalid-option, as for every function here", () => {
  assert.throws(
    () => mods.conformance({ mods_version: '1.0' }, 'strict'),
    (err) => err.name === 'ModsError' && err.code === 'invalid-option',
  )
})
