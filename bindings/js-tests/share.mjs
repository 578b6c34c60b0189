// Sharing a record (use case 7): the shared cases of tests/share/cases.json through share,
// as the Rust API runner and the Python tests read them, with the checks every view must
// pass; sharePurposes and shareComponents.
//
// One suite for both JavaScript packages: bindings/node/test and bindings/wasm/tests
// call `suite` with their module (the Node binding, the WebAssembly package's Node build).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { examples, isModsError, load, root } from './helpers.mjs'

const { cases } = load(path.join(root, 'tests', 'share', 'cases.json'))
const camel = (o) =>
  Object.fromEntries(Object.entries(o || {}).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c) => c.toUpperCase()), v]))

const record = (spec) => {
  if ('json' in spec) return spec.json
  const doc = load(path.join(root, spec.path))
  for (const [pointer, value] of Object.entries(spec.set || {})) {
    const parts = pointer.split('/').slice(1)
    const last = parts.pop()
    let t = doc
    for (const p of parts) t = t[p]
    t[last] = value
  }
  return doc
}

const count = (doc, cls) => {
  const v = doc[cls]
  if (Array.isArray(v)) return v.length
  return v !== null && typeof v === 'object' ? 1 : 0
}

const resolves = (doc, pointer) => {
  let t = doc
  for (const p of pointer.split('/').slice(1)) {
    if (Array.isArray(t)) {
      if (!/^\d+$/.test(p) || Number(p) >= t.length) return false
      t = t[Number(p)]
    } else if (t !== null && typeof t === 'object' && Object.hasOwn(t, p)) t = t[p]
    else return false
  }
  return true
}

const invariants = (name, given, got) => {
  const { view, manifest } = got
  assert.deepEqual(got.validation.issues.filter((i) => i.code === 'dangling-reference'), [], name)
  const listed = {}
  for (const w of manifest.withheld) if (!('element' in w)) listed[w.class] = (listed[w.class] || 0) + w.count
  for (const [cls, c] of Object.entries(manifest.classes)) {
    assert.equal(c.input, count(given, cls), `${name} ${cls} input`)
    assert.equal(c.kept, count(view, cls), `${name} ${cls} kept`)
    assert.equal(c.kept + (listed[cls] || 0), c.input, `${name} ${cls} accounted`)
  }
}

export function suite(mods) {
  test('the cases are there', () => assert.ok(cases.length >= 20))

  for (const c of cases) {
    test(c.name, () => {
      const given = record(c.record)
      const options = camel(c.options)
      if (c.policy_path) options.policy = fs.readFileSync(path.join(root, c.policy_path), 'utf8')
      const e = c.expect
      if (e.error) {
        assert.throws(
          () => mods.share(given, options),
          (err) => isModsError(mods, err) && err.code === e.error && err.message.includes(e.message),
        )
        return
      }
      const got = mods.share(given, options)
      invariants(c.name, given, got)
      const { view } = got
      if ('valid' in e) assert.equal(got.validation.valid, e.valid)
      for (const cls of e.kept_all || []) {
        assert.ok(count(given, cls) > 0, cls)
        assert.equal(count(view, cls), count(given, cls), cls)
      }
      for (const cls of e.absent || []) assert.ok(!(cls in view), cls)
      if (e.present_only) {
        for (const k of Object.keys(view)) {
          assert.ok(e.present_only.includes(k) || k === 'mods_version' || k === 'mods_extensions', k)
        }
      }
      for (const p of e.elements_absent || []) {
        assert.ok(resolves(given, p), p)
        assert.ok(!resolves(view, p), p)
      }
      for (const want of e.withheld || []) {
        assert.ok(
          got.manifest.withheld.some(
            (w) => Object.entries(want).every(([k, v]) => isDeepStrictEqual(w[k], v)) && ('element' in want || !('element' in w)),
          ),
          JSON.stringify(want),
        )
      }
    })
  }

  test('the purposes and components are listed', () => {
    const purposes = mods.sharePurposes()
    assert.deepEqual(
      purposes.map((p) => p.id),
      ['hospital-admission', 'gp', 'family-carer', 'local-authority-review', 'commissioning'],
    )
    assert.ok(purposes.every((p) => p.rules.every((r) => r.rationale)))
    assert.deepEqual(
      mods.shareComponents().map((c) => c.id),
      ['about-me', 'needs', 'care-plan', 'carers', 'medication', 'allergies', 'alerts-and-risks', 'contacts'],
    )
  })

  test('every purpose on every example accounts for every record', () => {
    const files = fs.readdirSync(examples).filter((f) => f.endsWith('.json')).sort()
    assert.ok(files.length > 0)
    for (const f of files) {
      const given = load(path.join(examples, f))
      for (const p of mods.sharePurposes()) {
        const got = mods.share(given, { purpose: p.id, today: '2026-03-01' })
        invariants(`${f} ${p.id}`, given, got)
        assert.ok(got.validation.valid, `${f} ${p.id}`)
      }
    }
  })

  test('today defaults to the clock and options are camelCase', () => {
    const given = load(path.join(examples, fs.readdirSync(examples).filter((f) => f.endsWith('.json')).sort()[0]))
    const got = mods.share(given, { component: 'about-me' })
    assert.equal(got.manifest.today, new Date().toISOString().slice(0, 10))
    assert.throws(
      () => mods.share(given, { component: 'about-me', include_values: true }),
      (err) => isModsError(mods, err) && err.code === 'unknown-option' && err.known.includes('includeValues'),
    )
  })
}
