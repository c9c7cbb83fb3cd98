import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { filterContext } from "../samples/sample-filter-context";
import type { SqlParams } from "../samples/sql-params";
import { LEGEND_CODE_COLUMNS, mapSelectionRequestSchema } from "./map-selection-request";
import { polygonGrid } from "./polygon-grid";

/** The projection named does not exist. */
export class SelectionProjectionNotFoundError extends Error {
  constructor(projectionId: string) {
    super(`there is no projection ${projectionId}`);
    this.name = "SelectionProjectionNotFoundError";
  }
}

const createdSelectionRow = z.object({ id: z.string(), count: z.int() });
export type CreatedMapSelection = z.output<typeof createdSelectionRow>;

/** PostgreSQL's polygon literal: ((x1,y1),(x2,y2),…); the numbers come validated as finite. */
function polygonLiteral(polygon: readonly (readonly [number, number])[]): string {
  return `(${polygon.map(([x, y]) => `(${x},${y})`).join(",")})`;
}

/**
 * The lasso test per point: a grid cell wholly inside or outside the lasso decides at once; only the
 * points in cells the lasso's edge passes near get PostgreSQL's exact point-in-polygon over every corner.
 */
function insideLasso(polygon: readonly (readonly [number, number])[], params: SqlParams): string {
  const grid = polygonGrid(polygon);
  const last = grid.size - 1;
  const cell = (column: string, min: number, scale: number) =>
    `least(greatest(floor((${column}::float8 - ${params.add(min, "float8")}) * ${params.add(scale, "float8")})::int, 0), ${last})`;
  // bytea, not text: get_byte is constant time, substr on UTF-8 text walks the string to the offset.
  const mask = `\\x${Buffer.from(grid.mask, "latin1").toString("hex")}`;
  return `CASE get_byte(${params.add(mask, "bytea")}, ${cell("p.x", grid.minX, grid.scaleX)} * ${grid.size} + ${cell("p.y", grid.minY, grid.scaleY)})
    WHEN ${"i".charCodeAt(0)} THEN true WHEN ${"o".charCodeAt(0)} THEN false
    ELSE point(p.x, p.y) <@ ${params.add(polygonLiteral(polygon), "polygon")} END`;
}

/**
 * Selects the stored points of a projection inside a lasso polygon, under the filters (and without the
 * hidden legend entries), and stores the selection with its sample ids in one statement. PostgreSQL's
 * own point-in-polygon test (`point <@ polygon`, no extension) runs behind a bounding-box test on the
 * coordinates and the lasso's grid, so the work is one scan of the projection's points whatever the selection's size.
 */
export async function createMapSelection(db: Database, input: unknown, actor: string): Promise<CreatedMapSelection> {
  const request = mapSelectionRequestSchema.parse(input);
  const exists = await db.pool.query("SELECT 1 FROM projections WHERE id = $1::uuid", [request.projection]);
  if (exists.rowCount === 0) throw new SelectionProjectionNotFoundError(request.projection);
  const context = await filterContext(db, request.filters);
  const { params } = context;
  const xs = request.polygon.map(([x]) => x);
  const ys = request.polygon.map(([, y]) => y);
  const conditions = [
    `p.projection_id = ${params.add(request.projection, "uuid")}`,
    `p.x BETWEEN ${params.add(Math.min(...xs), "real")} AND ${params.add(Math.max(...xs), "real")}`,
    `p.y BETWEEN ${params.add(Math.min(...ys), "real")} AND ${params.add(Math.max(...ys), "real")}`,
    insideLasso(request.polygon, params),
    context.where,
  ];
  const hiding = request.hidden !== undefined && request.hidden.codes.length > 0;
  if (request.hidden && hiding) {
    conditions.push(`NOT (${LEGEND_CODE_COLUMNS[request.hidden.by]} = ANY(${params.add(request.hidden.codes, "int[]")}))`);
  }
  // Without a filter or a hidden entry the samples are not needed: the planner cannot estimate how many
  // points a polygon holds, and joining 100,000 of them to samples by index costs more than the test itself.
  const needsSamples = context.where !== "TRUE" || hiding;
  const from = needsSamples ? "projection_points p JOIN samples s ON s.instruction_id = p.instruction_id" : "projection_points p";
  const [created] = await queryRows(
    db.pool,
    createdSelectionRow,
    `WITH picked AS (
       SELECT p.instruction_id FROM ${from}
        WHERE ${conditions.join(" AND ")}
     )
     INSERT INTO map_selections (projection_id, filters, polygon, point_count, instruction_ids, created_by)
     SELECT ${params.add(request.projection, "uuid")},
            ${params.add(JSON.stringify({ filters: request.filters, hidden: request.hidden ?? null }), "jsonb")},
            ${params.add(JSON.stringify(request.polygon), "jsonb")}, count(*)::int,
            coalesce(array_agg(instruction_id), '{}'::bigint[]), ${params.add(actor, "text")}
       FROM picked
     RETURNING id, point_count AS count`,
    params.values,
  );
  return created!;
}
