import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { synthesizeForCuration } from "./curation-run";
import { refreshSamples } from "../lib/samples";
import { relabel } from "../lib/labels";
import {
  ApprovalRefused,
  approveVersion,
  createVersion,
  DatasetError,
  DatasetStateError,
  diffVersions,
  getVersion,
  hasApproverRole,
  listVersions,
  rejectVersion,
  submitVersion,
} from "../lib/datasets";

let db: TestDatabase;
let runId: string;

interface MemberRow {
  instruction_id: number;
  chosen_response_id: number;
  rejected_response_id: number | null;
  tier: string;
  primary_id: number | null;
  secondary_id: number | null;
}

async function members(versionId: string): Promise<MemberRow[]> {
  return (
    await db.pool.query<MemberRow>(
      `SELECT instruction_id, chosen_response_id, rejected_response_id, tier::text AS tier, primary_id, secondary_id
         FROM dataset_members WHERE version_id = $1 ORDER BY instruction_id`,
      [versionId],
    )
  ).rows;
}

async function approved(name: string): Promise<string> {
  const version = await createVersion(db, { name, selection: { runIds: [runId] }, actor: "carol" });
  await submitVersion(db, version.id, "carol");
  await approveVersion(db, version.id, "alice", { actorRoles: ["approver"] });
  return version.id;
}

beforeAll(async () => {
  db = await openTestDatabase();
  runId = await synthesizeForCuration(db, "pubmedqa-datasets", 100);
  await refreshSamples(db, runId);
}, 240_000);

afterAll(async () => {
  await db?.drop();
});

