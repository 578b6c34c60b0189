// Paths the tests share: the repository root, the corpus, the example records.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const here = path.dirname(fileURLToPath(import.meta.url))
export const root = path.resolve(here, '..', '..', '..')
export const corpus = path.join(root, 'tests', 'conformance', 'cases')
export const examples = path.join(root, 'examples', 'records')

export const walk = (dir) =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .filter((p) => p.endsWith('.json'))
    .sort()

export const load = (p) => JSON.parse(fs.readFileSync(p, 'utf8'))
export const example = (name) => fs.readFileSync(path.join(examples, name))
