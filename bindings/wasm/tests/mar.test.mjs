// mar and marText in the Node build of the WebAssembly package: the cases of tests/flows/mar
// (the same facts as the Rust, Python and Node tests), and the text.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { cases, check } from "../../../tests/flows/mar/check.mjs";

const require = createRequire(import.meta.url);
const mods = require("../pkg-node/mods_wasm.js");
const smith = () => readFileSync(new URL("../../../examples/records/mrs-smith-after-fall.json", import.meta.url));

test("every case of tests/flows/mar", () => {
  const all = cases();
  assert.ok(all.length >= 10);
  // the record as bytes, as the cases give files; objects for inline records
  const mar = (record, date, opts) => mods.mar(record instanceof Buffer ? new Uint8Array(record) : record, date, opts);
  for (const [name, c] of all) check(name, c, mar);
});

test("one view from bytes, text or an object; marText gives the CLI's text", () => {
  const v = mods.mar(new Uint8Array(smith()), "2026-03-10");
  assert.deepEqual(mods.mar(smith().toString("utf8"), "2026-03-10"), v);
  assert.deepEqual(mods.mar(JSON.parse(smith()), "2026-03-10"), v);
  const text = mods.marText(v);
  assert.match(text, /ONE MEDICINE, TWO RECORDS/);
  assert.match(text, /by Robert Smith, Unpaid carer \(son\)/);
  assert.throws(() => mods.mar(smith().toString("utf8"), "2026-03-10", { to: "2026-03-01" }), (e) => e.code === "invalid-option" && e.option === "to");
});
