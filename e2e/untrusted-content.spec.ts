import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { injectionCorpusLines } from "./support/injection-payloads";
import { startSimulator, type SimulatorHandle } from "../lib/simulator";
import { singleServerRoles } from "../lib/runs/run-config";

// Hostile text everywhere the studio shows text: imported source texts, model-written instructions,
// answers, reasoning and invalid raw outputs (a simulator planting payloads), a prompt template and a
// dataset version's name. Every page must show it as text: no script runs, no element is injected, no
// javascript: link is live, and huge unbroken strings do not push the page wider than the window.

const CORPUS = "hostile-texts";
const WIDTH_TOLERANCE = 4;

let simulator: SimulatorHandle;
let runId: string;

async function json<T>(request: APIRequestContext, method: "get" | "post", path: string, data?: unknown): Promise<T> {
  const response = method === "get" ? await request.get(path) : await request.post(path, { data });
  expect(response.ok(), `${method.toUpperCase()} ${path}: ${response.status()} ${await response.text()}`).toBe(true);
  return (await response.json()) as T;
}

/** What must hold on every page after it rendered hostile text. */
async function expectNothingRan(page: Page, where: string): Promise<void> {
  await page.waitForLoadState("load");
  const found = await page.evaluate(() => {
    const handlers: string[] = [];
    for (const element of Array.from(document.querySelectorAll("*"))) {
      for (const attribute of Array.from(element.attributes)) {
        if (/^on/i.test(attribute.name)) handlers.push(`${element.tagName.toLowerCase()}[${attribute.name}]`);
      }
    }
    const liveLinks = Array.from(document.querySelectorAll("a[href], iframe[src], img[src], embed, object"))
      .map((element) => element.getAttribute("href") ?? element.getAttribute("src") ?? element.tagName)
      .filter((url) => /^\s*(javascript|data:text|vbscript)/i.test(url) || url === "EMBED" || url === "OBJECT");
    const scripts = Array.from(document.querySelectorAll("script")).filter(
      (script) => (script.textContent ?? "").includes("window.__pwned=1") && !script.textContent.includes("self.__next_f"),
    );
    return {
      pwned: (window as unknown as { __pwned?: unknown }).__pwned,
      handlers,
      liveLinks,
      scripts: scripts.length,
      svgs: document.querySelectorAll("svg[onload], svg circle[r='5']:not([class])").length,
      iframes: document.querySelectorAll("iframe").length,
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
    };
  });
  expect(found.pwned, `${where}: window.__pwned`).toBeUndefined();
  expect(found.handlers, `${where}: inline event handlers in the DOM`).toEqual([]);
  expect(found.liveLinks, `${where}: live javascript:/data: URLs`).toEqual([]);
  expect(found.scripts, `${where}: injected <script> elements`).toBe(0);
  expect(found.svgs, `${where}: injected <svg>`).toBe(0);
  expect(found.iframes, `${where}: injected <iframe>`).toBe(0);
  expect(found.scrollWidth, `${where}: page wider than the window (${found.scrollWidth} > ${found.innerWidth})`).toBeLessThanOrEqual(
    found.innerWidth + WIDTH_TOLERANCE,
  );
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  simulator = await startSimulator({ port: 0, injectPayloads: true, garbageRate: 0.2, seed: "untrusted" });
});

test.afterAll(async () => {
  await simulator?.close();
});

