'use strict'
// The WebAssembly fallback: the functions of the native addon (src/, through native.js),
// with the same arguments and results, over the WebAssembly build of mods-sdk (the npm
// package `mods-sdk-wasm`, a dependency of this package). index.js uses it where no native
// addon fits the platform (lib/load.js): the arguments arrive as the addon takes them
// (documents as bytes, options as JSON text with camelCase names) and each result leaves
// as JSON text, so index.js does the same conversions, checks and error handling on both.
//
// What differs (README.md, "Install"): validateMany runs on the calling thread (the
// WebAssembly build has no threads; its Promise resolves once all are done), importLegacy
// cannot read the documents a mapping attaches by path (no file system: each is reported
// `attachment-missing`), a panic (a bug) aborts the call with a RuntimeError, and every
// call is slower.

/**
 * Load the WebAssembly build: the `mods-sdk-wasm` package, or in a clone of the repository
 * the one `bindings/wasm/build.sh` wrote beside this package.
 */
function loadWasm() {
  try {
    return require('mods-sdk-wasm')
  } catch (first) {
    if (first && first.code !== 'MODULE_NOT_FOUND') throw first
    try {
      return require('../../wasm/pkg-node/mods_wasm.js')
    } catch {
      throw first
    }
  }
}

/** A function the WebAssembly build lacks, as a function that says so when called. */
function missing(name) {
  return () => {
    const e = new Error(
      `${name} is not in the WebAssembly build of mods-sdk (mods-sdk-wasm) that @mods-sdk/node uses on ` +
        `${process.platform}-${process.arch}, where no native addon is available; install a mods-sdk-wasm ` +
        `built with all its features, or use a platform with a native addon (README.md, "Install")`,
    )
    e.code = 'ERR_MODS_NOT_IN_WASM'
    throw e
  }
}

/**
 * The layer's errors as the native addon throws them (an Error whose message is the
 * serialised error, `{"code", "message", ...details}`, which index.js turns into a
 * ModsError); other errors (TypeError, RangeError...) as they are.
 */
function asNative(e) {
  if (e instanceof Error && e.name === 'ModsError' && typeof e.code === 'string') {
    const details = {}
    for (const k of Object.keys(e)) if (k !== 'name' && k !== 'stack') details[k] = e[k]
    return new Error(JSON.stringify({ ...details, code: e.code, message: e.message }))
  }
  return e
}

/** Options JSON text (or none) as an object. */
const opts = (text) => (text === undefined || text === null ? undefined : JSON.parse(text))

/** The documents of a batch: `all` cut at each end offset. */
function split(all, ends) {
  const out = []
  let start = 0
  for (const end of ends) {
    out.push(all.subarray(start, end))
    start = end
  }
  return out
}

/** The layer's `invalid-option` error, as the addon throws it. */
const refuse = (option, message) => new Error(JSON.stringify({ code: 'invalid-option', message, option }))

/**
 * Validation options as an object, refused as the addon refuses them where the
 * WebAssembly build words it otherwise (a `terminology` that is not a list).
 */
function validateOpts(text) {
  const o = opts(text)
  const t = o?.terminology
  if (t !== undefined && t !== null && !Array.isArray(t)) {
    throw refuse('terminology', 'terminology must be a list of FHIR CodeSystem or ValueSet resources')
  }
  return o
}

/** The addon's functions (as native.js gives them) over `wasm`, the mods-sdk-wasm module. */
function create(wasm) {
  /** `fn` of the WebAssembly build as the addon's function (`adapt` maps the arguments). */
  const fn = (name, adapt = (...a) => a) => {
    const f = wasm[name]
    if (typeof f !== 'function') return missing(name)
    return (...args) => {
      let value
      try {
        value = f(...adapt(...args))
      } catch (e) {
        throw asNative(e)
      }
      return value === undefined ? 'null' : JSON.stringify(value)
    }
  }
  // (document, options JSON) and the like: the options as an object
  const lastOpts = (...a) => [...a.slice(0, -1), opts(a[a.length - 1])]
  const batch = (all, ends, o) => [split(all, ends), opts(o)]
  const validateMany = fn('validateMany', (all, ends, o) => [split(all, ends), validateOpts(o)])
  return {
    validate: fn('validate', (input, o) => [input, validateOpts(o)]),
    validateMany: (all, ends, o, workers) => {
      // the addon's returns a Promise; so does this one, settled when all are done (on this
      // thread: `workers` is checked as the addon checks it, and otherwise not used)
      try {
        if (workers === 0) throw refuse('workers', 'workers must be at least 1')
        return Promise.resolve(validateMany(all, ends, o))
      } catch (e) {
        return Promise.reject(e)
      }
    },
    versions: fn('versions'),
    latestVersion: fn('latestVersion'),
    classes: fn('classes'),
    valueSets: fn('valueSets'),
    codes: fn('codes'),
    display: fn('display'),
    searchCodes: fn('searchCodes'),
    glossary: fn('glossary', () => [undefined]),
    glossaryTerm: fn('glossary', (term) => [term]),
    searchGlossary: fn('searchGlossary'),
    explain: fn('explain'),
    issueCodes: fn('issueCodes'),
    schema: fn('schema'),
    migrate: fn('migrate', lastOpts),
    diff: fn('diff', lastOpts),
    diffSpec: fn('diffSpec'),
    toFhir: fn('toFhir', lastOpts),
    transferSummary: fn('transferSummary', lastOpts),
    fromFhir: fn('fromFhir', lastOpts),
    mergeGpRecord: fn('mergeGpRecord', lastOpts),
    importDischarge: fn('importDischarge', lastOpts),
    mergeDischarge: fn('mergeDischarge', (record, discharge, base, o) => [
      record,
      discharge,
      base === undefined ? opts(o) : { ...opts(o), base },
    ]),
    operationOutcome: fn('operationOutcome'),
    mar: fn('mar', lastOpts),
    marText: fn('marText'),
    compareDays: fn('compareDays', (record, day, against, other) => [
      record,
      day,
      against,
      other === undefined ? undefined : { againstRecord: other },
    ]),
    commissionPackage: fn('commissionPackage', lastOpts),
    commissionAccept: fn('commissionAccept', lastOpts),
    conformance: fn('conformance', lastOpts),
    conformanceText: fn('conformanceText'),
    share: fn('share', lastOpts),
    sharePurposes: fn('sharePurposes'),
    shareComponents: fn('shareComponents'),
    importLegacy: fn('importLegacy', lastOpts),
    aggregate: fn('aggregate', batch),
    aggregateCsv: fn('aggregateCsv', batch),
    aggregateText: fn('aggregateText', batch),
    aggregateHtml: fn('aggregateHtml', batch),
    extract: fn('extract', (all, ends, key, o) => [
      split(all, ends),
      key === undefined ? opts(o) : { ...opts(o), key },
    ]),
    extractProfiles: fn('extractProfiles'),
    coreVersion: typeof wasm.version === 'function' ? () => wasm.version() : missing('coreVersion'),
    __napiBindingTarget: 'wasm',
  }
}

module.exports = { loadWasm, create }
