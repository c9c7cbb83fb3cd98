import { expect, test, type Page } from "@playwright/test";

// The demo run (696 texts → 1,392 samples, simulated backend) is what every test here curates.

async function demoRunCompleted(page: Page): Promise<void> {
  await expect
    .poll(
      async () => {
        const body = (await (await page.request.get("/api/runs")).json()) as { runs: { status: string; name: string }[] };
        return body.runs.some((run) => run.status === "completed");
      },
      { timeout: 90_000 },
    )
    .toBe(true);
}

async function firstKeptSampleId(page: Page): Promise<number> {
  const response = await page.request.get("/api/samples?status=kept&limit=5");
  expect(response.ok()).toBe(true);
  const body = (await response.json()) as { rows: { id: number }[] };
  expect(body.rows.length).toBeGreaterThan(0);
  return body.rows[0]!.id;
}

function numbers(texts: string[]): number[] {
  return texts.map((text) => Number(text.trim())).filter((value) => Number.isFinite(value));
}

test.beforeEach(async ({ page }) => {
  await demoRunCompleted(page);
});

test("a curator filters, sorts, opens and relabels a sample, bulk-relabels a filter, reads the audit trail and undoes the bulk operation", async ({
  page,
}) => {
  await page.goto("/samples");
  await expect(page.getByTestId("match-count")).toContainText("1,392 samples match");

  // Filter: complex tier only, in the full panel the compact filter bar opens.
  await page.getByRole("button", { name: /^Filters/ }).click();
  const filters = page.getByRole("form", { name: "Sample filters" });
  await filters.getByRole("group", { name: "Tier" }).getByLabel("complex").check();
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/tier=complex/);
  await expect(page.getByRole("list", { name: "Active filters" })).toContainText("Tier: complex");
  const table = page.getByRole("table", { name: "Samples" });
  await expect(table.locator("td.col-tier").first()).toHaveText("complex");
  const tiers = await table.locator("td.col-tier").allTextContents();
  expect(tiers.length).toBeGreaterThan(0);
  expect(new Set(tiers)).toEqual(new Set(["complex"]));
  const complexCount = Number((await page.getByTestId("match-count").textContent())!.match(/[\d,]+/)![0].replace(/,/g, ""));
  expect(complexCount).toBeGreaterThan(0);

  // Sort by quality, highest first.
  await table.getByRole("button", { name: /Quality/ }).click();
  await expect(page).toHaveURL(/sort=quality\.desc/);
  await expect(table.getByRole("columnheader", { name: /Quality/ })).toHaveAttribute("aria-sort", "descending");
  const qualities = numbers(await table.locator("td.col-quality").allTextContents());
  expect(qualities.length).toBeGreaterThan(1);
  expect([...qualities].sort((a, b) => b - a)).toEqual(qualities);

  // Open the first sample: source text and Algorithm 1's decision.
  await table.locator("td.col-instruction a").first().click();
  await expect(page).toHaveURL(/sample=\d+/);
  const drawer = page.getByRole("dialog", { name: /^Sample \d+$/ });
  await expect(drawer.getByRole("region", { name: "Source text" })).toBeVisible();
  await expect(drawer.getByText("Algorithm 1 rule")).toBeVisible();
  await expect(drawer.getByText("kept by Algorithm 1")).toBeVisible();

  // Relabel it.
  const relabel = drawer.getByRole("form", { name: "Relabel sample" });
  await relabel.getByLabel("Primary department").selectOption("Surgery");
  await relabel.getByLabel("Secondary department").selectOption("Urology");
  await relabel.getByLabel("Reason").fill("e2e: the question is about the prostate");
  await relabel.getByRole("button", { name: "Relabel" }).click();
  await expect(drawer.getByTestId("label-in-force")).toHaveText("Surgery / Urology");
  const history = drawer.getByRole("table", { name: "Label history" });
  await expect(history.getByRole("row", { name: /e2e: the question is about the prostate/ })).toContainText("admin@e2e.test");
  await page.keyboard.press("Escape");
  await expect(drawer).toBeHidden();

  // Bulk-relabel everything matching the filter: the count is shown and confirmed first.
  const bulk = page.getByRole("region", { name: "Bulk relabel" });
  await bulk.getByLabel("everything matching the current filter").check();
  await bulk.getByLabel("Primary department").selectOption("Pediatrics");
  await bulk.getByLabel("Secondary department").selectOption("Pediatric Internal Medicine");
  await bulk.getByLabel("Bulk reason").fill("e2e bulk: complex ones are paediatric");
  await bulk.getByRole("button", { name: "Preview bulk relabel" }).click();
  const confirm = bulk.getByRole("alertdialog", { name: "Confirm bulk relabel" });
  await expect(confirm).toBeVisible();
  const previewed = Number(await confirm.getByTestId("bulk-count").textContent());
  expect(previewed).toBeGreaterThan(0);
  expect(previewed).toBeLessThanOrEqual(complexCount);
  await confirm.getByRole("button", { name: `Confirm relabel of ${previewed} samples` }).click();
  await expect(bulk.getByRole("status")).toContainText(`Relabelled ${previewed} samples`);
  await page.goto("/samples?tier=complex&labels=curated&primary=Pediatrics");
  await expect(page.getByTestId("match-count")).toContainText(`${previewed} sample`);

  // The audit trail: the operation, and the sample's own history.
  await page.goto("/samples/operations");
  const operation = page
    .getByRole("table", { name: "Bulk operations" })
    .getByRole("row", { name: /e2e bulk: complex ones are paediatric/ });
  await expect(operation).toContainText("admin@e2e.test");
  await expect(operation).toContainText(String(previewed));
  await expect(operation).toContainText("Pediatrics / Pediatric Internal Medicine");

  // Undo the whole operation: the labels come back.
  page.once("dialog", (dialog) => void dialog.accept());
  await operation.getByRole("button", { name: "Undo" }).click();
  await expect(operation).toContainText("undone");
  await page.goto("/samples?tier=complex&labels=curated&primary=Pediatrics");
  await expect(page.getByTestId("match-count")).toContainText("0 samples match");
  // The single relabel from before the bulk operation is in force again.
  await page.goto("/samples?tier=complex&overridden=true");
  await expect(page.getByTestId("match-count")).toContainText("1 sample matches");
  await page.getByRole("table", { name: "Samples" }).locator("td.col-instruction a").first().click();
  const reopened = page.getByRole("dialog", { name: /^Sample \d+$/ });
  await expect(reopened.getByTestId("label-in-force")).toHaveText("Surgery / Urology");
  const trail = reopened.getByRole("table", { name: "Label history" });
  await expect(trail.getByRole("row", { name: /e2e bulk: complex ones are paediatric/ })).toBeVisible();
  await expect(trail.getByRole("cell", { name: "undo", exact: true }).first()).toBeVisible();
});

