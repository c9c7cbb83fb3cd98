import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { z } from "zod";
import { CommandError, parseCommandLine, type Command } from "../command";
import { connectDatabase } from "../../lib/db/database";
import { finemedHome } from "../../lib/db/settings";
import { studioPath, studioRoot } from "../../lib/install/studio-root";
import { seedDemoCorpus } from "../../lib/demo/seed-demo-corpus";
import { DEMO_BACKEND_PORT, DEMO_MODEL, demoBackendUrl, startDemoRun } from "../../lib/demo/demo-run";
import { startSimulatorPreferring, type SimulatorHandle } from "../../lib/simulator";
import { startSynthesisWorker } from "../../workers/synthesis-worker";
import { watchTrainingChains } from "../../lib/training/chain-watcher";
import { ensureFirstAdmin } from "../../lib/auth/first-admin";
import { authSecret } from "../../lib/auth/auth-secret";
import { recordAuditEvent } from "../../lib/audit";
import { watchForDemoMap } from "../../lib/demo/demo-map";

const usage = `Usage: finemed serve [--port N] [--host H] [--rebuild] [--no-demo]

Runs the studio: opens (or starts) its database and migrates it, builds the web app if it has not been
built, and serves it with a synthesis worker (web and background work in one process tree) until
interrupted. Unless --no-demo: serves the simulated backend on 127.0.0.1:${DEMO_BACKEND_PORT}
(FINEMED_DEMO_BACKEND_PORT), and an empty studio gets the demo corpus and a demo run against it.

Options:
  --port N      HTTP port (default: PORT or 3000)
  --host H      address to listen on (default: 127.0.0.1)
  --rebuild     run the production build even if one exists
  --no-demo     do not load the demo corpus into an empty studio`;

const Arguments = z.object({
  port: z.coerce
    .number()
    .int()
    .min(1)
    .max(65_535)
    .default(Number(process.env.PORT ?? 3000)),
  host: z.string().min(1).default("127.0.0.1"),
  rebuild: z.boolean().default(false),
  "no-demo": z.boolean().default(false),
});

function nextBin(): string {
  return createRequire(import.meta.url).resolve("next/dist/bin/next");
}

// Next builds into and serves from the studio's checkout, wherever the user ran `finemed serve` from.
function runNext(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [nextBin(), ...args], {
    stdio: "inherit",
    cwd: studioRoot(),
    env: { ...env, NEXT_TELEMETRY_DISABLED: "1" },
  });
}

function exited(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

export const serveCommand: Command = {
  name: "serve",
  summary: "run the studio (web + background work)",
  usage,
  async run(argv) {
    const args = parseCommandLine(
      argv,
      { port: { type: "string" }, host: { type: "string" }, rebuild: { type: "boolean" }, "no-demo": { type: "boolean" } },
      Arguments,
    );
    // What the studio writes into FINEMED_HOME (exports, uploads, spooled files) is its owner's alone; the web server inherits this.
    process.umask(process.umask() | 0o077);
    const db = await connectDatabase();
    const where = db.embedded ? `embedded database in ${finemedHome()}` : "PostgreSQL server (DATABASE_URL)";
    process.stdout.write(`finemed: database ready: ${where}\n`);
    // A studio with no users gets its first admin now; a generated password is printed once here.
    const admin = await ensureFirstAdmin(db);
    if (admin?.generatedPassword) {
      process.stdout.write(
        `finemed: first admin created: sign in as ${admin.email} with the one-time password ${admin.generatedPassword}\n` +
          `finemed: (also in ${admin.passwordFile}, mode 0600; you will be asked to change it)\n`,
      );
    } else if (admin) process.stdout.write(`finemed: first admin created from FINEMED_ADMIN_EMAIL: ${admin.email}\n`);
    let simulator: SimulatorHandle | null = null;
    if (!args["no-demo"]) {
      try {
        const started = await startSimulatorPreferring(DEMO_BACKEND_PORT, { models: [DEMO_MODEL], seed: "finemed-demo" });
        simulator = started.simulator;
        if (started.movedFrom !== null) {
          process.stdout.write(
            `finemed: port ${started.movedFrom} is busy (another studio?): the demo backend takes port ${simulator.port} instead\n`,
          );
        }
        process.stdout.write(`finemed: simulated backend (demo, not a real model) on ${simulator.url}\n`);
      } catch (error) {
        process.stdout.write(`finemed: demo backend not started (${(error as Error).message})\n`);
      }
      const demo = await seedDemoCorpus(db);
      if (demo) {
        process.stdout.write(`finemed: loaded the demo corpus (${demo.imported} texts)\n`);
        await recordAuditEvent(db, {
          actor: "system",
          action: "corpus.import-demo",
          subject: { type: "corpus" },
          details: { imported: demo.imported },
          via: "system",
        });
        if (simulator) {
          const run = await startDemoRun(db, demoBackendUrl(simulator.port));
          process.stdout.write(`finemed: started the demo synthesis run ${run.runId} (${run.textCount} texts)\n`);
          await recordAuditEvent(db, {
            actor: "system",
            action: "runs.start-demo",
            subject: { type: "run", id: run.runId },
            details: { texts: run.textCount, simulated: true },
            via: "system",
          });
        }
      }
    }
    const worker = await startSynthesisWorker(db);
    // Training chains on the cluster: their jobs' states are polled into the database every few seconds.
    const stopTrainingPoll = watchTrainingChains(db);
    // The demo map (lexical embedder, UMAP) follows the demo run: a studio whose demo run finished and that has no map yet gets one.
    const stopDemoMap = args["no-demo"]
      ? () => undefined
      : watchForDemoMap(db, (id) => process.stdout.write(`finemed: queued the demo map ${id} (UMAP, lexical embedder)\n`));
    if (args.rebuild || !existsSync(join(studioRoot(), process.env.FINEMED_NEXT_DIR ?? ".next", "BUILD_ID"))) {
      process.stdout.write("finemed: building the web app (once)…\n");
      const code = await exited(runNext(["build"], process.env));
      if (code !== 0) {
        stopDemoMap();
        await worker.stop();
        await simulator?.close();
        await db.close();
        throw new CommandError(`the web build failed (exit ${code})`);
      }
    }
    // The web server reaches the same database through the URL this process resolved (the embedded
    // one is served by this process).
    // The session-signing key is settled here (BETTER_AUTH_SECRET or FINEMED_HOME/auth-secret) and handed to the web server.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: db.url,
      FINEMED_EMBEDDED: db.embedded ? "1" : "0",
      BETTER_AUTH_SECRET: authSecret(),
      // The web server runs in the studio's checkout: the home the user meant is passed as an absolute path.
      FINEMED_HOME: finemedHome(),
    };
    // Not `next start`: bin/finemed-web.js stamps each request with its connection's address (the sign-in rate limit's key).
    const web = spawn(process.execPath, [studioPath("bin/finemed-web.js"), "--port", String(args.port), "--hostname", args.host], {
      stdio: "inherit",
      cwd: studioRoot(),
      env: { ...env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    });
    process.stdout.write(`finemed: studio on http://${args.host === "0.0.0.0" ? "localhost" : args.host}:${args.port}\n`);
    const stop = () => web.kill("SIGTERM");
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    const code = await exited(web);
    stopTrainingPoll();
    stopDemoMap();
    await worker.stop();
    await simulator?.close();
    await db.close();
    return code;
  },
};
