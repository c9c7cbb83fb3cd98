import { createBackendClient, type BackendClient } from "../lib/llm/client";
import { startSimulator, type SimulatorHandle } from "../lib/simulator";
import { formatTable, machineDescription, writeBenchResult } from "./bench-result";

/**
 * `npm run bench -- adaptive`: a simulator whose capacity changes mid-run (64 → 16 → 128 requests in
 * flight, 429 above it) driven by 256 callers through one client: fixed maxInFlight settings (the
 * baseline) against the adaptive limiter with a ceiling of 256. Figures: successful calls per second in
 * each phase, and the 429s the server sent. The last setting splits the callers between two roles of the
 * same server (generator, judge), each adaptive: they share the server's one limiter (lib/llm/server-concurrency.ts).
 */

const LATENCY_MS = Number(process.env.BENCH_ADAPTIVE_LATENCY_MS ?? 200);
const PHASE_SECONDS = Number(process.env.BENCH_ADAPTIVE_PHASE_S ?? 12);
const CALLERS = 256;
const PHASES = [64, 16, 128] as const;
const FIXED = [16, 64, 128] as const;

interface PhaseFigure {
  capacity: number;
  callsPerSecond: number;
  rejected: number;
}

async function drive(simulator: SimulatorHandle, clients: BackendClient[], label: string): Promise<PhaseFigure[]> {
  let stop = false;
  let completed = 0;
  const callers = Array.from({ length: CALLERS }, async (_, caller) => {
    const client = clients[caller % clients.length]!;
    for (let i = 0; !stop; i++) {
      try {
        await client.chat({ messages: [{ role: "user", content: `caller ${caller} asks question ${i}: which department treats gout?` }] });
        completed++;
      } catch {
        // A call that ran out of retries is simply not counted.
      }
    }
  });
  const figures: PhaseFigure[] = [];
  for (const capacity of PHASES) {
    simulator.setCapacity(capacity);
    const before = completed;
    const rejectedBefore = simulator.stats().byStatus["429"] ?? 0;
    await new Promise((resolve) => setTimeout(resolve, PHASE_SECONDS * 1000));
    figures.push({
      capacity,
      callsPerSecond: (completed - before) / PHASE_SECONDS,
      rejected: (simulator.stats().byStatus["429"] ?? 0) - rejectedBefore,
    });
    const limit = clients[0]!.adaptive()?.limit;
    process.stdout.write(
      `${label}: capacity ${capacity}: ${((completed - before) / PHASE_SECONDS).toFixed(1)} calls/s${limit ? `, limit ${limit}` : ""}\n`,
    );
  }
  stop = true;
  await Promise.all(callers);
  return figures;
}

async function measure(
  label: string,
  maxInFlight: number,
  adaptiveConcurrency: boolean,
  roles: readonly ("generator" | "judge")[] = ["generator"],
): Promise<PhaseFigure[]> {
  const simulator = await startSimulator({ port: 0, latencyMs: LATENCY_MS, seed: "adaptive", capacity: PHASES[0] });
  try {
    const clients = roles.map((role) =>
      createBackendClient({
        role,
        baseUrl: simulator.url,
        model: "simulated/finemed-sim",
        maxInFlight,
        adaptiveConcurrency,
        maxRetries: 8,
        timeoutMs: 30_000,
      }),
    );
    return await drive(simulator, clients, label);
  } finally {
    await simulator.close();
  }
}

const results: { setting: string; phases: PhaseFigure[] }[] = [];
for (const fixed of FIXED) results.push({ setting: `fixed ${fixed}`, phases: await measure(`fixed ${fixed}`, fixed, false) });
results.push({ setting: "adaptive (ceiling 256)", phases: await measure("adaptive", 256, true) });
results.push({
  setting: "adaptive, 2 roles on the server (ceiling 256 each)",
  phases: await measure("adaptive, 2 roles", 256, true, ["generator", "judge"]),
});

const adaptive = results[FIXED.length]!;
const shared = results.at(-1)!;
const rows = results.map((result) => [
  result.setting,
  ...result.phases.map((phase) => `${phase.callsPerSecond.toFixed(1)} (${phase.rejected} × 429)`),
]);
const best = PHASES.map((_, index) => Math.max(...results.slice(0, FIXED.length).map((result) => result.phases[index]!.callsPerSecond)));
const shares = PHASES.map((_, index) => adaptive.phases[index]!.callsPerSecond / best[index]!);
const sharedShares = PHASES.map((_, index) => shared.phases[index]!.callsPerSecond / best[index]!);
rows.push(["adaptive / best fixed", ...shares.map((share) => `${(100 * share).toFixed(0)}%`)]);
rows.push(["adaptive, 2 roles / best fixed", ...sharedShares.map((share) => `${(100 * share).toFixed(0)}%`)]);
process.stdout.write(`\n${formatTable(["setting", ...PHASES.map((capacity) => `capacity ${capacity}: calls/s`)], rows)}\n`);
const path = await writeBenchResult("adaptive", {
  machine: machineDescription(),
  latencyMs: LATENCY_MS,
  phaseSeconds: PHASE_SECONDS,
  callers: CALLERS,
  results,
  shares,
  sharedShares,
});
process.stdout.write(`\nwritten to ${path}\n`);
