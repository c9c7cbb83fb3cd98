import { expect, test, type Page } from "@playwright/test";

// The map reached the way curators reach it: from the sidebar and from "Show on map" after another page
// was loaded, by back and forward, by a reload. Each time the canvas must hold drawn points of several
// department colours (read from a screenshot of the canvas), never a blank white frame.

async function demoProjectionDone(page: Page): Promise<void> {
  await expect
    .poll(
      async () => {
        const response = await page.request.get("/api/projections");
        if (!response.ok()) return false;
        const body = (await response.json()) as { projections: { status: string }[] };
        return body.projections.some((projection) => projection.status === "done");
      },
      { timeout: 180_000, intervals: [2_000] },
    )
    .toBe(true);
}

/** The legend's swatch colours as [r, g, b]. */
async function legendColours(page: Page): Promise<number[][]> {
  const legend = page.getByRole("region", { name: "Legend" });
  await expect(legend.locator(".map-swatch").first()).toBeVisible();
  const backgrounds = await legend
    .locator(".map-swatch")
    .evaluateAll((swatches) => swatches.map((swatch) => getComputedStyle(swatch).backgroundColor));
  return backgrounds.map((text) => (text.match(/\d+/g) ?? []).slice(0, 3).map(Number));
}

/** How many pixels of the canvas (as the screen shows it) have each of `colours`, within a small tolerance. */
async function pixelsPerColour(page: Page, colours: number[][]): Promise<number[]> {
  const png = (await page.getByTestId("map-scatter").locator("canvas").screenshot()).toString("base64");
  return page.evaluate(
    async ({ data, wanted }) => {
      const image = new Image();
      image.src = `data:image/png;base64,${data}`;
      await image.decode();
      const board = document.createElement("canvas");
      board.width = image.width;
      board.height = image.height;
      const context = board.getContext("2d")!;
      context.drawImage(image, 0, 0);
      const rgba = context.getImageData(0, 0, image.width, image.height).data;
      const counts = wanted.map(() => 0);
      for (let at = 0; at < rgba.length; at += 4) {
        for (let c = 0; c < wanted.length; c++) {
          const [r, g, b] = wanted[c]!;
          if (Math.abs(rgba[at]! - r!) <= 8 && Math.abs(rgba[at + 1]! - g!) <= 8 && Math.abs(rgba[at + 2]! - b!) <= 8) {
            counts[c]!++;
            break;
          }
        }
      }
      return counts;
    },
    { data: png, wanted: colours },
  );
}

/** The map on screen has drawn points in at least three of its legend's department colours. */
async function expectDepartmentsDrawn(page: Page): Promise<void> {
  await expect(page).toHaveURL(/\/map/);
  const scatter = page.getByTestId("map-scatter");
  await expect(page.getByTestId("map-failure")).toHaveCount(0);
  await expect.poll(async () => Number(await scatter.getAttribute("data-drawn-points")), { timeout: 60_000 }).toBeGreaterThan(100);
  const colours = await legendColours(page);
  expect(colours.length).toBeGreaterThanOrEqual(3);
  await expect
    .poll(async () => (await pixelsPerColour(page, colours)).filter((count) => count >= 20).length, { timeout: 15_000 })
    .toBeGreaterThanOrEqual(3);
}

const sidebar = (page: Page) => page.getByRole("navigation", { name: "Studio sections" });

test.beforeEach(async ({ page }) => {
  test.setTimeout(300_000);
  await demoProjectionDone(page);
});

test("after a full load of /samples, the sidebar's Map draws the map; back and forward draw it again", async ({ page }) => {
  await page.goto("/samples");
  await expect(page.getByTestId("match-count")).toContainText("sample");
  await sidebar(page).getByRole("link", { name: "Map", exact: true }).click();
  await expectDepartmentsDrawn(page);

  // Away by the sidebar (a client-side navigation), then back and forward through the history.
  await sidebar(page).getByRole("link", { name: "Samples", exact: true }).click();
  await expect(page).toHaveURL(/\/samples/);
  await page.goBack();
  await expectDepartmentsDrawn(page);
  await page.goBack();
  await expect(page).toHaveURL(/\/samples$/);
  await page.goForward();
  await expectDepartmentsDrawn(page);

  await page.reload();
  await expectDepartmentsDrawn(page);
});

test("Show on map in Samples draws the map under the table's filters", async ({ page }) => {
  await page.goto("/runs");
  await sidebar(page).getByRole("link", { name: "Samples", exact: true }).click();
  await expect(page.getByTestId("match-count")).toContainText("sample");
  await page.getByRole("link", { name: "Show on map" }).click();
  await expectDepartmentsDrawn(page);
  await page.goBack();
  await expect(page).toHaveURL(/\/samples/);
  await page.goForward();
  await expectDepartmentsDrawn(page);
});

test("a map opened inside a stricter page's policy loads itself as its own page and draws", async ({ page }) => {
  // As a client-side navigation would: the first /map document arrives with the other pages' policy.
  let strictLeft = 1;
  await page.route(/\/map(\?|$)/, async (route) => {
    if (route.request().resourceType() !== "document" || strictLeft === 0) return route.continue();
    strictLeft--;
    const response = await route.fetch();
    const policy = (response.headers()["content-security-policy"] ?? "").replace(/ 'unsafe-eval'/g, "");
    expect(policy).toContain("script-src");
    await route.fulfill({ response, headers: { ...response.headers(), "content-security-policy": policy } });
  });
  await page.goto("/map");
  await expectDepartmentsDrawn(page);
  expect(strictLeft).toBe(0);
});

test("when the browser keeps blocking the scatter, or has no WebGL, the page says so and what to do", async ({ page }) => {
  await page.route(/\/map(\?|$)/, async (route) => {
    if (route.request().resourceType() !== "document") return route.continue();
    const response = await route.fetch();
    const policy = (response.headers()["content-security-policy"] ?? "").replace(/ 'unsafe-eval'/g, "");
    await route.fulfill({ response, headers: { ...response.headers(), "content-security-policy": policy } });
  });
  await page.goto("/map");
  const failure = page.getByTestId("map-failure");
  await expect(failure).toContainText("security policy blocked");
  await expect(failure.getByRole("button", { name: "Reload the map" })).toBeVisible();
  await page.unrouteAll();

  await page.addInitScript(() => {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the canvas as this
    const original = HTMLCanvasElement.prototype.getContext;
    // A browser without WebGL: every WebGL context request fails, as with hardware acceleration off.
    HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, kind: string, ...rest: unknown[]) {
      if (kind.startsWith("webgl") || kind === "experimental-webgl") return null;
      return (original as (this: HTMLCanvasElement, kind: string, ...rest: unknown[]) => RenderingContext | null).call(this, kind, ...rest);
    } as typeof original;
  });
  await page.goto("/map");
  await expect(page.getByTestId("map-failure")).toContainText(/cannot draw the map|drawing library failed/);
  await expect(page.getByTestId("map-scatter")).toHaveAttribute("data-drawn-points", "0");
});