test("a second curator editing the same sample gets a conflict, not a silent overwrite", async ({ browser, page }) => {
  const id = await firstKeptSampleId(page);
  const first = await browser.newContext();
  const second = await browser.newContext();
  try {
    const alice = await first.newPage();
    const bob = await second.newPage();
    await alice.goto(`/samples?sample=${id}`);
    await bob.goto(`/samples?sample=${id}`);
    const aliceForm = alice.getByRole("dialog", { name: `Sample ${id}` }).getByRole("form", { name: "Relabel sample" });
    const bobForm = bob.getByRole("dialog", { name: `Sample ${id}` }).getByRole("form", { name: "Relabel sample" });
    await expect(aliceForm).toBeVisible();
    await expect(bobForm).toBeVisible();

    await aliceForm.getByLabel("Primary department").selectOption("Internal Medicine");
    await aliceForm.getByLabel("Secondary department").selectOption("Cardiology");
    await aliceForm.getByLabel("Reason").fill("alice: cardiac question");
    await aliceForm.getByRole("button", { name: "Relabel" }).click();
    await expect(alice.getByTestId("label-in-force")).toHaveText("Internal Medicine / Cardiology");

    // Bob's choice differs from the label his page shows, so an overwrite could not hide behind an unchanged label.
    const bobSaw = await bob.getByTestId("label-in-force").innerText();
    const [bobPrimary, bobSecondary] = bobSaw === "Surgery / Thoracic Surgery" ? ["Surgery", "Urology"] : ["Surgery", "Thoracic Surgery"];
    await bobForm.getByLabel("Primary department").selectOption(bobPrimary);
    await bobForm.getByLabel("Secondary department").selectOption(bobSecondary);
    await bobForm.getByLabel("Reason").fill("bob: surgical");
    await bobForm.getByRole("button", { name: "Relabel" }).click();
    const conflict = bobForm.getByRole("alert");
    await expect(conflict).toContainText("Conflict");
    await expect(conflict).toContainText(/relabelled by admin@e2e.test at \d{4}-\d{2}-\d{2}/);
    // Nothing was overwritten.
    await expect(bob.getByTestId("label-in-force")).not.toHaveText(`${bobPrimary} / ${bobSecondary}`);
    const check = (await (await page.request.get(`/api/samples/${id}`)).json()) as {
      sample: { label: { primary: string; secondary: string } };
    };
    expect(check.sample.label).toEqual({ primary: "Internal Medicine", secondary: "Cardiology" });

    // Reloading shows Alice's label; Bob can then decide again.
    await conflict.getByRole("button", { name: "Reload sample" }).click();
    await expect(bob.getByTestId("label-in-force")).toHaveText("Internal Medicine / Cardiology");
  } finally {
    await first.close();
    await second.close();
  }
});

