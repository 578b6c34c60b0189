// Commissioning a package of care (use case 2): the shared cases of
// tests/flows/commission/cases.json through commissionPackage and commissionAccept.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import * as mods from '../index.mjs'
import { root, load } from './helpers.mjs'

const { cases } = load(path.join(root, 'tests', 'flows', 'commission', 'cases.json'))
const camel = (o) =>
  Object.fromEntries(Object.entries(o || {}).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c) => c.toUpperCase()), v]))

const source = (spec) => {
  const doc = load(path.join(root, spec.path))
  const walk = (pointer) => {
    const parts = pointer.split('/').slice(1)
    const last = parts.pop()
    let t = doc
    for (const p of parts) t = t[p]
    return [t, last]
  }
  for (const [pointer, value] of Object.entries(spec.set || {})) {
    const [t, last] = walk(pointer)
    t[last] = value
  }
  for (const pointer of spec.remove || []) {
    const [t, last] = walk(pointer)
    delete t[last]
  }
  return doc
}

const run = (c) => {
  if (c.operation === 'package') return mods.commissionPackage(source(c.council), camel(c.options))
  const pkg = mods.commissionPackage(source(c.package_of.council), camel(c.package_of.options)).package
  return mods.commissionAccept(JSON.stringify(source(c.provider)), pkg, camel(c.options))
}

const issues = (r) => r.validation.issues.map((i) => `${i.code} ${i.pointer} ${i.severity}`).sort()

test('the cases are there', () => assert.ok(cases.length >= 8))

for (const c of cases) {
  test(c.name, () => {
    const e = c.expect
    if (e.error) {
      assert.throws(() => run(c), (err) => err instanceof mods.ModsError && err.code === e.error && err.message.includes(e.message))
      return
    }
    const { report } = run(c)
    for (const [k, want] of Object.entries(e)) {
      if (k === 'issues') assert.deepEqual(issues(report), want.map((i) => `${i.code} ${i.pointer} ${i.severity}`).sort())
      else if (k === 'records_include') for (const [cls, n] of Object.entries(want)) assert.equal(report.records[cls], n, cls)
      else if (k === 'added_count') assert.equal(report.added.length, want)
      else assert.deepEqual(report[k], want, k)
    }
  })
}
