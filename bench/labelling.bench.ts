// Focus mode at scale (issue 16): a generated run of BENCH_LABELLING_TEXTS texts (default 500,000 →
// 1,000,000 samples, bench/curation-data.ts) served by the built studio (`finemed serve --no-demo`, the
// build in FINEMED_NEXT_DIR or .next, else a new one). Measured:
//  1. in headless Chromium, keyboard-driven: key press → the next sample's id in the DOM and painted
//     (p50/p95 over the decisions; accepts, relabels and skips, as a curator mixes them);
//  2. server time per decision: POST /api/focus/decisions over loopback (Playwright's client, and this
//     process's fetch, which has no driver process in between), beside the same route handler
//     called in this process (gate, decision, audit event; no HTTP, no Next), beside decideFocusSample
//     through lib/ and beside the raw SQL of the same write (lock, version check, update) on plain pg;
//  3. the ceiling: decisions per minute with CLIENTS concurrent writers for WINDOW_MS.
// Writes bench/out/labelling.json.
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { APIRequestContext } from "@playwright/test";
import { connectDatabase, type Database } from "../lib/db/database";
import { refreshSamples } from "../lib/samples";
import { decideFocusSample } from "../lib/labels/focus-decision";
import { createBenchDatabase, describeServer } from "./bench-database";
import { launchBenchChromium, signedInContext, startBuiltStudio } from "./built-studio";
import { formatTable, machineDescription, writeBenchResult } from "./bench-result";
import { generateCurationRun } from "./curation-data";
import { ms, percentiles } from "./curation-stats";

const TEXTS = Number(process.env.BENCH_LABELLING_TEXTS ?? 500_000);
const KEYED = Number(process.env.BENCH_LABELLING_KEYS ?? 150);
const WRITES = 200;
const CLIENTS = 4;
const PAUSE_MS = 400;
const WINDOW_MS = 10_000;
const ADMIN = { email: "bench@labelling.test", password: "bench-labelling-password" };

interface Target {
  id: number;
  version: number;
}

async function keptSamples(client: pg.Client, count: number, offset: number): Promise<Target[]> {
  const result = await client.query<{ instruction_id: string; label_version: number }>(
    `SELECT instruction_id, label_version FROM samples WHERE status = 'kept' ORDER BY instruction_id DESC OFFSET $1 LIMIT $2`,
    [offset, count],
  );
  return result.rows.map((row) => ({ id: Number(row.instruction_id), version: row.label_version }));
}

const decisionOf = (index: number) =>
  index % 2 === 0 ? { kind: "confirm" as const } : { kind: "relabel" as const, to: { primary: "Surgery", secondary: "Urology" } };

/** The write a decision makes, as bare SQL: what the route's lib call sends, without the taxonomy read or validation. */
async function rawDecision(client: pg.Client, target: Target, index: number, relabelTo: [number, number]): Promise<void> {
  await client.query("BEGIN");
  const row = await client.query<{
    label_version: number;
    curated_primary_id: number | null;
    curated_secondary_id: number | null;
    model_primary_id: number;
    model_secondary_id: number | null;
  }>(
    `SELECT label_version, curated_primary_id, curated_secondary_id, model_primary_id, model_secondary_id FROM samples WHERE instruction_id = $1 FOR UPDATE`,
    [target.id],
  );
  const sample = row.rows[0]!;
  if (sample.label_version !== target.version) throw new Error("raw SQL baseline: version moved");
  const to = index % 2 === 0 ? [sample.model_primary_id, sample.model_secondary_id] : relabelTo;
  await client.query(
    `UPDATE samples SET curated_primary_id = $2, curated_secondary_id = $3, primary_id = $2, secondary_id = $3, label_version = $4, updated_at = now() WHERE instruction_id = $1`,
    [target.id, to[0], to[1], target.version + 1],
  );
  await client.query(
    `INSERT INTO label_changes (instruction_id, version, from_primary_id, from_secondary_id, to_primary_id, to_secondary_id, kind, actor, reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'bench', 'raw')`,
    [
      target.id,
      target.version + 1,
      sample.curated_primary_id,
      sample.curated_secondary_id,
      to[0],
      to[1],
      index % 2 === 0 ? "confirm" : "relabel",
    ],
  );
  await client.query("COMMIT");
}

