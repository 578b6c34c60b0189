// Commissioning a package of care (use case 2) in the Node build of the WebAssembly
// package: the language-neutral cases of tests/flows/commission/cases.json through
// commissionPackage and commissionAccept, and what only this build shows (the clock's
// date and time as the defaults of date and today).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const mods = require("../pkg-node/mods_wasm.js");
const root = new URL("../../../", import.meta.url);
const load = (rel) => JSON.parse(readFileSync(new URL(rel, root), "utf8"));
const { cases } = load("tests/flows/commission/cases.json");
const camel = (o) =>
  Object.fromEntries(Object.entries(o || {}).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c) => c.toUpperCase()), v]));

// a case's document: a file with some members set or removed (JSON pointers)
const source = (spec) => {
  const doc = load(spec.path);
  const walk = (pointer) => {
    const parts = pointer.split("/").slice(1);
    const last = parts.pop();
    let t = doc;
    for (const p of parts) t = t[p];
    return [t, last];
  };
  for (const [pointer, value] of Object.entries(spec.set || {})) {
    const [t, last] = walk(pointer);
    t[last] = value;
  }
  for (const pointer of spec.remove || []) {
    const [t, last] = walk(pointer);
    delete t[last];
  }
  return doc;
};

const run = (c) => {
  if (c.operation === "package") return mods.commissionPackage(source(c.council), camel(c.options));
  const pkg = mods.commissionPackage(source(c.package_of.council), camel(c.package_of.options)).package;
  return mods.commissionAccept(JSON.stringify(source(c.provider)), pkg, camel(c.options));
};

const issues = (r) => r.validation.issues.map((i) => `${i.code} ${i.pointer} ${i.severity}`).sort();

test("there are commissioning cases", () => assert.ok(cases.length >= 8));

for (const c of cases) {
  test(`commission case ${c.name}`, () => {
    const e = c.expect;
    if (e.error) {
      assert.throws(
        () => run(c),
        (err) => err.name === "ModsError" && err.code === e.error && err.message.includes(e.message),
      );
      return;
    }
    const { report } = run(c);
    for (const [k, want] of Object.entries(e)) {
      if (k === "issues") assert.deepEqual(issues(report), want.map((i) => `${i.code} ${i.pointer} ${i.severity}`).sort());
      else if (k === "records_include") for (const [cls, n] of Object.entries(want)) assert.equal(report.records[cls], n, cls);
      else if (k === "added_count") assert.equal(report.added.length, want);
      else assert.deepEqual(report[k], want, k);
    }
  });
}

test("without date the Change log entries are dated by the clock; a bad date is invalid-option", () => {
  // the matched-by-NHS-number case of the shared cases, without its date
  const c = cases.find((k) => k.operation === "accept" && k.expect.person === "matched");
  const options = camel(c.options);
  delete options.date;
  const pkg = mods.commissionPackage(source(c.package_of.council), camel(c.package_of.options)).package;
  const provider = source(c.provider);
  const { record } = mods.commissionAccept(provider, pkg, options);
  const today = new Date().toISOString().slice(0, 10);
  const byClock = record.change_log.filter((e) => e.date.startsWith(today) && /T\d\d:\d\d:\d\dZ$/.test(e.date));
  // the same entries as when the date is given
  const given = mods.commissionAccept(provider, pkg, { ...options, date: "2001-02-03T04:05:06Z" }).record;
  const byDate = given.change_log.filter((e) => e.date === "2001-02-03T04:05:06Z");
  assert.ok(byDate.length > 0);
  assert.equal(byClock.length, byDate.length);
  assert.throws(
    () => mods.commissionAccept(provider, pkg, { ...options, date: "yesterday" }),
    (err) => err.name === "ModsError" && err.code === "invalid-option",
  );
  assert.throws(() => mods.commissionPackage(source(c.package_of.council), {}), (err) => err.name === "ModsError");
});
