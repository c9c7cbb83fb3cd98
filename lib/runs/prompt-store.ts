import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { DEFAULT_PROMPTS, templateChecksum, templateVariables, type PromptKey, type PromptRole } from "../pipeline/prompts";

// Every key and role a stored prompt may have: versions are derived from the defaults, never invented.
const PROMPT_KEYS = new Set<string>(DEFAULT_PROMPTS.map((prompt) => prompt.key));
const PROMPT_ROLES = new Set<string>(DEFAULT_PROMPTS.map((prompt) => prompt.role));

/** A prompt_templates row (`SELECT *`), read as the pipeline uses it. */
export const promptTemplateRow = z
  .object({
    id: z.string(),
    key: z.string().refine((key): key is PromptKey => PROMPT_KEYS.has(key), { error: "is not a known prompt key" }),
    version: z.number().int(),
    role: z.string().refine((role): role is PromptRole => PROMPT_ROLES.has(role), { error: "is not a prompt role" }),
    template: z.string(),
    checksum: z.string(),
    source: z.string(),
    derived_from_id: z.string().nullable(),
    created_by: z.string(),
    created_at: z.date(),
  })
  .transform((row) => ({
    id: row.id,
    key: row.key,
    version: row.version,
    role: row.role,
    template: row.template,
    checksum: row.checksum,
    source: row.source,
    derivedFromId: row.derived_from_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
  }));
export type StoredPrompt = z.output<typeof promptTemplateRow>;

/** Stores the paper's prompts (Tables 4–13) as version 1 of each key, once. */
export async function ensureDefaultPrompts(db: Database): Promise<void> {
  await db.pool.query(
    `INSERT INTO prompt_templates (key, version, role, template, checksum, source, created_by)
     SELECT k, 1, r, t, c, s, 'studio' FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(k, r, t, c, s)
     ON CONFLICT (key, version) DO NOTHING`,
    [
      DEFAULT_PROMPTS.map((p) => p.key),
      DEFAULT_PROMPTS.map((p) => p.role),
      DEFAULT_PROMPTS.map((p) => p.template),
      DEFAULT_PROMPTS.map((p) => templateChecksum(p.template)),
      DEFAULT_PROMPTS.map((p) => p.source),
    ],
  );
}

export async function listPrompts(db: Database): Promise<StoredPrompt[]> {
  await ensureDefaultPrompts(db);
  return queryRows(db.pool, promptTemplateRow, `SELECT * FROM prompt_templates ORDER BY key, version`);
}

/**
 * The prompt versions a run uses: the named version of a key, else its newest. Fails on a named
 * version that does not exist.
 */
export async function resolveRunPrompts(db: Database, requested: Record<string, number>): Promise<Map<PromptKey, StoredPrompt>> {
  const all = await listPrompts(db);
  const resolved = new Map<PromptKey, StoredPrompt>();
  for (const prompt of all) {
    const wanted = requested[prompt.key];
    if (wanted === undefined ? (resolved.get(prompt.key)?.version ?? 0) < prompt.version : wanted === prompt.version) {
      resolved.set(prompt.key, prompt);
    }
  }
  for (const [key, version] of Object.entries(requested)) {
    if (resolved.get(key as PromptKey)?.version !== version) throw new Error(`prompt ${key} has no version ${version}`);
  }
  return resolved;
}

/**
 * A new version of a prompt derived from an existing one; the old version is never changed, so every
 * run keeps exactly the text it used.
 */
export async function derivePrompt(
  db: Database,
  input: { key: string; fromVersion: number; template: string; createdBy: string },
): Promise<StoredPrompt> {
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    const [parent] = await queryRows(client, promptTemplateRow, `SELECT * FROM prompt_templates WHERE key = $1 AND version = $2`, [
      input.key,
      input.fromVersion,
    ]);
    if (!parent) throw new Error(`prompt ${input.key} has no version ${input.fromVersion}`);
    const missing = templateVariables(parent.template).filter((name) => !input.template.includes(`{{${name}}}`));
    if (missing.length > 0) throw new Error(`the new template lacks ${missing.map((name) => `{{${name}}}`).join(", ")}`);
    // Serialise derivations of one key so two curators cannot both create version N+1.
    await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`prompt:${input.key}`]);
    const [created] = await queryRows(
      client,
      promptTemplateRow,
      `INSERT INTO prompt_templates (key, version, role, template, checksum, source, derived_from_id, created_by)
       SELECT $1, max(version) + 1, $2, $3, $4, $5, $6, $7 FROM prompt_templates WHERE key = $1
       RETURNING *`,
      [
        input.key,
        parent.role,
        input.template,
        templateChecksum(input.template),
        `derived from version ${input.fromVersion}`,
        parent.id,
        input.createdBy,
      ],
    );
    await client.query("COMMIT");
    return created!;
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
}
