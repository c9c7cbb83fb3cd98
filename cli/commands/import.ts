import { createReadStream, statSync } from "node:fs";
import { basename } from "node:path";
import { Transform } from "node:stream";
import { z } from "zod";
import { CommandError, parseCommandLine, printJson, type Command } from "../command";
import { startProgress } from "../progress";
import { connectDatabase } from "../../lib/db/database";
import { importSourceTexts } from "../../lib/corpus/import-source-texts";
import { detectFormat } from "../../lib/corpus/import-format";
import { noteCliAudit, requireCliRole } from "../cli-actor";

const usage = `Usage: finemed import <file> --corpus NAME [options]

Imports raw medical texts into a corpus (created when new). Texts already in the corpus are skipped as
duplicates; every bad line is reported with its line number and reason; the import commits as a whole.

Options:
  --corpus NAME         corpus to import into (required)
  --format F            jsonl | csv | parquet (default: from the file extension)
  --text-field F        field holding the text (default: text)
  --id-field F          field holding the external id (optional)
  --encoding E          CSV encoding: auto | utf-8 | gb18030 (default: auto)
  --strict              write nothing if any line is rejected
  --json                print one JSON document (the import summary)
  --help                this help`;

const Arguments = z.object({
  positionals: z.array(z.string()).length(1, "give exactly one file to import"),
  corpus: z.string({ error: "--corpus NAME is required" }).trim().min(1, "--corpus must not be empty").max(200),
  format: z.enum(["jsonl", "csv", "parquet"]).optional(),
  "text-field": z.string().min(1).default("text"),
  "id-field": z.string().min(1).optional(),
  encoding: z.enum(["auto", "utf-8", "gb18030"]).default("auto"),
  strict: z.boolean().default(false),
  json: z.boolean().default(false),
});

export const importCommand: Command = {
  name: "import",
  summary: "import a JSONL, CSV or Parquet file of texts into a corpus",
  usage,
  async run(argv) {
    const args = parseCommandLine(
      argv,
      {
        corpus: { type: "string" },
        format: { type: "string" },
        "text-field": { type: "string" },
        "id-field": { type: "string" },
        encoding: { type: "string" },
        strict: { type: "boolean" },
        json: { type: "boolean" },
      },
      Arguments,
      true,
    );
    const file = args.positionals[0]!;
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      throw new CommandError(`cannot read ${file}`, 2);
    }
    const format = args.format ?? detectFormat(file);
    if (!format) throw new CommandError(`cannot tell the format of ${file} from its name: pass --format jsonl|csv|parquet`, 2);

    let bytesRead = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytesRead += chunk.length;
        callback(null, chunk);
      },
    });
    const actor = await requireCliRole("curator");
    const source = format === "parquet" ? file : createReadStream(file).pipe(counted);
    const progress = startProgress("import", format === "parquet" ? 1 : size, !args.json);
    const db = await connectDatabase();
    try {
      const summary = await importSourceTexts(db, {
        corpusName: args.corpus,
        fileName: basename(file),
        source,
        read: { format, textField: args["text-field"], idField: args["id-field"], encoding: args.encoding },
        strict: args.strict,
        createdBy: actor.name,
        onProgress: (p) => progress.update(bytesRead, `${p.imported} imported, ${p.duplicates} duplicate, ${p.rejected} rejected`),
        onRejection: (rejection) => {
          if (!args.json) process.stderr.write(`line ${rejection.line}: ${rejection.reason}\n`);
        },
      });
      progress.update(size);
      if (!args.json) for (const warning of summary.warnings) process.stderr.write(`line ${warning.line} (imported): ${warning.message}\n`);
      noteCliAudit(
        { type: "corpus", id: args.corpus },
        {
          file: basename(file),
          imported: summary.imported,
          duplicates: summary.duplicates,
          rejected: summary.rejected,
          committed: summary.committed,
        },
      );
      progress.stop();
      if (args.json) printJson(summary);
      else {
        const rate = summary.records / Math.max(summary.seconds, 1e-3);
        process.stdout.write(
          summary.committed
            ? `${args.corpus}: ${summary.imported} imported, ${summary.duplicates} duplicate, ${summary.rejected} rejected (${summary.seconds.toFixed(1)} s, ${Math.round(rate)} records/s)\n`
            : `${args.corpus}: nothing written (--strict and ${summary.rejected} rejected lines)\n`,
        );
      }
      return summary.committed ? 0 : 1;
    } finally {
      progress.stop();
      await db.close();
    }
  },
};
