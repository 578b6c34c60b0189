'use strict'
// @mods-sdk/node: the functions of mods-sdk for Node (CommonJS; index.mjs is the ES module).
// Each function converts its arguments (lib/convert.js), calls the native function of the
// same name (src/, through mods-api) and reads its JSON result; a native error becomes a
// ModsError (lib/errors.js). Where no native addon fits the platform, the same functions of
// the WebAssembly build stand in for the addon's (lib/load.js, lib/wasm-native.js). See
// README.md.

const native = require('./lib/load.js')
const { toBytes, optionsJson, ConversionError } = require('./lib/convert.js')
const { ModsError, ModsValidationError, fromNative } = require('./lib/errors.js')

/** Call a native function and read its JSON text; its error as a ModsError. */
function call(fn, ...args) {
  let text
  try {
    text = fn(...args)
  } catch (e) {
    throw fromNative(e)
  }
  return JSON.parse(text)
}

/** A string argument, or a TypeError naming it (never quoting the value). */
function str(value, what) {
  if (typeof value !== 'string') throw new ConversionError(what, '', `must be a string, not ${value === null ? 'null' : typeof value}`)
  return value
}

/** The optional string `name` of a small options object. */
function optStr(options, name, what) {
  if (options === undefined || options === null) return undefined
  if (typeof options !== 'object') throw new ConversionError(what, '', 'the options must be a plain object')
  const v = options[name]
  return v === undefined || v === null ? undefined : str(v, `${what}.${name}`)
}

const validate = (input, options) => call(native.validate, toBytes(input, 'input'), optionsJson(options))

function check(input, options) {
  const report = validate(input, options)
  if (!report.valid) throw new ModsValidationError(report)
  return report
}

/**
 * A list of documents as one Buffer of their bytes concatenated and the end offset of
 * each (what the native batch functions take); `what` names the argument in errors.
 */
function concat(inputs, what) {
  if (inputs === null || typeof inputs !== 'object' || typeof inputs[Symbol.iterator] !== 'function') {
    throw new ConversionError(what, '', 'must be an array (or iterable) of documents')
  }
  const parts = []
  const ends = []
  let end = 0
  let i = 0
  for (const input of inputs) {
    const bytes = toBytes(input, `${what}[${i++}]`)
    parts.push(bytes)
    end += bytes.byteLength
    if (end >= 2 ** 32) throw new ConversionError(what, '', 'more than 4 GiB of documents in one batch')
    ends.push(end)
  }
  return { all: Buffer.concat(parts, end), ends }
}

/** A plain options object (or none), or a TypeError. */
function plainOptions(options, what = 'options') {
  if (options !== undefined && options !== null && (typeof options !== 'object' || Array.isArray(options))) {
    throw new ConversionError(what, '', 'the options must be a plain object')
  }
  return options ?? {}
}

async function validateMany(inputs, options) {
  if (inputs === null || typeof inputs !== 'object' || typeof inputs[Symbol.iterator] !== 'function') {
    throw new ConversionError('inputs', '', 'must be an array (or iterable) of documents')
  }
  const { workers, ...rest } = options ?? {}
  if (workers !== undefined && workers !== null && !(Number.isInteger(workers) && workers >= 0 && workers < 2 ** 32)) {
    throw new ConversionError('options.workers', '', 'must be a whole number of threads')
  }
  const { all, ends } = concat(inputs, 'inputs')
  let pending
  try {
    pending = native.validateMany(all, ends, optionsJson(rest), workers ?? undefined)
  } catch (e) {
    throw fromNative(e)
  }
  let text
  try {
    text = await pending
  } catch (e) {
    throw fromNative(e)
  }
  return JSON.parse(text)
}

/** Day against day (docs/flows/days.md); `options.againstRecord`: the other side's document. */
function compareDays(record, day, against, options) {
  if (options !== undefined && options !== null && (typeof options !== 'object' || Array.isArray(options))) {
    throw new ConversionError('options', '', 'the options must be a plain object')
  }
  for (const k of Object.keys(options ?? {})) {
    if (k !== 'againstRecord') {
      // as the layer words an unknown option
      throw new ModsError(`unknown option ${JSON.stringify(k)}; the options are againstRecord`, 'unknown-option', {
        option: k,
        known: ['againstRecord'],
      })
    }
  }
  const other = options?.againstRecord
  return call(
    native.compareDays,
    toBytes(record, 'record'),
    str(day, 'day'),
    str(against, 'against'),
    other === undefined || other === null ? undefined : toBytes(other, 'options.againstRecord'),
  )
}

// ------------------------------------------------------------------ records in bulk

/** aggregate's options with `by` as a list: one string (comma-separated for several) or a list. */
function aggregateOptions(options) {
  const o = plainOptions(options)
  return optionsJson(typeof o.by === 'string' ? { ...o, by: [o.by] } : o)
}

/** Count people and records by coded categories, small numbers suppressed (docs/mi.md). */
const aggregate = (records, options) => {
  const { all, ends } = concat(records, 'records')
  return call(native.aggregate, all, ends, aggregateOptions(options))
}

/** aggregate's table as CSV, as text for a person, or as an HTML page with a bar chart. */
const aggregateAs = (fn) => (records, options) => {
  const { all, ends } = concat(records, 'records')
  return call(fn, all, ends, aggregateOptions(options))
}

/**
 * A client-level extract with pseudonymised person ids (docs/mi.md). `options.key` is the
 * key's bytes (a Buffer or Uint8Array; a string is taken as UTF-8): it is handed to the
 * native function as bytes, never written into JSON, kept, or shown in an error.
 */
