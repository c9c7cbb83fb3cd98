import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { importPubmedqa, waitForRun } from "./support/synthesis";
import { startSimulator, type SimulatorHandle } from "../lib/simulator";
import { runConfigSchema, singleServerRoles } from "../lib/runs/run-config";
import { createRun } from "../lib/runs/create-run";
import { startSynthesisWorker, type SynthesisWorker } from "../workers/synthesis-worker";
import { watchForDemoMap } from "../lib/demo/demo-map";
import { createProjection, ProjectionRequestError } from "../lib/projection/create-projection";
import { listProjections, projectionById, type ProjectionSummary } from "../lib/projection/projection-store";
import { embedSamples } from "../lib/embeddings/embed-samples";
import { embedderSpecSchema } from "../lib/embeddings/embedder-spec";
import { loadSpaceVectors } from "../lib/embeddings/load-space-vectors";
import { sampleNeighbours, retrieveReasoning, NeighbourQueryError } from "../lib/neighbours";
import { rowOf } from "../lib/vectors/vector-matrix";
import { reviewQueue } from "../lib/labels";
import { currentTaxonomy } from "../lib/taxonomy/taxonomy";
import { approveVersion, createVersion, submitVersion } from "../lib/datasets";
import { exportDataset } from "../lib/export";
import { decodeVector } from "../lib/vectors/vector-codec";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "./support/cli";
import type { Database } from "../lib/db/database";
import { createServiceToken } from "../lib/auth/service-tokens";
import { GET as listRoute, POST as createRoute } from "../app/api/projections/route";
import { GET as projectionRoute } from "../app/api/projections/[id]/route";
import { GET as neighboursRoute } from "../app/api/neighbours/route";
import { POST as tttRoute } from "../app/api/ttt/retrieve/route";
import { refreshNeighbourIndex } from "../lib/neighbours/refresh-neighbour-index";
import type { EmbedSamplesOptions } from "../lib/embeddings/embed-samples";

// Issue 5, the computing half: a real synthesis run over PubMedQA abstracts against the simulator, then
// the demo map (lexical embedder, UMAP) computed by the queue's projection task, its neighbours, TTT
// retrieval and mislabel hints; backend embeddings through the simulator's /v1/embeddings.

const CORPUS = "pubmedqa-map";
let db: TestDatabase;
// What the projection task and finemed map embed do after embedding: keep the stored neighbour index current.
const indexAfterWrite: EmbedSamplesOptions = {
  onVectorsWritten: (space, written, lexical) => refreshNeighbourIndex(db, space, written, lexical),
};
let sim: SimulatorHandle;
let worker: SynthesisWorker;
let runId: string;

