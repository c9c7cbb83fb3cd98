import { spawnSync } from "node:child_process";
import { appendFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { runCli } from "./support/cli";
import { slurmUnavailable, startLocalSlurm, type LocalSlurm } from "./support/local-slurm";
import { synthesizeForCuration } from "./curation-run";
import { PYTHON, tinyBenchmark, torchUnavailable, writeTinyModel } from "./support/ttt-fixture";
import { refreshSamples } from "../lib/samples";
import { approveVersion, createVersion, DatasetStateError, submitVersion } from "../lib/datasets";
import { exportDataset, type ExportManifest } from "../lib/export";
import {
  cancelChain,
  CHAIN_STAGES,
  getChain,
  getProfile,
  listChains,
  listProfiles,
  pollChain,
  readJobLog,
  saveProfile,
  startChain,
  STAND_IN_COMMAND,
  STAND_IN_LABEL,
  TTT_COMMAND,
  BASELINE_COMMAND,
  TrainingInputError,
  TrainingShortSplitsRefused,
  watchTrainingChains,
  type TrainingChainView,
} from "../lib/training";

const skip = slurmUnavailable() ?? torchUnavailable();
if (skip) console.warn(`training chain tests skipped: ${skip}`);

/** Profiles whose evaluations are stand-ins too (they have no trained model to evaluate). */
const STAND_IN_EVALUATIONS = { "6_ttt_eval": STAND_IN_COMMAND, "7_baseline_eval": STAND_IN_COMMAND };
// The real TTT job and baseline on the tiny model, sized to take seconds on a loaded 2-core machine.
const TINY_TTT = `${TTT_COMMAND} --embedder lexical:tfidf-hash-rp-64 --learning-rate 1e-3 --steps 2 --max-length 256 --shots 0 --max-new-tokens 4 --temperature 0`;
const TINY_BASELINE = `${BASELINE_COMMAND} --max-new-tokens 4 --temperature 0 --repeats 3 --shots 3`;
const BENCHMARK = tinyBenchmark(4);

let db: TestDatabase;
let slurm: LocalSlurm;
let work: string;
let versionId: string;
let draftId: string;
let exportDir: string;
let manifest: ExportManifest;

const SMALL = { sftStage1: 20, sftStage2: 8, sftStage3: 5, o1Sft: 6, dpo: 6 };

async function waitForChain(id: string, done: (chain: TrainingChainView) => boolean, timeoutMs = 90_000): Promise<TrainingChainView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const chain = await pollChain(db, id);
    if (done(chain)) return chain;
    if (Date.now() > deadline)
      throw new Error(`chain ${id} still ${chain.state}: ${chain.jobs.map((j) => `${j.stage}=${j.state}`).join(" ")}`);
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
}

const ended = (chain: TrainingChainView) => chain.finishedAt !== null;

function scontrol(jobId: string): string {
  return spawnSync("scontrol", ["show", "job", "-o", jobId], { env: { ...process.env, ...slurm.env }, encoding: "utf8" }).stdout;
}

