// The list of known false positives (known-false-positives.json): each entry names a tool,
// regular expressions for the message and/or the path (and optionally the file), and why the
// finding is wrong. A finding is filtered when every pattern the entry gives matches.

import fs from "node:fs";

/** Reads and checks the list; throws with a clear message when an entry is malformed. */
export function loadFalsePositives(file) {
  const list = JSON.parse(fs.readFileSync(file, "utf8"));
  const entries = list.entries ?? [];
  return entries.map((e, i) => {
    const where = `${file}: entry ${i}`;
    if (typeof e.tool !== "string") throw new Error(`${where}: "tool" is required`);
    if (typeof e.reason !== "string" || e.reason.trim() === "") throw new Error(`${where}: "reason" is required`);
    if (e.message === undefined && e.path === undefined) throw new Error(`${where}: give "message" and/or "path"`);
    const re = (p) => (p === undefined ? null : new RegExp(p));
    return { ...e, id: e.id ?? `${e.tool}#${i}`, re: { message: re(e.message), path: re(e.path), file: re(e.file) }, hits: 0 };
  });
}

/** The entry that excuses `finding` of `tool` in `file`, or undefined. */
export function excuse(entries, tool, file, finding) {
  return entries.find(
    (e) =>
      e.tool === tool &&
      (!e.re.message || e.re.message.test(finding.message)) &&
      (!e.re.path || e.re.path.test(finding.path)) &&
      (!e.re.file || e.re.file.test(file)),
  );
}
