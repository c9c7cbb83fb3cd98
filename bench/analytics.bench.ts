// Analytics at 1M samples (issue 16): the Analytics page streams each chart as its own aggregate
// finishes (components/analytics/streamed-charts.tsx), so what a curator waits for is the first and
// the last of the page's aggregates (four, drawing ten charts) run together on the studio's pool. This times exactly that
// through lib/ beside the same recorded statements replayed bare, one plain connection per chart, and
// the review queue's first page. Then, unless BENCH_ANALYTICS_BROWSER=0, the same in Chromium against the
// built studio, arriving as a curator does: from Samples, a click on Analytics in the sidebar until the first
// and the last chart are on screen, and a click on "Review queue" until its table has rows. Writes
// bench/out/analytics.json.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { Page } from "@playwright/test";
import { connectDatabase, type Database } from "../lib/db/database";
import { histogram, pipelineFunnel, refreshSamples } from "../lib/samples";
import { departmentDistributions } from "../lib/samples/department-distribution";
import { integerScoreCharts } from "../lib/samples/score-charts";
import { reviewQueue } from "../lib/labels";
import { createBenchDatabase, describeServer } from "./bench-database";
import { launchBenchChromium, signedInContext, startBuiltStudio } from "./built-studio";
import { formatTable, machineDescription, writeBenchResult } from "./bench-result";
import { generateCurationRun } from "./curation-data";
import { isRequestQuery, recordingDatabase, type RecordedStatement } from "./curation-recorder";
import { ms, percentiles, type Percentiles } from "./curation-stats";

const TEXTS = Number(process.env.BENCH_ANALYTICS_TEXTS ?? 500_000);
const ROUNDS = Number(process.env.BENCH_ANALYTICS_ROUNDS ?? 7);
const BROWSER = process.env.BENCH_ANALYTICS_BROWSER !== "0";
// Seeding 1,000,000 samples takes minutes: BENCH_ANALYTICS_KEEP=1 keeps the bench's database (its URL is
// printed) and BENCH_ANALYTICS_REUSE=URL measures an earlier one again without seeding.
const KEEP = process.env.BENCH_ANALYTICS_KEEP === "1";
const REUSE = process.env.BENCH_ANALYTICS_REUSE?.trim() || null;
const ADMIN = { email: "bench@analytics.test", password: "bench-analytics-password" };

interface BrowserFigures {
  /** The page's shell (its heading and the charts' placeholders): what the navigation costs before any aggregate. */
  shell: Percentiles;
  firstChart: Percentiles;
  allCharts: Percentiles;
  reviewQueue: Percentiles;
}

const sidebar = (page: Page, name: string) => page.locator("aside.sidebar").getByRole("link", { name, exact: true });

/** From Samples, Analytics in the sidebar: ms until the first chart and until all of them are drawn, then the review queue. */
async function browserRound(page: Page): Promise<[number, number, number, number]> {
  await sidebar(page, "Samples").click();
  await page.getByRole("heading", { name: "Samples", level: 1 }).waitFor();
  const started = performance.now();
  await sidebar(page, "Analytics").click();
  await page.getByRole("heading", { name: "Analytics", level: 1 }).waitFor();
  const shell = performance.now() - started;
  await page.locator("section.chart-panel:not(.chart-loading)").first().waitFor();
  const first = performance.now() - started;
  await page.waitForFunction(
    (count) =>
      document.querySelectorAll("section.chart-panel:not(.chart-loading)").length >= count && !document.querySelector(".chart-loading"),
    CHART_COUNT,
    { polling: "raf", timeout: 120_000 },
  );
  const all = performance.now() - started;
  await sidebar(page, "Samples").click();
  await page.getByRole("heading", { name: "Samples", level: 1 }).waitFor();
  const reviewStarted = performance.now();
  await page.getByRole("link", { name: "Review queue" }).first().click();
  await page.getByRole("table", { name: "Review queue" }).locator("tbody tr").first().waitFor();
  return [first, all, performance.now() - reviewStarted, shell];
}

type Chart = { name: string; load: (db: Database) => Promise<unknown> };

