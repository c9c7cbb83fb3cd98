import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startSimulator, type SimulatorStats } from "../lib/simulator/index";

/**
 * The simulator in a child process of its own, so its CPU is counted apart from the worker's and the
 * two get a core each as they would against a real server. The parent asks for stats over IPC.
 */

export interface SimulatorSnapshot {
  stats: SimulatorStats;
  /** User + system CPU of the simulator process so far, µs. */
  cpuMicros: number;
  /** Time-weighted mean of requests in flight since the last reset (sampled every SAMPLE_MS). */
  meanInFlight: number;
}

export interface SimulatorProcess {
  url: string;
  pid: number;
  snapshot(): Promise<SimulatorSnapshot>;
  /** Starts a new window for the in-flight mean. */
  resetInFlight(): Promise<void>;
  stop(): Promise<void>;
}

type Request = "snapshot" | "reset";

const SAMPLE_MS = 20;
const ENTRY = fileURLToPath(import.meta.url);

export async function startSimulatorProcess(options: { latencyMs: number; seed: string; sampleInFlight: boolean }): Promise<SimulatorProcess> {
  const child: ChildProcess = fork(ENTRY, ["--serve", JSON.stringify(options)], { execArgv: ["--import", "tsx"], stdio: "inherit" });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the simulator exited with ${code} before listening`)));
    child.once("message", (message) => resolve((message as { url: string }).url));
  });
  child.removeAllListeners("exit");
  const ask = <T>(request: Request): Promise<T> =>
    new Promise((resolve) => {
      child.once("message", (message) => resolve(message as T));
      child.send(request);
    });
  return {
    url,
    pid: child.pid!,
    snapshot: () => ask<SimulatorSnapshot>("snapshot"),
    resetInFlight: async () => {
      await ask<"ok">("reset");
    },
    stop: async () => {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.disconnect();
      await exited;
    },
  };
}

async function serve(options: { latencyMs: number; seed: string; sampleInFlight: boolean }): Promise<void> {
  const simulator = await startSimulator({ latencyMs: options.latencyMs, seed: options.seed });
  // Sampling costs a stats clone per tick, so it only runs where the in-flight mean is wanted.
  let inFlightSum = 0;
  let samples = 0;
  const sampler = options.sampleInFlight
    ? setInterval(() => {
        inFlightSum += simulator.stats().inFlight;
        samples++;
      }, SAMPLE_MS)
    : null;
  process.on("message", (request: Request) => {
    if (request === "reset") {
      inFlightSum = 0;
      samples = 0;
      process.send?.("ok");
      return;
    }
    const cpu = process.cpuUsage();
    const snapshot: SimulatorSnapshot = { stats: simulator.stats(), cpuMicros: cpu.user + cpu.system, meanInFlight: samples === 0 ? 0 : inFlightSum / samples };
    process.send?.(snapshot);
  });
  process.once("disconnect", () => {
    if (sampler) clearInterval(sampler);
    void simulator.close().then(() => process.exit(0));
  });
  process.send?.({ url: simulator.url });
}

if (process.argv[2] === "--serve") await serve(JSON.parse(process.argv[3] ?? "{}") as { latencyMs: number; seed: string; sampleInFlight: boolean });
