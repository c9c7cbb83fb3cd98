import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { synthesizeForCuration } from "./curation-run";
import { pageSamples, refreshSamples, sampleDetail, type SampleRow } from "../lib/samples";
import {
  bulkRelabel,
  bulkRelabelBreakdown,
  LabelChangeRefused,
  LabelConflictError,
  labelHistory,
  listBulkOperations,
  mergeDepartments,
  previewBulkRelabel,
  relabel,
  reviewQueue,
  undoBulkOperation,
  undoLabelChange,
} from "../lib/labels";
import { addDepartment, currentTaxonomy, renameDepartment, retireDepartment, TaxonomyIndex, TaxonomyViolation } from "../lib/taxonomy";
import { LOW_CONFIDENCE_BELOW } from "../lib/labels/review-queue";
import { DEPARTMENT_TREE, PRIMARY_DEPARTMENTS } from "../lib/taxonomy/paper-departments";

let db: TestDatabase;
let runId: string;

interface LabelState {
  instruction_id: number;
  model_primary_id: number | null;
  model_secondary_id: number | null;
  curated_primary_id: number | null;
  curated_secondary_id: number | null;
  primary_id: number | null;
  secondary_id: number | null;
}

async function labelStates(): Promise<LabelState[]> {
  const result = await db.pool.query<LabelState>(
    `SELECT instruction_id, model_primary_id, model_secondary_id, curated_primary_id, curated_secondary_id, primary_id, secondary_id
       FROM samples ORDER BY instruction_id`,
  );
  return result.rows;
}

async function modelLabels(): Promise<unknown[]> {
  return (await db.pool.query(`SELECT instruction_id, level, department, raw_answer FROM department_labels ORDER BY id`)).rows;
}

async function keptSamples(): Promise<SampleRow[]> {
  return (await pageSamples(db, { filters: { status: ["kept"] }, limit: 500 })).rows;
}

beforeAll(async () => {
  db = await openTestDatabase();
  runId = await synthesizeForCuration(db, "pubmedqa-labels", 80);
  await refreshSamples(db, runId);
}, 240_000);

afterAll(async () => {
  await db?.drop();
});

describe("the taxonomy", () => {
  it("is seeded with the paper's 6 primary and 29 secondary departments", async () => {
    const taxonomy = await currentTaxonomy(db);
    expect(taxonomy.tree.map((p) => p.name)).toEqual(PRIMARY_DEPARTMENTS);
    for (const primary of taxonomy.tree)
      expect(primary.secondaries.map((s) => s.name)).toEqual([...DEPARTMENT_TREE[primary.name as keyof typeof DEPARTMENT_TREE]]);
    expect(taxonomy.departments).toHaveLength(35);
  });
});

