import type { Command } from "./command";

// Nothing heavier than this file loads before a command is chosen: `finemed --help` must answer at once.

interface CommandEntry {
  name: string;
  summary: string;
  /** Loaded on use, so one command's dependencies never slow down or break another. */
  load(): Promise<Command>;
}

const commands: CommandEntry[] = [
  {
    name: "import",
    summary: "import a JSONL, CSV or Parquet file of texts into a corpus",
    load: async () => (await import("./commands/import")).importCommand,
  },
  { name: "corpora", summary: "list corpora and their sizes", load: async () => (await import("./commands/corpora")).corporaCommand },
  { name: "migrate", summary: "apply pending database migrations", load: async () => (await import("./commands/migrate")).migrateCommand },
  { name: "run", summary: "start a synthesis run over a corpus", load: async () => (await import("./commands/run")).runCommand },
  { name: "runs", summary: "list, show, pause, resume or cancel runs", load: async () => (await import("./commands/runs")).runsCommand },
  {
    name: "worker",
    summary: "process synthesis-run batches from the queue",
    load: async () => (await import("./commands/worker")).workerCommand,
  },
  { name: "serve", summary: "run the studio (web + background work)", load: async () => (await import("./commands/serve")).serveCommand },
  {
    name: "dataset",
    summary: "create, review, approve and compare dataset versions",
    load: async () => (await import("./commands/dataset")).datasetCommand,
  },
  {
    name: "export",
    summary: "export a dataset version's training splits, trainer configs and manifest",
    load: async () => (await import("./commands/export")).exportCommand,
  },
  {
    name: "train",
    summary: "start, follow and cancel the training chain on Slurm; cluster profiles; Kubernetes manifests",
    load: async () => (await import("./commands/train")).trainCommand,
  },
  {
    name: "users",
    summary: "list, create and manage the people who sign in (admin)",
    load: async () => (await import("./commands/users")).usersCommand,
  },
  {
    name: "tokens",
    summary: "create, list and revoke service tokens for the CLI and scripts (admin)",
    load: async () => (await import("./commands/tokens")).tokensCommand,
  },
  {
    name: "map",
    summary: "embed samples, compute UMAP/t-SNE projections, neighbours and TTT retrieval",
    load: async () => (await import("./commands/map")).mapCommand,
  },
  {
    name: "sim-backend",
    summary: "serve the simulated vLLM backend (tests, offline demo)",
    load: async () => (await import("./commands/sim-backend")).simBackendCommand,
  },
];

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
    "Identity: FINEMED_TOKEN (a service token) or FINEMED_USER + FINEMED_PASSWORD; each command checks its role.",
  ].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${overview()}\n`);
    return name ? 0 : 2;
  }
  const entry = commands.find((candidate) => candidate.name === name);
  if (!entry) {
    process.stderr.write(`finemed: unknown command '${name}'\n\n${overview()}\n`);
    return 2;
  }
  const command = await entry.load();
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  const [{ CommandError }, { beginCliCommand, closeCliSession }, { runAudited }] = await Promise.all([
    import("./command"),
    import("./cli-actor"),
    import("../lib/audit"),
  ]);
  try {
    const code = await runAudited(beginCliCommand(name, rest), () => command.run(rest));
    await finishCliAudit(name, code === 0 ? "done" : "refused");
    return code;
  } catch (error) {
    await finishCliAudit(name, error instanceof CommandError ? "refused" : "failed");
    if (error instanceof CommandError) {
      process.stderr.write(`finemed ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`finemed ${name}: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  } finally {
    await closeCliSession();
  }
}

/**
 * The CLI's audit hook: a command that passed a role check above viewer (requireCliRole) wrote its
 * event ahead; here it is completed with what the command noted, withdrawn when the command was
 * refused before any of its transactions committed, or marked as an error.
 */
async function finishCliAudit(name: string, result: "done" | "refused" | "failed"): Promise<void> {
  const [{ cliAuditState }, { completeAuditEvent, withdrawAuditEvent }] = await Promise.all([
    import("./cli-actor"),
    import("../lib/audit"),
  ]);
  const state = cliAuditState();
  state.intent.open = false;
  const id = state.intent.id;
  if (id === null || !state.db || !state.command) return;
  try {
    const db = await state.db;
    if (result === "refused" && (await withdrawAuditEvent(db, id))) return;
    await completeAuditEvent(db, id, {
      subject: state.subject ?? { type: name },
      details: { argv: state.command.argv, ...state.details },
      failed: result !== "done",
    });
  } catch (error) {
    process.stderr.write(`finemed ${name}: could not record the result in audit event ${id}: ${(error as Error).message}\n`);
  }
}
