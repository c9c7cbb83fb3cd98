import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { mapScopeSchema, scopeWhere } from "../embeddings/embedding-scope";
import { createProjection } from "../projection/create-projection";
import { SqlParams } from "../samples/sql-params";
import { ProjectionNotFoundError } from "./read-map-points";

export interface ProjectionFreshness {
  projectionId: string;
  /** Samples in the projection's scope that have no point on it (new runs, or samples kept since). */
  missing: number;
  /** The same, per run, largest first. */
  runs: { runId: string; name: string; missing: number }[];
}

const StoredProjection = z.object({
  method: z.string(),
  parameters: z.record(z.string(), z.unknown()),
  scope: z.unknown(),
  input: z.string(),
});

const missingByRunRow = z.object({ run_id: z.string(), name: z.string(), missing: z.int() });

async function storedProjection(db: Database, projectionId: string): Promise<z.output<typeof StoredProjection>> {
  const [found] = await queryRows(
    db.pool,
    StoredProjection,
    `SELECT p.method, p.parameters, p.scope, sp.input
       FROM projections p JOIN embedding_spaces sp ON sp.id = p.space_id WHERE p.id = $1::uuid`,
    [projectionId],
  );
  if (!found) throw new ProjectionNotFoundError(projectionId);
  return found;
}

/** How many samples of the projection's own scope it does not show, by run (one anti-join over the scope). */
export async function projectionFreshness(db: Database, projectionId: string): Promise<ProjectionFreshness> {
  const stored = await storedProjection(db, projectionId);
  const where = await scopeWhere(db, mapScopeSchema.parse(stored.scope));
  const params = new SqlParams();
  const id = params.add(projectionId, "uuid");
  const rows = await queryRows(
    db.pool,
    missingByRunRow,
    `SELECT s.run_id, r.name, count(*)::int AS missing
       FROM samples s JOIN runs r ON r.id = s.run_id
      WHERE ${where(params)}
        AND NOT EXISTS (SELECT 1 FROM projection_points p WHERE p.projection_id = ${id} AND p.instruction_id = s.instruction_id)
      GROUP BY s.run_id, r.name ORDER BY missing DESC, r.name`,
    params.values,
  );
  const runs = rows.map((row) => ({ runId: row.run_id, name: row.name, missing: row.missing }));
  return { projectionId, missing: runs.reduce((total, run) => total + run.missing, 0), runs };
}

/**
 * Queues a new projection like this one (method, parameters, scope, embedder, input) for the worker's
 * projection task: it embeds the samples the space lacks and lays out the whole scope again, so the new
 * samples are placed among the old ones rather than beside them.
 */
export async function reprojectWithMissing(db: Database, projectionId: string, actor: string): Promise<{ id: string; embedder: string }> {
  const stored = await storedProjection(db, projectionId);
  const { embedder, ...parameters } = stored.parameters;
  return createProjection(db, { method: stored.method, parameters, scope: stored.scope, embedder, input: stored.input }, actor);
}
