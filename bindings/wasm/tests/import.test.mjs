// Legacy import (use case 5) in the Node build of the WebAssembly package, which has no
// file system: the shared cases of tests/import/cases.json through importLegacy (in memory),
// as the Rust API test, the Python and the Node tests read them, and the example export
// (every source cell accounted for; its documents cannot be read here, so each is reported
// attachment-missing; more rows than chunkRows cannot spill to disk, so they are refused).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const mods = require('../pkg-node/mods_wasm.js')
const root = fileURLToPath(new URL('../../../', import.meta.url))
const load = (p) => JSON.parse(fs.readFileSync(p, 'utf8'))

const { cases } = load(path.join(root, 'tests', 'import', 'cases.json'))
const pointer = (doc, ptr) => ptr.split('/').slice(1).reduce((t, p) => (Array.isArray(t) ? t[Number(p)] : t[p]), doc)

for (const c of cases) {
  test(c.name, () => {
    const e = c.expect
    const options = c.format ? { format: c.format } : undefined
    if (e.error) {
      assert.throws(
        () => mods.importLegacy(c.mapping, c.data, options),
        (err) => err.name === 'ModsError' && err.code === e.error && err.message.includes(e.message_contains),
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

const folder = path.join(root, 'examples', 'legacy-import')

test('the example export accounts for every cell; no document can be read here', () => {
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
  // no file system: every document the export names is reported, none attached
  assert.deepEqual(s.attachments, [])
  const documents = out.entries.filter((e) => e.code === 'attachment-missing')
  assert.ok(documents.length > 0)
  assert.ok(documents.every((e) => e.row > 0 && e.column))
})

test('more rows than chunkRows cannot spill to disk here: refused, not grouped wrongly', () => {
  const c = cases[0]
  assert.ok(c.data.trim().split('\n').length > 3)
  assert.equal(mods.importLegacy(c.mapping, c.data).records.length, c.expect.records)
  assert.throws(
    () => mods.importLegacy(c.mapping, c.data, { chunkRows: 1 }),
    (err) => err.name === 'ModsError' && err.code === 'invalid-option' && err.option === 'chunkRows',
  )
})

test('values only when asked; bad data and options are refused', () => {
  const { mapping, data } = cases[2]
  const out = mods.importLegacy(mapping, data, { includeValues: true })
  assert.ok(out.entries.some((e) => e.value === 'Martian'))
  assert.throws(() => mods.importLegacy(mapping, 42), TypeError)
  assert.throws(
    () => mods.importLegacy(mapping, data, { dry_run: true }),
    (err) => err.name === 'ModsError' && err.code === 'unknown-option' && err.known.includes('dryRun'),
  )
  assert.throws(
    () => mods.importLegacy(mapping, data, { chunkRows: 0 }),
    (err) => err.name === 'ModsError' && err.code === 'invalid-option' && err.option === 'chunkRows',
  )
  assert.throws(
    () => mods.importLegacy(mapping, data, { format: 'xls' }),
    (err) => err.name === 'ModsError' && err.code === 'invalid-option' && err.option === 'format',
  )
})
