// Response tiering (paper §2.1): an instruction is complex when the judge's difficulty reaches
// the threshold ("a threshold set at 8"); complex ones get long-form reasoning, common ones
// two generator answers ranked by the reward model.

export type InstructionTier = "common" | "complex";

export const DEFAULT_TIER_THRESHOLD = 8;

export type ThresholdParse = { ok: true; value: number } | { ok: false; reason: string };

// Difficulty is an integer 1–10, so only such thresholds partition it meaningfully.
export function parseTierThreshold(value: unknown): ThresholdParse {
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof number !== "number" || !Number.isInteger(number) || number < 1 || number > 10) {
    return { ok: false, reason: `tier threshold must be an integer from 1 to 10, got ${JSON.stringify(value)}` };
  }
  return { ok: true, value: number };
}

export function tierOf(difficulty: number, threshold: number = DEFAULT_TIER_THRESHOLD): InstructionTier {
  const parsed = parseTierThreshold(threshold);
  if (!parsed.ok) throw new RangeError(parsed.reason);
  if (!Number.isInteger(difficulty) || difficulty < 1 || difficulty > 10) {
    throw new RangeError(`difficulty must be an integer from 1 to 10, got ${difficulty}`);
  }
  return difficulty >= parsed.value ? "complex" : "common";
}
