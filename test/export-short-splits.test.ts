// The short-split gate (issue 12): a version whose Endocrinology split is empty is named before
// approval, its export is refused (CLI and HTTP) and writes nothing until the short splits are
// acknowledged, and then the card, the manifest and the audit say which splits were short. The
// training hand-off (Start, the job bundle) asks the same question, and an export made without it
// does not let the version page's Export skip it.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { runCli, serviceTokenFor } from "./support/cli";
import { synthesizeForCuration } from "./curation-run";
import type { Database } from "../lib/db/database";
import { refreshSamples } from "../lib/samples";
import { createServiceToken } from "../lib/auth/service-tokens";
import { listAuditEvents } from "../lib/audit";
import { approveVersion, createVersion, submitVersion, type DatasetVersionView } from "../lib/datasets";
import { exportDataset, exportOptionsSchema, findShortSplits, type ExportManifest, type ShortSplit } from "../lib/export";
import { POST as exportVersion } from "../app/api/datasets/[id]/export/route";
import { POST as startTraining } from "../app/api/training/route";
import { GET as downloadBundle } from "../app/api/training/bundle/route";

let db: TestDatabase;
let work: string;
let home: string;
let version: DatasetVersionView;
let curatorToken = "";
let env: NodeJS.ProcessEnv;
const previousHome = process.env.FINEMED_HOME;

beforeAll(async () => {
  db = await openTestDatabase();
  work = mkdtempSync(join(tmpdir(), "finemed-short-splits-"));
  home = mkdtempSync(join(tmpdir(), "finemed-short-splits-home-"));
  process.env.FINEMED_HOME = home; // the web export writes under FINEMED_HOME/exports
  (globalThis as { finemedDatabase?: Promise<Database> }).finemedDatabase = Promise.resolve(db);
  curatorToken = (await createServiceToken(db, { name: "curator-bot", role: "curator" }, "test")).token;
  env = { ...db.childEnv, FINEMED_TOKEN: await serviceTokenFor(db.childEnv, "curator", "carol") };
  const runId = await synthesizeForCuration(db, "pubmedqa-short-splits", 40);
  await refreshSamples(db, runId);
  // Every secondary label the run has except Endocrinology: the stage 3 pool is then empty.
  const labels = await db.pool.query<{ name: string | null }>(
    `SELECT DISTINCT d.name FROM samples s LEFT JOIN departments d ON d.id = s.secondary_id WHERE s.status = 'kept'`,
  );
  const secondary = labels.rows.map((r) => r.name).filter((name) => name !== "Endocrinology");
  version = await createVersion(db, { name: "no endocrinology", selection: { runIds: [runId], filters: { secondary } }, actor: "carol" });
  await submitVersion(db, version.id, "carol");
  await approveVersion(db, version.id, "alice", { actorRoles: ["approver"] });
}, 240_000);

afterAll(async () => {
  (globalThis as { finemedDatabase?: Promise<Database> }).finemedDatabase = undefined;
  if (previousHome === undefined) delete process.env.FINEMED_HOME;
  else process.env.FINEMED_HOME = previousHome;
  await db?.drop();
  for (const dir of [work, home]) if (dir) rmSync(dir, { recursive: true, force: true });
});

function post(path: string, body: unknown): Request {
  const text = JSON.stringify(body);
  return new Request(`http://studio.test${path}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${curatorToken}`,
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(text)),
    },
    body: text,
  });
}

const exportDirOf = (id: string) => join(home, "exports", id);