async function waitForProjection(id: string, timeoutMs = 120_000): Promise<ProjectionSummary> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const projection = await projectionById(db, id);
    if (projection && (projection.status === "done" || projection.status === "failed")) return projection;
    if (Date.now() > deadline) throw new Error(`projection ${id} did not finish: ${JSON.stringify(projection)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function keptIds(): Promise<string[]> {
  const rows = await db.pool.query<{ id: string }>(
    `SELECT instruction_id::text AS id FROM samples WHERE status = 'kept' AND run_id = $1 ORDER BY 1`,
    [runId],
  );
  return rows.rows.map((row) => row.id);
}

beforeAll(async () => {
  db = await openTestDatabase();
  sim = await startSimulator({ port: 0, seed: "map-projection" });
  await importPubmedqa(db, CORPUS, 120);
  const config = runConfigSchema.parse({ corpus: CORPUS, batchSize: 40, roles: singleServerRoles(sim.url, "simulated/finemed-sim", 32) });
  // Created as the studio's demo run, so the demo-map watcher picks it up.
  const run = await createRun(db, config, "studio:demo", { simulated: true });
  runId = run.runId;
  worker = await startSynthesisWorker(db, { concurrency: 2 });
  const summary = await waitForRun(db, runId, 200_000);
  if (summary.status !== "completed") throw new Error(`the run ended ${summary.status}`);
}, 300_000);

afterAll(async () => {
  await worker?.stop();
  await sim?.close();
  await db?.drop();
});

describe("the demo map", () => {
  let demo: ProjectionSummary;

  it("follows the completed demo run: one UMAP of its kept samples, lexical embedder, points for every sample", async () => {
    const created = await new Promise<string>((resolve) => {
      const stop = watchForDemoMap(
        db,
        (id) => {
          stop();
          resolve(id);
        },
        100,
      );
    });
    demo = await waitForProjection(created);
    expect(demo.status, demo.error ?? "").toBe("done");
    expect(demo.method).toBe("umap");
    expect(demo.space.kind).toBe("lexical");
    expect(demo.space.embedder).toBe("lexical:word-lsa-64");
    const kept = await keptIds();
    expect(kept.length).toBeGreaterThan(60);
    expect(demo.pointCount).toBe(kept.length);
    const points = await db.pool.query<{ id: string; x: number; y: number }>(
      `SELECT instruction_id::text AS id, x, y FROM projection_points WHERE projection_id = $1 ORDER BY 1`,
      [demo.id],
    );
    expect(points.rows.map((row) => row.id)).toEqual(kept);
    expect(points.rows.every((row) => Number.isFinite(row.x) && Number.isFinite(row.y))).toBe(true);
    // Far above chance (k/n ≈ 0.15 here): the layout keeps lexical neighbourhoods together.
    expect(demo.neighbourPreservation!).toBeGreaterThan(0.3);
    // Honest figures: preservation against the true neighbours among all points, kNN department purity.
    expect(demo.report).toMatchObject({
      neighbourPreservation: { k: 15, among: "all points" },
      departmentPurity: { k: 10, department: "primary" },
    });
    expect(demo.departmentPurity).toEqual(expect.any(Number));
    expect(demo.neighbourPreservationAmongSample).toEqual(expect.any(Number));
    expect(demo.report).toMatchObject({ embedder: "lexical:word-lsa-64", fitPoints: kept.length, placedPoints: 0 });
    // Statistics for the payload's join are gathered before the map says done (PostgreSQL 14+: -1 until then).
    const statistics = await db.pool.query<{ relname: string; reltuples: number }>(
      `SELECT relname, reltuples::float8 AS reltuples FROM pg_class WHERE relname IN ('projection_points', 'samples') ORDER BY 1`,
    );
    expect(statistics.rows).toEqual([
      { relname: "projection_points", reltuples: kept.length },
      { relname: "samples", reltuples: expect.any(Number) },
    ]);
    expect(statistics.rows[1]!.reltuples).toBeGreaterThanOrEqual(kept.length);
    // A second watcher does not add another map.
    await new Promise<void>((resolve) => {
      const stop = watchForDemoMap(db, () => undefined, 50);
      setTimeout(() => {
        stop();
        resolve();
      }, 500);
    });
    expect(await listProjections(db)).toHaveLength(1);
  }, 180_000);

  it("embeds deterministically and resumes: a rebuilt lexical space holds the same bytes, a half-deleted one re-embeds only the missing half", async () => {
    const before = await db.pool.query<{ id: string; vector: Buffer }>(
      `SELECT instruction_id::text AS id, vector FROM embeddings WHERE space_id = $1 ORDER BY 1`,
      [demo.space.id],
    );
    const removed = await db.pool.query(`DELETE FROM embeddings WHERE space_id = $1 AND instruction_id % 2 = 0`, [demo.space.id]);
    const spec = embedderSpecSchema.parse({ kind: "lexical" });
    const resumed = await embedSamples(
      db,
      { embedder: spec, input: "instruction+response+source", scope: { runIds: [runId] } },
      indexAfterWrite,
    );
    expect(resumed.embedded).toBe(removed.rowCount);
    expect(resumed.alreadyEmbedded).toBe(before.rows.length - removed.rowCount!);
    const after = await db.pool.query<{ id: string; vector: Buffer }>(
      `SELECT instruction_id::text AS id, vector FROM embeddings WHERE space_id = $1 ORDER BY 1`,
      [demo.space.id],
    );
    expect(after.rows.map((row) => row.vector.toString("hex"))).toEqual(before.rows.map((row) => row.vector.toString("hex")));
  });

  it("answers a sample's nearest neighbours exactly as a brute-force cosine scan does", async () => {
    const space = {
      id: demo.space.id,
      embedder: demo.space.embedder,
      kind: "lexical" as const,
      input: "instruction+response+source" as const,
      dimensions: 64,
      encoding: "f32" as const,
      createdAt: new Date(),
    };
    const { ids, matrix } = await loadSpaceVectors(db, space);
    for (const row of [0, 7, Math.floor(ids.length / 2)]) {
      const query = rowOf(matrix, row);
      const brute = Array.from({ length: ids.length }, (_, other) => {
        const vector = rowOf(matrix, other);
        let dot = 0;
        for (let j = 0; j < vector.length; j += 1) dot += vector[j]! * query[j]!;
        return { id: Number(ids[other]!), dot };
      })
        .filter((hit) => hit.id !== Number(ids[row]!))
        .sort((a, b) => b.dot - a.dot || a.id - b.id)
        .slice(0, 8);
      const answer = await sampleNeighbours(db, ids[row]!, { k: 8 });
      expect(answer.space.embedder).toBe("lexical:word-lsa-64");
      expect(answer.neighbours.map((n) => n.instructionId)).toEqual(brute.map((hit) => hit.id));
      answer.neighbours.forEach((n, i) => expect(n.similarity).toBeCloseTo(brute[i]!.dot, 5));
      expect(answer.neighbours[0]!.instruction.length).toBeGreaterThan(10);
    }
    await expect(sampleNeighbours(db, 999_999_999n, { k: 5 })).rejects.toBeInstanceOf(NeighbourQueryError);
    await expect(sampleNeighbours(db, ids[0]!, { k: 0 })).rejects.toThrow(/k must be/);
  });

  it("retrieves only long-form reasoning samples for a question, most similar first, the asked one on top", async () => {
    // The default lexical space embeds instruction, answer and source text: asked with all three, the sample is itself.
    const complex = await db.pool.query<{ id: string; instruction: string }>(
      `SELECT s.instruction_id::text AS id, d.instruction || E'\\n\\n' || r.text || E'\\n\\n' || t.text AS instruction
         FROM samples s JOIN sample_documents d USING (instruction_id) JOIN responses r ON r.id = s.chosen_response_id JOIN source_texts t ON t.id = s.source_text_id
        WHERE s.run_id = $1 AND s.status = 'kept' AND s.tier = 'complex' AND s.chosen_response_id IS NOT NULL ORDER BY 1`,
      [runId],
    );
    expect(complex.rows.length).toBeGreaterThan(3);
    const target = complex.rows[1]!;
    const answer = await retrieveReasoning(db, target.instruction, { k: 5 });
    expect(answer.space.embedder).toBe("lexical:word-lsa-64");
    expect(answer.results[0]!.instructionId).toBe(Number(target.id));
    expect(answer.results[0]!.similarity).toBeCloseTo(1, 4);
    const allowed = new Set(complex.rows.map((row) => Number(row.id)));
    expect(answer.results.length).toBe(Math.min(5, complex.rows.length));
    for (const result of answer.results) {
      expect(allowed.has(result.instructionId)).toBe(true);
      expect(result.reasoningSnippet.length).toBeGreaterThan(0);
    }
    const similarities = answer.results.map((result) => result.similarity);
    expect(similarities).toEqual([...similarities].sort((a, b) => b - a));
    await expect(retrieveReasoning(db, "   ")).rejects.toThrow(/empty/);
  });

  it("ranks a deliberately mislabeled sample at the top of its score (largest disagreement), saying what its neighbours are", async () => {
    const taxonomy = await currentTaxonomy(db);
    // A department none of the run's samples has, so every neighbour of the target disagrees with it.
    const used = await db.pool.query<{ id: number }>(
      `SELECT DISTINCT coalesce(secondary_id, primary_id) AS id FROM samples WHERE run_id = $1 AND primary_id IS NOT NULL`,
      [runId],
    );
    const taken = new Set(used.rows.map((row) => row.id));
    const unused = taxonomy.departments.find((d) => d.level === "secondary" && d.retiredAt === null && !taken.has(d.id))!;
    const target = (
      await db.pool.query<{ id: string }>(
        `SELECT instruction_id::text AS id FROM samples WHERE run_id = $1 AND status = 'kept' AND primary_id IS NOT NULL AND secondary_id IS NOT NULL ORDER BY instruction_id LIMIT 1 OFFSET 5`,
        [runId],
      )
    ).rows[0]!.id;
    // The model's label itself is wrong (a curated one would leave the queue).
    await db.pool.query(
      `UPDATE samples SET model_primary_id = $2, primary_id = $2, model_secondary_id = $3, secondary_id = $3, model_confidence = NULL, label_remapped = false WHERE instruction_id = $1`,
      [target, unused.parentId, unused.id],
    );
    const created = await createProjection(
      db,
      { method: "tsne", parameters: { perplexity: 10 }, scope: { runIds: [runId] }, embedder: { kind: "lexical" } },
      "test",
    );
    const done = await waitForProjection(created.id);
    expect(done.status, done.error ?? "").toBe("done");
    expect(done.method).toBe("tsne");
    const hint = await db.pool.query<{ share: number; neighbour_count: number; majority_count: number; majority_department_id: number }>(
      `SELECT share, neighbour_count, majority_count, majority_department_id FROM mislabel_hints WHERE instruction_id = $1`,
      [target],
    );
    expect(hint.rows[0]!.share).toBe(1);
    const page = await reviewQueue(db, { filters: { runIds: [runId] }, limit: 500 });
    const position = page.items.findIndex((item) => item.sample.id === Number(target));
    const item = page.items[position]!;
    expect(item.neighbourDisagreement).toBe(1);
    const majority = taxonomy.departments.find((d) => d.id === hint.rows[0]!.majority_department_id)!;
    expect(item.reasons[0]).toBe(
      `${hint.rows[0]!.majority_count} of ${hint.rows[0]!.neighbour_count} nearest neighbours are ${majority.name}`,
    );
    // Only a higher score ranks above it, or an equal score with as large a disagreement (all neighbours) and a lower id.
    for (const above of page.items.slice(0, position)) {
      if (above.score === item.score) expect([above.neighbourDisagreement, above.sample.id < item.sample.id]).toEqual([1, true]);
      else expect(above.score).toBeGreaterThan(item.score);
    }
    const hinted = page.items.filter((candidate) => candidate.neighbourDisagreement !== null);
    expect(hinted.length).toBeGreaterThan(0);
  }, 180_000);
});

describe("backend embeddings through /v1/embeddings", () => {
  it("are stored through the call store: re-embedding the same texts makes no backend call", async () => {
    const spec = embedderSpecSchema.parse({ kind: "backend", baseUrl: sim.url, model: "simulated/finemed-sim", batchSize: 16 });
    const first = await embedSamples(db, { embedder: spec, input: "instruction", scope: { runIds: [runId] } }, indexAfterWrite);
    const kept = await keptIds();
    expect(first.embedded).toBe(kept.length);
    // One call per distinct instruction text: two samples with the same instruction share their stored call.
    const distinct = await db.pool.query<{ n: number }>(
      `SELECT count(DISTINCT i.text)::int AS n FROM instructions i JOIN samples s ON s.instruction_id = i.id
        WHERE s.status = 'kept' AND s.run_id = $1`,
      [runId],
    );
    expect(first.calls).toEqual({ made: distinct.rows[0]!.n, reused: kept.length - distinct.rows[0]!.n });
    expect(first.space.dimensions).toBe(1024);
    expect(first.space.encoding).toBe("f16");
    const before = await db.pool.query<{ id: string; vector: Buffer }>(
      `SELECT instruction_id::text AS id, vector FROM embeddings WHERE space_id = $1 ORDER BY 1`,
      [first.space.id],
    );
    // Resumable: nothing left to embed.
    const again = await embedSamples(db, { embedder: spec, input: "instruction", scope: { runIds: [runId] } }, indexAfterWrite);
    expect(again).toMatchObject({ embedded: 0, alreadyEmbedded: kept.length, calls: { made: 0, reused: 0 } });
    // A rebuilt space is answered entirely from the call store, whatever the batching.
    await db.pool.query(`DELETE FROM embedding_spaces WHERE id = $1`, [first.space.id]);
    const rebatched = embedderSpecSchema.parse({ kind: "backend", baseUrl: sim.url, model: "simulated/finemed-sim", batchSize: 7 });
    const rebuilt = await embedSamples(db, { embedder: rebatched, input: "instruction", scope: { runIds: [runId] } }, indexAfterWrite);
    expect(rebuilt.calls).toEqual({ made: 0, reused: kept.length });
    const after = await db.pool.query<{ id: string; vector: Buffer }>(
      `SELECT instruction_id::text AS id, vector FROM embeddings WHERE space_id = $1 ORDER BY 1`,
      [rebuilt.space.id],
    );
    expect(after.rows).toEqual(before.rows);
  }, 120_000);
});

describe("createProjection", () => {
  it("refuses bad requests with the field and reason, storing nothing", async () => {
    const count = async () => (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM projections`)).rows[0]!.n;
    const before = await count();
    const refusals: [unknown, RegExp][] = [
      [{ method: "pca" }, /method/],
      [{ method: "umap", parameters: { nNeighbors: 1 } }, /parameters\.nNeighbors/],
      [{ method: "umap", parameters: { perplexity: 30 } }, /parameters/],
      [{ method: "tsne", parameters: { perplexity: 500 } }, /parameters\.perplexity/],
      [{ method: "umap", scope: { runIds: ["not-a-uuid"] } }, /scope\.runIds/],
      [{ method: "umap", embedder: { kind: "backend", baseUrl: "ftp://x", model: "m" } }, /embedder\.baseUrl/],
      [{ method: "umap", colour: "red" }, /colour|Unrecognized/i],
    ];
    for (const [request, reason] of refusals) {
      await expect(createProjection(db, request, "test")).rejects.toSatisfy(
        (error: unknown) => error instanceof ProjectionRequestError && reason.test(error.message),
      );
    }
    expect(await count()).toBe(before);
  });
});

