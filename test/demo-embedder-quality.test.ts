import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { waitForRun } from "./support/synthesis";
import { startSimulator, type SimulatorHandle } from "../lib/simulator";
import { startSynthesisWorker, type SynthesisWorker } from "../workers/synthesis-worker";
import { seedDemoCorpus } from "../lib/demo/seed-demo-corpus";
import { startDemoRun } from "../lib/demo/demo-run";
import { watchForDemoMap } from "../lib/demo/demo-map";
import { projectionById, type ProjectionSummary } from "../lib/projection/projection-store";
import { embedSamples } from "../lib/embeddings/embed-samples";
import { embedderSpecSchema } from "../lib/embeddings/embedder-spec";
import { loadSpaceVectors } from "../lib/embeddings/load-space-vectors";
import type { EmbeddingSpaceRow } from "../lib/embeddings/embedding-space";
import { rowOf } from "../lib/vectors/vector-matrix";
import { knnDepartmentPurity } from "../lib/map-quality/department-purity";
import { retrieveReasoning } from "../lib/neighbours";

// Issue 11, item 2: the quick-start demo (demo corpus, demo run against the simulator with the studio's
// seed, the demo map the watcher makes) and how well the offline default embedder separates departments:
// kNN department purity (k = 10, primary) in the full embedding space, today's words-only embedder of
// the instruction beside the default one, and TTT retrieval for one question per primary department.

let db: TestDatabase;
let sim: SimulatorHandle;
let worker: SynthesisWorker;
let runId: string;

beforeAll(async () => {
  db = await openTestDatabase();
  sim = await startSimulator({ port: 0, seed: "finemed-demo" });
  await seedDemoCorpus(db);
  runId = (await startDemoRun(db, sim.url)).runId;
  worker = await startSynthesisWorker(db, { concurrency: 2 });
  const summary = await waitForRun(db, runId, 300_000);
  if (summary.status !== "completed") throw new Error(`the demo run ended ${summary.status}`);
}, 400_000);

afterAll(async () => {
  await worker?.stop();
  await sim?.close();
  await db?.drop();
});

