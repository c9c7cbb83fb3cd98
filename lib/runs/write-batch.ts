import type pg from "pg";
import { z } from "zod";
import { queryRows } from "../db/checked-rows";
import type { StageStats } from "./stage-stats";
import type { TextResult } from "./text-result";

// BIGINT ids arrive as numbers (the int8 parser of lib/db/database.ts).
const storedInstructionRow = z.object({ id: z.number().int(), source_text_id: z.number().int(), position: z.number().int() });
const storedResponseRow = z.object({ id: z.number().int(), instruction_id: z.number().int(), kind: z.string() });
const finishedTextRow = z.object({ source_text_id: z.number().int() });

/**
 * Writes a group of a batch's results in the caller's transaction. Every insert is idempotent (a batch replayed
 * after a crash finds its rows, never duplicates them) and only texts still pending get an outcome.
 */
export async function writeBatch(client: pg.PoolClient, runId: string, results: TextResult[], stats: StageStats): Promise<number> {
  const instructionRows = results.flatMap((r) => r.instructions.map((i) => ({ ...i, sourceTextId: r.sourceTextId })));
  const instructionIds = new Map<string, number>();
  if (instructionRows.length > 0) {
    const inserted = await queryRows(
      client,
      storedInstructionRow,
      `INSERT INTO instructions (run_id, source_text_id, position, text, prompt_template_id, call_key, model)
       SELECT $1, * FROM unnest($2::bigint[], $3::int[], $4::text[], $5::uuid[], $6::char(64)[], $7::text[])
       ON CONFLICT (run_id, source_text_id, position) DO UPDATE SET text = EXCLUDED.text
       RETURNING id, source_text_id, position`,
      [
        runId,
        instructionRows.map((i) => i.sourceTextId),
        instructionRows.map((i) => i.position),
        instructionRows.map((i) => i.text),
        instructionRows.map((i) => i.promptTemplateId),
        instructionRows.map((i) => i.callKey),
        instructionRows.map((i) => i.model),
      ],
    );
    for (const row of inserted) instructionIds.set(`${row.source_text_id}:${row.position}`, row.id);
  }
  const idOf = (sourceTextId: number, position: number): number => {
    const id = instructionIds.get(`${sourceTextId}:${position}`);
    if (id === undefined) throw new Error(`instruction ${position} of text ${sourceTextId} was not stored`);
    return id;
  };

  const judgements = results.flatMap((r) => r.judgements.map((j) => ({ ...j, instructionId: idOf(r.sourceTextId, j.position) })));
  if (judgements.length > 0) {
    await client.query(
      `INSERT INTO judgements (instruction_id, run_id, quality, difficulty, relevance, mentions_details, valid, failure_reason, raw_output, prompt_template_id, call_key, model, attempts)
       SELECT i, $1, q, d, r, m, v, f, o, p, k, mo, a
         FROM unnest($2::bigint[], $3::int[], $4::int[], $5::int[], $6::bool[], $7::bool[], $8::text[], $9::text[], $10::uuid[], $11::char(64)[], $12::text[], $13::int[])
           AS u(i, q, d, r, m, v, f, o, p, k, mo, a)
       ON CONFLICT (instruction_id) DO NOTHING`,
      [
        runId,
        judgements.map((j) => j.instructionId),
        judgements.map((j) => j.quality),
        judgements.map((j) => j.difficulty),
        judgements.map((j) => j.relevance),
        judgements.map((j) => j.mentionsDetails),
        judgements.map((j) => j.valid),
        judgements.map((j) => j.failureReason),
        judgements.map((j) => j.rawOutput),
        judgements.map((j) => j.promptTemplateId),
        judgements.map((j) => j.callKey),
        judgements.map((j) => j.model),
        judgements.map((j) => j.attempts),
      ],
    );
  }

  const keptId = (r: TextResult): number | null => (r.selection?.keptPosition ? idOf(r.sourceTextId, r.selection.keptPosition) : null);
  const responses = results.flatMap((r) => r.responses.map((x) => ({ ...x, instructionId: keptId(r)!, sourceTextId: r.sourceTextId })));
  const responseIds = new Map<string, number>();
  if (responses.length > 0) {
    const inserted = await queryRows(
      client,
      storedResponseRow,
      `INSERT INTO responses (instruction_id, run_id, kind, text, thought, summarization, reward_score, chosen, raw_output, prompt_template_id, call_key, reward_call_key, model)
       SELECT i, $1, k, t, th, s, rs, c, o, p, ck, rk, m
         FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::bool[], $9::text[], $10::uuid[], $11::char(64)[], $12::char(64)[], $13::text[])
           AS u(i, k, t, th, s, rs, c, o, p, ck, rk, m)
       ON CONFLICT (instruction_id, kind) DO UPDATE SET chosen = EXCLUDED.chosen
       RETURNING id, instruction_id, kind`,
      [
        runId,
        responses.map((x) => x.instructionId),
        responses.map((x) => x.kind),
        responses.map((x) => x.text),
        responses.map((x) => x.thought),
        responses.map((x) => x.summarization),
        responses.map((x) => x.rewardScore),
        responses.map((x) => x.chosen),
        responses.map((x) => x.rawOutput),
        responses.map((x) => x.promptTemplateId),
        responses.map((x) => x.callKey),
        responses.map((x) => x.rewardCallKey),
        responses.map((x) => x.model),
      ],
    );
    for (const row of inserted) responseIds.set(`${row.instruction_id}:${row.kind}`, row.id);
  }

  const dpo = results
    .filter((r) => r.dpoPrompt !== null)
    .map((r) => {
      const instructionId = keptId(r)!;
      return {
        instructionId,
        prompt: r.dpoPrompt!,
        chosen: responseIds.get(`${instructionId}:reasoning`),
        rejected: responseIds.get(`${instructionId}:direct`),
      };
    })
    .filter(
      (p): p is { instructionId: number; prompt: string; chosen: number; rejected: number } =>
        p.chosen !== undefined && p.rejected !== undefined,
    );
  if (dpo.length > 0) {
    await client.query(
      `INSERT INTO dpo_pairs (instruction_id, run_id, prompt, chosen_response_id, rejected_response_id)
       SELECT i, $1, p, c, r FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::bigint[]) AS u(i, p, c, r)
       ON CONFLICT (instruction_id) DO NOTHING`,
      [runId, dpo.map((p) => p.instructionId), dpo.map((p) => p.prompt), dpo.map((p) => p.chosen), dpo.map((p) => p.rejected)],
    );
  }

  const labels = results.flatMap((r) => r.labels.map((l) => ({ ...l, instructionId: keptId(r)! })));
  if (labels.length > 0) {
    await client.query(
      `INSERT INTO department_labels (instruction_id, run_id, level, department, raw_answer, prompt_template_id, call_key, model, confidence)
       SELECT i, $1, l, d, a, p, k, m, c
         FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::char(64)[], $8::text[], $9::float8[]) AS u(i, l, d, a, p, k, m, c)
       ON CONFLICT (instruction_id, level) DO NOTHING`,
      [
        runId,
        labels.map((l) => l.instructionId),
        labels.map((l) => l.level),
        labels.map((l) => l.department),
        labels.map((l) => l.rawAnswer),
        labels.map((l) => l.promptTemplateId),
        labels.map((l) => l.callKey),
        labels.map((l) => l.model),
        labels.map((l) => l.confidence),
      ],
    );
  }

  const finished = await queryRows(
    client,
    finishedTextRow,
    `UPDATE run_texts t SET outcome = u.outcome::run_text_outcome, kept_instruction_id = u.kept, selection_rule = u.rule,
            selection_seed = u.seed, selection_draw = u.draw, tier = u.tier, failed_stage = u.stage, failure_reason = u.reason, finished_at = now()
       FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::text[], $10::text[])
         AS u(id, outcome, kept, rule, seed, draw, tier, stage, reason)
      WHERE t.run_id = $1 AND t.source_text_id = u.id AND t.outcome = 'pending'
      RETURNING t.source_text_id`,
    [
      runId,
      results.map((r) => r.sourceTextId),
      results.map((r) => r.outcome),
      results.map((r) => (r.outcome === "kept" ? keptId(r) : null)),
      results.map((r) => r.selection?.rule ?? null),
      results.map((r) => r.selection?.seed ?? null),
      results.map((r) => r.selection?.draw ?? null),
      results.map((r) => r.selection?.tier ?? null),
      results.map((r) => r.failedStage),
      results.map((r) => r.failureReason),
    ],
  );

  // A replayed batch (its first run committed after it was queued again) moves no text: its failures
  // are already recorded, so only texts that leave "pending" here add them. The stats are each group's
  // share of the calls made since the previous write (ProgressWriter), handed over exactly once.
  const moved = new Set(finished.map((row) => row.source_text_id));
  const failures = results
    .filter((r) => moved.has(r.sourceTextId))
    .flatMap((r) => r.failures.map((f) => ({ ...f, sourceTextId: r.sourceTextId })));
  if (failures.length > 0) {
    await client.query(
      `INSERT INTO run_failures (run_id, source_text_id, stage, reason, raw_output, call_key)
       SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::char(64)[])`,
      [
        runId,
        failures.map((f) => f.sourceTextId),
        failures.map((f) => f.stage),
        failures.map((f) => f.reason),
        failures.map((f) => f.rawOutput),
        failures.map((f) => f.callKey),
      ],
    );
  }

  const stages = [...stats.byStage.entries()];
  if (stages.length > 0) {
    await client.query(
      `INSERT INTO run_stage_stats AS s (run_id, stage, calls_made, calls_reused, prompt_tokens, completion_tokens, tokens_saved, latency_ms_total, failures)
       SELECT $1, * FROM unnest($2::text[], $3::int[], $4::int[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::int[])
       ON CONFLICT (run_id, stage) DO UPDATE SET
         calls_made = s.calls_made + EXCLUDED.calls_made, calls_reused = s.calls_reused + EXCLUDED.calls_reused,
         prompt_tokens = s.prompt_tokens + EXCLUDED.prompt_tokens, completion_tokens = s.completion_tokens + EXCLUDED.completion_tokens,
         tokens_saved = s.tokens_saved + EXCLUDED.tokens_saved, latency_ms_total = s.latency_ms_total + EXCLUDED.latency_ms_total,
         failures = s.failures + EXCLUDED.failures`,
      [
        runId,
        stages.map(([stage]) => stage),
        stages.map(([, c]) => c.callsMade),
        stages.map(([, c]) => c.callsReused),
        stages.map(([, c]) => c.promptTokens),
        stages.map(([, c]) => c.completionTokens),
        stages.map(([, c]) => c.tokensSaved),
        stages.map(([, c]) => Math.round(c.latencyMs)),
        stages.map(([, c]) => c.failures),
      ],
    );
  }
  return moved.size;
}