describe("a dataset version built from a run", () => {
  it("freezes every kept sample with its label in force, tier and responses, and counts them", async () => {
    const version = await createVersion(db, { name: "all kept", selection: { runIds: [runId] }, actor: "carol" });
    const kept = await db.pool.query<MemberRow>(
      `SELECT instruction_id, chosen_response_id, tier::text AS tier, primary_id, secondary_id FROM samples
        WHERE run_id = $1 AND status = 'kept' ORDER BY instruction_id`,
      [runId],
    );
    expect(kept.rows.length).toBeGreaterThan(30);
    const frozen = await members(version.id);
    expect(frozen.map(({ rejected_response_id: _r, ...m }) => m)).toEqual(kept.rows);
    expect(version).toMatchObject({ state: "draft", memberCount: kept.rows.length, createdBy: "carol" });
    expect(version.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const { counts } = version;
    expect(counts.tiers.common + counts.tiers.complex).toBe(kept.rows.length);
    expect(counts.pools.sft).toBe(counts.tiers.common);
    expect(counts.pools.longForm).toBe(counts.tiers.complex);
    expect(counts.tiers.complex).toBeGreaterThan(0);
    // Every DPO member's pair has two different texts.
    const pairs = await db.pool.query<{ same: boolean }>(
      `SELECT btrim(c.text) = btrim(r.text) AS same FROM dataset_members m JOIN responses c ON c.id = m.chosen_response_id
         JOIN responses r ON r.id = m.rejected_response_id WHERE m.version_id = $1`,
      [version.id],
    );
    expect(pairs.rows.length).toBe(counts.pools.dpo);
    expect(pairs.rows.every((p) => !p.same)).toBe(true);
    expect(counts.departments.reduce((sum, d) => sum + d.common + d.complex, 0)).toBe(kept.rows.length);
    // The same selection frozen again has the same content hash.
    const again = await createVersion(db, { name: "all kept again", selection: { runIds: [runId] }, actor: "carol" });
    expect(again.contentHash).toBe(version.contentHash);
    expect((await listVersions(db)).map((v) => v.id)).toEqual(expect.arrayContaining([version.id, again.id]));
  });

  it("applies the samples filters, and refuses an unknown run or an empty selection", async () => {
    const complex = await createVersion(db, {
      name: "complex only",
      selection: { runIds: [runId], filters: { tier: ["complex"] } },
      actor: "carol",
    });
    expect((await members(complex.id)).every((m) => m.tier === "complex")).toBe(true);
    expect(complex.counts.tiers.common).toBe(0);
    await expect(
      createVersion(db, { name: "x", selection: { runIds: ["00000000-0000-4000-8000-000000000000"] }, actor: "carol" }),
    ).rejects.toThrow(/no run/);
    await expect(
      createVersion(db, { name: "x", selection: { runIds: [runId], filters: { text: "zzqxjv" } }, actor: "carol" }),
    ).rejects.toBeInstanceOf(DatasetError);
    await expect(createVersion(db, { name: "x", selection: { runIds: [] }, actor: "carol" })).rejects.toThrow(/at least one run/);
  });
});

describe("review and approval", () => {
  it("goes draft → in review → approved by an approver only, and records who did what", async () => {
    const version = await createVersion(db, { name: "for approval", selection: { runIds: [runId] }, actor: "carol" });
    await expect(approveVersion(db, version.id, "alice", { actorRoles: ["approver"] })).rejects.toBeInstanceOf(DatasetStateError);
    await submitVersion(db, version.id, "carol");
    await expect(approveVersion(db, version.id, "carol", { actorRoles: ["curator"] })).rejects.toBeInstanceOf(ApprovalRefused);
    await expect(approveVersion(db, version.id, "bob")).rejects.toThrow(/bob is not an approver/);
    expect((await getVersion(db, version.id)).state).toBe("in_review");

    const done = await approveVersion(db, version.id, "alice", { actorRoles: ["approver"] });
    expect(done).toMatchObject({ state: "approved", decidedBy: "alice", submittedBy: "carol" });
    const detail = await getVersion(db, version.id);
    expect(detail.events.map((e) => [e.fromState, e.toState, e.actor])).toEqual([
      [null, "draft", "carol"],
      ["draft", "in_review", "carol"],
      ["in_review", "approved", "alice"],
    ]);
  });

  it("decides the approver role in one function: approver or admin, nothing from names or the environment", () => {
    expect(hasApproverRole("x", ["approver"])).toBe(true);
    expect(hasApproverRole("x", ["admin"])).toBe(true);
    expect(hasApproverRole("alice", ["curator"])).toBe(false);
    expect(hasApproverRole("alice", [])).toBe(false);
    expect(hasApproverRole("alice", undefined)).toBe(false);
  });

  it("rejects with a reason, and only from review", async () => {
    const version = await createVersion(db, { name: "to reject", selection: { runIds: [runId] }, actor: "carol" });
    await submitVersion(db, version.id, "carol");
    await expect(rejectVersion(db, version.id, "alice", "  ", { actorRoles: ["approver"] })).rejects.toThrow(/needs a reason/);
    await expect(rejectVersion(db, version.id, "carol", "no", { actorRoles: [] })).rejects.toBeInstanceOf(ApprovalRefused);
    const rejected = await rejectVersion(db, version.id, "alice", "too few endocrinology samples", { actorRoles: ["approver"] });
    expect(rejected).toMatchObject({ state: "rejected", rejectionReason: "too few endocrinology samples", decidedBy: "alice" });
    await expect(approveVersion(db, version.id, "alice", { actorRoles: ["approver"] })).rejects.toThrow(/is rejected/);
    expect((await getVersion(db, version.id)).events.at(-1)).toMatchObject({
      toState: "rejected",
      reason: "too few endocrinology samples",
    });
  });
});

describe("immutability", () => {
  it("an approved version never changes, whoever writes to the database", async () => {
    const id = await approved("immutable");
    const before = await getVersion(db, id);
    const frozen = await members(id);
    const refused = [
      `UPDATE dataset_versions SET name = 'renamed' WHERE id = '${id}'`,
      `UPDATE dataset_versions SET state = 'draft' WHERE id = '${id}'`,
      `UPDATE dataset_versions SET rejection_reason = 'late' WHERE id = '${id}'`,
      `DELETE FROM dataset_versions WHERE id = '${id}'`,
      `DELETE FROM dataset_members WHERE version_id = '${id}'`,
      `UPDATE dataset_members SET primary_id = NULL WHERE version_id = '${id}'`,
      `INSERT INTO dataset_members (version_id, instruction_id, chosen_response_id, tier) VALUES ('${id}', 999999999, 1, 'common')`,
    ];
    for (const sql of refused) await expect(db.pool.query(sql), sql).rejects.toThrow(/approved|frozen/);
    await expect(rejectVersion(db, id, "alice", "late", { actorRoles: ["approver"] })).rejects.toBeInstanceOf(DatasetStateError);
    expect(await getVersion(db, id)).toEqual(before);
    expect(await members(id)).toEqual(frozen);
  });

  it("a draft's members and hash are frozen too; only its review state moves", async () => {
    const draft = await createVersion(db, { name: "draft", selection: { runIds: [runId] }, actor: "carol" });
    await expect(db.pool.query(`UPDATE dataset_versions SET content_hash = repeat('0', 64) WHERE id = $1`, [draft.id])).rejects.toThrow(
      /frozen/,
    );
    await expect(db.pool.query(`UPDATE dataset_versions SET state = 'approved' WHERE id = $1`, [draft.id])).rejects.toThrow(
      /cannot go from draft to approved/,
    );
    await expect(
      db.pool.query(
        `INSERT INTO dataset_members (version_id, instruction_id, chosen_response_id, tier) VALUES ($1, 999999999, 1, 'common')`,
        [draft.id],
      ),
    ).rejects.toThrow(/frozen/);
    // An unapproved version can still be deleted, members and all.
    await db.pool.query(`DELETE FROM dataset_versions WHERE id = $1`, [draft.id]);
    expect((await db.pool.query(`SELECT 1 FROM dataset_members WHERE version_id = $1`, [draft.id])).rowCount).toBe(0);
  });

  it("a relabel after freezing leaves the version as it was, and shows up in a diff with the next one", async () => {
    const id = await approved("before relabel");
    const before = await getVersion(db, id);
    const frozen = await members(id);
    const target = await db.pool.query<{ instruction_id: number; label_version: number; primary_id: number | null }>(
      `SELECT s.instruction_id, s.label_version, s.primary_id FROM samples s JOIN departments d ON d.id = s.primary_id
        WHERE s.run_id = $1 AND s.status = 'kept' AND d.name <> 'Pediatrics' ORDER BY s.instruction_id LIMIT 1`,
      [runId],
    );
    const sample = target.rows[0]!;
    await relabel(db, {
      instructionId: sample.instruction_id,
      to: { primary: "Pediatrics", secondary: "Pediatric Surgery" },
      expectedVersion: sample.label_version,
      reason: "a child",
      actor: "erin",
    });

    expect(await members(id)).toEqual(frozen);
    expect((await getVersion(db, id)).contentHash).toBe(before.contentHash);

    const after = await createVersion(db, { name: "after relabel", selection: { runIds: [runId] }, actor: "carol" });
    expect(after.contentHash).not.toBe(before.contentHash);
    const diff = await diffVersions(db, id, after.id);
    expect(diff.counts).toMatchObject({ added: 0, removed: 0, relabeled: 1 });
    expect(diff.relabeled).toEqual([
      {
        instructionId: sample.instruction_id,
        before: expect.objectContaining({}),
        after: { primary: "Pediatrics", secondary: "Pediatric Surgery" },
      },
    ]);
    expect(diff.relabeled[0]!.before).not.toEqual({ primary: "Pediatrics", secondary: "Pediatric Surgery" });

    const complexOnly = await createVersion(db, {
      name: "complex",
      selection: { runIds: [runId], filters: { tier: ["complex"] } },
      actor: "carol",
    });
    const narrowed = await diffVersions(db, after.id, complexOnly.id, 5);
    expect(narrowed.counts.removed).toBe(after.counts.tiers.common);
    expect(narrowed.counts.added).toBe(0);
    expect(narrowed.removed.length).toBe(Math.min(5, after.counts.tiers.common));
    expect(narrowed.removed[0]!.after).toBeNull();
  });
});
