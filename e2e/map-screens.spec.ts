import { expect, test } from "@playwright/test";

// The map at the two laptop sizes curators use: nothing runs off the side, the canvas and the legend
// are both on screen, and a screenshot of each is kept (test-results/map-*.png) for a person to look at.

for (const size of [
  { width: 1440, height: 900 },
  { width: 1024, height: 768 },
]) {
  test(`the map fits ${size.width}×${size.height}`, async ({ page }, testInfo) => {
    test.setTimeout(240_000);
    await expect
      .poll(
        async () =>
          ((await (await page.request.get("/api/projections")).json()) as { projections: { status: string }[] }).projections.some(
            (p) => p.status === "done",
          ),
        {
          timeout: 180_000,
          intervals: [2_000],
        },
      )
      .toBe(true);
    await page.setViewportSize(size);
    await page.goto("/samples");
    await page.getByRole("navigation", { name: "Studio sections" }).getByRole("link", { name: "Map", exact: true }).click();
    await expect
      .poll(async () => Number(await page.getByTestId("map-scatter").getAttribute("data-drawn-points")), { timeout: 60_000 })
      .toBeGreaterThan(100);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const canvas = (await page.getByTestId("map-scatter").boundingBox())!;
    const legend = (await page.getByRole("region", { name: "Legend" }).boundingBox())!;
    expect(canvas.width).toBeGreaterThan(size.width * 0.4);
    expect(legend.x + legend.width).toBeLessThanOrEqual(size.width);
    await page.getByTestId("map-scatter").scrollIntoViewIfNeeded();
    await page.screenshot({ path: testInfo.outputPath(`map-${size.width}x${size.height}.png`) });
    await page.screenshot({ path: `test-results/map-${size.width}x${size.height}.png` });
  });
}
