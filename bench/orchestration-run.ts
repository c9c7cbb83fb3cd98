import { setTimeout as sleep } from "node:timers/promises";
import type { Database } from "../lib/db/database";
import { createRun } from "../lib/runs/create-run";
import { runConfigSchema, singleServerRoles } from "../lib/runs/run-config";
import { runSummary } from "../lib/runs/run-summary";
import { machineCpuSeconds, postgresCpuSeconds, processCpuSeconds, rssThirds, sampleRss, type RssSample } from "./orchestration-sampler";
import type { SimulatorProcess, SimulatorSnapshot, TimelinePoint } from "./orchestration-simulator";
import { describePlacement, startWorkers, type WorkerPlacement } from "./orchestration-workers";

/** One synthesis run through the real queue and worker against a simulator, measured from outside. */

export interface RunPhaseSettings {
  label: string;
  databaseUrl: string;
  corpus: string;
  /** Texts of the corpus to run on; all when absent. */
  limit?: number;
  batchSize: number;
  maxInFlight: number;
  placement: WorkerPlacement;
  model: string;
  timeoutMs: number;
}

export interface RunPhaseFigures {
  label: string;
  worker: string;
  batchSize: number;
  maxInFlightPerRole: number;
  texts: number;
  batches: number;
  seconds: number;
  /** HTTP requests the simulator answered: chat completions plus two /pooling requests per reward call. */
  backendRequests: number;
  backendRequestsPerSecond: number;
  byEndpoint: Record<string, number>;
  textsPerSecond: number;
  /** Pipeline calls recorded in run_stage_stats (a reward call counts once) and rows in backend_calls. */
  callsMade: number;
  callsReused: number;
  storedCalls: number;
  outcomes: { kept: number; noneKept: number; failed: number; common: number; complex: number; dpoPairs: number };
  rows: { instructions: number; judgements: number; responses: number; dpoPairs: number; departmentLabels: number; runFailures: number };
  simulatorMaxInFlight: number;
  simulatorMeanInFlight: number;
  /** Most requests outstanding at the capacity front (working plus queued); null without one. */
  maxOutstanding: number | null;
  /** Served requests/s between 10% and 90% of the run's responses: the rate without ramp-up and drain. */
  steadyRequestsPerSecond: number | null;
  timeline: TimelinePoint[];
  cpuSeconds: { worker: number; simulator: number; postgres: number; machineBusy: number; machineTotal: number };
  workerRss: ReturnType<typeof rssThirds> & { samples: number };
  rssSamples: RssSample[];
}

const POLL_MS = 100;
const RSS_SAMPLE_MS = 250;
const FINISHED = new Set(["completed", "cancelled", "failed"]);

function servedRequests(before: SimulatorSnapshot, after: SimulatorSnapshot): { total: number; byEndpoint: Record<string, number> } {
  const byEndpoint: Record<string, number> = {};
  let total = 0;
  for (const [endpoint, count] of Object.entries(after.stats.byEndpoint)) {
    const served = count - (before.stats.byEndpoint[endpoint] ?? 0);
    if (served === 0) continue;
    byEndpoint[endpoint] = served;
    if (endpoint.startsWith("POST ")) total += served;
  }
  return { total, byEndpoint };
}

async function waitForFinish(db: Database, runId: string, timeoutMs: number): Promise<string> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const result = await db.pool.query<{ status: string }>(`SELECT status::text FROM runs WHERE id = $1`, [runId]);
    const status = result.rows[0]?.status ?? "missing";
    if (FINISHED.has(status)) return status;
    if (performance.now() > deadline) throw new Error(`run ${runId} still ${status} after ${timeoutMs} ms`);
    await sleep(POLL_MS);
  }
}

async function storedFigures(
  db: Database,
  runId: string,
): Promise<{ callsMade: number; callsReused: number; storedCalls: number; rows: RunPhaseFigures["rows"] }> {
  const result = await db.pool.query<{
    calls_made: number;
    calls_reused: number;
    stored_calls: number;
    instructions: number;
    judgements: number;
    responses: number;
    dpo_pairs: number;
    department_labels: number;
    run_failures: number;
  }>(
    `SELECT (SELECT coalesce(sum(calls_made), 0) FROM run_stage_stats WHERE run_id = $1)::int AS calls_made,
            (SELECT coalesce(sum(calls_reused), 0) FROM run_stage_stats WHERE run_id = $1)::int AS calls_reused,
            (SELECT count(*) FROM backend_calls WHERE first_run_id = $1)::int AS stored_calls,
            (SELECT count(*) FROM instructions WHERE run_id = $1)::int AS instructions,
            (SELECT count(*) FROM judgements WHERE run_id = $1)::int AS judgements,
            (SELECT count(*) FROM responses WHERE run_id = $1)::int AS responses,
            (SELECT count(*) FROM dpo_pairs WHERE run_id = $1)::int AS dpo_pairs,
            (SELECT count(*) FROM department_labels WHERE run_id = $1)::int AS department_labels,
            (SELECT count(*) FROM run_failures WHERE run_id = $1)::int AS run_failures`,
    [runId],
  );
  const row = result.rows[0]!;
  return {
    callsMade: row.calls_made,
    callsReused: row.calls_reused,
    storedCalls: row.stored_calls,
    rows: {
      instructions: row.instructions,
      judgements: row.judgements,
      responses: row.responses,
      dpoPairs: row.dpo_pairs,
      departmentLabels: row.department_labels,
      runFailures: row.run_failures,
    },
  };
}