describe("the TTT index export", () => {
  it("carries the index's vectors as a .npy in row order, names the embedder, and stays byte-identical", async () => {
    const version = await createVersion(db, { name: "TTT with embeddings", selection: { runIds: [runId] }, actor: "carol" });
    await submitVersion(db, version.id, "carol");
    await approveVersion(db, version.id, "alice", { actorRoles: ["approver"] });
    const work = mkdtempSync(join(tmpdir(), "finemed-map-export-"));
    try {
      const first = await exportDataset(db, version.id, join(work, "a"));
      const second = await exportDataset(db, version.id, join(work, "b"));
      const ttt = first.manifest.ttt;
      // Both spaces cover every row; the backend's (bge in production) is preferred over the lexical one.
      expect(ttt).toMatchObject({
        embeddings: "present",
        embedder: "backend:simulated/finemed-sim",
        dimensions: 1024,
        file: "data/ttt_index.embeddings.npy",
      });
      expect(first.manifest.splits.find((split) => split.name === "ttt_index")!.files).toContain("data/ttt_index.embeddings.npy");
      expect(second.manifest.files).toEqual(first.manifest.files);
      const npy = readFileSync(join(work, "a", ttt.file!));
      expect(npy.subarray(0, 6).toString("latin1")).toBe("\x93NUMPY");
      const headerLength = npy.readUInt16LE(8);
      const rows = readFileSync(join(work, "a", "data/ttt_index.jsonl"), "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { id: number });
      expect(npy.subarray(10, 10 + headerLength).toString("latin1")).toContain(`'shape': (${rows.length}, 1024)`);
      expect((10 + headerLength) % 64).toBe(0);
      expect(npy.length).toBe(10 + headerLength + rows.length * 1024 * 4);
      const data = new Float32Array(npy.buffer.slice(npy.byteOffset + 10 + headerLength, npy.byteOffset + npy.length));
      const space = await db.pool.query<{ id: string }>(`SELECT id FROM embedding_spaces WHERE embedder = 'backend:simulated/finemed-sim'`);
      for (const i of [0, rows.length - 1]) {
        const stored = await db.pool.query<{ vector: Buffer }>(
          `SELECT vector FROM embeddings WHERE space_id = $1 AND instruction_id = $2`,
          [space.rows[0]!.id, rows[i]!.id],
        );
        expect(Array.from(data.subarray(i * 1024, (i + 1) * 1024))).toEqual(Array.from(decodeVector(stored.rows[0]!.vector, "f16", 1024)));
      }
      expect(readFileSync(join(work, "a", "README.md"), "utf8")).toContain(
        "TTT index: embeddings are present (backend:simulated/finemed-sim, 1024-d)",
      );
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("finemed map", () => {
  it("has --help and refuses bad usage with exit 2", async () => {
    const help = await runCli(["map", "--help"], db.childEnv);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: finemed map embed/);
    for (const args of [
      ["map"],
      ["map", "draw"],
      ["map", "project", "--neighbors", "1", "--lexical"],
      ["map", "project", "--backend", "http://x:8000"],
      ["map", "neighbours"],
      ["map", "project", "--method", "tsne", "--min-dist", "0.2"],
    ]) {
      const refused = await runCli(args, db.childEnv);
      expect(refused.code, args.join(" ")).toBe(2);
      expect(refused.stderr, args.join(" ")).toMatch(/^finemed map: /);
    }
  }, 120_000);

  it("projects (fit on a sample, the rest placed), lists, and answers neighbours and TTT questions", async () => {
    const kept = await keptIds();
    const projected = await runCli(
      ["map", "project", "--lexical", "--run", runId, "--neighbors", "10", "--fit-sample", "50", "--seed", "7", "--wait", "--json"],
      db.childEnv,
    );
    expect(projected.code, projected.stderr).toBe(0);
    const projection = JSON.parse(projected.stdout) as ProjectionSummary;
    expect(projection).toMatchObject({
      status: "done",
      method: "umap",
      pointCount: kept.length,
      parameters: { nNeighbors: 10, fitSample: 50, seed: 7 },
    });
    expect(projection.report).toMatchObject({ fitPoints: 50, placedPoints: kept.length - 50, placement: "neighbour-weighted" });
    const listed = JSON.parse((await runCli(["map", "list", "--json"], db.childEnv)).stdout) as { projections: ProjectionSummary[] };
    expect(listed.projections[0]!.id).toBe(projection.id);
    expect(listed.projections[0]!.departmentPurity).toEqual(expect.any(Number));
    const plain = await runCli(["map", "list"], db.childEnv);
    expect(plain.stdout).toMatch(/kNN preservation 0\.\d{3} \(among all points\) {2}department purity 0\.\d{3}/);
    const neighbours = await runCli(["map", "neighbours", "--instruction", kept[3]!, "--k", "3", "--json"], db.childEnv);
    expect(neighbours.code, neighbours.stderr).toBe(0);
    expect((JSON.parse(neighbours.stdout) as { neighbours: unknown[] }).neighbours).toHaveLength(3);
    const ttt = await runCli(
      ["map", "ttt", "--question", "What is the treatment of acute myocardial infarction?", "--k", "2"],
      db.childEnv,
    );
    expect(ttt.code, ttt.stderr).toBe(0);
    expect(ttt.stdout).toMatch(/^long-form reasoning samples most similar to the question/);
  }, 180_000);
});

describe("the map's HTTP API", () => {
  let viewer: string;
  let curator: string;
  const request = (path: string, token: string, body?: unknown) =>
    new Request(`http://studio.test${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });

  beforeAll(async () => {
    (globalThis as { finemedDatabase?: Promise<Database> }).finemedDatabase = Promise.resolve(db);
    viewer = (await createServiceToken(db, { name: "map-api-viewer", role: "viewer" }, "test")).token;
    curator = (await createServiceToken(db, { name: "map-api-curator", role: "curator" }, "test")).token;
  });

  afterAll(() => {
    (globalThis as { finemedDatabase?: Promise<Database> }).finemedDatabase = undefined;
  });

  it("lists projections with their embedder and quality, and shows one", async () => {
    const listed = await listRoute(request("/api/projections", viewer), undefined);
    expect(listed.status).toBe(200);
    const { projections } = (await listed.json()) as { projections: ProjectionSummary[] };
    expect(projections.length).toBeGreaterThan(0);
    const done = projections.find((p) => p.status === "done")!;
    expect(done).toMatchObject({
      method: expect.stringMatching(/^(umap|tsne)$/),
      space: { embedder: expect.any(String), kind: expect.any(String) },
    });
    expect(typeof done.neighbourPreservation).toBe("number");
    expect(typeof done.createdAt).toBe("string");
    const one = await projectionRoute(request(`/api/projections/${done.id}`, viewer), { params: Promise.resolve({ id: done.id }) });
    expect(one.status).toBe(200);
    expect(((await one.json()) as ProjectionSummary).report).not.toBeNull();
    expect((await projectionRoute(request("/api/projections/nope", viewer), { params: Promise.resolve({ id: "nope" }) })).status).toBe(404);
    const missing = "00000000-0000-4000-8000-000000000000";
    expect(
      (await projectionRoute(request(`/api/projections/${missing}`, viewer), { params: Promise.resolve({ id: missing }) })).status,
    ).toBe(404);
  });

  it("creates a projection for a curator only, refusing bad bodies with 400 and the reason", async () => {
    const before = (await listProjections(db)).length;
    expect((await createRoute(request("/api/projections", viewer, { method: "umap" }), undefined)).status).toBe(403);
    for (const [body, reason] of [
      ["{not json", /JSON/],
      [{ parameters: {} }, /method/],
      [{ method: "umap", parameters: { minDist: 3 } }, /parameters\.minDist/],
      [{ method: "tsne", parameters: { nEpochs: 10 } }, /parameters/],
      [{ method: "umap", scope: { filters: { tier: ["huge"] } } }, /scope\.filters\.tier/],
    ] as const) {
      const refused = await createRoute(request("/api/projections", curator, body), undefined);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(((await refused.json()) as { error: string }).error).toMatch(reason);
    }
    expect((await listProjections(db)).length).toBe(before);
    const created = await createRoute(
      request("/api/projections", curator, { method: "umap", parameters: { nNeighbors: 8, minDist: 0.2 }, scope: { runIds: [runId] } }),
      undefined,
    );
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const done = await waitForProjection(id);
    expect(done).toMatchObject({ status: "done", createdBy: "map-api-curator", parameters: { nNeighbors: 8, minDist: 0.2 } });
  }, 120_000);

  it("answers neighbours and TTT retrieval in the documented shapes, and 400/404 with reasons", async () => {
    const id = (await keptIds())[2]!;
    const answer = await neighboursRoute(request(`/api/neighbours?instructionId=${id}&k=4`, viewer), undefined);
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as {
      space: { embedder: string };
      neighbours: {
        instructionId: number;
        similarity: number;
        instruction: string;
        primaryId: number | null;
        secondaryId: number | null;
      }[];
    };
    expect(body.space.embedder).toEqual(expect.any(String));
    expect(body.neighbours).toHaveLength(4);
    expect(Object.keys(body.neighbours[0]!).sort()).toEqual(["instruction", "instructionId", "primaryId", "secondaryId", "similarity"]);
    for (const [search, status] of [
      ["", 400],
      ["instructionId=abc", 400],
      [`instructionId=${id}&k=0`, 400],
      [`instructionId=${id}&k=1000`, 400],
      ["instructionId=987654321", 404],
    ] as const) {
      const refused = await neighboursRoute(request(`/api/neighbours?${search}`, viewer), undefined);
      expect(refused.status, search).toBe(status);
      expect(((await refused.json()) as { error: string }).error.length).toBeGreaterThan(5);
    }
    const retrieved = await tttRoute(
      request("/api/ttt/retrieve", viewer, { question: "How is type 2 diabetes treated in older adults?", k: 3 }),
      undefined,
    );
    expect(retrieved.status).toBe(200);
    const results = (
      (await retrieved.json()) as {
        space: { embedder: string };
        results: { instructionId: number; similarity: number; instruction: string; reasoningSnippet: string }[];
      }
    ).results;
    expect(results.length).toBeGreaterThan(0);
    expect(Object.keys(results[0]!).sort()).toEqual(["instruction", "instructionId", "reasoningSnippet", "similarity"]);
    for (const body of [
      { question: "  ", k: 3 },
      { question: "x", k: 0 },
      { question: "x", k: 51 },
      { k: 3 },
      { question: "x", extra: true },
      "[]",
    ]) {
      expect((await tttRoute(request("/api/ttt/retrieve", viewer, body), undefined)).status, JSON.stringify(body)).toBe(400);
    }
  }, 60_000);
});
