/**
 * `npm run bench -- map-neighbours`: the neighbour index served from the worker (issue 11, item 3).
 * The worker side builds and stores the index of BENCH_MAP_NEIGHBOUR_POINTS synthetic 1024-d float16
 * vectors; then a fresh child process, standing for the web process, loads it and answers queries
 * while its RSS is sampled. Beside it, in another fresh child, the baseline: the first in-process
 * index (lib/neighbours/space-index.ts) built from all the vectors, as the web routes did.
 */
import { spawn } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { connectDatabase } from "../lib/db/database";
import { encodeVector, decodeVector } from "../lib/vectors/vector-codec";
import type { EmbeddingSpaceRow } from "../lib/embeddings/embedding-space";
import { buildNeighbourIndex, persistedIndex, searchIndex } from "../lib/neighbours/persisted-index";
import { SpaceIndex } from "../lib/neighbours/space-index";
import { rowOf } from "../lib/vectors/vector-matrix";
import { createBenchDatabase, describeServer } from "./bench-database";
import { formatTable, machineDescription, writeBenchResult } from "./bench-result";
import { DIMENSIONS, syntheticEmbeddings } from "./map-compute-data";

const POINTS = Number(process.env.BENCH_MAP_NEIGHBOUR_POINTS ?? 300_000);
const QUERIES = 300;
const mb = () => Math.round(process.memoryUsage().rss / 2 ** 20);
const log = (line: string) => process.stdout.write(`${line}\n`);

interface ServeFigures {
  rssStartMiB: number;
  rssAfterFirstMiB: number;
  rssAfterAllMiB: number;
  firstQueryMs: number;
  p50Ms: number;
  p95Ms: number;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** The child: `persisted` answers from the stored index, `in-memory` builds the first index, as the routes did. */
async function serve(mode: string, url: string, space: EmbeddingSpaceRow): Promise<ServeFigures> {
  const db = await connectDatabase({ url });
  const rssStartMiB = mb();
  const rows = await db.pool.query<{ vector: Buffer }>(
    `SELECT vector FROM embeddings WHERE space_id = $1 ORDER BY random() LIMIT ${QUERIES}`,
    [space.id],
  );
  const queries = rows.rows.map((row) => decodeVector(row.vector, "f16", space.dimensions));
  const times: number[] = [];
  let rssAfterFirstMiB = 0;
  let inMemory: SpaceIndex | null = null;
  for (const query of queries) {
    const started = performance.now();
    if (mode === "persisted") {
      await searchIndex(db, space, await persistedIndex(db, space), query, 10);
    } else {
      if (!inMemory) {
        const all = await db.pool.query<{ id: string; vector: Buffer }>(
          `SELECT instruction_id::text AS id, vector FROM embeddings WHERE space_id = $1 ORDER BY 1`,
          [space.id],
        );
        const halves = new Uint16Array(all.rows.length * space.dimensions);
        all.rows.forEach((row, i) => halves.set(new Uint16Array(Uint8Array.from(row.vector).buffer), i * space.dimensions));
        inMemory = new SpaceIndex(
          BigInt64Array.from(all.rows, (row) => BigInt(row.id)),
          space.dimensions,
          halves,
        );
      }
      inMemory.search(query, 10);
    }
    times.push(performance.now() - started);
    if (times.length === 1) rssAfterFirstMiB = mb();
  }
  await db.close();
  return {
    rssStartMiB,
    rssAfterFirstMiB,
    rssAfterAllMiB: mb(),
    firstQueryMs: Math.round(times[0]!),
    p50Ms: Math.round(percentile(times.slice(1), 0.5) * 10) / 10,
    p95Ms: Math.round(percentile(times.slice(1), 0.95) * 10) / 10,
  };
}

function child(mode: string, url: string, space: EmbeddingSpaceRow): Promise<ServeFigures> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url)], {
      env: { ...process.env, BENCH_SERVE: JSON.stringify({ mode, url, space }) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    proc.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    proc.once("exit", (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split("\n").at(-1)!) as ServeFigures)
        : reject(new Error(`the ${mode} child exited ${code}`)),
    );
  });
}

