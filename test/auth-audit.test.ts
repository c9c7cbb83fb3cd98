// The audit log: every kind of state change made over HTTP (withRole) and from the CLI (cli/main.ts)
// leaves one event with the actor, its role, the action, the subject and the request, secrets masked;
// refused and read-only requests leave none; the log filters and pages.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { runCli, serviceTokenFor } from "./support/cli";
import { synthesizeForCuration } from "./curation-run";
import type { Database } from "../lib/db/database";
import { refreshSamples } from "../lib/samples";
import { createServiceToken } from "../lib/auth/service-tokens";
import { auditVocabulary, listAuditEvents, type AuditEvent } from "../lib/audit";
import { POST as relabel } from "../app/api/labels/route";
import { POST as bulk } from "../app/api/labels/bulk/route";
import { POST as addDepartment } from "../app/api/taxonomy/departments/route";
import { POST as createDataset } from "../app/api/datasets/route";
import { POST as review } from "../app/api/datasets/[id]/[action]/route";
import { POST as exportVersion } from "../app/api/datasets/[id]/export/route";
import { POST as createUserRoute } from "../app/api/users/route";
import { GET as auditRoute } from "../app/api/audit/route";

const BASE = "http://studio.test";
let db: TestDatabase;
let runId: string;
let home: string;
const token: Record<"curator" | "approver" | "admin" | "viewer", string> = { curator: "", approver: "", admin: "", viewer: "" };
const previousHome = process.env.FINEMED_HOME;

beforeAll(async () => {
  db = await openTestDatabase();
  home = mkdtempSync(join(tmpdir(), "finemed-audit-"));
  process.env.FINEMED_HOME = home; // the web export writes under FINEMED_HOME/exports
  (globalThis as { finemedDatabase?: Promise<Database> }).finemedDatabase = Promise.resolve(db);
  for (const role of ["curator", "approver", "admin", "viewer"] as const)
    token[role] = (await createServiceToken(db, { name: `${role}-bot`, role }, "test")).token;
  runId = await synthesizeForCuration(db, "pubmedqa-audit", 40);
  await refreshSamples(db, runId);
}, 240_000);

afterAll(async () => {
  (globalThis as { finemedDatabase?: Promise<Database> }).finemedDatabase = undefined;
  if (previousHome === undefined) delete process.env.FINEMED_HOME;
  else process.env.FINEMED_HOME = previousHome;
  await db?.drop();
  rmSync(home, { recursive: true, force: true });
});

function post(path: string, role: keyof typeof token, body: unknown): Request {
  const text = JSON.stringify(body);
  return new Request(`${BASE}${path}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token[role]}`,
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(text)),
    },
    body: text,
  });
}

async function latest(action: string): Promise<AuditEvent> {
  const page = await listAuditEvents(db, { action, limit: 1 });
  expect(page.events, `an event ${action}`).toHaveLength(1);
  return page.events[0]!;
}

