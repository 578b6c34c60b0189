// The discharge merge (use case 4) in the Node build of the WebAssembly package: the
// language-neutral cases of tests/flows/discharge/, and what only this build shows
// (options.base, the clock's time as dateTime).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync, readdirSync } from "node:fs";

const require = createRequire(import.meta.url);
const mods = require("../pkg-node/mods_wasm.js");
const root = new URL("../../../", import.meta.url);
const casesDir = new URL("tests/flows/discharge/", root);
const cases = readdirSync(casesDir).filter((f) => f.endsWith(".json")).sort();
const load = (url) => JSON.parse(readFileSync(url, "utf8"));
const input = (v) => (typeof v === "string" ? new Uint8Array(readFileSync(new URL(v, root))) : v);
const camel = (k) => k.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
const pointer = (doc, p) =>
  p.split("/").slice(1).reduce((d, part) => d[part.replace(/~1/g, "/").replace(/~0/g, "~")], doc);

function subsetList(what, actual, expected) {
  assert.equal(actual.length, expected.length, `${what}: ${JSON.stringify(actual)}`);
  expected.forEach((e, i) => {
    for (const [k, v] of Object.entries(e)) assert.deepEqual(actual[i][k], v, `${what}[${i}].${k}`);
  });
}

test("there are discharge cases", () => assert.ok(cases.length >= 9));

for (const file of cases) {
  test(`discharge case ${file}`, () => {
    const c = load(new URL(file, casesDir));
    const options = Object.fromEntries(Object.entries(c.options ?? {}).map(([k, v]) => [camel(k), v]));
    if (c.base !== undefined) options.base = input(c.base);
    const run = () => mods.mergeDischarge(input(c.record), input(c.discharge), options);
    const e = c.expect;
    if (e.error) {
      assert.throws(run, (err) => err.name === "ModsError" && err.code === e.error);
      return;
    }
    const { record, report } = run();
    if (e.changes) subsetList("changes", report.changes, e.changes);
    if (e.conflicts) subsetList("conflicts", report.conflicts, e.conflicts);
    if (e.notes) assert.deepEqual(report.notes.map((n) => n.kind), e.notes);
    if (e.valid !== undefined) assert.equal(report.validation.valid, e.valid);
    for (const check of e.record ?? []) assert.deepEqual(pointer(record, check.pointer), check.value, check.pointer);
    if (e.record_equals) assert.deepEqual(record, load(new URL(e.record_equals, root)));
  });
}

test("without dateTime the merge is dated by the clock; the options object is not changed", () => {
  const before = input("examples/flows/discharge/james-before-discharge.json");
  const discharge = input("examples/flows/discharge/discharge-james.json");
  const options = { committer: "cw-liam", base: before };
  const { record, report } = mods.mergeDischarge(before, discharge, options);
  const entry = record.change_log[report.changes[0].change_log.split("/")[2]];
  assert.match(entry.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(report.three_way, true);
  assert.ok("base" in options);
  assert.throws(() => mods.mergeDischarge(before, discharge, {}), (err) => err.code === "invalid-option");
});
