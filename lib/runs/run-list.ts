import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";

export interface RunProgressRow {
  runId: string;
  name: string;
  corpus: string;
  status: string;
  simulated: boolean;
  texts: number;
  done: number;
  kept: number;
  noneKept: number;
  failed: number;
  callsMade: number;
  callsReused: number;
  tokens: number;
  createdAt: string;
}

const count = z.number().int();
const runProgressRow = z.object({
  id: z.string(),
  name: z.string(),
  corpus: z.string(),
  status: z.string(),
  simulated: z.boolean(),
  text_count: count,
  created_at: z.date(),
  done: count,
  kept: count,
  none_kept: count,
  failed: count,
  made: count,
  reused: count,
  // A bigint sum: a number through the int8 parser.
  tokens: count,
});

/** The newest runs with their counts in one statement, for the runs table. */
// Stays SQL: lateral aggregates per run (FILTER counts, sums) that Prisma's query API cannot express in one statement.
export async function listRunProgress(db: Database, limit = 50): Promise<RunProgressRow[]> {
  const rows = await queryRows(
    db.pool,
    runProgressRow,
    `SELECT r.id, r.name, c.name AS corpus, r.status::text, r.simulated, r.text_count, r.created_at,
            o.done, o.kept, o.none_kept, o.failed, s.made, s.reused, s.tokens
       FROM (SELECT * FROM runs ORDER BY created_at DESC LIMIT $1) r
       JOIN corpora c ON c.id = r.corpus_id
       CROSS JOIN LATERAL (
         SELECT count(*) FILTER (WHERE outcome <> 'pending')::int AS done, count(*) FILTER (WHERE outcome = 'kept')::int AS kept,
                count(*) FILTER (WHERE outcome = 'none_kept')::int AS none_kept, count(*) FILTER (WHERE outcome = 'failed')::int AS failed
           FROM run_texts t WHERE t.run_id = r.id) o
       CROSS JOIN LATERAL (
         SELECT COALESCE(sum(calls_made), 0)::int AS made, COALESCE(sum(calls_reused), 0)::int AS reused,
                COALESCE(sum(prompt_tokens + completion_tokens), 0)::bigint AS tokens
           FROM run_stage_stats st WHERE st.run_id = r.id) s
      ORDER BY r.created_at DESC`,
    [limit],
  );
  return rows.map((row) => ({
    runId: row.id,
    name: row.name,
    corpus: row.corpus,
    status: row.status,
    simulated: row.simulated,
    texts: row.text_count,
    done: row.done,
    kept: row.kept,
    noneKept: row.none_kept,
    failed: row.failed,
    callsMade: row.made,
    callsReused: row.reused,
    tokens: row.tokens,
    createdAt: row.created_at.toISOString(),
  }));
}
