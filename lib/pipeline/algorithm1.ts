import type { InstructionJudgement } from "./judgement";

// Algorithm 1 (CompareInstructionScore) of the paper, Appendix A: keeps at most one of the two
// instructions generated from one text. The paper's "complexity" is the judge's difficulty.

export type Algorithm1Rule =
  | "details-A" // only A mentions specific details → B kept
  | "details-B" // only B mentions specific details → A kept
  | "both-details" // both mention specific details → none kept
  | "sum" // quality + difficulty + relevance differ
  | "quality+difficulty"
  | "quality"
  | "random"; // everything tied: seeded coin flip

export interface Algorithm1Decision {
  kept: "A" | "B" | null;
  rule: Algorithm1Rule;
  /** The tie-break seed this decision was computed with, stored so it can be recomputed. */
  seed: string;
  /** The 32-bit draw behind a "random" decision (A kept when its top bit is 0). */
  draw?: number;
}

/** The seed of one text's tie-break: the run's seed plus the source text, so reruns agree. */
export function tieBreakSeed(runSeed: string, sourceTextId: string): string {
  return `${runSeed}:${sourceTextId}`;
}

// FNV-1a then the murmur3 finaliser: tiny, dependency-free and identical in Node and browsers,
// so any curator's tool can recompute a stored decision; the finaliser spreads every input bit
// into the top bit, which plain FNV-1a does not.
export function seededDraw(seed: string): number {
  let hash = 0x811c9dc5;
  const bytes = new TextEncoder().encode(seed);
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

function pick(scoreA: number, scoreB: number): "A" | "B" {
  return scoreA > scoreB ? "A" : "B";
}

export function compareInstructionScore(a: InstructionJudgement, b: InstructionJudgement, seed: string): Algorithm1Decision {
  if (a.mentionsSpecificDetails !== b.mentionsSpecificDetails) {
    return a.mentionsSpecificDetails ? { kept: "B", rule: "details-A", seed } : { kept: "A", rule: "details-B", seed };
  }
  if (a.mentionsSpecificDetails && b.mentionsSpecificDetails) {
    return { kept: null, rule: "both-details", seed };
  }
  const sumA = a.quality + a.difficulty + a.relevanceToMedicine;
  const sumB = b.quality + b.difficulty + b.relevanceToMedicine;
  if (sumA !== sumB) return { kept: pick(sumA, sumB), rule: "sum", seed };
  const qdA = a.quality + a.difficulty;
  const qdB = b.quality + b.difficulty;
  if (qdA !== qdB) return { kept: pick(qdA, qdB), rule: "quality+difficulty", seed };
  if (a.quality !== b.quality) return { kept: pick(a.quality, b.quality), rule: "quality", seed };
  const draw = seededDraw(seed);
  return { kept: draw >>> 31 === 0 ? "A" : "B", rule: "random", seed, draw };
}
