import { z } from "zod";
import { CommandError, parseCommandLine, printJson, type Command } from "../command";
import { noteCliAudit, requireCliRole } from "../cli-actor";
import { connectDatabase } from "../../lib/db/database";
import { runSummary } from "../../lib/runs/run-summary";
import { listRunProgress } from "../../lib/runs/run-list";
import { controlRun } from "../../lib/runs/control-run";
import { describeSummary } from "./run";

const usage = `Usage: finemed runs [--json]
       finemed runs show RUN_ID [--json]
       finemed runs pause|resume|cancel RUN_ID [--json]

Lists synthesis runs, shows one run's summary, or pauses, resumes or cancels a run (between batches).`;

const Arguments = z.object({
  positionals: z.union(
    [
      z.tuple([]),
      z.tuple([
        z.enum(["show", "pause", "resume", "cancel"], { error: "the action is show, pause, resume or cancel" }),
        z.uuid({ error: "RUN_ID must be a run's id" }),
      ]),
    ],
    { error: "expected no arguments, or an action and a RUN_ID" },
  ),
  json: z.boolean().default(false),
});

export const runsCommand: Command = {
  name: "runs",
  summary: "list, show, pause, resume or cancel runs",
  usage,
  async run(argv) {
    const args = parseCommandLine(argv, { json: { type: "boolean" } }, Arguments, true);
    const [requested] = args.positionals;
    // Listing and showing are reads; pause, resume and cancel change the run.
    await requireCliRole(requested === undefined || requested === "show" ? "viewer" : "curator");
    const db = await connectDatabase();
    try {
      if (args.positionals.length === 0) {
        const runs = await listRunProgress(db, 100);
        if (args.json) printJson({ runs });
        else if (runs.length === 0) process.stdout.write("no runs yet: finemed run --corpus NAME --config run.json\n");
        else {
          for (const run of runs) {
            process.stdout.write(
              `${run.runId}  ${run.status.padEnd(9)}  ${String(run.done).padStart(7)}/${String(run.texts).padEnd(7)}  ${run.corpus}  ${run.name}${run.simulated ? "  (simulated backend)" : ""}\n`,
            );
          }
        }
        return 0;
      }
      const [action, runId] = args.positionals;
      if (action === "show") {
        const summary = await runSummary(db, runId);
        if (!summary) throw new CommandError(`no run ${runId}`);
        if (args.json) printJson(summary);
        else process.stdout.write(`${describeSummary(summary)}\n`);
        return 0;
      }
      noteCliAudit({ type: "run", id: runId ?? null });
      const result = await controlRun(db, runId, action);
      if (!result.ok) throw new CommandError(result.reason);
      if (args.json) printJson({ runId, status: result.status });
      else process.stdout.write(`run ${runId} ${result.status}\n`);
      return 0;
    } finally {
      await db.close();
    }
  },
};
