import { connectDatabase, type Database } from "../lib/db/database";
import { DEFAULT_SIM_MODEL } from "../lib/simulator/index";
import { benchAdminUrl, createBenchDatabase, describeServer } from "./bench-database";
import { formatTable, machineDescription, writeBenchResult } from "./bench-result";
import { importBenchCorpus } from "./orchestration-corpus";
import { runHttpLoop, type HttpLoopFigures } from "./orchestration-http-loop";
import { runPhase, type RunPhaseFigures } from "./orchestration-run";
import { startSimulatorProcess } from "./orchestration-simulator";
import type { WorkerPlacement } from "./orchestration-workers";

// Issue 3 ("Synthesis orchestration"): against a zero-latency simulator a run must sustain >= 2,000
// backend requests/s end to end with every database write, in flat memory; against a 1 s simulator
// with 512 requests in flight it must reach >= 95% of the ideal 512 requests/s.

const env = (name: string, fallback: number) => Number(process.env[`BENCH_ORCHESTRATION_${name}`] ?? fallback);

// A text makes about 4 backend requests here (identical judgement prompts across texts are answered
// from the call store), so 28,000 texts give the >= 100,000 the issue asks for.
const TEXTS = env("TEXTS", 28_000);
const SEED = 20_261_203;
const GOAL_REQUESTS_PER_SECOND = 2_000;
const GOAL_MEMORY_GROWTH_PERCENT = 10;

// Tuned on the 2-core bench machine (see RESULTS.md): one worker process with 4 batches of 250 at
// once; bigger batches only add worker CPU (GC over a larger live set) and memory, a second worker
// process competes with the simulator and PostgreSQL for the same two cores, and 32 in flight per
// role starves the pipeline while 512 gains nothing over 128.
const THROUGHPUT_BATCH_SIZE = env("BATCH_SIZE", 250);
const THROUGHPUT_IN_FLIGHT = env("IN_FLIGHT", 128);
const THROUGHPUT_WORKER = workerPlacement(process.env.BENCH_ORCHESTRATION_WORKER ?? "cli:1:4");

const LATENCY_MS = 1_000;
// The server works on 512 requests at once (see orchestration-capacity.ts), so 512 requests/s is the
// ideal; each role may have 512 in flight, so the client never is what holds the server back.
const LATENCY_CAPACITY = 512;
const LATENCY_IN_FLIGHT = 512;
const GOAL_LATENCY_EFFICIENCY = 0.95;
// ~5,600 texts make ~30,000 requests: about a minute at 512 requests/s.
const LATENCY_TEXTS = env("LATENCY_TEXTS", 5_600);
const LATENCY_BATCH_SIZE = env("LATENCY_BATCH_SIZE", 600);
const LATENCY_WORKER = workerPlacement(process.env.BENCH_ORCHESTRATION_LATENCY_WORKER ?? "cli:1:4");

const PHASES = new Set((process.env.BENCH_ORCHESTRATION_PHASES ?? "throughput,loop,latency").split(","));
const RUN_TIMEOUT_MS = 240_000;

/** "cli:PROCESSES:CONCURRENCY" or "in-process:CONCURRENCY". */
function workerPlacement(spec: string): WorkerPlacement {
  const [kind, first, second] = spec.split(":");
  if (kind === "in-process") return { kind: "in-process", concurrency: Number(first ?? 4) };
  if (kind === "cli") return { kind: "cli", processes: Number(first ?? 1), concurrency: Number(second ?? 4) };
  throw new Error(`BENCH_ORCHESTRATION_WORKER: expected cli:P:C or in-process:C, got ${spec}`);
}

function log(message: string): void {
  process.stdout.write(`[orchestration] ${message}\n`);
}

function describeRun(figures: RunPhaseFigures): string {
  const cpu = figures.cpuSeconds;
  return [
    `${figures.label}: ${figures.texts} texts, ${figures.backendRequests} requests in ${figures.seconds.toFixed(1)} s`,
    `= ${figures.backendRequestsPerSecond} req/s, ${figures.textsPerSecond} texts/s; max in flight ${figures.simulatorMaxInFlight}`,
    `CPU s: worker ${cpu.worker.toFixed(1)}, simulator ${cpu.simulator.toFixed(1)}, postgres ${cpu.postgres.toFixed(1)}, machine busy ${cpu.machineBusy.toFixed(1)} of ${cpu.machineTotal.toFixed(1)};`,
    `worker RSS ${figures.workerRss.firstThirdMB} -> ${figures.workerRss.lastThirdMB} MB (peak ${figures.workerRss.peakMB})`,
  ].join(" ");
}

