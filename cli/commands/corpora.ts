import { z } from "zod";
import { parseCommandLine, printJson, type Command } from "../command";
import { requireCliRole } from "../cli-actor";
import { connectDatabase } from "../../lib/db/database";
import { listCorpora } from "../../lib/corpus/corpora";

const usage = `Usage: finemed corpora [--json]

Lists the corpora with their number of texts and imports.`;

export const corporaCommand: Command = {
  name: "corpora",
  summary: "list corpora and their sizes",
  usage,
  async run(argv) {
    const args = parseCommandLine(argv, { json: { type: "boolean" } }, z.object({ json: z.boolean().default(false) }));
    await requireCliRole("viewer");
    const db = await connectDatabase();
    try {
      const corpora = await listCorpora(db);
      if (args.json) printJson({ corpora });
      else if (corpora.length === 0) process.stdout.write("no corpora yet: finemed import <file> --corpus NAME\n");
      else {
        const width = Math.max(4, ...corpora.map((c) => c.name.length));
        process.stdout.write(`${"NAME".padEnd(width)}  ${"TEXTS".padStart(9)}  IMPORTS\n`);
        for (const corpus of corpora) {
          process.stdout.write(`${corpus.name.padEnd(width)}  ${String(corpus.texts).padStart(9)}  ${corpus.imports}\n`);
        }
      }
      return 0;
    } finally {
      await db.close();
    }
  },
};
