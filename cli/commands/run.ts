import { readFileSync } from "node:fs";
import { z } from "zod";
import { CommandError, parseCommandLine, printJson, type Command } from "../command";
import { startProgress } from "../progress";
import { noteCliAudit, requireCliRole } from "../cli-actor";
import { connectDatabase } from "../../lib/db/database";
import { checkRunConfig, singleServerRoles } from "../../lib/runs/run-config";
import { createRun, RunConfigError } from "../../lib/runs/create-run";
import { roleKeyProblem } from "../../lib/runs/backend-check";
import { runSummary, type RunSummary } from "../../lib/runs/run-summary";
import { startSynthesisWorker } from "../../workers/synthesis-worker";

const usage = `Usage: finemed run --corpus NAME [--limit N] [--config run.json | --backend URL --model NAME] [--wait] [--work] [--json]

Starts a synthesis run of the FineMed pipeline over a corpus. Workers (finemed worker, or the studio's
own) do the work; --wait follows the run to its end, --work also does the work in this process.

Options:
  --corpus NAME     corpus to run over (overrides the config's)
  --limit N         a seeded random sample of N texts (default: all)
  --config FILE     run.json: every role's backend, thresholds, prompt versions (see README)
  --backend URL     one OpenAI-compatible server for every role (instead of --config)
  --model NAME      the model that server serves (with --backend)
  --simulated       mark the run as made against the simulated backend
  --wait            wait for the run to finish, with a progress bar on a terminal
  --work            process the run's batches in this process (implies --wait)
  --json            print one JSON document (the run's summary)`;

const Arguments = z
  .object({
    corpus: z.string().trim().min(1).optional(),
    limit: z.coerce.number().int().positive().optional(),
    config: z.string().min(1).optional(),
    backend: z.url().optional(),
    model: z.string().min(1).optional(),
    simulated: z.boolean().default(false),
    wait: z.boolean().default(false),
    work: z.boolean().default(false),
    json: z.boolean().default(false),
  })
  .refine((args) => args.config !== undefined || args.backend !== undefined, {
    message: "give --config run.json or --backend URL --model NAME",
  })
  .refine((args) => args.backend === undefined || args.model !== undefined, { message: "--backend needs --model" });

function loadConfig(args: z.infer<typeof Arguments>): unknown {
  let base: Record<string, unknown> = {};
  if (args.config) {
    try {
      base = JSON.parse(readFileSync(args.config, "utf8")) as Record<string, unknown>;
    } catch (error) {
      throw new CommandError(`cannot read ${args.config}: ${(error as Error).message}`, 2);
    }
  }
  return {
    ...base,
    ...(args.corpus ? { corpus: args.corpus } : {}),
    ...(args.limit ? { limit: args.limit } : {}),
    ...(args.backend && args.model ? { roles: singleServerRoles(args.backend, args.model) } : {}),
  };
}

export function describeSummary(summary: RunSummary): string {
  const failed = Object.entries(summary.failedByStage)
    .map(([stage, n]) => `${stage} ${n}`)
    .join(", ");
  return [
    `run ${summary.runId} (${summary.name}) ${summary.status}${summary.simulated ? " — simulated backend" : ""}`,
    `  texts ${summary.texts}: kept ${summary.kept} (common ${summary.common}, complex ${summary.complex}), none kept ${summary.noneKept}, failed ${summary.failed}${failed ? ` (${failed})` : ""}, pending ${summary.pending}`,
    `  instructions ${summary.instructionsGenerated}, judged ${summary.judged}, DPO pairs ${summary.dpoPairs}, labeled ${summary.labeled}`,
    `  backend calls made ${summary.backendCalls.made}, reused ${summary.backendCalls.reused}; tokens ${summary.tokens.prompt + summary.tokens.completion}, saved ${summary.tokens.saved}`,
    ...(summary.health.state === "ok" ? [] : [`  ${describeHealth(summary.health)}`]),
    ...Object.entries(summary.health.concurrency?.servers ?? {}).map(
      ([server, limit]) =>
        `  adaptive concurrency at ${server} (${limit.roles.join(", ")}): ${limit.limit} of ${limit.ceiling} allowed, ${limit.inFlight} in flight, cut ${limit.decreases} times`,
    ),
  ].join("\n");
}

/** One line on what holds a run back: the block and the worker that saw it, the stall's cause, the retries. */
export function describeHealth(health: RunSummary["health"]): string {
  if (health.state === "blocked")
    return `blocked: ${health.reason ?? "unknown"} (seen by worker ${health.worker ?? "?"}, checked ${health.checks} times)`;
  if (health.state === "stalled") return `stalled: ${health.reason ?? "no progress"}`;
  if (health.state === "retrying")
    return `retrying: ${health.transientRetries} batch retries so far (last: ${health.lastTransientError ?? "?"})`;
  return "ok";
}

export const runCommand: Command = {
  name: "run",
  summary: "start a synthesis run over a corpus",
  usage,
  async run(argv) {
    const args = parseCommandLine(
      argv,
      {
        corpus: { type: "string" },
        limit: { type: "string" },
        config: { type: "string" },
        backend: { type: "string" },
        model: { type: "string" },
        simulated: { type: "boolean" },
        wait: { type: "boolean" },
        work: { type: "boolean" },
        json: { type: "boolean" },
      },
      Arguments,
    );
    const checked = checkRunConfig(loadConfig(args));
    if (!checked.ok) throw new CommandError(`invalid run configuration: ${checked.reason}`, 2);
    const keyProblem = roleKeyProblem(checked.config.roles);
    if (keyProblem) throw new CommandError(`invalid run configuration: ${keyProblem}`, 2);
    const actor = await requireCliRole("curator");
    const db = await connectDatabase();
    try {
      let created;
      try {
        created = await createRun(db, checked.config, actor.name, { simulated: args.simulated });
        noteCliAudit({ type: "run", id: created.runId }, { corpus: args.corpus, texts: created.textCount });
      } catch (error) {
        if (error instanceof RunConfigError) throw new CommandError(error.message, 2);
        throw error;
      }
      if (!args.wait && !args.work) {
        if (args.json) printJson(created);
        else process.stdout.write(`run ${created.runId} queued: ${created.textCount} texts in ${created.batchCount} batches\n`);
        return 0;
      }
      const worker = args.work ? await startSynthesisWorker(db) : null;
      const progress = startProgress("run", created.textCount, !args.json);
      let summary = await runSummary(db, created.runId);
      try {
        while (summary && !["completed", "cancelled", "failed"].includes(summary.status)) {
          await new Promise((resolve) => setTimeout(resolve, 500));
          summary = await runSummary(db, created.runId);
          if (summary) {
            const held = summary.health.state === "ok" ? "" : `; ${describeHealth(summary.health)}`;
            progress.update(summary.texts - summary.pending, `kept ${summary.kept}, failed ${summary.failed}${held}`);
          }
        }
      } finally {
        progress.stop();
        await worker?.stop();
      }
      if (!summary) throw new CommandError(`run ${created.runId} disappeared`);
      if (args.json) printJson(summary);
      else process.stdout.write(`${describeSummary(summary)}\n`);
      return summary.status === "completed" ? 0 : 1;
    } finally {
      await db.close();
    }
  },
};
