// Curation at 1M instructions (issue 4): generates a paper-shaped run straight into the run tables,
// builds samples with refreshSamples, then times the browser's requests through lib/ (p50/p95 over
// ≥ 50 requests each) beside the bare SQL of exactly the statements each request sent, plus a bulk
// relabel of ~100,000 rows and its undo. Writes bench/out/curation.json.
import { readFileSync } from "node:fs";
import pg from "pg";
import { connectDatabase, type Database } from "../lib/db/database";
import {
  countSamples,
  departmentDistribution,
  histogram,
  pageSamples,
  pipelineFunnel,
  refreshSamples,
  sampleDetail,
  type SampleQueryInput,
} from "../lib/samples";
import { encodeCursor } from "../lib/samples/sample-cursor";
import { bulkRelabel, previewBulkRelabel, reviewQueue, undoBulkOperation } from "../lib/labels";
import { createBenchDatabase, describeServer } from "./bench-database";
import { formatTable, machineDescription, writeBenchResult } from "./bench-result";
import { generateCurationRun } from "./curation-data";
import { isRequestQuery, recordingDatabase, type RecordedStatement } from "./curation-recorder";
import { ms, percentiles, type Percentiles } from "./curation-stats";

const TEXTS = Number(process.env.BENCH_CURATION_TEXTS ?? 500_000);
const PAGE = 50;
// Offset 900,000 at the full size; 90% of the way in on a smaller run.
const DEEP_OFFSET = Math.floor(TEXTS * 2 * 0.9);

interface Measured {
  name: string;
  goalMs: number | null;
  lib: Percentiles;
  raw: Percentiles;
}

function rssMiB(pid: number | "self"): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

async function backendRssMiB(admin: pg.Client, database: string): Promise<number> {
  const pids = await admin.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = $1", [database]);
  return pids.rows.reduce((sum, row) => sum + rssMiB(row.pid), 0);
}

async function replay(raw: pg.Client, statements: RecordedStatement[], rollback: boolean): Promise<number> {
  const body = statements.filter(isRequestQuery);
  if (rollback) await raw.query("BEGIN");
  const started = performance.now();
  for (const statement of body) await raw.query(statement.text, statement.values);
  const elapsed = performance.now() - started;
  if (rollback) await raw.query("ROLLBACK");
  return elapsed;
}

/** Times each request through lib, then the same statements bare on one plain connection. */
async function measure(
  name: string,
  goalMs: number | null,
  recorder: ReturnType<typeof recordingDatabase>,
  raw: pg.Client,
  requests: ((db: Database) => Promise<unknown>)[],
): Promise<Measured> {
  const libTimes: number[] = [];
  const recorded: RecordedStatement[][] = [];
  for (const request of requests) {
    recorder.take();
    const started = performance.now();
    await request(recorder.db);
    libTimes.push(performance.now() - started);
    recorded.push(recorder.take());
  }
  const rawTimes: number[] = [];
  for (const statements of recorded) rawTimes.push(await replay(raw, statements, false));
  const result = { name, goalMs, lib: percentiles(libTimes), raw: percentiles(rawTimes) };
  console.log(
    `${name}: lib p50 ${ms(result.lib.p50)} p95 ${ms(result.lib.p95)} ms; raw p50 ${ms(result.raw.p50)} p95 ${ms(result.raw.p95)} ms (n=${result.lib.n})`,
  );
  return result;
}

/** Requests that walk `pages` consecutive pages of one query, each page's cursor from the one before. */
function walkPages(query: SampleQueryInput, pages: number): ((db: Database) => Promise<unknown>)[] {
  let after: string | undefined = query.after;
  return Array.from({ length: pages }, () => async (db: Database) => {
    const page = await pageSamples(db, { ...query, after });
    after = page.nextCursor ?? undefined;
    return page;
  });
}

