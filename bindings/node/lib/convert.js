'use strict'
// JavaScript values as JSON text, strictly: only what JSON can hold, each value read once,
// and a clear TypeError (naming the argument and the place as a JSON pointer, never the
// value) for anything else. `JSON.stringify` is not used for documents because it drops
// `undefined` and functions silently, calls `toJSON` (a Date becomes a string), and writes
// lone surrogates as escapes that are not text.

/** A value of the wrong kind for JSON; `.path` is where, as a JSON pointer. */
class ConversionError extends TypeError {
  constructor(what, pointer, problem) {
    super(`${what}${pointer ? ` at ${pointer}` : ''}: ${problem}`)
    this.name = 'TypeError'
    this.pointer = pointer
  }
}

const escapePointer = (key) => String(key).replace(/~/g, '~0').replace(/\//g, '~1')

/**
 * A plain JSON-like value (objects, arrays, strings, finite numbers, booleans, null) as
 * JSON text. `skipUndefined` (options objects): an `undefined` member means "not given".
 * Prototype keys: `__proto__` and `constructor` are refused as keys, whatever their value:
 * no MODS or FHIR name is spelt so, and a consumer of the JSON that builds objects by
 * assignment could turn them into a prototype change.
 */
function toJson(value, what, { skipUndefined = false, maxDepth = 1000 } = {}) {
  const keys = [] // the path to the value being written, built into a pointer only for an error
  const open = [] // objects and arrays being written: a cycle meets one again
  const fail = (problem, extra) => {
    const at = extra === undefined ? keys : [...keys, extra]
    throw new ConversionError(what, at.map((k) => `/${escapePointer(k)}`).join(''), problem)
  }
  const write = (v) => {
    switch (typeof v) {
      case 'string':
        if (!v.isWellFormed()) fail('a string holds a lone surrogate (an unpaired UTF-16 code unit), which is not text')
        return JSON.stringify(v)
      case 'number':
        if (!Number.isFinite(v)) fail('NaN and Infinity are not JSON numbers')
        return String(v)
      case 'boolean':
        return v ? 'true' : 'false'
      case 'bigint':
        return fail('a BigInt is not a JSON number (convert it to a Number or a string)')
      case 'undefined':
        return fail('undefined is not a JSON value (leave the member out, or use null)')
      case 'function':
      case 'symbol':
        return fail(`a ${typeof v} is not a JSON value`)
    }
    if (v === null) return 'null'
    if (open.includes(v)) fail('a cyclic object (it contains itself)')
    if (open.length >= maxDepth) fail(`nested deeper than ${maxDepth}`)
    open.push(v)
    let out
    if (Array.isArray(v)) {
      out = '['
      for (let i = 0; i < v.length; i++) {
        keys.push(i)
        out += (i ? ',' : '') + write(v[i])
        keys.pop()
      }
      out += ']'
    } else {
      const proto = Object.getPrototypeOf(v)
      if (proto !== Object.prototype && proto !== null) {
        const named = Object.prototype.hasOwnProperty.call(proto, 'constructor') && proto.constructor.name
        fail(
          named
            ? `a ${named} is not a plain object (give JSON text, a Buffer, or plain objects)`
            : 'an object whose prototype was changed (a __proto__ key in an object literal sets it) is not a plain object',
        )
      }
      out = '{'
      let first = true
      for (const key of Object.keys(v)) {
        const item = v[key]
        if (item === undefined && skipUndefined) continue
        if (key === '__proto__' || key === 'constructor') {
          fail(`the key "${key}" is refused (it names a prototype in JavaScript)`, key)
        }
        if (!key.isWellFormed()) fail('a key holds a lone surrogate (an unpaired UTF-16 code unit), which is not text')
        keys.push(key)
        out += (first ? '' : ',') + JSON.stringify(key) + ':' + write(item)
        keys.pop()
        first = false
      }
      out += '}'
    }
    open.pop()
    return out
  }
  return write(value)
}

/**
 * A document as UTF-8 JSON bytes: a Buffer or Uint8Array as it is (no copy), JSON text
 * encoded once, any other value written by `toJson`.
 */
function toBytes(input, what) {
  if (input instanceof Uint8Array) {
    if (input.byteLength === 0 && isDetached(input)) {
      throw new ConversionError(what, '', 'its ArrayBuffer is detached (transferred or freed), so it has no bytes to read')
    }
    return input
  }
  if (input instanceof ArrayBuffer) return toBytes(new Uint8Array(input), what)
  if (ArrayBuffer.isView(input)) {
    throw new ConversionError(what, '', 'give the bytes as a Buffer or Uint8Array, not another typed array or DataView')
  }
  if (typeof input === 'string') {
    if (!input.isWellFormed()) {
      throw new ConversionError(what, '', 'the text holds a lone surrogate (an unpaired UTF-16 code unit), which is not text')
    }
    return Buffer.from(input, 'utf8')
  }
  return Buffer.from(toJson(input, what), 'utf8')
}

/** Whether a zero-length view's ArrayBuffer is detached (a view over it cannot be made). */
function isDetached(view) {
  try {
    // eslint-disable-next-line no-new
    new Uint8Array(view.buffer, 0, 0)
    return false
  } catch {
    return true
  }
}

/** Options as JSON text for the native functions (`undefined` when none). */
function optionsJson(options, what = 'options') {
  if (options === undefined || options === null) return undefined
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new ConversionError(what, '', 'the options must be a plain object')
  }
  return toJson(options, what, { skipUndefined: true })
}

module.exports = { toJson, toBytes, optionsJson, ConversionError }
