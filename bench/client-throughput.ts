// Throughput of lib/llm's client against the zero-latency simulator: 20,000 small chat requests,
// 256 in flight. The simulator runs in a child process so client and server each get a core, as they
// would against a real server. CPU time per request is reported for both processes: on the studio's
// 2-core box client and simulator share the cores, so CPU per request, not wall time, is the budget.
// Usage: npx tsx bench/client-throughput.ts [--requests N] [--in-flight N] [--in-process]
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createBackendClient } from "../lib/llm/client";
import { startSimulator } from "../lib/simulator/index";

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "20000" },
    "in-flight": { type: "string", default: "256" },
    "in-process": { type: "boolean", default: false },
    serve: { type: "boolean", default: false },
  },
});

async function serveForParent(): Promise<void> {
  const sim = await startSimulator({ seed: "bench" });
  process.send?.({ url: sim.url });
  process.on("message", (message) => {
    if (message === "cpu") process.send?.({ cpu: process.cpuUsage() });
  });
  process.on("disconnect", () => void sim.close().then(() => process.exit(0)));
}

interface SimulatorProcess {
  url: string;
  /** Simulator CPU so far, in µs; undefined in-process, where it is already part of ours. */
  cpuMicros: () => Promise<number | undefined>;
  stop: () => Promise<void>;
}

async function simulatorUrl(): Promise<SimulatorProcess> {
  if (values["in-process"]) {
    const sim = await startSimulator({ seed: "bench" });
    return { url: sim.url, cpuMicros: () => Promise.resolve(undefined), stop: () => sim.close() };
  }
  const child = fork(fileURLToPath(import.meta.url), ["--serve"], { stdio: "inherit" });
  const url = await new Promise<string>((resolve) => child.once("message", (m) => resolve((m as { url: string }).url)));
  return {
    url,
    cpuMicros: async () => {
      const reply = new Promise<NodeJS.CpuUsage>((resolve) => child.once("message", (m) => resolve((m as { cpu: NodeJS.CpuUsage }).cpu)));
      child.send("cpu");
      const cpu = await reply;
      return cpu.user + cpu.system;
    },
    stop: async () => {
      child.disconnect();
      await new Promise((resolve) => child.once("exit", resolve));
    },
  };
}

async function main(): Promise<void> {
  if (values.serve) return serveForParent();
  const total = Number(values.requests);
  const inFlight = Number(values["in-flight"]);
  const { url, cpuMicros, stop } = await simulatorUrl();
  const client = createBackendClient({
    role: "judge",
    baseUrl: url,
    model: "simulated/finemed-sim",
    maxInFlight: inFlight,
    timeoutMs: 30_000,
  });
  const request = (i: number) => ({
    messages: [
      {
        role: "user" as const,
        content: `Please evaluate the following query (Relevance2Medicine, MentionSpecificDetails):\nWhat is the first-line therapy for condition ${i}?`,
      },
    ],
  });
  // Warm-up opens the keep-alive connections and JIT-compiles both sides.
  await Promise.all(Array.from({ length: 2000 }, (_, i) => client.chat(request(-i - 1))));
  const simCpuBefore = await cpuMicros();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let completed = 0;
  let attempts = 0;
  await Promise.all(
    Array.from({ length: total }, (_, i) =>
      client.chat(request(i)).then((r) => {
        completed++;
        attempts += r.attempts;
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const simCpuAfter = await cpuMicros();
  const perRequest = (micros: number) => Math.round(micros / completed);
  console.log(
    JSON.stringify({
      requests: completed,
      attempts,
      inFlight,
      mode: values["in-process"] ? "in-process" : "child-process",
      seconds: Number(seconds.toFixed(2)),
      requestsPerSecond: Math.round(completed / seconds),
      // In-process this is client and simulator together.
      clientCpuMicrosPerRequest: perRequest(cpu.user + cpu.system),
      simulatorCpuMicrosPerRequest: simCpuBefore === undefined || simCpuAfter === undefined ? null : perRequest(simCpuAfter - simCpuBefore),
    }),
  );
  await stop();
}

await main();
