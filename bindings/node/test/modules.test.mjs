// The package loads as CommonJS (require) and as an ES module (import), with the same
// functions and error classes; the generated index.d.ts declares every export.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import fs from 'node:fs'
import path from 'node:path'
import { here } from './helpers.mjs'
import * as esm from '../index.mjs'
import esmDefault from '../index.mjs'

const require = createRequire(import.meta.url)
const cjs = require('..')

test('require and import give the same functions and classes', () => {
  const names = Object.keys(cjs).sort()
  assert.ok(names.length >= 28, names.join())
  assert.deepEqual(Object.keys(esm).filter((k) => k !== 'default').sort(), names)
  for (const n of names) assert.equal(esm[n], cjs[n], n)
  assert.equal(esmDefault, cjs)
  assert.equal(cjs.validate('{"mods_version": "1.0"}').valid, false)
})

test('the package exports map names both entry points', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(here, '..', 'package.json'), 'utf8'))
  assert.equal(pkg.exports['.'].require, './index.js')
  assert.equal(pkg.exports['.'].import, './index.mjs')
  assert.equal(pkg.exports['.'].types, './index.d.ts')
})

test('index.d.ts declares every export', () => {
  const dts = fs.readFileSync(path.join(here, '..', 'index.d.ts'), 'utf8')
  for (const n of Object.keys(cjs)) {
    assert.match(dts, new RegExp(`export declare (function|class|const) ${n}\\b`), n)
  }
  assert.match(dts, /export declare function validate\(input: Document, options\?: ValidateOptions\): Report/)
  assert.match(dts, /export declare function validateMany\(inputs: Document\[\], options\?: ValidateManyOptions\): Promise<Report\[\]>/)
})
