import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { PUBMEDQA_COUNT, writePubmedqaJsonl } from "../test/support/pubmedqa";

test("the shell opens on the demo corpus and every section says what it holds", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/corpora$/);
  await expect(page.getByRole("heading", { name: "Corpora" })).toBeVisible();
  const demoRow = page.getByRole("row", { name: /FineMed demo/ });
  await expect(demoRow).toBeVisible();
  const demoTexts = Number((await demoRow.getByRole("cell").nth(1).innerText()).replace(/,/g, ""));
  expect(demoTexts).toBeGreaterThanOrEqual(150);
  await page.getByRole("navigation", { name: "Studio sections" }).getByRole("link", { name: "Map" }).click();
  await expect(page.getByRole("heading", { name: "Map", level: 1 })).toBeVisible();
  await expect(page.getByRole("region", { name: "Projections" })).toBeVisible();
  await page.getByRole("navigation", { name: "Studio sections" }).getByRole("link", { name: "Training" }).click();
  await expect(page.getByRole("heading", { name: "Training", level: 1 })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Chains per dataset version" })).toBeVisible();
  await expect(page.getByTestId("profile-editor")).toBeVisible();
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByTestId("database-mode")).toHaveText(process.env.DATABASE_URL ? /PostgreSQL server/ : /embedded PGlite/);
});

test("imports the 300 PubMedQA abstracts of the fixture through the UI and browses them", async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), "finemed-e2e-upload-"));
  const file = await writePubmedqaJsonl(dir);
  await page.goto("/corpora");
  const form = page.getByRole("form", { name: "Import a file" });
  await form.getByLabel("Corpus").fill("pubmedqa-ui");
  await form.getByLabel("File", { exact: true }).setInputFiles(file);
  await form.getByLabel("Id field (optional)").fill("id");
  await form.getByRole("button", { name: "Import" }).click();
  await expect(form.getByRole("status")).toHaveText(/Imported \d+, skipped \d+ duplicates, rejected 0/, { timeout: 60_000 });
  const status = await form.getByRole("status").innerText();
  const [, imported, duplicates] = /Imported (\d+), skipped (\d+)/.exec(status) ?? [];
  expect(Number(imported) + Number(duplicates)).toBe(PUBMEDQA_COUNT);
  await page.getByRole("link", { name: "pubmedqa-ui" }).click();
  await expect(page.getByRole("heading", { name: "pubmedqa-ui" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Source texts" }).getByRole("row")).toHaveCount(51);
  await page.getByRole("link", { name: "Next page →" }).click();
  await expect(page.getByRole("table", { name: "Source texts" }).getByRole("row")).toHaveCount(51);
});

test("a malformed upload imports its valid lines and lists every rejected line", async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), "finemed-e2e-bad-"));
  const file = join(dir, "bad.jsonl");
  writeFileSync(
    file,
    [
      JSON.stringify({ text: "Beta blockers reduce mortality after myocardial infarction." }),
      "{not json",
      JSON.stringify({ body: "no text field" }),
      JSON.stringify({ text: "<script>window.__pwned = true</script> Injected markup is shown as text." }),
    ].join("\n"),
  );
  await page.goto("/corpora");
  const form = page.getByRole("form", { name: "Import a file" });
  await form.getByLabel("Corpus").fill("malformed-ui");
  await form.getByLabel("File", { exact: true }).setInputFiles(file);
  await form.getByRole("button", { name: "Import" }).click();
  await expect(form.getByRole("status")).toHaveText("Imported 2, skipped 0 duplicates, rejected 2.");
  await expect(form.getByRole("log", { name: "Rejected lines" })).toContainText("line 2: invalid JSON");
  await expect(form.getByRole("log", { name: "Rejected lines" })).toContainText("line 3: missing text field");
  await page.getByRole("link", { name: "malformed-ui" }).click();
  await expect(page.getByText("<script>window.__pwned = true</script>", { exact: false })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();
});

test("the upload endpoint refuses bad parameters with a reason", async ({ request }) => {
  const missing = await request.post("/api/imports?fileName=a.jsonl", { data: "{}" });
  expect(missing.status()).toBe(400);
  expect((await missing.json()).error).toMatch(/corpus/);
  const unknownFormat = await request.post("/api/imports?corpus=x&fileName=a.xml", { data: "{}" });
  expect(unknownFormat.status()).toBe(400);
  expect((await unknownFormat.json()).error).toMatch(/format/);
});
