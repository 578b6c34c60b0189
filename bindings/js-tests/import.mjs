// Legacy import (use case 5): the shared cases of tests/import/cases.json through
// importLegacy, as the Rust API test and the Python tests read them, and the options every
// build refuses alike. What depends on a file system (documents read from baseDir, rows
// spilled to disk) is in each package's own test.
//
// One suite for both JavaScript packages: bindings/node/test and bindings/wasm/tests
// call `suite` with their module (the Node binding, the WebAssembly package's Node build).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { isModsError, load, root } from './helpers.mjs'

const { cases } = load(path.join(root, 'tests', 'import', 'cases.json'))
const pointer = (doc, ptr) => ptr.split('/').slice(1).reduce((t, p) => (Array.isArray(t) ? t[Number(p)] : t[p]), doc)

export function suite(mods) {
  for (const c of cases) {
    test(c.name, () => {
      const e = c.expect
      const options = c.format ? { format: c.format } : undefined
      if (e.error) {
        assert.throws(
          () => mods.importLegacy(c.mapping, c.data, options),
          (err) => isModsError(mods, err) && err.code === e.error && err.message.includes(e.message_contains),
        )
        return
      }
      const out = mods.importLegacy(c.mapping, Buffer.from(c.data), options)
      assert.equal(out.records.length, e.records)
      assert.equal(out.entries.length, e.entries.length, JSON.stringify(out.entries))
      e.entries.forEach((want, i) => {
        for (const [k, v] of Object.entries(want)) assert.deepEqual(out.entries[i][k] ?? null, v, `${i} ${k}`)
      })
      for (const [ptr, v] of Object.entries(e.values || {})) assert.deepEqual(pointer(out.records, ptr), v, ptr)
      for (const [ptr, n] of Object.entries(e.counts || {})) assert.equal(pointer(out.records, ptr).length, n, ptr)
      if (e.absent) assert.ok(!JSON.stringify(out.entries).includes(e.absent))
      for (const [col, n] of Object.entries(out.summary.columns)) {
        assert.equal(n.cells, n.imported + n.ignored + n.reported, col)
      }
      // text and bytes are read alike
      assert.deepEqual(mods.importLegacy(c.mapping, c.data, options), out)
    })
  }

  test('values only when asked; bad options are refused', () => {
    const { mapping, data } = cases[2]
    const out = mods.importLegacy(mapping, data, { includeValues: true })
    assert.ok(out.entries.some((e) => e.value === 'Martian'))
    assert.throws(
      () => mods.importLegacy(mapping, data, { dry_run: true }),
      (err) => isModsError(mods, err) && err.code === 'unknown-option' && err.known.includes('dryRun'),
    )
    assert.throws(
      () => mods.importLegacy(mapping, data, { chunkRows: 0 }),
      (err) => isModsError(mods, err) && err.code === 'invalid-option' && err.option === 'chunkRows',
    )
    assert.throws(
      () => mods.importLegacy(mapping, data, { format: 'xls' }),
      (err) => isModsError(mods, err) && err.code === 'invalid-option' && err.option === 'format',
    )
  })
}

const folder = path.join(root, 'examples', 'legacy-import')

/** The example export (examples/legacy-import, 300 people) imported as a dry run with its
 * documents looked for in its folder, checked as every build checks it: every source cell
 * accounted for, no value shown. What became of the documents is each package's to check. */
export function exampleExport(mods) {
  const out = mods.importLegacy(
    fs.readFileSync(path.join(folder, 'mapping.toml'), 'utf8'),
    fs.readFileSync(path.join(folder, 'clients.csv')),
    { dryRun: true, baseDir: folder, name: 'clients.csv' },
  )
  const s = out.summary
  assert.deepEqual(out.records, [])
  assert.equal(s.persons, 300)
  const codes = new Set(out.entries.map((e) => e.code))
  for (const c of ['too-many-fields', 'unmapped-value', 'unmapped-column', 'attachment-missing']) assert.ok(codes.has(c), c)
  assert.ok(out.entries.every((e) => !('value' in e)))
  const cols = Object.values(s.columns)
  const cells = cols.reduce((n, c) => n + c.cells, 0)
  const accounted = cols.reduce((n, c) => n + c.imported + c.ignored + c.reported, 0)
  assert.equal(cells, accounted)
  assert.ok(cells > 7000)
  return out
}
