import { expect, test, type Locator, type Page } from "@playwright/test";

// The demo studio: its run (1,392 samples) and the demo projection the worker makes after start.

interface Painted {
  /** Pixels that are not the white background. */
  count: number;
  /** Bounding box of the painted pixels, in CSS pixels relative to the canvas. */
  box: { left: number; top: number; right: number; bottom: number } | null;
  /** A pixel inside a drawn point (its neighbours painted too), relative to the canvas. */
  spot: { x: number; y: number } | null;
}

async function demoProjectionDone(page: Page): Promise<{ id: string; pointCount: number }> {
  let found: { id: string; pointCount: number } | null = null;
  await expect
    .poll(
      async () => {
        const response = await page.request.get("/api/projections");
        if (!response.ok()) return false;
        const body = (await response.json()) as { projections: { id: string; status: string; pointCount: number | null }[] };
        const done = body.projections.find((projection) => projection.status === "done");
        found = done ? { id: done.id, pointCount: done.pointCount ?? 0 } : null;
        return found !== null;
      },
      { timeout: 180_000, intervals: [2_000] },
    )
    .toBe(true);
  return found!;
}

/** Reads the canvas as the screen shows it (a screenshot) and counts what was drawn on it. */
async function paintedPixels(page: Page, canvas: Locator): Promise<Painted> {
  const png = (await canvas.screenshot()).toString("base64");
  return page.evaluate(async (data): Promise<Painted> => {
    const image = new Image();
    image.src = `data:image/png;base64,${data}`;
    await image.decode();
    const board = document.createElement("canvas");
    board.width = image.width;
    board.height = image.height;
    const context = board.getContext("2d")!;
    context.drawImage(image, 0, 0);
    const { data: rgba, width, height } = context.getImageData(0, 0, image.width, image.height);
    const painted = (x: number, y: number) => {
      const at = (y * width + x) * 4;
      return rgba[at]! < 235 || rgba[at + 1]! < 235 || rgba[at + 2]! < 235;
    };
    let count = 0;
    let box: Painted["box"] = null;
    let spot: Painted["spot"] = null;
    const scale = image.width / document.querySelector("[data-testid=map-scatter] canvas")!.getBoundingClientRect().width;
    for (let y = 2; y < height - 2; y++) {
      for (let x = 2; x < width - 2; x++) {
        if (!painted(x, y)) continue;
        count++;
        box = box
          ? { left: Math.min(box.left, x), top: Math.min(box.top, y), right: Math.max(box.right, x), bottom: Math.max(box.bottom, y) }
          : { left: x, top: y, right: x, bottom: y };
        if (!spot && painted(x - 2, y) && painted(x + 2, y) && painted(x, y - 2) && painted(x, y + 2))
          spot = { x: x / scale, y: y / scale };
      }
    }
    const scaled = box ? { left: box.left / scale, top: box.top / scale, right: box.right / scale, bottom: box.bottom / scale } : null;
    return { count, box: scaled, spot };
  }, png);
}

