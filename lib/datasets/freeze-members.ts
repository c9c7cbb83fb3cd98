import type pg from "pg";
import { z } from "zod";
import { queryRows } from "../db/checked-rows";
import type { SqlParams } from "../samples/sql-params";

/**
 * Materialises the selection into a temporary table in the caller's transaction: the label in force,
 * the tier and the chosen response now, plus the rejected answer of a DPO pair whose two sides differ
 * (a pair with the same text on both sides teaches nothing, so it never becomes a DPO row). One
 * INSERT … SELECT reads one snapshot, so concurrent relabels cannot tear the version.
 */
export async function freezeMembers(client: pg.PoolClient, where: string, params: SqlParams): Promise<void> {
  await client.query(`CREATE TEMP TABLE frozen_members (
      instruction_id bigint PRIMARY KEY, chosen_response_id bigint NOT NULL, rejected_response_id bigint,
      tier sample_tier NOT NULL, primary_id smallint, secondary_id smallint) ON COMMIT DROP`);
  await client.query(
    `INSERT INTO frozen_members
     SELECT s.instruction_id, s.chosen_response_id,
            CASE WHEN s.tier = 'complex' AND btrim(rc.text) <> btrim(rr.text) THEN d.rejected_response_id END,
            s.tier, s.primary_id, s.secondary_id
       FROM samples s
       LEFT JOIN dpo_pairs d ON d.instruction_id = s.instruction_id
       LEFT JOIN responses rc ON rc.id = d.chosen_response_id
       LEFT JOIN responses rr ON rr.id = d.rejected_response_id
      WHERE ${where} AND s.status = 'kept' AND s.tier IS NOT NULL AND s.chosen_response_id IS NOT NULL`,
    params.values,
  );
  await client.query("ANALYZE frozen_members");
}

/**
 * The content hash: sha256 of one line per member in instruction order,
 * `instruction_id,chosen_response_id,rejected_response_id|-,tier,primary_id|-,secondary_id|-`, joined by "\n".
 */
export const CONTENT_HASH_FORMAT =
  "sha256 over lines 'instruction_id,chosen_response_id,rejected_response_id|-,tier,primary_id|-,secondary_id|-' in instruction_id order, joined by \\n";

export async function frozenContentHash(client: pg.PoolClient, table: string, versionId?: string): Promise<string> {
  const [result] = await queryRows(
    client,
    z.object({ hash: z.string() }),
    `SELECT encode(sha256(convert_to(coalesce(string_agg(concat_ws(',', instruction_id, chosen_response_id, coalesce(rejected_response_id::text, '-'),
              tier::text, coalesce(primary_id::text, '-'), coalesce(secondary_id::text, '-')), E'\\n' ORDER BY instruction_id), ''), 'UTF8')), 'hex') AS hash
       FROM ${table} ${versionId === undefined ? "" : "WHERE version_id = $1"}`,
    versionId === undefined ? [] : [versionId],
  );
  return result!.hash;
}
