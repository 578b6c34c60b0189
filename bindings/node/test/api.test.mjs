// Every function of the package: results, options, errors.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as mods from '../index.mjs'
import { example } from './helpers.mjs'

const green = () => JSON.parse(example('mr-green.json'))
const badNhs = () => {
  const r = green()
  r.subject_of_care.nhs_number = '9434765918'
  return r
}

test('validate takes a Buffer, a Uint8Array, JSON text or a plain object, with one verdict', () => {
  const bytes = example('mr-green.json')
  for (const input of [bytes, new Uint8Array(bytes), bytes.toString(), green(), bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)]) {
    const r = mods.validate(input)
    assert.equal(r.valid, true)
    assert.deepEqual(Object.keys(r), ['valid', 'issues', 'omitted'])
  }
})

test('a report is a plain object with path arrays and pointers', () => {
  const r = mods.validate(badNhs())
  assert.equal(r.valid, false)
  const i = r.issues.find((x) => x.code === 'nhs-number-check-digit')
  assert.deepEqual(i.path, ['subject_of_care', 'nhs_number'])
  assert.equal(i.pointer, '/subject_of_care/nhs_number')
  assert.equal(i.severity, 'error')
  assert.equal(typeof i.message, 'string')
  assert.deepEqual(Object.keys(i), ['code', 'severity', 'path', 'pointer', 'message', 'context'])
  assert.equal(Object.getPrototypeOf(r), Object.prototype)
  assert.equal(i.context.value, undefined, 'values only with includeValues')
  const withValues = mods.validate(badNhs(), { includeValues: true })
  assert.equal(withValues.issues.find((x) => x.code === 'nhs-number-check-digit').context.value, '9434765918')
})

test('options use camelCase names; a snake_case or unknown name is unknown-option', () => {
  // issues come in pointer order: /a (unknown, an error when strict) before /alert_type (missing)
  const r = mods.validate({ a: 1 }, { class: 'alert', strict: true, maxIssues: 1, limits: { maxDepth: 10 }, today: '2026-01-01' })
  assert.deepEqual(r.issues.map((i) => i.code), ['unknown-element', 'too-many-issues'])
  assert.equal(r.issues[0].severity, 'error', 'strict')
  assert.ok(r.omitted > 0)
  for (const bad of [{ include_values: true }, { stict: true }, { limits: { max_depth: 1 } }]) {
    assert.throws(() => mods.validate('{}', bad), (e) => e instanceof mods.ModsError && e.code === 'unknown-option' && Array.isArray(e.known))
  }
  assert.throws(() => mods.validate('{}', { strict: 'yes' }), (e) => e.code === 'invalid-option' && e.option === 'strict')
  assert.throws(() => mods.validate('{}', { limits: { maxBytes: -1 } }), (e) => e.code === 'invalid-option' && e.option === 'limits.maxBytes')
  assert.throws(() => mods.validate('{}', { today: '2026-02-30' }), (e) => e.code === 'invalid-option' && e.option === 'today')
  assert.throws(() => mods.validate('{}', { class: 'nope' }), (e) => e.code === 'unknown-class' && e.class === 'nope')
  assert.throws(() => mods.validate('{}', 'strict'), TypeError)
  // undefined in options means "not given"
  assert.equal(mods.validate(green(), { strict: undefined }).valid, true)
})

test('unreadable input is a ModsError with the layer code and details', () => {
  assert.throws(
    () => mods.validate('{"a": '),
    (e) => e instanceof mods.ModsError && e instanceof Error && e.code === 'invalid-json' && e.issueCode === 'input-syntax' && e.line === 1,
  )
  assert.throws(() => mods.validate('[[[1]]]', { limits: { maxDepth: 2 } }), (e) => e.code === 'limit' && e.issueCode === 'input-too-deep')
  assert.throws(() => mods.validate(Buffer.from([0x7b, 0xff, 0x7d])), (e) => e.code === 'invalid-json' && e.issueCode === 'input-encoding')
})

test('check returns the report of a valid record and throws ModsValidationError otherwise', () => {
  assert.equal(mods.check(green()).valid, true)
  let err
  try {
    mods.check(badNhs())
  } catch (e) {
    err = e
  }
  assert.ok(err instanceof mods.ModsValidationError && err instanceof Error)
  assert.equal(err.name, 'ModsValidationError')
  assert.ok(err.issues.some((i) => i.code === 'nhs-number-check-digit'))
  assert.equal(err.report.valid, false)
  assert.match(err.message, /nhs-number-check-digit at \/subject_of_care\/nhs_number/)
  assert.ok(!String(err).includes('9434765918'), 'no person data in toString')
  assert.ok(!err.message.includes('Green'))
})

