// Conformance of a record to a MODS version (use case 6): the shared cases of
// tests/record-conformance/cases.json through conformance, as the Rust API runner
// (mods-api/tests/record_conformance.rs) and the Python tests read them, and conformanceText.
//
// One suite for both JavaScript packages: bindings/node/test and bindings/wasm/tests
// call `suite` with their module (the Node binding, the WebAssembly package's Node build).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { isModsError, load, root } from './helpers.mjs'

const { cases } = load(path.join(root, 'tests', 'record-conformance', 'cases.json'))
const camel = (o) =>
  Object.fromEntries(Object.entries(o || {}).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c) => c.toUpperCase()), v]))
const gaps = (items) => items.map((g) => [g.code, g.path, g.basis])
const near = (a, b, what) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} != ${b}`)

export function suite(mods) {
  test('the cases are there', () => assert.ok(cases.length >= 12))

  for (const c of cases) {
    test(c.name, () => {
      const e = c.expect
      const record = 'record' in c ? c.record : c.record_text
      if (e.error) {
        assert.throws(
          () => mods.conformance(record, camel(c.options)),
          (err) => isModsError(mods, err) && err.code === e.error,
        )
        return
      }
      const a = mods.conformance(record, camel(c.options))
      for (const k of ['conformant', 'record_version', 'mods_version']) if (k in e) assert.equal(a[k], e[k], k)
      if ('score' in e) near(a.score, e.score, 'score')
      if ('valid' in e) assert.equal(a.validation.valid, e.valid)
      if ('gaps' in e) assert.deepEqual(gaps(a.gaps), e.gaps)
      if ('class_list' in e) assert.deepEqual(a.classes.map((x) => x.class), e.class_list)
      const byClass = Object.fromEntries(a.classes.map((x) => [x.class, x]))
      for (const [name, want] of Object.entries(e.classes || {})) {
        const have = byClass[name]
        assert.ok(have, name)
        for (const [k, v] of Object.entries(want)) {
          if (k === 'gaps') assert.deepEqual(gaps(have.gaps), v, `${name} ${k}`)
          else if (k === 'score') near(have.score, v, `${name} ${k}`)
          else assert.deepEqual(have[k], v, `${name} ${k}`)
        }
      }
      const text = JSON.stringify(a) + mods.conformanceText(a)
      for (const data of c.never_in_output) assert.ok(!text.includes(data), data)
    })
  }

  const named = (name) => cases.find((c) => c.name === name)

  test('the record is read as an object, text or bytes alike', () => {
    const { record } = named('name-only-is-valid-but-not-conformant')
    const asObject = mods.conformance(record)
    assert.deepEqual(mods.conformance(JSON.stringify(record)), asObject)
    assert.deepEqual(mods.conformance(Buffer.from(JSON.stringify(record))), asObject)
    assert.deepEqual(mods.conformance(record, { today: '2026-11-30' }), asObject)
  })

  test('conformanceText is what the CLI prints after the name', () => {
    const a = mods.conformance(named('care-plan-needs-consent').record)
    const text = mods.conformanceText(a)
    assert.ok(text.startsWith('NOT conformant to MODS 1.0, score 75% (valid, '), text)
    assert.ok(text.includes('/consent  the record holds no Consent'), text)
    assert.equal(mods.conformanceText(JSON.stringify(a)), text)
    assert.throws(
      () => mods.conformanceText({ score: 1 }),
      (err) => isModsError(mods, err) && err.code === 'invalid-option' && err.option === 'assessment',
    )
  })

  test('bad options are refused with their codes', () => {
    assert.throws(
      () => mods.conformance({ mods_version: '1.0' }, { today: '30/11/2026' }),
      (err) => isModsError(mods, err) && err.code === 'invalid-option' && err.option === 'today',
    )
    assert.throws(
      () => mods.conformance({ mods_version: '1.0' }, { level: 2 }),
      (err) => isModsError(mods, err) && err.code === 'unknown-option' && err.option === 'level',
    )
  })
}