describe("relabeling one sample", () => {
  it("overrides the label in force, audits it, and never touches the model's label", async () => {
    const modelBefore = await modelLabels();
    const sample = (await keptSamples()).find((s) => s.model.primary !== "Surgery")!;
    const result = await relabel(db, {
      instructionId: sample.id,
      to: { primary: "Surgery", secondary: "Urology" },
      expectedVersion: sample.labelVersion,
      reason: "kidney stones",
      actor: "alice",
    });
    expect(result).toMatchObject({ changed: true, version: sample.labelVersion + 1 });
    const detail = (await sampleDetail(db, sample.id))!;
    expect(detail.sample.label).toEqual({ primary: "Surgery", secondary: "Urology" });
    expect(detail.sample.curated).toEqual({ primary: "Surgery", secondary: "Urology" });
    expect(detail.sample.model).toEqual(sample.model);
    expect(detail.labelHistory).toHaveLength(1);
    expect(detail.labelHistory[0]).toMatchObject({
      actor: "alice",
      kind: "relabel",
      reason: "kidney stones",
      from: null,
      to: { primary: "Surgery", secondary: "Urology" },
      version: sample.labelVersion + 1,
      bulkOperationId: null,
      undoneByChangeId: null,
    });
    expect(Date.parse(detail.labelHistory[0]!.at)).toBeGreaterThan(Date.now() - 60_000);
    expect(await modelLabels()).toEqual(modelBefore);
    // A refresh of the run keeps the curator's label.
    await refreshSamples(db, runId);
    expect((await sampleDetail(db, sample.id))!.sample.label).toEqual({ primary: "Surgery", secondary: "Urology" });
  });

  it("refuses a stale version with a conflict that names who changed it and when", async () => {
    const sample = (await keptSamples())[3]!;
    await relabel(db, {
      instructionId: sample.id,
      to: { primary: "Pediatrics", secondary: null },
      expectedVersion: sample.labelVersion,
      reason: "child",
      actor: "bob",
    });
    const attempt = relabel(db, {
      instructionId: sample.id,
      to: { primary: "Surgery", secondary: null },
      expectedVersion: sample.labelVersion,
      reason: "x",
      actor: "carol",
    });
    await expect(attempt).rejects.toBeInstanceOf(LabelConflictError);
    const error = (await attempt.catch((e: unknown) => e)) as LabelConflictError;
    expect(error.changedBy).toBe("bob");
    expect(error.currentVersion).toBe(sample.labelVersion + 1);
    expect(error.message).toMatch(/relabelled by bob at \d{4}-/);
    expect((await sampleDetail(db, sample.id))!.sample.label).toEqual({ primary: "Pediatrics", secondary: null });
  });

  it("refuses labels the taxonomy does not allow, writing nothing", async () => {
    const sample = (await keptSamples())[5]!;
    const attempt = (primary: string, secondary: string | null) =>
      relabel(db, {
        instructionId: sample.id,
        to: { primary, secondary },
        expectedVersion: sample.labelVersion,
        reason: "x",
        actor: "dan",
      });
    await expect(attempt("Surgery", "Cardiology")).rejects.toThrow(/"Cardiology" belongs to Internal Medicine, not to Surgery/);
    await expect(attempt("Cardiology", null)).rejects.toBeInstanceOf(TaxonomyViolation);
    await expect(attempt("Surgery", "Podiatry")).rejects.toBeInstanceOf(TaxonomyViolation);
    await expect(bulkRelabel(db, { ids: [sample.id] }, { primary: "Pediatrics", secondary: "Urology" }, "x", "dan")).rejects.toBeInstanceOf(
      TaxonomyViolation,
    );
    expect((await sampleDetail(db, sample.id))!.labelHistory).toEqual([]);
  });

  it("undoes one change, and refuses to undo a change something later overwrote", async () => {
    const sample = (await keptSamples())[7]!;
    const first = await relabel(db, {
      instructionId: sample.id,
      to: { primary: "Obstetrics and Gynecology", secondary: "Obstetrics" },
      expectedVersion: sample.labelVersion,
      reason: "pregnancy",
      actor: "erin",
    });
    const second = await relabel(db, {
      instructionId: sample.id,
      to: { primary: "Obstetrics and Gynecology", secondary: "Gynecology" },
      expectedVersion: first.version,
      reason: "ovary",
      actor: "frank",
    });
    await expect(undoLabelChange(db, first.changeId!, "erin")).rejects.toBeInstanceOf(LabelConflictError);
    const undone = await undoLabelChange(db, second.changeId!, "frank", "misclick");
    expect(undone.version).toBe(second.version + 1);
    expect((await sampleDetail(db, sample.id))!.sample.curated).toEqual({ primary: "Obstetrics and Gynecology", secondary: "Obstetrics" });
    const back = await undoLabelChange(db, first.changeId!, "erin");
    const detail = (await sampleDetail(db, sample.id))!;
    expect(detail.sample.curated).toBeNull();
    expect(detail.sample.label).toEqual(sample.model);
    expect(detail.sample.labelVersion).toBe(back.version);
    expect(detail.labelHistory.map((c) => [c.kind, c.actor, c.undoesChangeId])).toEqual([
      ["relabel", "erin", null],
      ["relabel", "frank", null],
      ["undo", "frank", second.changeId],
      ["undo", "erin", first.changeId],
    ]);
    expect(detail.labelHistory[0]!.undoneByChangeId).toBe(back.changeId);
    await expect(undoLabelChange(db, second.changeId!, "frank")).rejects.toBeInstanceOf(LabelChangeRefused);
  });
});

