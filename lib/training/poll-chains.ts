import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { clusterClient } from "./cluster-client";
import { clusterProfileSchema } from "./cluster-profile";
import { jobRow, type JobRow } from "./chain-view";
import { chainProfile, getChain } from "./read-chains";
import { isActiveJobState, isFailedJobState, type ClusterJobStatus, type SlurmClient } from "./slurm-client";
import type { TrainingChainView } from "./chain-view";
import { chainStage, isEvaluationStage } from "./chain-stages";
import { parseEvaluationLog, recordEvaluation } from "./evaluation-results";

const chainProgressRow = z.object({ state: z.string(), finished_at: z.date().nullable() });
const chainIdRow = z.object({ id: z.string() });

const EVALUATION_TAIL_BYTES = 16_000;

const REASON_TAIL_BYTES = 2_000;
const REASON_LINES = 6;

/** The last lines of a failed job's stderr (else stdout): the trainer's own words on why. */
async function failureTail(client: SlurmClient, job: JobRow): Promise<string | null> {
  for (const path of [job.stderr_path, job.stdout_path]) {
    const text = await client.tail(path, REASON_TAIL_BYTES).catch(() => null);
    const lines = (text ?? "")
      .split("\n")
      .map((line) => line.trimEnd())
      .filter((line) => line.trim() !== "");
    if (lines.length > 0) return lines.slice(-REASON_LINES).join("\n");
  }
  return null;
}

function describeFailure(status: ClusterJobStatus, tail: string | null): string {
  const code = status.exitCode === null ? "" : ` with exit code ${status.exitCode}`;
  return `${status.state.toLowerCase().replace(/_/g, " ")}${code}${status.reason && status.reason !== "NonZeroExitCode" ? ` (${status.reason})` : ""}${tail ? `: ${tail}` : ""}`;
}

/**
 * Asks the cluster about a chain's unfinished jobs and records what it says: state, start and end,
 * exit code, Slurm's reason, and for a failed stage the tail of its log. The chain fails as soon as
 * one stage fails (its dependants are cancelled by Slurm; scancel makes sure) and finishes once no
 * job is left active.
 */
export async function pollChain(db: Database, chainId: string, given?: SlurmClient): Promise<TrainingChainView> {
  const [chain] = await queryRows(db.pool, chainProgressRow, "SELECT state, finished_at FROM training_chains WHERE id = $1", [chainId]);
  if (!chain || chain.finished_at !== null || chain.state === "SUBMITTING") return getChain(db, chainId);
  const client = given ?? clusterClient(clusterProfileSchema.parse(await chainProfile(db, chainId)));
  const jobs = await queryRows(db.pool, jobRow, "SELECT * FROM training_jobs WHERE chain_id = $1 ORDER BY stage_order", [chainId]);
  const watched = jobs.filter((job) => job.cluster_job_id !== null && isActiveJobState(job.state));
  const statuses = await client.status(watched.map((job) => job.cluster_job_id!));
  for (const job of watched) {
    const status = statuses.get(job.cluster_job_id!);
    if (!status) continue;
    let reason = status.reason;
    if (isFailedJobState(status.state)) reason = describeFailure(status, await failureTail(client, job));
    // Slurm stamps a start time on a pending job it cancels; a job never seen running did not start.
    const neverRan =
      status.state === "CANCELLED" &&
      job.started_at === null &&
      (/Dependency/.test(status.reason ?? "") || status.startedAt?.getTime() === status.endedAt?.getTime());
    const startedAt = neverRan ? null : status.startedAt;
    await db.pool.query(
      `UPDATE training_jobs SET state = $2, reason = $3, exit_code = $4, started_at = COALESCE($5, started_at), ended_at = COALESCE($6, ended_at),
         submitted_at = COALESCE(submitted_at, $7), updated_at = now() WHERE id = $1`,
      [
        job.id,
        status.state,
        reason,
        isActiveJobState(status.state) ? null : status.exitCode,
        startedAt,
        isActiveJobState(status.state) ? null : status.endedAt,
        status.submittedAt,
      ],
    );
    Object.assign(job, { state: status.state, reason });
    const stage = chainStage(job.stage);
    if (stage && isEvaluationStage(stage) && status.state !== "PENDING") {
      // Per-question progress while it runs; the accuracy and counts from its last line once it ends.
      const log = await client.tail(job.stdout_path, EVALUATION_TAIL_BYTES).catch(() => null);
      const evaluation = log === null ? null : parseEvaluationLog(job.stage, log);
      if (evaluation) await recordEvaluation(db, chainId, job.id, evaluation);
    }
  }

  const failed = jobs.find((job) => isFailedJobState(job.state));
  const active = jobs.filter((job) => isActiveJobState(job.state));
  if (failed && active.length > 0) {
    // Slurm already cancels dependants of a failed job (kill-on-invalid-dep); this covers a cluster
    // configured otherwise, so nothing waits forever on a dependency that can never be met.
    await client.cancel(active.filter((job) => job.cluster_job_id !== null).map((job) => job.cluster_job_id!)).catch(() => undefined);
  }
  if (failed) {
    const why = `stage ${failed.stage_order} (${failed.stage}) ${failed.reason ?? failed.state}`;
    await db.pool.query(`UPDATE training_chains SET state = 'FAILED', reason = $2 WHERE id = $1 AND state IN ('ACTIVE', 'CANCELLING')`, [
      chainId,
      why,
    ]);
  }
  if (active.length === 0) {
    const unsubmitted = jobs.filter((job) => job.cluster_job_id === null);
    if (unsubmitted.length > 0)
      await db.pool.query(
        `UPDATE training_jobs SET state = 'CANCELLED', updated_at = now() WHERE chain_id = $1 AND cluster_job_id IS NULL`,
        [chainId],
      );
    const allCompleted = jobs.every((job) => job.state === "COMPLETED");
    const cancelled = jobs.find((job) => job.state === "CANCELLED");
    await db.pool.query(
      `UPDATE training_chains SET finished_at = now(),
         state = CASE WHEN state = 'FAILED' THEN 'FAILED' WHEN $2 THEN 'COMPLETED' ELSE 'CANCELLED' END,
         reason = CASE WHEN state = 'FAILED' OR $2 THEN reason ELSE COALESCE(reason, $3) END
       WHERE id = $1 AND finished_at IS NULL`,
      [chainId, allCompleted, cancelled ? `stage ${cancelled.stage_order} (${cancelled.stage}) was cancelled on the cluster` : null],
    );
  }
  return getChain(db, chainId);
}

/** Polls every unfinished chain (the studio's background loop); one chain's error does not stop the rest. */
export async function pollActiveChains(db: Database, onError?: (chainId: string, error: Error) => void): Promise<number> {
  const open = await queryRows(
    db.pool,
    chainIdRow,
    `SELECT id FROM training_chains WHERE finished_at IS NULL AND state <> 'SUBMITTING' ORDER BY created_at`,
  );
  for (const { id } of open) {
    await pollChain(db, id).catch((error: Error) => onError?.(id, error));
  }
  return open.length;
}