const created = await createBenchDatabase();
const databaseName = new URL(created.url).pathname.slice(1);
const admin = new pg.Client({ connectionString: created.url.replace(`/${databaseName}`, "/postgres") });
const generator = new pg.Client({ connectionString: created.url });
let db: Database | null = null;
let rawClient: pg.Client | null = null;
try {
  const benchStarted = performance.now();
  db = await connectDatabase({ url: created.url });
  await admin.connect();
  await generator.connect();
  const server = (await generator.query<{ version: string }>("SELECT version()")).rows[0]!.version;
  console.log(
    `curation bench: ${TEXTS.toLocaleString()} texts → ${(TEXTS * 2).toLocaleString()} instructions on ${describeServer(created.url)}`,
  );
  const generation: Record<string, number> = {};
  const run = await generateCurationRun(generator, TEXTS, (step, elapsed) => {
    generation[step] = elapsed;
    console.log(`  generate ${step}: ${(elapsed / 1000).toFixed(1)} s`);
  });

  let started = performance.now();
  const refreshed = await refreshSamples(db, run.runId);
  const fullRefreshSeconds = (performance.now() - started) / 1000;
  console.log(`refreshSamples (whole run): ${refreshed.samples.toLocaleString()} samples in ${fullRefreshSeconds.toFixed(1)} s`);
  started = performance.now();
  await generator.query("VACUUM ANALYZE samples");
  await generator.query("VACUUM ANALYZE sample_documents");
  const vacuumSeconds = (performance.now() - started) / 1000;

  // The lead's path: a batch commits, then its texts are refreshed. Removing a batch's samples first
  // makes each refresh insert 1,000 samples, as after a real batch.
  const batchTimes: number[] = [];
  for (let batch = 0; batch < 20; batch++) {
    const ids = Array.from({ length: 500 }, (_, i) => 1 + ((batch * 24_989 + i * 997) % TEXTS));
    await db.pool.query("DELETE FROM samples WHERE run_id = $1 AND source_text_id = ANY($2::bigint[])", [run.runId, ids]);
    const t = performance.now();
    await refreshSamples(db, run.runId, ids);
    batchTimes.push(performance.now() - t);
  }
  const batchRefresh = percentiles(batchTimes);
  console.log(`refreshSamples (a 500-text batch, 1,000 samples): p50 ${ms(batchRefresh.p50)} p95 ${ms(batchRefresh.p95)} ms`);
  await generator.query("VACUUM ANALYZE samples");

  const recorder = recordingDatabase(db);
  // A fresh plain connection with the server's default settings (the generator's session raised
  // work_mem and turned off synchronous_commit), so raw and lib figures differ only by lib.
  const raw = new pg.Client({ connectionString: created.url });
  await raw.connect();
  rawClient = raw;
  const memoryBefore = {
    nodeRssMiB: rssMiB("self"),
    heapMiB: process.memoryUsage().heapUsed / 2 ** 20,
    backendsRssMiB: await backendRssMiB(admin, databaseName),
  };

  const filtered: SampleQueryInput[] = [
    { filters: { status: ["kept"], quality: { min: 7 } }, sort: { field: "reward", direction: "desc" }, limit: PAGE },
    { filters: { primary: ["Surgery"], tier: ["complex"] }, sort: { field: "difficulty", direction: "desc" }, limit: PAGE },
    { filters: { secondary: ["Cardiology"] }, sort: { field: "quality", direction: "asc" }, limit: PAGE },
    { filters: { status: ["none_kept"], relevance: { max: 4 } }, sort: { field: "id", direction: "desc" }, limit: PAGE },
    {
      filters: { overridden: false, mentionsDetails: false, quality: { min: 5, max: 8 } },
      sort: { field: "relevance", direction: "asc" },
      limit: PAGE,
    },
    { filters: { text: "glaucoma acupuncture" }, sort: { field: "quality", direction: "desc" }, limit: PAGE },
    { filters: { text: '"heart failure" -metformin', status: ["kept"] }, sort: { field: "reward", direction: "asc" }, limit: PAGE },
  ];
  const results: Measured[] = [];
  results.push(
    await measure(
      "filtered + sorted page (7 filters × 10 consecutive pages)",
      50,
      recorder,
      raw,
      filtered.flatMap((q) => walkPages(q, 10)),
    ),
  );
  for (const q of filtered) {
    const f = q.filters ?? {};
    const label = Object.entries(f)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(" ");
    results.push(await measure(`  ${label}, ${q.sort?.field}.${q.sort?.direction}`, 50, recorder, raw, walkPages(q, 10)));
  }
  results.push(
    await measure(
      'full-text page, common term ("insulin", 1 in 18 rows) sorted by quality',
      50,
      recorder,
      raw,
      walkPages({ filters: { text: "insulin" }, sort: { field: "quality", direction: "desc" }, limit: PAGE }, 50),
    ),
  );

  // The row at offset 900,000 of each order, found once with OFFSET (the scan keyset pagination avoids).
  const deep: { sort: SampleQueryInput["sort"]; column: string; offsetMs: number; cursor: string }[] = [];
  for (const [field, direction, column] of [
    ["quality", "desc", "quality"],
    ["reward", "asc", "reward_score"],
    ["difficulty", "asc", "difficulty"],
    ["id", "asc", "instruction_id"],
  ] as const) {
    const dir = direction.toUpperCase();
    const t = performance.now();
    const row = await raw.query<{ value: number | null; id: number }>(
      `SELECT ${column}::float8 AS value, instruction_id AS id FROM samples ORDER BY ${column} IS NULL, ${column} ${dir}, instruction_id ${dir} OFFSET ${DEEP_OFFSET - 1} LIMIT 1`,
    );
    const offsetMs = performance.now() - t;
    const { value, id } = row.rows[0]!;
    deep.push({ sort: { field, direction }, column, offsetMs, cursor: encodeCursor({ field, direction, value, id }) });
  }
  results.push(
    await measure(
      `page at offset ${DEEP_OFFSET.toLocaleString()} via keyset (4 orders × 15 pages)`,
      50,
      recorder,
      raw,
      deep.flatMap((d) => walkPages({ sort: d.sort, after: d.cursor, limit: PAGE }, 15)),
    ),
  );

  const aggregates: ((db: Database) => Promise<unknown>)[] = [
    (d) => histogram(d, "quality"),
    (d) => histogram(d, "reward", { status: ["kept"] }, "tier"),
    (d) => histogram(d, "difficulty", { status: ["kept"] }, "primary"),
    (d) => histogram(d, "relevance", { quality: { min: 6 } }, "status"),
    (d) => departmentDistribution(d, "primary"),
    (d) => departmentDistribution(d, "secondary"),
    (d) => pipelineFunnel(d, run.runId),
    (d) => countSamples(d, { quality: { min: 7 } }),
    (d) => countSamples(d, { secondary: ["Cardiology"], tier: ["complex"] }),
  ];
  results.push(
    await measure(
      "histogram / distribution / funnel / count (9 kinds × 7)",
      300,
      recorder,
      raw,
      Array.from({ length: 63 }, (_, i) => aggregates[i % aggregates.length]!),
    ),
  );
  for (const [i, name] of [
    "histogram quality (all rows)",
    "histogram reward by tier (kept)",
    "histogram difficulty by primary (kept)",
    "histogram relevance by status (quality ≥ 6)",
    "distribution primary model vs curated",
    "distribution secondary model vs curated",
    "pipeline funnel",
    "count, capped (quality ≥ 7)",
    "count, exact (Cardiology, complex)",
  ].entries()) {
    results.push(
      await measure(
        `  ${name}`,
        300,
        recorder,
        raw,
        Array.from({ length: 10 }, () => aggregates[i]!),
      ),
    );
  }

  const detailIds = (
    await raw.query<{ id: number }>(
      "SELECT instruction_id AS id FROM samples WHERE status = 'kept' ORDER BY instruction_id LIMIT 50 OFFSET 1000",
    )
  ).rows.map((r) => r.id);
  results.push(
    await measure(
      "sample detail (drawer)",
      null,
      recorder,
      raw,
      detailIds.map((id) => (d: Database) => sampleDetail(d, id)),
    ),
  );
  let reviewAfter: string | undefined;
  let reviewThreshold: number | null | undefined;
  const reviewPages = Array.from({ length: 50 }, (_, i) => async (d: Database) => {
    if (i % 10 === 0) reviewAfter = undefined;
    const page = await reviewQueue(d, { after: reviewAfter, limit: PAGE, lowRewardBelow: reviewThreshold });
    reviewAfter = page.nextCursor ?? undefined;
    reviewThreshold = page.lowRewardBelow;
    return page;
  });
  results.push(await measure("review queue (5 × 10 consecutive pages)", null, recorder, raw, reviewPages));
  const memoryAfter = {
    nodeRssMiB: rssMiB("self"),
    heapMiB: process.memoryUsage().heapUsed / 2 ** 20,
    backendsRssMiB: await backendRssMiB(admin, databaseName),
  };

  // Bulk relabel of everything the model put in Surgery (~100,000 kept samples), then its undo.
  const selection = { filter: { status: ["kept" as const], labelSource: "model" as const, primary: ["Surgery"] } };
  const to = { primary: "Other Departments", secondary: "Rehabilitation Medicine" };
  const bulk: { previewMs: number; count: number; libMs: number; rawMs: number; undoMs: number; undoRawMs: number; restored: number }[] =
    [];
  for (let round = 0; round < 3; round++) {
    let t = performance.now();
    const previewCount = await previewBulkRelabel(db, selection, to);
    const previewMs = performance.now() - t;
    recorder.take();
    t = performance.now();
    const applied = await bulkRelabel(recorder.db, selection, to, "bench", "bench");
    const libMs = performance.now() - t;
    const statements = recorder.take();
    if (applied.count !== previewCount) throw new Error(`bulk relabel changed ${applied.count} rows, preview said ${previewCount}`);
    t = performance.now();
    const undone = await undoBulkOperation(recorder.db, applied.bulkOperationId, "bench");
    const undoMs = performance.now() - t;
    const undoStatements = recorder.take();
    // The same statements bare, relabel then undo, in one rolled-back transaction with the table back in
    // its starting state (the operation's own row is already stored, so that insert is left out).
    const relabelStatement = statements.find((st) => /WITH target AS/.test(st.text))!;
    const undoStatement = undoStatements.find((st) => /WITH target AS/.test(st.text))!;
    await raw.query("BEGIN");
    let u = performance.now();
    await raw.query(relabelStatement.text, relabelStatement.values);
    const rawMs = performance.now() - u;
    u = performance.now();
    await raw.query(undoStatement.text, undoStatement.values);
    const undoRawMs = performance.now() - u;
    await raw.query("ROLLBACK");
    bulk.push({ previewMs, count: applied.count, libMs, rawMs, undoMs, undoRawMs, restored: undone.restored });
    console.log(
      `bulk relabel: ${applied.count.toLocaleString()} rows in ${(libMs / 1000).toFixed(2)} s (raw ${(rawMs / 1000).toFixed(2)} s, preview ${ms(previewMs)} ms); undo ${undone.restored.toLocaleString()} in ${(undoMs / 1000).toFixed(2)} s (raw ${(undoRawMs / 1000).toFixed(2)} s)`,
    );
    await raw.query("VACUUM samples");
  }

  const sizes = (
    await raw.query<{ relation: string; size: string }>(
      `SELECT relname AS relation, pg_size_pretty(pg_total_relation_size(c.oid)) AS size FROM pg_class c
      WHERE relname IN ('samples', 'sample_documents', 'label_changes') ORDER BY relname`,
    )
  ).rows;

  console.log("");
  console.log(
    formatTable(
      ["request", "lib p50 ms", "lib p95 ms", "raw SQL p50", "raw SQL p95", "goal p95", "n"],
      results.map((r) => [
        r.name,
        ms(r.lib.p50),
        ms(r.lib.p95),
        ms(r.raw.p50),
        ms(r.raw.p95),
        r.goalMs === null ? "–" : `< ${r.goalMs}`,
        String(r.lib.n),
      ]),
    ),
  );
  console.log(
    `OFFSET ${DEEP_OFFSET.toLocaleString()} with a plain query, for contrast: ${deep.map((d) => `${d.sort?.field}.${d.sort?.direction} ${ms(d.offsetMs)} ms`).join(", ")}`,
  );
  console.log(
    `memory before → after the read requests: node RSS ${memoryBefore.nodeRssMiB.toFixed(0)} → ${memoryAfter.nodeRssMiB.toFixed(0)} MiB, heap ${memoryBefore.heapMiB.toFixed(0)} → ${memoryAfter.heapMiB.toFixed(0)} MiB, server backends ${memoryBefore.backendsRssMiB.toFixed(0)} → ${memoryAfter.backendsRssMiB.toFixed(0)} MiB`,
  );
  console.log(
    `sizes: ${sizes.map((s) => `${s.relation} ${s.size}`).join(", ")}; total bench ${((performance.now() - benchStarted) / 1000).toFixed(0)} s`,
  );
  await writeBenchResult("curation", {
    machine: machineDescription(),
    server,
    texts: TEXTS,
    instructions: run.instructions,
    generationMs: generation,
    fullRefreshSeconds,
    vacuumSeconds,
    batchRefresh,
    results,
    deepOffsetMs: deep.map((d) => ({ sort: d.sort, offsetMs: d.offsetMs })),
    bulk,
    memoryBefore,
    memoryAfter,
    sizes,
  });
} finally {
  await db?.close();
  await generator.end().catch(() => undefined);
  await rawClient?.end().catch(() => undefined);
  await admin.end().catch(() => undefined);
  await created.drop();
}
