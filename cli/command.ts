import { parseArgs, type ParseArgsConfig } from "node:util";
import type { z } from "zod";

/** A CLI failure the user can act on: printed as one line, exit code 2 (usage) or 1 (operation). */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** parseArgs for the syntax, then zod for the meaning; both fail with a CommandError(…, 2). */
export function parseCommandLine<S extends z.ZodType>(argv: string[], options: Options, schema: S, allowPositionals = false): z.infer<S> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    throw new CommandError((error as Error).message, 2);
  }
  const result = schema.safeParse({ ...parsed.values, positionals: parsed.positionals });
  if (!result.success) {
    const reason = result.error.issues.map((issue) => `${issue.path.join(".") || "arguments"}: ${issue.message}`).join("; ");
    throw new CommandError(reason, 2);
  }
  return result.data;
}

export function printJson(document: unknown): void {
  process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
}
