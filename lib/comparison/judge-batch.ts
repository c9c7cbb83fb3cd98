import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { inTransaction } from "../db/transaction";
import type { BackendClient } from "../llm/client";
import { parseJudgement, type InstructionJudgement } from "../pipeline/judgement";
import { renderPrompt } from "../pipeline/prompts";
import { CallStore } from "../runs/call-store";
import { roleSettingsSchema, type PipelineRole } from "../runs/run-config";
import { StageCaller, type ChatReply } from "../runs/stage-caller";
import type { JudgeSettings } from "./judging-request";

export type JudgeClientFor = (judgingId: string, settings: JudgeSettings) => BackendClient;

export type ComparisonBatchOutcome = { kind: "processed"; judged: number; failed: number } | { kind: "skipped"; reason: string };

// The judge was stored from roleSettingsSchema's output (start-judging), so it parses back to the same settings.
const judgingRow = z.object({ judge: roleSettingsSchema, output_retries: z.number().int(), template: z.string() });
// comparison_judgements.instruction_id is a bigint, a JS number through the pool's int8 parser (lib/db/database.ts).
const pendingInstructionRow = z.object({ instruction_id: z.number().int(), text: z.string() });

interface Verdict {
  instructionId: number;
  judgement: InstructionJudgement | null;
  reason: string | null;
  reply: ChatReply | null;
  attempts: number;
}

/**
 * Judges the still-pending instructions of one batch with the judging's judge and Table 5 prompt,
 * through the call store (so a replayed batch pays nothing twice), then writes the verdicts, the
 * call counters and, when nothing is left pending, completion in one transaction.
 */
export async function judgeComparisonBatch(
  db: Database,
  judgingId: string,
  batch: number,
  clientFor: JudgeClientFor,
): Promise<ComparisonBatchOutcome> {
  const [judging] = await queryRows(
    db.pool,
    judgingRow,
    `SELECT j.judge, j.output_retries, p.template FROM comparison_judgings j JOIN prompt_templates p ON p.id = j.prompt_template_id WHERE j.id = $1`,
    [judgingId],
  );
  if (!judging) return { kind: "skipped", reason: "the judging no longer exists" };
  const pending = await queryRows(
    db.pool,
    pendingInstructionRow,
    `SELECT cj.instruction_id, ci.text FROM comparison_judgements cj JOIN comparison_instructions ci ON ci.id = cj.instruction_id
      WHERE cj.judging_id = $1 AND cj.batch = $2 AND cj.valid IS NULL ORDER BY cj.instruction_id`,
    [judgingId, batch],
  );
  if (pending.length === 0) return { kind: "skipped", reason: "every instruction of the batch is judged" };
  const judge = clientFor(judgingId, judging.judge);
  // StageCaller speaks for a whole run; only the judge role is asked here, so every role is the judge.
  const clients = Object.fromEntries(
    (["generator", "judge", "reasoner", "classifier", "reward"] as const).map((role) => [role, judge]),
  ) as Record<PipelineRole, BackendClient>;
  const store = new CallStore(db);
  const caller = new StageCaller(judgingId, clients, store, "pooling");
  const verdicts = await Promise.all(
    pending.map((row) =>
      judgeOne(caller, row.instruction_id, renderPrompt(judging.template, { instruction: row.text }), judging.output_retries),
    ),
  );
  await store.drain();
  await writeVerdicts(db, judgingId, verdicts, caller);
  const failed = verdicts.filter((v) => !v.judgement).length;
  return { kind: "processed", judged: verdicts.length - failed, failed };
}

/** Asks until the output parses, `retries` more times at most; a failure keeps the last raw output and reason. */
async function judgeOne(caller: StageCaller, instructionId: number, prompt: string, retries: number): Promise<Verdict> {
  let last: Verdict = { instructionId, judgement: null, reason: "not asked", reply: null, attempts: 0 };
  for (let attempt = 0; attempt <= retries; attempt++) {
    const call = await caller.chat("judgement", "judge", prompt, attempt, true);
    if (!call.ok) return { ...last, reason: call.reason, attempts: attempt + 1 };
    const parsed = parseJudgement(call.value.content);
    if (parsed.ok) return { instructionId, judgement: parsed.value, reason: null, reply: call.value, attempts: attempt + 1 };
    last = { instructionId, judgement: null, reason: parsed.reason, reply: call.value, attempts: attempt + 1 };
  }
  return last;
}

async function writeVerdicts(db: Database, judgingId: string, verdicts: Verdict[], caller: StageCaller): Promise<void> {
  const counters = caller.stats.byStage.get("judgement");
  await inTransaction(db, async (client) => {
    // Only still-pending rows are written: a batch replayed after a worker died cannot count twice.
    const written = await client.query(
      `UPDATE comparison_judgements cj
          SET quality = v.quality, difficulty = v.difficulty, relevance = v.relevance, mentions_details = v.details,
              valid = v.valid, failure_reason = v.reason, raw_output = v.raw, call_key = v.call_key, model = v.model,
              attempts = v.attempts, judged_at = now()
         FROM unnest($2::bigint[], $3::smallint[], $4::smallint[], $5::smallint[], $6::boolean[], $7::boolean[], $8::text[], $9::text[], $10::char(64)[], $11::text[], $12::int[])
              AS v(instruction_id, quality, difficulty, relevance, details, valid, reason, raw, call_key, model, attempts)
        WHERE cj.judging_id = $1 AND cj.instruction_id = v.instruction_id AND cj.valid IS NULL`,
      [
        judgingId,
        verdicts.map((v) => v.instructionId),
        verdicts.map((v) => v.judgement?.quality ?? null),
        verdicts.map((v) => v.judgement?.difficulty ?? null),
        verdicts.map((v) => v.judgement?.relevanceToMedicine ?? null),
        verdicts.map((v) => v.judgement?.mentionsSpecificDetails ?? null),
        verdicts.map((v) => v.judgement !== null),
        verdicts.map((v) => v.reason),
        verdicts.map((v) => v.reply?.content ?? null),
        verdicts.map((v) => v.reply?.callKey ?? null),
        verdicts.map((v) => v.reply?.model ?? null),
        verdicts.map((v) => v.attempts),
      ],
    );
    if ((written.rowCount ?? 0) > 0 && counters) {
      await client.query(
        `UPDATE comparison_judgings SET calls_made = calls_made + $2, calls_reused = calls_reused + $3,
                prompt_tokens = prompt_tokens + $4, completion_tokens = completion_tokens + $5 WHERE id = $1`,
        [judgingId, counters.callsMade, counters.callsReused, counters.promptTokens, counters.completionTokens],
      );
    }
    await client.query(
      `UPDATE comparison_judgings SET status = 'completed', finished_at = now()
        WHERE id = $1 AND status <> 'completed' AND NOT EXISTS (SELECT 1 FROM comparison_judgements WHERE judging_id = $1 AND valid IS NULL)`,
      [judgingId],
    );
  });
}
