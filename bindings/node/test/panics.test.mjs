// A panic in the native code never crashes the Node process nor shows the input: the call
// throws a ModsError with code `internal-error` (fixed text and the place in the code), and
// validateMany gives the document concerned one `internal-error` issue and the rest of the
// batch its reports.
//
// No input makes the core panic, so this uses the test-only fault injection
// (docs/validation.md): `npm run build:faults` builds a debug addon with
// `--features fault-injection` into faults/, where a JSON string value starting with PREFIX
// panics in the core while the document is read, quoting the whole string in the panic's
// message. With MODS_NODE_FAULTS=1 (scripts/check) that build is required; without it and
// without faults/, those tests are skipped. The release addon (every run) is checked to
// treat the same strings as ordinary data.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { here, example } from './helpers.mjs'
import * as release from '../index.mjs'

const PREFIX = 'mods-fault-injection:panic'
const SECRET = 'Secretname Q7713'
const pkg = path.join(here, '..')
const faults = path.join(pkg, 'faults')
const required = process.env.MODS_NODE_FAULTS === '1'
const built = fs.existsSync(path.join(faults, 'native.js'))
if (required && !built) throw new Error('MODS_NODE_FAULTS=1 but faults/ has no build: run npm run build:faults')
const skip = process.env.MODS_SDK_FORCE_WASM === '1'
  ? 'the fault-injection build is an addon (MODS_SDK_FORCE_WASM=1 uses the WebAssembly build)'
  : built ? false : 'needs the fault-injection build (npm run build:faults)'

/** The package's JavaScript over the fault-injection addon, in a temporary folder. */
function loadFaulty(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mods-node-faults-'))
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }))
  fs.cpSync(path.join(pkg, 'index.js'), path.join(dir, 'index.js'))
  fs.cpSync(path.join(pkg, 'lib'), path.join(dir, 'lib'), { recursive: true })
  for (const f of fs.readdirSync(faults)) fs.cpSync(path.join(faults, f), path.join(dir, f))
  return createRequire(path.join(dir, 'index.js'))('./index.js')
}

const poisoned = () => {
  const r = JSON.parse(example('mr-green.json'))
  r.subject_of_care.name = { family: `${PREFIX} ${SECRET}` }
  return r
}

const internal = (mods) => (e) => {
  assert.ok(e instanceof mods.ModsError, `not a ModsError: ${e}`)
  assert.equal(e.code, 'internal-error')
  assert.ok(!e.message.includes(SECRET) && !String(e).includes(SECRET), 'the panic payload leaked')
  assert.match(String(e.location), /\.rs:\d+/)
  return true
}

test('a panic in every function that reads a document is an internal-error ModsError', { skip }, (t) => {
  const mods = loadFaulty(t)
  const doc = poisoned()
  assert.throws(() => mods.validate(doc), internal(mods))
  assert.throws(() => mods.validate(JSON.stringify(doc)), internal(mods))
  assert.throws(() => mods.check(doc), internal(mods))
  assert.throws(() => mods.migrate(doc, '1.1'), internal(mods))
  assert.throws(() => mods.diff(doc, doc), internal(mods))
  assert.throws(() => mods.mar(doc, '2026-01-14'), internal(mods))
  const discharge = { record_uid: 'dis-1', version_number: 1, subject_of_care: doc.subject_of_care.record_uid, hospital: 'org-1', discharge_date_and_time: '2026-01-22T15:30:00Z' }
  assert.throws(() => mods.mergeDischarge(doc, discharge, { committer: 'cw-1', dateTime: '2026-01-22T17:30:00Z' }), internal(mods))
  assert.throws(() => mods.conformance(doc), internal(mods))
  assert.throws(() => mods.share(doc, { purpose: 'gp' }), internal(mods))
  assert.throws(() => mods.aggregate([doc], { by: 'ethnicity' }), internal(mods))
  assert.throws(() => mods.extract([doc], { key: 'k'.repeat(32) }), internal(mods))
  // the process is still here and the addon still works
  assert.equal(mods.validate(example('mr-green.json')).valid, true)
})

test('in validateMany a panic is that document\'s internal-error issue', { skip }, async (t) => {
  const mods = loadFaulty(t)
  const reports = await mods.validateMany([example('mr-green.json'), poisoned(), example('mr-green.json')], { workers: 2 })
  assert.deepEqual(reports.map((r) => r.valid), [true, false, true])
  assert.deepEqual(reports[1].issues.map((i) => i.code), ['internal-error'])
  assert.ok(!JSON.stringify(reports[1]).includes(SECRET))
})

test('the release addon has no fault injection: the same string is data', () => {
  const r = release.validate(poisoned())
  assert.ok(!r.issues.some((i) => i.code === 'internal-error'))
})
