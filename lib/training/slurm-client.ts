/** Job states as Slurm names them; the chain treats every state but PENDING/RUNNING/… as final. */
export const ACTIVE_JOB_STATES = [
  "UNSUBMITTED",
  "PENDING",
  "CONFIGURING",
  "RUNNING",
  "COMPLETING",
  "SUSPENDED",
  "REQUEUED",
  "RESIZING",
  "SIGNALING",
  "STAGE_OUT",
] as const;
export const FAILED_JOB_STATES = [
  "FAILED",
  "TIMEOUT",
  "OUT_OF_MEMORY",
  "NODE_FAIL",
  "BOOT_FAIL",
  "DEADLINE",
  "PREEMPTED",
  "SPECIAL_EXIT",
  "REVOKED",
] as const;

export function isActiveJobState(state: string): boolean {
  return (ACTIVE_JOB_STATES as readonly string[]).includes(state);
}

export function isFailedJobState(state: string): boolean {
  return (FAILED_JOB_STATES as readonly string[]).includes(state);
}

/** What the cluster says about one job. */
export interface ClusterJobStatus {
  jobId: string;
  state: string;
  reason: string | null;
  exitCode: number | null;
  submittedAt: Date | null;
  startedAt: Date | null;
  endedAt: Date | null;
  dependency: string | null;
}

/** A job to submit: the rendered script plus the options it carries (slurmrestd needs them as fields). */
export interface JobSubmission {
  script: string;
  name: string;
  workDir: string;
  stdoutPath: string;
  stderrPath: string;
  afterJobId: string | null;
  partition: string | null;
  account: string | null;
  gpus: number;
  cpusPerTask: number;
  timeLimit: string;
  env: Record<string, string>;
}

/**
 * One cluster, reached through one of three transports (sbatch on this machine, the same commands
 * over ssh, or slurmrestd): the only thing the chain code talks to.
 */
export interface SlurmClient {
  readonly transport: "local" | "ssh" | "slurmrestd";
  /** Creates a directory on the cluster (Slurm opens --output files but never creates their folders). */
  makeDirectory(path: string): Promise<void>;
  submit(job: JobSubmission): Promise<string>;
  /** Known jobs only: a job the cluster has forgotten is absent from the map. */
  status(jobIds: readonly string[]): Promise<Map<string, ClusterJobStatus>>;
  cancel(jobIds: readonly string[]): Promise<void>;
  /** The last `maxBytes` of a file on the cluster (job logs), or null when it does not exist (yet). */
  tail(path: string, maxBytes: number): Promise<string | null>;
}
