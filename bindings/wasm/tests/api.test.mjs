// The API of the Node build of the WebAssembly package: shapes, errors, hostile input, the
// form functions, and that no person data reaches a message.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const mods = require("../pkg-node/mods_wasm.js");
const record = (name) => readFileSync(new URL(`../../../examples/records/${name}.json`, import.meta.url));
const green = record("mr-green");
const SECRET = "Zebedee-4242";

test("validate takes bytes, text and objects, and reports in the shared shape", () => {
  const fromBytes = mods.validate(new Uint8Array(green));
  assert.equal(fromBytes.valid, true);
  assert.deepEqual(mods.validate(green.toString("utf8")), fromBytes);
  assert.deepEqual(mods.validate(JSON.parse(green)), fromBytes);
  const r = mods.validate({ mods_version: "1.0" });
  assert.equal(r.valid, false);
  const i = r.issues.find((x) => x.code === "required-element-missing");
  assert.deepEqual(i.path, ["subject_of_care"]);
  assert.equal(i.pointer, "/subject_of_care");
  assert.equal(typeof i.message, "string");
  assert.equal(typeof i.context, "object");
  assert.equal(r.omitted, 0);
});

test("check returns the report or throws ModsValidationError with .issues", () => {
  assert.equal(mods.check(green).valid, true);
  assert.throws(() => mods.check({ mods_version: "1.0" }), (e) => {
    assert.ok(e instanceof Error);
    assert.equal(e.name, "ModsValidationError");
    assert.ok(Array.isArray(e.issues) && e.issues.length > 0);
    assert.equal(e.report.valid, false);
    assert.match(e.message, /required-element-missing/);
    return true;
  });
});

test("errors are ModsError with the layer's code and details", () => {
  const cases = [
    [() => mods.validate("{", {}), "invalid-json", (e) => assert.equal(e.line, 1)],
    [() => mods.validate(green, { stict: true }), "unknown-option", (e) => assert.equal(e.option, "stict")],
    [() => mods.validate(green, { class: "alrt" }), "unknown-class", (e) => assert.equal(e.class, "alrt")],
    [() => mods.validate(green, { limits: { maxDepth: 2 } }), "limit", () => {}],
    [() => mods.classes("9.9"), "unknown-version", (e) => assert.ok(e.supported.includes("1.0"))],
    [() => mods.explain("no-such-code"), "unknown-issue-code", () => {}],
    [() => mods.formSchema("alrt"), "unknown-class", () => {}],
    [() => mods.validateField("alert", "statu", null), "unknown-element", (e) => assert.equal(e.element, "statu")],
    [() => mods.migrate({}, "1.1"), "migration-refused", () => {}],
  ];
  for (const [f, code, more] of cases) {
    assert.throws(f, (e) => {
      assert.ok(e instanceof Error);
      assert.equal(e.name, "ModsError");
      assert.equal(e.code, code);
      more(e);
      return true;
    }, code);
  }
});

test("hostile JavaScript values give clear TypeErrors, never a crash", () => {
  const cyclic = { mods_version: "1.0" };
  cyclic.self = cyclic;
  const proto = JSON.parse('{"mods_version": "1.0", "__proto__": {"polluted": true}}');
  const hostile = [
    [cyclic, /cycle/],
    [{ mods_version: "1.0", n: 10n }, /BigInt/],
    [{ mods_version: "1.0", u: undefined }, /undefined/],
    [{ mods_version: "1.0", f: () => 1 }, /function or symbol/],
    [{ mods_version: "1.0", x: NaN }, /NaN/],
    [proto, /__proto__/],
    [JSON.parse('{"constructor": 1}'), /constructor/],
    [{ when: new Date() }, /plain objects/],
    [new Map(), /plain objects/],
    ["{\"a\": \"\ud800\"}", /lone surrogate/],
    [{ name: "\udc00x" }, /lone surrogate/],
    [42, /Uint8Array/],
  ];
  for (const [input, why] of hostile) {
    assert.throws(() => mods.validate(input), (e) => {
      assert.ok(e instanceof TypeError, String(e));
      assert.equal(e.code, "invalid-value");
      assert.match(e.message, why);
      return true;
    });
  }
  assert.equal({}.polluted, undefined);
  // deep nesting is refused, not a stack overflow
  let deep = {};
  for (let i = 0; i < 10000; i++) deep = { a: deep };
  assert.throws(() => mods.validate(deep), /64 levels/);
  // the module still works after all that
  assert.equal(mods.validate(green).valid, true);
});

test("a detached buffer is a clear error, not a crash; an empty one is not JSON", () => {
  const buf = new Uint8Array(new ArrayBuffer(8));
  structuredClone(buf.buffer, { transfer: [buf.buffer] });
  assert.throws(() => mods.validate(buf), (e) => e instanceof TypeError && e.code === "invalid-value" && /detached/.test(e.message));
  assert.throws(() => mods.validate(new Uint8Array(0)), (e) => e.name === "ModsError" && e.code === "invalid-json");
});

