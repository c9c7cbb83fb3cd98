import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { enqueueBatches, ensureQueue } from "../queue/jobs";

export type RunAction = "pause" | "resume" | "cancel";

export type ControlResult = { ok: true; status: string } | { ok: false; reason: string };

const ALLOWED: Record<RunAction, { from: string[]; to: string }> = {
  pause: { from: ["queued", "running"], to: "paused" },
  resume: { from: ["paused"], to: "running" },
  cancel: { from: ["queued", "running", "paused"], to: "cancelled" },
};

const runStatusRow = z.object({ status: z.string() });
const pendingBatchRow = z.object({ batch: z.number().int() });

/**
 * Pause and cancel take effect between batches (a batch in flight finishes and keeps its paid-for
 * work); resume re-enqueues every batch that still has pending texts.
 */
export async function controlRun(db: Database, runId: string, action: RunAction): Promise<ControlResult> {
  await ensureQueue(db);
  const rule = ALLOWED[action];
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    const [current] = await queryRows(client, runStatusRow, `SELECT status FROM runs WHERE id = $1 FOR UPDATE`, [runId]);
    const status = current?.status;
    if (!status) {
      await client.query("ROLLBACK");
      return { ok: false, reason: "no such run" };
    }
    if (!rule.from.includes(status)) {
      await client.query("ROLLBACK");
      return { ok: false, reason: `cannot ${action} a run that is ${status}` };
    }
    await client.query(
      `UPDATE runs SET status = $2::run_status, finished_at = CASE WHEN $2 = 'cancelled' THEN now() ELSE finished_at END WHERE id = $1`,
      [runId, rule.to],
    );
    if (action === "resume") {
      const pending = await queryRows(
        client,
        pendingBatchRow,
        `SELECT DISTINCT batch FROM run_texts WHERE run_id = $1 AND outcome = 'pending' ORDER BY batch`,
        [runId],
      );
      await enqueueBatches(
        client,
        runId,
        pending.map((row) => row.batch),
      );
      if (pending.length === 0) {
        await client.query(`UPDATE runs SET status = 'completed', finished_at = now() WHERE id = $1`, [runId]);
        await client.query("COMMIT");
        return { ok: true, status: "completed" };
      }
    }
    await client.query("COMMIT");
    return { ok: true, status: rule.to };
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
}
