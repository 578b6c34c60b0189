#!/usr/bin/env node
// Runs the JavaScript FHIR validators on FHIR JSON files, merges fhirkit's results, filters
// the known false positives and prints the summary. Called by run.sh; see README.md.
//
// Usage: node validate.mjs [--profiles] [--fhirkit RESULTS.json] [--snapshots DIR]
//                          [--false-positives FILE] FILE...
//   --profiles   also validate every resource against the UK Core profile of its type
//                (https://fhir.hl7.org.uk/StructureDefinition/UKCore-<type>) when there is a
//                snapshot for it, whether or not meta.profile claims it
// Exit status: 0 when no tool reports an error outside the known false positives, 1 when one
// does, 2 on a usage or setup error.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { excuse, loadFalsePositives } from "./lib/falsepositives.mjs";
import { checkInvariants } from "./lib/invariants.mjs";
import { loadBase, loadSnapshots, validateBase, validateProfiles } from "./lib/medplum.mjs";
import { validateNpmFhir } from "./lib/npmfhir.mjs";
import { isResource, resourcesIn } from "./lib/resources.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const TOOLS = ["fhirkit", "medplum-base", "medplum-ukcore", "npm-fhir", "fhirpath-invariants"];

function parseArgs(argv) {
  const a = { profiles: false, fhirkit: null, snapshots: null, fp: path.join(here, "known-false-positives.json"), files: [] };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    if (x === "--profiles") a.profiles = true;
    else if (x === "--fhirkit") a.fhirkit = argv[++i];
    else if (x === "--snapshots") a.snapshots = argv[++i];
    else if (x === "--false-positives") a.fp = argv[++i];
    else if (x.startsWith("--")) throw new Error(`unknown option ${x}`);
    else a.files.push(x);
  }
  return a;
}

const inCi = () => {
  const v = (process.env.CI ?? "").trim();
  return v !== "" && v !== "0" && v.toLowerCase() !== "false";
};

function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`validate.mjs: ${e.message}`);
    return 2;
  }
  const fps = loadFalsePositives(args.fp);
  const stats = Object.fromEntries(TOOLS.map((t) => [t, { files: 0, resources: 0, errors: 0, excused: 0, warnings: 0, ran: false }]));
  const errors = [];
  const notes = [];
  const missingProfiles = new Map();
  const notEvaluable = new Map();

  const record = (tool, file, findings) => {
    for (const f of findings) {
      if (f.severity === "error") {
        const fp = excuse(fps, tool, file, f);
        if (fp) {
          fp.hits++;
          stats[tool].excused++;
        } else {
          stats[tool].errors++;
          errors.push({ tool, file, path: f.path || "(resource)", message: f.message });
        }
      } else stats[tool].warnings++;
    }
  };

  // fhirkit ran before (Python), its results are read here
  if (args.fhirkit) {
    const fk = JSON.parse(fs.readFileSync(args.fhirkit, "utf8"));
    stats.fhirkit.ran = true;
    stats.fhirkit.version = fk.version;
    for (const { file, issues } of fk.files) {
      stats.fhirkit.files++;
      record("fhirkit", file, issues);
    }
  }

  loadBase();
  let snapshots = null;
  if (args.snapshots && fs.existsSync(args.snapshots)) snapshots = loadSnapshots(args.snapshots);
  else {
    const why = `medplum-ukcore not run: no UK Core snapshots at ${args.snapshots ?? "(none given)"}`;
    if (inCi()) {
      console.error(`${why}. In CI (CI is set) the reference folder must be present.`);
      return 2;
    }
    notes.push(`SKIPPED ${why}`);
  }

  for (const file of args.files) {
    let text;
    try {
      text = fs.readFileSync(file, "utf8");
      JSON.parse(text);
    } catch {
      for (const t of TOOLS.slice(1)) record(t, file, [{ severity: "error", path: "", message: "cannot read the file as JSON" }]);
      continue;
    }
    // every tool gets its own copy: fhirpath.js may annotate the objects it evaluates
    const fresh = () => JSON.parse(text);
    // a tool that would check nothing says so instead of passing the file
    const notResource = isResource(fresh())
      ? null
      : [{ severity: "error", path: "", message: "not a FHIR resource (no resourceType): nothing to check" }];
    const count = resourcesIn(fresh()).length || 1;
    if (args.fhirkit) stats.fhirkit.resources += count;

    stats["medplum-base"].ran = true;
    stats["medplum-base"].files++;
    stats["medplum-base"].resources += count;
    record("medplum-base", file, validateBase(fresh()));

    if (snapshots) {
      const s = stats["medplum-ukcore"];
      s.ran = true;
      s.files++;
      if (notResource) record("medplum-ukcore", file, notResource);
      const r = validateProfiles(fresh(), snapshots, { byType: args.profiles });
      s.resources += r.checked;
      record("medplum-ukcore", file, r.findings);
      for (const m of r.missing) {
        if (!missingProfiles.has(m.profile)) missingProfiles.set(m.profile, []);
        missingProfiles.get(m.profile).push(`${file} ${m.path}`);
      }
    }

    const n = stats["npm-fhir"];
    n.ran = true;
    n.files++;
    n.resources += count;
    record("npm-fhir", file, validateNpmFhir(fresh()));

    const inv = stats["fhirpath-invariants"];
    inv.ran = true;
    inv.files++;
    inv.resources += count;
    const r = checkInvariants(fresh());
    record("fhirpath-invariants", file, notResource ?? r.findings);
    for (const [key, msg] of r.skipped) {
      if (!notEvaluable.has(key)) notEvaluable.set(key, { msg, files: 0 });
      notEvaluable.get(key).files++;
    }
  }

  // the summary
  const rows = [["tool", "files", "resources checked", "errors", "known false positives", "warnings, info (not failing)"]];
  for (const t of TOOLS) {
    const s = stats[t];
    rows.push(s.ran ? [t, s.files, s.resources, s.errors, s.excused, s.warnings] : [t, "-", "-", "not run", "-", "-"]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  console.log("FHIR validators (tests/fhir-validators):");
  for (const r of rows) console.log("  " + r.map((c, i) => String(c).padEnd(widths[i])).join("  "));
  console.log("  (medplum-ukcore counts resource-profile pairs; npm-fhir warnings are unresolvable extensible/preferred bindings)");

  if (missingProfiles.size) {
    console.log(`note: ${missingProfiles.size} profile(s) claimed in meta.profile have no snapshot, so they were not checked:`);
    for (const [url, where] of missingProfiles) console.log(`  ${url} (${where.length} resource(s), first: ${where[0]})`);
  }
  if (notEvaluable.size) {
    console.log("note: invariants fhirpath.js could not evaluate (medplum-base evaluates them):");
    for (const [key, v] of notEvaluable) console.log(`  ${key} in ${v.files} file(s): ${v.msg}`);
  }
  for (const n of notes) console.log(`note: ${n}`);
  const used = fps.filter((e) => e.hits > 0);
  if (used.length) {
    console.log("known false positives filtered:");
    for (const e of used) console.log(`  ${e.id} x${e.hits}: ${e.reason}`);
  }
  if (errors.length) {
    console.log(`${errors.length} error(s):`);
    for (const e of errors) console.log(`${e.tool} ${e.file} ${e.path} ${e.message}`);
    return 1;
  }
  console.log("no errors");
  return 0;
}

process.exitCode = main();
