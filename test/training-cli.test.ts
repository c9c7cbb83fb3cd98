import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { runCli, serviceTokenFor } from "./support/cli";
import { slurmUnavailable, startLocalSlurm, type LocalSlurm } from "./support/local-slurm";
import { synthesizeForCuration } from "./curation-run";
import { refreshSamples } from "../lib/samples";
import { listAuditEvents } from "../lib/audit";
import { approveVersion, createVersion, getVersion, submitVersion } from "../lib/datasets";
import { exportDataset, exportOptionsSchema, findShortSplits, type ExportManifest } from "../lib/export";
import { CHAIN_STAGES, STAND_IN_COMMAND, type TrainingChainView } from "../lib/training";

const skip = slurmUnavailable();
if (skip) console.warn(`training CLI tests skipped: ${skip}`);

let db: TestDatabase;
let slurm: LocalSlurm;
let work: string;
let versionId: string;
let draftId: string;
let exportDir: string;
let env: NodeJS.ProcessEnv;

function profileFile(name: string, profile: Record<string, unknown>): string {
  const path = join(work, `${name}.json`);
  writeFileSync(
    path,
    JSON.stringify({
      name,
      env: slurm.env,
      workDir: join(work, "runs"),
      timeLimit: "10:00",
      trainerCommand: STAND_IN_COMMAND,
      ...profile,
      trainerCommands: {
        "6_ttt_eval": STAND_IN_COMMAND,
        "7_baseline_eval": STAND_IN_COMMAND,
        ...(profile.trainerCommands as object | undefined),
      },
    }),
  );
  return path;
}

