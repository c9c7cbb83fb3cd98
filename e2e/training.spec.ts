import { expect, test, type APIRequestContext } from "@playwright/test";
import { slurmUnavailable, startLocalSlurm, type LocalSlurm } from "../test/support/local-slurm";
import { CHAIN_STAGES, STAND_IN_COMMAND } from "../lib/training/index";

// A real single-node Slurm on localhost for this spec: the studio submits to it through a cluster
// profile whose environment names the cluster's slurm.conf (SLURM_CONF). The browser is the e2e admin.

const skip = slurmUnavailable();
let slurm: LocalSlurm;
let versionId: string;

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

async function putProfile(request: APIRequestContext, profile: Record<string, unknown>): Promise<void> {
  // The evaluations are stand-ins too (no trained model here); the real TTT job runs in test/training-chain.test.ts.
  const evaluations = { "6_ttt_eval": STAND_IN_COMMAND, "7_baseline_eval": STAND_IN_COMMAND };
  const data = {
    env: slurm.env,
    timeLimit: "10:00",
    trainerCommand: STAND_IN_COMMAND,
    ...profile,
    trainerCommands: { ...evaluations, ...(profile.trainerCommands as object | undefined) },
  };
  const response = await request.put("/api/training/profiles", { data });
  expect(response.status(), await response.text()).toBe(200);
}

