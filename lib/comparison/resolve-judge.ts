import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { ensureDefaultPrompts } from "../runs/prompt-store";
import { roleSettingsSchema } from "../runs/run-config";
import type { JudgeSettings, JudgingRequest } from "./judging-request";

const JUDGE_PROMPT = "instruction-judgement";

// The run's whole config is not this module's to check: only its judge role is parsed, below.
const judgeRunRow = z.object({ config: z.unknown(), prompt_id: z.string().nullable() });
const runJudgeRole = z.object({ roles: z.object({ judge: roleSettingsSchema }) });
const promptIdRow = z.object({ id: z.string() });

export class JudgingRequestError extends Error {}

export interface ResolvedJudge {
  settings: JudgeSettings;
  runId: string | null;
  promptTemplateId: string;
}

/**
 * The judge backend and Table 5 prompt version a judging uses. Borrowing a run's judge also borrows
 * its prompt version, so the comparison scores come from exactly the judge that scored FineMed.
 */
export async function resolveJudge(db: Database, request: JudgingRequest): Promise<ResolvedJudge> {
  await ensureDefaultPrompts(db);
  let settings: JudgeSettings;
  let runId: string | null = null;
  let runPromptId: string | null = null;
  if ("runId" in request.judge) {
    runId = request.judge.runId;
    const [row] = await queryRows(
      db.pool,
      judgeRunRow,
      `SELECT r.config, (SELECT p.id FROM run_prompts rp JOIN prompt_templates p ON p.id = rp.prompt_template_id
                          WHERE rp.run_id = r.id AND p.key = $2 LIMIT 1) AS prompt_id
         FROM runs r WHERE r.id = $1`,
      [runId, JUDGE_PROMPT],
    );
    if (!row) throw new JudgingRequestError(`run ${runId} does not exist`);
    const parsed = runJudgeRole.safeParse(row.config);
    if (!parsed.success) throw new JudgingRequestError(`run ${runId} has no usable judge role`);
    settings = parsed.data.roles.judge;
    runPromptId = row.prompt_id;
  } else {
    settings = request.judge;
  }
  if (request.promptVersion !== undefined) {
    const [named] = await queryRows(db.pool, promptIdRow, `SELECT id FROM prompt_templates WHERE key = $1 AND version = $2`, [
      JUDGE_PROMPT,
      request.promptVersion,
    ]);
    const id = named?.id;
    if (!id) throw new JudgingRequestError(`prompt ${JUDGE_PROMPT} has no version ${request.promptVersion}`);
    return { settings, runId, promptTemplateId: id };
  }
  if (runPromptId) return { settings, runId, promptTemplateId: runPromptId };
  const [newest] = await queryRows(db.pool, promptIdRow, `SELECT id FROM prompt_templates WHERE key = $1 ORDER BY version DESC LIMIT 1`, [
    JUDGE_PROMPT,
  ]);
  return { settings, runId, promptTemplateId: newest!.id };
}
