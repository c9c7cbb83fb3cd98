import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { labelHistory, type LabelChangeView } from "./label-history";
import { currentTaxonomy } from "../taxonomy/taxonomy";
import { TaxonomyIndex } from "../taxonomy/taxonomy-index";
import { SAMPLE_ROW_COLUMNS, sampleRecordRow, toSampleRow, type SampleRow } from "./sample-row";

// Everything the sample drawer shows, in JSON-safe shapes (numbers and ISO strings).

export interface JudgementView {
  quality: number | null;
  difficulty: number | null;
  relevance: number | null;
  mentionsDetails: boolean | null;
  valid: boolean;
  failureReason: string | null;
  rawOutput: string;
  attempts: number;
  model: string;
  callKey: string;
}

export interface GeneratedInstruction {
  id: number;
  position: number;
  text: string;
  /** Null when the judge never answered (the text then failed at judgement). */
  judgement: JudgementView | null;
  keptByAlgorithm1: boolean;
}

export interface SelectionView {
  outcome: string;
  /** Algorithm 1's deciding rule (details-A, details-B, both-details, sum, quality+difficulty, quality, random). */
  rule: string | null;
  seed: string | null;
  /** The 32-bit draw of a random tie-break; A was kept when its top bit is 0. */
  draw: number | null;
  keptInstructionId: number | null;
  tier: string | null;
  failedStage: string | null;
  failureReason: string | null;
}

export interface ResponseView {
  id: number;
  kind: string;
  text: string;
  /** The long-form reasoning's sections, for folding; null for direct answers. */
  thought: string | null;
  summarization: string | null;
  rewardScore: number | null;
  chosen: boolean;
  model: string;
  rawOutput: string;
}

export interface ModelLabelView {
  level: string;
  department: string | null;
  rawAnswer: string;
  model: string;
  callKey: string;
}

export interface CallView {
  /** What the call was for: generation, judgement, a response kind, reward, a label level. */
  purpose: string;
  key: string;
  role: string | null;
  model: string | null;
  endpoint: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  latencyMs: number | null;
  attempts: number | null;
  createdAt: string | null;
}

export interface PromptVersionView {
  purpose: string;
  key: string;
  version: number;
  checksum: string;
}

export interface SampleDetail {
  sample: SampleRow;
  sourceText: { id: number; externalId: string | null; corpus: string; text: string };
  run: { id: string; name: string; simulated: boolean };
  instructions: GeneratedInstruction[];
  selection: SelectionView;
  responses: ResponseView[];
  dpoPair: { prompt: string; chosenResponseId: number; rejectedResponseId: number } | null;
  modelLabels: ModelLabelView[];
  labelHistory: LabelChangeView[];
  lineage: { prompts: PromptVersionView[]; calls: CallView[] };
}

// The rows the drawer reads, one schema per statement below.
const backendCallRow = z.object({
  key: z.string(),
  role: z.string(),
  model: z.string(),
  endpoint: z.string(),
  prompt_tokens: z.int(),
  completion_tokens: z.int(),
  latency_ms: z.int(),
  attempts: z.int(),
  created_at: z.date(),
});
const promptVersionRow = z.object({ id: z.string(), key: z.string(), version: z.int(), checksum: z.string() });
const sourceTextRow = z.object({
  outcome: z.string(),
  selection_rule: z.string().nullable(),
  selection_seed: z.string().nullable(),
  selection_draw: z.int().nullable(),
  kept_instruction_id: z.int().nullable(),
  tier: z.string().nullable(),
  failed_stage: z.string().nullable(),
  failure_reason: z.string().nullable(),
  external_id: z.string().nullable(),
  text: z.string(),
  corpus: z.string(),
  run_name: z.string(),
  simulated: z.boolean(),
});
/** An instruction of the sample's source text with its judgement, if the judge answered (LEFT JOIN). */
const instructionRow = z.object({
  id: z.int(),
  position: z.int(),
  text: z.string(),
  prompt_template_id: z.string(),
  call_key: z.string(),
  quality: z.int().nullable(),
  difficulty: z.int().nullable(),
  relevance: z.int().nullable(),
  mentions_details: z.boolean().nullable(),
  valid: z.boolean().nullable(),
  failure_reason: z.string().nullable(),
  raw_output: z.string().nullable(),
  attempts: z.int().nullable(),
  model: z.string().nullable(),
  j_call_key: z.string().nullable(),
  j_prompt: z.string().nullable(),
});
const responseRow = z.object({
  id: z.int(),
  kind: z.string(),
  text: z.string(),
  thought: z.string().nullable(),
  summarization: z.string().nullable(),
  reward_score: z.number().nullable(),
  chosen: z.boolean(),
  model: z.string(),
  raw_output: z.string(),
  call_key: z.string(),
  reward_call_key: z.string().nullable(),
  prompt_template_id: z.string(),
});
const dpoPairRow = z.object({ prompt: z.string(), chosen_response_id: z.int(), rejected_response_id: z.int() });
const modelLabelRow = z.object({
  level: z.string(),
  department: z.string().nullable(),
  raw_answer: z.string(),
  model: z.string(),
  call_key: z.string(),
  prompt_template_id: z.string(),
});

