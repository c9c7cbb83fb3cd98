import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

// The curator's workbench on laptop screens (issue 16): the samples table readable at 1024×768 and
// 1440×900, the labelling columns on screen at 1280 without sideways scrolling, an overlay drawer that
// keeps the focused row in view, no word split across lines, and no serious accessibility violation.

async function demoRunCompleted(page: Page): Promise<void> {
  await expect
    .poll(
      async () => {
        const body = (await (await page.request.get("/api/runs")).json()) as { runs: { status: string }[] };
        return body.runs.some((run) => run.status === "completed");
      },
      { timeout: 90_000 },
    )
    .toBe(true);
}

/** Arrives as a user does: the home page, then the sidebar. */
async function openSamplesFromSidebar(page: Page): Promise<void> {
  await page.goto("/");
  await page.locator("aside.sidebar").getByRole("link", { name: "Samples", exact: true }).click();
  await expect(page).toHaveURL(/\/samples(\?|$)/);
  await expect(page.getByRole("table", { name: "Samples" }).locator("tbody tr[data-index]").first()).toBeVisible();
}

/** Rows whose whole box is on screen: inside the window and inside the table's own scroll box, below its sticky header. */
async function fullyVisibleRows(page: Page): Promise<number> {
  return page.evaluate(() => {
    const box = document.querySelector(".table-scroll")!.getBoundingClientRect();
    const header = document.querySelector("table.samples-grid thead")!.getBoundingClientRect();
    const rows = [...document.querySelectorAll("table.samples-grid tbody tr[data-index]")];
    return rows.filter((row) => {
      const rect = row.getBoundingClientRect();
      return rect.top >= Math.max(0, header.bottom - 1) && rect.bottom <= Math.min(window.innerHeight, box.bottom) + 1;
    }).length;
  });
}

/**
 * Words and numbers under 20 characters that a table cell splits over two lines: each word's Range
 * has its client rectangles on more than one line.
 */
async function brokenWords(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const broken: string[] = [];
    for (const cell of document.querySelectorAll("table td, table th")) {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        // Machine text (the audit's JSON details in <code>) has no spaces to wrap at; prose and numbers do.
        if (node.parentElement?.closest("code")) continue;
        const text = node.textContent ?? "";
        for (const match of text.matchAll(/[\p{L}\p{N}]+(?:[.,/:][\p{N}]+)*/gu)) {
          const word = match[0];
          if (word.length < 2 || word.length >= 20) continue;
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + word.length);
          const lines = new Set([...range.getClientRects()].filter((rect) => rect.width > 0).map((rect) => Math.round(rect.top)));
          if (lines.size > 1) broken.push(word);
        }
      }
    }
    return broken;
  });
}

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
}

test.beforeEach(async ({ page }) => {
  await demoRunCompleted(page);
});

test("at 1024×768 the samples table shows at least 5 whole rows and splits no word", async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await openSamplesFromSidebar(page);
  expect(await fullyVisibleRows(page)).toBeGreaterThanOrEqual(5);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
  expect(await brokenWords(page)).toEqual([]);
  await page.screenshot({ path: "docs/screenshot-samples-1024.png" });

  // The full filter panel opens on demand; its fieldsets sit side by side without overlapping.
  await page.getByRole("button", { name: /^Filters/ }).click();
  const boxes = await page
    .getByRole("form", { name: "Sample filters" })
    .locator(":scope > fieldset, :scope > label")
    .evaluateAll((elements) =>
      elements
        .map((element) => element.getBoundingClientRect())
        .map((r) => ({ left: r.left, right: r.right, top: r.top, bottom: r.bottom })),
    );
  expect(boxes.length).toBeGreaterThan(4);
  for (const [i, a] of boxes.entries()) {
    for (const b of boxes.slice(i + 1)) {
      const overlap = a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
      expect(overlap, `filter boxes overlap: ${JSON.stringify(a)} ${JSON.stringify(b)}`).toBe(false);
    }
  }
});

