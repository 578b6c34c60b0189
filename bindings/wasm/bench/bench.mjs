// Records per second: the WebAssembly build in Node (validate on a Uint8Array, on a string,
// on a parsed object) beside JSON.parse + ajv (strict, allErrors, ajv-formats) and ajv
// without allErrors, on the example records and the generated JSON Schema; and the time of
// one validateField call (a form field on each keystroke).
// Usage: npm run bench [-- --seconds N]   (build first: npm run build)
import { createRequire } from "node:module";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import os from "node:os";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const require = createRequire(import.meta.url);
const mods = require("../pkg-node/mods_wasm.js");
const here = fileURLToPath(new URL(".", import.meta.url));
const root = join(here, "../../..");
const seconds = Number(process.argv[process.argv.indexOf("--seconds") + 1]) || 2;

const dir = join(root, "examples/records");
const texts = readdirSync(dir).filter((n) => n.endsWith(".json")).sort().map((n) => readFileSync(join(dir, n), "utf8"));
const buffers = texts.map((t) => new Uint8Array(Buffer.from(t)));
const objects = texts.map((t) => JSON.parse(t));
const version = objects[0].mods_version;
const schema = JSON.parse(readFileSync(join(root, `schemas/${version}/record.schema.json`), "utf8"));

function ajvFor(allErrors) {
  const ajv = new Ajv2020({ strict: true, allErrors });
  addFormats(ajv);
  // the x-mods-* annotations are keywords of ours (see tests/schema/check_ajv.mjs)
  const seen = new Set();
  JSON.stringify(schema, (k, v) => { if (k.startsWith("x-mods-")) seen.add(k); return v; });
  for (const k of seen) ajv.addKeyword(k);
  return ajv.compile(schema);
}

function rate(name, fn, n) {
  for (let i = 0; i < 50; i++) fn(i % n); // warm up
  let count = 0;
  const start = process.hrtime.bigint(), end = start + BigInt(seconds * 1e9);
  let now = start;
  while (now < end) {
    for (let i = 0; i < 20; i++) fn((count + i) % n);
    count += 20;
    now = process.hrtime.bigint();
  }
  const perSec = count / (Number(now - start) / 1e9);
  return { name, perSec };
}

const strictAll = ajvFor(true), strictFirst = ajvFor(false);
for (const o of objects) if (!strictAll(o)) throw new Error("an example record fails the schema");
for (const b of buffers) if (!mods.validate(b).valid) throw new Error("an example record fails validation");

const n = texts.length;
const results = [
  rate("JSON.parse + ajv (strict, allErrors, ajv-formats)", (i) => strictAll(JSON.parse(texts[i])), n),
  rate("JSON.parse + ajv (strict, ajv-formats, first error)", (i) => strictFirst(JSON.parse(texts[i])), n),
  rate("mods-sdk WASM validate(Uint8Array)", (i) => mods.validate(buffers[i]), n),
  rate("mods-sdk WASM validate(string)", (i) => mods.validate(texts[i]), n),
  rate("mods-sdk WASM validate(object)", (i) => mods.validate(objects[i]), n),
];
const base = results[0].perSec;

const fieldValues = ["9434765918", "9434765919", "943476", ""];
const field = rate("validateField(subject_of_care, nhs_number)", (i) =>
  mods.validateField("subject_of_care", "nhs_number", fieldValues[i % 4] || null, { person_name: [{ given_name: "Ann", family_name: "Green" }] }), 4);

console.log(`# ${new Date().toISOString().slice(0, 10)}, ${os.cpus()[0].model} (${os.cpus().length} cores), Node ${process.version}, mods-sdk ${mods.version()}`);
console.log(`# ${n} example records (${Math.round(texts.reduce((a, t) => a + t.length, 0) / n / 1024)} KiB each on average), ${seconds} s per row, one thread`);
console.log("| validator | records/s | vs JSON.parse + ajv allErrors |");
console.log("|---|---:|---:|");
for (const r of results) console.log(`| ${r.name} | ${Math.round(r.perSec).toLocaleString("en-GB")} | ${(r.perSec / base).toFixed(2)}x |`);
console.log(`\nvalidateField: ${(1e6 / field.perSec).toFixed(1)} µs per call (${Math.round(field.perSec).toLocaleString("en-GB")} calls/s)`);