test("today defaults to the clock's date, as in Rust: a birth tomorrow is implausible", () => {
  const tomorrow = new Date(Date.now() + 2 * 86400e3).toISOString().slice(0, 10);
  const codes = mods.validateField("subject_of_care", "date_of_birth", tomorrow).map((i) => i.code);
  assert.deepEqual(codes, ["implausible-date"]);
  assert.deepEqual(mods.validateField("subject_of_care", "date_of_birth", tomorrow, null, { today: "2000-01-01" }).map((i) => i.code), ["implausible-date"]);
  assert.deepEqual(mods.validateField("subject_of_care", "date_of_birth", "1990-01-01", null, { today: "2000-01-01" }), []);
});

test("no person data in messages", () => {
  const bad = {
    mods_version: "1.0",
    subject_of_care: { record_uid: "s", version_number: 1, nhs_number: SECRET, date_of_birth: SECRET, person_name: [{ family_name: 7 }] },
  };
  const r = mods.validate(bad);
  assert.ok(r.issues.length > 0);
  for (const i of r.issues) {
    assert.ok(!i.message.includes(SECRET), i.message);
    assert.ok(!JSON.stringify(i.context).includes(SECRET));
  }
  assert.throws(() => mods.check(bad), (e) => !e.message.includes(SECRET) && !String(e).includes(SECRET));
  assert.throws(() => mods.validate(`{"a": "${SECRET}",}`), (e) => !e.message.includes(SECRET));
  // with includeValues the value is in context, as asked
  const withValues = mods.validate(bad, { includeValues: true });
  assert.ok(withValues.issues.some((i) => i.context.value === SECRET));
});

test("formSchema lists the fields of a class with hints and options", () => {
  const s = mods.formSchema("subject_of_care");
  assert.equal(s.class, "subject_of_care");
  const nhs = s.fields.find((f) => f.element === "nhs_number");
  assert.equal(nhs.label, "NHS number");
  assert.equal(nhs.pattern, "^[0-9]{10}$");
  const ma = mods.formSchema("medication_administration");
  const role = ma.fields.find((f) => f.element === "administered_by_role");
  assert.ok(role.options.some((o) => o.code === "care-worker"));
  assert.ok(role.options.some((o) => /unpaid|family/i.test(o.display)), JSON.stringify(role.options));
  assert.equal(mods.formSchema("subject_of_care", { version: "0.2.1" }).mods_version, "0.2.1");
});

test("validateField gives the element's issues, as whole-instance validation does", () => {
  const issues = mods.validateField("subject_of_care", "nhs_number", "9434765918");
  assert.deepEqual(issues.map((i) => i.code), ["nhs-number-check-digit"]);
  assert.deepEqual(issues[0].path, ["nhs_number"]);
  const whole = mods.validateInstance("subject_of_care", { nhs_number: "9434765918" });
  assert.deepEqual(whole.issues.filter((i) => i.pointer === "/nhs_number"), issues);
  assert.deepEqual(mods.validateField("subject_of_care", "nhs_number", "9434765919"), []);
  assert.deepEqual(mods.validateField("alert", "status", null).map((i) => i.code), ["required-element-missing"]);
  assert.deepEqual(mods.validateField("alert", "status", undefined, {}).map((i) => i.code), ["required-element-missing"]);
  assert.throws(() => mods.validateField("alert", "status", null, [1]), (e) => e.code === "invalid-option");
});

test("look-ups, schema, diff, FHIR", () => {
  assert.ok(mods.versions().includes(mods.latestVersion()));
  assert.ok(mods.classes().some((c) => c.technical_name === "alert"));
  assert.ok(mods.codes("flag_status").some((c) => c.code === "active"));
  assert.equal(typeof mods.display("flag_status", "active"), "string");
  assert.equal(mods.display("flag_status", "nope"), null);
  assert.ok(mods.searchCodes("active").length > 0);
  assert.equal(mods.explain("nhs-number-check-digit").code, "nhs-number-check-digit");
  assert.ok(mods.issueCodes().includes("nhs-number-check-digit"));
  assert.equal(typeof mods.schema().$schema, "string");
  assert.ok(mods.schema(null, "alert"));
  assert.ok(Array.isArray(mods.glossary().terms ?? mods.glossary()) || typeof mods.glossary() === "object");
  const d = mods.diff(green, green);
  assert.deepEqual(d.changes, []);
  assert.ok(mods.diffSpec("1.0", "1.1"));
  const bundle = mods.toFhir(green);
  assert.equal(bundle.resourceType, "Bundle");
  assert.equal(mods.operationOutcome(green).resourceType, "OperationOutcome");
  const back = mods.fromFhir(bundle);
  assert.ok(back.record);
});

test("validateMany runs in order on the calling thread", () => {
  const reports = mods.validateMany([green, "{", { mods_version: "1.0" }]);
  assert.equal(reports.length, 3);
  assert.equal(reports[0].valid, true);
  assert.equal(reports[1].issues[0].code, "input-syntax");
  assert.equal(reports[2].valid, false);
  assert.throws(() => mods.validateMany("nope"), TypeError);
});
