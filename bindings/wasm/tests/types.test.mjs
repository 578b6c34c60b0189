// The package's TypeScript declarations (mods_wasm.d.ts, written by hand in src/ because the
// generated ones would say `any`) declare every function the module exports, including
// those each cargo feature for records in bulk adds.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const mods = require("../pkg-node/mods_wasm.js");
const dts = readFileSync(new URL("../pkg-node/mods_wasm.d.ts", import.meta.url), "utf8");

test("every exported function is declared once", () => {
  const names = Object.keys(mods).filter((k) => typeof mods[k] === "function" && !k.startsWith("__"));
  for (const n of ["conformance", "share", "aggregate", "extract", "importLegacy"]) assert.ok(names.includes(n), n);
  for (const n of names) {
    const declared = dts.match(new RegExp(`export function ${n}\\(`, "g")) ?? [];
    assert.equal(declared.length, 1, n);
  }
});