test('validateMany resolves with one report per input, in order', async () => {
  const inputs = []
  for (let i = 0; i < 40; i++) inputs.push(i % 3 === 0 ? badNhs() : i % 3 === 1 ? example('mr-green.json') : '{')
  const p = mods.validateMany(inputs, { workers: 2 })
  assert.ok(p instanceof Promise)
  const reports = await p
  assert.equal(reports.length, 40)
  reports.forEach((r, i) => {
    if (i % 3 === 0) assert.ok(r.issues.some((x) => x.code === 'nhs-number-check-digit'), `#${i}`)
    else if (i % 3 === 1) assert.equal(r.valid, true, `#${i}`)
    else assert.deepEqual(r.issues.map((x) => x.code), ['input-syntax'], `#${i}`)
  })
  assert.deepEqual(await mods.validateMany([]), [])
  assert.deepEqual((await mods.validateMany(new Set([green()]), { workers: 1 })).map((r) => r.valid), [true])
  await assert.rejects(mods.validateMany([green()], { workers: 0 }), (e) => e.code === 'invalid-option' && e.option === 'workers')
  await assert.rejects(mods.validateMany([green()], { workers: -1 }), TypeError)
  await assert.rejects(mods.validateMany([green()], { strikt: true }), (e) => e.code === 'unknown-option')
  await assert.rejects(mods.validateMany([green(), { a: 1n }]), (e) => e instanceof TypeError && /inputs\[1\] at \/a/.test(e.message))
  await assert.rejects(mods.validateMany(42), TypeError)
})

test('validateMany runs off the event loop', { skip: mods.__napiBindingTarget === 'wasm' && 'the WebAssembly fallback validates on the calling thread' }, async () => {
  const big = []
  const one = example('mrs-smith-after-fall.json')
  for (let i = 0; i < 3000; i++) big.push(one)
  let ticks = 0
  const timer = setInterval(() => ticks++, 1)
  const t0 = process.hrtime.bigint()
  const reports = await mods.validateMany(big, { workers: 1 })
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  clearInterval(timer)
  assert.equal(reports.length, 3000)
  // the event loop kept turning while the batch ran (a blocking call would give 0 or 1 tick)
  assert.ok(ticks >= 3, `${ticks} timer ticks in ${ms.toFixed(0)} ms`)
})

test('look-ups: versions, classes, value sets, codes, display, search, glossary, explain, issue codes', () => {
  const versions = mods.versions()
  assert.ok(versions.includes('1.0') && versions.includes(mods.latestVersion()))
  const classes = mods.classes()
  assert.ok(classes.some((c) => c.technical_name === 'alert'))
  assert.ok(mods.classes({ version: '0.2.1' }).length > 0)
  assert.throws(() => mods.classes({ version: '9.9' }), (e) => e.code === 'unknown-version' && Array.isArray(e.supported))
  const sets = mods.valueSets()
  assert.ok(sets.length > 0)
  const id = sets.find((s) => Array.isArray(s.codes) && s.codes.length > 0).id
  const codes = mods.codes(id)
  assert.ok(codes.length > 0 && codes[0].value_set === id)
  assert.equal(mods.display(id, codes[0].code), codes[0].display)
  assert.equal(mods.display(id, 'no-such-code-at-all'), null)
  assert.throws(() => mods.codes('no-such-set'), (e) => e.code === 'unknown-value-set' && e.valueSet === 'no-such-set')
  assert.ok(mods.searchCodes(codes[0].display).some((c) => c.code === codes[0].code))
  assert.ok(mods.searchCodes(codes[0].code, { valueSet: id }).every((c) => c.value_set === id))
  const g = mods.glossary()
  assert.ok(g.terms.length > 0)
  assert.equal(mods.glossaryTerm(g.terms[0].term).id, g.terms[0].id)
  assert.throws(() => mods.glossaryTerm('no such term at all'), (e) => e.code === 'unknown-term')
  assert.ok(Array.isArray(mods.searchGlossary('care')))
  const x = mods.explain('nhs-number-check-digit')
  assert.equal(x.code, 'nhs-number-check-digit')
  assert.ok(x.title && x.explanation)
  assert.throws(() => mods.explain('nope'), (e) => e.code === 'unknown-issue-code' && e.issueCode === 'nope')
  assert.ok(mods.issueCodes().includes('nhs-number-check-digit'))
  assert.throws(() => mods.explain(42), TypeError)
  assert.equal(typeof mods.coreVersion(), 'string')
})