describe("bulk relabeling", () => {
  it("relabels everything matching a filter, audits each row, and the undo restores exactly", async () => {
    const before = await labelStates();
    const filter = { status: ["kept" as const], labelSource: "model" as const, primary: ["Internal Medicine"] };
    const to = { primary: "Other Departments", secondary: "Rehabilitation Medicine" };
    const preview = await previewBulkRelabel(db, { filter }, to);
    const matching = before.filter((s) => s.model_primary_id === 1);
    expect(preview).toBeGreaterThan(3);
    const result = await bulkRelabel(db, { filter }, to, "rehab study", "grace");
    expect(result.count).toBe(preview);
    const after = await labelStates();
    const taxonomy = new TaxonomyIndex(await currentTaxonomy(db));
    const rehab = taxonomy.find("secondary", "Rehabilitation Medicine")!;
    const changedIds = new Set(
      after
        .filter((s, i) => s.secondary_id !== before[i]!.secondary_id || s.primary_id !== before[i]!.primary_id)
        .map((s) => s.instruction_id),
    );
    expect(changedIds.size).toBe(result.count);
    for (const s of after.filter((x) => matching.some((m) => m.instruction_id === x.instruction_id))) {
      expect([s.primary_id, s.secondary_id]).toEqual([rehab.parentId, rehab.id]);
    }
    for (const [i, s] of after.entries()) {
      expect([s.model_primary_id, s.model_secondary_id]).toEqual([before[i]!.model_primary_id, before[i]!.model_secondary_id]);
    }
    const audit = await db.pool.query(`SELECT * FROM label_changes WHERE bulk_operation_id = $1`, [result.bulkOperationId]);
    expect(audit.rows).toHaveLength(result.count);
    for (const row of audit.rows) {
      expect(row).toMatchObject({
        actor: "grace",
        reason: "rehab study",
        kind: "relabel",
        to_primary_id: rehab.parentId,
        to_secondary_id: rehab.id,
      });
      expect(changedIds.has(row.instruction_id)).toBe(true);
    }
    const operations = await listBulkOperations(db);
    expect(operations[0]).toMatchObject({
      id: result.bulkOperationId,
      kind: "relabel",
      rowCount: result.count,
      actor: "grace",
      to: { primary: "Other Departments", secondary: "Rehabilitation Medicine" },
    });
    // Nothing left to change: the same bulk relabel again is a no-op.
    expect(await previewBulkRelabel(db, { filter }, to)).toBe(0);

    const undone = await undoBulkOperation(db, result.bulkOperationId, "grace", "wrong study");
    expect(undone).toMatchObject({ restored: result.count, skipped: 0, skippedIds: [] });
    expect(await labelStates()).toEqual(before);
    const undoAudit = await db.pool.query(
      `SELECT count(*)::int AS n FROM label_changes WHERE bulk_operation_id = $1 AND kind = 'undo' AND undoes_change_id IS NOT NULL`,
      [undone.bulkOperationId],
    );
    expect(undoAudit.rows[0].n).toBe(result.count);
    expect((await listBulkOperations(db)).find((o) => o.id === result.bulkOperationId)!.undoneById).toBe(undone.bulkOperationId);
    await expect(undoBulkOperation(db, result.bulkOperationId, "grace")).rejects.toThrow(/already been undone/);
  });

  it("never relabels a sample without a kept outcome, and its preview says how many it leaves out and why", async () => {
    const before = await labelStates();
    const statuses = (
      await db.pool.query<{ instruction_id: number; status: string }>(
        `SELECT instruction_id, status::text AS status FROM samples ORDER BY instruction_id`,
      )
    ).rows;
    const notKept = statuses.filter((row) => row.status !== "kept");
    expect(notKept.length).toBeGreaterThan(0);
    // Everything in the table: kept samples, rejected instructions and failed texts alike.
    const to = { primary: "Pediatrics", secondary: "Pediatric Surgery" };
    const preview = await bulkRelabelBreakdown(db, { filter: {} }, to);
    expect(preview.total).toBe(statuses.length);
    expect(preview.excluded.reduce((sum, group) => sum + group.count, 0)).toBe(notKept.length);
    for (const group of preview.excluded) expect(group.count).toBe(notKept.filter((row) => row.status === group.status).length);
    expect(preview.count + preview.unchanged).toBe(statuses.length - notKept.length);
    const result = await bulkRelabel(db, { filter: {} }, to, "everything is paediatric", "judy");
    expect(result.count).toBe(preview.count);
    const after = await labelStates();
    const notKeptIds = new Set(notKept.map((row) => row.instruction_id));
    for (const [i, state] of after.entries()) if (notKeptIds.has(state.instruction_id)) expect(state).toEqual(before[i]);
    // A selection of ids naming a rejected instruction leaves it alone too.
    const rejected = notKept[0]!.instruction_id;
    const byIds = await bulkRelabelBreakdown(db, { ids: [Number(rejected)] }, { primary: "Surgery", secondary: "Urology" });
    expect(byIds).toMatchObject({ count: 0, unchanged: 0, total: 1 });
    await undoBulkOperation(db, result.bulkOperationId, "judy");
    expect(await labelStates()).toEqual(before);
  });

  it("relabels a selection of ids, and its undo leaves alone a sample changed afterwards", async () => {
    const kept = await keptSamples();
    // Samples the relabel changes: one already labelled so would stay unchanged and never read as overridden.
    const ids = kept
      .slice(10)
      .filter((s) => s.label.secondary !== "Pediatric Surgery")
      .slice(0, 6)
      .map((s) => s.id);
    expect(ids).toHaveLength(6);
    const to = { primary: "Pediatrics", secondary: "Pediatric Surgery" };
    const result = await bulkRelabel(db, { ids }, to, "children", "heidi");
    expect(result.count).toBe(ids.length);
    const touched = (await pageSamples(db, { filters: { secondary: ["Pediatric Surgery"], overridden: true }, limit: 500 })).rows.map(
      (r) => r.id,
    );
    expect(touched).toEqual(expect.arrayContaining(ids));
    const later = (await sampleDetail(db, ids[0]!))!;
    await relabel(db, {
      instructionId: ids[0]!,
      to: { primary: "Surgery", secondary: "Neurosurgery" },
      expectedVersion: later.sample.labelVersion,
      reason: "brain",
      actor: "ivan",
    });
    const undone = await undoBulkOperation(db, result.bulkOperationId, "heidi");
    expect(undone).toMatchObject({ restored: result.count - 1, skipped: 1, skippedIds: [ids[0]] });
    expect((await sampleDetail(db, ids[0]!))!.sample.label).toEqual({ primary: "Surgery", secondary: "Neurosurgery" });
    for (const id of ids.slice(1)) {
      const sample = (await sampleDetail(db, id))!.sample;
      expect(sample.label).toEqual(kept.find((s) => s.id === id)!.label);
    }
  });
});

