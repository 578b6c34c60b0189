// Hostile input: each gives a clear error (a TypeError naming the argument and the place,
// or the layer's ModsError), never a crash, a wrong verdict or the person's data in a
// message.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { MessageChannel } from 'node:worker_threads'
import * as mods from '../index.mjs'
import { example } from './helpers.mjs'

const SECRET = 'Secretname Q7713'
const green = () => JSON.parse(example('mr-green.json'))
const noSecret = (e) => {
  assert.ok(!e.message.includes(SECRET) && !String(e).includes(SECRET), `person data in: ${e}`)
  return true
}

test('a lone surrogate in a JS string is refused, in text and in an object', () => {
  for (const input of [`{"a": "${SECRET}\ud800"}`, { a: `${SECRET}\udc00x` }, { [`k\ud800`]: 1 }]) {
    assert.throws(() => mods.validate(input), (e) => e instanceof TypeError && /lone surrogate/.test(e.message) && noSecret(e))
  }
  const r = green()
  r.subject_of_care.name = { family: `${SECRET}\ud83d` }
  assert.throws(() => mods.validate(r), (e) => /at \/subject_of_care\/name\/family: .*lone surrogate/.test(e.message) && noSecret(e))
  // a well-formed pair is text
  assert.equal(typeof mods.validate({ a: '\ud83d\ude00' }).valid, 'boolean')
})

test('a detached buffer is refused, not read as empty input', () => {
  const bytes = new Uint8Array(example('mr-green.json'))
  const { port1 } = new MessageChannel()
  port1.postMessage(bytes.buffer, [bytes.buffer]) // transfers (detaches) it
  port1.close()
  assert.equal(bytes.byteLength, 0)
  assert.throws(() => mods.validate(bytes), (e) => e instanceof TypeError && /detached/.test(e.message))
  // an empty buffer that is not detached is read: empty input is the layer's invalid-json
  assert.throws(() => mods.validate(new Uint8Array(0)), (e) => e instanceof mods.ModsError && e.code === 'invalid-json')
})

test('a cyclic object is refused with where the cycle closes', () => {
  const r = green()
  r.subject_of_care.self = r
  assert.throws(() => mods.validate(r), (e) => e instanceof TypeError && /\/subject_of_care\/self: a cyclic object/.test(e.message))
  const a = []
  a.push(a)
  assert.throws(() => mods.validate(a), /cyclic/)
  // the same object twice (not a cycle) is fine
  const shared = { x: 1 }
  assert.equal(typeof mods.validate({ a: shared, b: shared }).valid, 'boolean')
})

test('BigInt, undefined, functions, symbols, NaN and class instances are refused', () => {
  const cases = [
    [{ n: 10n }, /\/n: a BigInt/],
    [{ u: undefined }, /\/u: undefined is not a JSON value/],
    [[1, undefined], /\/1: undefined/],
    [{ f() {} }, /\/f: a function/],
    [{ s: Symbol('x') }, /\/s: a symbol/],
    [{ x: NaN }, /\/x: NaN and Infinity/],
    [{ d: new Date(0) }, /\/d: a Date is not a plain object/],
    [{ m: new Map() }, /\/m: a Map is not a plain object/],
    [undefined, /undefined/],
    [42n, /BigInt/],
  ]
  for (const [input, re] of cases) {
    assert.throws(() => mods.validate(input), (e) => e instanceof TypeError && re.test(e.message), String(re))
  }
  assert.throws(() => mods.validate(new Float64Array(2)), TypeError)
})

test('__proto__ and constructor keys are refused in objects, whatever their value', () => {
  const viaParse = JSON.parse(`{"mods_version": "1.0", "__proto__": {"polluted": "${SECRET}"}}`)
  assert.equal(Object.keys(viaParse).includes('__proto__'), true, 'JSON.parse makes an own __proto__ key')
  assert.throws(() => mods.validate(viaParse), (e) => e instanceof TypeError && /\/__proto__: the key "__proto__" is refused/.test(e.message) && noSecret(e))
  assert.throws(() => mods.validate({ constructor: 'x' }), /the key "constructor" is refused/)
  // an object literal's __proto__ sets the prototype: not a plain object
  assert.throws(() => mods.validate({ __proto__: { a: 1 } }), /prototype was changed/)
  // as JSON text or bytes they are data for the layer (unknown elements), and reports and
  // results are read with JSON.parse, which never sets a prototype
  const r = mods.validate('{"mods_version": "1.0", "__proto__": {"polluted": 1}}', { includeValues: true })
  const issue = r.issues.find((i) => i.pointer === '/__proto__')
  assert.ok(issue, 'the unknown element is reported')
  assert.deepEqual(issue.path, ['__proto__'])
  assert.equal({}.polluted, undefined)
  assert.equal(Object.prototype.polluted, undefined)
})

test('person data never appears in error messages or toString', () => {
  const r = green()
  r.subject_of_care.nhs_number = `${SECRET}`
  // invalid JSON that quotes the person: the layer's message names the place only
  const text = JSON.stringify(r).replace(SECRET, `${SECRET}"oops`)
  assert.throws(() => mods.validate(text), (e) => e instanceof mods.ModsError && noSecret(e))
  const report = mods.validate(r)
  for (const i of report.issues) assert.ok(!i.message.includes(SECRET))
  assert.throws(() => mods.check(r), (e) => e instanceof mods.ModsValidationError && noSecret(e))
  assert.throws(() => mods.toFhir(r), (e) => e instanceof mods.ModsError && noSecret(e))
  assert.throws(() => mods.migrate({ mods_version: SECRET }, '1.0'), (e) => e instanceof mods.ModsError && noSecret(e))
})

test('huge and deep input stays within the limits', () => {
  let deep = 'x'
  for (let i = 0; i < 5000; i++) deep = [deep]
  assert.throws(() => mods.validate(deep), (e) => e instanceof TypeError && /nested deeper than 1000/.test(e.message))
  const text = '['.repeat(100000) + ']'.repeat(100000)
  assert.throws(() => mods.validate(text), (e) => e.code === 'limit' && e.issueCode === 'input-too-deep')
  assert.throws(() => mods.validate('"' + 'a'.repeat(2000) + '"', { limits: { maxBytes: 100 } }), (e) => e.code === 'limit')
})
