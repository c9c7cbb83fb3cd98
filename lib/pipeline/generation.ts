import { z } from "zod";
import { extractJsonObject } from "./parse";
import { describeSchemaIssues } from "./schema-issues";

// Table 4 asks the generator for {"question1", "question2"}; extra keys are tolerated because
// they carry no meaning, but both questions must be real text.
const GeneratedInstructionsSchema = z.object({
  question1: z.string(),
  question2: z.string(),
});

export interface GeneratedInstructions {
  question1: string;
  question2: string;
}

export type GenerationParse = { ok: true; value: GeneratedInstructions } | { ok: false; reason: string };

function sameQuestion(a: string, b: string): boolean {
  const canonical = (s: string) => s.toLowerCase().replace(/\s+/g, " ");
  return canonical(a) === canonical(b);
}

export function parseGeneratedInstructions(raw: string): GenerationParse {
  const json = extractJsonObject(raw);
  if (!json.ok) return json;
  const parsed = GeneratedInstructionsSchema.safeParse(json.value);
  if (!parsed.success) {
    return { ok: false, reason: `generator output: ${describeSchemaIssues(parsed.error, json.value)}` };
  }
  const question1 = parsed.data.question1.trim();
  const question2 = parsed.data.question2.trim();
  const empty = [question1 ? null : "question1", question2 ? null : "question2"].filter(Boolean);
  if (empty.length > 0) return { ok: false, reason: `empty ${empty.join(" and ")}` };
  // The prompt demands two diverse questions; a duplicate is a failed generation, and keeping
  // one copy would hand Algorithm 1 a pair it was never meant to compare.
  if (sameQuestion(question1, question2)) return { ok: false, reason: "question1 and question2 are identical" };
  return { ok: true, value: { question1, question2 } };
}
