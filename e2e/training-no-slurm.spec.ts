import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createGunzip } from "node:zlib";
import { Readable } from "node:stream";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { extract } from "tar-stream";
import { parseAllDocuments } from "yaml";
import { CHAIN_STAGES, STAND_IN_COMMAND } from "../lib/training/index";

// A studio that is not a Slurm login node: the profile's PATH holds no sbatch (the stage jobs would see
// the same PATH). Start is disabled with the reason, and the chain leaves as a job bundle instead.

async function completedDemoRun(request: APIRequestContext): Promise<string> {
  let found: string | undefined;
  await expect
    .poll(
      async () => {
        const body = (await (await request.get("/api/runs")).json()) as { runs: { runId: string; status: string }[] };
        found = body.runs.find((run) => run.status === "completed")?.runId;
        return found !== undefined;
      },
      { timeout: 90_000 },
    )
    .toBe(true);
  return found!;
}

async function untar(path: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const reader = extract();
  reader.on("entry", (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: unknown) => chunks.push(chunk as Buffer));
    stream.on("end", () => {
      files.set(header.name, Buffer.concat(chunks));
      next();
    });
  });
  const done = new Promise<void>((resolve, reject) => {
    reader.on("finish", resolve);
    reader.on("error", reject);
  });
  Readable.from(await readFile(path))
    .pipe(createGunzip())
    .pipe(reader);
  await done;
  return files;
}

test("without sbatch, Start is disabled with the reason; the job bundle and the Kubernetes manifests download", async ({ page }) => {
  test.setTimeout(180_000);
  const runId = await completedDemoRun(page.request);
  // Four eyes: roles.spec has added a second approver by now, so a curator (a service token) makes and
  // submits the version and the admin approves it.
  const curatorToken = await page.request.post("/api/tokens", { data: { name: `e2e-no-slurm-curator-${Date.now()}`, role: "curator" } });
  expect(curatorToken.status()).toBe(201);
  const asCurator = { authorization: `Bearer ${((await curatorToken.json()) as { token: string }).token}` };
  const created = await page.request.post("/api/datasets", {
    headers: asCurator,
    data: { name: "e2e no slurm", selection: { runIds: [runId] } },
  });
  expect(created.status()).toBe(201);
  const versionId = ((await created.json()) as { id: string }).id;
  expect((await page.request.post(`/api/datasets/${versionId}/submit`, { headers: asCurator })).ok()).toBe(true);
  expect((await page.request.post(`/api/datasets/${versionId}/approve`)).ok()).toBe(true);
  const saved = await page.request.put("/api/training/profiles", {
    data: {
      name: "e2e-no-sbatch",
      env: { PATH: "/nonexistent/bin" },
      timeLimit: "10:00",
      trainerCommand: STAND_IN_COMMAND,
      trainerCommands: { "6_ttt_eval": STAND_IN_COMMAND, "7_baseline_eval": STAND_IN_COMMAND },
    },
  });
  expect(saved.status(), await saved.text()).toBe(200);

  await page.goto("/");
  await page.getByRole("link", { name: "Training", exact: true }).first().click();
  await expect(page.getByRole("heading", { name: "Training", level: 1 })).toBeVisible();
  await page.getByLabel("Dataset version to train").selectOption(versionId);
  await page.getByLabel("Cluster profile").selectOption("e2e-no-sbatch");
  await expect(page.getByRole("button", { name: "Start training chain" })).toBeDisabled();
  await expect(page.getByTestId("preflight-reason")).toContainText("sbatch is not on this machine's PATH");
  // A demo run is far below the paper's sizes: its short splits are listed, and the downloads wait for the box.
  await expect(page.getByTestId("short-splits")).toContainText("A stage on an empty split fails on the cluster");
  await expect(page.getByTestId("short-split-sft_stage1")).toContainText("of the 200,000 asked");
  await expect(page.getByTestId("download-bundle")).toBeDisabled();
  await expect(page.getByTestId("download-kubernetes")).toBeDisabled();
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.screenshot({ path: test.info().outputPath("training-no-slurm-1024.png") });
  // The server refuses the same way (nothing is recorded), whoever bypasses the page: first the short splits, then the missing sbatch.
  const unacknowledged = await page.request.post("/api/training", { data: { versionId, profile: "e2e-no-sbatch" } });
  expect(unacknowledged.status()).toBe(409);
  const why = (await unacknowledged.json()) as { error: string; shortSplits: { split: string }[] };
  expect(why.error).toContain("The training chain was not started");
  expect(why.shortSplits.map((s) => s.split)).toContain("sft_stage1");
  expect((await page.request.get(`/api/training/bundle?versionId=${versionId}&profile=e2e-no-sbatch`)).status()).toBe(409);
  const refused = await page.request.post("/api/training", { data: { versionId, profile: "e2e-no-sbatch", acknowledgeShortSplits: true } });
  expect(refused.status()).toBe(503);
  expect(((await refused.json()) as { error: string }).error).toContain("sbatch is not on this machine's PATH");

  await page.getByLabel("I understand these splits are short or empty").check();
  await expect(page.getByRole("button", { name: "Start training chain" })).toBeDisabled();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-bundle").click()]);
  expect(download.suggestedFilename()).toMatch(/^finemed-[0-9a-f]{8}-e2e-no-sbatch-bundle\.tar\.gz$/);
  const files = await untar(await download.path());
  const root = download.suggestedFilename().replace(/\.tar\.gz$/, "");
  const listing = JSON.parse(files.get(`${root}/bundle-manifest.json`)!.toString()) as {
    versionId: string;
    files: { path: string; bytes: number; sha256: string }[];
  };
  expect(listing.versionId).toBe(versionId);
  for (const entry of listing.files) {
    const content = files.get(`${root}/${entry.path}`);
    expect(content, entry.path).toBeDefined();
    expect(createHash("sha256").update(content!).digest("hex"), entry.path).toBe(entry.sha256);
  }
  const paths = listing.files.map((f) => f.path);
  for (const stage of CHAIN_STAGES) expect(paths).toContain(`sbatch/${stage.key}.sbatch`);
  for (const path of [
    "submit-chain.sh",
    "manifest.json",
    "training/ttt.py",
    "training/evaluate.py",
    "llamafactory/1_sft_stage1.yaml",
    "trl/5_dpo.yaml",
  ])
    expect(paths).toContain(path);
  expect(files.get(`${root}/sbatch/1_sft_stage1.sbatch`)!.toString()).toContain("stand-in-stage.mjs");

  const [manifests] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-kubernetes").click()]);
  const documents = parseAllDocuments(await readFile(await manifests.path(), "utf8"));
  expect(documents.map((d) => (d.toJS() as { kind: string }).kind)).toEqual(CHAIN_STAGES.map(() => "Job"));
});
