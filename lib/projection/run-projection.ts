import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { inTransaction } from "../db/transaction";
import { embedSamples } from "../embeddings/embed-samples";
import { embedderSpecSchema, EMBEDDING_INPUTS } from "../embeddings/embedder-spec";
import { mapScopeSchema, scopeWhere } from "../embeddings/embedding-scope";
import { embeddingSpace } from "../embeddings/embedding-space";
import { loadSpaceVectors } from "../embeddings/load-space-vectors";
import { writeMislabelHints, HINT_NEIGHBOURS } from "../neighbours/mislabel-hints";
import { refreshNeighbourIndex } from "../neighbours/refresh-neighbour-index";
import { sampledDepartmentPurity, type SampledNeighbourQuality } from "../map-quality/sampled-neighbour-quality";
import { PURITY_K } from "../map-quality/department-purity";
import { computeLayoutOnThread } from "./layout-thread";
import { parseProjectionParameters, PROJECTION_METHODS } from "./projection-parameters";

const StoredProjection = z.object({
  id: z.string(),
  space_id: z.string(),
  method: z.enum(PROJECTION_METHODS),
  status: z.enum(["queued", "running", "done", "failed"]),
  parameters: z.record(z.string(), z.unknown()),
  scope: z.unknown(),
});
const primaryDepartmentRow = z.object({ id: z.string(), primary_id: z.number().int().nullable() });

const POINT_ROWS = 20_000;
const PROGRESS_EVERY_MS = 750;

// Share of the progress bar per phase: embedding can be the long part (a backend), the layout usually is.
const EMBED_SHARE = 0.3;
const LAYOUT_SHARE = 0.6;

export type ProjectionOutcome = { kind: "done"; points: number } | { kind: "failed"; error: string } | { kind: "skipped"; reason: string };

/**
 * The `projection` task: embeds the scope's samples the space lacks, loads the vectors, fits and places
 * the layout on a worker thread, then writes the points, the mislabel hints and the report in one
 * transaction, so the map never shows half a projection. A failure is recorded on the projection (with
 * its reason) rather than retried, except a killed worker, whose job the queue hands to another.
 */
