import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { synthesizeForCuration } from "./curation-run";
import { runSummary } from "../lib/runs/run-summary";
import {
  countSamples,
  departmentDistribution,
  histogram,
  pageSamples,
  parseSampleQuery,
  pipelineFunnel,
  refreshSamples,
  sampleDetail,
  sampleQuerySchema,
  sampleQueryToSearchParams,
  SORT_FIELDS,
  type SampleFiltersInput,
  type SampleRow,
  type SortField,
} from "../lib/samples";
import { encodeCursor, InvalidCursorError } from "../lib/samples/sample-cursor";

// Every expectation here is computed again from the run tables (instructions, judgements,
// run_texts, responses, department_labels), never from `samples`, so a wrong refresh or filter fails.

interface Truth {
  id: number;
  sourceTextId: number;
  text: string;
  response: string;
  quality: number | null;
  difficulty: number | null;
  relevance: number | null;
  reward: number | null;
  kept: boolean;
  outcome: string;
  failedStage: string | null;
  tier: string | null;
  primary: string | null;
  secondary: string | null;
}

let db: TestDatabase;
let runId: string;
let truth: Truth[];

async function readTruth(): Promise<Truth[]> {
  const result = await db.pool.query<Truth>(
    `SELECT i.id, i.source_text_id AS "sourceTextId", i.text, coalesce(r.text, '') AS response, j.quality, j.difficulty, j.relevance,
            r.reward_score AS reward, t.kept_instruction_id IS NOT DISTINCT FROM i.id AS kept, t.outcome::text AS outcome, t.failed_stage AS "failedStage",
            CASE WHEN t.kept_instruction_id = i.id THEN t.tier END AS tier,
            lp.department AS primary, ls.department AS secondary
       FROM instructions i JOIN run_texts t ON t.run_id = i.run_id AND t.source_text_id = i.source_text_id
       LEFT JOIN judgements j ON j.instruction_id = i.id
       LEFT JOIN responses r ON r.instruction_id = i.id AND r.chosen
       LEFT JOIN department_labels lp ON lp.instruction_id = i.id AND lp.level = 'primary'
       LEFT JOIN department_labels ls ON ls.instruction_id = i.id AND ls.level = 'secondary'
      WHERE i.run_id = $1`,
    [runId],
  );
  return result.rows;
}

async function walk(query: Parameters<typeof pageSamples>[1]): Promise<{ rows: SampleRow[]; pages: number }> {
  const rows: SampleRow[] = [];
  let after: string | undefined = query.after;
  let pages = 0;
  for (;;) {
    const page = await pageSamples(db, { ...query, after });
    rows.push(...page.rows);
    pages++;
    if (!page.nextCursor) return { rows, pages };
    after = page.nextCursor;
    if (pages > 10_000) throw new Error("pagination does not end");
  }
}

const valueOf = (t: Truth, field: SortField): number | null => (field === "id" ? t.id : field === "reward" ? t.reward : t[field]);

/** The order the browser promises: by value (nulls last in both directions), ties by id in the same direction. */
function expectedOrder(rows: Truth[], field: SortField, direction: "asc" | "desc"): number[] {
  const sign = direction === "asc" ? 1 : -1;
  return [...rows]
    .sort((a, b) => {
      const va = valueOf(a, field);
      const vb = valueOf(b, field);
      if (va === null && vb !== null) return 1;
      if (vb === null && va !== null) return -1;
      if (va !== null && vb !== null && va !== vb) return sign * (va - vb);
      return sign * (a.id - b.id);
    })
    .map((t) => t.id);
}

beforeAll(async () => {
  db = await openTestDatabase();
  runId = await synthesizeForCuration(db, "pubmedqa-curation", 100);
  truth = await readTruth();
  // The run's batches may already have refreshed their samples; this makes sure, whichever is the case.
  await refreshSamples(db, runId);
}, 240_000);

afterAll(async () => {
  await db?.drop();
});