describe.skipIf(skip !== null)("the training chain on a real local Slurm", () => {
  beforeAll(async () => {
    [db, slurm] = await Promise.all([openTestDatabase(), startLocalSlurm({ restd: true })]);
    work = mkdtempSync(join(tmpdir(), "finemed-training-"));
    // slurmrestd runs jobs as the slurm user: it reads the export and writes its own work directory.
    chmodSync(work, 0o755);
    const runId = await synthesizeForCuration(db, "pubmedqa-training", 40);
    await refreshSamples(db, runId);
    const version = await createVersion(db, { name: "training v1", selection: { runIds: [runId] }, actor: "carol" });
    await submitVersion(db, version.id, "carol");
    await approveVersion(db, version.id, "alice", { actorRoles: ["approver"] });
    versionId = version.id;
    draftId = (await createVersion(db, { name: "training draft", selection: { runIds: [runId] }, actor: "carol" })).id;
    exportDir = join(work, "export");
    manifest = (await exportDataset(db, versionId, exportDir, { sizes: SMALL })).manifest;
    writeTinyModel(join(work, "tiny-model"));
    writeFileSync(join(work, "benchmark.jsonl"), `${BENCHMARK.map((q) => JSON.stringify(q)).join("\n")}\n`);
    // Stages 1-5 are the stand-in (no GPU here); stages 6 and 7 run the real TTT job and baseline shipped in the export.
    await saveProfile(
      db,
      {
        name: "test-local",
        trainerCommand: STAND_IN_COMMAND,
        trainerCommands: { "6_ttt_eval": TINY_TTT, "7_baseline_eval": TINY_BASELINE },
        python: PYTHON,
        benchmark: join(work, "benchmark.jsonl"),
        trainedModel: join(work, "tiny-model"),
        env: slurm.env,
        workDir: join(work, "runs"),
        timeLimit: "10:00",
      },
      "admin",
    );
  }, 240_000);

  afterAll(async () => {
    await slurm?.stop();
    await db?.drop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("runs SFT 1 → SFT 2 → SFT 3 → o1 SFT → DPO → o1 + TTT → o1 baseline in order; the real TTT job's accuracy lands on the chain", async () => {
    const started = await startChain(db, { versionId, exportDir, profileName: "test-local", actor: "alice", acknowledgeShortSplits: true });
    expect(started).toMatchObject({
      state: "ACTIVE",
      versionId,
      submittedBy: "alice",
      profileName: "test-local",
      version: { approvedBy: "alice" },
    });
    expect(started.jobs.map((job) => job.stage)).toEqual(CHAIN_STAGES.map((stage) => stage.key));
    // Every stage after the first waits on the previous job: in the script, and as slurmctld holds it.
    for (const [index, job] of started.jobs.entries()) {
      if (index === 0) {
        expect(job.dependency).toBeNull();
        expect(job.script).not.toContain("--dependency");
        continue;
      }
      const previous = started.jobs[index - 1]!.clusterJobId!;
      expect(job.dependency).toBe(`afterok:${previous}`);
      expect(job.script).toContain(`#SBATCH --dependency=afterok:${previous}\n#SBATCH --kill-on-invalid-dep=yes`);
    }
    const last = started.jobs.at(-1)!;
    expect(scontrol(last.clusterJobId!)).toMatch(new RegExp(`Dependency=afterok:${started.jobs.at(-2)!.clusterJobId}`));

    const chain = await waitForChain(started.id, ended, 240_000);
    expect(chain.state, chain.reason ?? "").toBe("COMPLETED");
    expect(chain.reason).toBeNull();
    for (const [index, job] of chain.jobs.entries()) {
      expect(job, job.stage).toMatchObject({ state: "COMPLETED", exitCode: 0 });
      expect(job.startedAt && job.endedAt).toBeTruthy();
      if (index > 0) expect(Date.parse(job.startedAt!)).toBeGreaterThanOrEqual(Date.parse(chain.jobs[index - 1]!.endedAt!));
      expect(job.standIn, job.stage).toBe(index < 5);
      if (index >= 5) continue;
      // The stand-in checked the stage's split against the manifest and said so in its result.
      const stage = CHAIN_STAGES[index]!;
      const split = manifest.splits.find((s) => s.name === stage.split)!;
      const result = JSON.parse(readFileSync(join(job.outputDir, "result.json"), "utf8")) as {
        rowsSeen: number;
        versionId: string;
        files: { path: string; sha256: string; rows: number }[];
      };
      expect(result.versionId).toBe(versionId);
      expect(result.rowsSeen).toBe(split.rows);
      expect(result.files.map((f) => f.path)).toEqual(split.files);
      for (const file of result.files)
        expect(manifest.files.find((f) => f.path === file.path)).toMatchObject({ sha256: file.sha256, rows: file.rows });
    }
    const log = await readJobLog(db, chain.id, "5_dpo", "out");
    expect(log.text).toContain("rows valid");
    expect(log.text).toContain(STAND_IN_LABEL);

    // Stage 6 ran training/ttt.py from the export on the tiny model: one answer per question, the
    // retrieved sample is an index row, and its accuracy and counts are on the chain.
    const tttJob = chain.jobs.find((job) => job.stage === "6_ttt_eval")!;
    expect(tttJob.script).toContain(`${PYTHON} training/ttt.py --export`);
    const answers = readFileSync(join(tttJob.outputDir, "results.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { key: string; retrievedId: number; lossBefore: number; lossAfter: number; correct: boolean });
    expect(answers.map((a) => a.key)).toEqual(BENCHMARK.map((q) => q.id));
    const indexIds = readFileSync(join(exportDir, "data/ttt_index.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { id: number }).id);
    for (const answer of answers) {
      expect(indexIds).toContain(answer.retrievedId);
      expect(answer.lossAfter).toBeLessThan(answer.lossBefore);
    }
    const tttLog = await readJobLog(db, chain.id, "6_ttt_eval", "out");
    expect(tttLog.text).toMatch(/\[ttt\] question 4\/4 \(q4\): retrieved \d+/);
    const ttt = chain.evaluations.find((e) => e.mode === "ttt")!;
    const tttSummary = JSON.parse(readFileSync(join(tttJob.outputDir, "summary.json"), "utf8")) as { accuracy: number; correct: number };
    expect(ttt).toMatchObject({
      stage: "6_ttt_eval",
      final: true,
      questions: 4,
      answered: 4,
      withAnswer: 4,
      correct: answers.filter((a) => a.correct).length,
      accuracy: tttSummary.accuracy,
    });
    const baseline = chain.evaluations.find((e) => e.mode === "baseline")!;
    const baselineSummary = JSON.parse(readFileSync(join(chain.jobs[6]!.outputDir, "summary.json"), "utf8")) as {
      accuracy: number;
      repeatAccuracies: number[];
    };
    expect(baseline).toMatchObject({
      stage: "7_baseline_eval",
      final: true,
      answered: 12,
      accuracy: baselineSummary.accuracy,
      repeatAccuracies: baselineSummary.repeatAccuracies,
    });
    expect(baseline.repeatAccuracies).toHaveLength(3);
    // The CLI carries them too.
    const shown = await runCli(["train", "show", chain.id, "--json"], db.childEnv);
    expect(shown.code, shown.stderr).toBe(0);
    expect((JSON.parse(shown.stdout) as TrainingChainView).evaluations).toEqual(chain.evaluations);
    expect((await listChains(db, { versionId })).map((c) => c.id)).toContain(chain.id);
  }, 120_000);

  it("is followed by the studio's background poll alone (no reader polling)", async () => {
    await saveProfile(
      db,
      {
        name: "test-stand-in",
        trainerCommand: STAND_IN_COMMAND,
        trainerCommands: STAND_IN_EVALUATIONS,
        env: slurm.env,
        workDir: join(work, "runs"),
        timeLimit: "10:00",
      },
      "admin",
    );
    const started = await startChain(db, {
      versionId,
      exportDir,
      profileName: "test-stand-in",
      actor: "alice",
      acknowledgeShortSplits: true,
    });
    const stop = watchTrainingChains(db, 300);
    try {
      const deadline = Date.now() + 90_000;
      let chain = await getChain(db, started.id);
      while (chain.finishedAt === null && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        chain = await getChain(db, started.id);
      }
      expect(chain.state).toBe("COMPLETED");
      expect(chain.jobs.every((job) => job.state === "COMPLETED" && job.endedAt !== null)).toBe(true);
    } finally {
      stop();
    }
  }, 120_000);

  it("stops at a failed stage: later stages never run, and the chain says which stage failed and why", async () => {
    const corrupt = join(work, "export-corrupt");
    await exportDataset(db, versionId, corrupt, { sizes: SMALL });
    appendFileSync(join(corrupt, "data/sft_stage2_internal_medicine.jsonl"), "this is not a row\n");
    const started = await startChain(db, {
      versionId,
      exportDir: corrupt,
      profileName: "test-local",
      actor: "alice",
      acknowledgeShortSplits: true,
    });
    const chain = await waitForChain(started.id, ended);
    expect(chain.state).toBe("FAILED");
    expect(chain.reason).toContain("stage 2 (2_sft_stage2) failed with exit code 1");
    expect(chain.reason).toMatch(/line \d+: not JSON/);
    const [first, second, ...rest] = chain.jobs;
    expect(first).toMatchObject({ state: "COMPLETED" });
    expect(second).toMatchObject({ state: "FAILED", exitCode: 1 });
    expect(second!.reason).toContain("stand-in stage (file check, no training) failed");
    for (const job of rest) {
      expect(job, job.stage).toMatchObject({ state: "CANCELLED", startedAt: null });
      expect(job.reason).toMatch(/Dependency/);
      expect(existsSync(join(job.outputDir, "result.json"))).toBe(false);
      expect(existsSync(job.stdoutPath)).toBe(false);
    }
    const err = await readJobLog(db, chain.id, second!.id, "err");
    expect(err.text).toContain("not JSON");
  }, 120_000);

  it("cancels a running chain: every job ends cancelled", async () => {
    await saveProfile(
      db,
      {
        name: "test-slow",
        trainerCommand: "sleep 120",
        trainerCommands: STAND_IN_EVALUATIONS,
        env: slurm.env,
        workDir: join(work, "runs"),
        timeLimit: "10:00",
      },
      "admin",
    );
    const started = await startChain(db, { versionId, exportDir, profileName: "test-slow", actor: "alice", acknowledgeShortSplits: true });
    await waitForChain(started.id, (chain) => chain.jobs[0]!.state === "RUNNING", 30_000);
    const cancelled = await cancelChain(db, started.id, "alice");
    expect(cancelled).toMatchObject({ state: "CANCELLED", reason: "cancelled by alice" });
    expect(cancelled.finishedAt).not.toBeNull();
    expect(cancelled.jobs.map((job) => job.state)).toEqual(CHAIN_STAGES.map(() => "CANCELLED"));
    for (const job of cancelled.jobs) expect(scontrol(job.clusterJobId!)).toMatch(/JobState=CANCELLED/);
    await expect(cancelChain(db, started.id, "alice")).rejects.toThrow(/already ended cancelled/);
  }, 90_000);

  it("submits through the ssh transport (a stand-in ssh on PATH that runs the command here)", async () => {
    const bin = join(work, "bin");
    const calls = join(work, "ssh-calls.log");
    spawnSync("mkdir", ["-p", bin]);
    // Like OpenSSH: options, the destination, then one command line for the remote shell.
    writeFileSync(
      join(bin, "ssh"),
      `#!/bin/sh\nwhile [ $# -gt 0 ]; do case "$1" in -o|-p) shift 2;; --) shift; break;; -*) shift;; *) echo "host=$1" >> ${calls}; shift;; esac; done\necho "$*" >> ${calls}\nexec sh -c "$*"\n`,
    );
    chmodSync(join(bin, "ssh"), 0o755);
    await saveProfile(
      db,
      {
        name: "test-ssh",
        submitMode: "ssh",
        ssh: { host: "login.cluster.example", user: "trainer" },
        trainerCommand: STAND_IN_COMMAND,
        trainerCommands: STAND_IN_EVALUATIONS,
        env: slurm.env,
        workDir: join(work, "runs-ssh"),
        timeLimit: "10:00",
      },
      "admin",
    );
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    try {
      const started = await startChain(db, { versionId, exportDir, profileName: "test-ssh", actor: "alice", acknowledgeShortSplits: true });
      const chain = await waitForChain(started.id, ended);
      expect(chain.state).toBe("COMPLETED");
      const log = readFileSync(calls, "utf8");
      expect(log).toContain("host=trainer@login.cluster.example");
      expect(log).toContain(`env SLURM_CONF=${slurm.conf} sbatch --parsable`);
      expect(log).toMatch(/scontrol show job -o/);
      expect((await readJobLog(db, chain.id, "1_sft_stage1", "out")).text).toContain("rows valid");
    } finally {
      process.env.PATH = path;
    }
  }, 120_000);

  it("submits and tracks through slurmrestd with a JWT from the environment (never stored)", async () => {
    const restd = slurm.restd!;
    const runs = join(work, "runs-restd");
    mkdirSync(runs, { mode: 0o777 });
    chmodSync(runs, 0o777);
    process.env.FINEMED_TEST_SLURM_JWT = restd.token;
    try {
      await saveProfile(
        db,
        {
          name: "test-restd",
          submitMode: "slurmrestd",
          restd: { url: restd.url, tokenEnv: "FINEMED_TEST_SLURM_JWT", userName: restd.userName },
          trainerCommand: STAND_IN_COMMAND,
          trainerCommands: { ...STAND_IN_EVALUATIONS, "5_dpo": "sh -c 'echo DPO diverged >&2; exit 3'" },
          workDir: runs,
          timeLimit: "10:00",
        },
        "admin",
      );
      const stored = await db.pool.query<{ row: string }>(
        "SELECT row_to_json(p)::text AS row FROM training_cluster_profiles p WHERE name = 'test-restd'",
      );
      expect(stored.rows[0]!.row).toContain("FINEMED_TEST_SLURM_JWT");
      expect(stored.rows[0]!.row).not.toContain(restd.token);
      const started = await startChain(db, {
        versionId,
        exportDir,
        profileName: "test-restd",
        actor: "alice",
        acknowledgeShortSplits: true,
      });
      expect(started.jobs.at(-1)!.dependency).toBe(`afterok:${started.jobs.at(-2)!.clusterJobId}`);
      expect(scontrol(started.jobs.at(-1)!.clusterJobId!)).toMatch(/UserId=slurm\(/);
      const chain = await waitForChain(started.id, ended);
      expect(
        chain.jobs.map((job) => job.state),
        chain.reason ?? "",
      ).toEqual(["COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED", "FAILED", "CANCELLED", "CANCELLED"]);
      expect(chain.state).toBe("FAILED");
      expect(chain.reason).toContain("stage 5 (5_dpo) failed with exit code 3");
      expect(chain.reason).toContain("DPO diverged");
      const result = JSON.parse(readFileSync(join(chain.jobs[0]!.outputDir, "result.json"), "utf8")) as { rowsSeen: number };
      expect(result.rowsSeen).toBe(manifest.splits.find((s) => s.name === "sft_stage1")!.rows);

      delete process.env.FINEMED_TEST_SLURM_JWT;
      await expect(
        startChain(db, { versionId, exportDir, profileName: "test-restd", actor: "alice", acknowledgeShortSplits: true }),
      ).rejects.toThrow(/needs a token in \$FINEMED_TEST_SLURM_JWT/);
    } finally {
      delete process.env.FINEMED_TEST_SLURM_JWT;
    }
  }, 120_000);

  it("refuses an unapproved version, an export of something else, and a bad profile, changing nothing", async () => {
    await expect(
      startChain(db, { versionId: draftId, exportDir, profileName: "test-local", actor: "alice", acknowledgeShortSplits: true }),
    ).rejects.toThrow(DatasetStateError);
    await expect(startChain(db, { versionId: draftId, exportDir, actor: "alice", acknowledgeShortSplits: true })).rejects.toThrow(
      /is draft: only an approved version can be trained/,
    );
    await expect(
      startChain(db, {
        versionId,
        exportDir: join(work, "nowhere"),
        profileName: "test-local",
        actor: "alice",
        acknowledgeShortSplits: true,
      }),
    ).rejects.toThrow(/has no manifest.json/);
    const forged = join(work, "forged");
    await exportDataset(db, draftId, forged, { sizes: SMALL, allowUnapproved: true });
    await expect(
      startChain(db, { versionId, exportDir: forged, profileName: "test-local", actor: "alice", acknowledgeShortSplits: true }),
    ).rejects.toThrow(/is not the approved export/);
    await expect(
      startChain(db, { versionId, exportDir, profileName: "no-such-profile", actor: "alice", acknowledgeShortSplits: true }),
    ).rejects.toThrow(/no cluster profile|profile/);
    const chainsBefore = (await listChains(db)).length;
    // The fixture's small sizes are short of the per-department global batch: without the acknowledgement nothing is recorded.
    expect(manifest.shortSplits.splits.length).toBeGreaterThan(0);
    await expect(startChain(db, { versionId, exportDir, profileName: "test-local", actor: "alice" })).rejects.toThrow(
      TrainingShortSplitsRefused,
    );
    expect((await listChains(db)).length).toBe(chainsBefore);

    const before = await getProfile(db, "test-local");
    const bad: unknown[] = [
      { name: "test-local", trainerCommand: "train {{nonsense}}" },
      { name: "test-local", trainerCommand: "x", submitMode: "ssh" },
      { name: "test-local", trainerCommand: "x", env: { HF_TOKEN: "hf_secret" } },
      { name: "Bad Name", trainerCommand: "x" },
      { name: "test-local", trainerCommand: "x", gpus: -1 },
      { name: "test-local", trainerCommand: "x", workDir: "relative/dir" },
      { name: "test-local", trainerCommand: "x", stageTemplates: { "9_unknown": "#!/bin/bash" } },
    ];
    for (const input of bad) await expect(saveProfile(db, input, "admin"), JSON.stringify(input)).rejects.toThrow(TrainingInputError);
    expect(await getProfile(db, "test-local")).toEqual(before);
    expect((await listProfiles(db)).map((p) => p.profile.name)).toEqual([
      "local",
      "test-local",
      "test-restd",
      "test-slow",
      "test-ssh",
      "test-stand-in",
    ]);
    expect((await listChains(db)).length).toBe(chainsBefore);
    await expect(getChain(db, "00000000-0000-4000-8000-000000000000")).rejects.toThrow(/no training chain/);
  }, 60_000);
});
