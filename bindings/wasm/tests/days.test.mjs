// Day against day (docs/flows/days.md) through the Node build of the WebAssembly package:
// the shared cases of tests/flows/days/cases.json, which every binding runs, and the options.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const mods = require("../pkg-node/mods_wasm.js");
const root = fileURLToPath(new URL("../../../", import.meta.url));
const read = (rel) => new Uint8Array(readFileSync(join(root, rel)));
const { cases } = JSON.parse(readFileSync(join(root, "tests/flows/days/cases.json"), "utf8"));
const at = (doc, pointer) =>
  pointer
    .split("/")
    .slice(1)
    .reduce((d, p) => (d === undefined || d === null ? undefined : d[p.replace(/~1/g, "/").replace(/~0/g, "~")]), doc);

test("the case file is there", () => assert.ok(cases.length >= 8));

for (const c of cases) {
  test(`case ${c.name}`, () => {
    const options = c.against_record ? { againstRecord: read(c.against_record) } : undefined;
    const run = () => mods.compareDays(read(c.record), c.day, c.against, options);
    if (c.expect_error) {
      assert.throws(run, (e) => {
        assert.equal(e.name, "ModsError", String(e));
        assert.equal(e.code, c.expect_error.code);
        if (c.expect_error.option) assert.equal(e.option, c.expect_error.option);
        return true;
      });
      return;
    }
    const got = run();
    assert.ok(Object.keys(c.expect).length > 0);
    for (const [pointer, want] of Object.entries(c.expect)) assert.deepEqual(at(got, pointer), want, pointer);
    for (const [pointer, n] of Object.entries(c.expect_len ?? {})) assert.equal(at(got, pointer).length, n, pointer);
  });
}

test("documents as bytes, text or objects; options checked", () => {
  const text = new TextDecoder().decode(read("examples/records/mr-green.json"));
  const a = mods.compareDays(JSON.parse(text), "2026-02-03", "2026-01-27");
  assert.deepEqual(mods.compareDays(text, "2026-02-03", "2026-01-27", null), a);
  assert.equal(a.fluid_intake.difference_ml, -200);
  assert.throws(
    () => mods.compareDays(text, "2026-02-03", "2026-01-27", { against: "x" }),
    (e) => e.code === "unknown-option" && e.option === "against",
  );
  assert.throws(() => mods.compareDays(text, "2026-02-03", "2026-01-27", [1]), (e) => e.code === "invalid-option");
  assert.throws(
    () => mods.compareDays(text, "2026-02-03", "2026-01-27", { againstRecord: "{" }),
    (e) => e.code === "invalid-json",
  );
  assert.throws(
    () => mods.compareDays(text, "3 February", "2026-01-27"),
    (e) => e.code === "invalid-option" && !e.message.includes("3 February"),
  );
});