function extract(records, options) {
  const { key, ...rest } = plainOptions(options)
  let keyBytes
  if (key instanceof Uint8Array) keyBytes = key
  else if (key instanceof ArrayBuffer) keyBytes = new Uint8Array(key)
  else if (typeof key === 'string') {
    if (!key.isWellFormed()) throw new ConversionError('options.key', '', 'the key holds a lone surrogate (an unpaired UTF-16 code unit)')
    keyBytes = Buffer.from(key, 'utf8')
  } else if (key !== undefined && key !== null) {
    throw new ConversionError('options.key', '', `must be a Buffer, Uint8Array or string, not ${typeof key}`)
  }
  const { all, ends } = concat(records, 'records')
  return call(native.extract, all, ends, keyBytes, optionsJson(rest))
}

/**
 * A legacy export imported by a mapping (TOML text) (docs/import.md). `data`: the export's
 * bytes (Buffer, Uint8Array, ArrayBuffer) or text, or an array of plain objects (rows of a
 * JSON export).
 */
function importLegacy(mapping, data, options) {
  if (!(typeof data === 'string' || data instanceof Uint8Array || data instanceof ArrayBuffer || Array.isArray(data))) {
    throw new ConversionError('data', '', 'must be the export as bytes or text (or an array of rows)')
  }
  return call(native.importLegacy, str(mapping, 'mapping'), toBytes(data, 'data'), optionsJson(options))
}

module.exports = {
  validate,
  check,
  validateMany,
  versions: () => call(native.versions),
  latestVersion: () => call(native.latestVersion),
  classes: (options) => call(native.classes, optStr(options, 'version', 'options')),
  valueSets: (options) => call(native.valueSets, optStr(options, 'version', 'options')),
  codes: (valueSet, options) => call(native.codes, str(valueSet, 'valueSet'), optStr(options, 'version', 'options')),
  display: (valueSet, code, options) =>
    call(native.display, str(valueSet, 'valueSet'), str(code, 'code'), optStr(options, 'version', 'options')),
  searchCodes: (text, options) =>
    call(
      native.searchCodes,
      str(text, 'text'),
      optStr(options, 'valueSet', 'options'),
      optStr(options, 'version', 'options'),
    ),
  glossary: () => call(native.glossary),
  glossaryTerm: (term) => call(native.glossaryTerm, str(term, 'term')),
  searchGlossary: (text) => call(native.searchGlossary, str(text, 'text')),
  explain: (code) => call(native.explain, str(code, 'code')),
  issueCodes: () => call(native.issueCodes),
  schema: (options) =>
    call(native.schema, optStr(options, 'version', 'options'), optStr(options, 'class', 'options')),
  migrate: (record, to, options) =>
    call(native.migrate, toBytes(record, 'record'), str(to, 'to'), optionsJson(options)),
  diff: (before, after, options) =>
    call(native.diff, toBytes(before, 'before'), toBytes(after, 'after'), optionsJson(options)),
  diffSpec: (from, to) => call(native.diffSpec, str(from, 'from'), str(to, 'to')),
  toFhir: (record, options) => call(native.toFhir, toBytes(record, 'record'), optionsJson(options)),
  transferSummary: (record, options) =>
    call(native.transferSummary, toBytes(record, 'record'), optionsJson(options)),
  fromFhir: (bundle, options) => call(native.fromFhir, toBytes(bundle, 'bundle'), optionsJson(options)),
  mergeGpRecord: (record, bundle, options) =>
    call(native.mergeGpRecord, toBytes(record, 'record'), toBytes(bundle, 'bundle'), optionsJson(options)),
  importDischarge: (record, bundle, options) =>
    call(native.importDischarge, toBytes(record, 'record'), toBytes(bundle, 'bundle'), optionsJson(options)),
  mergeDischarge: (record, discharge, options) => {
    if (options === undefined || options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw new ConversionError('options', '', 'must be a plain object with at least committer')
    }
    const { base, ...rest } = options
    return call(
      native.mergeDischarge,
      toBytes(record, 'record'),
      toBytes(discharge, 'discharge'),
      base === undefined || base === null ? undefined : toBytes(base, 'options.base'),
      optionsJson(rest),
    )
  },
  operationOutcome: (record) => call(native.operationOutcome, toBytes(record, 'record')),
  mar: (record, date, options) => call(native.mar, toBytes(record, 'record'), str(date, 'date'), optionsJson(options)),
  marText: (view) => call(native.marText, toBytes(view, 'view')),
  compareDays,
  commissionPackage: (record, options) =>
    call(native.commissionPackage, toBytes(record, 'record'), optionsJson(options)),
  commissionAccept: (provider, pkg, options) =>
    call(native.commissionAccept, toBytes(provider, 'provider'), toBytes(pkg, 'package'), optionsJson(options)),
  conformance: (record, options) => call(native.conformance, toBytes(record, 'record'), optionsJson(options)),
  conformanceText: (assessment) => call(native.conformanceText, toBytes(assessment, 'assessment')),
  share: (record, options) => call(native.share, toBytes(record, 'record'), optionsJson(options)),
  sharePurposes: () => call(native.sharePurposes),
  shareComponents: () => call(native.shareComponents),
  importLegacy,
  aggregate,
  aggregateCsv: aggregateAs(native.aggregateCsv),
  aggregateText: aggregateAs(native.aggregateText),
  aggregateHtml: aggregateAs(native.aggregateHtml),
  extract,
  extractProfiles: () => call(native.extractProfiles),
  coreVersion: () => native.coreVersion(),
  /** Which build is in use: `'native'` for the addon, `'wasm'` for the WebAssembly fallback. */
  __napiBindingTarget: native.__napiBindingTarget,
  ModsError,
  ModsValidationError,
}
