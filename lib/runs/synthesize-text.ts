import { compareInstructionScore, tieBreakSeed } from "../pipeline/algorithm1";
import { parseCommonAnswers, parseLongFormReasoning, pickPreferredAnswer } from "../pipeline/answers";
import { classificationDialogue, parsePrimaryClassification, parseSecondaryClassification } from "../pipeline/classification";
import { buildDpoPair } from "../pipeline/dpo";
import { parseGeneratedInstructions } from "../pipeline/generation";
import { parseJudgement, type InstructionJudgement } from "../pipeline/judgement";
import { renderPrompt, secondaryClassificationKey, type PromptKey } from "../pipeline/prompts";
import { tierOf } from "../pipeline/tiering";
import type { PipelineRole } from "./run-config";
import type { StageCaller, ChatReply } from "./stage-caller";
import type { Stage } from "./stage-stats";
import type { StoredPrompt } from "./prompt-store";
import type { JudgementRecord, LabelRecord, ResponseRecord, TextResult } from "./text-result";

export interface SynthesisSettings {
  runSeed: string;
  tierThreshold: number;
  outputRetries: number;
  prompts: Map<PromptKey, StoredPrompt>;
}

type Parse<T> = (reply: ChatReply) => { ok: true; value: T } | { ok: false; reason: string };

interface Asked<T> {
  ok: boolean;
  value?: T;
  reply?: ChatReply;
  reason?: string;
  attempts: number;
}

