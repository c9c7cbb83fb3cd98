import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

export interface MeasuredRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  wallSeconds: number;
  /** Largest VmHWM (kernel's resident high-water mark) seen for the process, in bytes. */
  peakRssBytes: number;
  /** Largest sum of VmRSS over the process and its descendants in one sample, in bytes. */
  peakTreeRssBytes: number;
  samples: number;
  /** Names of the descendant processes seen (tsx, for one, runs an esbuild service). */
  descendants: string[];
}

const SAMPLE_MS = 50;

function statusKilobytes(pid: number, field: string): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
    return match ? Number(match[1]) : null;
  } catch {
    // The process has exited between samples.
    return null;
  }
}

// A child started from any thread is listed under that thread, so every thread is read.
function childPids(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((thread) => {
      const listed = readFileSync(`/proc/${pid}/task/${thread}/children`, "utf8").trim();
      return listed === "" ? [] : listed.split(/\s+/).map(Number);
    });
  } catch {
    return [];
  }
}

function descendantsOf(pid: number): number[] {
  const found: number[] = [];
  const queue = childPids(pid);
  while (queue.length > 0) {
    const next = queue.pop()!;
    found.push(next);
    queue.push(...childPids(next));
  }
  return found;
}

function commandName(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return null;
  }
}

/**
 * Runs a command and samples its memory from /proc while it runs (Linux only). VmHWM only grows,
 * so the last sample before exit holds the peak up to SAMPLE_MS before the end; stdout and stderr
 * are kept for the caller to parse.
 */
export function runMeasured(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<MeasuredRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let peakKilobytes = 0;
    let peakTreeKilobytes = 0;
    let samples = 0;
    const descendants = new Map<number, string>();
    const sample = () => {
      if (child.pid === undefined) return;
      const hwm = statusKilobytes(child.pid, "VmHWM");
      if (hwm === null) return;
      samples++;
      peakKilobytes = Math.max(peakKilobytes, hwm);
      let tree = statusKilobytes(child.pid, "VmRSS") ?? 0;
      for (const pid of descendantsOf(child.pid)) {
        tree += statusKilobytes(pid, "VmRSS") ?? 0;
        if (!descendants.has(pid)) descendants.set(pid, commandName(pid) ?? "?");
      }
      peakTreeKilobytes = Math.max(peakTreeKilobytes, tree);
    };
    const timer = setInterval(sample, SAMPLE_MS);
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.once("exit", (code, signal) => {
      clearInterval(timer);
      resolve({
        code,
        signal,
        stdout,
        stderr,
        wallSeconds: (performance.now() - started) / 1000,
        peakRssBytes: peakKilobytes * 1024,
        peakTreeRssBytes: peakTreeKilobytes * 1024,
        samples,
        descendants: [...descendants.values()],
      });
    });
  });
}
