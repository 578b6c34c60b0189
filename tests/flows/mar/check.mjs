// The checker of the cases of tests/flows/mar (their format is in the README there), shared
// by the Node and the WebAssembly tests: `run(mar)` checks every case against a `mar`
// function (record, date, options) => view, which throws an error with a `code` (and an
// `option` for invalid-option) when it makes no view.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const dir = path.join(root, "tests", "flows", "mar", "cases");

/** Every case, as [name, case]. */
export const cases = () =>
  fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => [f.replace(/\.json$/, ""), JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"))]);

const recordOf = (c) => (c.record_file ? fs.readFileSync(path.join(root, c.record_file)) : c.record);

const same = (want, got) => (typeof want === "number" ? typeof got === "number" && want === got : assert.deepEqual(got, want) ?? true);

/** Check one case; `mar` is the binding's function, `camel` turns option names to camelCase. */
export function check(name, c, mar, camel = true) {
  const opts = {};
  for (const [k, v] of Object.entries(c.options ?? {})) {
    opts[camel ? k.replace(/_([a-z])/g, (_, x) => x.toUpperCase()) : k] = v;
  }
  const expect = c.expect;
  if (expect.error) {
    assert.throws(
      () => mar(recordOf(c), c.date, opts),
      (e) => {
        assert.equal(e.code, expect.error, name);
        if (expect.option) assert.equal(e.option ?? e.details?.option, expect.option, name);
        return true;
      },
    );
    return;
  }
  const v = mar(recordOf(c), c.date, opts);
  if ("valid" in expect) assert.equal(v.validation.valid, expect.valid, `${name}: valid`);
  for (const [k, want] of Object.entries(expect.person ?? {})) assert.equal(v.person[k], want, `${name}: person.${k}`);
  if ("look_back_from" in expect) assert.equal(v.period.look_back_from, expect.look_back_from, name);
  if (expect.doses) {
    assert.deepEqual(
      v.doses.map((d) => d.pointer),
      expect.doses.map((d) => d.pointer),
      `${name}: doses`,
    );
    expect.doses.forEach((want, i) => {
      const d = v.doses[i];
      const got = {
        time: d.time,
        medicine: d.medicine ? d.medicine.name : null,
        given_by: d.given_by ? d.given_by.name : null,
        role: d.given_by ? d.given_by.role : null,
        information_source: d.information_source ? d.information_source.code : null,
        counted: d.counted,
        warnings: d.warnings.map((w) => v.warnings[w].code),
      };
      for (const [k, w] of Object.entries(want)) {
        if (k !== "pointer") assert.deepEqual(got[k], w, `${name}: ${d.pointer} ${k}`);
      }
    });
  }
  if (expect.earlier_doses) {
    assert.deepEqual(
      v.earlier_doses.map((d) => d.pointer),
      expect.earlier_doses,
      `${name}: earlier doses`,
    );
  }
  if (expect.warnings) {
    assert.deepEqual(
      v.warnings.map((w) => [w.code, w.dose]),
      expect.warnings.map((w) => [w.code, w.dose]),
      `${name}: warnings`,
    );
    expect.warnings.forEach((want, i) => {
      for (const [k, x] of Object.entries(want.context ?? {})) {
        assert.ok(same(x, v.warnings[i].context[k]), `${name}: ${want.code} context.${k}`);
      }
    });
  }
}
