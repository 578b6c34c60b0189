// The whole conformance corpus (tests/conformance/README.md) through the package: the same
// verdict and the same multiset of (code, pointer, severity) as the Rust runner expects,
// with each issue's `path` array naming the same place as its pointer. Cases with JSON
// `input` run three ways: as a plain object, as JSON text and as a Buffer; a sample of the
// corpus also runs through validateMany.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { corpus, walk, load } from './helpers.mjs'
import { validate, validateMany, ModsError } from '../index.mjs'

const cases = walk(corpus)
const camel = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase())

function options(c) {
  const o = c.options ?? {}
  const out = {}
  for (const [k, v] of Object.entries(o)) {
    if (k === 'limits') out.limits = Object.fromEntries(Object.entries(v).map(([l, n]) => [camel(l), n]))
    else out[camel(k)] = v
  }
  if (c.target && c.target !== 'record') out.class = c.target.class
  return out
}

function inputs(c) {
  if ('input' in c) {
    const text = JSON.stringify(c.input)
    return [
      ['object', c.input],
      ['text', text],
      ['buffer', Buffer.from(text)],
    ]
  }
  if ('input_text' in c) return [['text', c.input_text]]
  if ('input_base64' in c) return [['buffer', Buffer.from(c.input_base64, 'base64')]]
  throw new Error('no input')
}

const key = (code, pointer, severity) => `${code} ${pointer} ${severity}`
const multiset = (xs) => xs.map((i) => key(i.code, i.pointer ?? i.path, i.severity)).sort()
const pointerOf = (segs) => segs.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('')

test('the corpus is there', () => {
  assert.ok(cases.length >= 50, `only ${cases.length} cases in ${corpus}`)
})

for (const file of cases) {
  const name = path.relative(corpus, file)
  test(name, () => {
    const c = load(file)
    const o = options(c)
    for (const [how, value] of inputs(c)) {
      if (c.expect.error) {
        assert.throws(
          () => validate(value, o),
          (e) => e instanceof ModsError && e.issueCode === c.expect.error,
          `as ${how}`,
        )
        continue
      }
      const r = validate(value, o)
      assert.equal(r.valid, c.expect.valid, `valid, as ${how}`)
      assert.deepEqual(multiset(r.issues), multiset(c.expect.issues), `issues, as ${how}`)
      for (const i of r.issues) assert.equal(pointerOf(i.path), i.pointer, `path of ${i.code}, as ${how}`)
    }
  })
}

test('validateMany gives the corpus the same verdicts, in order', async () => {
  // one batch per option set would be many; the cases without options and of the record target
  const plain = cases.map(load).filter((c) => !c.options && (!c.target || c.target === 'record'))
  const docs = plain.map((c) => ('input' in c ? c.input : 'input_text' in c ? c.input_text : Buffer.from(c.input_base64, 'base64')))
  const reports = await validateMany(docs, { workers: 2 })
  assert.equal(reports.length, plain.length)
  plain.forEach((c, i) => {
    const r = reports[i]
    if (c.expect.error) {
      assert.deepEqual(r.issues.map((x) => x.code), [c.expect.error])
      assert.equal(r.valid, false)
    } else {
      assert.equal(r.valid, c.expect.valid)
      assert.deepEqual(multiset(r.issues), multiset(c.expect.issues))
    }
  })
})