describe("the taxonomy editor", () => {
  it("adds, renames (model labels still map) and retires departments", async () => {
    await expect(addDepartment(db, { level: "secondary", name: "Cardiology", parent: "Internal Medicine" }, "lee")).rejects.toThrow(
      /already exists/,
    );
    await expect(addDepartment(db, { level: "secondary", name: "None", parent: "Surgery" }, "lee")).rejects.toBeInstanceOf(
      TaxonomyViolation,
    );
    const added = await addDepartment(db, { level: "secondary", name: "Vascular Surgery", parent: "Surgery" }, "lee");
    expect(added).toMatchObject({ level: "secondary", name: "Vascular Surgery", retiredAt: null });

    const index = new TaxonomyIndex(await currentTaxonomy(db));
    const surgery = index.find("primary", "Surgery")!;
    const modelSurgery = (
      await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM samples WHERE model_primary_id = $1`, [surgery.id])
    ).rows[0]!.n;
    const renamed = await renameDepartment(db, surgery.id, "General Surgery", "lee");
    expect(renamed.aliases).toContain("Surgery");
    await refreshSamples(db, runId);
    const stillMapped = (
      await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM samples WHERE model_primary_id = $1`, [surgery.id])
    ).rows[0]!.n;
    expect(stillMapped).toBe(modelSurgery);
    expect((await pageSamples(db, { filters: { primary: ["General Surgery"], labelSource: "model" }, limit: 500 })).rows).toHaveLength(
      modelSurgery,
    );

    await retireDepartment(db, added.id, "lee");
    const sample = (await keptSamples())[20]!;
    await expect(
      relabel(db, {
        instructionId: sample.id,
        to: { primary: "General Surgery", secondary: "Vascular Surgery" },
        expectedVersion: sample.labelVersion,
        reason: "x",
        actor: "judy",
      }),
    ).rejects.toThrow(/retired/);
    await renameDepartment(db, surgery.id, "Surgery", "lee");

    // Every edit is in the audit trail, with the labels it touched, and none can be "undone" as a relabel.
    const audit = await db.pool.query<{ id: string; kind: string; actor: string; reason: string; row_count: number }>(
      `SELECT id, kind, actor, reason, row_count FROM bulk_operations WHERE kind LIKE 'taxonomy-%' ORDER BY created_at, kind`,
    );
    expect(audit.rows.map((row) => [row.kind, row.actor])).toEqual([
      ["taxonomy-add", "lee"],
      ["taxonomy-rename", "lee"],
      ["taxonomy-retire", "lee"],
      ["taxonomy-rename", "lee"],
    ]);
    expect(audit.rows[1]!.reason).toBe('renamed primary department "Surgery" to "General Surgery"');
    const inForceSurgery = (
      await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM samples WHERE primary_id = $1`, [surgery.id])
    ).rows[0]!.n;
    expect(audit.rows[1]!.row_count).toBe(inForceSurgery);
    await expect(undoBulkOperation(db, audit.rows[1]!.id, "lee")).rejects.toThrow(/taxonomy edit/);
  });

  it("merges a secondary into another: labels move under audit, the merged one is retired", async () => {
    const index = new TaxonomyIndex(await currentTaxonomy(db));
    const before = await labelStates();
    const counts = new Map<number | null, number>();
    for (const s of before) counts.set(s.secondary_id, (counts.get(s.secondary_id) ?? 0) + 1);
    const [fromId] = [...counts.entries()].filter(([id]) => id !== null).sort((a, b) => b[1] - a[1])[0]!;
    const from = index.get(fromId!)!;
    const into = index.taxonomy.departments.find((d) => d.level === "secondary" && d.parentId !== from.parentId && d.retiredAt === null)!;
    const affected = before.filter((s) => s.secondary_id === from.id).map((s) => s.instruction_id);
    const merged = await mergeDepartments(db, { fromId: from.id, intoId: into.id, actor: "kim", reason: "same thing" });
    expect(merged.relabelled).toBe(affected.length);
    const after = await labelStates();
    for (const s of after) {
      if (affected.includes(s.instruction_id)) expect([s.primary_id, s.secondary_id]).toEqual([into.parentId, into.id]);
      expect(s.secondary_id).not.toBe(from.id);
    }
    const audit = await db.pool.query(`SELECT kind, actor FROM label_changes WHERE bulk_operation_id = $1`, [merged.bulkOperationId]);
    expect(audit.rows).toHaveLength(affected.length);
    expect(new Set(audit.rows.map((r) => `${r.kind}/${r.actor}`))).toEqual(new Set(["merge/kim"]));
    const retired = new TaxonomyIndex(await currentTaxonomy(db)).get(from.id)!;
    expect(retired.retiredAt).not.toBeNull();
    expect(retired.mergedIntoId).toBe(into.id);
    const sample = (await keptSamples())[0]!;
    await expect(
      relabel(db, {
        instructionId: sample.id,
        to: { primary: index.nameOf(from.parentId)!, secondary: from.name },
        expectedVersion: sample.labelVersion,
        reason: "x",
        actor: "kim",
      }),
    ).rejects.toThrow(/retired/);
    await expect(undoBulkOperation(db, merged.bulkOperationId, "kim")).rejects.toBeInstanceOf(LabelChangeRefused);
    // The model's view is intact: the merge shows up as model-vs-curated.
    expect(after.filter((s) => s.model_secondary_id === from.id).length).toBe(
      before.filter((s) => s.model_secondary_id === from.id).length,
    );
  });

  it("merges a primary: its secondaries move under the other and samples follow", async () => {
    const index = new TaxonomyIndex(await currentTaxonomy(db));
    const pediatrics = index.find("primary", "Pediatrics")!;
    const internal = index.find("primary", "Internal Medicine")!;
    const before = await labelStates();
    const affected = before.filter((s) => s.primary_id === pediatrics.id);
    const merged = await mergeDepartments(db, { fromId: pediatrics.id, intoId: internal.id, actor: "lee", reason: "one ward" });
    expect(merged.relabelled).toBe(affected.length);
    const after = new Map((await labelStates()).map((s) => [s.instruction_id, s]));
    for (const s of affected)
      expect([after.get(s.instruction_id)!.primary_id, after.get(s.instruction_id)!.secondary_id]).toEqual([internal.id, s.secondary_id]);
    const taxonomy = await currentTaxonomy(db);
    expect(taxonomy.tree.find((p) => p.id === internal.id)!.secondaries.map((s) => s.name)).toEqual(
      expect.arrayContaining(["Pediatric Internal Medicine", "Pediatric Surgery"]),
    );
    await expect(
      mergeDepartments(db, { fromId: internal.id, intoId: index.find("secondary", "Cardiology")!.id, actor: "lee", reason: "x" }),
    ).rejects.toBeInstanceOf(TaxonomyViolation);
  });
});

describe("the review queue", () => {
  it("lists unreviewed kept samples by documented score, each once, and drops a sample once relabelled", async () => {
    const seen: number[] = [];
    let after: string | undefined;
    let threshold: number | null | undefined;
    let lastScore = Infinity;
    for (;;) {
      const page = await reviewQueue(db, { after, limit: 5, lowRewardBelow: threshold });
      threshold = page.lowRewardBelow;
      for (const item of page.items) {
        expect(item.score).toBeLessThanOrEqual(lastScore);
        lastScore = item.score;
        expect(item.score).toBeGreaterThan(0);
        expect(item.sample.status).toBe("kept");
        expect(item.sample.curated).toBeNull();
        const expectedScore =
          (item.reasons.includes("low classifier confidence") ? 3 : 0) +
          (item.reasons.includes("secondary is None under a primary that has secondaries") ? 3 : 0) +
          (item.reasons.includes("the classifier's raw answer needed mapping") ? 2 : 0) +
          (item.reasons.includes("uses a retired department") ? 2 : 0) +
          (item.reasons.includes("low reward") ? 1 : 0);
        expect(item.score).toBe(expectedScore);
        if (item.reasons.includes("low reward")) expect(item.sample.rewardScore!).toBeLessThan(threshold!);
        if (item.reasons.includes("low classifier confidence")) expect(item.confidence!).toBeLessThan(LOW_CONFIDENCE_BELOW);
        else if (item.confidence !== null) expect(item.confidence).toBeGreaterThanOrEqual(LOW_CONFIDENCE_BELOW);
        if (item.reasons.includes("secondary is None under a primary that has secondaries")) expect(item.sample.label.secondary).toBeNull();
        seen.push(item.sample.id);
      }
      if (!page.nextCursor) break;
      after = page.nextCursor;
    }
    expect(seen.length).toBeGreaterThan(3);
    expect(new Set(seen).size).toBe(seen.length);
    // Samples the merge above left on a retired department's model label are not queued: they are overridden.
    const top = seen[0]!;
    const detail = (await sampleDetail(db, top))!;
    await relabel(db, {
      instructionId: top,
      to: { primary: "Surgery", secondary: null },
      expectedVersion: detail.sample.labelVersion,
      reason: "reviewed",
      actor: "mia",
    });
    const again = await reviewQueue(db, { limit: 500, lowRewardBelow: threshold });
    expect(again.items.map((i) => i.sample.id)).not.toContain(top);
    expect(again.items).toHaveLength(seen.length - 1);
  });
});

describe("label history", () => {
  it("is complete for a sample changed by hand, in bulk and by undo", async () => {
    const changes = await db.pool.query<{ instruction_id: number }>(
      `SELECT instruction_id FROM label_changes GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
    );
    const id = changes.rows[0]!.instruction_id;
    const index = new TaxonomyIndex(await currentTaxonomy(db));
    const history = await labelHistory(db, id, index);
    expect(history.length).toBeGreaterThan(1);
    for (const [i, entry] of history.entries()) {
      expect(entry.actor).toBeTruthy();
      expect(entry.reason).toBeTruthy();
      expect(entry.version).toBeGreaterThan(0);
      if (i > 0) {
        expect(entry.version).toBeGreaterThan(history[i - 1]!.version);
        expect(entry.from).toEqual(history[i - 1]!.to);
      }
    }
  });
});
