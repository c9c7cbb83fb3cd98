import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { SECONDARY_DEPARTMENTS } from "../lib/taxonomy/paper-departments";

// The e2e browser is signed in as the admin (e2e/support/sign-in-admin.ts), so it may approve; it is
// the only approver when this spec runs (roles.spec adds one later), so four eyes let it approve its own.

interface ManifestFile {
  path: string;
  bytes: number;
  rows: number | null;
  sha256: string;
}

async function completedDemoRun(request: APIRequestContext): Promise<{ runId: string; name: string }> {
  let found: { runId: string; name: string } | undefined;
  await expect
    .poll(
      async () => {
        const body = (await (await request.get("/api/runs")).json()) as { runs: { runId: string; status: string; name: string }[] };
        found = body.runs.find((run) => run.status === "completed");
        return found !== undefined;
      },
      { timeout: 90_000 },
    )
    .toBe(true);
  return found!;
}

test("a version is created from the demo run, submitted, approved, exported and a file downloads with the manifest's checksum", async ({
  page,
}) => {
  const run = await completedDemoRun(page.request);
  await page.goto("/datasets");
  await expect(page.getByRole("heading", { name: "Datasets", level: 1 })).toBeVisible();

  const form = page.getByRole("form", { name: "New version" });
  await form.getByLabel("Name").fill("e2e release");
  await form.getByRole("group", { name: "Runs" }).getByRole("checkbox", { name: run.name }).check();
  await form.getByRole("button", { name: "Create draft" }).click();
  await expect(page).toHaveURL(/\/datasets\/[0-9a-f-]{36}$/, { timeout: 60_000 });
  const versionId = page.url().split("/").pop()!;
  await expect(page.getByRole("heading", { name: "e2e release", level: 1 })).toBeVisible();
  await expect(page.getByTestId("version-state")).toHaveText("draft");
  await expect(page.getByRole("table", { name: "Counts per split" })).toBeVisible();

  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page.getByTestId("version-state")).toHaveText("in review");
  // Approval is final, so it asks again; the e2e admin is the studio's only approver here, so it may
  // approve what it created, and is told that it is approving its own work.
  await page.getByRole("button", { name: "Approve" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Confirm approval" });
  await expect(confirm).toContainText("An approved version never changes");
  await expect(confirm.getByTestId("own-work")).toContainText("You are approving your own work");
  await expect(page.getByTestId("version-state")).toHaveText("in review");
  await page.screenshot({ path: test.info().outputPath("approve-confirm.png") });
  await confirm.getByRole("button", { name: "Confirm approval" }).click();
  await expect(page.getByTestId("version-state")).toHaveText("approved");
  await expect(page.getByRole("table", { name: "Events" })).toContainText("in review → approved");

  // The demo run is far below the paper's split sizes: Export waits for the short splits to be acknowledged.
  const exportButton = page.getByRole("button", { name: "Export", exact: true });
  await expect(exportButton).toBeDisabled();
  await page.getByLabel("I understand these splits are short or empty").check();
  await exportButton.click();
  const files = page.getByRole("table", { name: "Exported files" });
  await expect(files).toBeVisible({ timeout: 60_000 });

  const stored = (await (await page.request.get(`/api/datasets/${versionId}/export`)).json()) as { manifest: { files: ManifestFile[] } };
  expect(stored.manifest.files.length).toBeGreaterThan(0);
  for (const file of stored.manifest.files) await expect(files.getByRole("link", { name: file.path, exact: true })).toBeVisible();

  const target = stored.manifest.files.find((file) => file.rows !== null && file.rows > 0) ?? stored.manifest.files[0]!;
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    files.getByRole("link", { name: target.path, exact: true }).click(),
  ]);
  const bytes = await readFile(await download.path());
  expect(bytes.length).toBe(target.bytes);
  expect(createHash("sha256").update(bytes).digest("hex")).toBe(target.sha256);

  // A second export reuses the first: same manifest.
  const again = await page.request.post(`/api/datasets/${versionId}/export`);
  expect(again.ok()).toBe(true);
  expect(((await again.json()) as { manifest: { files: ManifestFile[] } }).manifest.files).toEqual(stored.manifest.files);

  // Only manifest names are served.
  for (const name of ["../manifest.json", "/etc/passwd", "data/../../x", "nope.txt"]) {
    const refused = await page.request.get(`/api/datasets/${versionId}/export/file?path=${encodeURIComponent(name)}`);
    expect(refused.status()).toBe(404);
  }
});

