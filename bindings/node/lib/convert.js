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
  const out = []
  const open = new Set() // objects and arrays being written: a cycle meets one again
  const write = (v, pointer, depth) => {
    switch (typeof v) {
      case 'string':
        if (!v.isWellFormed()) {
          throw new ConversionError(what, pointer, 'a string holds a lone surrogate (an unpaired UTF-16 code unit), which is not text')
        }
        out.push(JSON.stringify(v))
        return
      case 'number':
        if (!Number.isFinite(v)) throw new ConversionError(what, pointer, 'NaN and Infinity are not JSON numbers')
        out.push(String(v))
        return
      case 'boolean':
        out.push(v ? 'true' : 'false')
        return
      case 'bigint':
        throw new ConversionError(what, pointer, 'a BigInt is not a JSON number (convert it to a Number or a string)')
      case 'undefined':
        throw new ConversionError(what, pointer, 'undefined is not a JSON value (leave the member out, or use null)')
      case 'function':
      case 'symbol':
        throw new ConversionError(what, pointer, `a ${typeof v} is not a JSON value`)
    }
    if (v === null) {
      out.push('null')
      return
    }
    if (open.has(v)) throw new ConversionError(what, pointer, 'a cyclic object (it contains itself)')
    if (depth >= maxDepth) throw new ConversionError(what, pointer, `nested deeper than ${maxDepth}`)
    open.add(v)
    if (Array.isArray(v)) {
      out.push('[')
      for (let i = 0; i < v.length; i++) {
        if (i) out.push(',')
        write(v[i], `${pointer}/${i}`, depth + 1)
      }
      out.push(']')
    } else {
      const proto = Object.getPrototypeOf(v)
      if (proto !== Object.prototype && proto !== null) {
        const named = Object.prototype.hasOwnProperty.call(proto, 'constructor') && proto.constructor.name
        throw new ConversionError(
          what,
          pointer,
          named
            ? `a ${named} is not a plain object (give JSON text, a Buffer, or plain objects)`
            : 'an object whose prototype was changed (a __proto__ key in an object literal sets it) is not a plain object',
        )
      }
      out.push('{')
      let first = true
      for (const key of Object.keys(v)) {
        const item = v[key]
        if (item === undefined && skipUndefined) continue
        const at = `${pointer}/${escapePointer(key)}`
        if (key === '__proto__' || key === 'constructor') {
          throw new ConversionError(what, at, `the key "${key}" is refused (it names a prototype in JavaScript)`)
        }
        if (!key.isWellFormed()) {
          throw new ConversionError(what, pointer, 'a key holds a lone surrogate (an unpaired UTF-16 code unit), which is not text')
        }
        if (!first) out.push(',')
        first = false
        out.push(JSON.stringify(key), ':')
        write(item, at, depth + 1)
      }
      out.push('}')
    }
    open.delete(v)
  }
  write(value, '', 0)
  return out.join('')
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
