import type { Command } from "../command";
import { simBackendCommand as runSimBackend } from "../sim-backend";

const usage = `Usage: finemed sim-backend [--port N] [--latency-ms N] [--fail-rate F] [--garbage-rate F] [--seed S] [--model NAME] [--json]

Serves a simulated OpenAI/vLLM-compatible backend (chat completions, embeddings, pooling/classify,
models, health, metrics) with deterministic answers shaped like real ones and injected faults. It is a
test and demo stand-in, never a real model.`;

export const simBackendCommand: Command = {
  name: "sim-backend",
  summary: "serve the simulated vLLM backend (tests, offline demo)",
  usage,
  run: (argv) => runSimBackend(argv),
};
