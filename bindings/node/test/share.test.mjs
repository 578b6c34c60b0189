// Sharing a record (use case 7) through the Node binding: the suite of bindings/js-tests/share.mjs,
// which the WebAssembly package runs too.
import * as mods from '../index.mjs'
import { suite } from '../../js-tests/share.mjs'

suite(mods)
