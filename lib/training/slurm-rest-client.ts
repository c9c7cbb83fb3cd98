import { mkdir, open, readFile, stat } from "node:fs/promises";
import { z } from "zod";
import type { ClusterJobStatus, JobSubmission, SlurmClient } from "./slurm-client";
import { slurmState } from "./slurm-output";
import { ClusterError } from "./training-errors";

export interface RestTarget {
  url: string;
  /** The environment variable with the JWT (scontrol token …): read at call time, never stored. */
  tokenEnv: string;
  userName: string;
  apiVersion: string;
}

const SubmitResponse = z.object({
  job_id: z.number().optional(),
  errors: z.array(z.object({ error: z.string().optional(), description: z.string().optional() })).optional(),
});
const JobsResponse = z.object({
  jobs: z
    .array(
      z.object({
        job_id: z.number(),
        job_state: z.string().optional(),
        state_reason: z.string().optional(),
        exit_code: z.number().optional(),
        submit_time: z.number().optional(),
        start_time: z.number().optional(),
        end_time: z.number().optional(),
        dependency: z.string().optional(),
      }),
    )
    .default([]),
});

/** v0.0.38 reports the raw wait status (exit code << 8 | signal), as waitpid gives it. */
function waitStatusExitCode(status: number | undefined): number | null {
  if (status === undefined) return null;
  const signal = status & 0x7f;
  return signal !== 0 ? 128 + signal : status >> 8;
}

const epoch = (seconds: number | undefined) => (seconds && seconds > 0 ? new Date(seconds * 1000) : null);

/** "1-00:00:00" / "30:00" / "90" → minutes, as slurmrestd's time_limit wants. */
function minutes(limit: string): number {
  const [days, clock] = limit.includes("-") ? [Number(limit.split("-")[0]), limit.split("-")[1]!] : [0, limit];
  const parts = clock.split(":").map(Number);
  if (parts.length === 1) return days * 1440 + (limit.includes("-") ? parts[0]! * 60 : parts[0]!);
  const [h, m, s] = parts.length === 3 ? parts : [0, parts[0]!, parts[1]!];
  return days * 1440 + h! * 60 + m! + Math.ceil(s! / 60);
}

/**
 * Slurm's REST daemon (OpenAPI v0.0.38, Slurm 22.05) with JWT headers. It ignores #SBATCH lines,
 * so the options travel as job fields too. Logs are read from the studio's own file system: this
 * transport assumes the cluster's work directory is shared with the studio.
 */
export function slurmRestClient(target: RestTarget): SlurmClient {
  const base = `${target.url.replace(/\/+$/, "")}/slurm/${target.apiVersion}`;
  const headers = (): Record<string, string> => {
    const token = process.env[target.tokenEnv];
    if (!token)
      throw new ClusterError(
        `slurmrestd needs a token in $${target.tokenEnv} (scontrol token username=${target.userName}), which this process lacks`,
      );
    return { "X-SLURM-USER-NAME": target.userName, "X-SLURM-USER-TOKEN": token, "Content-Type": "application/json" };
  };
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: headers(),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }).catch((error: Error) => {
      throw new ClusterError(`slurmrestd at ${target.url} unreachable: ${error.message}`);
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    if (!response.ok && response.status !== 404)
      throw new ClusterError(`slurmrestd ${method} ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
    return parsed;
  };
  return {
    transport: "slurmrestd",
    async makeDirectory(path) {
      await mkdir(path, { recursive: true });
    },
    async submit(job: JobSubmission) {
      const raw = await call("POST", "/job/submit", {
        script: job.script,
        job: {
          name: job.name,
          current_working_directory: job.workDir,
          standard_output: job.stdoutPath,
          standard_error: job.stderrPath,
          environment: { PATH: "/usr/local/bin:/usr/bin:/bin", ...job.env },
          nodes: 1,
          tasks: 1,
          cpus_per_task: job.cpusPerTask,
          time_limit: minutes(job.timeLimit),
          ...(job.partition ? { partition: job.partition } : {}),
          ...(job.account ? { account: job.account } : {}),
          ...(job.gpus > 0 ? { tres_per_node: `gres:gpu:${job.gpus}` } : {}),
          ...(job.afterJobId ? { dependency: `afterok:${job.afterJobId}`, kill_on_invalid_dependency: true } : {}),
        },
      });
      const parsed = SubmitResponse.safeParse(raw);
      const errors = parsed.success ? (parsed.data.errors ?? []).map((e) => e.description || e.error).filter(Boolean) : [];
      if (!parsed.success || parsed.data.job_id === undefined || errors.length > 0)
        throw new ClusterError(`slurmrestd refused the job: ${errors.join("; ") || JSON.stringify(raw).slice(0, 300)}`);
      return String(parsed.data.job_id);
    },
    async status(jobIds) {
      const found = new Map<string, ClusterJobStatus>();
      for (const id of jobIds) {
        const parsed = JobsResponse.safeParse(await call("GET", `/job/${id}`));
        for (const job of parsed.success ? parsed.data.jobs : []) {
          found.set(String(job.job_id), {
            jobId: String(job.job_id),
            state: slurmState(job.job_state),
            reason: job.state_reason && job.state_reason !== "None" ? job.state_reason : null,
            exitCode: waitStatusExitCode(job.exit_code),
            submittedAt: epoch(job.submit_time),
            startedAt: epoch(job.start_time),
            endedAt: epoch(job.end_time),
            dependency: job.dependency || null,
          });
        }
      }
      return found;
    },
    async cancel(jobIds) {
      for (const id of jobIds) await call("DELETE", `/job/${id}`);
    },
    async tail(path, maxBytes) {
      const info = await stat(path).catch(() => null);
      if (!info?.isFile()) return null;
      if (info.size <= maxBytes) return readFile(path, "utf8");
      const handle = await open(path, "r");
      try {
        const buffer = Buffer.alloc(maxBytes);
        await handle.read(buffer, 0, maxBytes, info.size - maxBytes);
        return buffer.toString("utf8");
      } finally {
        await handle.close();
      }
    },
  };
}
