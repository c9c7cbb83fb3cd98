import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { clusterProfileSchema, preflight } from "../lib/training";

const work = mkdtempSync(join(tmpdir(), "finemed-preflight-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const profile = (input: Record<string, unknown>) => clusterProfileSchema.parse({ name: "p", trainerCommand: "true", ...input });

describe("the training preflight", () => {
  it("refuses a local profile whose PATH has no sbatch, with the reason, and passes one that has it", async () => {
    const missing = await preflight(profile({ env: { PATH: join(work, "empty") } }));
    expect(missing).toMatchObject({ ok: false, profile: "p" });
    expect(missing.reason).toContain("sbatch is not on this machine's PATH");
    expect(missing.reason).toContain("download the job bundle");
    writeFileSync(join(work, "sbatch"), "#!/bin/sh\nexit 0\n");
    chmodSync(join(work, "sbatch"), 0o755);
    expect(await preflight(profile({ env: { PATH: work } }))).toMatchObject({ ok: true, reason: null });
  });

  it("refuses slurmrestd without its token or when it does not answer", async () => {
    const restd = { url: "http://127.0.0.1:9", tokenEnv: "FINEMED_PREFLIGHT_TEST_JWT", userName: "slurm" };
    const noToken = await preflight(profile({ submitMode: "slurmrestd", restd }));
    expect(noToken.reason).toContain("needs a token in $FINEMED_PREFLIGHT_TEST_JWT");
    process.env.FINEMED_PREFLIGHT_TEST_JWT = "x";
    try {
      const down = await preflight(profile({ submitMode: "slurmrestd", restd }));
      expect(down.ok).toBe(false);
      expect(down.reason).toMatch(/slurmrestd at http:\/\/127\.0\.0\.1:9 does not answer/);
    } finally {
      delete process.env.FINEMED_PREFLIGHT_TEST_JWT;
    }
  });
});
