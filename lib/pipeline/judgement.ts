import { z } from "zod";
import { extractJsonObject, type JsonObject } from "./parse";
import { describeSchemaIssues } from "./schema-issues";

/** One instruction's scores from the judge (Table 5), in the product's names. */
export interface InstructionJudgement {
  quality: number;
  difficulty: number;
  relevanceToMedicine: number;
  mentionsSpecificDetails: boolean;
}

export type JudgementParse = { ok: true; value: InstructionJudgement } | { ok: false; reason: string };

// Integers may arrive as numbers or numeric strings ("8"); anything else (8.5, "8/10", "high")
// is rejected, because turning it into a score would be inventing one.
function integerScore(min: number, max: number) {
  return z.unknown().transform((value, ctx) => {
    const number = typeof value === "string" && /^\s*[+-]?\d+\s*$/.test(value) ? Number(value) : value;
    if (typeof number === "number" && Number.isInteger(number) && number >= min && number <= max) return number;
    ctx.addIssue({
      code: "custom",
      message: value === undefined ? "missing" : `must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  });
}

// Only unambiguous booleans: the prompt asks for "True"/"False", so "yes", 1 or "maybe" means the
// model did not follow it and the sample should be retried rather than interpreted.
const clearBoolean = z.unknown().transform((value, ctx) => {
  if (typeof value === "boolean") return value;
  const text = typeof value === "string" ? value.trim().toLowerCase() : undefined;
  if (text === "true" || text === "false") return text === "true";
  ctx.addIssue({
    code: "custom",
    message: value === undefined ? "missing" : `must be "True" or "False", got ${JSON.stringify(value)}`,
  });
  return z.NEVER;
});

const JudgementSchema = z.object({
  quality: integerScore(1, 10),
  difficulty: integerScore(1, 10),
  Relevance2Medicine: integerScore(1, 6),
  MentionSpecificDetails: clearBoolean,
});

const JUDGEMENT_KEYS = ["quality", "difficulty", "Relevance2Medicine", "MentionSpecificDetails"] as const;

// Key case is formatting, not content ("Quality" vs "quality"); an exact key always wins.
function withCanonicalKeys(object: JsonObject): JsonObject {
  const result: JsonObject = { ...object };
  for (const key of JUDGEMENT_KEYS) {
    if (key in result) continue;
    const match = Object.keys(object).find((candidate) => candidate.toLowerCase() === key.toLowerCase());
    if (match !== undefined) result[key] = object[match];
  }
  return result;
}

export function parseJudgement(raw: string): JudgementParse {
  const json = extractJsonObject(raw);
  if (!json.ok) return json;
  const candidate = withCanonicalKeys(json.value);
  const parsed = JudgementSchema.safeParse(candidate);
  if (!parsed.success) {
    return { ok: false, reason: `judge output: ${describeSchemaIssues(parsed.error, candidate)}` };
  }
  return {
    ok: true,
    value: {
      quality: parsed.data.quality,
      difficulty: parsed.data.difficulty,
      relevanceToMedicine: parsed.data.Relevance2Medicine,
      mentionsSpecificDetails: parsed.data.MentionSpecificDetails,
    },
  };
}
