import { z } from "zod";
import { isStandInScript } from "./stand-in-label";
import type { EvaluationView } from "./evaluation-results";

/** A stage's job as the studio shows it. */
export interface TrainingJobView {
  id: string;
  stage: string;
  stageOrder: number;
  title: string;
  clusterJobId: string | null;
  state: string;
  dependency: string | null;
  submittedAt: string | null;
  startedAt: string | null;
  endedAt: string | null;
  /** Seconds from start to end (or to now while running). */
  durationSeconds: number | null;
  exitCode: number | null;
  reason: string | null;
  stdoutPath: string;
  stderrPath: string;
  outputDir: string;
  script: string;
  /** The job runs the stand-in: a file check, no training (its COMPLETED says nothing about a model). */
  standIn: boolean;
}

export const CHAIN_STATES = ["SUBMITTING", "ACTIVE", "COMPLETED", "FAILED", "CANCELLING", "CANCELLED"] as const;
export type ChainState = (typeof CHAIN_STATES)[number];

export interface TrainingChainView {
  id: string;
  versionId: string;
  /** The version trained and its approval (the approver and when), from the dataset tables. */
  version: { name: string | null; state: string | null; approvedBy: string | null; approvedAt: string | null };
  exportDir: string;
  manifestSha256: string;
  profileName: string;
  submittedBy: string;
  state: ChainState;
  reason: string | null;
  createdAt: string;
  finishedAt: string | null;
  jobs: TrainingJobView[];
  /** What the evaluation stages reported: "o1 + TTT" (6_ttt_eval) and "o1" (7_baseline_eval). */
  evaluations: EvaluationView[];
}

const optionalText = z.string().nullable();
const optionalTime = z.date().nullable();

/** A chain as CHAIN_SELECT reads it: the chain's columns and its version's name and approval (null once the version is gone). */
export const chainRow = z.object({
  id: z.string(),
  version_id: z.string(),
  export_dir: z.string(),
  manifest_sha256: z.string(),
  profile_name: z.string(),
  /** Passed through to clusterProfileSchema by whoever reads it. */
  profile: z.unknown(),
  submitted_by: z.string(),
  state: z.enum(CHAIN_STATES),
  reason: optionalText,
  created_at: z.date(),
  finished_at: optionalTime,
  version_name: optionalText,
  version_state: optionalText,
  decided_by: optionalText,
  decided_at: optionalTime,
});
export type ChainRow = z.output<typeof chainRow>;

/** A training_jobs row (`SELECT *`; updated_at is not read). */
export const jobRow = z.object({
  id: z.string(),
  chain_id: z.string(),
  stage: z.string(),
  stage_order: z.number().int(),
  title: z.string(),
  cluster_job_id: optionalText,
  state: z.string(),
  dependency: optionalText,
  submitted_at: optionalTime,
  started_at: optionalTime,
  ended_at: optionalTime,
  exit_code: z.number().int().nullable(),
  reason: optionalText,
  stdout_path: z.string(),
  stderr_path: z.string(),
  output_dir: z.string(),
  script: z.string(),
});
export type JobRow = z.output<typeof jobRow>;

export const CHAIN_SELECT = `SELECT c.*, v.name AS version_name, v.state::text AS version_state, v.decided_by, v.decided_at
  FROM training_chains c LEFT JOIN dataset_versions v ON v.id = c.version_id`;

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toJobView(row: JobRow, now = new Date()): TrainingJobView {
  const end = row.ended_at ?? (row.started_at && row.state === "RUNNING" ? now : null);
  return {
    id: row.id,
    stage: row.stage,
    stageOrder: row.stage_order,
    title: row.title,
    clusterJobId: row.cluster_job_id,
    state: row.state,
    dependency: row.dependency,
    submittedAt: iso(row.submitted_at),
    startedAt: iso(row.started_at),
    endedAt: iso(row.ended_at),
    durationSeconds: row.started_at && end ? Math.max(0, Math.round((end.getTime() - row.started_at.getTime()) / 1000)) : null,
    exitCode: row.exit_code,
    reason: row.reason,
    stdoutPath: row.stdout_path,
    stderrPath: row.stderr_path,
    outputDir: row.output_dir,
    script: row.script,
    standIn: isStandInScript(row.script),
  };
}

export function toChainView(row: ChainRow, jobs: JobRow[], evaluations: EvaluationView[] = []): TrainingChainView {
  const approved = row.version_state === "approved";
  return {
    id: row.id,
    versionId: row.version_id,
    version: {
      name: row.version_name,
      state: row.version_state,
      approvedBy: approved ? row.decided_by : null,
      approvedAt: approved ? iso(row.decided_at) : null,
    },
    exportDir: row.export_dir,
    manifestSha256: row.manifest_sha256,
    profileName: row.profile_name,
    submittedBy: row.submitted_by,
    state: row.state,
    reason: row.reason,
    createdAt: row.created_at.toISOString(),
    finishedAt: iso(row.finished_at),
    jobs: jobs
      .filter((job) => job.chain_id === row.id)
      .sort((a, b) => a.stage_order - b.stage_order)
      .map((job) => toJobView(job)),
    evaluations,
  };
}
