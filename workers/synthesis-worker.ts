import { hostname } from "node:os";
import { EventEmitter } from "node:events";
import { makeWorkerUtils, run, type Runner, type WorkerEvents, type WorkerUtils } from "graphile-worker";
import { z } from "zod";
import { recordHeartbeats } from "../lib/runs/worker-heartbeats";
import type { Database } from "../lib/db/database";
import { clientsForRun } from "../lib/runs/backend-clients";
import { BackendOutageError, processBatch, type BatchOutcome, type ClientsForRun } from "../lib/runs/process-batch";
import { RunBlockedError, type RunBlock } from "../lib/runs/run-block";
import { clearBlock, recordBlock, recordTransient } from "../lib/runs/run-health";
import type { BackendClient } from "../lib/llm/client";
import type { PipelineRole } from "../lib/runs/run-config";
import { createBackendClient } from "../lib/llm/client";
import { readBackendKey } from "../lib/llm/backend-key";
import { judgeComparisonBatch, type JudgeClientFor } from "../lib/comparison/judge-batch";
import { runProjection, type ProjectionOutcome } from "../lib/projection/run-projection";
import { COMPARISON_BATCH_TASK, ensureQueue, PROJECTION_TASK, quietLogger, RUN_BATCH_TASK } from "../lib/queue/jobs";
import { patientPool } from "./patient-pool";

const BatchPayload = z.object({ runId: z.uuid(), batch: z.number().int().min(0) });
const ComparisonBatchPayload = z.object({ judgingId: z.uuid(), batch: z.number().int().min(0) });
const ProjectionPayload = z.object({ projectionId: z.uuid() });

// A worker silent this long is dead (killed, its machine lost): its locked jobs are released to others.
const STALE_AFTER_SECONDS = Number(process.env.FINEMED_WORKER_STALE_SECONDS ?? 15);
// Several beats fit in the stale window, so a live worker under load is never taken for dead.
const HEARTBEAT_MS = Math.max(500, (STALE_AFTER_SECONDS * 1000) / 5);

// The worker as a user finds it: the machine and the process.
const WORKER_LABEL = `${hostname()}:${process.pid}`;

/** How long a parked batch of a blocked run waits before checking its condition again (FINEMED_BLOCKED_RECHECK_SECONDS). */
function blockedRecheckMs(): number {
  const seconds = Number(process.env.FINEMED_BLOCKED_RECHECK_SECONDS ?? 10);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 10) * 1000;
}

// Attempts 1–5 wait out an outage (about 4 minutes of queue backoff plus each attempt's circuit wait).
const OUTAGE_ATTEMPTS = 6;

export interface WorkerOptions {
  /** Batches processed at once by this process. */
  concurrency?: number;
  pollIntervalMs?: number;
  onBatch?: (event: { runId: string; batch: number; texts: number; skipped?: string; blocked?: string }) => void;
  onProjection?: (event: { projectionId: string } & ProjectionOutcome) => void;
}

export interface SynthesisWorker {
  workerIds(): string[];
  stop(): Promise<void>;
  promise: Promise<void>;
}

/**
 * A queue consumer for synthesis runs; any number of them, on any machine pointed at the same database,
 * share the work. Each keeps a heartbeat, and each releases the jobs of workers that stopped beating.
 */
