// Management information (docs/mi.md) through the Node binding: the suite of bindings/js-tests/mi.mjs,
// which the WebAssembly package runs too.
import * as mods from '../index.mjs'
import { suite } from '../../js-tests/mi.mjs'

suite(mods)
