import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { expect, test, type APIRequestContext } from "@playwright/test";

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

  await page.getByRole("button", { name: "Export", exact: true }).click();
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