test("at 1280×800 the department, tier and score columns are on screen without sideways scrolling", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openSamplesFromSidebar(page);
  const table = page.getByRole("table", { name: "Samples" });
  for (const name of ["Primary department", "Secondary department", "Tier", "Quality", "Difficulty", "Relevance", "Reward"]) {
    const box = (await table.getByRole("columnheader", { name: new RegExp(name) }).boundingBox())!;
    expect(box.x + box.width, `${name} ends inside the window`).toBeLessThanOrEqual(1280);
  }
  const widths = await page.evaluate(() => {
    const scroll = document.querySelector(".table-scroll")!;
    return { scroll: scroll.scrollWidth, client: scroll.clientWidth, page: document.documentElement.scrollWidth };
  });
  expect(widths.scroll).toBeLessThanOrEqual(widths.client);
  expect(widths.page).toBeLessThanOrEqual(1280);
});

test("at 1440×900: 8 whole rows, the drawer overlays the table keeping the focused row in view, j/k move, Escape closes", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openSamplesFromSidebar(page);
  expect(await fullyVisibleRows(page)).toBeGreaterThanOrEqual(8);
  expect(await brokenWords(page)).toEqual([]);
  await page.screenshot({ path: "docs/screenshot-samples-1440.png" });
  const table = page.getByRole("table", { name: "Samples" });
  const tableBox = (await table.boundingBox())!;

  await page.locator("h1").click();
  for (let i = 0; i < 6; i += 1) await page.keyboard.press("j");
  await page.keyboard.press("Enter");
  const focusedId = (await table.locator("tr.row-focused td.col-instruction a").getAttribute("href"))!.match(/sample=(\d+)/)![1]!;
  const drawer = page.getByRole("dialog", { name: `Sample ${focusedId}` });
  await expect(drawer.getByTestId("algorithm-decision")).toContainText("Algorithm 1");
  // An overlay: the table keeps its place and width.
  expect((await table.boundingBox())!).toMatchObject({ x: tableBox.x, width: tableBox.width });

  async function expectFocusedRowVisible(): Promise<void> {
    const row = table.locator("tr.row-focused");
    await expect(row).toHaveCount(1);
    const geometry = await row.evaluate((element) => {
      const rect = element.querySelector("td.col-instruction")!.getBoundingClientRect();
      const box = document.querySelector(".table-scroll")!.getBoundingClientRect();
      const header = document.querySelector("table.samples-grid thead")!.getBoundingClientRect();
      const panel = document.querySelector(".drawer")!.getBoundingClientRect();
      return {
        top: rect.top,
        bottom: rect.bottom,
        left: rect.left,
        right: rect.right,
        boxBottom: box.bottom,
        headerBottom: header.bottom,
        panelLeft: panel.left,
      };
    });
    expect(geometry.top).toBeGreaterThanOrEqual(geometry.headerBottom - 1);
    expect(geometry.bottom).toBeLessThanOrEqual(Math.min(900, geometry.boxBottom) + 1);
    expect(geometry.left, "the focused row's instruction is not under the drawer").toBeLessThan(geometry.panelLeft - 100);
  }
  await expectFocusedRowVisible();

  // j steps down with the drawer open, past the bottom of the box: the row scrolls into view and the drawer follows it.
  for (let i = 0; i < 14; i += 1) await page.keyboard.press("j");
  const lowerId = (await table.locator("tr.row-focused td.col-instruction a").getAttribute("href"))!.match(/sample=(\d+)/)![1]!;
  expect(lowerId).not.toBe(focusedId);
  await expect(page.getByRole("dialog", { name: `Sample ${lowerId}` })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`sample=${lowerId}`));
  await expectFocusedRowVisible();
  await page.keyboard.press("k");
  const upperId = (await table.locator("tr.row-focused td.col-instruction a").getAttribute("href"))!.match(/sample=(\d+)/)![1]!;
  await expect(page.getByRole("dialog", { name: `Sample ${upperId}` })).toBeVisible();
  expect(upperId).not.toBe(lowerId);
  await expect(page.getByRole("dialog", { name: `Sample ${upperId}` }).getByRole("region", { name: "Source text" })).toBeVisible();
  await page.screenshot({ path: "docs/screenshot-drawer.png" });

  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(page).not.toHaveURL(/sample=/);
});

