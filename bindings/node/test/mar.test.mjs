// mar and marText: the cases of tests/flows/mar (the same facts as the Rust and Python
// tests), then the Node shapes (Buffer, text or object in; ModsError out).
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import * as mods from "../index.mjs";
import { cases, check, root } from "../../../tests/flows/mar/check.mjs";

const smith = () => fs.readFileSync(path.join(root, "examples", "records", "mrs-smith-after-fall.json"));

test("every case of tests/flows/mar", () => {
  const all = cases();
  assert.ok(all.length >= 10);
  for (const [name, c] of all) check(name, c, mods.mar);
});

test("the record as a Buffer, text or an object gives one view; marText gives the CLI's text", () => {
  const fromBuffer = mods.mar(smith(), "2026-03-10");
  assert.deepEqual(mods.mar(smith().toString("utf8"), "2026-03-10"), fromBuffer);
  assert.deepEqual(mods.mar(JSON.parse(smith()), "2026-03-10"), fromBuffer);
  assert.equal(fromBuffer.doses[2].given_by.role, "Unpaid carer (son)");
  const text = mods.marText(fromBuffer);
  assert.match(text, /TOO SOON: 2026-03-10 12:15 Paracetamol 500mg tablets \(bought by her son\)/);
  assert.equal(mods.marText(JSON.stringify(fromBuffer)), text);
  const days = mods.mar(smith(), "2026-03-08", { to: "2026-03-10", includeValues: false });
  assert.equal(days.doses.length, 9);
});

test("refusals are ModsErrors with a code, and hold no data", () => {
  assert.throws(() => mods.mar(smith(), "2026-03-10", { from: "x" }), (e) => e.code === "unknown-option");
  assert.throws(
    () => mods.mar({ subject_of_care: { nhs_number: "9434765919" } }, "2026-03-10"),
    (e) => e instanceof mods.ModsError && e.code === "unknown-version" && !e.message.includes("9434765919"),
  );
  assert.throws(() => mods.mar(smith(), 20260310), TypeError);
  assert.throws(() => mods.marText({ doses: 3 }), (e) => e.code === "invalid-option" && e.option === "view");
});
