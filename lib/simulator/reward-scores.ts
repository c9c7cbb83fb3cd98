import { combineHash, fnv1a, unitInterval } from "./determinism";
import { wordTokens } from "./text-features";

// Fake sequence-classification reward model: a logit around 0 with a mild preference for longer, more
// detailed responses (as real reward models show), plus deterministic per-text noise.
export function rewardScore(text: string, seedHash: number): number {
  const words = wordTokens(text).length;
  const lengthBonus = Math.log1p(words) * 0.6 - 2;
  const noise = (unitInterval(combineHash(fnv1a(text, seedHash), 0x5eed)) - 0.5) * 4;
  return Math.round((lengthBonus + noise) * 1e4) / 1e4;
}
