import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";

export interface ExportSources {
  runs: { id: string; name: string; corpus: string; seed: string; tierThreshold: number; simulated: boolean; createdAt: string }[];
  prompts: { key: string; version: number; checksum: string }[];
  /** Model per role, from each run's configuration. */
  models: { role: string; model: string }[];
}

const sourceRunRow = z.object({
  id: z.string(),
  name: z.string(),
  corpus: z.string(),
  seed: z.string(),
  tier_threshold: z.number().int(),
  simulated: z.boolean(),
  created_at: z.date(),
  // config->'roles' of a validated run config: only each role's model is read.
  roles: z.record(z.string(), z.object({ model: z.string().optional() }).nullable()).nullable(),
});
const promptRow = z.object({ key: z.string(), version: z.number().int(), checksum: z.string() });

/** Where a version's data came from: its runs, the prompt versions they used, and the models per role. */
export async function exportSources(db: Database, runIds: readonly string[]): Promise<ExportSources> {
  const runs = await queryRows(
    db.pool,
    sourceRunRow,
    `SELECT r.id, r.name, c.name AS corpus, r.seed, r.tier_threshold, r.simulated, r.created_at, r.config->'roles' AS roles
       FROM runs r JOIN corpora c ON c.id = r.corpus_id WHERE r.id = ANY($1::uuid[]) ORDER BY r.created_at, r.id`,
    [runIds],
  );
  const prompts = await queryRows(
    db.pool,
    promptRow,
    `SELECT DISTINCT p.key, p.version, p.checksum FROM run_prompts rp JOIN prompt_templates p ON p.id = rp.prompt_template_id
      WHERE rp.run_id = ANY($1::uuid[]) ORDER BY p.key, p.version`,
    [runIds],
  );
  const models = new Map<string, { role: string; model: string }>();
  for (const run of runs) {
    for (const [role, settings] of Object.entries(run.roles ?? {})) {
      if (settings?.model) models.set(`${role}\u0000${settings.model}`, { role, model: settings.model });
    }
  }
  return {
    runs: runs.map((r) => ({
      id: r.id,
      name: r.name,
      corpus: r.corpus,
      seed: r.seed,
      tierThreshold: r.tier_threshold,
      simulated: r.simulated,
      createdAt: r.created_at.toISOString(),
    })),
    prompts,
    models: [...models.values()].sort((a, b) => a.role.localeCompare(b.role) || a.model.localeCompare(b.model)),
  };
}
