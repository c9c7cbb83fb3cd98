import { expect, test } from "@playwright/test";

// The demo run (simulated backend) is what these charts summarise; it may still be running when the studio starts.

test.beforeEach(async ({ page }) => {
  await expect
    .poll(
      async () => {
        const body = (await (await page.request.get("/api/runs")).json()) as { runs: { status: string }[] };
        return body.runs.some((run) => run.status === "completed");
      },
      { timeout: 90_000 },
    )
    .toBe(true);
});

test("analytics: box plots of quality, difficulty and relevance follow the page's grouping", async ({ page }) => {
  await page.goto("/analytics");
  await page.getByRole("form", { name: "Histogram grouping" }).getByRole("combobox").selectOption("tier");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/by=tier/);
  await expect(page.getByRole("heading", { name: "Distributions by group (tier)" })).toBeVisible();
  for (const title of ["Quality", "Difficulty", "Relevance"]) {
    const plot = page.getByRole("region", { name: `${title} box plot` });
    for (const tier of ["common", "complex"])
      await expect(plot.locator("svg text").filter({ hasText: new RegExp(`^${tier}$`) })).toBeVisible();
    await expect(plot.getByTestId("box-plot-group").first().locator("rect")).toBeVisible();
  }

  const response = await page.request.get("/api/analytics/quartiles?field=quality&by=tier&tier=complex");
  expect(response.ok()).toBe(true);
  const body = (await response.json()) as { series: { group: string; n: number; q1: number; median: number; q3: number }[] };
  expect(body.series.map((s) => s.group)).toEqual(["complex"]);
  const [complex] = body.series;
  expect(complex!.q1).toBeLessThanOrEqual(complex!.median);
  expect(complex!.median).toBeLessThanOrEqual(complex!.q3);
});
