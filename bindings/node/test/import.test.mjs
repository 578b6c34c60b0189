// Legacy import (use case 5) through the Node binding: the suite of bindings/js-tests/import.mjs,
// which the WebAssembly package runs too.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import * as mods from '../index.mjs'
import { load, root } from './helpers.mjs'
import { suite, exampleExport } from '../../js-tests/import.mjs'

suite(mods)

test('the example export accounts for every cell, documents read from baseDir', { skip: mods.__napiBindingTarget === 'wasm' && 'the WebAssembly fallback has no file system' }, () => {
  const s = exampleExport(mods).summary
  // the documents that exist were read: size and checksum recorded
  assert.ok(s.attachments.length > 0)
  assert.ok(s.attachments.every((a) => /^[0-9a-f]{64}$/.test(a.sha256) && a.size > 0))
})

test('data and a mapping that are not text or bytes are a TypeError', () => {
  const { mapping, data } = load(path.join(root, 'tests', 'import', 'cases.json')).cases[2]
  assert.throws(() => mods.importLegacy(mapping, 42), TypeError)
  assert.throws(() => mods.importLegacy(42, data), TypeError)
})