test('schema: the record document and one class, as the committed schemas', () => {
  const s = mods.schema()
  assert.equal(s.$schema, 'https://json-schema.org/draft/2020-12/schema')
  const alert = mods.schema({ class: 'alert' })
  assert.ok(alert.properties)
  assert.throws(() => mods.schema({ class: 'nope' }), (e) => e.code === 'unknown-class')
})

test('migrate, diff and diffSpec', () => {
  const rec = green()
  const target = mods.versions().find((v) => v !== rec.mods_version)
  const m = mods.migrate(rec, target, { keepLost: true })
  assert.equal(m.record.mods_version, target)
  assert.throws(() => mods.migrate({ x: 1 }, '1.0'), (e) => e.code === 'migration-refused')
  assert.throws(() => mods.migrate(rec, target, { keep_lost: true }), (e) => e.code === 'unknown-option')
  const d = mods.diff(green(), badNhs(), { includeValues: false })
  assert.ok(JSON.stringify(d).includes('nhs_number'))
  assert.ok(!JSON.stringify(d).includes('9434765918'), 'values only with includeValues')
  assert.ok(JSON.stringify(mods.diff(green(), badNhs(), { includeValues: true })).includes('9434765918'))
  assert.throws(() => mods.diff({ a: 1 }, green()), (e) => e.code === 'diff-refused')
  assert.equal(typeof mods.diffSpec('0.2.1', '1.0'), 'object')
  assert.throws(() => mods.diffSpec('0.2.1', '7'), (e) => e.code === 'unknown-version')
})

test('FHIR: toFhir, transferSummary, fromFhir, operationOutcome, mergeGpRecord, importDischarge', () => {
  const b = mods.toFhir(example('mr-green.json'), { type: 'collection' })
  assert.equal(b.resourceType, 'Bundle')
  assert.equal(b.type, 'collection')
  assert.equal(mods.toFhir(green(), { type: 'document', timestamp: '2026-01-01T00:00:00Z' }).type, 'document')
  assert.throws(() => mods.toFhir(green(), { type: 'searchset' }), (e) => e.code === 'invalid-option')
  assert.throws(() => mods.toFhir(badNhs()), (e) => e.code === 'export-refused')
  const summary = mods.transferSummary(green(), { timestamp: '2026-01-14T21:00:00Z' })
  assert.equal(summary.type, 'document')
  const back = mods.fromFhir(b)
  assert.equal(back.record.subject_of_care.nhs_number, green().subject_of_care.nhs_number)
  assert.ok(Array.isArray(back.report.issues))
  assert.throws(() => mods.fromFhir({ hello: 1 }), (e) => e.code === 'import-refused')
  const oo = mods.operationOutcome(badNhs())
  assert.equal(oo.resourceType, 'OperationOutcome')
  assert.ok(JSON.stringify(oo).includes('nhs-number-check-digit'))
  const gp = { resourceType: 'Bundle', type: 'collection', entry: b.entry.filter((e) => e.resource.resourceType === 'Patient') }
  const merged = mods.mergeGpRecord(green(), gp, { date: '2026-01-01' })
  assert.ok(merged.record && merged.report)
  assert.throws(() => mods.mergeGpRecord(green(), { resourceType: 'Patient' }), (e) => e.code === 'merge-refused')
  const dis = mods.importDischarge(green(), gp, { date: '2026-01-01' })
  assert.ok(Array.isArray(dis.report.attachments))
})

test('terminology options: resources are loaded (the corpus uses them), bad ones refused', () => {
  assert.throws(() => mods.validate('{}', { terminology: [{ resourceType: 'Patient' }] }), (e) => e.code === 'invalid-terminology' && e.index === 0)
  assert.throws(() => mods.validate('{}', { terminology: 'x' }), (e) => e.code === 'invalid-option' && e.option === 'terminology')
  assert.throws(() => mods.validate('{}', { unavailableTerminology: 'x' }), (e) => e.code === 'invalid-option')
})
