// npm `fhir` (FHIR.js): structure, required elements and required bindings of base R4.

import { Fhir } from "fhir";

let fhir;

/** `new Fhir().validate(obj, {errorOnUnexpected: true})`, as findings. */
export function validateNpmFhir(resource) {
  fhir ??= new Fhir();
  let result;
  try {
    result = fhir.validate(resource, { errorOnUnexpected: true });
  } catch (e) {
    return [{ severity: "error", path: "", message: `validator exception: ${e.message}` }];
  }
  return (result.messages ?? []).map((m) => ({
    severity: m.severity === "fatal" ? "error" : m.severity,
    path: m.location ?? "",
    message: m.message,
  }));
}
