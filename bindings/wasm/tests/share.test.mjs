// Sharing a record (use case 7) in the Node build of the WebAssembly package: the suite of bindings/js-tests/share.mjs, which the Node binding
// runs too.
import { createRequire } from 'node:module'
import { suite } from '../../js-tests/share.mjs'

const mods = createRequire(import.meta.url)('../pkg-node/mods_wasm.js')

suite(mods)