async function waitForProjection(id: string): Promise<ProjectionSummary> {
  for (;;) {
    const projection = await projectionById(db, id);
    if (projection && (projection.status === "done" || projection.status === "failed")) return projection;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Purity of a space against the samples' primary department in force, and against the corpus's own hint. */
async function purities(space: EmbeddingSpaceRow): Promise<{ primary: number; corpusHint: number; points: number }> {
  const { ids, matrix } = await loadSpaceVectors(db, space);
  const labels = await db.pool.query<{ id: string; primary_id: number | null; hint: number | null }>(
    `SELECT s.instruction_id::text AS id, s.primary_id, h.id AS hint
       FROM samples s JOIN source_texts t ON t.id = s.source_text_id
       LEFT JOIN departments h ON h.level = 'primary' AND h.name = t.metadata->>'primary_hint'
      WHERE s.instruction_id = ANY($1::bigint[])`,
    [Array.from(ids, String)],
  );
  const byId = new Map(labels.rows.map((row) => [row.id, row]));
  const vectors = Array.from(ids, (_, row) => rowOf(matrix, row));
  const primary = Array.from(ids, (id) => byId.get(id.toString())!.primary_id);
  const hint = Array.from(ids, (id) => byId.get(id.toString())!.hint);
  return { primary: knnDepartmentPurity(vectors, primary, 10), corpusHint: knnDepartmentPurity(vectors, hint, 10), points: ids.length };
}

describe("the offline default embedder on the quick-start demo", () => {
  let demo: ProjectionSummary;

  it("makes the demo map in a new space: word LSA over the instruction, answer and source text", async () => {
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
    expect(demo.space).toMatchObject({ embedder: "lexical:word-lsa-64", kind: "lexical", input: "instruction+response+source" });
  }, 180_000);

  it("separates departments better than the words-only embedder of the instruction did (measured, printed)", async () => {
    const before = await embedSamples(db, {
      embedder: embedderSpecSchema.parse({ kind: "lexical", version: 1 }),
      input: "instruction",
      scope: { runIds: [runId] },
    });
    expect(before.space.embedder).toBe("lexical:tfidf-hash-rp-256");
    const today = await purities(before.space);
    const space = (
      await embedSamples(db, {
        embedder: embedderSpecSchema.parse({ kind: "lexical" }),
        input: "instruction+response+source",
        scope: { runIds: [runId] },
      })
    ).space;
    expect(space.id).toBe(demo.space.id);
    const now = await purities(space);
    process.stdout.write(
      `demo kNN department purity (k=10, ${now.points} points): words of the instruction ${today.primary.toFixed(3)} (corpus hint ${today.corpusHint.toFixed(3)}); default ${now.primary.toFixed(3)} (corpus hint ${now.corpusHint.toFixed(3)})\n`,
    );
    // Chance (the sum of squared department shares) is about 0.24 here; the words-only instruction space stays near
    // it. Measured 2026-12-07 on the 696-text demo: the default 0.563 against the labels in force, 0.638 against the
    // corpus's own departments (0.308 / 0.304 on the 174-text demo with lexical version 2). The 0.6 against the
    // labels in force is not reached: the simulator's label agrees with the corpus for 70% of samples
    // (bench/RESULTS.md, "Map quality on the 696-text demo").
    expect(today.primary).toBeLessThan(0.3);
    expect(now.primary).toBeGreaterThan(0.54);
    expect(now.corpusHint).toBeGreaterThan(0.6);
  }, 120_000);

  it("labels the demo by content: the simulator's primary department agrees with the corpus's own for most samples", async () => {
    const agreement = await db.pool.query<{ share: number }>(
      `SELECT avg((p.name = t.metadata->>'primary_hint')::int)::float8 AS share
         FROM samples s JOIN source_texts t ON t.id = s.source_text_id JOIN departments p ON p.id = s.primary_id
        WHERE s.run_id = $1 AND s.status = 'kept'`,
      [runId],
    );
    const share = agreement.rows[0]!.share;
    process.stdout.write(`demo primary department = the corpus's own: ${share.toFixed(3)}\n`);
    // 0.500 before the simulator read short keywords as whole words ("early" voted ENT), 0.639 before its answers
    // quoted the source's key sentences and its vote weighed children and operations by how often they are named;
    // its 8% disagreement and the departments that share vocabulary (urology and nephrology) keep it below 1.
    expect(share).toBeGreaterThan(0.68);
  });

  it("leaves room for 0.6: perfect secondary clusters would reach it with 24 texts per secondary (printed)", async () => {
    // An embedder that put every text beside the texts of its own secondary department and knew nothing of how
    // the taxonomy groups secondaries (ENT with eyes and teeth) would fill the rest of the 10 neighbours at random.
    const kept = await db.pool.query<{ primary: string; secondary: string }>(
      `SELECT t.metadata->>'primary_hint' AS primary, t.metadata->>'secondary_hint' AS secondary
         FROM samples s JOIN source_texts t ON t.id = s.source_text_id WHERE s.run_id = $1 AND s.status = 'kept'`,
      [runId],
    );
    const count = (values: string[]) => values.reduce((map, value) => map.set(value, (map.get(value) ?? 0) + 1), new Map<string, number>());
    const bySecondary = count(kept.rows.map((row) => row.secondary));
    const byPrimary = count(kept.rows.map((row) => row.primary));
    const n = kept.rows.length;
    const k = 10;
    let total = 0;
    for (const row of kept.rows) {
      const own = bySecondary.get(row.secondary)!;
      const same = Math.min(own - 1, k);
      total += (same + ((k - same) * (byPrimary.get(row.primary)! - own)) / (n - own)) / k;
    }
    const bound = total / n;
    process.stdout.write(`purity bound with perfect secondary clusters (k=10, the corpus's own labels): ${bound.toFixed(3)}\n`);
    // With 6 texts per secondary (the 174-text demo) this bound was 0.587: no embedder could reach 0.6 there.
    expect(bound).toBeGreaterThan(0.9);
  });

  it("retrieves, for one question per primary department, a reasoning sample of that department first (3 of 6 today, printed)", async () => {
    const questions: [string, string][] = [
      ["Internal Medicine", "How is type 2 diabetes diagnosed, and what is the first-line drug therapy?"],
      ["Surgery", "When is a total knee replacement indicated for osteoarthritis, and what are its risks?"],
      ["Obstetrics and Gynecology", "Why are antenatal corticosteroids given in threatened preterm labour?"],
      ["Pediatrics", "How is intussusception recognised and treated in an infant?"],
      ["Otorhinolaryngology", "What are the indications for removing the tonsils?"],
      ["Other Departments", "How should an anaesthetist prepare for a difficult airway and intubation?"],
    ];
    const primaries = await db.pool.query<{ id: number; name: string }>(`SELECT id, name FROM departments WHERE level = 'primary'`);
    const idOf = new Map(primaries.rows.map((row) => [row.name, row.id]));
    const outcomes: string[] = [];
    let hits = 0;
    for (const [department, question] of questions) {
      const answer = await retrieveReasoning(db, question, { k: 1, spaceId: demo.space.id });
      const top = answer.results[0]!;
      const found = await db.pool.query<{ primary_id: number | null }>(`SELECT primary_id FROM samples WHERE instruction_id = $1`, [
        top.instructionId,
      ]);
      const hit = found.rows[0]!.primary_id === idOf.get(department);
      if (hit) hits += 1;
      outcomes.push(`${hit ? "hit " : "miss"} ${department}: ${top.instruction.slice(0, 80)}`);
    }
    process.stdout.write(`TTT retrieval per primary department:\n${outcomes.join("\n")}\n`);
    // 5 of 6 on the 174-text demo; 3 of 6 on the 696-text one. The misses retrieve on topic but not by label: the
    // tonsil texts mention children, so the simulator labels them Pediatrics; the airway text's "airway" votes
    // respiratory. The 5 of 6 is open (bench/RESULTS.md).
    expect(hits, outcomes.join("\n")).toBeGreaterThanOrEqual(3);
  }, 60_000);
});
