import type pg from "pg";

/** Who made the latest curated change to a sample and when, for conflict messages. */
export async function lastChange(client: pg.PoolClient, instructionId: number): Promise<{ actor: string; at: string } | null> {
  const result = await client.query<{ actor: string; created_at: Date }>(
    `SELECT actor, created_at FROM label_changes WHERE instruction_id = $1 ORDER BY id DESC LIMIT 1`,
    [instructionId],
  );
  const row = result.rows[0];
  return row ? { actor: row.actor, at: row.created_at.toISOString() } : null;
}