if (process.env.BENCH_SERVE) {
  const { mode, url, space } = JSON.parse(process.env.BENCH_SERVE) as { mode: string; url: string; space: EmbeddingSpaceRow };
  process.stdout.write(`${JSON.stringify(await serve(mode, url, space))}\n`);
} else {
  const created = await createBenchDatabase();
  const db = await connectDatabase({ url: created.url });
  try {
    log(
      `map-neighbours bench: ${POINTS.toLocaleString()} synthetic ${DIMENSIONS}-d float16 vectors on ${describeServer(created.url)}; load average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(" ")}`,
    );
    const { matrix } = syntheticEmbeddings(POINTS, 1);
    const inserted = await db.pool.query<{ id: string; created_at: Date }>(
      `INSERT INTO embedding_spaces (embedder, kind, input, dimensions, encoding) VALUES ('backend:synthetic-bench-1024', 'backend', 'instruction', $1, 'f16') RETURNING id, created_at`,
      [DIMENSIONS],
    );
    const space: EmbeddingSpaceRow = {
      id: inserted.rows[0]!.id,
      embedder: "backend:synthetic-bench-1024",
      kind: "backend",
      input: "instruction",
      dimensions: DIMENSIONS,
      encoding: "f16",
      createdAt: inserted.rows[0]!.created_at,
    };
    for (let start = 0; start < POINTS; start += 2_000) {
      const end = Math.min(POINTS, start + 2_000);
      const ids = Array.from({ length: end - start }, (_, i) => String(start + i + 1));
      const vectors = ids.map((_, i) => encodeVector(rowOf(matrix, start + i), "f16"));
      await db.pool.query(`INSERT INTO embeddings (space_id, instruction_id, vector) SELECT $1, * FROM unnest($2::bigint[], $3::bytea[])`, [
        space.id,
        ids,
        vectors,
      ]);
    }
    const rssBeforeBuild = mb();
    const built = await buildNeighbourIndex(db, space, null);
    log(
      `  worker: index of ${built.vectors.toLocaleString()} built and stored in ${built.seconds.toFixed(1)} s (worker RSS ${rssBeforeBuild} → ${mb()} MiB)`,
    );
    const persisted = await child("persisted", created.url, space);
    log(`  web, stored index: ${JSON.stringify(persisted)}`);
    const baseline = await child("in-memory", created.url, space);
    log(`  web, first in-process index (baseline): ${JSON.stringify(baseline)}`);
    const result = {
      machine: machineDescription(),
      points: POINTS,
      queries: QUERIES,
      build: built,
      persisted,
      baseline,
      loadAverage: loadavg(),
    };
    const path = await writeBenchResult("map-neighbours", result);
    log(
      formatTable(
        ["figure", "stored index (now)", "in-process index (before)"],
        [
          [
            "web RSS: start → after 1st query → after all",
            `${persisted.rssStartMiB} → ${persisted.rssAfterFirstMiB} → ${persisted.rssAfterAllMiB} MiB`,
            `${baseline.rssStartMiB} → ${baseline.rssAfterFirstMiB} → ${baseline.rssAfterAllMiB} MiB`,
          ],
          ["first query (load or build)", `${persisted.firstQueryMs} ms`, `${baseline.firstQueryMs} ms`],
          [
            `query p50 / p95 (${QUERIES - 1} more, k=10)`,
            `${persisted.p50Ms} / ${persisted.p95Ms} ms`,
            `${baseline.p50Ms} / ${baseline.p95Ms} ms`,
          ],
        ],
      ),
    );
    log(`written to ${path}`);
  } finally {
    await db.close();
    await created.drop();
  }
}
