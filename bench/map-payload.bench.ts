// The map's point payload at 300,000 points (issue 5): a generated run of 150,000 texts (300,000
// samples) gets a projection with a point per sample; GET /api/map/points, the real route handler
// behind a plain node:http server, is fetched over HTTP and the payload decoded as the page does.
// Goal: fetch + decode < 2 s. Writes bench/out/map-payload.json.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { connectDatabase, type Database } from "../lib/db/database";
import { createServiceToken } from "../lib/auth/service-tokens";
import { decodePointPayload, parseMapPointsParams, readMapPoints } from "../lib/map-points";
import { GET } from "../app/api/map/points/route";
import { createBenchDatabase, describeServer } from "./bench-database";
import { formatTable, machineDescription, writeBenchResult } from "./bench-result";
import { generateMapProjection } from "./map-payload-data";

const TEXTS = Number(process.env.BENCH_MAP_TEXTS ?? 150_000);
const REPEATS = 5;
const GOAL_SECONDS = 2;

interface Timing {
  label: string;
  search: string;
  bytes: number;
  points: number;
  /** Median and worst of REPEATS, milliseconds. */
  fetchMs: { median: number; max: number };
  decodeMs: { median: number; max: number };
  totalMs: { median: number; max: number };
  /** The database query and encoding alone, in process (median). */
  serverMs: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Serves the route handler over real HTTP, as Next would, without a Next build in the bench. */
function serveRoute(token: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    void (async () => {
      const request = new Request(`http://127.0.0.1${incoming.url}`, {
        headers: { authorization: incoming.headers.authorization ?? `Bearer ${token}` },
      });
      const response = await GET(request, undefined);
      outgoing.writeHead(response.status, Object.fromEntries(response.headers));
      outgoing.end(Buffer.from(await response.arrayBuffer()));
    })().catch((error: unknown) => {
      outgoing.writeHead(500);
      outgoing.end(String(error));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise((done) => server.close(() => done())),
      }),
    ),
  );
}

const created = await createBenchDatabase();
const generator = new pg.Client({ connectionString: created.url });
let db: Database | null = null;
let served: { url: string; close(): Promise<void> } | null = null;
try {
  db = await connectDatabase({ url: created.url });
  await generator.connect();
  console.log(`map payload bench: ${(TEXTS * 2).toLocaleString()} samples on ${describeServer(created.url)}`);
  let started = performance.now();
  const projectionId = await generateMapProjection(generator, db, TEXTS);
  console.log(`  generated run, samples and projection in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  (globalThis as { finemedDatabase?: Promise<Database> }).finemedDatabase = Promise.resolve(db);
  const { token } = await createServiceToken(db, { name: "map-bench", role: "viewer" }, "bench");
  served = await serveRoute(token);

  const cases = [
    { label: "all points", search: `projection=${projectionId}` },
    { label: "filtered (quality ≥ 7, common)", search: `projection=${projectionId}&quality.min=7&tier=common` },
    { label: "highlight search", search: `projection=${projectionId}&highlight=metformin` },
  ];
  const timings: Timing[] = [];
  for (const { label, search } of cases) {
    const fetchMs: number[] = [];
    const decodeMs: number[] = [];
    const serverMs: number[] = [];
    let bytes = 0;
    let points = 0;
    // One warm-up: the first request also opens pool connections and loads the taxonomy.
    for (let i = 0; i <= REPEATS; i++) {
      started = performance.now();
      const response = await fetch(`${served.url}/api/map/points?${search}`, { headers: { authorization: `Bearer ${token}` } });
      if (!response.ok) throw new Error(`${label}: the route answered ${response.status}: ${await response.text()}`);
      const buffer = await response.arrayBuffer();
      const fetched = performance.now();
      const decoded = decodePointPayload(buffer);
      const done = performance.now();
      bytes = buffer.byteLength;
      points = decoded.count;
      if (i === 0) continue;
      fetchMs.push(fetched - started);
      decodeMs.push(done - fetched);
      started = performance.now();
      await readMapPoints(db, parseMapPointsParams(new URLSearchParams(search)));
      serverMs.push(performance.now() - started);
    }
    const totals = fetchMs.map((value, i) => value + decodeMs[i]!);
    timings.push({
      label,
      search,
      bytes,
      points,
      fetchMs: { median: median(fetchMs), max: Math.max(...fetchMs) },
      decodeMs: { median: median(decodeMs), max: Math.max(...decodeMs) },
      totalMs: { median: median(totals), max: Math.max(...totals) },
      serverMs: median(serverMs),
    });
  }

  console.log(
    formatTable(
      ["case", "points", "payload MiB", "fetch ms (med/max)", "decode ms (med/max)", "fetch+decode ms (med/max)", "query+encode ms"],
      timings.map((t) => [
        t.label,
        t.points.toLocaleString(),
        (t.bytes / 2 ** 20).toFixed(2),
        `${t.fetchMs.median.toFixed(0)} / ${t.fetchMs.max.toFixed(0)}`,
        `${t.decodeMs.median.toFixed(2)} / ${t.decodeMs.max.toFixed(2)}`,
        `${t.totalMs.median.toFixed(0)} / ${t.totalMs.max.toFixed(0)}`,
        t.serverMs.toFixed(0),
      ]),
    ),
  );
  const worst = Math.max(...timings.map((t) => t.totalMs.max));
  const pass = worst < GOAL_SECONDS * 1000;
  console.log(
    `  goal: fetch + decode of ${(TEXTS * 2).toLocaleString()} points < ${GOAL_SECONDS} s: ${pass ? "met" : "NOT met"} (worst ${worst.toFixed(0)} ms)`,
  );
  const path = await writeBenchResult("map-payload", {
    machine: machineDescription(),
    samples: TEXTS * 2,
    repeats: REPEATS,
    goalSeconds: GOAL_SECONDS,
    pass,
    timings,
  });
  console.log(`  wrote ${path}`);
  if (!pass) process.exitCode = 1;
} finally {
  await served?.close();
  await generator.end().catch(() => undefined);
  await db?.close();
  await created.drop();
}