export async function runProjection(db: Database, projectionId: string): Promise<ProjectionOutcome> {
  const [stored] = await queryRows(
    db.pool,
    StoredProjection,
    `SELECT id, space_id, method, status, parameters, scope FROM projections WHERE id = $1`,
    [projectionId],
  );
  if (!stored) return { kind: "skipped", reason: "no such projection" };
  if (stored.status === "done" || stored.status === "failed") return { kind: "skipped", reason: `already ${stored.status}` };

  let lastWrite = 0;
  let pending: Promise<unknown> = Promise.resolve();
  const report = (phase: string, progress: number, force = false) => {
    const now = Date.now();
    if (!force && now - lastWrite < PROGRESS_EVERY_MS) return;
    lastWrite = now;
    pending = pending
      .then(() =>
        db.pool.query(`UPDATE projections SET phase = $2, progress = $3 WHERE id = $1 AND status = 'running'`, [
          projectionId,
          phase,
          Math.min(1, Math.max(0, progress)),
        ]),
      )
      .catch(() => undefined);
  };

  await db.pool.query(
    `UPDATE projections SET status = 'running', started_at = coalesce(started_at, now()), phase = 'embedding', progress = 0, error = NULL WHERE id = $1`,
    [projectionId],
  );
  try {
    const { embedder, ...rest } = stored.parameters;
    const spec = embedderSpecSchema.parse(embedder);
    const projection = parseProjectionParameters(stored.method, rest);
    const scope = mapScopeSchema.parse(stored.scope);
    const space = await embeddingSpace(db, stored.space_id);
    if (!space) throw new Error("the projection's embedding space is gone");
    const input = EMBEDDING_INPUTS.includes(space.input) ? space.input : "instruction";

    const embedded = await embedSamples(
      db,
      { embedder: spec, input, scope },
      {
        onVectorsWritten: (written, count, lexical) => refreshNeighbourIndex(db, written, count, lexical),
        onProgress: (done, total) =>
          report(
            `embedding ${done.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} samples`,
            total > 0 ? (EMBED_SHARE * done) / total : EMBED_SHARE,
          ),
      },
    );
    report("loading vectors", EMBED_SHARE, true);
    const loadStarted = performance.now();
    const vectors = await loadSpaceVectors(db, embedded.space, await scopeWhere(db, scope));
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    if (vectors.ids.length < 3) throw new Error(`the scope holds ${vectors.ids.length} embedded samples; a map needs at least 3`);

    const layout = await computeLayoutOnThread(
      vectors.matrix,
      projection,
      (phase, fraction) => report(phase, EMBED_SHARE + LAYOUT_SHARE * phaseFraction(phase, fraction)),
      HINT_NEIGHBOURS,
    );
    const departmentPurity = await purityOfLayoutQueries(db, vectors.ids, layout.quality);
    report("writing points", EMBED_SHARE + LAYOUT_SHARE, true);
    await pending;
    const writeStarted = performance.now();
    await inTransaction(db, async (client) => {
      await client.query(`DELETE FROM projection_points WHERE projection_id = $1`, [projectionId]);
      const ids = Array.from(vectors.ids, (id) => id.toString());
      for (let start = 0; start < ids.length; start += POINT_ROWS) {
        const end = Math.min(ids.length, start + POINT_ROWS);
        const xs: number[] = [];
        const ys: number[] = [];
        for (let i = start; i < end; i += 1) {
          xs.push(layout.layout[2 * i]!);
          ys.push(layout.layout[2 * i + 1]!);
        }
        await client.query(
          `INSERT INTO projection_points (projection_id, instruction_id, x, y) SELECT $1, * FROM unnest($2::bigint[], $3::real[], $4::real[])`,
          [projectionId, ids.slice(start, end), xs, ys],
        );
      }
      const hints = layout.neighbours
        ? await writeMislabelHints(client, { spaceId: space.id, projectionId, ids: vectors.ids, neighbours: layout.neighbours })
        : 0;
      const fullReport = {
        ...layout.report,
        embedder: space.embedder,
        departmentPurity,
        embedding: {
          inScope: embedded.inScope,
          embedded: embedded.embedded,
          alreadyEmbedded: embedded.alreadyEmbedded,
          backendCalls: embedded.calls,
          seconds: embedded.seconds,
        },
        seconds: { ...layout.report.seconds, load: loadSeconds, write: (performance.now() - writeStarted) / 1000 },
        mislabelHints: hints,
      };
      // The map's payload joins these points to the samples next. Fresh from bulk writes, before autovacuum
      // gathers statistics (up to a minute), the planner's join read 1M points in 2.2 s instead of 1.4 s.
      await client.query("ANALYZE projection_points, samples");
      await client.query(
        `UPDATE projections SET status = 'done', progress = 1, phase = 'done', point_count = $2, neighbour_preservation = $3, report = $4, finished_at = now()
          WHERE id = $1`,
        [projectionId, vectors.ids.length, layout.report.neighbourPreservation.value, JSON.stringify(fullReport)],
      );
    });
    return { kind: "done", points: vectors.ids.length };
  } catch (error) {
    await pending;
    const message = (error as Error).message;
    await db.pool.query(`UPDATE projections SET status = 'failed', phase = 'failed', error = $2, finished_at = now() WHERE id = $1`, [
      projectionId,
      message,
    ]);
    return { kind: "failed", error: message };
  }
}

/**
 * kNN department purity (k = 10, the primary department in force) of the layout's sampled queries, in
 * the full embedding space: it says whether the embedder separates departments, whatever the layout did.
 */
async function purityOfLayoutQueries(
  db: Database,
  ids: BigInt64Array,
  quality: SampledNeighbourQuality,
): Promise<{ k: number; queries: number; value: number | null; department: "primary" }> {
  const k = Math.min(PURITY_K, quality.k);
  const rows = new Set<number>();
  quality.queryRows.forEach((query, q) => {
    rows.add(query);
    for (let m = 0; m < k; m += 1) rows.add(quality.neighbours[q * quality.k + m]!);
  });
  const found = await queryRows(
    db.pool,
    primaryDepartmentRow,
    `SELECT instruction_id::text AS id, primary_id FROM samples WHERE instruction_id = ANY($1::bigint[])`,
    [Array.from(rows, (row) => ids[row]!.toString())],
  );
  const primaryOf = new Map(found.map((row) => [row.id, row.primary_id]));
  const value = sampledDepartmentPurity(quality, (row) => primaryOf.get(ids[row]!.toString()) ?? null, k);
  return { k, queries: quality.queryRows.length, value, department: "primary" };
}

/** The layout's phases laid end to end on one bar (fit dominates; placing and scoring are quick). */
function phaseFraction(phase: string, fraction: number): number {
  if (phase.startsWith("reducing")) return 0.05 * fraction;
  if (phase.startsWith("fitting")) return 0.05 + 0.6 * fraction;
  if (phase.startsWith("placing")) return 0.65 + 0.15 * fraction;
  if (phase.startsWith("scoring")) return 0.8;
  return 0.85 + 0.15 * fraction;
}