test.describe("training on the local Slurm", () => {
  test.skip(skip !== null, skip ?? "");

  test.beforeAll(async ({ request }) => {
    slurm = await startLocalSlurm();
    const runId = await completedDemoRun(request);
    // Four eyes: roles.spec has added a second approver by now, so a curator (a service token) makes
    // and submits the version and the admin approves it.
    const curatorToken = await request.post("/api/tokens", { data: { name: `e2e-training-curator-${Date.now()}`, role: "curator" } });
    expect(curatorToken.status()).toBe(201);
    const asCurator = { authorization: `Bearer ${((await curatorToken.json()) as { token: string }).token}` };
    const created = await request.post("/api/datasets", {
      headers: asCurator,
      data: { name: "e2e training", selection: { runIds: [runId] } },
    });
    expect(created.status()).toBe(201);
    versionId = ((await created.json()) as { id: string }).id;
    expect((await request.post(`/api/datasets/${versionId}/submit`, { headers: asCurator })).ok()).toBe(true);
    expect((await request.post(`/api/datasets/${versionId}/approve`)).ok()).toBe(true);
    await putProfile(request, { name: "e2e-local" });
    await putProfile(request, { name: "e2e-fails", trainerCommands: { "2_sft_stage2": "sh -c 'echo loss is NaN at step 3 >&2; exit 1'" } });
    await putProfile(request, { name: "e2e-slow", trainerCommand: "sleep 120" });
  });

  test.afterAll(async () => {
    await slurm?.stop();
  });

  test("from the approved version the chain is started, every stage completes in order, and a stage's log shows", async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto(`/datasets/${versionId}`);
    await page.getByTestId("train-version").click();
    await expect(page).toHaveURL(new RegExp(`/training\\?versionId=${versionId}$`));
    await expect(page.getByLabel("Dataset version to train")).toHaveValue(versionId);
    await page.getByLabel("Cluster profile").selectOption("e2e-local");
    // The demo run is far below the paper's sizes: Start waits until its short splits are acknowledged.
    const start = page.getByRole("button", { name: "Start training chain" });
    await expect(page.getByTestId("short-splits")).toBeVisible();
    await expect(start).toBeDisabled();
    await page.getByLabel("I understand these splits are short or empty").check();
    await start.click();
    await expect(page).toHaveURL(/\/training\/[0-9a-f-]{36}$/, { timeout: 120_000 });

    await expect(page.getByTestId("chain-version-link")).toHaveAttribute("href", `/datasets/${versionId}`);
    await expect(page.getByTestId("chain-approval")).toContainText("approved by");
    const stages = page.getByRole("table", { name: "Stages" });
    // Watched on the page, which refreshes itself while the chain runs.
    await expect(page.getByTestId("chain-state")).toHaveText("COMPLETED", { timeout: 120_000 });
    for (const stage of CHAIN_STAGES) {
      // The stand-in never reads as a trained stage: its COMPLETED carries the label.
      await expect(stages.getByTestId(`stage-${stage.key}`).getByTestId("stage-state")).toHaveText("COMPLETEDfile check, no training");
    }
    const chainId = page.url().split("/").pop()!;
    const chain = (await (await page.request.get(`/api/training/${chainId}`)).json()) as {
      jobs: { startedAt: string; endedAt: string; dependency: string | null; clusterJobId: string }[];
    };
    for (let i = 1; i < chain.jobs.length; i++) {
      expect(chain.jobs[i]!.dependency).toBe(`afterok:${chain.jobs[i - 1]!.clusterJobId}`);
      expect(Date.parse(chain.jobs[i]!.startedAt)).toBeGreaterThanOrEqual(Date.parse(chain.jobs[i - 1]!.endedAt));
    }

    await page.getByLabel("Log of stage").selectOption({ label: "6_ttt_eval" });
    await expect(page.getByTestId("job-log")).toContainText("split ttt_index", { timeout: 15_000 });
    await expect(page.getByTestId("job-log")).toContainText("rows valid");

    await page.getByRole("link", { name: "Training", exact: true }).first().click();
    await expect(page.getByTestId(`version-chains-${versionId}`)).toContainText("COMPLETED");
  });

  test("a failed stage stops the chain and the page shows which and why; a running chain is cancelled from the page", async ({ page }) => {
    test.setTimeout(180_000);
    const started = await page.request.post("/api/training", { data: { versionId, profile: "e2e-fails", acknowledgeShortSplits: true } });
    expect(started.status(), await started.text()).toBe(201);
    const failed = (await started.json()) as { id: string };
    await page.goto(`/training/${failed.id}`);
    await expect(page.getByTestId("chain-state")).toHaveText("FAILED", { timeout: 120_000 });
    await expect(page.getByTestId("chain-reason")).toContainText("stage 2 (2_sft_stage2) failed with exit code 1: loss is NaN at step 3");
    const stages = page.getByRole("table", { name: "Stages" });
    await expect(stages.getByTestId("stage-1_sft_stage1").getByTestId("stage-state")).toContainText("COMPLETED");
    await expect(stages.getByTestId("stage-2_sft_stage2").getByTestId("stage-state")).toHaveText("FAILED");
    for (const stage of CHAIN_STAGES.slice(2))
      await expect(stages.getByTestId(`stage-${stage.key}`).getByTestId("stage-state")).toContainText("CANCELLED", { timeout: 20_000 });

    const badProfile = await page.request.put("/api/training/profiles", { data: { name: "e2e-local", trainerCommand: "train {{model}}" } });
    expect(badProfile.status()).toBe(400);
    expect(((await badProfile.json()) as { error: string }).error).toContain("unknown placeholder {{model}}");
    const profiles = (await (await page.request.get("/api/training/profiles")).json()) as {
      profiles: { profile: { name: string; trainerCommand: string } }[];
    };
    expect(profiles.profiles.find((p) => p.profile.name === "e2e-local")!.profile.trainerCommand).toBe(STAND_IN_COMMAND);
    const refused = await page.request.post("/api/training", { data: { versionId: "00000000-0000-4000-8000-000000000000" } });
    expect(refused.status()).toBe(404);
    const runId = await completedDemoRun(page.request);
    const draft = (await (
      await page.request.post("/api/datasets", { data: { name: "e2e draft", selection: { runIds: [runId] } } })
    ).json()) as { id: string };
    const unapproved = await page.request.post("/api/training", { data: { versionId: draft.id } });
    expect(unapproved.status()).toBe(409);
    expect(((await unapproved.json()) as { error: string }).error).toContain("only an approved version can be trained");

    const slow = (await (
      await page.request.post("/api/training", { data: { versionId, profile: "e2e-slow", acknowledgeShortSplits: true } })
    ).json()) as { id: string };
    await page.goto(`/training/${slow.id}`);
    await page.getByRole("button", { name: "Cancel chain" }).click();
    await expect(page.getByTestId("chain-state")).toHaveText("CANCELLED", { timeout: 30_000 });
    await expect(page.getByTestId("chain-reason")).toContainText("cancelled by");
  });
});
