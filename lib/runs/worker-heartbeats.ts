import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";

const staleWorkerRow = z.object({ worker_id: z.string() });

/**
 * Marks these workers alive and forgets the ones silent for `staleAfterSeconds`, returning those:
 * their jobs are unlocked so another worker takes them over.
 */
export async function recordHeartbeats(
  db: Pick<Database, "pool">,
  workerIds: readonly string[],
  host: string,
  pid: number,
  staleAfterSeconds: number,
): Promise<string[]> {
  await db.pool.query(
    `INSERT INTO worker_heartbeats (worker_id, hostname, pid) SELECT unnest($1::text[]), $2, $3
     ON CONFLICT (worker_id) DO UPDATE SET last_seen = now()`,
    [workerIds, host, pid],
  );
  const stale = await queryRows(
    db.pool,
    staleWorkerRow,
    `DELETE FROM worker_heartbeats WHERE last_seen < now() - make_interval(secs => $1) RETURNING worker_id`,
    [staleAfterSeconds],
  );
  return stale.map((row) => row.worker_id);
}