export async function startSynthesisWorker(db: Database, options: WorkerOptions = {}): Promise<SynthesisWorker> {
  await ensureQueue(db);
  const clientCache = new Map<string, Record<PipelineRole, BackendClient>>();
  const clientsFor: ClientsForRun = (runId, config) => {
    let clients = clientCache.get(runId);
    if (!clients) {
      clients = clientsForRun(config);
      clientCache.set(runId, clients);
    }
    return clients;
  };
  // One client per judging, so its concurrency limit and circuit breaker span all of its batches.
  const judgeCache = new Map<string, BackendClient>();
  const judgeFor: JudgeClientFor = (judgingId, settings) => {
    let client = judgeCache.get(judgingId);
    if (!client) {
      const { apiKeyEnv, ...backend } = settings;
      const apiKey = readBackendKey(apiKeyEnv, "the judge");
      client = createBackendClient({ ...backend, role: "judge", ...(apiKey ? { apiKey } : {}) });
      judgeCache.set(judgingId, client);
    }
    return client;
  };
  const ids = new Set<string>();
  // Passed in rather than read off the runner: the pool and its workers exist before run() returns.
  // Jobs are locked under the pool's id (or a worker's), so both are beaten for and unlocked.
  const events: WorkerEvents = new EventEmitter();
  events.on("pool:create", ({ workerPool }) => {
    ids.add(workerPool.id);
  });
  events.on("worker:create", ({ worker }) => {
    ids.add(worker.workerId);
  });
  let stopped = false;
  // The queue's own bookkeeping waits out a database restart rather than crashing the process.
  const queuePool = patientPool(db.pool, {
    maxWaitMs: Number(process.env.FINEMED_WORKER_DB_WAIT_SECONDS ?? 300) * 1000,
    giveUp: () => stopped,
    onRetry: (error, waited) => {
      if (waited === 0) process.stderr.write(`[worker] database unreachable (${error.message}); waiting for it\n`);
    },
  });
  const runner: Runner = await run({
    events,
    pgPool: queuePool,
    concurrency: options.concurrency ?? 4,
    pollInterval: options.pollIntervalMs ?? (db.embedded ? 250 : 1_000),
    noHandleSignals: true,
    noPreparedStatements: db.embedded,
    logger: quietLogger(),
    taskList: {
      [RUN_BATCH_TASK]: async (payload, helpers) => {
        const { runId, batch } = BatchPayload.parse(payload);
        const park = async (block: RunBlock) => {
          // Parked, not failed: a new job under the same key, checked again (cheaply) after a while; the
          // queue's attempts stay low and the run says why it waits, and who saw it.
          await recordBlock(db, runId, block, WORKER_LABEL);
          await helpers.addJob(
            RUN_BATCH_TASK,
            { runId, batch },
            { jobKey: `${runId}:${batch}`, runAt: new Date(Date.now() + blockedRecheckMs()), maxAttempts: 10 },
          );
          options.onBatch?.({ runId, batch, texts: 0, blocked: block.reason });
        };
        let outcome: BatchOutcome;
        try {
          outcome = await processBatch(db, runId, batch, clientsFor, { retryOutage: true });
        } catch (error) {
          if (error instanceof RunBlockedError) return park(error.block);
          if (error instanceof BackendOutageError) {
            // A batch meeting an outage goes back to the queue (backoff e^attempt s) a few times, counted
            // where the user looks; a backend that stays away blocks the run rather than failing its texts.
            if (helpers.job.attempts >= Math.min(helpers.job.max_attempts, OUTAGE_ATTEMPTS)) {
              return park({
                kind: "backend-unreachable",
                reason: `the backend stayed unavailable over ${helpers.job.attempts} tries: ${error.message}`,
              });
            }
            await recordTransient(db, runId, error.message);
          }
          throw error;
        }
        if (outcome.kind === "processed" && outcome.texts > 0) await clearBlock(db, runId);
        options.onBatch?.({
          runId,
          batch,
          texts: outcome.kind === "processed" ? outcome.texts : 0,
          ...(outcome.kind === "skipped" ? { skipped: outcome.reason } : {}),
        });
      },
      [COMPARISON_BATCH_TASK]: async (payload) => {
        const { judgingId, batch } = ComparisonBatchPayload.parse(payload);
        await judgeComparisonBatch(db, judgingId, batch, judgeFor);
      },
      [PROJECTION_TASK]: async (payload) => {
        const { projectionId } = ProjectionPayload.parse(payload);
        const outcome = await runProjection(db, projectionId);
        options.onProjection?.({ projectionId, ...outcome });
      },
    },
  });
  const utils: WorkerUtils = await makeWorkerUtils({ pgPool: queuePool, noPreparedStatements: db.embedded, logger: quietLogger() });
  const beat = async () => {
    if (stopped || ids.size === 0) return;
    const workerIds = [...ids];
    const stale = await recordHeartbeats(db, workerIds, hostname(), process.pid, STALE_AFTER_SECONDS);
    if (stale.length > 0) await utils.forceUnlockWorkers(stale);
  };
  const timer = setInterval(() => {
    beat().catch((error: unknown) => process.stderr.write(`[worker] heartbeat failed: ${(error as Error).message}\n`));
  }, HEARTBEAT_MS);
  void beat().catch(() => undefined);
  return {
    workerIds: () => [...ids],
    promise: runner.promise,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await runner.stop();
      await db.pool.query(`DELETE FROM worker_heartbeats WHERE worker_id = ANY($1::text[])`, [[...ids]]).catch(() => undefined);
      await utils.release();
    },
  };
}
