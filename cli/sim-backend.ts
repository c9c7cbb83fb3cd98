import { parseArgs } from "node:util";
import { z } from "zod";
import { DEFAULT_SIM_MODEL, startSimulator } from "../lib/simulator/index";

const USAGE = `Usage: finemed sim-backend [--port N] [--host H] [--latency-ms N] [--fail-rate F] [--garbage-rate F] [--seed S] [--model NAME]... [--ignore-schemas] [--json]

Serves a simulated OpenAI/vLLM-compatible backend for tests and the offline demo (never a real model).

Options:
  --port N          port to listen on (default 8000; 0 picks a free one)
  --host H          address to listen on (default 127.0.0.1)
  --latency-ms N    delay before each answer (default 0)
  --fail-rate F     share of attempts answered with 429, 503 or a dropped connection (0..1, default 0)
  --garbage-rate F  share of answers that break the requested format (0..1, default 0)
  --seed S          seed of the deterministic answers (default "finemed")
  --model NAME      served model name, repeatable (default ${DEFAULT_SIM_MODEL})
  --ignore-schemas  ignore JSON schemas in requests (as vLLM 0.12 ignores the removed guided_* fields)
  --json            print the address as JSON
  --help            show this help`;

const rate = z.coerce.number().min(0).max(1);
const Arguments = z.object({
  port: z.coerce.number().int().min(0).max(65_535).default(8000),
  host: z.string().min(1).default("127.0.0.1"),
  "latency-ms": z.coerce.number().int().min(0).max(600_000).default(0),
  "fail-rate": rate.default(0),
  "garbage-rate": rate.default(0),
  seed: z.string().min(1).default("finemed"),
  model: z.array(z.string().min(1)).default([DEFAULT_SIM_MODEL]),
  "ignore-schemas": z.boolean().default(false),
  json: z.boolean().default(false),
  help: z.boolean().default(false),
});

/** Runs until SIGINT/SIGTERM (or `stop` aborts); returns the exit code. */
export async function simBackendCommand(argv: string[], stop?: AbortSignal): Promise<number> {
  let values: unknown;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        "latency-ms": { type: "string" },
        "fail-rate": { type: "string" },
        "garbage-rate": { type: "string" },
        seed: { type: "string" },
        model: { type: "string", multiple: true },
        "ignore-schemas": { type: "boolean" },
        json: { type: "boolean" },
        help: { type: "boolean" },
      },
    }).values;
  } catch (error) {
    process.stderr.write(`finemed sim-backend: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const parsed = Arguments.safeParse(values);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((issue) => `--${issue.path.join(".")}: ${issue.message}`).join("; ");
    process.stderr.write(`finemed sim-backend: ${reason}\n`);
    return 2;
  }
  const args = parsed.data;
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  let simulator;
  try {
    simulator = await startSimulator({
      port: args.port,
      host: args.host,
      latencyMs: args["latency-ms"],
      failRate: args["fail-rate"],
      garbageRate: args["garbage-rate"],
      seed: args.seed,
      models: args.model,
      ignoreSchemas: args["ignore-schemas"],
    });
  } catch (error) {
    process.stderr.write(`finemed sim-backend: cannot listen on ${args.host}:${args.port}: ${(error as Error).message}\n`);
    return 1;
  }
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ url: simulator.url, port: simulator.port, models: args.model, simulated: true })}\n`);
  } else {
    process.stdout.write(`finemed sim-backend: simulated backend (not a real model) listening on ${simulator.url}\n`);
  }

  await new Promise<void>((resolve) => {
    const finish = (): void => {
      process.off("SIGINT", finish);
      process.off("SIGTERM", finish);
      stop?.removeEventListener("abort", finish);
      resolve();
    };
    process.once("SIGINT", finish);
    process.once("SIGTERM", finish);
    if (stop?.aborted === true) finish();
    else stop?.addEventListener("abort", finish, { once: true });
  });
  await simulator.close();
  return 0;
}