test("a column preset and a removed filter chip are kept in the URL", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openSamplesFromSidebar(page);
  // Other specs share the studio's database, so the unfiltered count is read here rather than written down.
  const matchCount = page.getByTestId("match-count");
  await expect(matchCount).toHaveText(/^[\d,]+ samples? match$/);
  const unfiltered = await matchCount.innerText();
  const table = page.getByRole("table", { name: "Samples" });
  await expect(table.getByRole("columnheader", { name: "Source" })).toHaveCount(0);
  await page.getByRole("group", { name: "Column preset" }).getByRole("button", { name: "Lineage" }).click();
  await expect(page).toHaveURL(/cols=lineage/);
  await expect(table.getByRole("columnheader", { name: "Source" })).toHaveCount(1);
  await expect(table.getByRole("columnheader", { name: "Primary department" })).toHaveCount(0);

  await page.getByRole("search", { name: "Search samples" }).getByRole("searchbox").fill("pneumonia");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/q=pneumonia|text=pneumonia/);
  const chips = page.getByRole("list", { name: "Active filters" });
  await expect(chips).toContainText("pneumonia");
  await expect(page).toHaveURL(/cols=lineage/);
  await page.reload();
  await expect(page.getByRole("group", { name: "Column preset" }).getByRole("button", { name: "Lineage" })).toHaveAttribute(
    "aria-pressed",
    "true",
  );
  await chips.getByRole("button", { name: /Remove filter Search/ }).click();
  await expect(matchCount).toHaveText(unfiltered);
  await expect(page).not.toHaveURL(/pneumonia/);
});

test("other tables split no word either", async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto("/");
  for (const name of ["Corpora", "Runs", "Audit"]) {
    await page.locator("aside.sidebar").getByRole("link", { name, exact: true }).click();
    await expect(page.locator("table").first()).toBeVisible();
    expect(await brokenWords(page), name).toEqual([]);
  }
});

test("Samples, Analytics and Settings have no serious or critical accessibility violation", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openSamplesFromSidebar(page);
  expect(await seriousViolations(page)).toEqual([]);
  await page.locator("aside.sidebar").getByRole("link", { name: "Analytics", exact: true }).click();
  await expect(page.getByRole("region", { name: "Quality histogram" }).locator(".recharts-bar-rectangle").first()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.locator("aside.sidebar").getByRole("link", { name: "Settings", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test("a relabel's confirmation survives a reload, and so does its undo's", async ({ page }) => {
  const response = await page.request.get("/api/samples?status=kept&tier=common&limit=1");
  const sample = ((await response.json()) as { rows: { id: number; label: { primary: string | null; secondary: string | null } }[] })
    .rows[0]!;
  const id = sample.id;
  // A label the sample does not carry yet (other specs relabel many samples to Surgery / Urology): the relabel must change it.
  const [primary, secondary] = sample.label.secondary === "Urology" ? ["Internal Medicine", "Cardiology"] : ["Surgery", "Urology"];
  await page.setViewportSize({ width: 1440, height: 900 });
  await openSamplesFromSidebar(page);
  await page.goto(`/samples?status=kept&tier=common&sample=${id}`);
  const drawer = page.getByRole("dialog", { name: `Sample ${id}` });
  const relabel = drawer.getByRole("form", { name: "Relabel sample" });
  await relabel.getByLabel("Primary department").selectOption(primary);
  await relabel.getByLabel("Secondary department").selectOption(secondary);
  await relabel.getByLabel("Reason").fill("e2e workbench: toast check");
  await relabel.getByRole("button", { name: "Relabel" }).click();
  const toasts = page.getByRole("region", { name: "Notifications" });
  await expect(toasts.getByTestId("toast").filter({ hasText: `Sample ${id}: Relabelled (version` })).toBeVisible();
  await page.reload();
  await expect(toasts.getByTestId("toast").filter({ hasText: `Sample ${id}: Relabelled (version` })).toBeVisible();

  const history = page.getByRole("dialog", { name: `Sample ${id}` }).getByRole("table", { name: "Label history" });
  await history
    .getByRole("row", { name: /e2e workbench: toast check/ })
    .getByRole("button", { name: "Undo" })
    .click();
  await expect(toasts.getByTestId("toast").filter({ hasText: `Sample ${id}: change undone.` })).toBeVisible();
  await page.reload();
  await expect(toasts.getByTestId("toast").filter({ hasText: `Sample ${id}: change undone.` })).toBeVisible();
  await toasts.getByTestId("toast").first().getByRole("button", { name: "Dismiss notification" }).click();
});