describe.skipIf(skip !== null)("finemed train", () => {
  beforeAll(async () => {
    [db, slurm] = await Promise.all([openTestDatabase(), startLocalSlurm()]);
    work = mkdtempSync(join(tmpdir(), "finemed-train-cli-"));
    const runId = await synthesizeForCuration(db, "pubmedqa-train-cli", 30);
    await refreshSamples(db, runId);
    const version = await createVersion(db, { name: "cli training", selection: { runIds: [runId] }, actor: "carol" });
    await submitVersion(db, version.id, "carol");
    await approveVersion(db, version.id, "alice", { actorRoles: ["approver"] });
    versionId = version.id;
    draftId = (await createVersion(db, { name: "cli draft", selection: { runIds: [runId] }, actor: "carol" })).id;
    exportDir = join(work, "export");
    await exportDataset(db, versionId, exportDir, { sizes: { sftStage1: 12, sftStage2: 5, sftStage3: 3, o1Sft: 4, dpo: 4 } });
    env = { ...db.childEnv, FINEMED_TOKEN: await serviceTokenFor(db.childEnv, "admin", "ops") };
    const stored = await runCli(["train", "profiles", "set", "--file", profileFile("cli", {})], env);
    expect(stored.stderr).toBe("");
  }, 240_000);

  afterAll(async () => {
    await slurm?.stop();
    await db?.drop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("has --help", async () => {
    const help = await runCli(["train", "--help"], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: finemed train start --dataset/);
    expect((await runCli(["--help"], env)).stdout).toMatch(/\btrain\b/);
  }, 60_000);

  it("starts the chain and follows it to the end with --json; list, show and logs find it", async () => {
    const started = await runCli(
      [
        "train",
        "start",
        "--dataset",
        versionId,
        "--export",
        exportDir,
        "--profile",
        "cli",
        "--allow-short-splits",
        "--follow",
        "--json",
        "--interval",
        "0.5",
      ],
      env,
    );
    expect(started.stderr).toBe("");
    expect(started.code).toBe(0);
    const chain = JSON.parse(started.stdout) as TrainingChainView;
    expect(chain).toMatchObject({ state: "COMPLETED", versionId, submittedBy: "ops", version: { approvedBy: "alice" } });
    expect(chain.jobs.map((job) => [job.stage, job.state])).toEqual(CHAIN_STAGES.map((stage) => [stage.key, "COMPLETED"]));

    const listed = JSON.parse((await runCli(["train", "list", "--dataset", versionId, "--json"], env)).stdout) as {
      chains: TrainingChainView[];
    };
    expect(listed.chains.map((c) => c.id)).toEqual([chain.id]);
    const shown = await runCli(["train", "show", chain.id], env);
    expect(shown.stderr).toBe("");
    expect(shown.stdout).toContain(`chain ${chain.id}  COMPLETED`);
    expect(shown.stdout).toMatch(/6\. 6_ttt_eval +\d+ +COMPLETED +\(file check, no training\)/);
    const logs = await runCli(["train", "logs", chain.id, "--stage", "6_ttt_eval"], env);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toContain("split ttt_index");
  }, 120_000);

  it("follow exits 1 with the failed stage and its reason; later stages are cancelled", async () => {
    await runCli(
      [
        "train",
        "profiles",
        "set",
        "--file",
        profileFile("cli-fails", { trainerCommands: { "3_sft_stage3": "sh -c 'echo trainer crashed: CUDA out of memory >&2; exit 7'" } }),
      ],
      env,
    );
    const started = await runCli(
      ["train", "start", "--dataset", versionId, "--export", exportDir, "--profile", "cli-fails", "--allow-short-splits", "--json"],
      env,
    );
    expect(started.code).toBe(0);
    const { id } = JSON.parse(started.stdout) as TrainingChainView;
    const followed = await runCli(["train", "follow", id, "--interval", "0.5"], env);
    expect(followed.code).toBe(1);
    expect(followed.stderr).toContain("stage 3 (3_sft_stage3) failed with exit code 7: trainer crashed: CUDA out of memory");
    expect(followed.stdout).toMatch(/4_o1_sft +CANCELLED/);
    const shown = JSON.parse((await runCli(["train", "show", id, "--json"], env)).stdout) as TrainingChainView;
    expect(shown.jobs.map((job) => job.state)).toEqual([
      "COMPLETED",
      "COMPLETED",
      "FAILED",
      "CANCELLED",
      "CANCELLED",
      "CANCELLED",
      "CANCELLED",
    ]);
  }, 120_000);

  it("cancels a chain", async () => {
    await runCli(["train", "profiles", "set", "--file", profileFile("cli-slow", { trainerCommand: "sleep 120" })], env);
    const started = await runCli(
      ["train", "start", "--dataset", versionId, "--export", exportDir, "--profile", "cli-slow", "--allow-short-splits", "--json"],
      env,
    );
    const { id } = JSON.parse(started.stdout) as TrainingChainView;
    const cancelled = await runCli(["train", "cancel", id, "--json"], env);
    expect(cancelled.code).toBe(0);
    expect(JSON.parse(cancelled.stdout)).toMatchObject({ state: "CANCELLED", reason: "cancelled by ops" });
    const again = await runCli(["train", "cancel", id], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already ended");
  }, 120_000);

  it("writes one Kubernetes Job per stage, each waiting for the previous one", async () => {
    await runCli(
      [
        "train",
        "profiles",
        "set",
        "--file",
        profileFile("k8s", {
          kind: "kubernetes",
          gpus: 4,
          trainerCommand: "llamafactory-cli train {{config}}",
          kubernetes: { namespace: "train", exportClaim: "finemed-v1" },
        }),
      ],
      env,
    );
    const out = join(work, "k8s");
    const written = await runCli(["train", "k8s", "--dataset", versionId, "--out", out, "--profile", "k8s", "--json"], env);
    expect(written.stderr).toBe("");
    expect((JSON.parse(written.stdout) as { files: string[] }).files).toHaveLength(CHAIN_STAGES.length);
    expect(readdirSync(join(out, "kubernetes")).sort()).toEqual(CHAIN_STAGES.map((s) => `${s.key}.yaml`));
    type Job = {
      kind: string;
      metadata: { namespace: string; name: string };
      spec: {
        backoffLimit: number;
        template: {
          spec: {
            initContainers?: { command: string[] }[];
            containers: { command: string[]; resources: { limits?: Record<string, number> } }[];
            volumes: { persistentVolumeClaim: { claimName: string } }[];
          };
        };
      };
    };
    for (const [index, stage] of CHAIN_STAGES.entries()) {
      const job = parse(readFileSync(join(out, "kubernetes", `${stage.key}.yaml`), "utf8")) as Job;
      expect(job).toMatchObject({ kind: "Job", metadata: { namespace: "train" }, spec: { backoffLimit: 0 } });
      const pod = job.spec.template.spec;
      expect(pod.volumes[0]!.persistentVolumeClaim.claimName).toBe("finemed-v1");
      expect(pod.containers[0]!.resources.limits).toEqual({ "nvidia.com/gpu": 4 });
      if (stage.llamaFactoryConfig) expect(pod.containers[0]!.command[2]).toContain(`llamafactory-cli train ${stage.llamaFactoryConfig}`);
      if (index === 0) expect(pod.initContainers).toBeUndefined();
      else expect(pod.initContainers![0]!.command[2]).toContain(`/export/training/${CHAIN_STAGES[index - 1]!.key}/COMPLETED`);
    }
    const slurmProfile = await runCli(
      ["train", "start", "--dataset", versionId, "--export", exportDir, "--profile", "k8s", "--allow-short-splits"],
      env,
    );
    expect(slurmProfile.code).toBe(2);
    expect(slurmProfile.stderr).toContain("is a kubernetes profile");
  }, 120_000);

  it("refuses an unapproved version, a viewer, a bad profile and bad usage", async () => {
    const draft = await runCli(["train", "start", "--dataset", draftId, "--profile", "cli"], env);
    expect(draft.code).toBe(1);
    expect(draft.stderr).toContain("only an approved version can be trained");
    const viewer = { ...db.childEnv, FINEMED_TOKEN: await serviceTokenFor(db.childEnv, "viewer", "vera") };
    const forbidden = await runCli(["train", "start", "--dataset", versionId, "--export", exportDir, "--profile", "cli"], viewer);
    expect(forbidden.code).toBe(3);
    const bad = await runCli(["train", "profiles", "set", "--file", profileFile("cli", { trainerCommand: "train {{model}}" })], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown placeholder {{model}}");
    const kept = JSON.parse((await runCli(["train", "profiles", "show", "cli", "--json"], env)).stdout) as { trainerCommand: string };
    expect(kept.trainerCommand).toBe(STAND_IN_COMMAND);
    expect((await runCli(["train", "frobnicate"], env)).code).toBe(2);
    const unknown = await runCli(["train", "show", "00000000-0000-4000-8000-000000000000"], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no training chain");
  }, 180_000);

  it("refuses to start or bundle on short splits until --allow-short-splits: nothing is exported or recorded; then the card names them", async () => {
    // The paper's absolute sizes make every split of a 30-text version short, and it may lack a department outright.
    const expected = findShortSplits((await getVersion(db, versionId)).counts, exportOptionsSchema.parse({}));
    expect(expected.length).toBeGreaterThan(0);
    const chains = async () => Number((await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM training_chains`)).rows[0]!.n);
    const before = await chains();
    const fresh = join(work, "fresh-export");
    const refused = await runCli(["train", "start", "--dataset", versionId, "--export", fresh, "--profile", "cli", "--json"], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(expected[0]!.reason);
    expect(refused.stderr).toContain("The training chain was not started");
    expect(refused.stderr).toContain("finemed train start --allow-short-splits");
    expect(existsSync(fresh)).toBe(false);
    expect(await chains()).toBe(before);
    // An existing export is asked about too (the fixture's small sizes are short as well).
    const onExisting = await runCli(["train", "start", "--dataset", versionId, "--export", exportDir, "--profile", "cli"], env);
    expect(onExisting.code).toBe(1);
    expect(onExisting.stderr).toContain("--allow-short-splits");
    expect(await chains()).toBe(before);
    const bundleFile = join(work, "short.tar.gz");
    const bundleRefused = await runCli(["train", "bundle", "--dataset", versionId, "--export", fresh, "--out", bundleFile], env);
    expect(bundleRefused.code).toBe(1);
    expect(bundleRefused.stderr).toContain("No job bundle was made");
    expect(bundleRefused.stderr).toContain("finemed train bundle --allow-short-splits");
    expect(existsSync(fresh) || existsSync(bundleFile)).toBe(false);

    const started = await runCli(
      ["train", "start", "--dataset", versionId, "--export", fresh, "--profile", "cli", "--allow-short-splits", "--json"],
      env,
    );
    expect(started.stderr).toBe("");
    expect(started.code).toBe(0);
    const chain = JSON.parse(started.stdout) as TrainingChainView;
    expect(chain.exportDir).toBe(fresh);
    expect(await chains()).toBe(before + 1);
    const manifest = JSON.parse(readFileSync(join(fresh, "manifest.json"), "utf8")) as ExportManifest;
    expect(manifest.shortSplits.acknowledged).toBe(true);
    expect(manifest.shortSplits.splits.map((s) => s.split)).toEqual(expected.map((s) => s.split));
    const card = readFileSync(join(fresh, "README.md"), "utf8");
    expect(card).toContain(`Short or empty splits: ${expected[0]!.title}`);
    expect(card).toContain("The exporter acknowledged them before exporting.");
    const audit = await listAuditEvents(db, { action: "train.start", limit: 1 });
    expect(audit.events[0]!.details).toMatchObject({ shortSplitsAcknowledged: expected.map((s) => s.split) });

    const bundled = await runCli(
      ["train", "bundle", "--dataset", versionId, "--export", fresh, "--out", bundleFile, "--allow-short-splits", "--json"],
      env,
    );
    expect(bundled.code).toBe(0);
    expect(existsSync(bundleFile)).toBe(true);
    await runCli(["train", "cancel", chain.id], env);
  }, 180_000);
});