async function httpDecision(request: APIRequestContext, base: string, target: Target, index: number): Promise<void> {
  const response = await request.post("/api/focus/decisions", {
    data: { instructionId: target.id, expectedVersion: target.version, decision: decisionOf(index), reason: null },
    headers: { origin: base },
  });
  if (!response.ok()) throw new Error(`decision on ${target.id}: ${response.status()} ${await response.text()}`);
}

// In the page: the time from a keydown to the frame after a different sample is shown (the attribute moving,
// or, if the buffer ran dry, a new sample inserted later). rAF runs before paint, the message after it.
const KEY_TIMER = `
  window.__keyAt = null;
  window.__keyFrom = null;
  window.__advanceMs = [];
  function shownSample() {
    var node = document.querySelector("[data-testid=focus-sample]");
    return node ? node.getAttribute("data-sample-id") : null;
  }
  window.addEventListener("keydown", function () {
    window.__keyAt = performance.now();
    window.__keyFrom = shownSample();
  }, true);
  new MutationObserver(function () {
    var at = window.__keyAt;
    var now = shownSample();
    if (at === null || now === null || now === window.__keyFrom) return;
    window.__keyAt = null;
    requestAnimationFrame(function () {
      var channel = new MessageChannel();
      channel.port1.onmessage = function () { window.__advanceMs.push(performance.now() - at); };
      channel.port2.postMessage(null);
    });
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-sample-id"] });
`;

