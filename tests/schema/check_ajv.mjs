#!/usr/bin/env node
// The generated JSON Schemas agree with the mods-core validator (ajv).
//
// Compiles every schema under schemas/ with Ajv2020 in strict mode (which checks it against
// the draft 2020-12 metaschema and refuses unknown keywords and formats), then validates
// every conformance case (tests/conformance/cases/**.json) and every example record
// (examples/records/*.json) and compares the verdict with the Rust validator's strict-mode
// verdict. Disagreements are excused only through tests/schema/divergences.json.
// See docs/json-schema.md.
//
// Usage: node check_ajv.mjs [--root REPO] [--schemas DIR]
// Exit status: 0 when every compared input agrees, 1 otherwise.

import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const NAME = "ajv";
// The x-mods-* annotation keywords (mods_core::schema::ANNOTATIONS): declared so that
// strict mode accepts them; they never affect validation.
const ANNOTATIONS = [
  "x-mods-binding",
  "x-mods-class",
  "x-mods-format",
  "x-mods-group",
  "x-mods-inherited-from",
  "x-mods-kind",
  "x-mods-model",
  "x-mods-name",
  "x-mods-note",
  "x-mods-occurs",
  "x-mods-provenance",
  "x-mods-published",
  "x-mods-reference",
  "x-mods-rules",
  "x-mods-type",
  "x-mods-value-set",
  "x-mods-version",
];

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const root = path.resolve(arg("--root", path.join(here, "..", "..")));
const schemasDir = path.resolve(arg("--schemas", path.join(root, "schemas")));

const load = (p) => JSON.parse(fs.readFileSync(p, "utf8"));
const walk = (dir) =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .sort();
const posix = (p) => p.split(path.sep).join("/");

function casePlan(c) {
  if (!("input" in c)) return "input is not JSON (input_text or input_base64)";
  if ("error" in (c.expect ?? {})) return "input cannot be read (expect.error)";
  // `today` changes only warnings (implausible-date), never the verdict
  const opts = Object.keys(c.options ?? {}).filter((k) => k !== "strict" && k !== "today");
  if (opts.length) return `options other than strict and today (${opts.sort().join(", ")})`;
  return null;
}
const strictVerdict = (c) =>
  c.expect.valid && !(c.expect.issues ?? []).some((i) => i.code === "unknown-element");
const libraryErrors = (c) =>
  (c.expect.issues ?? [])
    .filter((i) => i.severity === "error" || i.code === "unknown-element")
    .map((i) => i.code);

const index = load(path.join(schemasDir, "index.json"));
const current = index.current;
const versions = index.versions.map((v) => v.mods_version);
const div = load(path.join(here, "divergences.json"));
const libraryOnly = new Map(div.library_only.map((d) => [d.code, d.reason]));
const schemaOnly = new Map(div.schema_only.map((d) => [d.case, d.reason]));

const problems = [];
let failed = 0;

// 1. every schema compiles in strict mode (metaschema, keywords, formats, types)
const ajv = new Ajv2020({ strict: true, allErrors: false });
addFormats(ajv);
for (const k of ANNOTATIONS) ajv.addKeyword({ keyword: k });
const validators = new Map();
for (const p of walk(schemasDir).filter((p) => p.endsWith(".schema.json"))) {
  try {
    validators.set(posix(path.relative(schemasDir, p)), ajv.compile(load(p)));
  } catch (e) {
    failed += 1;
    problems.push(`${p}: does not compile in strict mode: ${e.message}`);
  }
}

const validatorFor = (target, doc) => {
  if (target === "record") {
    const v = doc && typeof doc === "object" && !Array.isArray(doc) ? doc.mods_version : undefined;
    const version = typeof v === "string" && versions.includes(v) ? v : current;
    return `${version}/record.schema.json`;
  }
  return `${current}/classes/${target.class}.schema.json`;
};

// 2. every case and example record
const inputs = walk(path.join(root, "tests", "conformance", "cases"))
  .filter((p) => p.endsWith(".json"))
  .map((p) => [p, load(p)]);
for (const p of walk(path.join(root, "examples", "records")).filter((p) => p.endsWith(".json"))) {
  // mods-core/tests/examples.rs: every example record is valid in strict mode
  inputs.push([p, { input: load(p), expect: { valid: true, issues: [] } }]);
}

let passed = 0;
let skipped = 0;
let excused = 0;
const skips = new Map();
const used = new Map();
for (const [p, c] of inputs) {
  const rel = posix(path.relative(root, p));
  const reason = casePlan(c);
  if (reason) {
    skipped += 1;
    skips.set(reason, (skips.get(reason) ?? 0) + 1);
    continue;
  }
  const key = validatorFor(c.target ?? "record", c.input);
  const validate = validators.get(key);
  if (!validate) {
    failed += 1;
    problems.push(`${rel}: no schema ${key}`);
    continue;
  }
  const schemaValid = validate(c.input);
  const rustValid = strictVerdict(c);
  if (schemaValid === rustValid) {
    passed += 1;
    continue;
  }
  let why;
  if (schemaValid) {
    const codes = libraryErrors(c);
    if (codes.length && codes.every((k) => libraryOnly.has(k))) {
      passed += 1;
      excused += 1;
      for (const k of new Set(codes)) used.set(k, (used.get(k) ?? 0) + 1);
      continue;
    }
    why = `the schema accepts it; the library reports ${[...new Set(codes)].sort().join(", ")}`;
  } else {
    if (schemaOnly.has(rel)) {
      passed += 1;
      excused += 1;
      continue;
    }
    const e = validate.errors[0];
    why = `the schema rejects it (${e.instancePath}: ${e.message}); the library accepts it`;
  }
  failed += 1;
  problems.push(`${rel} (${key}): ${why}`);
}

for (const p of problems) console.log(`FAIL ${p}`);
for (const k of libraryOnly.keys()) if (!used.get(k)) console.log(`note: divergence \`${k}\` excused no case`);
for (const [r, n] of [...skips.entries()].sort()) console.log(`skipped ${n}: ${r}`);
const usedText = [...used.entries()].sort().map(([k, n]) => `${k} ${n}`).join(", ") || "none";
console.log(
  `${validators.size} schemas compiled in strict mode; ${excused} disagreements excused by tests/schema/divergences.json (${usedText})`,
);
console.log(`schema agreement (${NAME}): ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed ? 1 : 0);
