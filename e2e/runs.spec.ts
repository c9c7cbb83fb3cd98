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

test("a curator opens a run from the sidebar and reads its progress, its stages and the concurrency per server", async ({
  page,
  request,
}) => {
  // A run of this spec's own, with adaptive concurrency (the New-run form leaves it off), so no other spec's run is assumed.
  const baseUrl = `http://127.0.0.1:${process.env.E2E_DEMO_BACKEND_PORT ?? "8791"}`;
  const name = `e2e adaptive run ${Date.now()}`;
  // A sampling seed of its own: the call store answers calls any earlier run made, and this run must make its own.
  const sampling = { seed: Date.now() % 1_000_000_000 };
  const role = (maxInFlight: number) => ({ baseUrl, model: "simulated/finemed-sim", maxInFlight, adaptiveConcurrency: true, sampling });
  const created = await request.post("/api/runs", {
    data: {
      name,
      corpus: "FineMed demo",
      limit: 8,
      batchSize: 4,
      roles: { generator: role(16), judge: role(8), reasoner: role(8), classifier: role(8), reward: role(8) },
    },
  });
  expect(created.status(), await created.text()).toBeLessThan(300);

  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/");
  await page.getByRole("navigation").getByRole("link", { name: "Runs", exact: true }).click();
  await expect(page).toHaveURL(/\/runs$/);
  const row = page.getByRole("table", { name: "Runs" }).getByRole("row", { name: new RegExp(name) });
  await expect(row).toBeVisible();
  await row.getByRole("link").first().click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(name);

  // Progress: while it works the page polls (with an ETA); it ends with every text done.
  await expect(page.getByTestId("run-status")).toHaveText("completed", { timeout: 60_000 });
  await expect(page.getByText(/8 of 8 done/)).toBeVisible();

  const stages = page.getByRole("table", { name: "Stages" });
  const generation = stages.getByRole("row", { name: /^generation/ });
  await expect(generation).toBeVisible();
  const callsMade = Number((await generation.getByRole("cell").nth(1).innerText()).replace(/[^0-9]/g, ""));
  expect(callsMade).toBeGreaterThan(0);

  // One server for all five roles: one shared adaptive limiter under the highest role ceiling (16).
  const concurrency = page.getByRole("table", { name: "Concurrency per server" });
  const server = concurrency.getByRole("row", { name: new RegExp(baseUrl.replace(/[.]/g, "\\.")) });
  await expect(concurrency.getByRole("row")).toHaveCount(2);
  await expect(server).toContainText("generator, judge, reasoner, classifier, reward");
  await expect(server).toContainText("adaptive (shared)");
  await expect(server.getByRole("cell").nth(4)).toHaveText("16");
  const allowed = Number(await server.getByRole("cell").nth(3).innerText());
  expect(allowed).toBeGreaterThanOrEqual(1);
  expect(allowed).toBeLessThanOrEqual(16);

  await page.screenshot({ path: "docs/screenshots/run-1440.png", fullPage: true });
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.screenshot({ path: "docs/screenshots/run-1024.png", fullPage: true });
  // Nothing wider than the window: the page scrolls down, never sideways.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
