import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startSimulator, type SimulatorStats } from "../lib/simulator/index";
import { startCapacityFront, type CapacityFront } from "./orchestration-capacity";

/**
 * The simulator in a child process of its own, so its CPU is counted apart from the worker's and the
 * two get a core each as they would against a real server. The parent asks for stats over IPC.
 */

export interface SimulatorSettings {
  latencyMs: number;
  seed: string;
  /**
   * Requests the server works on at once, like vLLM's --max-num-seqs: more wait in its queue. The
   * simulator itself has no limit, so a front in the same process holds the rest back.
   */
  capacity?: number;
  /** Samples in-flight and served counts for a timeline; costs a stats copy per tick. */
  sample: boolean;
}

export interface TimelinePoint {
  ms: number;
  /** Responses sent since the last reset. */
  served: number;
}

export interface SimulatorSnapshot {
  stats: SimulatorStats;
  /** User + system CPU of the simulator process so far, µs. */
  cpuMicros: number;
  /** Time-weighted mean of requests in the simulator since the last reset. */
  meanInFlight: number;
  /** Most requests received by the front at once (in the simulator plus waiting), when there is one. */
  maxOutstanding: number | null;
  timeline: TimelinePoint[];
}

export interface SimulatorProcess {
  url: string;
  pid: number;
  snapshot(): Promise<SimulatorSnapshot>;
  /** Starts a new window for the in-flight mean and the timeline. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

type Request = "snapshot" | "reset";

const SAMPLE_MS = 20;
const TIMELINE_EVERY_SAMPLES = 25;
const ENTRY = fileURLToPath(import.meta.url);

export async function startSimulatorProcess(settings: SimulatorSettings): Promise<SimulatorProcess> {
  const child: ChildProcess = fork(ENTRY, ["--serve", JSON.stringify(settings)], { execArgv: ["--import", "tsx"], stdio: "inherit" });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the simulator exited with ${code} before listening`)));
    child.once("message", (message) => resolve((message as { url: string }).url));
  });
  child.removeAllListeners("exit");
  // One question at a time: the bench never asks concurrently, so answers arrive in order.
  const ask = <T>(request: Request): Promise<T> =>
    new Promise((resolve) => {
      child.once("message", (message) => resolve(message as T));
      child.send(request);
    });
  return {
    url,
    pid: child.pid!,
    snapshot: () => ask<SimulatorSnapshot>("snapshot"),
    reset: async () => {
      await ask<"ok">("reset");
    },
    stop: async () => {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.disconnect();
      await exited;
    },
  };
}

const servedCount = (stats: SimulatorStats) => Object.values(stats.byStatus).reduce((sum, count) => sum + count, 0);

async function serve(settings: SimulatorSettings): Promise<void> {
  const simulator = await startSimulator({ latencyMs: settings.latencyMs, seed: settings.seed });
  const front: CapacityFront | null = settings.capacity === undefined ? null : await startCapacityFront(simulator.url, settings.capacity);
  let inFlightSum = 0;
  let samples = 0;
  let windowStarted = performance.now();
  let servedAtReset = 0;
  let timeline: TimelinePoint[] = [];
  const sampler = settings.sample
    ? setInterval(() => {
        const stats = simulator.stats();
        inFlightSum += stats.inFlight;
        if (samples++ % TIMELINE_EVERY_SAMPLES === 0)
          timeline.push({ ms: performance.now() - windowStarted, served: servedCount(stats) - servedAtReset });
      }, SAMPLE_MS)
    : null;
  process.on("message", (request: Request) => {
    if (request === "reset") {
      inFlightSum = 0;
      samples = 0;
      windowStarted = performance.now();
      servedAtReset = servedCount(simulator.stats());
      timeline = [];
      front?.resetMaxOutstanding();
      process.send?.("ok");
      return;
    }
    const cpu = process.cpuUsage();
    const stats = simulator.stats();
    const snapshot: SimulatorSnapshot = {
      stats,
      cpuMicros: cpu.user + cpu.system,
      meanInFlight: samples === 0 ? 0 : inFlightSum / samples,
      maxOutstanding: front?.maxOutstanding() ?? null,
      timeline: [...timeline, { ms: performance.now() - windowStarted, served: servedCount(stats) - servedAtReset }],
    };
    process.send?.(snapshot);
  });
  process.once("disconnect", () => {
    if (sampler) clearInterval(sampler);
    void Promise.all([front?.close(), simulator.close()]).then(() => process.exit(0));
  });
  process.send?.({ url: front?.url ?? simulator.url });
}

if (process.argv[2] === "--serve") await serve(JSON.parse(process.argv[3] ?? "{}") as SimulatorSettings);
