// DPO pairs (paper §2.1, §3): for a complex instruction, chosen = the reasoner's long-form
// reasoning, rejected = the generator's direct answer.

export interface DpoPair {
  prompt: string;
  chosen: string;
  rejected: string;
}

export type DpoPairBuild = { ok: true; value: DpoPair } | { ok: false; reason: string };

export function buildDpoPair(input: { prompt: string; chosen: string; rejected: string }): DpoPairBuild {
  const empty = (["prompt", "chosen", "rejected"] as const).filter((field) => input[field].trim() === "");
  if (empty.length > 0) return { ok: false, reason: `empty ${empty.join(", ")}` };
  // A pair with the same text on both sides has no preference signal and only adds noise.
  if (input.chosen.trim() === input.rejected.trim()) {
    return { ok: false, reason: "chosen and rejected are identical" };
  }
  return { ok: true, value: { prompt: input.prompt, chosen: input.chosen, rejected: input.rejected } };
}
