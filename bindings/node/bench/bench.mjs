// validate(Buffer) beside what a JavaScript developer would use instead: JSON.parse + ajv
// (strict, allErrors, ajv-formats) with the generated JSON Schemas (schemas/), and the
// same without allErrors (ajv stops at the first error). Every figure comes from this one
// run, on the example records (examples/records/*.json), cycling through them.
//
// Usage: node bench/bench.mjs [--seconds N] [--json]
// (from bindings/node, after npm run build; ajv and ajv-formats are dev dependencies)
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import * as mods from '../index.mjs'

const require = createRequire(import.meta.url)
const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '..', '..', '..')
const argv = process.argv.slice(2)
const seconds = Number(argv[argv.indexOf('--seconds') + 1]) || (argv.includes('--seconds') ? 1 : 2)
const asJson = argv.includes('--json')

const walk = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]))

// the example records, as the bytes a service receives
const files = fs.readdirSync(path.join(root, 'examples', 'records')).filter((f) => f.endsWith('.json')).sort()
const records = files.map((f) => fs.readFileSync(path.join(root, 'examples', 'records', f)))

// the generated schemas, loaded as tests/schema/check_ajv.mjs does (x-mods-* annotations declared)
const schemasDir = path.join(root, 'schemas')
const index = JSON.parse(fs.readFileSync(path.join(schemasDir, 'index.json'), 'utf8'))
const schemaFiles = walk(schemasDir).filter((p) => p.endsWith('.schema.json'))
const annotations = new Set()
const collect = (v) => {
  if (Array.isArray(v)) v.forEach(collect)
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (k.startsWith('x-mods-') && annotations.add(k), collect(x))
}
const schemas = schemaFiles.map((p) => [path.relative(schemasDir, p).split(path.sep).join('/'), JSON.parse(fs.readFileSync(p, 'utf8'))])
schemas.forEach(([, s]) => collect(s))

function ajvFor(allErrors) {
  const ajv = new Ajv2020({ strict: true, allErrors })
  addFormats(ajv)
  for (const k of annotations) ajv.addKeyword({ keyword: k })
  const byVersion = new Map()
  for (const [rel, s] of schemas) {
    const v = ajv.compile(s)
    if (rel.endsWith('/record.schema.json')) byVersion.set(rel.split('/')[0], v)
  }
  return (doc) => (byVersion.get(doc.mods_version) ?? byVersion.get(index.current))(doc)
}
const ajvAll = ajvFor(true)
const ajvFirst = ajvFor(false)

// every engine agrees that the examples are valid (else the comparison means nothing)
for (const [i, r] of records.entries()) {
  const doc = JSON.parse(r.toString('utf8'))
  if (!mods.validate(r).valid || !ajvAll(doc) || !ajvFirst(doc)) throw new Error(`${files[i]}: not valid for every engine`)
}

function measure(name, fn) {
  // warm up, then as many rounds over the records as fit in the time
  for (let i = 0; i < 200; i++) fn(records[i % records.length])
  let n = 0
  const t0 = process.hrtime.bigint()
  const end = t0 + BigInt(Math.round(seconds * 1e9))
  let now = t0
  while (now < end) {
    for (const r of records) fn(r)
    n += records.length
    now = process.hrtime.bigint()
  }
  return { name, perSecond: n / (Number(now - t0) / 1e9) }
}

let sink = 0
const rows = [
  measure('mods validate(Buffer)', (r) => (sink += mods.validate(r).issues.length)),
  measure('JSON.parse + ajv (strict, allErrors, ajv-formats)', (r) => (sink += ajvAll(JSON.parse(r.toString('utf8'))) ? 1 : 0)),
  measure('JSON.parse + ajv (strict, first error, ajv-formats)', (r) => (sink += ajvFirst(JSON.parse(r.toString('utf8'))) ? 1 : 0)),
  measure('mods validate(object from JSON.parse)', (r) => (sink += mods.validate(JSON.parse(r.toString('utf8'))).issues.length)),
]

// validateMany: a batch of 2,000 records, on every CPU, off the event loop
const batch = Array.from({ length: 2000 }, (_, i) => records[i % records.length])
await mods.validateMany(batch.slice(0, 100))
let done = 0
const t0 = process.hrtime.bigint()
while (Number(process.hrtime.bigint() - t0) / 1e9 < seconds) done += (await mods.validateMany(batch)).length
rows.push({ name: `mods validateMany(Buffer[2000]), ${os.availableParallelism()} workers`, perSecond: done / (Number(process.hrtime.bigint() - t0) / 1e9) })

const base = rows[1].perSecond
const result = {
  date: new Date().toISOString().slice(0, 10),
  node: process.version,
  ajv: require('ajv/package.json').version,
  ajvFormats: require('ajv-formats/package.json').version,
  mods: mods.coreVersion(),
  cpu: `${os.cpus()[0].model} (${os.availableParallelism()} CPUs)`,
  records: files,
  bytes: records.reduce((a, r) => a + r.length, 0),
  seconds,
  rows: rows.map((r) => ({ ...r, perSecond: Math.round(r.perSecond), vsAjvAllErrors: +(r.perSecond / base).toFixed(2) })),
}
if (asJson) console.log(JSON.stringify(result, null, 2))
else {
  console.log(`${result.date}, Node ${result.node}, ajv ${result.ajv}, ajv-formats ${result.ajvFormats}, mods-sdk ${result.mods}`)
  console.log(`${result.cpu}; ${files.length} example records (${result.bytes} bytes), ${seconds} s each`)
  console.log('| what | records/s | vs JSON.parse + ajv allErrors |\n|---|---:|---:|')
  for (const r of result.rows) console.log(`| ${r.name} | ${r.perSecond.toLocaleString('en-GB')} | ${r.vsAjvAllErrors.toFixed(2)}x |`)
}
if (sink < 0) console.log(sink)
