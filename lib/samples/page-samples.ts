import type { Database } from "../db/database";
import { currentTaxonomy } from "../taxonomy/taxonomy";
import { TaxonomyIndex } from "../taxonomy/taxonomy-index";
import { decodeCursor, encodeCursor, type SampleCursor } from "./sample-cursor";
import { sampleFilterSql } from "./sample-filter-sql";
import { sampleQuerySchema, type SampleQueryInput, type SampleSort } from "./sample-query";
import { SAMPLE_ROW_COLUMNS, toSampleRow, type SampleRecord, type SampleRow } from "./sample-row";
import { SqlParams } from "./sql-params";

export interface SamplePage {
  rows: SampleRow[];
  /** Pass as `after` for the next page; null on the last page. */
  nextCursor: string | null;
}

export const SORT_COLUMNS: Record<SampleSort["field"], string> = {
  quality: "s.quality",
  difficulty: "s.difficulty",
  relevance: "s.relevance",
  reward: "s.reward_score",
  id: "s.instruction_id",
};

// Rows without a sort value (unjudged, or no chosen answer for reward) come after every valued row in
// both directions. A page is read in two index-friendly parts: the valued rows past the cursor by the
// row comparison (value, id), then the unvalued rows by id. No OFFSET, so page 20,000 costs page 1.
async function readPart(
  db: Database,
  whereSql: string,
  params: SqlParams,
  sort: SampleSort,
  part: "valued" | "unvalued",
  cursor: SampleCursor | null,
  limit: number,
): Promise<SampleRecord[]> {
  const column = SORT_COLUMNS[sort.field];
  const direction = sort.direction === "asc" ? "ASC" : "DESC";
  const after = sort.direction === "asc" ? ">" : "<";
  const conditions = [whereSql];
  let order: string;
  if (part === "valued") {
    if (sort.field !== "id") conditions.push(`${column} IS NOT NULL`);
    if (cursor) {
      const castType = sort.field === "reward" ? "float8" : sort.field === "id" ? "bigint" : "smallint";
      conditions.push(
        sort.field === "id"
          ? `s.instruction_id ${after} ${params.add(cursor.id, "bigint")}`
          : `(${column}, s.instruction_id) ${after} (${params.add(cursor.value, castType)}, ${params.add(cursor.id, "bigint")})`,
      );
    }
    order = sort.field === "id" ? `s.instruction_id ${direction}` : `${column} ${direction}, s.instruction_id ${direction}`;
  } else {
    conditions.push(`${column} IS NULL`);
    if (cursor) conditions.push(`s.instruction_id ${after} ${params.add(cursor.id, "bigint")}`);
    order = `s.instruction_id ${direction}`;
  }
  const result = await db.pool.query<SampleRecord>(
    `SELECT ${SAMPLE_ROW_COLUMNS}
       FROM samples s JOIN sample_documents d ON d.instruction_id = s.instruction_id
      WHERE ${conditions.join(" AND ")}
      ORDER BY ${order}
      LIMIT ${params.add(limit, "int")}`,
    params.values,
  );
  return result.rows;
}

function sortValue(record: SampleRecord, field: SampleSort["field"]): number | null {
  switch (field) {
    case "quality":
      return record.quality;
    case "difficulty":
      return record.difficulty;
    case "relevance":
      return record.relevance;
    case "reward":
      return record.reward_score;
    case "id":
      return record.instruction_id;
  }
}

/** One page of samples matching the filters in the given order, with keyset pagination. */
export async function pageSamples(db: Database, input: SampleQueryInput): Promise<SamplePage> {
  const query = sampleQuerySchema.parse(input);
  const index = new TaxonomyIndex(await currentTaxonomy(db));
  const cursor = query.after === undefined ? null : decodeCursor(query.after, query.sort);
  // One extra row tells whether another page exists without a count.
  const wanted = query.limit + 1;
  const build = () => {
    const params = new SqlParams();
    return { params, where: sampleFilterSql(query.filters, index, params) };
  };
  let records: SampleRecord[] = [];
  const inUnvaluedPart = cursor !== null && cursor.value === null && query.sort.field !== "id";
  if (!inUnvaluedPart) {
    const { params, where } = build();
    records = await readPart(db, where, params, query.sort, "valued", cursor, wanted);
  }
  if (records.length < wanted && query.sort.field !== "id") {
    const { params, where } = build();
    const unvaluedCursor = inUnvaluedPart ? cursor : null;
    records.push(...(await readPart(db, where, params, query.sort, "unvalued", unvaluedCursor, wanted - records.length)));
  }
  const hasMore = records.length > query.limit;
  const rows = records.slice(0, query.limit);
  const last = rows.at(-1);
  return {
    rows: rows.map((record) => toSampleRow(record, index)),
    nextCursor:
      hasMore && last
        ? encodeCursor({ field: query.sort.field, direction: query.sort.direction, value: sortValue(last, query.sort.field), id: last.instruction_id })
        : null,
  };
}
