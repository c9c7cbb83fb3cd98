import { expect, test } from "@playwright/test";

test("the demo run is listed, marked simulated, and its detail shows every stage", async ({ page }) => {
  await page.goto("/runs");
  const row = page.getByRole("table", { name: "Runs" }).getByRole("row", { name: /Demo run \(simulated backend\)/ });
  await expect(row).toBeVisible();
  await expect(row).toContainText("completed", { timeout: 60_000 });
  await expect(row).toContainText("simulated backend");
  await row.getByRole("link").first().click();
  await expect(page.getByTestId("run-status")).toHaveText("completed");
  await expect(page.getByText(/simulated backend/i).first()).toBeVisible();
  const stages = page.getByRole("table", { name: "Stages" });
  for (const stage of ["generation", "judgement", "classification-primary", "classification-secondary"]) {
    await expect(stages.getByRole("row", { name: new RegExp(stage) })).toBeVisible();
  }
  await expect(page.getByRole("table", { name: "Prompt versions used" })).toContainText("instruction-judgement");
});

test("a curator starts a run from the form, tests the backend, and watches it finish", async ({ page }) => {
  await page.goto("/runs/new");
  const form = page.getByRole("form", { name: "New run" });
  await form.getByLabel("Corpus").selectOption("FineMed demo");
  await form.getByLabel("Name (optional)").fill("e2e run");
  await form.getByLabel("Sample size (texts)").fill("12");
  await form.getByLabel("Batch size").fill("4");
  await form.getByRole("button", { name: "Test connection" }).first().click();
  await expect(form.getByRole("status").first()).toContainText("serves simulated/finemed-sim");
  await form.getByRole("button", { name: "Start run" }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("run-status")).toHaveText("completed", { timeout: 60_000 });
  for (const action of ["Pause", "Resume", "Cancel"]) await expect(page.getByRole("button", { name: action })).toBeDisabled();
  await page.goto("/runs");
  await expect(page.getByRole("table", { name: "Runs" }).getByRole("row", { name: /e2e run/ })).toContainText("12");
});

test("the runs API refuses an invalid configuration and an impossible action with reasons", async ({ request }) => {
  const invalid = await request.post("/api/runs", { data: { corpus: "FineMed demo", tierThreshold: 42 } });
  expect(invalid.status()).toBe(400);
  expect((await invalid.json()).error).toMatch(/tierThreshold|roles/);
  const runs = (await (await request.get("/api/runs")).json()) as { runs: { runId: string; status: string }[] };
  const finished = runs.runs.find((run) => run.status === "completed");
  expect(finished).toBeDefined();
  const pause = await request.post(`/api/runs/${finished!.runId}/pause`);
  expect(pause.status()).toBe(409);
  expect((await pause.json()).error).toMatch(/cannot pause a run that is completed/);
});