interface Lineage {
  purpose: string;
  callKey: string | null;
  promptTemplateId: string | null;
}

async function lineageOf(db: Database, items: Lineage[]): Promise<SampleDetail["lineage"]> {
  const keys = [...new Set(items.map((i) => i.callKey).filter((k): k is string => k !== null && k !== ""))];
  const promptIds = [...new Set(items.map((i) => i.promptTemplateId).filter((p): p is string => p !== null))];
  const [calls, prompts] = await Promise.all([
    queryRows(
      db.pool,
      backendCallRow,
      `SELECT key, role, model, endpoint, prompt_tokens, completion_tokens, latency_ms, attempts, created_at FROM backend_calls WHERE key = ANY($1::char(64)[])`,
      [keys],
    ),
    queryRows(db.pool, promptVersionRow, `SELECT id, key, version, checksum FROM prompt_templates WHERE id = ANY($1::uuid[])`, [promptIds]),
  ]);
  const callByKey = new Map(calls.map((c) => [c.key, c]));
  const promptById = new Map(prompts.map((p) => [p.id, p]));
  return {
    prompts: items.flatMap((item) => {
      const prompt = item.promptTemplateId ? promptById.get(item.promptTemplateId) : undefined;
      return prompt ? [{ purpose: item.purpose, key: prompt.key, version: prompt.version, checksum: prompt.checksum }] : [];
    }),
    calls: items.flatMap((item) => {
      if (!item.callKey) return [];
      const call = callByKey.get(item.callKey);
      return [
        {
          purpose: item.purpose,
          key: item.callKey,
          role: call?.role ?? null,
          model: call?.model ?? null,
          endpoint: call?.endpoint ?? null,
          promptTokens: call?.prompt_tokens ?? null,
          completionTokens: call?.completion_tokens ?? null,
          latencyMs: call?.latency_ms ?? null,
          attempts: call?.attempts ?? null,
          createdAt: call?.created_at.toISOString() ?? null,
        },
      ];
    }),
  };
}