test("the API refuses transitions the state forbids, with the lib's reason", async ({ request }) => {
  const run = await completedDemoRun(request);
  const created = await request.post("/api/datasets", {
    data: { name: "e2e refused", selection: { runIds: [run.runId], filters: { tier: ["complex"] } } },
  });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };

  const approveDraft = await request.post(`/api/datasets/${id}/approve`);
  expect(approveDraft.status()).toBe(409);
  expect(((await approveDraft.json()) as { error: string }).error).toMatch(/is draft; only a in review version can become approved/);

  const rejectWithoutReason = await request.post(`/api/datasets/${id}/reject`, { data: { reason: " " } });
  expect(rejectWithoutReason.status()).toBe(400);
  expect(((await rejectWithoutReason.json()) as { error: string }).error).toMatch(/reason/);

  const exportDraft = await request.post(`/api/datasets/${id}/export`);
  expect(exportDraft.status()).toBe(409);

  // The complex-only version drops the common members of the full one and adds none.
  const versions = (await (await request.get("/api/datasets")).json()) as { versions: { id: string; name: string }[] };
  const full = versions.versions.find((v) => v.name === "e2e release");
  if (full) {
    const diff = (await (await request.get(`/api/datasets/${id}/diff?against=${full.id}`)).json()) as {
      counts: { added: number; removed: number };
    };
    expect(diff.counts.added).toBe(0);
    expect(diff.counts.removed).toBeGreaterThan(0);
  }
  expect((await request.get(`/api/datasets/${id}/diff?against=nope`)).status()).toBe(400);

  const badBody = await request.post("/api/datasets", { data: { name: "", selection: { runIds: [] } } });
  expect(badBody.status()).toBe(400);
  expect(((await badBody.json()) as { error: string }).error).toMatch(/name|run/);
});

test("a version with an empty Endocrinology split warns before approval and its export waits for the acknowledgement", async ({ page }) => {
  test.setTimeout(180_000);
  const run = await completedDemoRun(page.request);
  // Four eyes: a curator (a service token) makes and submits the version, the signed-in admin approves it.
  const token = await page.request.post("/api/tokens", { data: { name: `e2e-short-splits-${Date.now()}`, role: "curator" } });
  expect(token.status()).toBe(201);
  const asCurator = { authorization: `Bearer ${((await token.json()) as { token: string }).token}` };
  const name = `e2e no endocrinology ${Date.now()}`;
  const secondary = [...SECONDARY_DEPARTMENTS.filter((d) => d !== "Endocrinology"), null];
  const created = await page.request.post("/api/datasets", {
    headers: asCurator,
    data: { name, selection: { runIds: [run.runId], filters: { secondary } } },
  });
  expect(created.status(), await created.text()).toBe(201);
  const versionId = ((await created.json()) as { id: string }).id;
  expect((await page.request.post(`/api/datasets/${versionId}/submit`, { headers: asCurator })).ok()).toBe(true);

  await page.goto("/");
  await page.getByRole("navigation", { name: "Studio sections" }).getByRole("link", { name: "Datasets" }).click();
  await page.getByRole("table", { name: "Dataset versions" }).getByRole("link", { name, exact: true }).click();
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  await expect(page.getByTestId("version-state")).toHaveText("in review");
  const warnings = page.getByRole("region", { name: "Short splits" });
  await expect(warnings.getByTestId("short-split-sft_stage3")).toContainText("Endocrinology has 0 samples: its split would be empty");
  await expect(warnings).toContainText("would be empty");
  // Beside Approve, in the same panel.
  await expect(page.locator(".panel").filter({ has: warnings }).getByRole("button", { name: "Approve" })).toBeVisible();
  for (const size of [
    { width: 1024, height: 768 },
    { width: 1440, height: 900 },
  ]) {
    await page.setViewportSize(size);
    await page.screenshot({ path: `docs/screenshots/dataset-short-splits-${size.width}.png` });
  }

  await page.getByRole("button", { name: "Approve" }).click();
  await page.getByRole("alertdialog", { name: "Confirm approval" }).getByRole("button", { name: "Confirm approval" }).click();
  await expect(page.getByTestId("version-state")).toHaveText("approved");

  // The server refuses an unacknowledged export with the list, whatever the page shows.
  const refused = await page.request.post(`/api/datasets/${versionId}/export`, { data: {} });
  expect(refused.status()).toBe(409);
  expect(((await refused.json()) as { shortSplits: { split: string }[] }).shortSplits.map((s) => s.split)).toContain("sft_stage3");

  const exportSection = page.getByRole("region", { name: "Short splits" });
  await expect(exportSection.getByTestId("short-split-sft_stage3")).toBeVisible();
  const exportButton = page.getByRole("button", { name: "Export", exact: true });
  await expect(exportButton).toBeDisabled();
  await page.getByLabel("I understand these splits are short or empty").check();
  await expect(exportButton).toBeEnabled();
  await exportButton.click();
  await expect(page.getByRole("table", { name: "Exported files" })).toBeVisible({ timeout: 60_000 });
  await page.getByText("Dataset card (README.md)").click();
  const card = page.getByLabel("Dataset card");
  await expect(card).toContainText("Short or empty splits");
  await expect(card).toContainText("SFT stage 3 (Endocrinology) (empty");
  await expect(card).toContainText("The exporter acknowledged them before exporting.");
});

test("the Training page from the sidebar fits at 1024x768 and 1440x900", async ({ page }) => {
  await page.goto("/");
  for (const size of [
    { width: 1024, height: 768 },
    { width: 1440, height: 900 },
  ]) {
    await page.setViewportSize(size);
    await page.getByRole("navigation", { name: "Studio sections" }).getByRole("link", { name: "Training" }).click();
    await expect(page.getByRole("heading", { name: "Training", level: 1 })).toBeVisible();
    // Nothing wider than the window: a sideways scroll is the clipped or overflowing control.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `horizontal overflow at ${size.width}px`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `docs/screenshots/training-${size.width}.png`, fullPage: true });
    await page.getByRole("navigation", { name: "Studio sections" }).getByRole("link", { name: "Datasets" }).click();
    await expect(page.getByRole("heading", { name: "Datasets", level: 1 })).toBeVisible();
  }
});
