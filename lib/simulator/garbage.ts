import type { SeededRandom } from "./determinism";
import type { SimStep } from "./step-detection";

// Real models sometimes break the requested format inside a perfectly good HTTP 200. These corruptions
// exercise the pipeline's lenient parser and its "failed with a reason, never invent a score" rule.

export type GarbageKind = "invalid-json" | "missing-key" | "out-of-range" | "off-format";

export function corruptAnswer(step: SimStep, content: string, random: SeededRandom): { content: string; kind: GarbageKind } {
  switch (step) {
    case "instruction-generation":
    case "response-pair":
    case "instruction-scoring":
      return corruptJson(step, content, random);
    case "long-form-reasoning":
      return random.chance(0.5)
        ? { content: content.split("**Summarization**")[0] ?? content, kind: "off-format" }
        : { content: "I'm sorry, but I can't provide a definitive answer to this question.", kind: "off-format" };
    case "classification":
      return {
        content: random.pick([
          "Based on the dialogue, this most likely belongs to a general clinic, although several departments could apply.",
          "Department: unclear",
          "",
        ]),
        kind: "off-format",
      };
    case "unknown":
      return { content: "", kind: "off-format" };
  }
}

function corruptJson(step: SimStep, content: string, random: SeededRandom): { content: string; kind: GarbageKind } {
  const roll = random.int(0, step === "instruction-scoring" ? 2 : 1);
  const body = content.replace(/^```json\n|\n```$/g, "");
  if (roll === 0) {
    // Truncated or prose-wrapped JSON that no parser can repair.
    const cut = Math.max(1, Math.floor(body.length * (0.3 + random.next() * 0.5)));
    return { content: `Sure! Here is the output:\n${body.slice(0, cut)}`, kind: "invalid-json" };
  }
  const parsed = JSON.parse(body) as Record<string, unknown>;
  if (roll === 1) {
    const keys = Object.keys(parsed);
    const drop = random.pick(keys);
    delete parsed[drop];
    return { content: JSON.stringify(parsed, null, 2), kind: "missing-key" };
  }
  const field = random.pick(["quality", "difficulty", "Relevance2Medicine"] as const);
  parsed[field] = random.pick(field === "Relevance2Medicine" ? [0, 7, 9] : [0, 11, 15, -1]);
  return { content: JSON.stringify(parsed, null, 2), kind: "out-of-range" };
}
