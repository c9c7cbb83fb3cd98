import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { synthesizeForCuration } from "./curation-run";
import { histogram, MAX_QUARTILE_GROUPS, refreshSamples, scoreQuartiles, type HistogramGroup, type QuartileSeries } from "../lib/samples";
import { integerScoreCharts, INTEGER_SCORES } from "../lib/samples/score-charts";
import { departmentDistribution, departmentDistributions } from "../lib/samples/department-distribution";
import type { SampleFiltersInput } from "../lib/samples/sample-query";

interface RawRow {
  tier: string | null;
  status: string;
  primary_id: number | null;
  quality: number | null;
  difficulty: number | null;
  relevance: number | null;
}

let db: TestDatabase;
let rows: RawRow[];

/** percentile_cont's definition: linear interpolation between the ranks around p·(n−1). */
function percentile(sorted: number[], p: number): number {
  const position = p * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

function expectSummary(series: QuartileSeries | undefined, values: number[]): void {
  expect(series).toBeDefined();
  const sorted = [...values].sort((a, b) => a - b);
  expect(series!.n).toBe(sorted.length);
  expect(series!.min).toBe(sorted[0]);
  expect(series!.max).toBe(sorted.at(-1));
  expect(series!.q1).toBeCloseTo(percentile(sorted, 0.25), 9);
  expect(series!.median).toBeCloseTo(percentile(sorted, 0.5), 9);
  expect(series!.q3).toBeCloseTo(percentile(sorted, 0.75), 9);
  expect(series!.mean).toBeCloseTo(sorted.reduce((sum, v) => sum + v, 0) / sorted.length, 9);
}

beforeAll(async () => {
  db = await openTestDatabase();
  const runId = await synthesizeForCuration(db, "pubmedqa-quartiles", 40);
  await refreshSamples(db, runId);
  rows = (
    await db.pool.query<RawRow>(
      `SELECT tier::text AS tier, status::text AS status, primary_id, quality, difficulty, relevance FROM samples`,
    )
  ).rows;
}, 240_000);

afterAll(async () => {
  await db?.drop();
});

describe("score quartiles aggregated in SQL", () => {
  it("match quartiles recomputed from the raw rows, overall and per tier", async () => {
    const all = await scoreQuartiles(db, "quality");
    expect(all.groups).toBe(1);
    expect(all.series[0]!.group).toBe("all");
    expectSummary(
      all.series[0],
      rows.flatMap((r) => (r.quality === null ? [] : [r.quality])),
    );

    const byTier = await scoreQuartiles(db, "difficulty", undefined, "tier");
    // Samples filtered out before tiering have a difficulty but no tier: their own "no value" group.
    const tiers = [...new Set(rows.filter((r) => r.difficulty !== null).map((r) => r.tier))];
    expect(tiers).toEqual(expect.arrayContaining(["common", "complex"]));
    expect(byTier.series.map((s) => s.group).sort()).toEqual([...tiers].sort());
    for (const tier of tiers) {
      expectSummary(
        byTier.series.find((s) => s.group === tier),
        rows.flatMap((r) => (r.tier === tier && r.difficulty !== null ? [r.difficulty] : [])),
      );
    }
  });

  it("apply the sample filters and order groups by size", async () => {
    const kept = await scoreQuartiles(db, "relevance", { status: ["kept"] }, "status");
    expect(kept.series.map((s) => s.group)).toEqual(["kept"]);
    expectSummary(
      kept.series[0],
      rows.flatMap((r) => (r.status === "kept" && r.relevance !== null ? [r.relevance] : [])),
    );

    const byStatus = await scoreQuartiles(db, "quality", undefined, "status");
    const sizes = byStatus.series.map((s) => s.n);
    expect([...sizes].sort((a, b) => b - a)).toEqual(sizes);
    expect(byStatus.series.length).toBeLessThanOrEqual(MAX_QUARTILE_GROUPS);
    expect(byStatus.groups).toBe(new Set(rows.filter((r) => r.quality !== null).map((r) => r.status)).size);
  });

  it("name departments and keep at most the largest groups", async () => {
    const byPrimary = await scoreQuartiles(db, "quality", undefined, "primary");
    const primaries = new Set(rows.filter((r) => r.quality !== null).map((r) => r.primary_id));
    expect(byPrimary.groups).toBe(primaries.size);
    expect(byPrimary.series.length).toBe(Math.min(primaries.size, MAX_QUARTILE_GROUPS));
    for (const series of byPrimary.series) expect(series.group === null || !/^\d+$/.test(series.group)).toBe(true);
  });
});

describe("the judge scores' charts from one scan (integerScoreCharts)", () => {
  it("equal histogram() and scoreQuartiles() field by field, ungrouped, grouped and filtered", async () => {
    const cases: [SampleFiltersInput | undefined, HistogramGroup | undefined][] = [
      [undefined, undefined],
      [undefined, "tier"],
      [undefined, "primary"],
      [{ status: ["kept"] }, "status"],
    ];
    for (const [filters, by] of cases) {
      const charts = await integerScoreCharts(db, filters, by);
      for (const field of INTEGER_SCORES) {
        expect(charts[field].histogram).toEqual(await histogram(db, field, filters, by));
        expect(charts[field].quartiles).toEqual(await scoreQuartiles(db, field, filters, by));
      }
    }
    const all = await integerScoreCharts(db);
    expect(all.quality.histogram.series[0]!.count).toBe(rows.filter((r) => r.quality !== null).length);
  });
});

describe("both department levels from one scan (departmentDistributions)", () => {
  it("equal departmentDistribution() level by level, kept samples and a filter", async () => {
    for (const filters of [undefined, { status: ["kept", "none_kept"] }] satisfies (SampleFiltersInput | undefined)[]) {
      const both = await departmentDistributions(db, filters);
      expect(both.primary).toEqual(await departmentDistribution(db, "primary", filters));
      expect(both.secondary).toEqual(await departmentDistribution(db, "secondary", filters));
      expect(both.primary.departments.reduce((sum, d) => sum + d.model, 0)).toBeGreaterThan(0);
    }
  });
});
