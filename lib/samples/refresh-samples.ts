import type { Database } from "../db/database";

export interface RefreshResult {
  /** Sample rows inserted or changed. */
  samples: number;
  /** Document rows (instruction text, snippet, full-text vector) inserted or changed. */
  documents: number;
}

export const SNIPPET_CHARS = 280;

// Model labels map to departments by current name or by a former name (a renamed department keeps
// its old name as an alias, and the classifier prompts still use the paper's names).
const DEPARTMENT_NAMES = `department_names AS (
  SELECT id, level::text AS level, unnest(array_prepend(name, coalesce(aliases, ARRAY[]::text[]))) AS name FROM departments)`;

// The run tables restricted to one run, or to some of its texts (a just-committed batch): every join
// below is on an indexed key, so a batch's refresh reads only that batch's rows.
const SCOPE = `i.run_id = $1::uuid AND ($2::bigint[] IS NULL OR i.source_text_id = ANY($2::bigint[]))`;

const UPSERT_SAMPLES = `
WITH ${DEPARTMENT_NAMES}
INSERT INTO samples AS s (instruction_id, source_text_id, chosen_response_id, reward_score, updated_at, run_id, status, tier,
                          position, quality, difficulty, relevance, model_primary_id, model_secondary_id, primary_id, secondary_id,
                          mentions_details, judgement_valid, label_remapped, has_dpo_pair, failed_stage, model_confidence)
SELECT i.id, i.source_text_id, r.id, r.reward_score, now(), i.run_id,
       (CASE t.outcome
          WHEN 'kept' THEN CASE WHEN t.kept_instruction_id = i.id THEN 'kept' ELSE 'other_kept' END
          WHEN 'none_kept' THEN 'none_kept'
          WHEN 'failed' THEN CASE WHEN t.failed_stage = 'judgement' THEN 'judgement_failed' ELSE 'text_failed' END
          ELSE 'pending' END)::sample_status,
       CASE WHEN t.kept_instruction_id = i.id THEN t.tier::sample_tier END,
       i.position, j.quality, j.difficulty, j.relevance, dp.id, ds.id, dp.id, ds.id,
       j.mentions_details, coalesce(j.valid, false),
       coalesce(btrim(lp.raw_answer) <> lp.department, false) OR coalesce(btrim(ls.raw_answer) <> coalesce(ls.department, 'None'), false),
       dpo.instruction_id IS NOT NULL,
       CASE WHEN t.outcome = 'failed' THEN t.failed_stage END,
       -- the weaker of the two labels bounds the sample; LEAST skips NULLs, so one known level still counts
       least(lp.confidence, ls.confidence)
  FROM instructions i
  JOIN run_texts t ON t.run_id = i.run_id AND t.source_text_id = i.source_text_id
  LEFT JOIN judgements j ON j.instruction_id = i.id
  LEFT JOIN responses r ON r.instruction_id = i.id AND r.chosen
  LEFT JOIN dpo_pairs dpo ON dpo.instruction_id = i.id
  LEFT JOIN department_labels lp ON lp.instruction_id = i.id AND lp.level = 'primary'
  LEFT JOIN department_labels ls ON ls.instruction_id = i.id AND ls.level = 'secondary'
  LEFT JOIN department_names dp ON dp.level = 'primary' AND dp.name = lp.department
  LEFT JOIN department_names ds ON ds.level = 'secondary' AND ds.name = ls.department
 WHERE ${SCOPE}
ON CONFLICT (instruction_id) DO UPDATE SET
  chosen_response_id = EXCLUDED.chosen_response_id, reward_score = EXCLUDED.reward_score, status = EXCLUDED.status,
  tier = EXCLUDED.tier, quality = EXCLUDED.quality, difficulty = EXCLUDED.difficulty, relevance = EXCLUDED.relevance,
  model_primary_id = EXCLUDED.model_primary_id, model_secondary_id = EXCLUDED.model_secondary_id,
  -- a curator's override outlives every refresh; only an unoverridden label follows the model
  primary_id = CASE WHEN s.curated_primary_id IS NULL THEN EXCLUDED.model_primary_id ELSE s.curated_primary_id END,
  secondary_id = CASE WHEN s.curated_primary_id IS NULL THEN EXCLUDED.model_secondary_id ELSE s.curated_secondary_id END,
  mentions_details = EXCLUDED.mentions_details, judgement_valid = EXCLUDED.judgement_valid,
  label_remapped = EXCLUDED.label_remapped, has_dpo_pair = EXCLUDED.has_dpo_pair, failed_stage = EXCLUDED.failed_stage,
  model_confidence = EXCLUDED.model_confidence, updated_at = now()
WHERE (s.chosen_response_id, s.reward_score, s.status, s.tier, s.quality, s.difficulty, s.relevance, s.model_primary_id,
       s.model_secondary_id, s.mentions_details, s.judgement_valid, s.label_remapped, s.has_dpo_pair, s.failed_stage, s.model_confidence)
  IS DISTINCT FROM
      (EXCLUDED.chosen_response_id, EXCLUDED.reward_score, EXCLUDED.status, EXCLUDED.tier, EXCLUDED.quality, EXCLUDED.difficulty,
       EXCLUDED.relevance, EXCLUDED.model_primary_id, EXCLUDED.model_secondary_id, EXCLUDED.mentions_details,
       EXCLUDED.judgement_valid, EXCLUDED.label_remapped, EXCLUDED.has_dpo_pair, EXCLUDED.failed_stage, EXCLUDED.model_confidence)`;

const UPSERT_DOCUMENTS = `
INSERT INTO sample_documents AS d (instruction_id, instruction, source_snippet, search)
SELECT i.id, i.text, left(st.text, ${SNIPPET_CHARS}), to_tsvector('english', i.text || ' ' || coalesce(r.text, ''))
  FROM instructions i
  JOIN source_texts st ON st.id = i.source_text_id
  LEFT JOIN responses r ON r.instruction_id = i.id AND r.chosen
 WHERE ${SCOPE}
   AND NOT EXISTS (SELECT 1 FROM sample_documents x WHERE x.instruction_id = i.id AND x.instruction = i.text
                     AND x.search = to_tsvector('english', i.text || ' ' || coalesce(r.text, '')))
ON CONFLICT (instruction_id) DO UPDATE SET
  instruction = EXCLUDED.instruction, source_snippet = EXCLUDED.source_snippet, search = EXCLUDED.search`;

/**
 * (Re)builds the samples of a run from its run tables, or only those of some source texts (call it
 * with a batch's texts after the batch commits). Idempotent: unchanged rows are not rewritten, and
 * curated labels and their versions are never touched.
 */
export async function refreshSamples(db: Database, runId: string, sourceTextIds?: readonly number[]): Promise<RefreshResult> {
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    const params = [runId, sourceTextIds === undefined ? null : [...sourceTextIds]];
    const samples = await client.query(UPSERT_SAMPLES, params);
    const documents = await client.query(UPSERT_DOCUMENTS, params);
    await client.query("COMMIT");
    return { samples: samples.rowCount ?? 0, documents: documents.rowCount ?? 0 };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
