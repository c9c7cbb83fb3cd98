// The map page at 300,000 points in headless Chromium (SwiftShader WebGL, as in the e2e): the real
// studio (`finemed serve --no-demo`, the existing build in FINEMED_NEXT_DIR or a new one) on a
// generated projection; the page's own figures are read back: fetch, decode and the regl-scatterplot
// draw until every point is drawn. The alternative measured beside it is the cheapest one: the same
// points drawn with Canvas 2D. Writes bench/out/map-payload-draw.json.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { connectDatabase, type Database } from "../lib/db/database";
import { createBenchDatabase, describeServer } from "./bench-database";
import { launchBenchChromium, signedInContext, startBuiltStudio } from "./built-studio";
import { formatTable, machineDescription, writeBenchResult } from "./bench-result";
import { generateMapProjection } from "./map-payload-data";

const TEXTS = Number(process.env.BENCH_MAP_TEXTS ?? 150_000);
const REPEATS = 3;
const ADMIN = { email: "bench@map.test", password: "bench-map-password" };

interface PageFigures {
  fetchMs: number;
  decodeMs: number;
  drawMs: number;
  untilDrawnMs: number;
}

const created = await createBenchDatabase();
const generator = new pg.Client({ connectionString: created.url });
const home = mkdtempSync(join(tmpdir(), "finemed-map-draw-"));
let db: Database | null = null;
let studio: ChildProcess | null = null;
const browser = await launchBenchChromium();
try {
  db = await connectDatabase({ url: created.url });
  await generator.connect();
  console.log(`map draw bench: ${(TEXTS * 2).toLocaleString()} points on ${describeServer(created.url)}`);
  const projectionId = await generateMapProjection(generator, db, TEXTS);
  await db.close();
  db = null;

  const built = await startBuiltStudio(created.url, home, ADMIN);
  studio = built.process;
  const context = await signedInContext(browser, built, ADMIN, { width: 1400, height: 1000 });
  const page = await context.newPage();
  const scatter: PageFigures[] = [];
  for (let i = 0; i <= REPEATS; i++) {
    const started = Date.now();
    await page.goto(`/map?projection=${projectionId}`);
    await page.locator(`[data-testid=map-scatter][data-drawn-points="${TEXTS * 2}"]`).waitFor({ timeout: 300_000 });
    const untilDrawnMs = Date.now() - started;
    const status = await page.getByTestId("map-status").innerText();
    const [, fetchMs, decodeMs] = /fetched in (\d+) ms, decoded in ([\d.]+) ms/.exec(status) ?? [];
    const drawMs = Number(await page.getByTestId("map-scatter").getAttribute("data-draw-ms"));
    if (i > 0) scatter.push({ fetchMs: Number(fetchMs), decodeMs: Number(decodeMs), drawMs, untilDrawnMs });
  }

  // Canvas 2D, same points, same canvas size: one fillRect per point (no WebGL, no pan/zoom/lasso).
  const canvas2d = await page.evaluate(async (projection) => {
    const buffer = await (await fetch(`/api/map/points?projection=${projection}`)).arrayBuffer();
    const header = new DataView(buffer);
    const count = header.getUint32(8, true);
    const xOffset = Math.ceil((16 + header.getUint32(12, true)) / 8) * 8;
    const x = new Float32Array(buffer, xOffset, count);
    const y = new Float32Array(buffer, xOffset + count * 4, count);
    const frame = document.querySelector("[data-testid=map-scatter] canvas")!.getBoundingClientRect();
    const board = document.createElement("canvas");
    board.width = frame.width;
    board.height = frame.height;
    document.body.append(board);
    const context = board.getContext("2d")!;
    const times: number[] = [];
    for (let round = 0; round < 3; round++) {
      const started = performance.now();
      context.clearRect(0, 0, board.width, board.height);
      const palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"];
      let minX = Infinity,
        maxX = -Infinity,
        minY = Infinity,
        maxY = -Infinity;
      for (let i = 0; i < count; i++) {
        minX = Math.min(minX, x[i]!);
        maxX = Math.max(maxX, x[i]!);
        minY = Math.min(minY, y[i]!);
        maxY = Math.max(maxY, y[i]!);
      }
      for (let i = 0; i < count; i++) {
        context.fillStyle = palette[i % palette.length]!;
        context.fillRect(((x[i]! - minX) / (maxX - minX)) * (board.width - 2), ((y[i]! - minY) / (maxY - minY)) * (board.height - 2), 2, 2);
      }
      context.getImageData(0, 0, 1, 1); // forces the drawing to finish before the clock stops
      times.push(performance.now() - started);
    }
    board.remove();
    return times;
  }, projectionId);

  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  console.log(
    formatTable(
      ["renderer", "points", "fetch ms", "decode ms", "draw ms", "navigation → all drawn ms"],
      [
        [
          "regl-scatterplot (WebGL, SwiftShader)",
          (TEXTS * 2).toLocaleString(),
          String(median(scatter.map((s) => s.fetchMs))),
          median(scatter.map((s) => s.decodeMs)).toFixed(1),
          String(median(scatter.map((s) => s.drawMs))),
          String(median(scatter.map((s) => s.untilDrawnMs))),
        ],
        ["Canvas 2D fillRect (alternative)", (TEXTS * 2).toLocaleString(), "–", "–", median(canvas2d).toFixed(0), "–"],
      ],
    ),
  );
  const path = await writeBenchResult("map-payload-draw", {
    machine: machineDescription(),
    points: TEXTS * 2,
    scatter,
    canvas2dMs: canvas2d,
  });
  console.log(`  wrote ${path}`);
} finally {
  await browser.close();
  if (studio && studio.exitCode === null) {
    const exited = new Promise((resolve) => studio!.once("exit", resolve));
    studio.kill("SIGTERM");
    await exited;
  }
  await generator.end().catch(() => undefined);
  await db?.close();
  await created.drop();
  rmSync(home, { recursive: true, force: true });
}
