import type { ClusterJobStatus } from "./slurm-client";

// Parsers for the text Slurm's clients print; written here because no maintained JS library reads them.

/** Slurm prints local times without a zone ("2026-11-22T22:12:23"); "Unknown"/"None"/"N/A" mean none. */
export function slurmTime(text: string | undefined): Date | null {
  if (!text || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(text)) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "3:0" (exit code : signal) → 3; a signal without an exit code → 128 + signal, as a shell reports it. */
export function slurmExitCode(text: string | undefined): number | null {
  const match = /^(\d+):(\d+)$/.exec(text ?? "");
  if (!match) return null;
  const [code, signal] = [Number(match[1]), Number(match[2])];
  return code === 0 && signal > 0 ? 128 + signal : code;
}

/** "CANCELLED by 0" / "CANCELLED+" → CANCELLED. */
export function slurmState(text: string | undefined): string {
  return (text ?? "UNKNOWN").split(/[\s+]/)[0]!.toUpperCase() || "UNKNOWN";
}

function field(line: string, key: string): string | undefined {
  return new RegExp(`(?:^|\\s)${key}=(\\S*)`).exec(line)?.[1];
}

function nullable(text: string | undefined): string | null {
  return text === undefined || text === "" || text === "(null)" || text === "None" ? null : text;
}

/** `scontrol show job -o` prints one line per job as Key=Value pairs. */
export function parseScontrolJobs(output: string): ClusterJobStatus[] {
  return output
    .split("\n")
    .filter((line) => /^JobId=\d/.test(line.trim()))
    .map((line) => ({
      jobId: field(line, "JobId")!,
      state: slurmState(field(line, "JobState")),
      reason: nullable(field(line, "Reason")),
      exitCode: slurmExitCode(field(line, "ExitCode")),
      submittedAt: slurmTime(field(line, "SubmitTime")),
      startedAt: slurmTime(field(line, "StartTime")),
      endedAt: slurmTime(field(line, "EndTime")),
      dependency: nullable(field(line, "Dependency")),
    }));
}

/** `sacct -P -n -o JobID,State,ExitCode,Submit,Start,End` (with or without --completion: then Submit is absent). */
export function parseSacct(output: string, withSubmit: boolean): ClusterJobStatus[] {
  return output
    .split("\n")
    .map((line) => line.trim().split("|"))
    .filter((parts) => parts.length >= 5 && /^\d+$/.test(parts[0]!))
    .map((parts) => {
      const [jobId, state, exit, ...times] = parts;
      const [submit, start, end] = withSubmit ? times : [undefined, ...times];
      return {
        jobId: jobId!,
        state: slurmState(state),
        reason: null,
        exitCode: slurmExitCode(exit),
        submittedAt: slurmTime(submit),
        startedAt: slurmTime(start),
        endedAt: slurmTime(end),
        dependency: null,
      };
    });
}

/** `sbatch --parsable` prints "jobid" or "jobid;cluster". */
export function parseSbatchParsable(output: string): string | null {
  const match = /^(\d+)(;\S+)?$/.exec(output.trim().split("\n").pop() ?? "");
  return match ? match[1]! : null;
}
