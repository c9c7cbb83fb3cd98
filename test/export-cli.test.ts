import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { runCli, serviceTokenFor } from "./support/cli";
import { synthesizeForCuration } from "./curation-run";
import { refreshSamples } from "../lib/samples";
import type { DatasetVersionView, VersionDiff } from "../lib/datasets";
import type { ExportManifest } from "../lib/export";

let db: TestDatabase;
let runId: string;
let work: string;
let env: NodeJS.ProcessEnv;
let asAlice: NodeJS.ProcessEnv;
let asBob: NodeJS.ProcessEnv;

beforeAll(async () => {
  db = await openTestDatabase();
  runId = await synthesizeForCuration(db, "pubmedqa-export-cli", 60);
  await refreshSamples(db, runId);
  work = mkdtempSync(join(tmpdir(), "finemed-export-cli-"));
  // Each actor is a service token of its role: carol curates, alice approves, bob curates too.
  env = { ...db.childEnv, FINEMED_TOKEN: await serviceTokenFor(db.childEnv, "curator", "carol") };
  asAlice = { ...db.childEnv, FINEMED_TOKEN: await serviceTokenFor(db.childEnv, "approver", "alice") };
  asBob = { ...db.childEnv, FINEMED_TOKEN: await serviceTokenFor(db.childEnv, "curator", "bob") };
}, 240_000);

afterAll(async () => {
  await db?.drop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("finemed dataset and finemed export", () => {
  it("have --help", async () => {
    for (const command of ["dataset", "export"]) {
      const help = await runCli([command, "--help"], env);
      expect(help.code, command).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: finemed ${command}`));
    }
    expect((await runCli(["--help"], env)).stdout).toMatch(/dataset[\s\S]*export/);
  }, 60_000);

  it("create → submit → approve (an approver only) → export → diff, end to end", async () => {
    const created = await runCli(["dataset", "create", "--name", "cli v1", "--run", runId, "--json"], env);
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    const version = JSON.parse(created.stdout) as DatasetVersionView;
    expect(version).toMatchObject({ state: "draft", createdBy: "carol" });

    expect((await runCli(["dataset", "submit", version.id], env)).code).toBe(0);
    const refused = await runCli(["dataset", "approve", version.id], asBob);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("needs the approver role; bob is curator");
    const approved = await runCli(["dataset", "approve", version.id, "--json"], asAlice);
    expect(approved.code).toBe(0);
    expect(JSON.parse(approved.stdout)).toMatchObject({ state: "approved", decidedBy: "alice" });
    const again = await runCli(["dataset", "reject", version.id, "--reason", "late"], asAlice);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("is approved");

    const out = join(work, "export");
    const exported = await runCli(
      ["export", "--dataset", version.id, "--out", out, "--sft-stage1", "20", "--allow-short-splits", "--json"],
      env,
    );
    expect(exported.stderr).toBe("");
    expect(exported.code).toBe(0);
    const document = JSON.parse(exported.stdout) as { outDir: string; rows: number; manifest: ExportManifest };
    expect(document.outDir).toBe(out);
    expect(JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"))).toEqual(document.manifest);
    expect(document.manifest.splits.find((s) => s.name === "sft_stage1")).toMatchObject({ rows: 20, validationRows: 2 });

    const occupied = await runCli(["export", "--dataset", version.id, "--out", out], env);
    expect(occupied.code).toBe(1);
    expect(occupied.stderr).toContain("is not empty");

    const filtered = await runCli(["dataset", "create", "--name", "cli v2", "--run", runId, "--tier", "complex", "--json"], env);
    const v2 = JSON.parse(filtered.stdout) as DatasetVersionView;
    const diff = await runCli(["dataset", "diff", version.id, v2.id, "--json"], env);
    expect(diff.code).toBe(0);
    const parsed = JSON.parse(diff.stdout) as VersionDiff;
    expect(parsed.counts).toMatchObject({ added: 0, removed: version.counts.tiers.common, relabeled: 0 });

    const list = await runCli(["dataset", "list"], env);
    expect(list.stdout).toContain("cli v1");
    const shown = await runCli(["dataset", "show", version.id], env);
    expect(shown.stdout).toContain("in_review -> approved  by alice");
    const unapproved = await runCli(["export", "--dataset", v2.id, "--out", join(work, "v2")], env);
    expect(unapproved.code).toBe(1);
    expect(unapproved.stderr).toContain("only an approved version is exported");
  }, 120_000);

  it("refuses bad usage with exit 2", async () => {
    expect((await runCli(["dataset", "frobnicate"], env)).code).toBe(2);
    expect((await runCli(["dataset", "create", "--name", "x"], env)).code).toBe(2);
    expect((await runCli(["dataset", "show", "not-a-uuid"], env)).code).toBe(2);
    expect((await runCli(["dataset", "reject", "00000000-0000-4000-8000-000000000000"], env)).code).toBe(2);
    expect((await runCli(["export", "--out", join(work, "x")], env)).code).toBe(2);
    expect(
      (await runCli(["export", "--dataset", "00000000-0000-4000-8000-000000000000", "--out", join(work, "x"), "--format", "csv"], env))
        .code,
    ).toBe(2);
    const missing = await runCli(["export", "--dataset", "00000000-0000-4000-8000-000000000000", "--out", join(work, "x")], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no dataset version");
  }, 120_000);
});