async function throughputPhase(db: Database, url: string): Promise<{ run?: RunPhaseFigures; loop?: HttpLoopFigures }> {
  const simulator = await startSimulatorProcess({ latencyMs: 0, seed: "bench-throughput", sample: false });
  try {
    const result: { run?: RunPhaseFigures; loop?: HttpLoopFigures } = {};
    if (PHASES.has("throughput")) {
      result.run = await runPhase(db, simulator, {
        label: "zero latency, end to end",
        databaseUrl: url,
        corpus: "bench-orchestration",
        batchSize: THROUGHPUT_BATCH_SIZE,
        maxInFlight: THROUGHPUT_IN_FLIGHT,
        placement: THROUGHPUT_WORKER,
        model: DEFAULT_SIM_MODEL,
        timeoutMs: RUN_TIMEOUT_MS,
      });
      log(describeRun(result.run));
    }
    if (PHASES.has("loop")) {
      // As many requests as the run made, with the run's per-role cap in flight. (A zero-latency
      // simulator answers each request before reading the next, so its own in-flight count says 1.)
      const requests = result.run?.backendRequests ?? 100_000;
      const inFlight = THROUGHPUT_IN_FLIGHT;
      result.loop = await runHttpLoop(simulator.url, DEFAULT_SIM_MODEL, requests, inFlight);
      log(
        `bare HTTP loop: ${result.loop.requests} chat requests, ${inFlight} in flight, ${result.loop.seconds.toFixed(1)} s = ${result.loop.requestsPerSecond} req/s`,
      );
    }
    return result;
  } finally {
    await simulator.stop();
  }
}

async function latencyPhase(db: Database, url: string): Promise<RunPhaseFigures> {
  const simulator = await startSimulatorProcess({ latencyMs: LATENCY_MS, seed: "bench-latency", capacity: LATENCY_CAPACITY, sample: true });
  try {
    const figures = await runPhase(db, simulator, {
      label: "1 s latency, 512 at once",
      databaseUrl: url,
      corpus: "bench-orchestration",
      limit: LATENCY_TEXTS,
      batchSize: LATENCY_BATCH_SIZE,
      maxInFlight: LATENCY_IN_FLIGHT,
      placement: LATENCY_WORKER,
      model: DEFAULT_SIM_MODEL,
      timeoutMs: RUN_TIMEOUT_MS,
    });
    log(`${describeRun(figures)}; mean in flight ${figures.simulatorMeanInFlight}`);
    return figures;
  } finally {
    await simulator.stop();
  }
}

