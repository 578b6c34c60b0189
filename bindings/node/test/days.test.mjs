// Day against day (docs/flows/days.md): the shared cases of tests/flows/days/cases.json,
// which every binding runs, through compareDays; and the options object.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { root, load } from './helpers.mjs'
import { compareDays, ModsError } from '../index.mjs'

const { cases } = load(path.join(root, 'tests', 'flows', 'days', 'cases.json'))
const read = (rel) => fs.readFileSync(path.join(root, rel))
const at = (doc, pointer) =>
  pointer
    .split('/')
    .slice(1)
    .reduce((d, p) => (d === undefined || d === null ? undefined : d[p.replace(/~1/g, '/').replace(/~0/g, '~')]), doc)

test('the case file is there', () => assert.ok(cases.length >= 8))

for (const c of cases) {
  test(`case ${c.name}`, () => {
    const options = c.against_record ? { againstRecord: read(c.against_record) } : undefined
    const run = () => compareDays(read(c.record), c.day, c.against, options)
    if (c.expect_error) {
      assert.throws(run, (e) => {
        assert.ok(e instanceof ModsError, String(e))
        assert.equal(e.code, c.expect_error.code)
        if (c.expect_error.option) assert.equal(e.option, c.expect_error.option)
        return true
      })
      return
    }
    const got = run()
    assert.ok(Object.keys(c.expect).length > 0)
    for (const [pointer, want] of Object.entries(c.expect)) assert.deepEqual(at(got, pointer), want, pointer)
    for (const [pointer, n] of Object.entries(c.expect_len ?? {})) assert.equal(at(got, pointer).length, n, pointer)
  })
}

test('a record as an object or text gives the same; bad options are refused', () => {
  const text = read('examples/records/mr-green.json').toString('utf8')
  const a = compareDays(JSON.parse(text), '2026-02-03', '2026-01-27')
  const b = compareDays(text, '2026-02-03', '2026-01-27', {})
  assert.deepEqual(a, b)
  assert.equal(a.fluid_intake.difference_ml, -200)
  assert.throws(
    () => compareDays(text, '2026-02-03', '2026-01-27', { against: 'x' }),
    (e) => e instanceof ModsError && e.code === 'unknown-option' && e.option === 'against',
  )
  assert.throws(() => compareDays(text, '2026-02-03', '2026-01-27', 'x'), TypeError)
  assert.throws(() => compareDays(text, new Date(), '2026-02-02'), TypeError)
  assert.throws(
    () => compareDays(text, '2026-02-03', '2026-01-27', { againstRecord: '' }),
    (e) => e instanceof ModsError && e.code === 'invalid-json',
  )
  assert.throws(
    () => compareDays(text, '3 February', '2026-01-27'),
    (e) => e.code === 'invalid-option' && e.option === 'day' && !e.message.includes('3 February'),
  )
})