test("a copied URL reopens the same view, and the keyboard drives the table", async ({ browser, page }) => {
  await page.goto("/samples");
  await page.getByRole("button", { name: /^Filters/ }).click();
  const filters = page.getByRole("form", { name: "Sample filters" });
  await filters.getByLabel("Quality min", { exact: true }).fill("6");
  await filters.getByRole("group", { name: "Kept / filter reason" }).getByLabel("kept", { exact: true }).check();
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/quality\.min=6/);
  const table = page.getByRole("table", { name: "Samples" });
  await table.getByRole("button", { name: /Reward/ }).click();
  await expect(page).toHaveURL(/sort=reward\.desc/);
  await page.getByLabel("Rows per page").selectOption("50");
  // The Lineage preset shows the source snippet; hiding it by hand makes the columns a custom choice.
  await page.getByRole("group", { name: "Column preset" }).getByRole("button", { name: "Lineage" }).click();
  await expect(page).toHaveURL(/cols=lineage/);
  await expect(table.getByRole("columnheader", { name: "Source" })).toHaveCount(1);
  await page.getByText("Columns", { exact: true }).click();
  await page.getByRole("group", { name: "Visible columns" }).getByLabel("Reward").check();
  await page.getByRole("group", { name: "Visible columns" }).getByLabel("Source").uncheck();
  await expect(page).toHaveURL(/cols=custom/);
  await expect(page).toHaveURL(/hide=[^&]*snippet/);
  await expect(table.getByRole("columnheader", { name: "Source" })).toHaveCount(0);
  await page.getByText("Columns", { exact: true }).click();

  // Keyboard: j twice, Enter opens the second row, Escape closes.
  await page.locator("h1").click();
  await page.keyboard.press("j");
  await page.keyboard.press("j");
  await page.keyboard.press("Enter");
  const secondId = (await table.locator("tbody tr").nth(1).locator("td.col-instruction a").getAttribute("href"))!.match(/sample=(\d+)/)![1];
  await expect(page.getByRole("dialog", { name: `Sample ${secondId}` })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`sample=${secondId}`));

  const url = page.url();
  const rows = await table.locator("td.col-instruction").allTextContents();
  expect(rows.length).toBeGreaterThan(0);

  const other = await browser.newContext();
  try {
    const copy = await other.newPage();
    await copy.goto(url);
    const copiedTable = copy.getByRole("table", { name: "Samples" });
    await expect(copiedTable.locator("td.col-instruction").first()).toBeVisible();
    expect(await copiedTable.locator("td.col-instruction").allTextContents()).toEqual(rows);
    await copy.getByRole("button", { name: /^Filters/ }).click();
    const copiedFilters = copy.getByRole("form", { name: "Sample filters" });
    await expect(copiedFilters.getByLabel("Quality min", { exact: true })).toHaveValue("6");
    await expect(copiedFilters.getByRole("group", { name: "Kept / filter reason" }).getByLabel("kept", { exact: true })).toBeChecked();
    await expect(copiedTable.getByRole("columnheader", { name: /Reward/ })).toHaveAttribute("aria-sort", "descending");
    await expect(copiedTable.getByRole("columnheader", { name: "Source" })).toHaveCount(0);
    await expect(copy.getByRole("dialog", { name: `Sample ${secondId}` })).toBeVisible();
  } finally {
    await other.close();
  }

  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);
});

test("analytics: a quality threshold shows how many samples it keeps and opens exactly those rows", async ({ page }) => {
  await page.goto("/analytics");
  const quality = page.getByRole("region", { name: "Quality histogram" });
  await expect(quality.locator(".recharts-bar-rectangle").first()).toBeVisible();
  await quality.getByLabel("Quality from").fill("7");
  await quality.getByLabel("to", { exact: true }).fill("10");
  const whatIf = quality.getByRole("status", { name: "quality threshold" });
  await expect(whatIf).toContainText(/quality 7–10: [\d,]+ samples/);
  const kept = (await whatIf.textContent())!.match(/: ([\d,]+) samples/)![1]!;
  await whatIf.getByRole("link", { name: "Open these in Samples" }).click();
  await expect(page).toHaveURL(/quality\.min=7&quality\.max=10/);
  await expect(page.getByTestId("match-count")).toContainText(`${kept} sample`);
  await expect(page.getByRole("list", { name: "Active filters" })).toContainText("Quality 7–10");
  await page.getByRole("button", { name: /^Filters/ }).click();
  await expect(page.getByRole("form", { name: "Sample filters" }).getByLabel("Quality min", { exact: true })).toHaveValue("7");
});

