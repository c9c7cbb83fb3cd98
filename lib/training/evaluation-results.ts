import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { chainStage } from "./chain-stages";

/** What an evaluation stage reported, as the studio shows it beside its job. */
export interface EvaluationView {
  stage: string;
  mode: "ttt" | "baseline";
  questions: number | null;
  answered: number;
  withAnswer: number | null;
  correct: number | null;
  accuracy: number | null;
  repeatAccuracies: number[] | null;
  /** False while the job runs: `answered` is its progress. */
  final: boolean;
}

// The summary line training/ttt.py and training/evaluate.py print last.
const summarySchema = z.object({
  mode: z.enum(["ttt", "baseline"]),
  questions: z.number().int().nonnegative(),
  answered: z.number().int().nonnegative(),
  withAnswer: z.number().int().nonnegative(),
  correct: z.number().int().nonnegative(),
  accuracy: z.number().min(0).max(1).nullable(),
  repeatAccuracies: z.array(z.number()).optional(),
});

const SUMMARY = /^FINEMED_EVAL (\{.*\})\s*$/gm;
const TTT_PROGRESS = /^\[ttt\] question (\d+)\/(\d+)/gm;
const BASELINE_PROGRESS = /^\[eval\] repeat (\d+)\/(\d+) question (\d+)\/(\d+)/gm;

/** Reads an evaluation job's log: its summary once printed, else its progress so far; null when neither is there. */
export function parseEvaluationLog(stage: string, log: string): EvaluationView | null {
  const mode = chainStage(stage)?.kind === "baseline_eval" ? "baseline" : "ttt";
  const summaries = [...log.matchAll(SUMMARY)];
  const last = summaries.at(-1);
  if (last) {
    const parsed = summarySchema.safeParse(JSON.parse(last[1]!));
    if (parsed.success) {
      const s = parsed.data;
      return {
        stage,
        mode: s.mode,
        questions: s.questions,
        answered: s.answered,
        withAnswer: s.withAnswer,
        correct: s.correct,
        accuracy: s.accuracy,
        repeatAccuracies: s.repeatAccuracies ?? null,
        final: true,
      };
    }
  }
  if (mode === "ttt") {
    const progress = [...log.matchAll(TTT_PROGRESS)].at(-1);
    if (!progress) return null;
    return {
      stage,
      mode,
      questions: Number(progress[2]),
      answered: Number(progress[1]),
      withAnswer: null,
      correct: null,
      accuracy: null,
      repeatAccuracies: null,
      final: false,
    };
  }
  const progress = [...log.matchAll(BASELINE_PROGRESS)].at(-1);
  if (!progress) return null;
  const [repeat, repeats, question, questions] = progress.slice(1).map(Number) as [number, number, number, number];
  return {
    stage,
    mode,
    questions: questions * repeats,
    answered: (repeat - 1) * questions + question,
    withAnswer: null,
    correct: null,
    accuracy: null,
    repeatAccuracies: null,
    final: false,
  };
}

/** Stores what a job's log says (a final summary is never replaced by progress). */
export async function recordEvaluation(db: Database, chainId: string, jobId: string, view: EvaluationView): Promise<void> {
  await db.pool.query(
    `INSERT INTO training_evaluations (job_id, chain_id, stage, mode, questions, answered, with_answer, correct, accuracy, repeat_accuracies, final, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now())
     ON CONFLICT (job_id) DO UPDATE SET questions = EXCLUDED.questions, answered = EXCLUDED.answered, with_answer = EXCLUDED.with_answer,
       correct = EXCLUDED.correct, accuracy = EXCLUDED.accuracy, repeat_accuracies = EXCLUDED.repeat_accuracies, final = EXCLUDED.final, updated_at = now()
     WHERE NOT training_evaluations.final`,
    [
      jobId,
      chainId,
      view.stage,
      view.mode,
      view.questions,
      view.answered,
      view.withAnswer,
      view.correct,
      view.accuracy,
      view.repeatAccuracies === null ? null : JSON.stringify(view.repeatAccuracies),
      view.final,
    ],
  );
}

const optionalCount = z.number().int().nullable();
/** A training_evaluations row (`SELECT *`; job_id and updated_at are not read). */
const evaluationRow = z.object({
  chain_id: z.string(),
  stage: z.string(),
  mode: z.enum(["ttt", "baseline"]),
  questions: optionalCount,
  answered: z.number().int(),
  with_answer: optionalCount,
  correct: optionalCount,
  accuracy: z.number().nullable(),
  repeat_accuracies: z.array(z.number()).nullable(),
  final: z.boolean(),
});

/** Every chain's evaluations, by chain id, in stage order. */
export async function evaluationsOf(db: Database, chainIds: string[]): Promise<Map<string, EvaluationView[]>> {
  const byChain = new Map<string, EvaluationView[]>();
  if (chainIds.length === 0) return byChain;
  const rows = await queryRows(
    db.pool,
    evaluationRow,
    "SELECT * FROM training_evaluations WHERE chain_id = ANY($1::uuid[]) ORDER BY chain_id, stage",
    [chainIds],
  );
  for (const row of rows) {
    const list = byChain.get(row.chain_id) ?? [];
    list.push({
      stage: row.stage,
      mode: row.mode,
      questions: row.questions,
      answered: row.answered,
      withAnswer: row.with_answer,
      correct: row.correct,
      accuracy: row.accuracy,
      repeatAccuracies: row.repeat_accuracies,
      final: row.final,
    });
    byChain.set(row.chain_id, list);
  }
  return byChain;
}
