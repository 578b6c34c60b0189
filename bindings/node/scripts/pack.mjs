// Packs the npm packages of the Node binding, in the napi-rs v3 layout:
//
//   node scripts/pack.mjs --out DIR [--require PLATFORM,...]
//
// - one package per platform, `@mods-sdk/node-<platform>` (linux-x64-gnu, linux-x64-musl,
//   linux-arm64-gnu: the targets of package.json "napi"), each holding that platform's addon
//   `mods.<platform>.node` and the `os`, `cpu` and `libc` fields by which npm installs only
//   the one that fits. Their package.json and README are written by `napi create-npm-dirs`
//   into npm/ (not kept in git: they follow package.json); a platform is packed when its
//   addon is in this folder (`napi build --platform --target ...` puts it here), and every
//   platform named by --require must be;
// - the main package `@mods-sdk/node` (no addon), its package.json given, as `napi
//   pre-publish` would, an optionalDependency on each platform package at the same version,
//   and a dependency on `mods-sdk-wasm` (the WebAssembly build, the fallback where no
//   platform package fits; bindings/wasm) at the same version; its index.d.ts says the
//   marker `__napiBindingTarget` is 'native' or 'wasm' (lib/load.js).
//
// Each tarball is written into DIR and its name printed. Run from bindings/node (any cwd).
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const args = process.argv.slice(2)
const arg = (name) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}
const out = arg('--out')
if (!out) {
  console.error('usage: node scripts/pack.mjs --out DIR [--require PLATFORM,...]')
  process.exit(2)
}
const required = (arg('--require') ?? '').split(',').filter(Boolean)
fs.mkdirSync(out, { recursive: true })

const npm = (cwd, ...a) => execFileSync('npm', a, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
/** `npm pack` of a folder into `out`; the tarball's name. */
const pack = (dir) => {
  const [info] = JSON.parse(npm(dir, 'pack', '--json', '--loglevel=error', '--pack-destination', path.resolve(out)))
  console.log(`${info.filename} (${info.size} bytes, ${info.entryCount} files)`)
  return info.filename
}

const pkg = JSON.parse(fs.readFileSync(path.join(here, 'package.json'), 'utf8'))
const { binaryName } = pkg.napi

// 1. the platform packages' package.json and README, as napi-rs writes them
fs.rmSync(path.join(here, 'npm'), { recursive: true, force: true })
execFileSync(path.join(here, 'node_modules/.bin/napi'), ['create-npm-dirs'], { cwd: here, stdio: ['ignore', 'ignore', 'pipe'] })
const platforms = fs.readdirSync(path.join(here, 'npm')).sort()
for (const p of required) {
  if (!platforms.includes(p)) throw new Error(`--require ${p}: not a target in package.json "napi" (${platforms.join(', ')})`)
}

// 2. each platform package whose addon is here
const packed = []
for (const platform of platforms) {
  const dir = path.join(here, 'npm', platform)
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))
  const addon = path.join(here, `${binaryName}.${platform}.node`)
  if (!fs.existsSync(addon)) {
    if (required.includes(platform)) throw new Error(`${path.basename(addon)} is missing (napi build --platform --target ...)`)
    console.log(`${meta.name}: no ${path.basename(addon)} here, not packed`)
    continue
  }
  fs.copyFileSync(addon, path.join(dir, meta.main))
  pack(dir)
  packed.push(meta.name)
}

// 3. the main package, from a copy with its dependencies filled in
const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'mods-node-pack-'))
try {
  const listed = JSON.parse(npm(here, 'pack', '--dry-run', '--json', '--loglevel=error'))[0].files
  for (const { path: f } of listed) {
    if (f.endsWith('.node')) throw new Error(`the main package would hold an addon: ${f}`)
    fs.mkdirSync(path.join(stage, path.dirname(f)), { recursive: true })
    fs.copyFileSync(path.join(here, f), path.join(stage, f))
  }
  // napi-rs types the loader's marker with its own WASI builds; this package's fallback is
  // the wasm-bindgen build (lib/load.js), marked 'wasm'
  const dts = path.join(stage, 'index.d.ts')
  const types = fs.readFileSync(dts, 'utf8')
  const marker = /^export declare const __napiBindingTarget: .*$/m
  if (!marker.test(types)) throw new Error('index.d.ts: no __napiBindingTarget declaration')
  fs.writeFileSync(dts, types.replace(marker, "export declare const __napiBindingTarget: 'native' | 'wasm'"))
  const main = { ...pkg }
  delete main.devDependencies
  delete main.scripts
  main.dependencies = { ...pkg.dependencies, 'mods-sdk-wasm': pkg.version }
  main.optionalDependencies = Object.fromEntries(
    platforms.map((p) => [`${pkg.name}-${p}`, pkg.version]),
  )
  fs.writeFileSync(path.join(stage, 'package.json'), JSON.stringify(main, null, 2) + '\n')
  pack(stage)
} finally {
  fs.rmSync(stage, { recursive: true, force: true })
}
