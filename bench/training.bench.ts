// The training chain on a real single-node Slurm (issue 6): a version of BENCH_TRAINING_SFT SFT +
// BENCH_TRAINING_DPO long-form samples (set-based, as the export bench), exported with the paper's
// split sizes (capped by the pools), then the six-stage chain submitted with the stand-in stages
// that read and check every split file against the manifest. Measures the submission (6 × sbatch),
// how long each stage's check takes (rows/s, from the stand-in's own clock), the gap Slurm leaves
// between a stage's end and the next one's start (afterok scheduling), a poll of the chain, and the
// whole chain's wall time. Writes bench/out/training.json.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { connectDatabase } from "../lib/db/database";
import { approveVersion, createVersion, submitVersion } from "../lib/datasets";
import { exportDataset } from "../lib/export";
import { CHAIN_STAGES, pollChain, saveProfile, startChain, STAND_IN_COMMAND } from "../lib/training";
import { startLocalSlurm } from "../test/support/local-slurm";
import { createBenchDatabase, describeServer } from "./bench-database";
import { formatTable, machineDescription, writeBenchResult } from "./bench-result";
import { generateExportRun } from "./export-data";

const COMMON = Number(process.env.BENCH_TRAINING_SFT ?? 300_000);
const COMPLEX = Number(process.env.BENCH_TRAINING_DPO ?? 33_000);

const created = await createBenchDatabase();
const generator = new pg.Client({ connectionString: created.url });
const out = mkdtempSync(join(tmpdir(), "finemed-training-bench-"));
const slurm = await startLocalSlurm();
let db: Awaited<ReturnType<typeof connectDatabase>> | null = null;
try {
  db = await connectDatabase({ url: created.url });
  await generator.connect();
  console.log(
    `training bench: ${COMMON.toLocaleString()} SFT + ${COMPLEX.toLocaleString()} long-form samples on ${describeServer(created.url)}, local Slurm ${slurm.conf}`,
  );
  const { runId } = await generateExportRun(generator, COMMON, COMPLEX);
  const version = await createVersion(db, { name: "bench training", selection: { runIds: [runId] }, actor: "bench" });
  await submitVersion(db, version.id, "bench");
  await approveVersion(db, version.id, "bench", { actorRoles: ["approver"] });
  const exportDir = join(out, "export");
  let started = performance.now();
  const exported = await exportDataset(db, version.id, exportDir, { sizes: { sftStage1: Math.min(COMMON, 200_000) } });
  console.log(`  exported ${exported.rows.toLocaleString()} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await saveProfile(
    db,
    { name: "bench", trainerCommand: STAND_IN_COMMAND, env: slurm.env, workDir: join(out, "runs"), timeLimit: "30:00" },
    "bench",
  );

  started = performance.now();
  const submitted = await startChain(db, { versionId: version.id, exportDir, profileName: "bench", actor: "bench" });
  const submitSeconds = (performance.now() - started) / 1000;
  const pollTimes: number[] = [];
  let chain = submitted;
  while (chain.finishedAt === null) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const before = performance.now();
    chain = await pollChain(db, submitted.id);
    pollTimes.push(performance.now() - before);
  }
  const chainSeconds = (performance.now() - started) / 1000;
  if (chain.state !== "COMPLETED") throw new Error(`the chain ended ${chain.state}: ${chain.reason}`);

  const stages = chain.jobs.map((job, index) => {
    const result = JSON.parse(readFileSync(join(job.outputDir, "result.json"), "utf8")) as { rowsSeen: number; seconds: number };
    const previous = chain.jobs[index - 1];
    return {
      stage: job.stage,
      rows: result.rowsSeen,
      checkSeconds: result.seconds,
      rowsPerSecond: result.rowsSeen / result.seconds,
      slurmSeconds: job.durationSeconds ?? 0,
      gapSeconds: previous ? (Date.parse(job.startedAt!) - Date.parse(previous.endedAt!)) / 1000 : null,
    };
  });
  const sortedPolls = [...pollTimes].sort((a, b) => a - b);
  const pollMedianMs = sortedPolls[Math.floor(sortedPolls.length / 2)] ?? 0;
  console.log("");
  console.log(
    formatTable(
      ["stage", "rows", "check s", "rows/s", "Slurm s", "gap after previous s"],
      stages.map((s) => [
        s.stage,
        s.rows.toLocaleString(),
        s.checkSeconds.toFixed(2),
        Math.round(s.rowsPerSecond).toLocaleString(),
        String(s.slurmSeconds),
        s.gapSeconds === null ? "—" : s.gapSeconds.toFixed(0),
      ]),
    ),
  );
  console.log(
    `submit (6 × sbatch + rows): ${submitSeconds.toFixed(2)} s; chain wall ${chainSeconds.toFixed(1)} s; poll median ${pollMedianMs.toFixed(0)} ms over ${pollTimes.length} polls`,
  );
  if (stages.length !== CHAIN_STAGES.length) throw new Error("a stage is missing");
  await writeBenchResult("training", {
    machine: machineDescription(),
    common: COMMON,
    complex: COMPLEX,
    exportedRows: exported.rows,
    submitSeconds,
    chainSeconds,
    pollMedianMs,
    polls: pollTimes.length,
    stages,
  });
} finally {
  await generator.end().catch(() => undefined);
  await db?.close();
  await created.drop();
  await slurm.stop();
  rmSync(out, { recursive: true, force: true });
}
