import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { currentTaxonomy } from "../taxonomy/taxonomy";
import { TaxonomyIndex } from "../taxonomy/taxonomy-index";
import { decodeCursor, encodeCursor, type SampleCursor } from "./sample-cursor";
import { sampleFilterSql } from "./sample-filter-sql";
import { sampleQuerySchema, type SampleQueryInput, type SampleSort } from "./sample-query";
import { SAMPLE_ROW_COLUMNS, sampleRecordRow, toSampleRow, type SampleRecord, type SampleRow } from "./sample-row";
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
  withSql: string,
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
  // The page is chosen from the narrow samples rows alone; only its rows are joined to their text.
  return queryRows(
    db.pool,
    sampleRecordRow,
    `${withSql}
     SELECT ${SAMPLE_ROW_COLUMNS}
       FROM (SELECT * FROM samples s WHERE ${conditions.join(" AND ")} ORDER BY ${order} LIMIT ${params.add(limit, "int")}) s
       JOIN sample_documents d ON d.instruction_id = s.instruction_id
      ORDER BY ${order}`,
    params.values,
  );
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

// Full text with a sort has two good plans, and PostgreSQL's costs do not tell them apart: walk the
// sort index and test each row's document (cheap when matches are common: about limit × rows/matches
// probes), or collect the matches from the GIN index first and sort them (cheap when they are few).
// Its match estimates are close for plain terms but off by 30× for phrases and negations, so the
// first page counts the matches up to a cap instead, and the cursor carries the choice onwards.
const MATERIALIZE_TEXT_MATCHES = 10_000;
const matchCountRow = z.object({ n: z.int() });

async function textPlanFor(db: Database, text: string): Promise<"materialize" | "probe"> {
  const [counted] = await queryRows(
    db.pool,
    matchCountRow,
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM sample_documents WHERE search @@ websearch_to_tsquery('english', $1::text) LIMIT $2) m`,
    [text, MATERIALIZE_TEXT_MATCHES + 1],
  );
  return counted!.n <= MATERIALIZE_TEXT_MATCHES ? "materialize" : "probe";
}

/** One page of samples matching the filters in the given order, with keyset pagination. */
export async function pageSamples(db: Database, input: SampleQueryInput): Promise<SamplePage> {
  const query = sampleQuerySchema.parse(input);
  const index = new TaxonomyIndex(await currentTaxonomy(db));
  const cursor = query.after === undefined ? null : decodeCursor(query.after, query.sort);
  // One extra row tells whether another page exists without a count.
  const wanted = query.limit + 1;
  const textPlan = query.filters.text === undefined ? undefined : (cursor?.textPlan ?? (await textPlanFor(db, query.filters.text)));
  const materialize = textPlan === "materialize";
  const build = () => {
    const params = new SqlParams();
    if (!materialize) return { params, with: "", where: sampleFilterSql(query.filters, index, params, textPlan) };
    const text = params.add(query.filters.text, "text");
    return {
      params,
      with: `WITH text_matches AS MATERIALIZED (SELECT instruction_id FROM sample_documents WHERE search @@ websearch_to_tsquery('english', ${text}))`,
      where: sampleFilterSql(query.filters, index, params, { cte: "text_matches" }),
    };
  };
  let records: SampleRecord[] = [];
  const inUnvaluedPart = cursor !== null && cursor.value === null && query.sort.field !== "id";
  if (!inUnvaluedPart) {
    const built = build();
    records = await readPart(db, built.with, built.where, built.params, query.sort, "valued", cursor, wanted);
  }
  if (records.length < wanted && query.sort.field !== "id") {
    const built = build();
    const unvaluedCursor = inUnvaluedPart ? cursor : null;
    records.push(
      ...(await readPart(db, built.with, built.where, built.params, query.sort, "unvalued", unvaluedCursor, wanted - records.length)),
    );
  }
  const hasMore = records.length > query.limit;
  const rows = records.slice(0, query.limit);
  const last = rows.at(-1);
  return {
    rows: rows.map((record) => toSampleRow(record, index)),
    nextCursor:
      hasMore && last
        ? encodeCursor({
            field: query.sort.field,
            direction: query.sort.direction,
            value: sortValue(last, query.sort.field),
            id: last.instruction_id,
            textPlan,
          })
        : null,
  };
}