async function main(): Promise<void> {
  const created = await createBenchDatabase();
  try {
    const db = await connectDatabase({ url: created.url, migrate: true });
    try {
      const postgres = (await db.pool.query<{ server_version: string }>("SHOW server_version")).rows[0]!.server_version;
      log(`PostgreSQL ${postgres} at ${describeServer(benchAdminUrl())}`);
      let started = performance.now();
      await importBenchCorpus(db, "bench-orchestration", TEXTS, SEED);
      log(`imported ${TEXTS} texts in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      await db.pool.query("CHECKPOINT").catch(() => log("CHECKPOINT needs superuser; measuring without it"));

      started = performance.now();
      const throughput = PHASES.has("throughput") || PHASES.has("loop") ? await throughputPhase(db, created.url) : {};
      const latency = PHASES.has("latency") ? await latencyPhase(db, created.url) : undefined;
      report(postgres, throughput, latency);
      const path = await writeBenchResult("orchestration", {
        benchmark: "orchestration",
        date: new Date().toISOString(),
        machine: machineDescription(),
        postgres,
        seed: SEED,
        settings: {
          texts: TEXTS,
          throughput: { batchSize: THROUGHPUT_BATCH_SIZE, maxInFlightPerRole: THROUGHPUT_IN_FLIGHT, worker: THROUGHPUT_WORKER },
          latency: {
            latencyMs: LATENCY_MS,
            serverCapacity: LATENCY_CAPACITY,
            texts: LATENCY_TEXTS,
            batchSize: LATENCY_BATCH_SIZE,
            maxInFlightPerRole: LATENCY_IN_FLIGHT,
            worker: LATENCY_WORKER,
          },
        },
        throughput: throughput.run,
        httpLoop: throughput.loop,
        latency,
        goals: goals(throughput.run, latency),
        phasesSeconds: (performance.now() - started) / 1000,
      });
      log(`wrote ${path}`);
    } finally {
      await db.close();
    }
  } finally {
    await created.drop();
  }
}

/** Steady-state served rate over the ideal; the whole run's rate also pays the pipeline's ramp-up and drain. */
function latencyEfficiency(latency: RunPhaseFigures): number {
  return (latency.steadyRequestsPerSecond ?? latency.backendRequestsPerSecond) / LATENCY_CAPACITY;
}

function goals(run: RunPhaseFigures | undefined, latency: RunPhaseFigures | undefined) {
  return {
    ...(run && {
      backendRequestsPerSecond: {
        goal: GOAL_REQUESTS_PER_SECOND,
        value: run.backendRequestsPerSecond,
        met: run.backendRequestsPerSecond >= GOAL_REQUESTS_PER_SECOND,
      },
      memoryFlat: {
        goalGrowthPercent: GOAL_MEMORY_GROWTH_PERCENT,
        value: run.workerRss.growthAfterWarmUpPercent,
        met: run.workerRss.growthAfterWarmUpPercent <= GOAL_MEMORY_GROWTH_PERCENT,
      },
    }),
    ...(latency && {
      latencyEfficiency: {
        goal: GOAL_LATENCY_EFFICIENCY,
        value: latencyEfficiency(latency),
        met: latencyEfficiency(latency) >= GOAL_LATENCY_EFFICIENCY,
      },
    }),
  };
}

function report(
  postgres: string,
  throughput: { run?: RunPhaseFigures; loop?: HttpLoopFigures },
  latency: RunPhaseFigures | undefined,
): void {
  const verdict = (met: boolean) => (met ? "met" : "MISSED");
  const rows: string[][] = [];
  const runRow = (figures: RunPhaseFigures) => [
    figures.label,
    String(figures.backendRequests),
    figures.seconds.toFixed(1),
    String(figures.backendRequestsPerSecond),
    String(figures.textsPerSecond),
    String(figures.simulatorMaxInFlight),
    `${figures.workerRss.firstThirdMB} / ${figures.workerRss.middleThirdMB} / ${figures.workerRss.lastThirdMB}`,
  ];
  if (throughput.run) rows.push(runRow(throughput.run));
  if (throughput.loop) {
    const loop = throughput.loop;
    rows.push([
      "bare HTTP loop (client, no database)",
      String(loop.requests),
      loop.seconds.toFixed(1),
      String(loop.requestsPerSecond),
      "-",
      String(loop.inFlight),
      "-",
    ]);
  }
  if (latency) rows.push(runRow(latency));
  const lines = [
    "",
    formatTable(["phase", "requests", "seconds", "req/s", "texts/s", "max in flight", "worker RSS MB (thirds)"], rows),
    "",
  ];
  const all = goals(throughput.run, latency);
  if (all.backendRequestsPerSecond)
    lines.push(
      `end to end: ${all.backendRequestsPerSecond.value} backend req/s (goal >= ${GOAL_REQUESTS_PER_SECOND}: ${verdict(all.backendRequestsPerSecond.met)})`,
    );
  if (throughput.run && throughput.loop) {
    lines.push(`end to end / bare loop: ${(throughput.run.backendRequestsPerSecond / throughput.loop.requestsPerSecond).toFixed(2)}x`);
  }
  if (all.memoryFlat && throughput.run) {
    const rss = throughput.run.workerRss;
    lines.push(
      `worker RSS: ${rss.firstThirdMB} / ${rss.middleThirdMB} / ${rss.lastThirdMB} MB over the first / middle / last third, peak ${rss.peakMB} MB;`,
      `  ${rss.growthPercent}% from first to last third (warm-up included), ${all.memoryFlat.value}% from middle to last (goal <= ${GOAL_MEMORY_GROWTH_PERCENT}%: ${verdict(all.memoryFlat.met)})`,
    );
  }
  if (all.latencyEfficiency && latency) {
    lines.push(
      `1 s latency, server capacity ${LATENCY_CAPACITY}: steady ${latency.steadyRequestsPerSecond} req/s = ${(all.latencyEfficiency.value * 100).toFixed(1)}% of ${LATENCY_CAPACITY} req/s (goal >= ${GOAL_LATENCY_EFFICIENCY * 100}%: ${verdict(all.latencyEfficiency.met)});`,
      `  whole run ${latency.backendRequestsPerSecond} req/s (${((latency.backendRequestsPerSecond / LATENCY_CAPACITY) * 100).toFixed(1)}%, ramp-up and drain included), mean in flight at the simulator ${latency.simulatorMeanInFlight}, max ${latency.simulatorMaxInFlight}, most outstanding at the server ${latency.maxOutstanding}`,
    );
  }
  lines.push(`Machine: ${JSON.stringify(machineDescription())}, PostgreSQL ${postgres}.`, "");
  process.stdout.write(lines.join("\n"));
}

await main();
