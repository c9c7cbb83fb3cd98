import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { connectDatabase } from "../lib/db/database";
import { startSynthesisWorker } from "../workers/synthesis-worker";

/**
 * The studio's own synthesis worker, either as `finemed worker` child processes (what a deployment
 * runs, one process per core at most) or inside the bench process (no IPC, but it shares the bench's heap).
 */

export type WorkerPlacement = { kind: "cli"; processes: number; concurrency: number } | { kind: "in-process"; concurrency: number };

export interface RunningWorkers {
  /** The processes whose CPU and RSS are the worker's. */
  pids(): number[];
  stop(): Promise<void>;
}

const FINEMED_BIN = fileURLToPath(new URL("../bin/finemed.js", import.meta.url));
const READY_TIMEOUT_MS = 60_000;

export function describePlacement(placement: WorkerPlacement): string {
  return placement.kind === "cli"
    ? `${placement.processes} × \`finemed worker --concurrency ${placement.concurrency}\``
    : `startSynthesisWorker in the bench process, concurrency ${placement.concurrency}`;
}

export async function startWorkers(databaseUrl: string, placement: WorkerPlacement): Promise<RunningWorkers> {
  if (placement.kind === "in-process") {
    const db = await connectDatabase({ url: databaseUrl, migrate: false });
    const worker = await startSynthesisWorker(db, { concurrency: placement.concurrency });
    return {
      pids: () => [process.pid],
      async stop() {
        await worker.stop();
        await db.close();
      },
    };
  }
  const children = await Promise.all(Array.from({ length: placement.processes }, () => startCliWorker(databaseUrl, placement.concurrency)));
  return {
    pids: () => children.map((child) => child.pid!),
    async stop() {
      await Promise.all(children.map(stopChild));
    },
  };
}

function startCliWorker(databaseUrl: string, concurrency: number): Promise<ChildProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl };
  delete env.FINEMED_HOME;
  const child = spawn(process.execPath, [...cpuProfileArgs(), FINEMED_BIN, "worker", "--quiet", "--concurrency", String(concurrency)], {
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("finemed worker did not report ready")), READY_TIMEOUT_MS);
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("ready")) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`finemed worker exited with ${code} before it was ready: ${output}`));
    });
  });
}

// BENCH_ORCHESTRATION_CPU_PROF=DIR writes a V8 CPU profile of each worker child there on exit
// (node refuses --cpu-prof in NODE_OPTIONS, so it goes on the command line).
function cpuProfileArgs(): string[] {
  const dir = process.env.BENCH_ORCHESTRATION_CPU_PROF;
  return dir ? ["--cpu-prof", `--cpu-prof-dir=${dir}`] : [];
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.removeAllListeners("exit");
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}