async function count(): Promise<number> {
  return (await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_events")).rows[0]!.n;
}

describe("state changes over HTTP are audited centrally", () => {
  let versionId = "";

  it("a relabel, with the actor, its role, the subject, the reason and 'api' (a token)", async () => {
    const sample = (
      await db.pool.query<{ id: number; v: number }>(
        "SELECT instruction_id AS id, label_version AS v FROM samples WHERE status = 'kept' ORDER BY instruction_id LIMIT 1",
      )
    ).rows[0]!;
    const response = await relabel(
      post("/api/labels", "curator", {
        instructionId: sample.id,
        expectedVersion: sample.v,
        to: { primary: "Surgery", secondary: null },
        reason: "audit: surgical question",
      }),
      undefined,
    );
    expect(response.status).toBe(200);
    const event = await latest("labels.relabel");
    expect(event).toMatchObject({ actor: "curator-bot", actorRole: "curator", subjectType: "label", via: "api" });
    expect(event.details).toMatchObject({
      method: "POST",
      path: "/api/labels",
      request: { instructionId: sample.id, reason: "audit: surgical question" },
    });
  });

  it("a bulk relabel (but not its preview), a taxonomy edit, dataset create/submit/approve and an export", async () => {
    const ids = (
      await db.pool.query<{ id: number }>(
        // Three that do not carry Surgery yet: a bulk relabel counts only the samples it changes.
        `SELECT s.instruction_id AS id FROM samples s JOIN departments d ON d.id = s.primary_id
          WHERE s.status = 'kept' AND d.name <> 'Surgery' ORDER BY s.instruction_id DESC LIMIT 3`,
      )
    ).rows.map((r) => r.id);
    const before = await count();
    expect(
      (
        await bulk(
          post("/api/labels/bulk", "curator", { mode: "preview", selection: { ids }, to: { primary: "Surgery", secondary: null } }),
          undefined,
        )
      ).status,
    ).toBe(200);
    expect(await count()).toBe(before);
    expect(
      (
        await bulk(
          post("/api/labels/bulk", "curator", {
            mode: "apply",
            selection: { ids },
            to: { primary: "Surgery", secondary: null },
            reason: "audit bulk",
          }),
          undefined,
        )
      ).status,
    ).toBeLessThan(300);
    expect((await latest("labels.bulk-relabel")).details).toMatchObject({
      request: { mode: "apply", reason: "audit bulk" },
      result: { count: 3 },
    });

    const added = await addDepartment(post("/api/taxonomy/departments", "admin", { level: "primary", name: "Audit Medicine" }), undefined);
    expect(added.status).toBe(201);
    expect(await latest("taxonomy.add")).toMatchObject({ actor: "admin-bot", actorRole: "admin", subjectType: "taxonomy" });

    const created = await createDataset(
      post("/api/datasets", "curator", { name: "audited v1", selection: { runIds: [runId] } }),
      undefined,
    );
    expect(created.status).toBe(201);
    versionId = ((await created.json()) as { id: string }).id;
    expect(await latest("datasets.create")).toMatchObject({ subjectType: "dataset", subjectId: versionId });
    const params = (action: string) => ({ params: Promise.resolve({ id: versionId, action }) });
    expect((await review(post(`/api/datasets/${versionId}/submit`, "curator", {}), params("submit"))).status).toBe(200);
    // A curator's approval is refused, and a refusal is not a state change.
    const refusedBefore = await count();
    expect((await review(post(`/api/datasets/${versionId}/approve`, "curator", {}), params("approve"))).status).toBe(403);
    expect(await count()).toBe(refusedBefore);
    expect((await review(post(`/api/datasets/${versionId}/approve`, "approver", {}), params("approve"))).status).toBe(200);
    expect(await latest("datasets.approve")).toMatchObject({
      actor: "approver-bot",
      actorRole: "approver",
      subjectType: "dataset",
      subjectId: versionId,
    });
    expect(await latest("datasets.submit")).toMatchObject({ actor: "curator-bot", subjectId: versionId });

    // 40 texts are far below the paper's split sizes: the export is refused (no event) until acknowledged.
    const beforeExport = await count();
    const short = await exportVersion(post(`/api/datasets/${versionId}/export`, "curator", {}), {
      params: Promise.resolve({ id: versionId }),
    });
    expect(short.status).toBe(409);
    expect(await count()).toBe(beforeExport);
    const exported = await exportVersion(post(`/api/datasets/${versionId}/export`, "curator", { acknowledgeShortSplits: true }), {
      params: Promise.resolve({ id: versionId }),
    });
    expect(exported.status).toBeLessThan(300);
    expect(await latest("datasets.export")).toMatchObject({
      subjectType: "dataset",
      subjectId: versionId,
      details: { request: { acknowledgeShortSplits: true } },
    });
  }, 120_000);

  it("masks secrets in what it stores: a new user's password never reaches the log", async () => {
    const response = await createUserRoute(
      post("/api/users", "admin", { email: "new.curator@audit.test", role: "curator", password: "secret-initial-pass" }),
      undefined,
    );
    expect(response.status).toBe(201);
    const event = await latest("users.create");
    expect(event.details).toMatchObject({ request: { email: "new.curator@audit.test", password: "***" } });
    expect(JSON.stringify(event.details)).not.toContain("secret-initial-pass");
  });

  it("filters by actor, action prefix, subject and time, newest first, in keyset pages (approvers only)", async () => {
    const all = await listAuditEvents(db, { limit: 500 });
    expect(all.events.map((e) => e.id)).toEqual([...all.events.map((e) => e.id)].sort((a, b) => b - a));
    const byActor = await listAuditEvents(db, { actor: "curator-bot" });
    expect(byActor.events.length).toBeGreaterThan(2);
    expect(byActor.events.every((e) => e.actor === "curator-bot")).toBe(true);
    const datasets = await listAuditEvents(db, { action: "datasets.*" });
    expect(new Set(datasets.events.map((e) => e.action))).toEqual(
      new Set(["datasets.create", "datasets.submit", "datasets.approve", "datasets.export"]),
    );
    expect((await listAuditEvents(db, { subjectType: "dataset", subjectId: versionId })).events).toHaveLength(4);
    expect((await listAuditEvents(db, { to: "2000-01-01" })).events).toHaveLength(0);
    expect((await listAuditEvents(db, { from: new Date(Date.now() - 3_600_000).toISOString() })).events.length).toBe(all.events.length);
    const first = await listAuditEvents(db, { limit: 2 });
    const second = await listAuditEvents(db, { limit: 2, before: first.nextBefore! });
    expect(second.events[0]!.id).toBeLessThan(first.events[1]!.id);
    expect(second.events.map((e) => e.id)).toEqual(all.events.slice(2, 4).map((e) => e.id));

    // The filter pickers list exactly the distinct values recorded.
    const vocabulary = await auditVocabulary(db);
    // (Compared as sets: the order is the database's collation.)
    expect(new Set(vocabulary.actions)).toEqual(new Set(all.events.map((e) => e.action)));
    expect(vocabulary.actions).toHaveLength(new Set(vocabulary.actions).size);
    expect(new Set(vocabulary.actors)).toEqual(new Set(all.events.map((e) => e.actor)));
    expect(new Set(vocabulary.subjectTypes)).toEqual(new Set(all.events.flatMap((e) => (e.subjectType ? [e.subjectType] : []))));

    const asViewer = await auditRoute(
      new Request(`${BASE}/api/audit`, { headers: { authorization: `Bearer ${token.viewer}` } }),
      undefined,
    );
    expect(asViewer.status).toBe(403);
    const asApprover = await auditRoute(
      new Request(`${BASE}/api/audit?action=taxonomy.add`, { headers: { authorization: `Bearer ${token.approver}` } }),
      undefined,
    );
    expect(((await asApprover.json()) as { events: AuditEvent[] }).events.map((e) => e.action)).toEqual(["taxonomy.add"]);
  });
});

describe("state changes from the CLI are audited by cli/main.ts", () => {
  it("records an import and a run control with the token's name and 'cli'; reads and refusals leave nothing", async () => {
    const file = join(home, "audit-import.jsonl");
    writeFileSync(file, `${JSON.stringify({ text: "A patient with chest pain and raised troponin was admitted." })}\n`);
    const curatorEnv = { ...db.childEnv, FINEMED_TOKEN: await serviceTokenFor(db.childEnv, "curator", "cli-curator") };
    const imported = await runCli(["import", file, "--corpus", "audited-corpus", "--format", "jsonl", "--json"], curatorEnv);
    expect(imported.stderr).toBe("");
    expect(imported.code).toBe(0);
    const event = await latest("import");
    expect(event).toMatchObject({
      actor: "cli-curator",
      actorRole: "curator",
      subjectType: "corpus",
      subjectId: "audited-corpus",
      via: "cli",
    });
    expect(event.details).toMatchObject({ imported: 1, committed: true });

    const before = await count();
    expect((await runCli(["corpora"], curatorEnv)).code).toBe(0);
    const viewerEnv = { ...db.childEnv, FINEMED_TOKEN: await serviceTokenFor(db.childEnv, "viewer", "cli-viewer") };
    const refused = await runCli(["import", file, "--corpus", "nope"], viewerEnv);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("needs the curator role; cli-viewer is viewer");
    expect(await count()).toBe(before);

    const cancelled = await runCli(["runs", "cancel", runId], curatorEnv);
    // The fixture run is complete: the lib refuses (exit 1) and nothing is recorded.
    expect(cancelled.code).toBe(1);
    expect(await count()).toBe(before);
  }, 120_000);
});
