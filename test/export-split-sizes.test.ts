import { describe, expect, it } from "vitest";
import type { VersionCounts } from "../lib/datasets/version-view";
import { exportOptionsSchema, PAPER_SIZES } from "../lib/export/export-options";
import { effectiveSizes, planSplits } from "../lib/export/split-plan";

const counts = (pools: VersionCounts["pools"]): VersionCounts => ({
  members: pools.sft + pools.longForm,
  tiers: { common: pools.sft, complex: pools.longForm },
  pools,
  departments: [],
});
// A FineMed a hundredth of the paper's, Endocrinology the scarcest pool relative to its ask.
const SMALL = counts({ sft: 2_000, internalMedicine: 360, endocrinology: 55, longForm: 500, dpo: 330 });

describe("split sizes", () => {
  it("absolute: the paper's sizes, each capped by its pool (and said so)", () => {
    const plan = planSplits(SMALL, exportOptionsSchema.parse({}), null);
    expect(plan.find((s) => s.name === "sft_stage1")).toMatchObject({
      requested: PAPER_SIZES.sftStage1,
      rows: 2_000,
      smallerThanAsked: true,
    });
    expect(plan.find((s) => s.name === "sft_stage3")).toMatchObject({ rows: 55, smallerThanAsked: true });
  });

  it("proportional: every split the paper's size times one factor, so the paper's proportions hold", () => {
    const options = exportOptionsSchema.parse({ sizing: "proportional" });
    const sizes = effectiveSizes(SMALL, options);
    // Endocrinology (55 of 11,000) sets the factor 0.005 for every stage.
    expect(sizes).toEqual({ sftStage1: 1_000, sftStage2: 180, sftStage3: 55, o1Sft: 85, dpo: 165, ttt: null });
    const plan = planSplits(SMALL, options, null);
    expect(plan.filter((s) => s.name !== "ttt_index").every((s) => !s.smallerThanAsked)).toBe(true);
    expect(plan.find((s) => s.name === "sft_stage2")!.rows / plan.find((s) => s.name === "sft_stage1")!.rows).toBeCloseTo(
      36_000 / 200_000,
      3,
    );
  });

  it("disjoint halves the long-form set when it is smaller than both asks, so DPO is not left empty", () => {
    const options = exportOptionsSchema.parse({ dpoOverlap: "disjoint" });
    expect(effectiveSizes(SMALL, options).o1Sft).toBe(250);
    // The DPO pool left once o1 SFT took its half (export-dataset counts it from the rows o1 SFT drew).
    const plan = planSplits(SMALL, options, 250);
    expect(plan.find((s) => s.name === "o1_sft")!.rows).toBe(250);
    expect(plan.find((s) => s.name === "dpo")!.rows).toBe(250);
    // A long-form set large enough for both asks is not halved.
    expect(effectiveSizes(counts({ sft: 1, internalMedicine: 1, endocrinology: 1, longForm: 60_000, dpo: 60_000 }), options).o1Sft).toBe(
      PAPER_SIZES.o1Sft,
    );
  });
});
