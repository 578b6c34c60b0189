// What the JavaScript suites share: paths in the repository, JSON loading, and how an error
// of the binding's layer is recognised (the Node package exports its ModsError class; the
// WebAssembly package's errors carry the name 'ModsError').
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
export const examples = path.join(root, 'examples', 'records')
export const load = (p) => JSON.parse(fs.readFileSync(p, 'utf8'))

/** Whether `err` is the binding's ModsError. */
export const isModsError = (mods, err) =>
  typeof mods.ModsError === 'function' ? mods.ModsError.prototype.isPrototypeOf(err) : err?.name === 'ModsError'