test("hostile texts, instructions, answers and raw outputs are shown as text on every page", async ({ page }) => {
  test.setTimeout(300_000);
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  // The studio's own scripts must work under its CSP: any violation is a bug in the policy or the app.
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (execute|load|connect|evaluate)/i.test(message.text()))
      violations.push(`${page.url()}: ${message.text()}`);
  });

  // The content security policy is sent with every page.
  const home = await page.goto("/corpora");
  expect(home?.headers()["content-security-policy"]).toMatch(/object-src 'none'/);
  expect(home?.headers()["content-security-policy"]).toMatch(/connect-src 'self'/);

  // Import the hostile corpus through the UI.
  const dir = mkdtempSync(join(tmpdir(), "finemed-e2e-hostile-"));
  const file = join(dir, "hostile.jsonl");
  const lines = injectionCorpusLines();
  writeFileSync(file, lines.join("\n"));
  const form = page.getByRole("form", { name: "Import a file" });
  await form.getByLabel("Corpus").fill(CORPUS);
  await form.getByLabel("File", { exact: true }).setInputFiles(file);
  await form.getByLabel("Id field (optional)").fill("id");
  await form.getByRole("button", { name: "Import" }).click();
  await expect(form.getByRole("status")).toHaveText(new RegExp(`Imported ${lines.length}, skipped 0 duplicates, rejected 0`), {
    timeout: 60_000,
  });
  await expectNothingRan(page, "corpora after import");

  // A synthesis run against the payload-planting simulator.
  const created = await json<{ runId: string }>(page.request, "post", "/api/runs", {
    corpus: CORPUS,
    batchSize: 10,
    // No second asking: invalid (payload-carrying) outputs become failures with their raw output.
    outputRetries: 0,
    roles: singleServerRoles(simulator.url, "simulated/finemed-sim", 16),
  });
  runId = created.runId;
  await expect
    .poll(
      async () =>
        (await json<{ runs: { runId: string; status: string }[] }>(page.request, "get", "/api/runs")).runs.find(
          (run) => run.runId === runId,
        )?.status,
      {
        timeout: 180_000,
        intervals: [1_000],
      },
    )
    .toBe("completed");
  expect(simulator.stats().garbageChoices).toBeGreaterThan(0);

  // A prompt version and a dataset version whose text is hostile too.
  const prompts = await json<{ prompts: { key: string; version: number; template: string }[] }>(page.request, "get", "/api/prompts");
  const generation = prompts.prompts.find((prompt) => prompt.key === "instruction-generation") ?? prompts.prompts[0]!;
  await json(page.request, "post", "/api/prompts", {
    key: generation.key,
    fromVersion: generation.version,
    template: `${generation.template}\n<script>window.__pwned=1</script> [x](javascript:window.__pwned=1)`,
  });
  await json(page.request, "post", "/api/datasets", { name: `<img src=x onerror="window.__pwned=1"> v1`, selection: { runIds: [runId] } });

  // Corpora list and detail: the texts themselves.
  await page.goto("/corpora");
  await page.getByRole("link", { name: CORPUS }).click();
  await expect(page.getByRole("heading", { name: CORPUS })).toBeVisible();
  await expect(page.getByText("<script>window.__pwned=1</script>", { exact: false }).first()).toBeVisible();
  await expectNothingRan(page, "corpus detail");

  // Samples table of the run, then a drawer per kept sample (instructions, answers, reasoning).
  await page.goto(`/samples?run=${runId}`);
  await expect(page.getByRole("table", { name: "Samples" })).toBeVisible();
  await expectNothingRan(page, "samples table");
  const rows = await json<{ rows: { id: number }[] }>(page.request, "get", `/api/samples?run=${runId}&limit=40`);
  expect(rows.rows.length).toBeGreaterThan(0);
  let sawPayloadInDrawer = false;
  for (const row of rows.rows.slice(0, 8)) {
    await page.goto(`/samples?run=${runId}&sample=${row.id}`);
    const drawer = page.getByRole("dialog", { name: `Sample ${row.id}` });
    await expect(drawer.getByRole("region", { name: "Source text" })).toBeVisible();
    sawPayloadInDrawer ||= /__pwned|javascript:|Pneumonoultra|ctrl:|\{\{text\}\}|"injected"/.test(await drawer.innerText());
    await expectNothingRan(page, `sample drawer ${row.id}`);
  }
  expect(sawPayloadInDrawer, "the drawers show the planted payloads as text").toBe(true);

  // The run's page: failures with their raw outputs.
  await page.goto(`/runs/${runId}`);
  await expect(page.getByRole("table", { name: "Failed items" })).toBeVisible({ timeout: 30_000 });
  await expectNothingRan(page, "run detail");

  for (const path of ["/runs", "/datasets", "/analytics", "/prompts", "/samples/review", "/samples/operations", "/map"]) {
    await page.goto(path);
    await expectNothingRan(page, path);
  }
  expect(dialogs).toEqual([]);
  expect(violations).toEqual([]);
});
