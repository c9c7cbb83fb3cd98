import { DEFAULT_PROMPTS } from "@/lib/pipeline/prompts";

const RANK = new Map<string, number>(DEFAULT_PROMPTS.map((prompt, index) => [prompt.key, index]));

/** Prompt keys in the pipeline's order (generation, judgement, answers, classification), not the alphabet's. */
export function inPipelineOrder(keys: Iterable<string>): string[] {
  const rank = (key: string) => RANK.get(key) ?? Number.MAX_SAFE_INTEGER;
  return [...keys].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
