import type { Database } from "../db/database";
import { filterContext } from "../samples/sample-filter-context";
import { SAMPLE_STATUSES, SAMPLE_TIERS, type SampleFiltersInput } from "../samples/sample-query";
import { emptyColumns, encodePointPayload, POINT_FLAGS, type PointTables } from "./point-payload";

/** The projection named does not exist. */
export class ProjectionNotFoundError extends Error {
  constructor(projectionId: string) {
    super(`there is no projection ${projectionId}`);
    this.name = "ProjectionNotFoundError";
  }
}

export interface MapPointsRequest {
  projectionId: string;
  /** The shared /samples filters: points outside them are sent with the inFilter flag clear. */
  filters?: SampleFiltersInput;
  /** Full-text search (websearch syntax) that only flags its matches, never hides the others. */
  highlight?: string;
}

// PostgreSQL packs each point into one fixed-width big-endian record (float4send/int8send/int2send)
// and the records into one bytea, ordered by instruction id: a single row crosses the wire instead
// of 300,000, which node-postgres would otherwise parse value by value (the slow part at this size).
const RECORD_BYTES = 4 + 4 + 4 + 8 + 6 * 2 + 6 * 2;
const MAX_UINT32 = 0xffff_ffff;

const smallint = (expression: string) => `int2send((${expression})::int2)`;
const codeOf = (column: string, names: readonly string[]) =>
  `coalesce(array_position(ARRAY[${names.map((name) => `'${name}'`).join(", ")}]::text[], ${column}::text), 0)`;

/** The projection's points joined to their samples, as the binary payload the map page decodes. */
export async function readMapPoints(db: Database, request: MapPointsRequest): Promise<Uint8Array<ArrayBuffer>> {
  const exists = await db.pool.query("SELECT 1 FROM projections WHERE id = $1::uuid", [request.projectionId]);
  if (exists.rowCount === 0) throw new ProjectionNotFoundError(request.projectionId);
  const context = await filterContext(db, request.filters);
  const { params } = context;
  const searchMatch =
    request.highlight === undefined
      ? "FALSE"
      : `s.instruction_id IN (SELECT d.instruction_id FROM sample_documents d WHERE d.search @@ websearch_to_tsquery('english', ${params.add(request.highlight, "text")}))`;
  const flags = `(CASE WHEN s.curated_primary_id IS NOT NULL THEN ${POINT_FLAGS.curated} ELSE 0 END
    + CASE WHEN ${context.where} THEN ${POINT_FLAGS.inFilter} ELSE 0 END
    + CASE WHEN ${searchMatch} THEN ${POINT_FLAGS.searchMatch} ELSE 0 END)`;
  const record = [
    "float4send(p.x)",
    "float4send(p.y)",
    "float4send(coalesce(s.reward_score::real, 'NaN'::real))",
    "int8send(p.instruction_id)",
    ...["primary_id", "secondary_id", "model_primary_id", "model_secondary_id", "curated_primary_id", "curated_secondary_id"].map((column) =>
      smallint(`coalesce(s.${column}, 0)`),
    ),
    smallint(codeOf("s.tier", SAMPLE_TIERS)),
    smallint(codeOf("s.status", SAMPLE_STATUSES)),
    ...["quality", "difficulty", "relevance"].map((column) => smallint(`coalesce(s.${column}, 0)`)),
    smallint(flags),
  ].join(" || ");
  const result = await db.pool.query<{ count: number; records: Buffer | null }>(
    `SELECT count(*)::int AS count, string_agg(${record}, ''::bytea ORDER BY p.instruction_id) AS records
       FROM projection_points p JOIN samples s ON s.instruction_id = p.instruction_id
      WHERE p.projection_id = ${params.add(request.projectionId, "uuid")}`,
    params.values,
  );
  const { count, records } = result.rows[0]!;
  const columns = emptyColumns(count);
  if (records) {
    const source = new DataView(records.buffer, records.byteOffset, records.byteLength);
    for (let i = 0, at = 0; i < count; i++, at += RECORD_BYTES) {
      columns.x[i] = source.getFloat32(at);
      columns.y[i] = source.getFloat32(at + 4);
      columns.reward[i] = source.getFloat32(at + 8);
      const id = Number(source.getBigInt64(at + 12));
      if (id > MAX_UINT32) throw new Error(`instruction id ${id} does not fit the point payload's 32-bit id column`);
      columns.instructionId[i] = id;
      columns.primary[i] = source.getUint16(at + 20);
      columns.secondary[i] = source.getUint16(at + 22);
      columns.modelPrimary[i] = source.getUint16(at + 24);
      columns.modelSecondary[i] = source.getUint16(at + 26);
      columns.curatedPrimary[i] = source.getUint16(at + 28);
      columns.curatedSecondary[i] = source.getUint16(at + 30);
      columns.tier[i] = source.getUint16(at + 32);
      columns.status[i] = source.getUint16(at + 34);
      columns.quality[i] = source.getUint16(at + 36);
      columns.difficulty[i] = source.getUint16(at + 38);
      columns.relevance[i] = source.getUint16(at + 40);
      columns.flags[i] = source.getUint16(at + 42);
    }
  }
  const tables: PointTables = {
    departments: context.index.taxonomy.departments.map((d) => ({ id: d.id, name: d.name, level: d.level, parentId: d.parentId })),
    tiers: [...SAMPLE_TIERS],
    statuses: [...SAMPLE_STATUSES],
  };
  return encodePointPayload(count, columns, tables);
}
