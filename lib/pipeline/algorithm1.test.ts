import { describe, expect, it } from "vitest";
import { compareInstructionScore, seededDraw, tieBreakSeed } from "./algorithm1";
import type { InstructionJudgement } from "./judgement";

function judged(quality: number, difficulty: number, relevanceToMedicine: number, details = false): InstructionJudgement {
  return { quality, difficulty, relevanceToMedicine, mentionsSpecificDetails: details };
}

const SEED = "run-1:text-42";

describe("compareInstructionScore (paper Algorithm 1)", () => {
  it("keeps B when only A mentions specific details, whatever the scores", () => {
    const decision = compareInstructionScore(judged(10, 10, 6, true), judged(1, 1, 1), SEED);
    expect(decision).toEqual({ kept: "B", rule: "details-A", seed: SEED });
  });

  it("keeps A when only B mentions specific details, whatever the scores", () => {
    const decision = compareInstructionScore(judged(1, 1, 1), judged(10, 10, 6, true), SEED);
    expect(decision).toEqual({ kept: "A", rule: "details-B", seed: SEED });
  });

  it("keeps none when both mention specific details", () => {
    const decision = compareInstructionScore(judged(10, 10, 6, true), judged(3, 3, 3, true), SEED);
    expect(decision).toEqual({ kept: null, rule: "both-details", seed: SEED });
  });

  it("decides on quality + difficulty + relevance before the partial sums", () => {
    // A: 8+7+5 = 20, B: 9+9+1 = 19 → A, although B leads on quality+difficulty (18 vs 15) and quality.
    expect(compareInstructionScore(judged(8, 7, 5), judged(9, 9, 1), SEED)).toEqual({ kept: "A", rule: "sum", seed: SEED });
    // A: 5+5+5 = 15, B: 5+6+5 = 16 → B.
    expect(compareInstructionScore(judged(5, 5, 5), judged(5, 6, 5), SEED)).toEqual({ kept: "B", rule: "sum", seed: SEED });
  });

  it("breaks a sum tie on quality + difficulty", () => {
    // A: 6+8+5 = 19 (q+d 14), B: 8+8+3 = 19 (q+d 16) → B.
    expect(compareInstructionScore(judged(6, 8, 5), judged(8, 8, 3), SEED)).toEqual({
      kept: "B",
      rule: "quality+difficulty",
      seed: SEED,
    });
    // A: 9+9+1 = 19 (q+d 18), B: 7+7+5 = 19 (q+d 14) → A.
    expect(compareInstructionScore(judged(9, 9, 1), judged(7, 7, 5), SEED)).toEqual({
      kept: "A",
      rule: "quality+difficulty",
      seed: SEED,
    });
  });

  it("breaks a quality + difficulty tie on quality alone", () => {
    // A: 9+6+5 = 20, q+d 15; B: 7+8+5 = 20, q+d 15 → quality 9 > 7 → A.
    expect(compareInstructionScore(judged(9, 6, 5), judged(7, 8, 5), SEED)).toEqual({ kept: "A", rule: "quality", seed: SEED });
    expect(compareInstructionScore(judged(7, 8, 5), judged(9, 6, 5), SEED)).toEqual({ kept: "B", rule: "quality", seed: SEED });
  });

  it("falls back to a seeded random choice when everything ties, and records the draw", () => {
    const decision = compareInstructionScore(judged(7, 7, 4), judged(7, 7, 4), SEED);
    expect(decision.rule).toBe("random");
    expect(decision.seed).toBe(SEED);
    expect(decision.draw).toBe(seededDraw(SEED));
    expect(decision.kept).toBe((decision.draw ?? 0) >>> 31 === 0 ? "A" : "B");
  });

  it("is mirror-symmetric for every deterministic rule", () => {
    const pairs: Array<[InstructionJudgement, InstructionJudgement]> = [
      [judged(10, 10, 6, true), judged(1, 1, 1)],
      [judged(8, 7, 5), judged(9, 9, 1)],
      [judged(6, 8, 5), judged(8, 8, 3)],
      [judged(9, 6, 5), judged(7, 8, 5)],
    ];
    const mirror = { A: "B", B: "A" } as const;
    for (const [a, b] of pairs) {
      const forward = compareInstructionScore(a, b, SEED);
      const backward = compareInstructionScore(b, a, SEED);
      expect(forward.kept).not.toBeNull();
      expect(backward.kept).toBe(mirror[forward.kept ?? "A"]);
    }
  });

  it("does not treat a tie on the sum alone as a tie (relevance still counted)", () => {
    // q+d equal (14 vs 14) but relevance differs → sum decides.
    expect(compareInstructionScore(judged(7, 7, 3), judged(7, 7, 4), SEED)).toMatchObject({ kept: "B", rule: "sum" });
  });
});

describe("seeded tie-break", () => {
  it("matches independently computed FNV-1a + murmur3-finaliser values", () => {
    // Reference values computed with a separate Python implementation of the same hash.
    expect(seededDraw("run-1:text-42")).toBe(3040269109);
    expect(seededDraw("seed:0")).toBe(1833206225);
    expect(seededDraw("")).toBe(2872998923);
    expect(seededDraw("é:ü")).toBe(2959027447);
  });

  it("is deterministic for a seed and derived from run seed and source text", () => {
    const tie = judged(5, 5, 5);
    const seed = tieBreakSeed("run-7", "text-123");
    expect(seed).toBe("run-7:text-123");
    const first = compareInstructionScore(tie, tie, seed);
    for (let i = 0; i < 20; i++) expect(compareInstructionScore(tie, tie, seed)).toEqual(first);
  });

  it("splits about 50/50 over many seeds, including sequential ones", () => {
    const tie = judged(6, 6, 4);
    let keptA = 0;
    const total = 4000;
    for (let i = 0; i < total; i++) {
      if (compareInstructionScore(tie, tie, tieBreakSeed("run-1", `text-${i}`)).kept === "A") keptA++;
    }
    // Binomial(4000, 0.5): sd ≈ 32, so ±150 is ~4.7 sd.
    expect(keptA).toBeGreaterThan(total / 2 - 150);
    expect(keptA).toBeLessThan(total / 2 + 150);
  });

  it("changes with the run seed for the same text", () => {
    const tie = judged(6, 6, 4);
    const outcomes = new Set<string | null>();
    for (let run = 0; run < 32; run++) outcomes.add(compareInstructionScore(tie, tie, tieBreakSeed(`run-${run}`, "text-1")).kept);
    expect(outcomes).toEqual(new Set(["A", "B"]));
  });
});
