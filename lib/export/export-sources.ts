import type { Database } from "../db/database";

export interface ExportSources {
  runs: { id: string; name: string; corpus: string; seed: string; tierThreshold: number; simulated: boolean; createdAt: string }[];
  prompts: { key: string; version: number; checksum: string }[];
  /** Model per role, from each run's configuration. */
  models: { role: string; model: string }[];
}

/** Where a version's data came from: its runs, the prompt versions they used, and the models per role. */
export async function exportSources(db: Database, runIds: readonly string[]): Promise<ExportSources> {
  const runs = await db.pool.query<{
    id: string;
    name: string;
    corpus: string;
    seed: string;
    tier_threshold: number;
    simulated: boolean;
    created_at: Date;
    roles: Record<string, { model?: string }> | null;
  }>(
    `SELECT r.id, r.name, c.name AS corpus, r.seed, r.tier_threshold, r.simulated, r.created_at, r.config->'roles' AS roles
       FROM runs r JOIN corpora c ON c.id = r.corpus_id WHERE r.id = ANY($1::uuid[]) ORDER BY r.created_at, r.id`,
    [runIds],
  );
  const prompts = await db.pool.query<{ key: string; version: number; checksum: string }>(
    `SELECT DISTINCT p.key, p.version, p.checksum FROM run_prompts rp JOIN prompt_templates p ON p.id = rp.prompt_template_id
      WHERE rp.run_id = ANY($1::uuid[]) ORDER BY p.key, p.version`,
    [runIds],
  );
  const models = new Map<string, { role: string; model: string }>();
  for (const run of runs.rows) {
    for (const [role, settings] of Object.entries(run.roles ?? {})) {
      if (settings?.model) models.set(`${role}\u0000${settings.model}`, { role, model: settings.model });
    }
  }
  return {
    runs: runs.rows.map((r) => ({
      id: r.id,
      name: r.name,
      corpus: r.corpus,
      seed: r.seed,
      tierThreshold: r.tier_threshold,
      simulated: r.simulated,
      createdAt: r.created_at.toISOString(),
    })),
    prompts: prompts.rows,
    models: [...models.values()].sort((a, b) => a.role.localeCompare(b.role) || a.model.localeCompare(b.model)),
  };
}