/** When the served count crossed `count`, interpolated between timeline points. */
function timeServed(timeline: TimelinePoint[], count: number): number {
  for (let index = 1; index < timeline.length; index++) {
    const [previous, point] = [timeline[index - 1]!, timeline[index]!];
    if (point.served >= count) {
      const span = point.served - previous.served;
      return previous.ms + (span === 0 ? 0 : ((count - previous.served) / span) * (point.ms - previous.ms));
    }
  }
  return timeline.at(-1)?.ms ?? 0;
}

function steadyRate(timeline: TimelinePoint[]): number | null {
  const total = timeline.at(-1)?.served ?? 0;
  // A timeline of one point is a phase that was not sampled.
  if (timeline.length < 10 || total === 0) return null;
  const [from, to] = [timeServed(timeline, total * 0.1), timeServed(timeline, total * 0.9)];
  return to > from ? Math.round((total * 0.8) / ((to - from) / 1000)) : null;
}

const sumCpu = (pids: number[]) => pids.reduce((sum, pid) => sum + (processCpuSeconds(pid) ?? 0), 0);

/**
 * Workers start (and connect) before the clock does; the clock runs from createRun to the moment the
 * run is seen completed, so enqueueing, every batch's writes and the last commit are inside it.
 */
export async function runPhase(db: Database, simulator: SimulatorProcess, settings: RunPhaseSettings): Promise<RunPhaseFigures> {
  const workers = await startWorkers(settings.databaseUrl, settings.placement);
  try {
    const config = runConfigSchema.parse({
      name: settings.label,
      corpus: settings.corpus,
      limit: settings.limit,
      batchSize: settings.batchSize,
      roles: singleServerRoles(simulator.url, settings.model, settings.maxInFlight),
    });
    await simulator.reset();
    const before = await simulator.snapshot();
    const machineBefore = machineCpuSeconds();
    const postgresBefore = postgresCpuSeconds();
    const workerBefore = sumCpu(workers.pids());
    const rss = sampleRss(() => workers.pids(), RSS_SAMPLE_MS);
    const started = performance.now();
    const run = await createRun(db, config, "bench", { simulated: true });
    const status = await waitForFinish(db, run.runId, settings.timeoutMs);
    const seconds = (performance.now() - started) / 1000;
    const rssSamples = rss.stop();
    const workerCpu = sumCpu(workers.pids()) - workerBefore;
    const after = await simulator.snapshot();
    const machineAfter = machineCpuSeconds();
    const postgresCpu = postgresCpuSeconds() - postgresBefore;
    if (status !== "completed") throw new Error(`run ${settings.label} ended ${status}`);

    const summary = await runSummary(db, run.runId);
    if (!summary || summary.pending !== 0 || summary.texts !== run.textCount)
      throw new Error(`run ${settings.label} left texts pending: ${JSON.stringify(summary)}`);
    const stored = await storedFigures(db, run.runId);
    const served = servedRequests(before, after);
    return {
      label: settings.label,
      worker: describePlacement(settings.placement),
      batchSize: settings.batchSize,
      maxInFlightPerRole: settings.maxInFlight,
      texts: run.textCount,
      batches: run.batchCount,
      seconds,
      backendRequests: served.total,
      backendRequestsPerSecond: Math.round(served.total / seconds),
      byEndpoint: served.byEndpoint,
      textsPerSecond: Math.round(run.textCount / seconds),
      ...stored,
      outcomes: {
        kept: summary.kept,
        noneKept: summary.noneKept,
        failed: summary.failed,
        common: summary.common,
        complex: summary.complex,
        dpoPairs: summary.dpoPairs,
      },
      simulatorMaxInFlight: after.stats.maxInFlight,
      simulatorMeanInFlight: Math.round(after.meanInFlight),
      maxOutstanding: after.maxOutstanding,
      steadyRequestsPerSecond: steadyRate(after.timeline),
      timeline: after.timeline,
      cpuSeconds: {
        worker: workerCpu,
        simulator: (after.cpuMicros - before.cpuMicros) / 1e6,
        postgres: postgresCpu,
        machineBusy: machineAfter.busy - machineBefore.busy,
        machineTotal: machineAfter.total - machineBefore.total,
      },
      workerRss: { ...rssThirds(rssSamples), samples: rssSamples.length },
      rssSamples,
    };
  } finally {
    await workers.stop();
  }
}
