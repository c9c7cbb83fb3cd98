import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { CHAIN_SELECT, chainRow, jobRow, toChainView, type JobRow, type TrainingChainView } from "./chain-view";
import { evaluationsOf } from "./evaluation-results";
import { TrainingChainNotFound } from "./training-errors";

async function jobsOf(db: Database, chainIds: string[]): Promise<JobRow[]> {
  if (chainIds.length === 0) return [];
  return queryRows(db.pool, jobRow, "SELECT * FROM training_jobs WHERE chain_id = ANY($1::uuid[]) ORDER BY chain_id, stage_order", [
    chainIds,
  ]);
}

/** Chains, newest first; of one dataset version when given. */
export async function listChains(db: Database, options: { versionId?: string; limit?: number } = {}): Promise<TrainingChainView[]> {
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 500);
  const rows = options.versionId
    ? await queryRows(db.pool, chainRow, `${CHAIN_SELECT} WHERE c.version_id = $1 ORDER BY c.created_at DESC LIMIT $2`, [
        options.versionId,
        limit,
      ])
    : await queryRows(db.pool, chainRow, `${CHAIN_SELECT} ORDER BY c.created_at DESC LIMIT $1`, [limit]);
  const ids = rows.map((row) => row.id);
  const [jobs, evaluations] = await Promise.all([jobsOf(db, ids), evaluationsOf(db, ids)]);
  return rows.map((row) => toChainView(row, jobs, evaluations.get(row.id) ?? []));
}

export async function getChain(db: Database, chainId: string): Promise<TrainingChainView> {
  if (!z.uuid().safeParse(chainId).success) throw new TrainingChainNotFound(chainId);
  const [row] = await queryRows(db.pool, chainRow, `${CHAIN_SELECT} WHERE c.id = $1`, [chainId]);
  if (!row) throw new TrainingChainNotFound(chainId);
  const [jobs, evaluations] = await Promise.all([jobsOf(db, [chainId]), evaluationsOf(db, [chainId])]);
  return toChainView(row, jobs, evaluations.get(chainId) ?? []);
}

// Passed through as stored: each reader parses it with clusterProfileSchema.
const chainProfileRow = z.object({ profile: z.unknown() });

/** The profile a chain was submitted with, exactly as stored on the chain. */
export async function chainProfile(db: Database, chainId: string): Promise<unknown> {
  const [row] = await queryRows(db.pool, chainProfileRow, "SELECT profile FROM training_chains WHERE id = $1", [chainId]);
  if (!row) throw new TrainingChainNotFound(chainId);
  return row.profile;
}
