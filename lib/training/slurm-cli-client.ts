import type { CommandTransport } from "./command-transport";
import type { ClusterJobStatus, JobSubmission, SlurmClient } from "./slurm-client";
import { parseSacct, parseSbatchParsable, parseScontrolJobs } from "./slurm-output";
import { ClusterError } from "./training-errors";

// One shell per status poll, so over ssh a poll is one connection however many stages the chain has.
const SCONTROL_EACH = 'for j in "$@"; do scontrol show job -o "$j" 2>/dev/null || true; done';

function failure(what: string, result: { code: number; stderr: string; stdout: string }): ClusterError {
  const said = (result.stderr.trim() || result.stdout.trim()).split("\n").slice(-3).join(" | ");
  return new ClusterError(`${what} failed (exit ${result.code})${said ? `: ${said}` : ""}`);
}

/** Slurm through its command-line clients: sbatch, scontrol, sacct, scancel, tail. */
export function slurmCliClient(transport: CommandTransport): SlurmClient {
  return {
    transport: transport.kind,
    async makeDirectory(path) {
      const result = await transport.run(["mkdir", "-p", path]);
      if (result.code !== 0) throw failure(`mkdir ${path}`, result);
    },
    async submit(job: JobSubmission) {
      // Every option is in the script's #SBATCH lines, so the stored script is exactly what ran.
      const result = await transport.run(["sbatch", "--parsable"], job.script);
      const jobId = result.code === 0 ? parseSbatchParsable(result.stdout) : null;
      if (jobId === null) throw failure("sbatch", result);
      return jobId;
    },
    async status(jobIds) {
      const found = new Map<string, ClusterJobStatus>();
      if (jobIds.length === 0) return found;
      const shown = await transport.run(["sh", "-c", SCONTROL_EACH, "sh", ...jobIds]);
      for (const job of parseScontrolJobs(shown.stdout)) found.set(job.jobId, job);
      const forgotten = jobIds.filter((id) => !found.has(id));
      if (forgotten.length > 0) {
        // Jobs older than MinJobAge leave slurmctld's memory: the job-completion log (no slurmdbd
        // needed) or, where accounting runs, sacct proper still knows how they ended.
        const completion = await transport.run([
          "sacct",
          "--completion",
          "-P",
          "-n",
          "-j",
          forgotten.join(","),
          "-o",
          "JobID,State,ExitCode,Start,End",
        ]);
        for (const job of completion.code === 0 ? parseSacct(completion.stdout, false) : []) found.set(job.jobId, job);
        const still = forgotten.filter((id) => !found.has(id));
        if (still.length > 0) {
          const accounting = await transport.run([
            "sacct",
            "-X",
            "-P",
            "-n",
            "-j",
            still.join(","),
            "-o",
            "JobID,State,ExitCode,Submit,Start,End",
          ]);
          for (const job of accounting.code === 0 ? parseSacct(accounting.stdout, true) : []) found.set(job.jobId, job);
        }
      }
      return found;
    },
    async cancel(jobIds) {
      if (jobIds.length === 0) return;
      const result = await transport.run(["scancel", ...jobIds]);
      // A job that ended meanwhile is not a failure to cancel.
      if (result.code !== 0 && !/already completing or completed|Invalid job id/i.test(result.stderr)) throw failure("scancel", result);
    },
    async tail(path, maxBytes) {
      const result = await transport.run(["sh", "-c", 'test -f "$1" || exit 3; tail -c "$2" "$1"', "sh", path, String(maxBytes)]);
      if (result.code === 3) return null;
      if (result.code !== 0) throw failure(`reading ${path}`, result);
      return result.stdout;
    },
  };
}