/** The FineMed pipeline for one source text: every decision is the paper's, every failure recorded. */
export async function synthesizeText(
  caller: StageCaller,
  settings: SynthesisSettings,
  source: { id: number; text: string },
): Promise<TextResult> {
  const result: TextResult = {
    sourceTextId: source.id,
    outcome: "failed",
    failedStage: null,
    failureReason: null,
    failures: [],
    instructions: [],
    judgements: [],
    selection: null,
    responses: [],
    dpoPrompt: null,
    labels: [],
  };
  const prompt = (key: PromptKey): StoredPrompt => {
    const found = settings.prompts.get(key);
    if (!found) throw new Error(`the run has no prompt ${key}`);
    return found;
  };

  /** Asks until the output parses, `outputRetries` more times at most; records the last failure. */
  async function ask<T>(
    stage: Stage,
    role: PipelineRole,
    text: string,
    json: boolean,
    parse: Parse<T>,
    logprobs = false,
  ): Promise<Asked<T>> {
    let last: Asked<T> = { ok: false, reason: "not asked", attempts: 0 };
    for (let attempt = 0; attempt <= settings.outputRetries; attempt++) {
      const call = await caller.chat(stage, role, text, attempt, json, logprobs);
      if (!call.ok) return { ok: false, reason: call.reason, attempts: attempt + 1 };
      const parsed = parse(call.value);
      if (parsed.ok) return { ok: true, value: parsed.value, reply: call.value, attempts: attempt + 1 };
      last = { ok: false, reason: parsed.reason, reply: call.value, attempts: attempt + 1 };
    }
    return last;
  }

  function fail(stage: Stage, asked: { reason?: string; reply?: ChatReply }): TextResult {
    const reason = asked.reason ?? "failed";
    caller.stats.failed(stage);
    result.failures.push({ stage, reason, rawOutput: asked.reply?.content ?? null, callKey: asked.reply?.callKey ?? null });
    if (result.outcome !== "failed" || result.failedStage === null) {
      result.outcome = "failed";
      result.failedStage = stage;
      result.failureReason = reason;
    }
    return result;
  }

  // 1. Two instructions from the text (Table 4).
  const generationPrompt = prompt("instruction-generation");
  const generated = await ask("generation", "generator", renderPrompt(generationPrompt.template, { text: source.text }), true, (r) =>
    parseGeneratedInstructions(r.content),
  );
  if (!generated.ok || !generated.value || !generated.reply) return fail("generation", generated);
  const questions = [generated.value.question1, generated.value.question2] as const;
  for (const [index, text] of questions.entries()) {
    result.instructions.push({
      position: (index + 1) as 1 | 2,
      text,
      promptTemplateId: generationPrompt.id,
      callKey: generated.reply.callKey,
      model: generated.reply.model,
    });
  }

  // 2. Each judged on quality, difficulty, relevance and specific details (Table 5).
  const judgementPrompt = prompt("instruction-judgement");
  const judged = await Promise.all(
    questions.map((question) =>
      ask("judgement", "judge", renderPrompt(judgementPrompt.template, { instruction: question }), true, (r) => parseJudgement(r.content)),
    ),
  );
  const scores: InstructionJudgement[] = [];
  for (const [index, asked] of judged.entries()) {
    const record: JudgementRecord = {
      position: (index + 1) as 1 | 2,
      quality: asked.value?.quality ?? null,
      difficulty: asked.value?.difficulty ?? null,
      relevance: asked.value?.relevanceToMedicine ?? null,
      mentionsDetails: asked.value?.mentionsSpecificDetails ?? null,
      valid: asked.ok,
      failureReason: asked.ok ? null : (asked.reason ?? "invalid"),
      rawOutput: asked.reply?.content ?? "",
      promptTemplateId: judgementPrompt.id,
      callKey: asked.reply?.callKey ?? "",
      model: asked.reply?.model ?? caller.modelOf("judge"),
      attempts: asked.attempts,
    };
    // A judgement the server never answered has no call to point at; the failure carries the reason.
    if (asked.reply) result.judgements.push(record);
    if (asked.value) scores.push(asked.value);
  }
  const failedJudgement = judged.find((asked) => !asked.ok);
  if (failedJudgement) return fail("judgement", failedJudgement);

  // 3. Algorithm 1 keeps one instruction or none; the seeded tie-break is recorded.
  const decision = compareInstructionScore(scores[0]!, scores[1]!, tieBreakSeed(settings.runSeed, String(source.id)));
  const keptPosition = decision.kept === null ? null : decision.kept === "A" ? 1 : 2;
  const kept = keptPosition === null ? null : scores[keptPosition - 1]!;
  result.selection = {
    keptPosition,
    rule: decision.rule,
    seed: decision.seed,
    draw: decision.draw ?? null,
    tier: kept ? tierOf(kept.difficulty, settings.tierThreshold) : null,
  };
  if (keptPosition === null || !kept) {
    result.outcome = "none_kept";
    return result;
  }
  const instruction = questions[keptPosition - 1]!;

  // 4. Responses: two answers and a reward-model pick (common), or long-form reasoning with a direct
  //    answer as the rejected side of a DPO pair (complex).
  let responseForClassification: string;
  if (result.selection.tier === "common") {
    const answersPrompt = prompt("common-answers");
    const answers = await ask(
      "common-answers",
      "generator",
      renderPrompt(answersPrompt.template, { instruction, text: source.text }),
      true,
      (r) => parseCommonAnswers(r.content),
    );
    if (!answers.ok || !answers.value || !answers.reply) return fail("common-answers", answers);
    const rewarded = await caller.reward("reward", [
      { prompt: instruction, response: answers.value.answer1 },
      { prompt: instruction, response: answers.value.answer2 },
    ]);
    if (!rewarded.ok) return fail("reward", { reason: rewarded.reason });
    const [score1, score2] = rewarded.value.scores;
    if (typeof score1 !== "number" || typeof score2 !== "number" || !Number.isFinite(score1) || !Number.isFinite(score2)) {
      return fail("reward", { reason: `the reward model returned ${JSON.stringify(rewarded.value.scores)} for two answers` });
    }
    const preferred = pickPreferredAnswer(answers.value, { answer1: score1, answer2: score2 });
    for (const kind of ["answer1", "answer2"] as const) {
      result.responses.push(
        response(kind, answers.value[kind], answers.reply, answersPrompt.id, {
          rewardScore: kind === "answer1" ? score1 : score2,
          chosen: preferred.chosen === kind,
          rewardCallKey: rewarded.value.callKey,
        }),
      );
    }
    responseForClassification = preferred.text;
  } else {
    const reasoningPrompt = prompt("complex-reasoning");
    const directPrompt = prompt("direct-answer");
    const [reasoning, direct] = await Promise.all([
      ask("complex-reasoning", "reasoner", renderPrompt(reasoningPrompt.template, { instruction, text: source.text }), false, (r) =>
        parseLongFormReasoning(r.content, r.finishReason),
      ),
      ask("direct-answer", "generator", renderPrompt(directPrompt.template, { instruction, text: source.text }), true, (r) =>
        parseCommonAnswers(r.content),
      ),
    ]);
    if (!reasoning.ok || !reasoning.value || !reasoning.reply) return fail("complex-reasoning", reasoning);
    if (!direct.ok || !direct.value || !direct.reply) return fail("direct-answer", direct);
    result.responses.push(
      response("reasoning", reasoning.reply.content, reasoning.reply, reasoningPrompt.id, {
        chosen: true,
        thought: reasoning.value.thought,
        summarization: reasoning.value.summarization,
      }),
    );
    result.responses.push(response("direct", direct.value.answer1, direct.reply, directPrompt.id, {}));
    const pair = buildDpoPair({ prompt: instruction, chosen: reasoning.reply.content, rejected: direct.value.answer1 });
    if (!pair.ok) return fail("dpo", { reason: pair.reason });
    result.dpoPrompt = pair.value.prompt;
    responseForClassification = reasoning.reply.content;
  }

  // 5. Primary department, then secondary within it (Tables 7–13); the raw answer is kept, and the
  //    answer's logprobs (top 1) give each label a confidence for the review queue.
  const dialogue = classificationDialogue(instruction, responseForClassification);
  const primaryPrompt = prompt("primary-classification");
  const primary = await ask(
    "classification-primary",
    "classifier",
    renderPrompt(primaryPrompt.template, { ...dialogue }),
    false,
    (r) => {
      const mapped = parsePrimaryClassification(r.content);
      return mapped.ok ? { ok: true, value: mapped.department } : { ok: false, reason: mapped.reason };
    },
    true,
  );
  if (!primary.ok || !primary.value || !primary.reply) return fail("classification-primary", primary);
  result.labels.push(label("primary", primary.value, primary.reply, primaryPrompt.id));
  const secondaryPrompt = prompt(secondaryClassificationKey(primary.value));
  const primaryDepartment = primary.value;
  const secondary = await ask(
    "classification-secondary",
    "classifier",
    renderPrompt(secondaryPrompt.template, { ...dialogue }),
    false,
    (r) => {
      const mapped = parseSecondaryClassification(primaryDepartment, r.content);
      return mapped.ok ? { ok: true, value: { department: mapped.department } } : { ok: false, reason: mapped.reason };
    },
    true,
  );
  if (!secondary.ok || !secondary.value || !secondary.reply) {
    // No answer at all (the backend failed): the text fails, or waits if the backend is down.
    if (!secondary.reply) return fail("classification-secondary", secondary);
    // An answer that stays unusable after its retries: the instructions, judgements, answers and reward
    // are paid for and the primary label stands, so the sample is kept (as the authors' scripts do) with
    // its secondary unresolved (no department); the review queue lists it ("secondary is None under a
    // primary that has secondaries"); the unusable answer is kept as the label's raw answer.
    result.labels.push({ ...label("secondary", null, secondary.reply, secondaryPrompt.id), confidence: null });
    result.outcome = "kept";
    return result;
  }
  result.labels.push(label("secondary", secondary.value.department, secondary.reply, secondaryPrompt.id));

  result.outcome = "kept";
  return result;
}

