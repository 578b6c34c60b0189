// The language-neutral conformance corpus (tests/conformance/cases) through the Node build
// of the WebAssembly package: the same verdicts, codes, paths and severities as the Rust
// core. Each case runs with its input as bytes, and (when it is JSON) as text and as an
// object; validateMany gives the same reports.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const mods = require("../pkg-node/mods_wasm.js");
const here = fileURLToPath(new URL(".", import.meta.url));
const casesDir = join(here, "../../../tests/conformance/cases");

function files(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : n.endsWith(".json") ? [p] : [];
  });
}

const camel = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

// the corpus spells options as the layer does (snake_case); JavaScript callers, camelCase
function options(c) {
  const o = {};
  for (const [k, v] of Object.entries(c.options ?? {})) {
    if (k === "limits") o.limits = Object.fromEntries(Object.entries(v).map(([l, n]) => [camel(l), n]));
    else o[camel(k)] = v;
  }
  if (c.target && c.target !== "record") o.class = c.target.class;
  return o;
}

function inputs(c) {
  if ("input" in c) {
    const text = JSON.stringify(c.input);
    const all = [["bytes", new TextEncoder().encode(text)], ["text", text]];
    // a plain object is a third route in, but a case that hits a limit of the reader or
    // needs exact input (duplicate keys...) only exists as bytes
    if (c.input !== null && typeof c.input === "object" && !c.expect.error) all.push(["object", c.input]);
    return all;
  }
  if ("input_text" in c) return [["text", c.input_text], ["bytes", new TextEncoder().encode(c.input_text)]];
  return [["bytes", new Uint8Array(Buffer.from(c.input_base64, "base64"))]];
}

const key = (i) => `${i.code} ${i.pointer ?? i.path} ${i.severity}`;
const sorted = (issues) => issues.map(key).sort();

const all = files(casesDir);

test("the corpus is there", () => {
  assert.ok(all.length > 200, `${all.length} cases`);
});

let ran = 0;
for (const file of all) {
  const c = JSON.parse(readFileSync(file, "utf8"));
  test(relative(casesDir, file), () => {
    const opts = options(c);
    for (const [how, input] of inputs(c)) {
      if (c.expect.error) {
        assert.throws(() => mods.validate(input, opts), (e) => {
          assert.equal(e.name, "ModsError", how);
          assert.equal(e.issue_code, c.expect.error, how);
          return true;
        });
        const [r] = mods.validateMany([input], opts);
        assert.equal(r.valid, false);
        assert.deepEqual(r.issues.map((i) => i.code), [c.expect.error], how);
        continue;
      }
      const r = mods.validate(input, opts);
      assert.equal(r.valid, c.expect.valid, `${how}: valid`);
      assert.deepEqual(sorted(r.issues), c.expect.issues.map((i) => `${i.code} ${i.path} ${i.severity}`).sort(), how);
      assert.deepEqual(mods.validateMany([input], opts), [r], `${how}: validateMany`);
      ran++;
    }
  });
}

test("every case ran", () => {
  assert.ok(ran >= all.length, `${ran} runs for ${all.length} cases`);
});