// One signing key for the studio and this process, so the studio's session cookie opens the route here too.
process.env.BETTER_AUTH_SECRET ??= randomBytes(32).toString("base64url");
const created = await createBenchDatabase();
const generator = new pg.Client({ connectionString: created.url });
const raw = new pg.Client({ connectionString: created.url });
const home = mkdtempSync(join(tmpdir(), "finemed-labelling-"));
let studio: ChildProcess | null = null;
const browser = await launchBenchChromium();
try {
  const db = await connectDatabase({ url: created.url });
  await generator.connect();
  await raw.connect();
  console.log(
    `labelling bench: ${TEXTS.toLocaleString()} texts → ${(TEXTS * 2).toLocaleString()} samples on ${describeServer(created.url)}`,
  );
  const run = await generateCurationRun(generator, TEXTS, (step, elapsed) =>
    console.log(`  generate ${step}: ${(elapsed / 1000).toFixed(1)} s`),
  );
  let started = performance.now();
  const refreshed = await refreshSamples(db, run.runId);
  console.log(`  refreshSamples: ${refreshed.samples.toLocaleString()} samples in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await generator.query("VACUUM ANALYZE samples");
  await generator.query("VACUUM ANALYZE sample_documents");
  const sampleCount = Number((await generator.query<{ n: string }>("SELECT count(*) AS n FROM samples")).rows[0]!.n);

  // Server-side writes first, on samples the browser will not reach (it starts from the lowest ids).
  const [libTargets, rawTargets, httpTargets] = [
    await keptSamples(generator, WRITES, 0),
    await keptSamples(generator, WRITES, WRITES),
    await keptSamples(generator, WRITES, 2 * WRITES),
  ];
  const libMs: number[] = [];
  for (const [index, target] of libTargets.entries()) {
    started = performance.now();
    await decideFocusSample(db, {
      instructionId: target.id,
      expectedVersion: target.version,
      decision: decisionOf(index),
      reason: null,
      actor: "bench",
    });
    libMs.push(performance.now() - started);
  }
  const ids = await generator.query<{ name: string; id: number }>(`SELECT name, id FROM departments WHERE name IN ('Surgery', 'Urology')`);
  const idOf = (name: string) => ids.rows.find((row) => row.name === name)!.id;
  const rawMs: number[] = [];
  for (const [index, target] of rawTargets.entries()) {
    started = performance.now();
    await rawDecision(raw, target, index, [idOf("Surgery"), idOf("Urology")]);
    rawMs.push(performance.now() - started);
  }
  await db.close();

  const built = await startBuiltStudio(created.url, home, ADMIN);
  studio = built.process;
  const base = built.base;
  const context = await signedInContext(browser, built, ADMIN, { width: 1440, height: 900 });

  // Warm the route (first compile of the handler, the pool's connections), then time it.
  const warm = await keptSamples(generator, 20, 3 * WRITES);
  for (const [index, target] of warm.entries()) await httpDecision(context.request, base, target, index);
  const httpMs: number[] = [];
  for (const [index, target] of httpTargets.entries()) {
    started = performance.now();
    await httpDecision(context.request, base, target, index);
    httpMs.push(performance.now() - started);
  }

  // The same handler in this process, called as Next calls it, with the same session cookie: what the
  // HTTP figure adds beyond it is Next.js and the loopback round trip.
  const studioCookie = (await context.request.storageState()).cookies.map((entry) => `${entry.name}=${entry.value}`).join("; ");
  // Playwright's request client lives in its driver process (every call crosses a pipe both ways), so
  // the same POST is also timed with this process's own fetch: loopback HTTP, Next and the handler only.
  const fetchMs: number[] = [];
  const fetchTargets = await keptSamples(generator, WRITES + 20, 4 * WRITES + 40);
  for (const [index, target] of fetchTargets.entries()) {
    started = performance.now();
    const response = await fetch(`${base}/api/focus/decisions`, {
      method: "POST",
      headers: { cookie: studioCookie, origin: base, "content-type": "application/json" },
      body: JSON.stringify({ instructionId: target.id, expectedVersion: target.version, decision: decisionOf(index), reason: null }),
    });
    const answer = await response.text();
    if (!response.ok) throw new Error(`fetch decision on ${target.id}: ${response.status} ${answer}`);
    if (index >= 20) fetchMs.push(performance.now() - started);
  }
  // The studio runs as production, so its cookie is __Secure- prefixed; this process is not, and reads the plain name.
  const cookie = studioCookie.replace(/(^|; )__Secure-/g, "$1");
  if (!cookie.includes("session_token="))
    throw new Error(`no session cookie to call the route in-process with (cookies: ${cookie || "none"})`);
  const shared = globalThis as typeof globalThis & { finemedDatabase?: Promise<Database> };
  shared.finemedDatabase = connectDatabase({ url: created.url });
  const { POST } = await import("../app/api/focus/decisions/route");
  const inProcess = (target: Target, index: number) =>
    POST(
      new Request(`${base}/api/focus/decisions`, {
        method: "POST",
        headers: { cookie, origin: base, host: new URL(base).host, "content-type": "application/json" },
        body: JSON.stringify({ instructionId: target.id, expectedVersion: target.version, decision: decisionOf(index), reason: null }),
      }),
      undefined,
    );
  const handlerMs: number[] = [];
  const handlerTargets = await keptSamples(generator, WRITES + 20, 3 * WRITES + 20);
  for (const [index, target] of handlerTargets.entries()) {
    started = performance.now();
    const response = await inProcess(target, index);
    if (!response.ok) throw new Error(`in-process decision on ${target.id}: ${response.status} ${await response.text()}`);
    if (index >= 20) handlerMs.push(performance.now() - started);
  }
  await (await shared.finemedDatabase).close();
  shared.finemedDatabase = undefined;

  // The ceiling: CLIENTS writers deciding distinct samples as fast as the studio answers.
  const pool = await keptSamples(generator, 20_000, 5 * WRITES + 60);
  let next = 0;
  const deadline = performance.now() + WINDOW_MS;
  const counts = await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      let made = 0;
      while (performance.now() < deadline && next < pool.length) {
        const index = next++;
        await httpDecision(context.request, base, pool[index]!, index);
        made += 1;
      }
      return made;
    }),
  );
  const perMinute = (counts.reduce((a, b) => a + b, 0) * 60_000) / WINDOW_MS;
  console.log(
    `  server: http p95 ${ms(percentiles(httpMs).p95)} ms, handler p95 ${ms(percentiles(handlerMs).p95)} ms, lib p95 ${ms(percentiles(libMs).p95)} ms, raw p95 ${ms(percentiles(rawMs).p95)} ms`,
  );
  console.log(`  ceiling: ${Math.round(perMinute)} decisions per minute`);

  // Keyboard-driven: key → next sample painted, measured in the page itself.
  const page = await context.newPage();
  // Plain text, not a function: tsx's esbuild wraps named functions in a __name helper the page lacks.
  await page.addInitScript({ content: KEY_TIMER });
  started = performance.now();
  await page.goto(`/samples/focus?run=${run.runId}`);
  await page.getByTestId("focus-sample").waitFor();
  const firstSampleMs = performance.now() - started;
  const sample = page.getByTestId("focus-sample");
  for (let index = 0; index < KEYED; index += 1) {
    const before = await sample.getAttribute("data-sample-id");
    const kind = index % 5;
    if (kind === 1 || kind === 3) {
      await page.keyboard.press(kind === 1 ? "2" : "4");
      await page.getByRole("group", { name: /^Secondary department under/ }).waitFor();
      await page.keyboard.press(kind === 1 ? "3" : "n");
    } else await page.keyboard.press(kind === 4 ? "s" : "a");
    await page.waitForFunction((id) => document.querySelector("[data-testid=focus-sample]")?.getAttribute("data-sample-id") !== id, before);
    // A brisk curator, still 6 times faster than 1,500 decisions an hour: the prefetch has this long to refill.
    await page.waitForTimeout(PAUSE_MS);
  }
  // A key whose sample was on screen before its measurement could be taken is left out; n says how many count.
  await page
    .waitForFunction((count) => (window as unknown as { __advanceMs: number[] }).__advanceMs.length >= count, KEYED, { timeout: 5_000 })
    .catch(() => undefined);
  const advanceMs = await page.evaluate(() => (window as unknown as { __advanceMs: number[] }).__advanceMs);
  console.log(`  keyboard: ${advanceMs.length} of ${KEYED} keys measured; slowest ${Math.max(...advanceMs).toFixed(1)} ms`);
  if (advanceMs.length === 0) throw new Error("no key was measured in the page");
  const notices = await page.getByTestId("focus-notice").allInnerTexts();
  if (notices.some((text) => text.includes("not saved"))) throw new Error(`a decision failed in the browser: ${notices.join(" ")}`);

  const advance = percentiles(advanceMs);
  const http = percentiles(httpMs);
  const handler = percentiles(handlerMs);
  const fetched = percentiles(fetchMs);
  const lib = percentiles(libMs);
  const bare = percentiles(rawMs);
  console.log(
    formatTable(
      ["measure", "p50 ms", "p95 ms", "goal p95", "n"],
      [
        ["key → next sample painted (Chromium, keyboard)", ms(advance.p50), ms(advance.p95), "< 100", String(advanceMs.length)],
        ["decision: POST /api/focus/decisions (Playwright client)", ms(http.p50), ms(http.p95), "< 50", String(httpMs.length)],
        ["decision: the same POST with Node's fetch (loopback)", ms(fetched.p50), ms(fetched.p95), "< 50", String(fetchMs.length)],
        ["decision: the route handler in-process (no HTTP, no Next)", ms(handler.p50), ms(handler.p95), "", String(handlerMs.length)],
        ["decision: decideFocusSample (lib/, no audit event)", ms(lib.p50), ms(lib.p95), "", String(libMs.length)],
        ["decision: raw SQL of the same write", ms(bare.p50), ms(bare.p95), "", String(rawMs.length)],
      ],
    ),
  );
  console.log(
    `  ceiling: ${Math.round(perMinute).toLocaleString()} decisions per minute (${CLIENTS} concurrent writers, ${WINDOW_MS / 1000} s)`,
  );
  console.log(
    `  first sample of the queue on screen after navigation: ${firstSampleMs.toFixed(0)} ms; samples: ${sampleCount.toLocaleString()}`,
  );
  const path = await writeBenchResult("labelling", {
    machine: machineDescription(),
    samples: sampleCount,
    advanceMs: advance,
    httpMs: http,
    handlerMs: handler,
    fetchMs: fetched,
    libMs: lib,
    rawMs: bare,
    ceilingPerMinute: perMinute,
    firstSampleMs,
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
  await raw.end().catch(() => undefined);
  await created.drop();
  rmSync(home, { recursive: true, force: true });
}
