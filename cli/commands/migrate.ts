import { z } from "zod";
import { parseCommandLine, printJson, type Command } from "../command";
import { connectDatabase } from "../../lib/db/database";
import { migrate } from "../../lib/db/migrate";

const usage = `Usage: finemed migrate [--json]

Applies the SQL migrations in prisma/migrations that the database lacks (recorded in _prisma_migrations
as Prisma records them). The studio also does this at start-up.`;

export const migrateCommand: Command = {
  name: "migrate",
  summary: "apply pending database migrations",
  usage,
  async run(argv) {
    const args = parseCommandLine(argv, { json: { type: "boolean" } }, z.object({ json: z.boolean().default(false) }));
    const db = await connectDatabase({ migrate: false });
    try {
      const result = await migrate(db.pool);
      if (args.json) printJson({ database: db.embedded ? "embedded" : "server", ...result });
      else {
        for (const name of result.applied) process.stdout.write(`applied ${name}\n`);
        process.stdout.write(`${result.applied.length} applied, ${result.alreadyApplied.length} already applied\n`);
      }
      return 0;
    } finally {
      await db.close();
    }
  },
};