function response(
  kind: ResponseRecord["kind"],
  text: string,
  reply: ChatReply,
  promptTemplateId: string,
  extra: Partial<Pick<ResponseRecord, "rewardScore" | "chosen" | "rewardCallKey" | "thought" | "summarization">>,
): ResponseRecord {
  return {
    kind,
    text,
    thought: extra.thought ?? null,
    summarization: extra.summarization ?? null,
    rewardScore: extra.rewardScore ?? null,
    chosen: extra.chosen ?? false,
    rawOutput: reply.content,
    promptTemplateId,
    callKey: reply.callKey,
    rewardCallKey: extra.rewardCallKey ?? null,
    model: reply.model,
  };
}

function label(level: LabelRecord["level"], department: string | null, reply: ChatReply, promptTemplateId: string): LabelRecord {
  return {
    level,
    department,
    rawAnswer: reply.content,
    promptTemplateId,
    callKey: reply.callKey,
    model: reply.model,
    confidence: answerConfidence(reply.logprobs),
  };
}

/**
 * exp(mean token logprob): the geometric-mean token probability, in (0, 1]. The mean rather than the
 * sum keeps a long department name ("Traditional Chinese Medicine (TCM)") from reading as less sure
 * than a short one. Null without logprobs, so "unknown" never passes for "unsure".
 */
export function answerConfidence(logprobs: ChatReply["logprobs"]): number | null {
  if (logprobs === null || logprobs.length === 0) return null;
  const mean = logprobs.reduce((sum, t) => sum + t.logprob, 0) / logprobs.length;
  const confidence = Math.exp(Math.min(mean, 0));
  // A huge negative mean underflows to 0; clamp so the value stays inside the documented (0, 1].
  return Math.max(confidence, Number.MIN_VALUE);
}
