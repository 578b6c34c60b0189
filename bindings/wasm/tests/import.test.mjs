// Legacy import (use case 5) in the Node build of the WebAssembly package, which has no
// file system: the suite of bindings/js-tests/import.mjs, which the Node binding
// runs too.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { load, root } from '../../js-tests/helpers.mjs'
import { createRequire } from 'node:module'
import { suite, exampleExport } from '../../js-tests/import.mjs'

const mods = createRequire(import.meta.url)('../pkg-node/mods_wasm.js')

suite(mods)

test('the example export accounts for every cell; no document can be read here', () => {
  const out = exampleExport(mods)
  // no file system: every document the export names is reported, none attached
  assert.deepEqual(out.summary.attachments, [])
  const documents = out.entries.filter((e) => e.code === 'attachment-missing')
  assert.ok(documents.length > 0)
  assert.ok(documents.every((e) => e.row > 0 && e.column))
})

test('more rows than chunkRows cannot spill to disk here: refused, not grouped wrongly', () => {
  const { cases } = load(path.join(root, 'tests', 'import', 'cases.json'))
  const c = cases[0]
  assert.ok(c.data.trim().split('\n').length > 3)
  assert.equal(mods.importLegacy(c.mapping, c.data).records.length, c.expect.records)
  assert.throws(
    () => mods.importLegacy(c.mapping, c.data, { chunkRows: 1 }),
    (err) => err.name === 'ModsError' && err.code === 'invalid-option' && err.option === 'chunkRows',
  )
})

test('data that is not text or bytes is a TypeError', () => {
  const { mapping } = load(path.join(root, 'tests', 'import', 'cases.json')).cases[2]
  assert.throws(() => mods.importLegacy(mapping, 42), TypeError)
})
