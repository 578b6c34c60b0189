// The WebAssembly fallback (lib/load.js, lib/wasm-native.js): with MODS_SDK_FORCE_WASM=1
// the package runs on the WebAssembly build (bindings/wasm/pkg-node, which
// bindings/wasm/build.sh writes), and each function gives what the native addon gives:
// the same results, reports and errors, through the same index.js.
// Skipped without that build, unless MODS_NODE_WASM=1 (check.sh), which requires it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { example, here } from './helpers.mjs'

const require = createRequire(import.meta.url)
const built = fs.existsSync(path.join(here, '..', '..', 'wasm', 'pkg-node', 'mods_wasm.js'))
if (process.env.MODS_NODE_WASM === '1' && !built) {
  throw new Error('MODS_NODE_WASM=1 but bindings/wasm/pkg-node is not built: run bindings/wasm/build.sh')
}
const skip = built ? false : 'needs the WebAssembly build (bindings/wasm/build.sh)'

// the package on the fallback (this test file runs in its own process: nothing loaded it before)
process.env.MODS_SDK_FORCE_WASM = '1'
const mods = built ? require('../index.js') : undefined
delete process.env.MODS_SDK_FORCE_WASM
// the native addon's functions and the fallback's, side by side, for the same arguments
const native = require('../native.js')
const { create, loadWasm } = require('../lib/wasm-native.js')
const wasm = built ? create(loadWasm()) : undefined

const names = ['mr-green.json', 'james.json', 'mr-bodat.json', 'mrs-smith-after-fall.json', 'mrs-smith-before-fall.json']
const same = (name, ...args) => {
  const a = JSON.parse(native[name](...args))
  const b = JSON.parse(wasm[name](...args))
  assert.deepEqual(b, a, `${name}: the WebAssembly build differs from the addon`)
  return a
}
/** What a function throws, as data (ModsError's code, message and details). */
const thrown = (f) => {
  try {
    f()
  } catch (e) {
    return { name: e.name, ctor: e.constructor.name, ...e, message: e.message }
  }
  assert.fail('did not throw')
}

test('MODS_SDK_FORCE_WASM=1 loads the WebAssembly build; the API is the same', { skip }, () => {
  assert.equal(mods.__napiBindingTarget, 'wasm')
  assert.equal(native.__napiBindingTarget, 'native')
  assert.equal(mods.coreVersion(), native.coreVersion())
  // every function the addon has, the fallback has
  for (const [k, v] of Object.entries(native)) {
    if (typeof v === 'function') assert.equal(typeof wasm[k], 'function', `${k} is missing from the fallback`)
  }
})

test('validation: the same reports for the example records and a broken one', { skip }, () => {
  for (const n of names) {
    const bytes = example(n)
    const r = same('validate', bytes, undefined)
    assert.equal(r.valid, true, n)
    same('validate', bytes, JSON.stringify({ strict: true, today: '2026-01-01' }))
  }
  const bad = JSON.parse(example('mr-green.json'))
  bad.subject_of_care.nhs_number = '9434765918'
  const r = mods.validate(bad)
  assert.equal(r.valid, false)
  assert.ok(r.issues.some((i) => i.code === 'nhs-number-check-digit'))
  assert.throws(() => mods.check(bad), mods.ModsValidationError)
})

test('validateMany: a Promise of the same reports', { skip }, async () => {
  const inputs = [example('mr-green.json'), Buffer.from('{'), example('james.json')]
  const reports = await mods.validateMany(inputs, { workers: 2 })
  assert.equal(reports.length, 3)
  assert.deepEqual(reports.map((r) => r.valid), [true, false, true])
  assert.equal(reports[1].issues[0].code.startsWith('input-'), true)
})

test('look-ups, FHIR, migration and records in bulk: the same results', { skip }, () => {
  same('versions')
  same('latestVersion')
  same('classes', undefined)
  same('issueCodes')
  same('glossary')
  same('sharePurposes')
  same('extractProfiles')
  same('schema', undefined, undefined)
  const green = example('mr-green.json')
  same('operationOutcome', green)
  same('toFhir', green, JSON.stringify({ timestamp: '2026-01-01T00:00:00Z' }))
  same('conformance', green, JSON.stringify({ today: '2026-01-01' }))
  const all = Buffer.concat(names.map(example))
  let end = 0
  const ends = names.map((n) => (end += example(n).length))
  same('aggregate', all, ends, JSON.stringify({ by: ['ethnicity', 'age_band'], asOf: '2026-01-01' }))
  same('extract', all, ends, Buffer.alloc(32, 7), JSON.stringify({ asOf: '2026-01-01' }))
})

test('errors: the same ModsError, code and details', { skip }, () => {
  const a = thrown(() => mods.validate('{"subject_of_care": '))
  assert.equal(a.ctor, 'ModsError')
  assert.equal(a.code, 'invalid-json')
  assert.equal(typeof a.issueCode, 'string')
  const load = createRequire(path.join(here, '..', 'index.js'))
  const { fromNative } = load('./lib/errors.js')
  for (const call of [
    (m) => m.validate(Buffer.from('{"subject_of_care": '), undefined),
    (m) => m.codes('no-such-value-set', undefined),
    (m) => m.validate(Buffer.from('{}'), JSON.stringify({ noSuchOption: 1 })),
    (m) => m.schema('9.9', undefined),
  ]) {
    const n = thrown(() => {
      try {
        call(native)
      } catch (e) {
        throw fromNative(e)
      }
    })
    const w = thrown(() => {
      try {
        call(wasm)
      } catch (e) {
        throw fromNative(e)
      }
    })
    assert.equal(n.ctor, 'ModsError')
    assert.deepEqual(w, n)
  }
})
