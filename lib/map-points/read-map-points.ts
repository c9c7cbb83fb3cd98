import { z } from "zod";
import type { Database } from "../db/database";
import { copyBinaryRow } from "../db/copy-binary-row";
import { filterContext } from "../samples/sample-filter-context";
import { SAMPLE_STATUSES, SAMPLE_TIERS, type SampleFiltersInput } from "../samples/sample-query";
import { pointRanges, readRanges } from "./point-ranges";
import { emptyColumns, encodePointPayload, POINT_FLAGS, type PointColumns, type PointTables } from "./point-payload";

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
  /** How many points one connection reads at most (tests and benches split small projections). */
  pointsPerPart?: number;
}

// PostgreSQL packs each point into one fixed-width big-endian record and the records into one bytea:
// a single value crosses the wire instead of 300,000 rows that node-postgres would parse value by
// value (measured: ~2 s for 300k rows × 15 columns, the slow part at this size). Small fields are
// packed into a few int8 with shifts, since every bytea concatenation per row allocates. The records
// come in the join's order (sorting them would cost more than it is worth); the id column says which
// point is which.
const RECORD_BYTES = 4 + 4 + 4 + 8 + 8 + 8 + 2;
/** records is null when the projection has no point joined to a sample (string_agg over no rows). */
const pointRecordsRow = z.object({ count: z.int(), records: z.instanceof(Buffer).nullable() });

const codeOf = (column: string, names: readonly string[]) =>
  `coalesce(array_position(ARRAY[${names.map((name) => `'${name}'`).join(", ")}]::text[], ${column}::text), 0)`;

/** Packs 16-bit (or, for `bits` 8, 8-bit) fields into one big-endian int8, most significant first. */
function packed(fields: { expression: string; bits: 8 | 16 }[]): string {
  let shift = fields.reduce((total, field) => total + field.bits, 0);
  return fields
    .map((field) => {
      shift -= field.bits;
      return `((${field.expression})::int8 << ${shift})`;
    })
    .join(" | ");
}

/** The projection's points joined to their samples, as the binary payload the map page decodes. */
export async function readMapPoints(db: Database, request: MapPointsRequest): Promise<Uint8Array<ArrayBuffer>> {
  const ranges = await pointRanges(db, request.projectionId, request.pointsPerPart);
  if (ranges === null) throw new ProjectionNotFoundError(request.projectionId);
  const context = await filterContext(db, request.filters);
  const { params } = context;
  const searchMatch =
    request.highlight === undefined
      ? "FALSE"
      : `s.instruction_id IN (SELECT d.instruction_id FROM sample_documents d WHERE d.search @@ websearch_to_tsquery('english', ${params.add(request.highlight, "text")}))`;
  const flags = `(CASE WHEN s.curated_primary_id IS NOT NULL THEN ${POINT_FLAGS.curated} ELSE 0 END
    + CASE WHEN ${context.where} THEN ${POINT_FLAGS.inFilter} ELSE 0 END
    + CASE WHEN ${searchMatch} THEN ${POINT_FLAGS.searchMatch} ELSE 0 END)`;
  const orZero = (column: string) => `coalesce(s.${column}, 0)`;
  const record = [
    "float4send(p.x)",
    "float4send(p.y)",
    "float4send(coalesce(s.reward_score::real, 'NaN'::real))",
    "int8send(p.instruction_id)",
    `int8send(${packed(["primary_id", "secondary_id", "model_primary_id", "model_secondary_id"].map((column) => ({ expression: orZero(column), bits: 16 })))})`,
    `int8send(${packed([
      { expression: orZero("curated_primary_id"), bits: 16 },
      { expression: orZero("curated_secondary_id"), bits: 16 },
      { expression: codeOf("s.tier", SAMPLE_TIERS), bits: 8 },
      { expression: codeOf("s.status", SAMPLE_STATUSES), bits: 8 },
      { expression: orZero("quality"), bits: 8 },
      { expression: orZero("difficulty"), bits: 8 },
    ])})`,
    `int2send(((${orZero("relevance")} << 8) | ${flags})::int2)`,
  ].join(" || ");
  const projection = params.add(request.projectionId, "uuid");
  const from = `$${params.values.length + 1}::int8`;
  const to = `$${params.values.length + 2}::int8`;
  // The range is named on both sides of the join so each part reads only its share of samples too.
  const statement = `SELECT count(*)::int AS count, string_agg(${record}, ''::bytea) AS records
       FROM projection_points p JOIN samples s ON s.instruction_id = p.instruction_id
      WHERE p.projection_id = ${projection}
        AND p.instruction_id >= ${from} AND p.instruction_id < ${to}
        AND s.instruction_id >= ${from} AND s.instruction_id < ${to}`;
  const parts = await readRanges(db, ranges, async (client, range) => {
    const [count, records] = await copyBinaryRow(client, statement, [...params.values, range.from, range.to]);
    return pointRecordsRow.parse({ count: count ? count.readInt32BE(0) : null, records: records ?? null });
  });
  const count = parts.reduce((total, part) => total + part.count, 0);
  const columns = emptyColumns(count);
  let first = 0;
  for (const part of parts) {
    if (part.records) decodeRecords(part.records, part.count, columns, first);
    first += part.count;
  }
  const tables: PointTables = {
    departments: context.index.taxonomy.departments.map((d) => ({ id: d.id, name: d.name, level: d.level, parentId: d.parentId })),
    tiers: [...SAMPLE_TIERS],
    statuses: [...SAMPLE_STATUSES],
  };
  return encodePointPayload(count, columns, tables);
}

function decodeRecords(records: Buffer, count: number, columns: PointColumns, first: number): void {
  if (records.byteLength !== count * RECORD_BYTES)
    throw new Error(`the point records hold ${records.byteLength} bytes, not ${count} × ${RECORD_BYTES}`);
  const source = new DataView(records.buffer, records.byteOffset, records.byteLength);
  for (let i = first, at = 0; i < first + count; i++, at += RECORD_BYTES) {
    columns.x[i] = source.getFloat32(at);
    columns.y[i] = source.getFloat32(at + 4);
    columns.reward[i] = source.getFloat32(at + 8);
    // High word first: ids above 2^32 are refused rather than wrapped.
    if (source.getUint32(at + 12) !== 0)
      throw new Error(`instruction id ${source.getBigUint64(at + 12)} does not fit the point payload's 32-bit id column`);
    columns.instructionId[i] = source.getUint32(at + 16);
    columns.primary[i] = source.getUint16(at + 20);
    columns.secondary[i] = source.getUint16(at + 22);
    columns.modelPrimary[i] = source.getUint16(at + 24);
    columns.modelSecondary[i] = source.getUint16(at + 26);
    columns.curatedPrimary[i] = source.getUint16(at + 28);
    columns.curatedSecondary[i] = source.getUint16(at + 30);
    columns.tier[i] = source.getUint8(at + 32);
    columns.status[i] = source.getUint8(at + 33);
    columns.quality[i] = source.getUint8(at + 34);
    columns.difficulty[i] = source.getUint8(at + 35);
    columns.relevance[i] = source.getUint8(at + 36);
    columns.flags[i] = source.getUint8(at + 37);
  }
}
