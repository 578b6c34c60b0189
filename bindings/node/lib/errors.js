'use strict'
// The package's error classes. Their messages never hold a record's data: a ModsError's is
// the layer's (written so), a ModsValidationError's names issue codes and places only.

const camel = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase())

/**
 * An error of mods-sdk: `.code` is the layer's stable code (`invalid-json`, `limit`,
 * `unknown-option`, `invalid-option`, `unknown-class`, `unknown-version`,
 * `unknown-value-set`, `unknown-term`, `unknown-issue-code`, `invalid-terminology`,
 * `migration-refused`, `diff-refused`, `export-refused`, `import-refused`, `merge-refused`,
 * `internal-error`); the layer's details are properties in camelCase (`issueCode`,
 * `pointer`, `line`, `column`, `offset`, `option`, `known`, `class`, `version`,
 * `supported`, `valueSet`, `term`, `index`, `losses`, `location`).
 */
class ModsError extends Error {
  constructor(message, code, details = {}) {
    super(message)
    this.name = 'ModsError'
    this.code = code
    for (const [k, v] of Object.entries(details)) {
      Object.defineProperty(this, camel(k), { value: v, enumerable: true, writable: true, configurable: true })
    }
  }
}

/** A record that is not valid, thrown by `check`: `.report` and its `.issues`. */
class ModsValidationError extends Error {
  constructor(report) {
    const errors = report.issues.filter((i) => i.severity === 'error')
    const shown = errors.slice(0, 3).map((i) => `${i.code} at ${i.pointer || '/'}`).join('; ')
    const more = errors.length > 3 ? ` and ${errors.length - 3} more` : ''
    super(`the record is not valid: ${errors.length} error(s): ${shown}${more}`)
    this.name = 'ModsValidationError'
    this.report = report
    this.issues = report.issues
  }
}

const MARK = '{"code":'

/** A native error carrying the layer's serialised error as a ModsError; others as they are. */
function fromNative(e) {
  if (e instanceof Error && typeof e.message === 'string' && e.message.startsWith(MARK)) {
    let parsed
    try {
      parsed = JSON.parse(e.message)
    } catch {
      return e
    }
    const { code, message, ...details } = parsed
    return new ModsError(message, code, details)
  }
  return e
}

module.exports = { ModsError, ModsValidationError, fromNative }
