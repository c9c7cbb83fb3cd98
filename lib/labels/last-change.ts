import type pg from "pg";
import { z } from "zod";
import { queryRows } from "../db/checked-rows";

const lastChangeRow = z.object({ actor: z.string(), created_at: z.date() });

/** Who made the latest curated change to a sample and when, for conflict messages. */
export async function lastChange(client: pg.PoolClient, instructionId: number): Promise<{ actor: string; at: string } | null> {
  const [row] = await queryRows(
    client,
    lastChangeRow,
    `SELECT actor, created_at FROM label_changes WHERE instruction_id = $1 ORDER BY id DESC LIMIT 1`,
    [instructionId],
  );
  return row ? { actor: row.actor, at: row.created_at.toISOString() } : null;
}
