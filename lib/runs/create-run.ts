import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { inTransaction } from "../db/transaction";
import { enqueueBatches, ensureQueue } from "../queue/jobs";
import { ensureDefaultPrompts, resolveRunPrompts } from "./prompt-store";
import type { RunConfig } from "./run-config";

export interface CreatedRun {
  runId: string;
  textCount: number;
  batchCount: number;
}

const idRow = z.object({ id: z.string() });

export class RunConfigError extends Error {}

/**
 * Creates a run over a corpus (a seeded random sample when `limit` is set), records the prompt
 * versions it uses, splits its texts into batches and enqueues them, all in one transaction.
 */
export async function createRun(
  db: Database,
  config: RunConfig,
  createdBy: string,
  options: { simulated?: boolean } = {},
): Promise<CreatedRun> {
  await ensureQueue(db);
  await ensureDefaultPrompts(db);
  const prompts = await resolveRunPrompts(db, config.prompts).catch((error: Error) => {
    throw new RunConfigError(error.message);
  });
  return inTransaction(db, async (client) => {
    const [corpus] = await queryRows(client, idRow, `SELECT id FROM corpora WHERE name = $1`, [config.corpus]);
    const corpusId = corpus?.id;
    if (!corpusId) throw new RunConfigError(`no corpus named '${config.corpus}'`);
    const name = config.name ?? `${config.corpus} ${new Date().toISOString().slice(0, 16).replace("T", " ")}`;
    const [inserted] = await queryRows(
      client,
      idRow,
      `INSERT INTO runs (name, corpus_id, config, seed, tier_threshold, simulated, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [name, corpusId, JSON.stringify(config), config.seed, config.tierThreshold, options.simulated ?? false, createdBy],
    );
    const runId = inserted!.id;
    await client.query(`INSERT INTO run_prompts (run_id, prompt_template_id) SELECT $1, unnest($2::uuid[])`, [
      runId,
      [...prompts.values()].map((p) => p.id),
    ]);
    // md5(seed || id) orders the corpus pseudo-randomly but reproducibly for the run's seed.
    const texts = await client.query(
      `INSERT INTO run_texts (run_id, source_text_id, batch)
       SELECT $1, id, ((row_number() OVER (ORDER BY pick, id)) - 1) / $4
         FROM (SELECT id, md5($3 || ':' || id::text) AS pick FROM source_texts WHERE corpus_id = $2 ORDER BY pick, id LIMIT $5) AS sample`,
      [runId, corpusId, config.seed, config.batchSize, config.limit ?? null],
    );
    const textCount = texts.rowCount ?? 0;
    if (textCount === 0) throw new RunConfigError(`corpus '${config.corpus}' has no texts`);
    const batchCount = Math.ceil(textCount / config.batchSize);
    await client.query(`UPDATE runs SET text_count = $2, batch_count = $3 WHERE id = $1`, [runId, textCount, batchCount]);
    await enqueueBatches(
      client,
      runId,
      Array.from({ length: batchCount }, (_, index) => index),
    );
    return { runId, textCount, batchCount };
  });
}
