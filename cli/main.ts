import { CommandError, type Command } from "./command";
import { importCommand } from "./commands/import";
import { corporaCommand } from "./commands/corpora";
import { migrateCommand } from "./commands/migrate";
import { serveCommand } from "./commands/serve";
import { simBackendCommand } from "./commands/sim-backend";

const commands: Command[] = [importCommand, corporaCommand, migrateCommand, serveCommand, simBackendCommand];

function overview(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    "finemed — the FineMed Curation Studio command line",
    "",
    "Usage: finemed <command> [options]   (finemed <command> --help for its options)",
    "",
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    "",
    "Database: DATABASE_URL (PostgreSQL) or, when unset, the embedded database in FINEMED_HOME (default ./.finemed).",
  ].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${overview()}\n`);
    return name ? 0 : 2;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    process.stderr.write(`finemed: unknown command '${name}'\n\n${overview()}\n`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof CommandError) {
      process.stderr.write(`finemed ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`finemed ${name}: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}
