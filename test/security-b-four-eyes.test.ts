// Finding 11 of the security probe (governance): an approver does not approve a version they created
// or submitted while another approver exists; a single-approver studio may, and is told so.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import type { Database } from "../lib/db/database";
import { createServiceToken } from "../lib/auth/service-tokens";
import { refreshSamples } from "../lib/samples";
import { ApprovalRefused, approveVersion, createVersion, ownWorkApproval, submitVersion } from "../lib/datasets";
import { generateCurationRun } from "../bench/curation-data";
import { POST as review } from "../app/api/datasets/[id]/[action]/route";

let db: TestDatabase;
let runId: string;
const shared = globalThis as { finemedDatabase?: Promise<Database> };
const APPROVER = { actorRoles: ["approver"] } as const;

beforeAll(async () => {
  db = await openTestDatabase();
  const client = await db.pool.connect();
  try {
    runId = (await generateCurationRun(client, 60, () => undefined)).runId;
  } finally {
    client.release();
  }
  await refreshSamples(db, runId);
  shared.finemedDatabase = Promise.resolve(db);
}, 120_000);

afterAll(async () => {
  shared.finemedDatabase = undefined;
  await db?.drop();
});

async function inReview(name: string, createdBy: string, submittedBy: string): Promise<string> {
  const version = await createVersion(db, { name, selection: { runIds: [runId] }, actor: createdBy });
  await submitVersion(db, version.id, submittedBy);
  return version.id;
}

async function state(id: string): Promise<string> {
  return (await db.pool.query<{ state: string }>(`SELECT state::text AS state FROM dataset_versions WHERE id = $1`, [id])).rows[0]!.state;
}

describe("four eyes on approval (security probe finding 11)", () => {
  it("lets the only approver of a studio approve its own work, and says it is its own work", async () => {
    await createServiceToken(db, { name: "solo-approver", role: "approver" }, "test");
    const id = await inReview("solo", "solo-approver", "solo-approver");
    expect(await ownWorkApproval(db, id, "solo-approver")).toEqual({ ownWork: true, otherApprovers: 0 });
    expect((await approveVersion(db, id, "solo-approver", APPROVER)).state).toBe("approved");
  });

  it("refuses an approver who created or submitted the version while another approver exists", async () => {
    await createServiceToken(db, { name: "second-approver", role: "approver" }, "test");
    // A disabled admin and a revoked token are no second pair of eyes; they are not counted.
    await db.pool.query(`INSERT INTO users (id, name, email, role, disabled) VALUES ('gone', 'Gone', 'gone@studio.test', 'admin', true)`);
    const created = await inReview("created by solo", "solo-approver", "curator-carol");
    const submitted = await inReview("submitted by solo", "curator-carol", "solo-approver");
    expect(await ownWorkApproval(db, created, "solo-approver")).toEqual({ ownWork: true, otherApprovers: 1 });
    for (const id of [created, submitted]) {
      const refusal = approveVersion(db, id, "solo-approver", APPROVER);
      await expect(refusal).rejects.toBeInstanceOf(ApprovalRefused);
      await expect(approveVersion(db, id, "solo-approver", APPROVER)).rejects.toThrow(
        /solo-approver created or submitted this version, so another approver must approve it \(four eyes\)/,
      );
      expect(await state(id)).toBe("in_review");
    }
    // The other approver may; so may anyone for a version that is not theirs.
    expect((await approveVersion(db, created, "second-approver", APPROVER)).state).toBe("approved");
    expect(await ownWorkApproval(db, submitted, "second-approver")).toEqual({ ownWork: false, otherApprovers: 0 });
  });

  it("answers the self-approval over HTTP with 403 and the reason, and leaves the version in review", async () => {
    const own = await createServiceToken(db, { name: "http-approver", role: "approver" }, "test");
    const id = await inReview("http own work", "http-approver", "http-approver");
    const response = await review(
      new Request(`http://studio.test/api/datasets/${id}/approve`, { method: "POST", headers: { authorization: `Bearer ${own.token}` } }),
      {
        params: Promise.resolve({ id, action: "approve" }),
      },
    );
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: string }).error).toMatch(/other approvers must approve it \(four eyes\)/);
    expect(await state(id)).toBe("in_review");
  });
});
