// The resources inside a FHIR JSON value: the value itself, every Bundle entry resource,
// every contained resource and every Parameters resource, at any depth, each with its
// FHIRPath-like location (e.g. "Bundle.entry[2].resource").

/** Whether `v` looks like a FHIR resource (an object with a string resourceType). */
export const isResource = (v) =>
  v !== null && typeof v === "object" && !Array.isArray(v) && typeof v.resourceType === "string";

/**
 * Every resource in `root`, depth first, as `{ resource, location }`; `root` first when it is
 * a resource.
 */
export function resourcesIn(root, location = root?.resourceType ?? "") {
  const out = [];
  const visit = (r, loc) => {
    if (!isResource(r)) return;
    out.push({ resource: r, location: loc });
    const each = (arr, name, pick) => {
      if (!Array.isArray(arr)) return;
      arr.forEach((x, i) => pick(x, `${loc}.${name}[${i}]`));
    };
    each(r.contained, "contained", (x, l) => visit(x, l));
    if (r.resourceType === "Bundle") each(r.entry, "entry", (e, l) => visit(e?.resource, `${l}.resource`));
    if (r.resourceType === "Parameters") {
      const params = (arr, l0) =>
        Array.isArray(arr) &&
        arr.forEach((p, i) => {
          const l = `${l0}[${i}]`;
          visit(p?.resource, `${l}.resource`);
          params(p?.part, `${l}.part`);
        });
      params(r.parameter, `${loc}.parameter`);
    }
  };
  visit(root, location);
  return out;
}

/** `expression` (which starts with the resource type) re-rooted at `location`. */
export function rebase(expression, resourceType, location) {
  if (!expression) return location;
  if (expression === resourceType) return location;
  if (expression.startsWith(`${resourceType}.`) || expression.startsWith(`${resourceType}[`)) {
    return location + expression.slice(resourceType.length);
  }
  return `${location}:${expression}`;
}
