// The discharge merge (use case 4): the language-neutral cases of tests/flows/discharge/,
// through mergeDischarge, and what only Node shows (options.base, camelCase names, errors).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import * as mods from '../index.mjs'
import { root, load } from './helpers.mjs'

const casesDir = path.join(root, 'tests', 'flows', 'discharge')
const cases = fs.readdirSync(casesDir).filter((f) => f.endsWith('.json')).sort()
const input = (v) => (typeof v === 'string' ? fs.readFileSync(path.join(root, v)) : v)
const camel = (k) => k.replace(/_([a-z])/g, (_, c) => c.toUpperCase())
const pointer = (doc, p) =>
  p.split('/').slice(1).reduce((d, part) => d[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc)

function subsetList(what, actual, expected) {
  assert.equal(actual.length, expected.length, `${what}: ${JSON.stringify(actual)}`)
  expected.forEach((e, i) => {
    for (const [k, v] of Object.entries(e)) assert.deepEqual(actual[i][k], v, `${what}[${i}].${k}`)
  })
}

test('there are discharge cases', () => assert.ok(cases.length >= 9))

for (const file of cases) {
  test(`discharge case ${file}`, () => {
    const c = load(path.join(casesDir, file))
    const options = Object.fromEntries(Object.entries(c.options ?? {}).map(([k, v]) => [camel(k), v]))
    if (c.base !== undefined) options.base = input(c.base)
    const run = () => mods.mergeDischarge(input(c.record), input(c.discharge), options)
    const e = c.expect
    if (e.error) {
      assert.throws(run, (err) => err instanceof mods.ModsError && err.code === e.error)
      return
    }
    const { record, report } = run()
    if (e.changes) subsetList('changes', report.changes, e.changes)
    if (e.conflicts) subsetList('conflicts', report.conflicts, e.conflicts)
    if (e.notes) assert.deepEqual(report.notes.map((n) => n.kind), e.notes)
    if (e.valid !== undefined) assert.equal(report.validation.valid, e.valid)
    for (const check of e.record ?? []) assert.deepEqual(pointer(record, check.pointer), check.value, check.pointer)
    if (e.record_equals) assert.deepEqual(record, load(path.join(root, e.record_equals)))
  })
}

test('mergeDischarge needs options with a committer; snake_case names are unknown', () => {
  const before = input('examples/flows/discharge/james-before-discharge.json')
  const discharge = input('examples/flows/discharge/discharge-james.json')
  assert.throws(() => mods.mergeDischarge(before, discharge), TypeError)
  assert.throws(
    () => mods.mergeDischarge(before, discharge, { committer: 'cw-liam', date_time: '2026-01-22T17:30:00Z' }),
    (err) => err instanceof mods.ModsError && err.code === 'unknown-option',
  )
  assert.throws(
    () => mods.mergeDischarge(before, discharge, { committer: 'cw-liam', base: () => 1 }),
    TypeError,
  )
  // a base that is not a record of the person: refused
  assert.throws(
    () => mods.mergeDischarge(before, discharge, { committer: 'cw-liam', base: 42 }),
    (err) => err instanceof mods.ModsError && err.code === 'merge-refused',
  )
})
