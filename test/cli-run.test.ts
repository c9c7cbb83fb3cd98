import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { runCli } from "./support/cli";
import { importPubmedqa } from "./support/synthesis";
import { startSimulator } from "../lib/simulator";

let db: TestDatabase;

beforeAll(async () => {
  db = await openTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

describe("the finemed CLI", () => {
  it("has --help for every command", async () => {
    const overview = await runCli(["--help"], db.childEnv);
    expect(overview.code).toBe(0);
    const commands = ["import", "corpora", "run", "runs", "worker", "sim-backend", "migrate", "serve"];
    for (const command of commands) expect(overview.stdout).toContain(command);
    for (const command of commands) {
      const help = await runCli([command, "--help"], db.childEnv);
      expect(help.code, command).toBe(0);
      expect(help.stdout, command).toMatch(new RegExp(`^Usage: finemed ${command}`));
    }
    const unknown = await runCli(["frobnicate"], db.childEnv);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
  }, 120_000);

  it("runs the pipeline with --wait --json and prints the finished run's summary", async () => {
    const simulator = await startSimulator({ port: 0, seed: "cli" });
    try {
      await importPubmedqa(db, "cli-corpus", 30);
      const result = await runCli(
        [
          "run",
          "--corpus",
          "cli-corpus",
          "--limit",
          "20",
          "--backend",
          simulator.url,
          "--model",
          "simulated/finemed-sim",
          "--simulated",
          "--work",
          "--json",
        ],
        db.childEnv,
      );
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const summary = JSON.parse(result.stdout) as Record<string, unknown> & { backendCalls: { made: number }; runId: string };
      expect(summary).toMatchObject({ status: "completed", texts: 20, pending: 0, simulated: true });
      for (const field of [
        "instructionsGenerated",
        "judged",
        "kept",
        "noneKept",
        "failed",
        "failedByStage",
        "common",
        "complex",
        "dpoPairs",
        "labeled",
        "backendCalls",
        "tokens",
      ]) {
        expect(summary, field).toHaveProperty(field);
      }
      expect(summary.backendCalls.made).toBeGreaterThan(60);

      const listed = await runCli(["runs", "--json"], db.childEnv);
      expect((JSON.parse(listed.stdout) as { runs: { runId: string }[] }).runs.map((r) => r.runId)).toContain(summary.runId);
      const shown = await runCli(["runs", "show", summary.runId], db.childEnv);
      expect(shown.stdout).toContain("simulated backend");
      const refused = await runCli(["runs", "pause", summary.runId], db.childEnv);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("cannot pause a run that is completed");
    } finally {
      await simulator.close();
    }
  }, 120_000);

  it("refuses a bad run configuration with a reason and creates nothing", async () => {
    const before = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM runs");
    const noBackend = await runCli(["run", "--corpus", "cli-corpus"], db.childEnv);
    expect(noBackend.code).toBe(2);
    expect(noBackend.stderr).toContain("--config run.json or --backend URL");
    const unknownCorpus = await runCli(["run", "--corpus", "nope", "--backend", "http://127.0.0.1:9", "--model", "m"], db.childEnv);
    expect(unknownCorpus.code).toBe(2);
    expect(unknownCorpus.stderr).toContain("no corpus named 'nope'");
    const after = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM runs");
    expect(after.rows).toEqual(before.rows);
  }, 60_000);
});
