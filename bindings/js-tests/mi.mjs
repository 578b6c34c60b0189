// Management information (docs/mi.md): the language-neutral cases of tests/mi through
// aggregate and extract, as the Rust API runner and the Python tests read them, and the
// JavaScript shapes (rows as objects in column order, the key as bytes and never shown,
// refusals as ModsError naming the option as spelt, unreadable records counted).
//
// One suite for both JavaScript packages: bindings/node/test and bindings/wasm/tests
// call `suite` with their module (the Node binding, the WebAssembly package's Node build).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { isModsError, load, root } from './helpers.mjs'

const dir = path.join(root, 'tests', 'mi')
const people = fs.readFileSync(path.join(root, 'examples', 'mi', 'people.ndjson'), 'utf8').split('\n').filter(Boolean)
const camelName = (k) => k.replace(/_([a-z])/g, (_, c) => c.toUpperCase())
const camel = (o) => Object.fromEntries(Object.entries(o || {}).map(([k, v]) => [camelName(k), v]))
// a string in a case is text that is not JSON; a value is passed as an object

export function suite(mods) {
  for (const c of load(path.join(dir, 'aggregate.json')).cases) {
    test(`aggregate: ${c.name}`, () => {
      if (c.error) {
        assert.throws(
          () => mods.aggregate(c.records, camel(c.options)),
          (err) => isModsError(mods, err) && err.code === c.error.code && err.option === camelName(c.error.option),
        )
        return
      }
      const t = mods.aggregate(c.records, camel(c.options))
      assert.deepEqual(t.rows, c.rows)
      for (const row of t.rows) assert.deepEqual(Object.keys(row).slice(-2), ['people', 'records'])
      assert.equal(t.total_people, c.total_people)
      assert.equal(t.total_records, c.total_records)
      assert.equal(t.unreadable, c.unreadable)
    })
  }

  for (const c of load(path.join(dir, 'extract.json')).cases) {
    test(`extract: ${c.name}`, () => {
      const key = Buffer.from(c.key_hex, 'hex')
      if (c.error) {
        assert.throws(
          () => mods.extract(c.records, { ...camel(c.options), key }),
          (err) =>
            isModsError(mods, err) &&
            err.code === c.error.code &&
            err.option === c.error.option &&
            (c.key_hex === '' || !err.message.includes(c.key_hex)),
        )
        return
      }
      const x = mods.extract(c.records, { ...camel(c.options), key })
      assert.equal(x.rows.length, c.rows.length)
      x.rows.forEach((got, i) => {
        assert.deepEqual(Object.keys(got), x.columns)
        for (const [column, value] of Object.entries(got)) assert.equal(value, c.rows[i][column] ?? '', column)
      })
      const text = JSON.stringify(x)
      for (const secret of c.absent) assert.ok(!text.includes(secret), secret)
      assert.ok(!text.includes(c.key_hex))
    })
  }

  test('the pseudonym is HMAC-SHA256 of the NHS number, the key as a string or bytes', () => {
    const line = people[0]
    const nhs = JSON.parse(line).subject_of_care.nhs_number
    const key = 'k'.repeat(32)
    const want = crypto.createHmac('sha256', key).update(`nhs:${nhs}`).digest('hex')
    const x = mods.extract([line], { key })
    assert.deepEqual([...new Set(x.rows.map((r) => r.LA_Person_Unique_Identifier))], [want])
    assert.deepEqual(mods.extract([line], { key: new TextEncoder().encode(key) }), x)
    assert.deepEqual(mods.extractProfiles(), ['dhsc-cld'])
  })

  test('the key is never shown: not in errors, not JSON', () => {
    const key = 'a-secret-key-of-the-council'
    assert.throws(
      () => mods.extract([people[0]], { key }),
      (err) => isModsError(mods, err) && err.option === 'key' && !err.message.includes(key) && !JSON.stringify(err).includes(key),
    )
    assert.throws(() => mods.extract([people[0]], { key: 42 }), (err) => TypeError.prototype.isPrototypeOf(err) && !err.message.includes('42'))
    assert.throws(
      () => mods.extract([people[0]], {}),
      (err) => isModsError(mods, err) && err.code === 'invalid-option' && err.option === 'key',
    )
  })

  test('the example counts every person; by may be one string listing fields', () => {
    const t = mods.aggregate(people, { by: 'ethnicity,age_band', suppress: false, asOf: '2026-11-30' })
    assert.equal(t.total_people, people.length)
    assert.equal(t.rows.reduce((n, r) => n + r.people, 0), people.length)
    assert.deepEqual(t.fields.map((f) => f.field), ['ethnicity', 'age_band'])
    const u = mods.aggregate([...people, '{'], { by: ['need'] })
    assert.equal(u.unreadable, 1)
    assert.equal(u.unreadable_examples[0].line, people.length + 1)
    assert.ok(u.rows.every((r) => r.people === null || r.people % 5 === 0))
    assert.equal(u.as_of, new Date().toISOString().slice(0, 10))
    assert.throws(() => mods.aggregate(people, { by: 'need.need_description' }), /not coded/)
    assert.throws(
      () => mods.aggregate(people, { by: 'ethnicity', asOf: '30/11/2026' }),
      (err) => isModsError(mods, err) && err.code === 'invalid-option' && err.option === 'asOf' && err.message.includes('asOf'),
    )
    assert.throws(() => mods.aggregate('not a list', { by: 'ethnicity' }), TypeError)
  })

  test('the table as CSV, text and HTML', () => {
    const opts = { by: 'ethnicity', suppress: false, asOf: '2026-11-30' }
    const t = mods.aggregate(people, opts)
    const csv = mods.aggregateCsv(people, opts)
    const lines = csv.trim().split('\n')
    assert.equal(lines.length, t.rows.length + 2, csv) // header, rows, total
    assert.ok(lines[0].startsWith('ethnicity,'), lines[0])
    const text = mods.aggregateText(people, opts)
    assert.ok(text.includes(String(t.total_people)), text)
    const html = mods.aggregateHtml(people, opts)
    assert.ok(html.startsWith('<!DOCTYPE html>') || html.startsWith('<!doctype html>'), html.slice(0, 40))
    assert.ok(html.includes('<svg'))
  })
}
