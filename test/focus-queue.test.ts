import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { synthesizeForCuration } from "./curation-run";
import { parseSampleQuery, refreshSamples } from "../lib/samples";
import { LabelConflictError, undoLabelChange } from "../lib/labels";
import { focusQueuePage } from "../lib/labels/focus-queue";
import { decideFocusSample } from "../lib/labels/focus-decision";

let db: TestDatabase;

beforeAll(async () => {
  db = await openTestDatabase();
  const runId = await synthesizeForCuration(db, "pubmedqa-focus", 40);
  await refreshSamples(db, runId);
}, 240_000);

afterAll(async () => {
  await db?.drop();
});

async function labelOf(id: number) {
  const result = await db.pool.query<{
    curated_primary_id: number | null;
    primary_id: number | null;
    model_primary_id: number | null;
    label_version: number;
  }>(`SELECT curated_primary_id, primary_id, model_primary_id, label_version FROM samples WHERE instruction_id = $1`, [id]);
  return result.rows[0]!;
}

describe("focus mode's queue", () => {
  it("reads a filter of the samples table as kept samples only, with their texts and a count", async () => {
    const page = await focusQueuePage(db, { kind: "filter", query: parseSampleQuery({ limit: "5" }) });
    expect(page.items.length).toBe(5);
    expect(page.total?.count).toBeGreaterThan(5);
    for (const item of page.items) {
      expect(item.sample.status).toBe("kept");
      expect(item.sourceText.length).toBeGreaterThan(0);
      expect(item.chosenAnswer).not.toBeNull();
    }
    const next = await focusQueuePage(db, { kind: "filter", query: parseSampleQuery({ limit: "5", after: page.nextCursor! }) });
    expect(next.total).toBeNull();
    expect(next.items.map((i) => i.sample.id)).not.toContain(page.items[0]!.sample.id);
  });

  it("is empty for a filter that names only rejected outcomes", async () => {
    const page = await focusQueuePage(db, { kind: "filter", query: parseSampleQuery({ status: "other_kept" }) });
    expect(page.items).toEqual([]);
  });
});

describe("focus decisions", () => {
  it("confirms the model's label as an audited change that clears the review queue item, and undoes it", async () => {
    const queue = await focusQueuePage(db, { kind: "review", query: parseSampleQuery({ limit: "50" }) });
    const item = queue.items.find((entry) => entry.sample.model.primary !== null)!;
    expect(item).toBeDefined();
    const before = await labelOf(item.sample.id);
    const result = await decideFocusSample(db, {
      instructionId: item.sample.id,
      expectedVersion: item.sample.labelVersion,
      decision: { kind: "confirm" },
      reason: null,
      actor: "curator@test",
    });
    const after = await labelOf(item.sample.id);
    expect(after.curated_primary_id).toBe(before.model_primary_id);
    expect(after.label_version).toBe(before.label_version + 1);
    const change = await db.pool.query(`SELECT kind, actor, reason FROM label_changes WHERE id = $1`, [result.changeId]);
    expect(change.rows[0]).toEqual({ kind: "confirm", actor: "curator@test", reason: "the model is right (focus mode)" });
    const again = await focusQueuePage(db, { kind: "review", query: parseSampleQuery({ limit: "500" }) });
    expect(again.items.map((entry) => entry.sample.id)).not.toContain(item.sample.id);

    await undoLabelChange(db, result.changeId!, "curator@test");
    expect((await labelOf(item.sample.id)).curated_primary_id).toBeNull();
    const restored = await focusQueuePage(db, { kind: "review", query: parseSampleQuery({ limit: "500" }) });
    expect(restored.items.map((entry) => entry.sample.id)).toContain(item.sample.id);
  });

  it("relabels through the version check: a stale version is a conflict and writes nothing", async () => {
    const page = await focusQueuePage(db, { kind: "filter", query: parseSampleQuery({ limit: "3" }) });
    const sample = page.items[2]!.sample;
    const to = { primary: "Pediatrics", secondary: "Pediatric Surgery" };
    const result = await decideFocusSample(db, {
      instructionId: sample.id,
      expectedVersion: sample.labelVersion,
      decision: { kind: "relabel", to },
      reason: "too general",
      actor: "a",
    });
    expect(result.version).toBe(sample.labelVersion + 1);
    const changes = await db.pool.query(`SELECT count(*)::int AS n FROM label_changes WHERE instruction_id = $1`, [sample.id]);
    await expect(
      decideFocusSample(db, {
        instructionId: sample.id,
        expectedVersion: sample.labelVersion,
        decision: { kind: "confirm" },
        reason: null,
        actor: "b",
      }),
    ).rejects.toBeInstanceOf(LabelConflictError);
    const after = await db.pool.query(`SELECT count(*)::int AS n FROM label_changes WHERE instruction_id = $1`, [sample.id]);
    expect(after.rows[0]).toEqual(changes.rows[0]);
    const reason = await db.pool.query(`SELECT reason, kind FROM label_changes WHERE id = $1`, [result.changeId]);
    expect(reason.rows[0]).toEqual({ reason: "too general", kind: "relabel" });
  });
});
