import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import type { BackendClient } from "../llm/client";
import type { PromptKey } from "../pipeline/prompts";
import { CallStore } from "./call-store";
import { runConfigSchema, type PipelineRole, type RunConfig } from "./run-config";
import { StageCaller } from "./stage-caller";
import { synthesizeText } from "./synthesize-text";
import { ProgressWriter } from "./progress-writer";
import { claimPreflight, preflightRun, storePreflight } from "./run-preflight";
import { writeBatch } from "./write-batch";
import { inTransaction } from "../db/transaction";
import { probeBlock } from "./block-probe";
import { activeBlock } from "./run-health";
import { isMissingKeyMessage, RunBlockedError } from "./run-block";
import { refreshSamples } from "../samples/refresh-samples";
import { promptTemplateRow, type StoredPrompt } from "./prompt-store";

export type BatchOutcome = { kind: "processed"; texts: number } | { kind: "skipped"; reason: string };

/**
 * A batch given back to the queue because a backend was unreachable: nothing of it is written, its
 * completed calls are stored, and the queue runs it again after its backoff.
 */
export class BackendOutageError extends Error {
  constructor(reason: string) {
    super(`a backend is unavailable (${reason}); the batch is retried later`);
    this.name = "BackendOutageError";
  }
}

export interface BatchOptions {
  /** Give the batch back (BackendOutageError) rather than fail texts for an outage; false on its last try. */
  retryOutage?: boolean;
}

// The config is checked by runConfigSchema below, which names what is wrong with it.
const startedRunRow = z.object({ status: z.string(), config: z.unknown(), seed: z.string(), tier_threshold: z.number().int() });
const pendingTextRow = z.object({ id: z.number().int(), text: z.string() });
const batchTextRow = z.object({ source_text_id: z.number().int() });

export type ClientsForRun = (runId: string, config: RunConfig) => Record<PipelineRole, BackendClient>;

/**
 * Runs one batch of a run's texts through the pipeline. Replaying a batch is safe and cheap: its
 * stored calls answer again from the call store and its writes are idempotent, so a batch whose
 * worker died is simply done again by another.
 */
export async function processBatch(
  db: Database,
  runId: string,
  batch: number,
  clientsFor: ClientsForRun,
  options: BatchOptions = {},
): Promise<BatchOutcome> {
  const [run] = await queryRows(
    db.pool,
    startedRunRow,
    `UPDATE runs SET status = CASE WHEN status = 'queued' THEN 'running'::run_status ELSE status END,
                     started_at = COALESCE(started_at, now())
      WHERE id = $1 RETURNING status, config, seed, tier_threshold`,
    [runId],
  );
  if (!run) return { kind: "skipped", reason: "no such run" };
  if (run.status !== "running") return { kind: "skipped", reason: `run is ${run.status}` };
  const config = runConfigSchema.parse(run.config);

  const texts = await queryRows(
    db.pool,
    pendingTextRow,
    `SELECT s.id, s.text FROM run_texts t JOIN source_texts s ON s.id = t.source_text_id
      WHERE t.run_id = $1 AND t.batch = $2 AND t.outcome = 'pending' ORDER BY s.id`,
    [runId, batch],
  );
  if (texts.length === 0) {
    // A replay of a committed batch: its samples may be what a crash left unwritten.
    await refreshBatchSamples(db, runId, batch);
    await completeIfDone(db, runId);
    return { kind: "processed", texts: 0 };
  }
  const clients = clientsOrBlock(clientsFor, runId, config);
  // A run blocked on its backend is checked cheaply first: a parked batch must not buy refused calls.
  const block = await activeBlock(db, runId);
  if (block !== null && block.kind !== "missing-api-key") {
    const still = await probeBlock(clients);
    if (still !== null) throw new RunBlockedError(still);
  }
  // Before the run's first paid call, once: models served, schema canary, reward shape, /metrics.
  if (await claimPreflight(db, runId)) {
    let checked: Awaited<ReturnType<typeof preflightRun>>;
    try {
      checked = await preflightRun(config);
    } catch (error) {
      await storePreflight(db, runId, null);
      throw error;
    }
    // An unreachable server was not checked at all: the checks run again once it answers.
    await storePreflight(db, runId, checked.block?.kind === "backend-unreachable" ? null : checked.preflight);
    await inTransaction(db, (client) => writeBatch(client, runId, [], checked.stats));
    if (checked.block !== null) throw new RunBlockedError(checked.block);
  }
  const prompts = await runPrompts(db, runId);
  const store = new CallStore(db);
  const caller = new StageCaller(runId, clients, store, config.rewardEndpoint);
  const settings = { runSeed: run.seed, tierThreshold: run.tier_threshold, outputRetries: config.outputRetries, prompts };
  const progress = new ProgressWriter(db, runId, caller, store);
  try {
    await Promise.all(
      texts.map(async (text) => {
        progress.add(await synthesizeText(caller, settings, text));
      }),
    );
  } catch (error) {
    progress.stop();
    throw error;
  }
  // Failing texts for a configuration error or an outage would lose them for no fault of theirs: the
  // texts held back stay pending and the batch waits (parked, or back in the queue) to try again.
  if (caller.blocked !== null) {
    await progress.finish();
    throw new RunBlockedError(caller.blocked);
  }
  if (caller.outage !== null && options.retryOutage === true) {
    await progress.finish();
    throw new BackendOutageError(caller.outage);
  }
  await progress.finish(progress.heldBack());
  await completeIfDone(db, runId);
  return { kind: "processed", texts: progress.written };
}

/** The run's clients, or the block a worker lacking a role's API-key variable puts the run in. */
function clientsOrBlock(clientsFor: ClientsForRun, runId: string, config: RunConfig): Record<PipelineRole, BackendClient> {
  try {
    return clientsFor(runId, config);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (isMissingKeyMessage(message)) throw new RunBlockedError({ kind: "missing-api-key", reason: message });
    throw error;
  }
}

/** The curation view of a batch's texts, rebuilt after the batch commits (idempotent). */
async function refreshBatchSamples(db: Database, runId: string, batch: number): Promise<void> {
  const ids = await queryRows(db.pool, batchTextRow, `SELECT source_text_id FROM run_texts WHERE run_id = $1 AND batch = $2`, [
    runId,
    batch,
  ]);
  await refreshSamples(
    db,
    runId,
    ids.map((row) => row.source_text_id),
  );
}

async function runPrompts(db: Database, runId: string): Promise<Map<PromptKey, StoredPrompt>> {
  const prompts = await queryRows(
    db.pool,
    promptTemplateRow,
    `SELECT p.* FROM run_prompts r JOIN prompt_templates p ON p.id = r.prompt_template_id WHERE r.run_id = $1`,
    [runId],
  );
  return new Map(prompts.map((prompt) => [prompt.key, prompt]));
}

/** A run whose every text has an outcome is complete. */
export async function completeIfDone(db: Database, runId: string): Promise<boolean> {
  const result = await db.pool.query(
    `UPDATE runs SET status = 'completed', finished_at = now()
      WHERE id = $1 AND status = 'running'
        AND NOT EXISTS (SELECT 1 FROM run_texts WHERE run_id = $1 AND outcome = 'pending')`,
    [runId],
  );
  return (result.rowCount ?? 0) > 0;
}
