import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { PROJECTION_METHODS, type ProjectionMethod } from "./projection-parameters";

/** A projection as the map page and the CLI list it. */
export interface ProjectionSummary {
  id: string;
  method: ProjectionMethod;
  parameters: Record<string, unknown>;
  scope: Record<string, unknown>;
  status: "queued" | "running" | "done" | "failed";
  progress: number;
  phase: string | null;
  pointCount: number | null;
  /** k = 15 preservation against the true neighbours among all points (sampled queries); null until done. */
  neighbourPreservation: number | null;
  /** The first maps' figure, computed among a 1–2k subsample (it overstates); null on newer maps' absence. */
  neighbourPreservationAmongSample: number | null;
  /** kNN department purity (k = 10, primary) in the embedding space; null until done or when unknown. */
  departmentPurity: number | null;
  error: string | null;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Says which embedder made the map; `kind` "lexical" is the offline in-process embedder. */
  space: { id: string; embedder: string; kind: "backend" | "lexical"; input: string; dimensions: number };
  /** Preservation, sizes and timings (see LayoutReport); null until done. */
  report: Record<string, unknown> | null;
}

// parameters, scope and report are shown as stored (the request was checked when the projection was made).
const jsonObject = z.record(z.string(), z.unknown());
const projectionRow = z.object({
  id: z.string(),
  method: z.enum(PROJECTION_METHODS),
  parameters: jsonObject,
  scope: jsonObject,
  status: z.enum(["queued", "running", "done", "failed"]),
  progress: z.number(),
  phase: z.string().nullable(),
  point_count: z.number().int().nullable(),
  neighbour_preservation: z.number().nullable(),
  error: z.string().nullable(),
  created_by: z.string(),
  created_at: z.date(),
  started_at: z.date().nullable(),
  finished_at: z.date().nullable(),
  report: jsonObject.nullable(),
  space_id: z.string(),
  embedder: z.string(),
  kind: z.enum(["backend", "lexical"]),
  input: z.string(),
  dimensions: z.number().int(),
});

const SELECT = `SELECT p.id, p.method, p.parameters, p.scope, p.status, p.progress, p.phase, p.point_count, p.neighbour_preservation,
                       p.error, p.created_by, p.created_at, p.started_at, p.finished_at, p.report,
                       sp.id AS space_id, sp.embedder, sp.kind, sp.input, sp.dimensions
                  FROM projections p JOIN embedding_spaces sp ON sp.id = p.space_id`;

function toSummary(row: z.output<typeof projectionRow>): ProjectionSummary {
  return {
    id: row.id,
    method: row.method,
    parameters: row.parameters,
    scope: row.scope,
    status: row.status,
    progress: row.progress,
    phase: row.phase,
    pointCount: row.point_count,
    ...qualityOf(row.report, row.neighbour_preservation),
    error: row.error,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
    space: {
      id: row.space_id,
      embedder: row.embedder,
      kind: row.kind,
      input: row.input,
      dimensions: row.dimensions,
    },
    report: row.report,
  };
}

/** Newest first. */
export async function listProjections(db: Database, limit = 200): Promise<ProjectionSummary[]> {
  const rows = await queryRows(db.pool, projectionRow, `${SELECT} ORDER BY p.created_at DESC, p.id LIMIT $1`, [limit]);
  return rows.map(toSummary);
}

export async function projectionById(db: Database, id: string): Promise<ProjectionSummary | null> {
  const [row] = await queryRows(db.pool, projectionRow, `${SELECT} WHERE p.id = $1`, [id]);
  return row ? toSummary(row) : null;
}

function numberAt(value: unknown, ...path: string[]): number | null {
  let current = value;
  for (const key of path) current = current !== null && typeof current === "object" ? (current as Record<string, unknown>)[key] : undefined;
  return typeof current === "number" && Number.isFinite(current) ? current : null;
}

/**
 * A map made before preservation was computed among all points stored the subsample figure in the
 * column: it is reported as what it is (among a subsample), never as the honest one.
 */
function qualityOf(
  report: Record<string, unknown> | null,
  column: number | null,
): Pick<ProjectionSummary, "neighbourPreservation" | "neighbourPreservationAmongSample" | "departmentPurity"> {
  const honest = numberAt(report, "neighbourPreservation", "queries") !== null;
  return {
    neighbourPreservation: honest ? column : null,
    neighbourPreservationAmongSample: honest ? numberAt(report, "neighbourPreservationAmongSample", "value") : column,
    departmentPurity: numberAt(report, "departmentPurity", "value"),
  };
}
