import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Locator, type Page } from "@playwright/test";

// Every page of the studio, reached as a curator reaches it (the sidebar, then the first row of a list),
// checked by axe-core against WCAG 2 A and AA: no serious or critical violation anywhere (issue 16).
// Only the demo corpus and the demo run are assumed; the dataset version this spec opens is its own.

const SIDEBAR_SECTIONS = ["Corpora", "Runs", "Samples", "Analytics", "Map", "Datasets", "Training", "Audit", "Settings"];

async function completedDemoRun(request: APIRequestContext): Promise<{ runId: string; name: string }> {
  let found: { runId: string; name: string } | undefined;
  await expect
    .poll(
      async () => {
        const body = (await (await request.get("/api/runs")).json()) as { runs: { runId: string; status: string; name: string }[] };
        found = body.runs.find((run) => run.status === "completed");
        return found !== undefined;
      },
      { timeout: 120_000 },
    )
    .toBe(true);
  return found!;
}

/** The serious and critical WCAG 2 A/AA violations on the page as shown, one line per element. */
async function violationsOn(page: Page, where: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  return result.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .flatMap((violation) =>
      violation.nodes.map((node) => `${where}: ${violation.id} (${violation.impact}) at ${node.target.join(" ")} — ${violation.help}`),
    );
}

function sidebar(page: Page): Locator {
  return page.getByRole("navigation", { name: "Studio sections" });
}

function heading(page: Page, name: string | RegExp): Locator {
  return page.getByRole("heading", { level: 1, name });
}

test("every page of the studio has no serious or critical accessibility violation", async ({ page }) => {
  test.setTimeout(600_000);
  const run = await completedDemoRun(page.request);
  const found: string[] = [];
  const started = Date.now();
  const check = async (where: string) => {
    const onPage = await violationsOn(page, where);
    // Printed as they are found, so one run lists every page's violations even if a later page fails.
    console.log(
      `${where} (${Math.round((Date.now() - started) / 1000)} s): ${onPage.length === 0 ? "clean" : `\n  ${onPage.join("\n  ")}`}`,
    );
    found.push(...onPage);
  };

  await page.goto("/");
  await expect(heading(page, "Corpora")).toBeVisible();

  // Each sidebar section, with what it loads after the first paint.
  const ready: Record<string, (page: Page) => Promise<void>> = {
    Corpora: async (p) => expect(p.getByRole("table", { name: "Corpora" }).getByRole("link").first()).toBeVisible(),
    Runs: async (p) => expect(p.getByRole("table", { name: "Runs" }).getByRole("link").first()).toBeVisible(),
    Samples: async (p) => expect(p.getByRole("table", { name: "Samples" }).locator("tbody tr[data-index]").first()).toBeVisible(),
    Analytics: async (p) => expect(p.locator("main svg").first()).toBeVisible(),
    Map: async (p) => expect(p.locator("main canvas").first()).toBeVisible({ timeout: 60_000 }),
  };
  for (const section of SIDEBAR_SECTIONS) {
    await sidebar(page).getByRole("link", { name: section, exact: true }).click();
    await expect(sidebar(page).getByRole("link", { name: section, exact: true })).toHaveAttribute("aria-current", "page");
    await expect(page.locator("main h1").first()).toBeVisible();
    await ready[section]?.(page);
    await check(section);
  }

  // The account page, from the user menu at the sidebar's foot.
  await page
    .locator("aside.sidebar")
    .getByRole("link", { name: /Account|Choose a new password/ })
    .click();
  await expect(heading(page, "Account")).toBeVisible();
  await check("Account");

  // Detail pages: the demo corpus and the demo run from their lists.
  await sidebar(page).getByRole("link", { name: "Corpora", exact: true }).click();
  await page.getByRole("table", { name: "Corpora" }).getByRole("link").first().click();
  await expect(page).toHaveURL(/\/corpora\/[^/]+$/);
  await expect(page.locator("main h1")).toBeVisible();
  await check("Corpus");

  await sidebar(page).getByRole("link", { name: "Runs", exact: true }).click();
  await page.getByRole("table", { name: "Runs" }).getByRole("link", { name: run.name, exact: true }).first().click();
  await expect(page).toHaveURL(/\/runs\/[^/]+$/);
  await expect(page.locator("main h1")).toBeVisible();
  await check("Run");

  // The pages the Runs and Samples heads link to.
  await sidebar(page).getByRole("link", { name: "Runs", exact: true }).click();
  await page.getByRole("main").getByRole("link", { name: "Prompts", exact: true }).click();
  await expect(heading(page, "Prompts")).toBeVisible();
  await check("Prompts");

  await sidebar(page).getByRole("link", { name: "Runs", exact: true }).click();
  await page.getByRole("main").getByRole("link", { name: "New run", exact: true }).first().click();
  await expect(heading(page, "New run")).toBeVisible();
  await check("New run");

  for (const [link, title] of [
    ["Review queue", "Review queue"],
    ["Bulk operations", "Bulk operations"],
    ["Taxonomy", "Department taxonomy"],
  ] as const) {
    await sidebar(page).getByRole("link", { name: "Samples", exact: true }).click();
    await page.locator(".page-head").getByRole("link", { name: link, exact: true }).click();
    await expect(heading(page, title)).toBeVisible();
    await check(title);
  }

  await sidebar(page).getByRole("link", { name: "Analytics", exact: true }).click();
  await page.getByRole("main").getByRole("link", { name: "Dataset comparison", exact: true }).click();
  await expect(heading(page, "Dataset comparison")).toBeVisible();
  await check("Dataset comparison");

  // Focus mode, from the Samples view.
  await sidebar(page).getByRole("link", { name: "Samples", exact: true }).click();
  await page.getByRole("link", { name: "Label these" }).click();
  await expect(heading(page, "Focus mode")).toBeVisible();
  await expect(page.getByTestId("focus-sample")).toBeVisible();
  await check("Focus mode");

  // A dataset version of this spec's own, opened from the Datasets list.
  const versionName = `a11y ${Date.now().toString(36)}`;
  const created = await page.request.post("/api/datasets", {
    data: { name: versionName, selection: { runIds: [run.runId], filters: { tier: ["common"] } } },
  });
  expect(created.status(), await created.text()).toBe(201);
  await sidebar(page).getByRole("link", { name: "Datasets", exact: true }).click();
  await page.getByRole("table", { name: "Dataset versions" }).getByRole("link", { name: versionName, exact: true }).click();
  await expect(heading(page, versionName)).toBeVisible();
  await check("Dataset version");

  expect(found, `accessibility violations:\n${found.join("\n")}`).toEqual([]);
});

test("the sign-in page, signed out, has no serious or critical accessibility violation", async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(heading(page, "Sign in")).toBeVisible();
  const found = await violationsOn(page, "Sign in");
  await context.close();
  expect(found, `accessibility violations:\n${found.join("\n")}`).toEqual([]);
});
