// End to end in headless Chromium (Debian's chromium driven by playwright-core): the care
// forms of examples/web-form validate as the care worker types, through the --target web
// build of the WebAssembly package. Screenshots go to test-output/ (git-ignored).
// Without chromium the test is SKIPPED, except under CI=true, where that is a failure.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join, resolve } from "node:path";
import { serve } from "./server.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = resolve(here, "../../..");
const out = join(here, "../test-output");
const chromium = process.env.CHROMIUM ?? "/usr/bin/chromium";
const haveChromium = existsSync(chromium);
const inCI = process.env.CI === "true";
const pkg = join(root, "bindings/wasm/pkg-web/mods_wasm_bg.wasm");

if (!haveChromium && !inCI) console.log(`SKIPPED: the browser test needs ${chromium} (apt-get install chromium)`);

test("the care forms validate in a real browser", { skip: !haveChromium && !inCI && "no chromium" }, async () => {
  assert.ok(haveChromium, `${chromium} is missing (CI=true: install it with apt-get install chromium)`);
  assert.ok(existsSync(pkg), "build the package first: npm run build in bindings/wasm");
  // playwright-core is a dev dependency of bindings/wasm (one lock file for the package)
  const { chromium: browserType } = createRequire(join(root, "bindings/wasm/package.json"))("playwright-core");
  mkdirSync(out, { recursive: true });
  const server = await serve(root);
  const browser = await browserType.launch({
    executablePath: chromium,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 900, height: 1400 } });
    const page = await context.newPage();
    const external = [];
    page.on("request", (r) => { if (!r.url().startsWith(server.url)) external.push(r.url()); });
    const failures = [];
    page.on("pageerror", (e) => failures.push(e.message));
    await page.goto(`${server.url}/examples/web-form/index.html`);
    await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });

    // offline from here on: everything below runs on the device
    await context.setOffline(true);

    // a bad NHS number: the check-digit message appears beside the field
    const nhs = page.getByLabel("NHS number");
    await nhs.fill("9434765918");
    const nhsIssues = page.locator("#subject-nhs_number-issues");
    await assert.doesNotReject(nhsIssues.locator("[data-code=nhs-number-check-digit]").waitFor());
    assert.match(await nhsIssues.textContent(), /check digit/i);
    assert.equal(await nhs.getAttribute("aria-invalid"), "true");
    assert.match(await nhs.getAttribute("aria-describedby"), /subject-nhs_number-issues/);
    await page.screenshot({ path: join(out, "nhs-number-error.png"), fullPage: true });

    // fixed: the message clears
    await nhs.fill("9434765919");
    await page.waitForFunction(() => document.querySelector("#subject-nhs_number-issues").textContent === "");
    assert.equal(await nhs.getAttribute("aria-invalid"), "false");
    assert.doesNotMatch(await nhs.getAttribute("aria-describedby") ?? "", /issues/);

    // a value from a value-set drop-down ("given by": an unpaid carer, the person's son)
    const role = page.locator("#medication-administered_by_role");
    await role.selectOption({ label: "Unpaid carer" });
    assert.equal(await role.inputValue(), "unpaid-carer");
    assert.equal(await page.locator("#medication-administered_by_role-issues").textContent(), "");
    await page.locator("#medication-administered_by").fill("uc-robert");

    // a form with a missing mandatory element: the summary lists it, and the field says so
    await page.locator("#form-alert button[type=submit]").click();
    const summary = page.locator("#alert-summary");
    await summary.locator("[data-code=required-element-missing]").first().waitFor();
    assert.equal(await summary.getAttribute("role"), "alert");
    assert.match(await summary.textContent(), /Status/);
    assert.equal(await page.locator("#alert-status").getAttribute("aria-invalid"), "true");
    await page.screenshot({ path: join(out, "alert-summary.png"), fullPage: true });

    // completing it: saved
    await page.locator("#alert-status").selectOption("active");
    await page.locator("#form-alert button[type=submit]").click();
    await page.waitForFunction(() => document.querySelector("#alert-summary").classList.contains("ok"));

    assert.deepEqual(failures, []);
    assert.deepEqual(external, [], "the page asked for nothing outside the local server");
  } finally {
    await browser.close();
    await server.close();
  }
});
