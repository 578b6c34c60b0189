// Conformance of a record to a MODS version (use case 6) through the Node binding: the suite of bindings/js-tests/record-conformance.mjs,
// which the WebAssembly package runs too.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as mods from '../index.mjs'
import { suite } from '../../js-tests/record-conformance.mjs'

suite(mods)

test('options that are not an object are a TypeError', () => {
  assert.throws(() => mods.conformance({ mods_version: '1.0' }, 'strict'), TypeError)
})
