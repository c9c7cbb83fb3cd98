import { z } from "zod";
import { parseCommandLine, type Command } from "../command";
import { connectDatabase } from "../../lib/db/database";
import { startSynthesisWorker } from "../../workers/synthesis-worker";

const usage = `Usage: finemed worker [--concurrency N] [--quiet]

Processes synthesis-run batches from the queue until interrupted. Start as many as you like, on this
or other machines pointed at the same database (DATABASE_URL); they share every run. A worker killed
midway loses nothing: its batch is released to the others and replayed from stored backend calls.

Options:
  --concurrency N   batches processed at once (default 4)
  --quiet           do not print a line per batch`;

const Arguments = z.object({ concurrency: z.coerce.number().int().min(1).max(64).default(4), quiet: z.boolean().default(false) });

export const workerCommand: Command = {
  name: "worker",
  summary: "process synthesis-run batches from the queue",
  usage,
  async run(argv) {
    const args = parseCommandLine(argv, { concurrency: { type: "string" }, quiet: { type: "boolean" } }, Arguments);
    const db = await connectDatabase();
    const worker = await startSynthesisWorker(db, {
      concurrency: args.concurrency,
      onBatch: (event) => {
        if (!args.quiet)
          process.stdout.write(
            `batch ${event.batch} of run ${event.runId}: ${event.skipped ? `skipped (${event.skipped})` : event.blocked ? `blocked (${event.blocked}); parked` : `${event.texts} texts`}\n`,
          );
      },
    });
    process.stdout.write(`worker ${process.pid} ready (${args.concurrency} batches at once)\n`);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    });
    await worker.stop();
    await db.close();
    return 0;
  },
};
