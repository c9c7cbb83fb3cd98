import { join } from "node:path";
import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { finemedHome } from "../db/settings";
import { recordedShortSplits } from "../export/recorded-short-splits";
import { CHAIN_STAGES } from "./chain-stages";
import { clusterClient } from "./cluster-client";
import type { ClusterProfile } from "./cluster-profile";
import type { TrainingChainView } from "./chain-view";
import { approvedVersion, readTrainingExport } from "./export-for-training";
import { getProfile } from "./profile-store";
import { getChain } from "./read-chains";
import { renderStageScript, stageProblem, type StageJobContext } from "./sbatch-template";
import type { SlurmClient } from "./slurm-client";
import { preflight } from "./preflight";
import { requireShortSplitAnswer } from "./training-short-splits";
import { ClusterError, ClusterUnavailable, TrainingInputError } from "./training-errors";

export interface StartChainInput {
  versionId: string;
  /** An export of that version (its manifest is checked against the version). */
  exportDir: string;
  profileName?: string;
  actor: string;
  /** The starter has seen the export's empty or short splits and trains anyway; without it such a chain is refused. */
  acknowledgeShortSplits?: boolean;
  /** For tests and callers that already hold a client; default: the profile's. */
  client?: SlurmClient;
}

/** The profile's work directory on the cluster: the chain's logs go straight in it, stage outputs under CHAIN_ID/. */
export function profileWorkDir(profile: ClusterProfile): string {
  return profile.workDir ?? join(finemedHome(), "training");
}

/** Where a chain's stage outputs go on the cluster (each job creates its own folder). */
export function chainWorkDir(profile: ClusterProfile, chainId: string): string {
  return join(profileWorkDir(profile), chainId);
}

/**
 * Submits the chain SFT 1 → SFT 2 → SFT 3 → o1 SFT → DPO → TTT evaluation for an approved version:
 * each stage with --dependency=afterok on the previous one and --kill-on-invalid-dep=yes, so a failed
 * stage makes Slurm cancel every later one. Rows are written before sbatch runs, so a crash midway
 * leaves a record; a submission failure cancels what was submitted and fails the chain with why.
 * An export with empty or short splits is refused unless `acknowledgeShortSplits`.
 */
export async function startChain(db: Database, input: StartChainInput): Promise<TrainingChainView> {
  const version = await approvedVersion(db, input.versionId);
  const exported = await readTrainingExport(version, input.exportDir);
  // Refused before any row is written: a chain on an empty split fails hours in, a short one trains little.
  requireShortSplitAnswer(recordedShortSplits(exported.manifest, version.counts).splits, input.acknowledgeShortSplits ?? false, "chain");
  const profile = await getProfile(db, input.profileName);
  const problem = CHAIN_STAGES.map((stage) => stageProblem(profile, stage)).find((why) => why !== null);
  if (problem) throw new TrainingInputError(problem);
  // (A Kubernetes profile is refused by clusterClient below: its chain is applied as manifests, not submitted.)
  if (!input.client && profile.kind === "slurm") {
    // Refused before anything is recorded: a studio without sbatch (or ssh, slurmrestd) says so plainly.
    const ready = await preflight(profile);
    if (!ready.ok) throw new ClusterUnavailable(`profile ${profile.name}: ${ready.reason}`);
  }
  const client = input.client ?? clusterClient(profile);

  const [inserted] = await queryRows(
    db.pool,
    z.object({ id: z.string() }),
    `INSERT INTO training_chains (version_id, export_dir, manifest_sha256, profile_name, profile, submitted_by, state) VALUES ($1, $2, $3, $4, $5, $6, 'SUBMITTING') RETURNING id`,
    [version.id, exported.dir, exported.manifestSha256, profile.name, JSON.stringify(profile), input.actor],
  );
  const chainId = inserted!.id;
  const workDir = chainWorkDir(profile, chainId);
  const contexts: StageJobContext[] = CHAIN_STAGES.map((stage, index) => ({
    chainId,
    versionId: version.id,
    stage,
    exportDir: exported.dir,
    outputDir: join(workDir, stage.key),
    previousOutputDir: index === 0 ? null : join(workDir, CHAIN_STAGES[index - 1]!.key),
    // Logs sit in the work directory itself: Slurm opens them before the job runs and creates no
    // folders, and under slurmrestd the job's user (not the studio's) must be able to write them.
    stdoutPath: join(profileWorkDir(profile), `${chainId}.${stage.key}.out`),
    stderrPath: join(profileWorkDir(profile), `${chainId}.${stage.key}.err`),
    afterJobId: null,
    node: process.execPath,
    studioDir: process.cwd(),
  }));
  for (const context of contexts) {
    await db.pool.query(
      `INSERT INTO training_jobs (chain_id, stage, stage_order, title, state, stdout_path, stderr_path, output_dir, script) VALUES ($1, $2, $3, $4, 'UNSUBMITTED', $5, $6, $7, '')`,
      [chainId, context.stage.key, context.stage.order, context.stage.title, context.stdoutPath, context.stderrPath, context.outputDir],
    );
  }

  const submitted: string[] = [];
  try {
    await client.makeDirectory(profileWorkDir(profile));
    let previous: string | null = null;
    for (const base of contexts) {
      const context = { ...base, afterJobId: previous };
      const script = renderStageScript(profile, context);
      const jobId = await client.submit({
        script,
        name: `finemed-${context.stage.key}`,
        workDir: context.exportDir,
        stdoutPath: context.stdoutPath,
        stderrPath: context.stderrPath,
        afterJobId: previous,
        partition: profile.partition,
        account: profile.account,
        gpus: profile.gpus,
        cpusPerTask: profile.cpusPerTask,
        timeLimit: profile.timeLimit,
        env: profile.env,
      });
      submitted.push(jobId);
      await db.pool.query(
        `UPDATE training_jobs SET cluster_job_id = $3, state = 'PENDING', dependency = $4, submitted_at = now(), script = $5, updated_at = now() WHERE chain_id = $1 AND stage_order = $2`,
        [chainId, context.stage.order, jobId, previous ? `afterok:${previous}` : null, script],
      );
      previous = jobId;
    }
  } catch (error) {
    const why = `submission failed at stage ${submitted.length + 1} (${CHAIN_STAGES[submitted.length]?.key}): ${(error as Error).message}`;
    await client.cancel(submitted).catch(() => undefined);
    await db.pool.query(
      `UPDATE training_jobs SET state = 'CANCELLED', reason = 'chain submission failed', updated_at = now() WHERE chain_id = $1`,
      [chainId],
    );
    await db.pool.query(`UPDATE training_chains SET state = 'FAILED', reason = $2, finished_at = now() WHERE id = $1`, [chainId, why]);
    throw new ClusterError(`training chain ${chainId}: ${why}`);
  }
  await db.pool.query(`UPDATE training_chains SET state = 'ACTIVE' WHERE id = $1 AND state = 'SUBMITTING'`, [chainId]);
  return getChain(db, chainId);
}
