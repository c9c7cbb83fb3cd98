import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { synthesizeForCuration } from "./curation-run";
import { parseSampleQuery, refreshSamples } from "../lib/samples";
import { LabelConflictError, undoLabelChange } from "../lib/labels";
import { LabelChangeRefused } from "../lib/labels/label-errors";
import { TaxonomyViolation } from "../lib/taxonomy/label-target";
import { focusQueuePage } from "../lib/labels/focus-queue";
import { decideFocusSample } from "../lib/labels/focus-decision";
import { createServiceToken } from "../lib/auth/service-tokens";
import { createUser } from "../lib/auth/users";
import { authFor } from "../lib/auth/auth";
import type { Database } from "../lib/db/database";

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

  it("refuses in one statement what relabel refuses, writing nothing, and records the from and to labels", async () => {
    const page = await focusQueuePage(db, { kind: "filter", query: parseSampleQuery({ limit: "6" }) });
    const sample = page.items[4]!.sample;
    const decide = (to: { primary: string; secondary: string | null }, expectedVersion = sample.labelVersion) =>
      decideFocusSample(db, { instructionId: sample.id, expectedVersion, decision: { kind: "relabel", to }, reason: null, actor: "c" });
    const count = async () =>
      (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM label_changes WHERE instruction_id = $1`, [sample.id])).rows[0]!
        .n;
    const before = await count();
    await expect(decide({ primary: "Surgery", secondary: "Pediatric Surgery" })).rejects.toThrow(/belongs to Pediatrics, not to Surgery/);
    await expect(decide({ primary: "Nowhere", secondary: null })).rejects.toBeInstanceOf(TaxonomyViolation);
    await db.pool.query(`UPDATE departments SET retired_at = now() WHERE level = 'secondary' AND name = 'Urology'`);
    try {
      await expect(decide({ primary: "Surgery", secondary: "Urology" })).rejects.toThrow(/"Urology" is retired/);
    } finally {
      await db.pool.query(`UPDATE departments SET retired_at = NULL WHERE level = 'secondary' AND name = 'Urology'`);
    }
    await expect(
      decideFocusSample(db, { instructionId: 999_999_999, expectedVersion: 0, decision: { kind: "confirm" }, reason: null, actor: "c" }),
    ).rejects.toBeInstanceOf(LabelChangeRefused);
    expect(await count()).toBe(before);

    const first = await decide({ primary: "Surgery", secondary: "Urology" });
    expect(first.version).toBe(sample.labelVersion + 1);
    const change = await db.pool.query(
      `SELECT c.version, f.name AS from_primary, p.name AS to_primary, s.name AS to_secondary
         FROM label_changes c LEFT JOIN departments f ON f.id = c.from_primary_id
         JOIN departments p ON p.id = c.to_primary_id LEFT JOIN departments s ON s.id = c.to_secondary_id WHERE c.id = $1`,
      [first.changeId],
    );
    expect(change.rows[0]).toEqual({
      version: sample.labelVersion + 1,
      from_primary: null,
      to_primary: "Surgery",
      to_secondary: "Urology",
    });
    // The label already in force: nothing written, the version stays.
    expect(await decide({ primary: "Surgery", secondary: "Urology" }, first.version)).toEqual({ changeId: null, version: first.version });
    expect(await count()).toBe(before + 1);
    const primaryOnly = await decide({ primary: "Surgery", secondary: null }, first.version);
    expect((await labelOf(sample.id)).label_version).toBe(primaryOnly.version);
  });

  it("POST /api/focus/decisions stores the decision and its audit event together, and a refused one neither", async () => {
    process.env.BETTER_AUTH_SECRET ??= "test-secret-test-secret-test-secret-0123456789";
    (globalThis as { finemedDatabase?: Promise<Database> }).finemedDatabase = Promise.resolve(db);
    const { POST } = await import("../app/api/focus/decisions/route");
    const curator = (await createServiceToken(db, { name: "focus-curator", role: "curator" }, "test")).token;
    const viewer = (await createServiceToken(db, { name: "focus-viewer", role: "viewer" }, "test")).token;
    const sample = (await focusQueuePage(db, { kind: "filter", query: parseSampleQuery({ limit: "8" }) })).items[6]!.sample;
    const post = (token: string, body: unknown) =>
      POST(
        new Request("http://127.0.0.1/api/focus/decisions", {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
        undefined,
      );
    const events = async () =>
      (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'focus.decisions.create'`)).rows[0]!
        .n;
    const decision = { instructionId: sample.id, expectedVersion: sample.labelVersion, decision: { kind: "confirm" } };
    try {
      expect((await post(viewer, decision)).status).toBe(403);
      expect((await post(curator, { ...decision, expectedVersion: "one" })).status).toBe(400);
      const before = await events();
      const accepted = await post(curator, decision);
      expect(accepted.status).toBe(200);
      const result = (await accepted.json()) as { changeId: number; version: number };
      expect(result.version).toBe(sample.labelVersion + 1);
      const event = await db.pool.query(
        `SELECT actor, actor_role, subject_type, subject_id, via, details FROM audit_events WHERE action = 'focus.decisions.create' ORDER BY id DESC LIMIT 1`,
      );
      expect(event.rows[0]).toMatchObject({
        actor: "focus-curator",
        actor_role: "curator",
        subject_type: "sample",
        subject_id: String(sample.id),
        via: "api",
        details: {
          method: "POST",
          path: "/api/focus/decisions",
          status: 200,
          result: { changeId: result.changeId, version: result.version },
        },
      });
      expect(event.rows[0].details.outcome).toBeUndefined();
      // The same version again: a conflict, and no event for it.
      const stale = await post(curator, decision);
      expect(stale.status).toBe(409);
      expect(await events()).toBe(before + 1);
    } finally {
      (globalThis as { finemedDatabase?: Promise<Database> }).finemedDatabase = undefined;
    }
  });

  it("POST /api/focus/decisions refuses, through the shared gate, a one-time password and a cross-site cookie request", async () => {
    process.env.BETTER_AUTH_SECRET ??= "test-secret-test-secret-test-secret-0123456789";
    (globalThis as { finemedDatabase?: Promise<Database> }).finemedDatabase = Promise.resolve(db);
    const { POST } = await import("../app/api/focus/decisions/route");
    const base = "http://studio.test";
    const signIn = async (email: string, password: string) => {
      const response = await authFor(db).handler(
        new Request(`${base}/api/auth/sign-in/email`, {
          method: "POST",
          headers: { "content-type": "application/json", origin: base, "x-finemed-client-address": "10.4.0.1" },
          body: JSON.stringify({ email, password }),
        }),
      );
      expect(response.status).toBe(200);
      return response.headers
        .getSetCookie()
        .map((cookie) => cookie.split(";")[0]!)
        .join("; ");
    };
    await createUser(db, { email: "fresh@focus.test", password: "one-time-pass", role: "curator", mustChangePassword: true });
    await createUser(db, { email: "curator@focus.test", password: "curator-password", role: "curator" });
    const oneTime = await signIn("fresh@focus.test", "one-time-pass");
    const curator = await signIn("curator@focus.test", "curator-password");
    const sample = (await focusQueuePage(db, { kind: "filter", query: parseSampleQuery({ limit: "10" }) })).items[8]!.sample;
    const decision = JSON.stringify({ instructionId: sample.id, expectedVersion: sample.labelVersion, decision: { kind: "confirm" } });
    const post = (headers: Record<string, string>) =>
      POST(
        new Request(`${base}/api/focus/decisions`, {
          method: "POST",
          headers: { host: "studio.test", "content-type": "application/json", ...headers },
          body: decision,
        }),
        undefined,
      );
    const events = async () =>
      (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'focus.decisions.create'`)).rows[0]!
        .n;
    try {
      const before = await events();
      const refusedOneTime = await post({ cookie: oneTime, origin: base });
      expect(refusedOneTime.status).toBe(403);
      expect(((await refusedOneTime.json()) as { error: string }).error).toMatch(/one-time password/);
      const crossSite = await post({ cookie: curator, origin: "http://evil.test" });
      expect(crossSite.status).toBe(403);
      expect(((await crossSite.json()) as { error: string }).error).toMatch(/cross-site/);
      const fetchSite = await post({ cookie: curator, "sec-fetch-site": "cross-site" });
      expect(fetchSite.status).toBe(403);
      expect((await labelOf(sample.id)).label_version).toBe(sample.labelVersion);
      expect(await events()).toBe(before);
      // The same session from the studio's own page is let through, and its decision and event are stored.
      const accepted = await post({ cookie: curator, origin: base });
      expect(accepted.status).toBe(200);
      expect((await labelOf(sample.id)).label_version).toBe(sample.labelVersion + 1);
      const event = await db.pool.query(
        `SELECT actor, actor_role, via, subject_id FROM audit_events WHERE action = 'focus.decisions.create' ORDER BY id DESC LIMIT 1`,
      );
      expect(event.rows[0]).toEqual({ actor: "curator@focus.test", actor_role: "curator", via: "web", subject_id: String(sample.id) });
      expect(await events()).toBe(before + 1);
    } finally {
      (globalThis as { finemedDatabase?: Promise<Database> }).finemedDatabase = undefined;
    }
  });
});