// The page's aggregates (components/analytics/streamed-charts.tsx, no grouping): the funnel, one scan for
// the three judge scores' six charts (histograms and box plots), the reward histogram, one scan for both
// department charts.
const CHARTS: Chart[] = [
  { name: "pipeline funnel", load: (db) => pipelineFunnel(db) },
  { name: "judge scores: 3 histograms + 3 box plots (one scan)", load: (db) => integerScoreCharts(db) },
  { name: "reward histogram", load: (db) => histogram(db, "reward") },
  { name: "primary + secondary departments (one scan)", load: (db) => departmentDistributions(db) },
];
/** Chart panels on the page: the four aggregates above draw ten charts. */
const CHART_COUNT = 10;

/** Starts every task at once; returns when each finished, in ms from the start. */
async function together(tasks: (() => Promise<unknown>)[]): Promise<number[]> {
  const started = performance.now();
  return Promise.all(
    tasks.map(async (task) => {
      await task();
      return performance.now() - started;
    }),
  );
}

interface PageFigures {
  first: Percentiles;
  all: Percentiles;
}

function figures(rounds: number[][]): PageFigures {
  return { first: percentiles(rounds.map((r) => Math.min(...r))), all: percentiles(rounds.map((r) => Math.max(...r))) };
}

const created = REUSE ? { url: REUSE, drop: () => Promise.resolve() } : await createBenchDatabase();
const generator = new pg.Client({ connectionString: created.url });
const rawClients: pg.Client[] = [];
let db: Database | null = null;
try {
  db = await connectDatabase({ url: created.url });
  await generator.connect();
  const server = (await generator.query<{ version: string }>("SELECT version()")).rows[0]!.version;
  console.log(
    `analytics bench: ${TEXTS.toLocaleString()} texts → ${(TEXTS * 2).toLocaleString()} samples on ${describeServer(created.url)}`,
  );
  let samples: number;
  if (REUSE) {
    const counted = await generator.query<{ n: number }>("SELECT count(*)::int AS n FROM samples");
    console.log(`  reusing ${describeServer(REUSE)}: ${counted.rows[0]!.n.toLocaleString()} samples already there`);
    samples = counted.rows[0]!.n;
  } else {
    const run = await generateCurationRun(generator, TEXTS, (step, elapsed) =>
      console.log(`  generate ${step}: ${(elapsed / 1000).toFixed(1)} s`),
    );
    const refreshStarted = performance.now();
    const refreshed = await refreshSamples(db, run.runId);
    console.log(
      `refreshSamples: ${refreshed.samples.toLocaleString()} samples in ${((performance.now() - refreshStarted) / 1000).toFixed(1)} s`,
    );
    await generator.query("VACUUM ANALYZE samples");
    await generator.query("VACUUM ANALYZE run_texts");
    samples = refreshed.samples;
  }
  if (KEEP) console.log(`  keeping the database for BENCH_ANALYTICS_REUSE=${created.url}`);

  // Each chart's statements, recorded once (this also warms the cache as a first visit would).
  const recorder = recordingDatabase(db);
  const statements: RecordedStatement[][] = [];
  for (const chart of CHARTS) {
    recorder.take();
    await chart.load(recorder.db);
    statements.push(recorder.take().filter(isRequestQuery));
  }
  for (let i = 0; i < CHARTS.length; i++) {
    const client = new pg.Client({ connectionString: created.url });
    await client.connect();
    rawClients.push(client);
  }
  const replay = (client: pg.Client, list: RecordedStatement[]) => async () => {
    for (const statement of list) await client.query(statement.text, statement.values);
  };

  const libRounds: number[][] = [];
  const rawRounds: number[][] = [];
  for (let round = 0; round < ROUNDS; round++) {
    libRounds.push(await together(CHARTS.map((chart) => () => chart.load(db!))));
    rawRounds.push(await together(statements.map((list, i) => replay(rawClients[i]!, list))));
  }
  const lib = figures(libRounds);
  const raw = figures(rawRounds);
  const perChart = CHARTS.map((chart, i) => ({
    name: chart.name,
    lib: percentiles(libRounds.map((r) => r[i]!)),
    raw: percentiles(rawRounds.map((r) => r[i]!)),
  }));

  // The review queue's first page, as /samples/review opens it.
  recorder.take();
  await reviewQueue(recorder.db, { limit: 50 });
  const reviewStatements = recorder.take().filter(isRequestQuery);
  const reviewLib: number[] = [];
  const reviewRaw: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let t = performance.now();
    await reviewQueue(db, { limit: 50 });
    reviewLib.push(performance.now() - t);
    t = performance.now();
    await replay(rawClients[0]!, reviewStatements)();
    reviewRaw.push(performance.now() - t);
  }
  const review = { lib: percentiles(reviewLib), raw: percentiles(reviewRaw) };

  let browser: BrowserFigures | null = null;
  if (BROWSER) {
    const home = mkdtempSync(join(tmpdir(), "finemed-analytics-"));
    const chromium = await launchBenchChromium();
    const studio = await startBuiltStudio(created.url, home, ADMIN);
    try {
      const context = await signedInContext(chromium, studio, ADMIN, { width: 1440, height: 900 });
      const page = await context.newPage();
      await page.goto("/samples");
      await browserRound(page); // warm: the first visit compiles nothing in production, but fills caches
      const rounds: [number, number, number, number][] = [];
      for (let round = 0; round < ROUNDS; round++) rounds.push(await browserRound(page));
      browser = {
        shell: percentiles(rounds.map((r) => r[3])),
        firstChart: percentiles(rounds.map((r) => r[0])),
        allCharts: percentiles(rounds.map((r) => r[1])),
        reviewQueue: percentiles(rounds.map((r) => r[2])),
      };
    } finally {
      await chromium.close();
      const exited = new Promise((resolve) => studio.process.once("exit", resolve));
      studio.process.kill("SIGTERM");
      await exited;
      rmSync(home, { recursive: true, force: true });
    }
  }

  console.log("");
  console.log(
    formatTable(
      ["measure", "lib p50 ms", "lib p95 ms", "raw SQL p50", "raw SQL p95", "goal", "n"],
      [
        [
          "Analytics: first chart's aggregate done",
          ms(lib.first.p50),
          ms(lib.first.p95),
          ms(raw.first.p50),
          ms(raw.first.p95),
          "< 1000",
          String(ROUNDS),
        ],
        [
          "Analytics: all four aggregates done",
          ms(lib.all.p50),
          ms(lib.all.p95),
          ms(raw.all.p50),
          ms(raw.all.p95),
          "< 1500",
          String(ROUNDS),
        ],
        ...perChart.map((c) => [`  · ${c.name}`, ms(c.lib.p50), ms(c.lib.p95), ms(c.raw.p50), ms(c.raw.p95), "", String(ROUNDS)]),
        [
          "review queue, first page (50)",
          ms(review.lib.p50),
          ms(review.lib.p95),
          ms(review.raw.p50),
          ms(review.raw.p95),
          "< 1000",
          String(ROUNDS),
        ],
      ],
    ),
  );
  if (browser) {
    console.log("");
    console.log(
      formatTable(
        ["in Chromium, from the sidebar click", "p50 ms", "p95 ms", "goal", "n"],
        [
          ["Analytics: page shell on screen (heading, placeholders)", ms(browser.shell.p50), ms(browser.shell.p95), "", String(ROUNDS)],
          ["Analytics: first chart on screen", ms(browser.firstChart.p50), ms(browser.firstChart.p95), "< 1000", String(ROUNDS)],
          [
            `Analytics: all ${CHART_COUNT} charts on screen`,
            ms(browser.allCharts.p50),
            ms(browser.allCharts.p95),
            "< 1500",
            String(ROUNDS),
          ],
          ["review queue: first rows on screen", ms(browser.reviewQueue.p50), ms(browser.reviewQueue.p95), "< 1000", String(ROUNDS)],
        ],
      ),
    );
  }
  await writeBenchResult("analytics", {
    machine: machineDescription(),
    server,
    texts: TEXTS,
    samples,
    rounds: ROUNDS,
    lib,
    raw,
    perChart,
    review,
    browser,
  });
} finally {
  await db?.close();
  await generator.end().catch(() => undefined);
  for (const client of rawClients) await client.end().catch(() => undefined);
  if (!KEEP) await created.drop();
}
