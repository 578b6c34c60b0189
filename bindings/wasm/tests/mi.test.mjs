// Management information (docs/mi.md) in the Node build of the WebAssembly package: the suite of bindings/js-tests/mi.mjs, which the Node binding
// runs too.
import { createRequire } from 'node:module'
import { suite } from '../../js-tests/mi.mjs'

const mods = createRequire(import.meta.url)('../pkg-node/mods_wasm.js')

suite(mods)