/** The drawer's view of one sample; null when no sample has that id. */
export async function sampleDetail(db: Database, instructionId: number): Promise<SampleDetail | null> {
  const [taxonomy, [record]] = await Promise.all([
    currentTaxonomy(db),
    queryRows(
      db.pool,
      sampleRecordRow,
      `SELECT ${SAMPLE_ROW_COLUMNS} FROM samples s JOIN sample_documents d ON d.instruction_id = s.instruction_id WHERE s.instruction_id = $1`,
      [instructionId],
    ),
  ]);
  if (!record) return null;
  const index = new TaxonomyIndex(taxonomy);
  const [context, instructions, responses, dpo, labels, history] = await Promise.all([
    queryRows(
      db.pool,
      sourceTextRow,
      `SELECT t.outcome::text AS outcome, t.selection_rule, t.selection_seed, t.selection_draw, t.kept_instruction_id, t.tier,
              t.failed_stage, t.failure_reason, st.external_id, st.text, c.name AS corpus, r.name AS run_name, r.simulated
         FROM run_texts t JOIN source_texts st ON st.id = t.source_text_id JOIN corpora c ON c.id = st.corpus_id JOIN runs r ON r.id = t.run_id
        WHERE t.run_id = $1 AND t.source_text_id = $2`,
      [record.run_id, record.source_text_id],
    ),
    queryRows(
      db.pool,
      instructionRow,
      `SELECT i.id, i.position, i.text, i.prompt_template_id, i.call_key, j.quality, j.difficulty, j.relevance, j.mentions_details, j.valid,
              j.failure_reason, j.raw_output, j.attempts, j.model, j.call_key AS j_call_key, j.prompt_template_id AS j_prompt
         FROM instructions i LEFT JOIN judgements j ON j.instruction_id = i.id
        WHERE i.run_id = $1 AND i.source_text_id = $2 ORDER BY i.position`,
      [record.run_id, record.source_text_id],
    ),
    queryRows(
      db.pool,
      responseRow,
      `SELECT id, kind, text, thought, summarization, reward_score, chosen, model, raw_output, call_key, reward_call_key, prompt_template_id
         FROM responses WHERE instruction_id = $1 ORDER BY id`,
      [instructionId],
    ),
    queryRows(db.pool, dpoPairRow, `SELECT prompt, chosen_response_id, rejected_response_id FROM dpo_pairs WHERE instruction_id = $1`, [
      instructionId,
    ]),
    queryRows(
      db.pool,
      modelLabelRow,
      `SELECT level, department, raw_answer, model, call_key, prompt_template_id FROM department_labels WHERE instruction_id = $1 ORDER BY level`,
      [instructionId],
    ),
    labelHistory(db, instructionId, index),
  ]);
  const text = context[0];
  if (!text) return null;
  const mine = instructions.find((i) => i.id === instructionId);
  const lineage = await lineageOf(db, [
    { purpose: "generation", callKey: mine?.call_key ?? null, promptTemplateId: mine?.prompt_template_id ?? null },
    { purpose: "judgement", callKey: mine?.j_call_key ?? null, promptTemplateId: mine?.j_prompt ?? null },
    ...responses.flatMap((r) => [
      { purpose: r.kind, callKey: r.call_key, promptTemplateId: r.prompt_template_id },
      ...(r.reward_call_key ? [{ purpose: `reward (${r.kind})`, callKey: r.reward_call_key, promptTemplateId: null }] : []),
    ]),
    ...labels.map((l) => ({ purpose: `classification-${l.level}`, callKey: l.call_key, promptTemplateId: l.prompt_template_id })),
  ]);
  const pair = dpo[0];
  return {
    sample: toSampleRow(record, index),
    sourceText: { id: record.source_text_id, externalId: text.external_id, corpus: text.corpus, text: text.text },
    run: { id: record.run_id, name: text.run_name, simulated: text.simulated },
    instructions: instructions.map((i) => ({
      id: i.id,
      position: i.position,
      text: i.text,
      judgement:
        i.valid === null
          ? null
          : {
              quality: i.quality,
              difficulty: i.difficulty,
              relevance: i.relevance,
              mentionsDetails: i.mentions_details,
              valid: i.valid,
              failureReason: i.failure_reason,
              rawOutput: i.raw_output ?? "",
              attempts: i.attempts ?? 0,
              model: i.model ?? "",
              callKey: i.j_call_key ?? "",
            },
      keptByAlgorithm1: text.kept_instruction_id === i.id,
    })),
    selection: {
      outcome: text.outcome,
      rule: text.selection_rule,
      seed: text.selection_seed,
      draw: text.selection_draw,
      keptInstructionId: text.kept_instruction_id,
      tier: text.tier,
      failedStage: text.failed_stage,
      failureReason: text.failure_reason,
    },
    responses: responses.map((r) => ({
      id: r.id,
      kind: r.kind,
      text: r.text,
      thought: r.thought,
      summarization: r.summarization,
      rewardScore: r.reward_score,
      chosen: r.chosen,
      model: r.model,
      rawOutput: r.raw_output,
    })),
    dpoPair: pair
      ? { prompt: pair.prompt, chosenResponseId: pair.chosen_response_id, rejectedResponseId: pair.rejected_response_id }
      : null,
    modelLabels: labels.map((l) => ({
      level: l.level,
      department: l.department,
      rawAnswer: l.raw_answer,
      model: l.model,
      callKey: l.call_key,
    })),
    labelHistory: history,
    lineage,
  };
}
