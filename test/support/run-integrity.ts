import { expect } from "vitest";
import type { Database } from "../../lib/db/database";

/**
 * What every finished run must hold however it was disturbed (a restart, two workers, an outage):
 * each text has exactly one outcome, and no instruction, judgement or label was written twice.
 */
export async function expectOneOutcomePerText(db: Database, runId: string, texts: number): Promise<void> {
  const outcomes = await db.pool.query<{ n: number; distinct_texts: number; pending: number }>(
    `SELECT count(*)::int AS n, count(DISTINCT source_text_id)::int AS distinct_texts,
            count(*) FILTER (WHERE outcome = 'pending')::int AS pending
       FROM run_texts WHERE run_id = $1`,
    [runId],
  );
  expect(outcomes.rows[0]).toEqual({ n: texts, distinct_texts: texts, pending: 0 });
  const counts = await db.pool.query<{
    instructions: number;
    distinct_instructions: number;
    judgements: number;
    distinct_judgements: number;
    labels: number;
    distinct_labels: number;
    responses: number;
    distinct_responses: number;
  }>(
    `SELECT (SELECT count(*) FROM instructions WHERE run_id = $1)::int AS instructions,
            (SELECT count(DISTINCT (source_text_id, position)) FROM instructions WHERE run_id = $1)::int AS distinct_instructions,
            (SELECT count(*) FROM judgements WHERE run_id = $1)::int AS judgements,
            (SELECT count(DISTINCT instruction_id) FROM judgements WHERE run_id = $1)::int AS distinct_judgements,
            (SELECT count(*) FROM department_labels WHERE run_id = $1)::int AS labels,
            (SELECT count(DISTINCT (instruction_id, level)) FROM department_labels WHERE run_id = $1)::int AS distinct_labels,
            (SELECT count(*) FROM responses r JOIN instructions i ON i.id = r.instruction_id WHERE i.run_id = $1 AND r.chosen)::int AS responses,
            (SELECT count(DISTINCT r.instruction_id) FROM responses r JOIN instructions i ON i.id = r.instruction_id WHERE i.run_id = $1 AND r.chosen)::int AS distinct_responses`,
    [runId],
  );
  const c = counts.rows[0]!;
  expect(c.instructions).toBe(c.distinct_instructions);
  expect(c.judgements).toBe(c.distinct_judgements);
  expect(c.labels).toBe(c.distinct_labels);
  expect(c.responses).toBe(c.distinct_responses);
  const samples = await db.pool.query<{ n: number; distinct_instructions: number }>(
    `SELECT count(*)::int AS n, count(DISTINCT instruction_id)::int AS distinct_instructions FROM samples WHERE run_id = $1`,
    [runId],
  );
  expect(samples.rows[0]!.n).toBe(samples.rows[0]!.distinct_instructions);
}