describe("empty and short splits", () => {
  it("are listed for the version with the studio's export options, the empty Endocrinology split first", () => {
    expect(version.memberCount).toBeGreaterThan(0);
    expect(version.counts.pools.endocrinology).toBe(0);
    const short = findShortSplits(version.counts, exportOptionsSchema.parse({}));
    expect(short[0]).toMatchObject({
      split: "sft_stage3",
      department: "Endocrinology",
      kind: "empty",
      available: 0,
      rows: 0,
      asked: 11_000,
      reason: "Endocrinology has 0 samples: its split would be empty",
    });
    // The paper's 200,000 for stage 1 is far above what 40 texts give: short, with both numbers.
    const stage1 = short.find((s) => s.split === "sft_stage1");
    expect(stage1).toMatchObject({ kind: "short", asked: 200_000, rows: version.counts.pools.sft });
    expect(stage1!.reason).toContain("of the 200,000 asked");
    // Asking for none of a split is not a warning, and a split that meets its ask is not short.
    const sized = exportOptionsSchema.parse({ sizes: { sftStage1: 1, sftStage2: 0, sftStage3: 0, o1Sft: 1, dpo: 0, ttt: 1 } });
    const fits = findShortSplits(version.counts, sized);
    expect(fits.map((s) => s.split)).toEqual(version.counts.pools.longForm > 0 ? [] : ["o1_sft", "ttt_index"]);
  });

  it("proportional sizing with an empty pool empties every split, and says why", () => {
    const short = findShortSplits(version.counts, exportOptionsSchema.parse({ sizing: "proportional" }));
    const empty = short.filter((s) => s.kind === "empty").map((s) => s.split);
    expect(empty).toEqual(expect.arrayContaining(["sft_stage1", "sft_stage2", "sft_stage3", "o1_sft", "dpo"]));
    expect(short.find((s) => s.split === "sft_stage1")!.reason).toMatch(/proportional sizing .* one pool is empty/);
  });

  it("refuse the CLI export (exit 1, the list, nothing written) until --allow-short-splits", async () => {
    const out = join(work, "cli");
    const refused = await runCli(["export", "--dataset", version.id, "--out", out], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("Endocrinology has 0 samples: its split would be empty");
    expect(refused.stderr).toContain("--allow-short-splits");
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(work)).toEqual([]);

    const done = await runCli(["export", "--dataset", version.id, "--out", out, "--allow-short-splits", "--json"], env);
    expect(done.stderr).toBe("");
    expect(done.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as ExportManifest;
    expect(manifest.shortSplits.acknowledged).toBe(true);
    expect(manifest.shortSplits.splits.map((s: ShortSplit) => s.split)).toContain("sft_stage3");
    const card = readFileSync(join(out, "README.md"), "utf8");
    expect(card).toMatch(/Short or empty splits: .*SFT stage 3 \(Endocrinology\) \(empty: 0 rows of 11,000 asked\)/);
    expect(card).toContain("The exporter acknowledged them before exporting.");
    expect(card).toContain("Endocrinology has 0 samples: its split would be empty");
    const audit = await listAuditEvents(db, { action: "export", limit: 5 });
    expect(audit.events.map((e) => e.details)).toContainEqual(
      expect.objectContaining({ shortSplitsAcknowledged: expect.arrayContaining(["sft_stage3"]) }),
    );
  }, 120_000);

  it("refuse the studio's export (409 with shortSplits, nothing written) until acknowledgeShortSplits", async () => {
    const params = { params: Promise.resolve({ id: version.id }) };
    const refused = await exportVersion(post(`/api/datasets/${version.id}/export`, {}), params);
    expect(refused.status).toBe(409);
    const body = (await refused.json()) as { error: string; shortSplits: ShortSplit[] };
    expect(body.error).toContain("Endocrinology has 0 samples: its split would be empty");
    expect(body.shortSplits[0]).toMatchObject({ split: "sft_stage3", kind: "empty" });
    expect(existsSync(join(home, "exports"))).toBe(false);

    const bad = await exportVersion(post(`/api/datasets/${version.id}/export`, { acknowledgeShortSplits: "yes" }), params);
    expect(bad.status).toBe(400);

    const done = await exportVersion(post(`/api/datasets/${version.id}/export`, { acknowledgeShortSplits: true }), params);
    expect(done.status).toBe(200);
    const { manifest, card } = (await done.json()) as { manifest: ExportManifest; card: string };
    expect(manifest.shortSplits).toMatchObject({ acknowledged: true });
    expect(card).toContain("SFT stage 3 (Endocrinology) (empty");
    expect(readFileSync(join(exportDirOf(version.id), "README.md"), "utf8")).toBe(card);
    const audit = await listAuditEvents(db, { action: "datasets.export", limit: 1 });
    expect(audit.events[0]!.details).toMatchObject({ request: { acknowledgeShortSplits: true } });
  }, 120_000);
});

describe("the training hand-off and short splits", () => {
  let approverToken = "";
  let handedOff: DatasetVersionView;
  let exportedByLibrary: DatasetVersionView;

  beforeAll(async () => {
    approverToken = (await createServiceToken(db, { name: "approver-bot", role: "approver" }, "test")).token;
    const approved = async (name: string) => {
      const made = await createVersion(db, { name, selection: version.selection, actor: "carol" });
      await submitVersion(db, made.id, "carol");
      await approveVersion(db, made.id, "alice", { actorRoles: ["approver"] });
      return made;
    };
    handedOff = await approved("no endocrinology, to train");
    exportedByLibrary = await approved("no endocrinology, exported by training before it asked");
  }, 120_000);

  const withToken = (token: string, request: Request) => {
    request.headers.set("authorization", `Bearer ${token}`);
    return request;
  };
  const get = (path: string) => new Request(`http://studio.test${path}`, { headers: { authorization: `Bearer ${curatorToken}` } });
  const chainsOf = async (id: string) =>
    Number((await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM training_chains WHERE version_id = $1`, [id])).rows[0]!.n);

  it("Start training chain is refused (409 with the list) before anything is exported or recorded", async () => {
    const refused = await startTraining(withToken(approverToken, post("/api/training", { versionId: handedOff.id, profile: "local" })), {});
    expect(refused.status).toBe(409);
    const body = (await refused.json()) as { error: string; shortSplits: ShortSplit[] };
    expect(body.error).toContain("Endocrinology has 0 samples: its split would be empty");
    expect(body.error).toContain("The training chain was not started");
    expect(body.shortSplits[0]).toMatchObject({ split: "sft_stage3", kind: "empty" });
    expect(existsSync(exportDirOf(handedOff.id))).toBe(false);
    expect(await chainsOf(handedOff.id)).toBe(0);
    const bad = await startTraining(
      withToken(approverToken, post("/api/training", { versionId: handedOff.id, acknowledgeShortSplits: "yes" })),
      {},
    );
    expect(bad.status).toBe(400);
  });

  it("the job bundle waits for the acknowledgement; with it the export's card, manifest and the audit record it", async () => {
    const refused = await downloadBundle(get(`/api/training/bundle?versionId=${handedOff.id}&profile=local`), {});
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: string }).error).toContain("No job bundle was made");
    expect(existsSync(exportDirOf(handedOff.id))).toBe(false);

    const done = await downloadBundle(get(`/api/training/bundle?versionId=${handedOff.id}&profile=local&acknowledgeShortSplits=true`), {});
    expect(done.status).toBe(200);
    expect(done.headers.get("content-type")).toBe("application/gzip");
    expect((await done.arrayBuffer()).byteLength).toBeGreaterThan(0);
    const manifest = JSON.parse(readFileSync(join(exportDirOf(handedOff.id), "manifest.json"), "utf8")) as ExportManifest;
    expect(manifest.shortSplits.acknowledged).toBe(true);
    const card = readFileSync(join(exportDirOf(handedOff.id), "README.md"), "utf8");
    expect(card).toContain("SFT stage 3 (Endocrinology) (empty");
    expect(card).toContain("The exporter acknowledged them before exporting.");
    const audit = await listAuditEvents(db, { action: "training.bundle", limit: 1 });
    expect(audit.events[0]).toMatchObject({ subjectId: handedOff.id, actor: "curator-bot" });
    expect(audit.events[0]!.details).toMatchObject({ shortSplitsAcknowledged: expect.arrayContaining(["sft_stage3"]) });
    // The export acknowledges them, but whoever starts a chain is asked again: it is their GPU time.
    const again = await startTraining(withToken(approverToken, post("/api/training", { versionId: handedOff.id, profile: "local" })), {});
    expect(again.status).toBe(409);
    expect(await chainsOf(handedOff.id)).toBe(0);
  }, 120_000);

  it("an export made without the question makes the version page's Export ask, and exporting with it records it", async () => {
    // What the training hand-off did before it asked: a library export with no short-split gate.
    const dir = exportDirOf(exportedByLibrary.id);
    const before = await exportDataset(db, exportedByLibrary.id, dir);
    expect(before.manifest.shortSplits).toMatchObject({ acknowledged: false });
    expect(readFileSync(join(dir, "README.md"), "utf8")).toContain("Nobody acknowledged them");

    const params = { params: Promise.resolve({ id: exportedByLibrary.id }) };
    const refused = await exportVersion(post(`/api/datasets/${exportedByLibrary.id}/export`, {}), params);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { shortSplits: ShortSplit[] }).shortSplits[0]).toMatchObject({ split: "sft_stage3" });
    expect(JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"))).toEqual(before.manifest);

    const done = await exportVersion(post(`/api/datasets/${exportedByLibrary.id}/export`, { acknowledgeShortSplits: true }), params);
    expect(done.status).toBe(200);
    const { manifest, card } = (await done.json()) as { manifest: ExportManifest; card: string };
    expect(manifest.shortSplits.acknowledged).toBe(true);
    expect(card).toContain("The exporter acknowledged them before exporting.");
    expect(readFileSync(join(dir, "README.md"), "utf8")).toBe(card);
    // The same split files: only the card and the manifest say more.
    const data = (m: ExportManifest) => m.files.filter((f) => f.path.startsWith("data/")).map((f) => [f.path, f.sha256]);
    expect(data(manifest)).toEqual(data(before.manifest));
    expect(readdirSync(join(home, "exports")).filter((name) => name.startsWith("."))).toEqual([]);
    // Asked and answered: a second Export reuses it without asking.
    const reused = await exportVersion(post(`/api/datasets/${exportedByLibrary.id}/export`, {}), params);
    expect(reused.status).toBe(200);
  }, 120_000);
});