describe("samples built from a real simulator run", () => {
  it("refreshes one row per instruction, idempotently, and a batch's texts alone", async () => {
    const present = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM samples WHERE run_id = $1`, [runId]);
    expect(present.rows[0]!.n).toBe(truth.length);
    await db.pool.query(`DELETE FROM samples WHERE run_id = $1`, [runId]);
    const first = await refreshSamples(db, runId);
    expect(first.samples).toBe(truth.length);
    expect(first.documents).toBe(truth.length);
    expect(truth.length).toBeGreaterThan(80);
    expect(await refreshSamples(db, runId)).toEqual({ samples: 0, documents: 0 });

    const batch = [...new Set(truth.map((t) => t.sourceTextId))].slice(0, 7);
    const before = await db.pool.query(`SELECT * FROM samples WHERE source_text_id = ANY($1) ORDER BY instruction_id`, [batch]);
    await db.pool.query(`DELETE FROM samples WHERE source_text_id = ANY($1)`, [batch]);
    const again = await refreshSamples(db, runId, batch);
    expect(again.samples).toBe(before.rows.length);
    const after = await db.pool.query(`SELECT * FROM samples WHERE source_text_id = ANY($1) ORDER BY instruction_id`, [batch]);
    const stable = (rows: Record<string, unknown>[]) => rows.map(({ updated_at: _, ...rest }) => rest);
    expect(stable(after.rows)).toEqual(stable(before.rows));
  });

  it("gives every instruction the status Algorithm 1 and the run decided", async () => {
    const expected = (t: Truth): string => {
      if (t.outcome === "kept") return t.kept ? "kept" : "other_kept";
      if (t.outcome === "none_kept") return "none_kept";
      if (t.outcome === "failed") return t.failedStage === "judgement" ? "judgement_failed" : "text_failed";
      return "pending";
    };
    const { rows } = await walk({ limit: 500 });
    const byId = new Map(truth.map((t) => [t.id, t]));
    for (const row of rows) {
      const t = byId.get(row.id)!;
      expect(row.status, `sample ${row.id}`).toBe(expected(t));
      expect(row.failedStage).toBe(t.outcome === "failed" ? t.failedStage : null);
      expect([row.quality, row.difficulty, row.relevance, row.rewardScore, row.tier]).toEqual([
        t.quality,
        t.difficulty,
        t.relevance,
        t.reward,
        t.tier,
      ]);
      expect(row.model).toEqual({ primary: t.primary, secondary: t.secondary });
      expect(row.curated).toBeNull();
    }
    // The fixture must exercise every outcome, or this test proves little.
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(["kept", "other_kept", "none_kept", "judgement_failed", "text_failed"]));
  });

  it("agrees with the run summary's funnel", async () => {
    const summary = (await runSummary(db, runId))!;
    const funnel = await pipelineFunnel(db, runId);
    expect(funnel.texts).toBe(summary.texts);
    expect(funnel.kept).toBe(summary.kept);
    expect(funnel.common).toBe(summary.common);
    expect(funnel.complex).toBe(summary.complex);
    // A text can fail at classification after its DPO pair was written: the funnel counts kept ones only.
    const keptPairs = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM dpo_pairs d JOIN run_texts t ON t.kept_instruction_id = d.instruction_id WHERE d.run_id = $1 AND t.outcome = 'kept'`,
      [runId],
    );
    expect(funnel.dpo).toBe(keptPairs.rows[0]!.n);
    expect(funnel.dpo).toBeLessThanOrEqual(summary.dpoPairs);
    expect(funnel.instructions).toBe(truth.length);
    expect(funnel.kept + funnel.otherKept + funnel.noneKept).toBeLessThanOrEqual(funnel.instructions);
    expect(funnel.complex).toBeGreaterThan(0);
  });

  it("walks every row exactly once, in order, for every sort field and direction", async () => {
    for (const field of SORT_FIELDS) {
      for (const direction of ["asc", "desc"] as const) {
        const { rows, pages } = await walk({ sort: { field, direction }, limit: 7 });
        expect(pages).toBeGreaterThan(10);
        expect(
          rows.map((r) => r.id),
          `${field}.${direction}`,
        ).toEqual(expectedOrder(truth, field, direction));
      }
    }
  });

  it("walks a filtered order exactly once too", async () => {
    const filters: SampleFiltersInput = { status: ["kept"], quality: { min: 6 } };
    const expected = expectedOrder(
      truth.filter((t) => t.kept && (t.quality ?? 0) >= 6),
      "reward",
      "desc",
    );
    expect(expected.length).toBeGreaterThan(5);
    const { rows } = await walk({ filters, sort: { field: "reward", direction: "desc" }, limit: 4 });
    expect(rows.map((r) => r.id)).toEqual(expected);
  });

  it("filters by scores, status, tier, departments, details and run", async () => {
    const ids = async (filters: SampleFiltersInput) => (await walk({ filters, limit: 500 })).rows.map((r) => r.id).sort((a, b) => a - b);
    const expectIds = (rows: Truth[]) => rows.map((t) => t.id).sort((a, b) => a - b);
    expect(await ids({ quality: { min: 7, max: 8 } })).toEqual(
      expectIds(truth.filter((t) => t.quality !== null && t.quality >= 7 && t.quality <= 8)),
    );
    expect(await ids({ difficulty: { min: 8 } })).toEqual(expectIds(truth.filter((t) => (t.difficulty ?? 0) >= 8)));
    expect(await ids({ status: ["kept"] })).toEqual(expectIds(truth.filter((t) => t.kept && t.outcome === "kept")));
    expect(await ids({ tier: ["complex"] })).toEqual(expectIds(truth.filter((t) => t.tier === "complex")));
    const primary = truth.find((t) => t.primary !== null)!.primary!;
    expect(await ids({ primary: [primary] })).toEqual(expectIds(truth.filter((t) => t.primary === primary)));
    expect(await ids({ secondary: [null] })).toEqual(expectIds(truth.filter((t) => t.primary !== null && t.secondary === null)));
    expect(await ids({ primary: [primary], labelSource: "model", overridden: false })).toEqual(
      expectIds(truth.filter((t) => t.primary === primary)),
    );
    expect(await ids({ primary: ["No Such Department"] })).toEqual([]);
    expect(await ids({ runIds: [runId] })).toHaveLength(truth.length);
    expect(await ids({ runIds: ["00000000-0000-4000-8000-000000000000"] })).toEqual([]);
    const failed = await ids({ status: ["judgement_failed", "text_failed"] });
    expect(failed).toEqual(expectIds(truth.filter((t) => t.outcome === "failed")));
  });

  it("finds text in instructions and chosen responses with full-text search", async () => {
    const counts = new Map<string, number>();
    for (const t of truth)
      for (const word of new Set(t.text.toLowerCase().match(/\b[a-z]{9,}\b/g) ?? [])) counts.set(word, (counts.get(word) ?? 0) + 1);
    const word = [...counts.entries()].filter(([, n]) => n >= 3 && n < truth.length / 3).sort((a, b) => b[1] - a[1])[0]![0];
    const { rows } = await walk({ filters: { text: word }, limit: 50 });
    const found = new Set(rows.map((r) => r.id));
    const mention = (t: Truth) => new RegExp(`\\b${word}\\b`).test(`${t.text} ${t.response}`.toLowerCase());
    for (const t of truth.filter(mention)) expect(found.has(t.id), `sample ${t.id} mentions "${word}"`).toBe(true);
    const stem = word.slice(0, 5);
    for (const t of truth.filter((x) => found.has(x.id))) expect(`${t.text} ${t.response}`.toLowerCase()).toContain(stem);
    expect((await pageSamples(db, { filters: { text: "zzqqxxnonexistentword" } })).rows).toEqual([]);
    // Both plans a page can take for full text (matches collected first, or each row's document
    // tested along the sort index) return the same rows in the same order.
    for (const textPlan of ["probe", "materialize"] as const) {
      const start = encodeCursor({ field: "quality", direction: "desc", value: 11, id: 0, textPlan });
      const walked = await walk({ filters: { text: word }, sort: { field: "quality", direction: "desc" }, after: start, limit: 3 });
      expect(
        walked.rows.map((r) => r.id),
        textPlan,
      ).toEqual(
        expectedOrder(
          truth.filter((t) => found.has(t.id)),
          "quality",
          "desc",
        ),
      );
    }
    const excluded = (await walk({ filters: { text: `-${word}` }, limit: 500 })).rows;
    expect(excluded.length + found.size).toBe(truth.length);
  });

  it("counts exactly up to its cap and estimates above it", async () => {
    expect(await countSamples(db, {})).toEqual({ count: truth.length, exact: true });
    expect(await countSamples(db, { status: ["kept"] })).toEqual({
      count: truth.filter((t) => t.kept && t.outcome === "kept").length,
      exact: true,
    });
    const capped = await countSamples(db, {}, 10);
    expect(capped.exact).toBe(false);
    expect(capped.count).toBeGreaterThan(10);
  });

  it("refuses a cursor from another sort order", async () => {
    const page = await pageSamples(db, { sort: { field: "quality", direction: "asc" }, limit: 3 });
    await expect(pageSamples(db, { sort: { field: "difficulty", direction: "asc" }, after: page.nextCursor! })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
    await expect(pageSamples(db, { after: "garbage" })).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it("round-trips the whole table state through the URL", () => {
    const query = sampleQuerySchema.parse({
      filters: {
        quality: { min: 3, max: 9 },
        reward: { min: -1.25 },
        labelSource: "curated",
        primary: ["Surgery", "Internal Medicine"],
        secondary: ["Cardiology", null],
        tier: ["complex"],
        status: ["kept", "other_kept"],
        overridden: true,
        mentionsDetails: false,
        runIds: [runId],
        text: '"heart failure" -child',
      },
      sort: { field: "reward", direction: "desc" },
      after: "abc",
      limit: 120,
    });
    const params = sampleQueryToSearchParams(query);
    expect(parseSampleQuery(params)).toEqual(query);
    expect(parseSampleQuery(new URLSearchParams(params.toString()))).toEqual(query);
    const asRecord: Record<string, string | string[]> = {};
    for (const key of new Set(params.keys())) {
      const all = params.getAll(key);
      asRecord[key] = all.length === 1 ? all[0]! : all;
    }
    expect(parseSampleQuery(asRecord)).toEqual(query);
    expect(sampleQueryToSearchParams(parseSampleQuery({})).toString()).toBe("");
    expect(() => parseSampleQuery({ "quality.min": "eleven" })).toThrow();
    expect(() => parseSampleQuery({ sort: "length.asc" })).toThrow();
    expect(() => parseSampleQuery({ "quality.min": "9", "quality.max": "2" })).toThrow();
  });

  it("shows a kept complex sample with both instructions, Algorithm 1's decision, the DPO pair and its lineage", async () => {
    const complex = truth.find((t) => t.tier === "complex")!;
    const detail = (await sampleDetail(db, complex.id))!;
    expect(detail.instructions).toHaveLength(2);
    expect(detail.instructions.filter((i) => i.keptByAlgorithm1).map((i) => i.id)).toEqual([complex.id]);
    expect(detail.selection.rule).toBeTruthy();
    expect(detail.selection.keptInstructionId).toBe(complex.id);
    const reasoning = detail.responses.find((r) => r.kind === "reasoning")!;
    expect(reasoning.chosen).toBe(true);
    expect(reasoning.thought).toBeTruthy();
    expect(reasoning.summarization).toBeTruthy();
    expect(detail.dpoPair).toMatchObject({
      chosenResponseId: reasoning.id,
      rejectedResponseId: detail.responses.find((r) => r.kind === "direct")!.id,
    });
    expect(detail.modelLabels.map((l) => l.level)).toEqual(["primary", "secondary"]);
    expect(detail.sample.model.primary).toBe(complex.primary);
    expect(detail.sourceText.text.length).toBeGreaterThan(100);
    const purposes = detail.lineage.calls.map((c) => c.purpose);
    expect(purposes).toEqual(
      expect.arrayContaining(["generation", "judgement", "reasoning", "direct", "classification-primary", "classification-secondary"]),
    );
    for (const call of detail.lineage.calls) {
      expect(call.model).toBeTruthy();
      expect(call.latencyMs).not.toBeNull();
      expect(call.promptTokens).toBeGreaterThan(0);
    }
    expect(detail.lineage.prompts.map((p) => p.key)).toEqual(
      expect.arrayContaining(["instruction-generation", "instruction-judgement", "complex-reasoning"]),
    );

    const common = truth.find((t) => t.tier === "common")!;
    const commonDetail = (await sampleDetail(db, common.id))!;
    const chosen = commonDetail.responses.filter((r) => r.chosen);
    expect(chosen).toHaveLength(1);
    expect(commonDetail.sample.rewardScore).toBe(chosen[0]!.rewardScore);
    expect(Math.max(...commonDetail.responses.map((r) => r.rewardScore!))).toBe(chosen[0]!.rewardScore);
    expect(await sampleDetail(db, 987_654_321)).toBeNull();
  });

  it("aggregates histograms, department distributions and groups in SQL", async () => {
    const quality = await histogram(db, "quality");
    const all = quality.series[0]!;
    const judged = truth.filter((t) => t.quality !== null);
    expect(all.count).toBe(judged.length);
    for (const bucket of all.buckets) expect(bucket.count).toBe(judged.filter((t) => t.quality === bucket.from).length);
    expect(all.mean).toBeCloseTo(judged.reduce((s, t) => s + t.quality!, 0) / judged.length, 9);

    const byTier = await histogram(db, "difficulty", { status: ["kept"] }, "tier");
    expect(byTier.series.map((s) => s.group).sort()).toEqual(["common", "complex"]);
    for (const bucket of byTier.series.find((s) => s.group === "complex")!.buckets) expect(bucket.from).toBeGreaterThanOrEqual(8);

    const reward = await histogram(db, "reward");
    expect(reward.series[0]!.count).toBe(truth.filter((t) => t.reward !== null).length);
    expect(reward.series[0]!.buckets.length).toBeLessThanOrEqual(20);

    const byCorpus = await histogram(db, "relevance", {}, "corpus");
    expect(byCorpus.series.map((s) => s.group)).toEqual(["pubmedqa-curation"]);

    const distribution = await departmentDistribution(db, "primary");
    const kept = truth.filter((t) => t.kept && t.outcome === "kept");
    for (const entry of distribution.departments) {
      expect(entry.model, entry.department ?? "none").toBe(kept.filter((t) => t.primary === entry.department).length);
      expect(entry.curated).toBe(entry.model);
    }
    expect(distribution.moves).toEqual([]);
  });
});