test("the map draws the demo projection; hover reads a sample, click opens it; a lasso selection is relabelled and the table and audit trail show it", async ({
  page,
}) => {
  test.setTimeout(300_000);
  const projection = await demoProjectionDone(page);
  expect(projection.pointCount).toBeGreaterThan(100);

  await page.goto("/map");
  await expect(page).toHaveURL(new RegExp(`projection=${projection.id}`));
  await expect(page.getByTestId("map-embedder")).toContainText(/lexical/i);
  const scatter = page.getByTestId("map-scatter");
  // The library's own count of drawn points, mirrored on the frame, and the canvas's real pixels.
  await expect(scatter).toHaveAttribute("data-drawn-points", String(projection.pointCount), { timeout: 30_000 });
  const canvas = scatter.locator("canvas");
  const painted = await paintedPixels(page, canvas);
  expect(painted.count).toBeGreaterThan(projection.pointCount * 5);
  expect(painted.spot).not.toBeNull();
  expect(painted.box).not.toBeNull();
  let frame: { x: number; y: number; width: number; height: number };

  // Colouring and the legend: switching a department off greys its points, which stay on the map.
  const legend = page.getByRole("region", { name: "Legend" });
  const stage = page.getByTestId("map-stage");
  await expect(stage).toHaveAttribute("data-coloured-points", String(projection.pointCount));
  const firstEntry = legend.getByRole("checkbox").first();
  await firstEntry.uncheck();
  await expect.poll(async () => Number(await stage.getAttribute("data-coloured-points"))).toBeLessThan(projection.pointCount);
  await expect(scatter).toHaveAttribute("data-drawn-points", String(projection.pointCount));
  await firstEntry.check();
  await expect(stage).toHaveAttribute("data-coloured-points", String(projection.pointCount));

  // Hover shows the instruction; a click opens the sample drawer. (Mouse positions are in the
  // viewport, so the canvas is scrolled into view and measured again before each gesture.)
  await canvas.scrollIntoViewIfNeeded();
  frame = (await canvas.boundingBox())!;
  await page.mouse.move(frame.x + 5, frame.y + 5);
  await page.mouse.move(frame.x + painted.spot!.x, frame.y + painted.spot!.y, { steps: 8 });
  const tooltip = page.getByTestId("map-tooltip");
  await expect(tooltip).toBeVisible();
  await expect(tooltip.locator(".map-tooltip-text")).not.toBeEmpty();
  const hovered = Number(/Sample (\d+)/.exec(await tooltip.innerText())![1]);
  await page.mouse.click(frame.x + painted.spot!.x, frame.y + painted.spot!.y);
  const drawer = page.getByRole("dialog", { name: `Sample ${hovered}` });
  await expect(drawer.getByRole("region", { name: "Source text" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Nearest neighbours" })).toBeVisible();
  await drawer.getByRole("button", { name: "Close sample" }).click();
  await expect(drawer).toBeHidden();

  // Lasso the left half of the drawn points.
  await page.getByRole("radiogroup", { name: "Mouse mode" }).getByLabel("lasso select").check();
  await expect(scatter).toHaveAttribute("data-mode", "lasso");
  await canvas.scrollIntoViewIfNeeded();
  frame = (await canvas.boundingBox())!;
  const box = painted.box!;
  const middle = (box.left + box.right) / 2;
  const corners = [
    [box.left - 6, box.top - 6],
    [middle, box.top - 6],
    [middle, box.bottom + 6],
    [box.left - 6, box.bottom + 6],
    // Short of the start: the lasso closes itself, and a release where it began would read as a click.
    [box.left - 6, box.top + 4],
  ] as const;
  await page.mouse.move(frame.x + corners[0][0], frame.y + corners[0][1]);
  await page.mouse.down();
  for (const [x, y] of corners.slice(1)) {
    await page.mouse.move(frame.x + x, frame.y + y, { steps: 12 });
  }
  await page.mouse.up();
  const selection = page.getByRole("region", { name: "Selection" });
  await expect(selection).toBeVisible();
  await expect(selection.getByRole("link", { name: "Open in samples table" })).toBeVisible();
  await canvas.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/map-selection.png" });
  const selected = Number((await selection.getByTestId("map-selection-count").innerText()).match(/[\d,]+/)![0].replace(/,/g, ""));
  expect(selected).toBeGreaterThan(0);
  expect(selected).toBeLessThan(projection.pointCount);

  // The server stored the selection: the table and the focus queue take it by id.
  await expect(selection.getByRole("link", { name: "Label these" })).toHaveAttribute("href", /\/samples\/focus\?selection=[0-9a-f-]{36}$/);
  // Relabel the selection through the audited bulk path.
  const bulk = selection.getByRole("region", { name: "Bulk relabel" });
  await bulk.getByLabel("Primary department").selectOption("Surgery");
  await bulk.getByLabel("Secondary department").selectOption("Urology");
  await bulk.getByLabel("Bulk reason").fill("e2e map: this lasso region is urology");
  await bulk.getByRole("button", { name: "Preview bulk relabel" }).click();
  const confirm = bulk.getByRole("alertdialog", { name: "Confirm bulk relabel" });
  const previewed = Number(await confirm.getByTestId("bulk-count").textContent());
  expect(previewed).toBeGreaterThan(0);
  expect(previewed).toBeLessThanOrEqual(selected);
  await confirm.scrollIntoViewIfNeeded();
  await selection.screenshot({ path: "test-results/map-selection-breakdown.png" });
  await confirm.getByRole("button", { name: `Confirm relabel of ${previewed} samples` }).click();
  await expect(bulk.getByRole("status")).toContainText(`Relabelled ${previewed} samples`);

  // The table shows exactly the selection, relabelled.
  await selection.getByRole("link", { name: "Open in samples table" }).click();
  await expect(page).toHaveURL(/\/samples\?selection=[0-9a-f-]{36}$/);
  await expect(page.getByTestId("match-count")).toContainText(`${selected} sample`);
  const table = page.getByRole("table", { name: "Samples" });
  const primaries = await table.locator("td.col-primary").allInnerTexts();
  // The table is virtualised: only the rows in view are rendered, and every one of them is relabelled.
  expect(primaries.length).toBeGreaterThan(0);
  for (const text of primaries) expect(text).toMatch(/^Surgery/);
  expect(await table.locator("td.col-primary .curated-label").count()).toBeGreaterThan(0);

  // The audit entry of the bulk operation.
  await page.goto("/samples/operations");
  const operation = page
    .getByRole("table", { name: "Bulk operations" })
    .getByRole("row", { name: /e2e map: this lasso region is urology/ });
  await expect(operation).toContainText(String(previewed));
  await expect(operation).toContainText("Surgery / Urology");

  // And the map reads the change back: coloured by curated primary, Surgery has at least the relabelled
  // points (other specs sharing the studio may have curated some to Surgery before).
  await page.goto(`/map?projection=${projection.id}&color=curatedPrimary`);
  const surgery = page.getByRole("region", { name: "Legend" }).getByRole("listitem").filter({ hasText: "Surgery" });
  await expect(surgery).toContainText(/\d/);
  const curatedSurgery = Number((await surgery.innerText()).match(/([\d,]+)\s*$/)![1]!.replace(/,/g, ""));
  expect(curatedSurgery).toBeGreaterThanOrEqual(previewed);
});

test("the highlight search and the shared filters narrow what the map shows", async ({ page }) => {
  const projection = await demoProjectionDone(page);
  await page.goto(`/map?projection=${projection.id}&tier=complex`);
  const scatter = page.getByTestId("map-scatter");
  const complex = (await (await page.request.get("/api/samples/count?tier=complex")).json()) as { count: number };
  // The filtered-out points stay on the map, grey; only the complex ones keep their colour.
  await expect(page.getByTestId("map-stage")).toHaveAttribute("data-coloured-points", String(complex.count), { timeout: 30_000 });
  await expect(scatter).toHaveAttribute("data-drawn-points", String(projection.pointCount));
  await expect(page.getByTestId("map-status")).toContainText("outside the filters");
  await page.getByLabel("show points outside the filters (grey)").uncheck();
  await expect(scatter).toHaveAttribute("data-drawn-points", String(complex.count));
  await page.getByRole("link", { name: "Open these filters in the table" }).click();
  await expect(page).toHaveURL(/\/samples\?tier=complex/);
  await expect(page.getByTestId("match-count")).toContainText(`${complex.count} sample`);
  await page.getByRole("link", { name: "Show on map" }).click();
  await expect(page).toHaveURL(/\/map\?.*tier=complex/);

  await page.goto(`/map?projection=${projection.id}`);
  await page.getByRole("search", { name: "Highlight search" }).getByRole("searchbox").fill("patients");
  await page.getByRole("search", { name: "Highlight search" }).getByRole("button", { name: "Highlight" }).click();
  await expect(page).toHaveURL(/highlight=patients/);
  await expect(page.getByTestId("map-status")).toContainText(/\d+ match “patients”/);
});