test("taxonomy: a curator adds, renames and merges a department, and the merge is audited", async ({ page }) => {
  await page.goto("/samples");
  await page.getByRole("link", { name: "Taxonomy" }).first().click();
  await expect(page.getByRole("heading", { name: "Department taxonomy" })).toBeVisible();
  const departments = page.getByRole("table", { name: "Departments" });
  await expect(departments.getByRole("row", { name: /Cardiology/ })).toBeVisible();

  const add = page.getByRole("form", { name: "Add department" });
  await add.getByLabel("Level").selectOption("secondary");
  await add.getByLabel("Name").fill("Sports Medicine");
  await add.getByLabel("Under primary").selectOption("Other Departments");
  await add.getByRole("button", { name: "Add department" }).click();
  await expect(departments.getByRole("row", { name: /Sports Medicine/ })).toBeVisible();

  await departments.getByLabel("New name for Sports Medicine").fill("Sport and Exercise Medicine");
  await departments.getByRole("form", { name: "Rename Sports Medicine" }).getByRole("button", { name: "Rename" }).click();
  await expect(departments.getByRole("row", { name: /Sport and Exercise Medicine/ })).toContainText("also Sports Medicine");

  const merge = page.getByRole("form", { name: "Merge departments" });
  await merge.getByLabel("Level").selectOption("secondary");
  await merge.getByLabel("Merge department").selectOption({ label: "Sport and Exercise Medicine (Other Departments)" });
  await merge.getByLabel("Into department").selectOption({ label: "Rehabilitation Medicine (Other Departments)" });
  await merge.getByLabel("Merge reason").fill("e2e: one department is enough");
  page.once("dialog", (dialog) => void dialog.accept());
  await merge.getByRole("button", { name: "Merge departments" }).click();
  await expect(merge.getByRole("status")).toContainText("merged; 0 labels moved");
  await expect(departments.getByRole("row", { name: /Sport and Exercise Medicine/ })).toContainText("merged into Rehabilitation Medicine");

  await page.goto("/samples/operations");
  await expect(
    page.getByRole("table", { name: "Bulk operations" }).getByRole("row", { name: /e2e: one department is enough/ }),
  ).toContainText("merge");
});

test("the review queue lists likely mislabels with reasons and opens them in the drawer", async ({ page }) => {
  await page.goto("/samples/review");
  const queue = page.getByRole("table", { name: "Review queue" });
  await expect(queue).toBeVisible();
  const first = queue.getByRole("row").nth(1);
  if ((await first.getByRole("link").count()) === 0) {
    await expect(first).toContainText("Nothing to review");
    return;
  }
  await expect(first.getByRole("listitem").first()).toBeVisible();
  await first.getByRole("link").click();
  await expect(page).toHaveURL(/\/samples\?sample=\d+/);
  await expect(page.getByRole("dialog", { name: /^Sample \d+$/ }).getByRole("form", { name: "Relabel sample" })).toBeVisible();
});

test("quick changes while the table is still loading all land: sort, rows per page and a column preset", async ({ page }) => {
  await page.goto("/samples");
  const table = page.getByRole("table", { name: "Samples" });
  await expect(table.locator("tbody tr").first()).toBeVisible();
  // A slow server: every navigation of the table (a React Server Components request) answers after 1.5 s.
  await page.route("**/samples?**", async (route) => {
    if (route.request().headers()["rsc"] === "1") await new Promise((resolve) => setTimeout(resolve, 1_500));
    await route.continue();
  });
  await table.getByRole("button", { name: /Reward/ }).click();
  await expect(page.getByTestId("match-count")).toContainText("loading");
  await page.getByLabel("Rows per page").selectOption("100");
  await page.getByRole("group", { name: "Column preset" }).getByRole("button", { name: "Lineage" }).click();
  await expect(page.getByTestId("match-count")).not.toContainText("loading", { timeout: 30_000 });
  const landed = new URL(page.url()).searchParams;
  expect([landed.get("sort"), landed.get("limit"), landed.get("cols")]).toEqual(["reward.desc", "100", "lineage"]);
  await expect(page.getByLabel("Rows per page")).toHaveValue("100");
  await expect(table.getByRole("columnheader", { name: "Source" })).toHaveCount(1);
});
