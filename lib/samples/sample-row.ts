import { z } from "zod";
import type { TaxonomyIndex } from "../taxonomy/taxonomy-index";
import { SAMPLE_STATUSES, SAMPLE_TIERS, type SampleStatus, type SampleTier } from "./sample-query";

export interface DepartmentLabel {
  primary: string | null;
  secondary: string | null;
}

/** One row of the samples browser, JSON-safe. */
export interface SampleRow {
  id: number;
  runId: string;
  sourceTextId: number;
  position: number;
  instruction: string;
  sourceSnippet: string;
  quality: number | null;
  difficulty: number | null;
  relevance: number | null;
  mentionsDetails: boolean | null;
  judgementValid: boolean;
  /** kept, or why it was filtered out. */
  status: SampleStatus;
  /** The stage a failed text stopped at. */
  failedStage: string | null;
  tier: SampleTier | null;
  rewardScore: number | null;
  hasDpoPair: boolean;
  model: DepartmentLabel;
  /** Null when the curator has not overridden the model's label. */
  curated: DepartmentLabel | null;
  /** The label in force. */
  label: DepartmentLabel;
  labelVersion: number;
  updatedAt: string;
}

/** The columns a SampleRow is built from, selected from `samples s` joined to `sample_documents d`. */
export const SAMPLE_ROW_COLUMNS = `s.instruction_id, s.run_id, s.source_text_id, s.position, d.instruction, d.source_snippet,
  s.quality, s.difficulty, s.relevance, s.mentions_details, s.judgement_valid, s.status::text AS status, s.failed_stage,
  s.tier::text AS tier, s.reward_score, s.has_dpo_pair, s.model_primary_id, s.model_secondary_id, s.curated_primary_id,
  s.curated_secondary_id, s.primary_id, s.secondary_id, s.label_version, s.updated_at`;

/** A row of SAMPLE_ROW_COLUMNS as node-postgres returns it (bigint ids as numbers: lib/db/database.ts). */
export const sampleRecordRow = z.object({
  instruction_id: z.int(),
  run_id: z.string(),
  source_text_id: z.int(),
  position: z.int(),
  instruction: z.string(),
  source_snippet: z.string(),
  quality: z.int().nullable(),
  difficulty: z.int().nullable(),
  relevance: z.int().nullable(),
  mentions_details: z.boolean().nullable(),
  judgement_valid: z.boolean(),
  status: z.enum(SAMPLE_STATUSES),
  failed_stage: z.string().nullable(),
  tier: z.enum(SAMPLE_TIERS).nullable(),
  reward_score: z.number().nullable(),
  has_dpo_pair: z.boolean(),
  model_primary_id: z.int().nullable(),
  model_secondary_id: z.int().nullable(),
  curated_primary_id: z.int().nullable(),
  curated_secondary_id: z.int().nullable(),
  primary_id: z.int().nullable(),
  secondary_id: z.int().nullable(),
  label_version: z.int(),
  updated_at: z.date(),
});
export type SampleRecord = z.output<typeof sampleRecordRow>;

export function toSampleRow(record: SampleRecord, index: TaxonomyIndex): SampleRow {
  return {
    id: record.instruction_id,
    runId: record.run_id,
    sourceTextId: record.source_text_id,
    position: record.position,
    instruction: record.instruction,
    sourceSnippet: record.source_snippet,
    quality: record.quality,
    difficulty: record.difficulty,
    relevance: record.relevance,
    mentionsDetails: record.mentions_details,
    judgementValid: record.judgement_valid,
    status: record.status,
    failedStage: record.failed_stage,
    tier: record.tier,
    rewardScore: record.reward_score,
    hasDpoPair: record.has_dpo_pair,
    model: { primary: index.nameOf(record.model_primary_id), secondary: index.nameOf(record.model_secondary_id) },
    curated:
      record.curated_primary_id === null
        ? null
        : { primary: index.nameOf(record.curated_primary_id), secondary: index.nameOf(record.curated_secondary_id) },
    label: { primary: index.nameOf(record.primary_id), secondary: index.nameOf(record.secondary_id) },
    labelVersion: record.label_version,
    updatedAt: record.updated_at.toISOString(),
  };
}
