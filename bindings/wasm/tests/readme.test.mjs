// The package installs into a fresh folder with npm, and the README's Node snippet runs
// there as written, printing what its comments say.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const pkg = join(here, "../pkg-node");

test("npm install of the package and the README snippet", () => {
  const dir = mkdtempSync(join(tmpdir(), "mods-wasm-readme-"));
  try {
    const npm = (...args) => execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, encoding: "utf8" });
    const tarball = npm("pack", pkg, "--pack-destination", dir).trim().split("\n").pop();
    writeFileSync(join(dir, "package.json"), '{"name": "fresh", "private": true}');
    npm("install", "--offline", join(dir, tarball));
    const readme = readFileSync(join(here, "../README.md"), "utf8");
    const snippet = readme.match(/```js\n([\s\S]*?)```/)[1];
    writeFileSync(join(dir, "snippet.js"), snippet);
    const out = execFileSync("node", ["snippet.js"], { cwd: dir, encoding: "utf8" });
    // what each console.log line's trailing comment says it prints, in order
    const expected = [...snippet.matchAll(/^\s*console\.log\(.*\); \/\/ (.+)$/gm)].map((m) => m[1]);
    assert.equal(expected.length, 5);
    const lines = out.trim().split("\n");
    assert.deepEqual(lines, expected);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
