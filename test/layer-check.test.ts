import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const CHECK = join(process.cwd(), "tools/check-layers.mjs");
const trees: string[] = [];

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "finemed-layers-"));
  trees.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

afterEach(() => {
  for (const root of trees.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe("the layer check (tools/check-layers.mjs)", () => {
  it("passes on this repository", () => {
    expect(execFileSync(process.execPath, [CHECK], { encoding: "utf8" })).toMatch(/no folder cycles/);
  });

  it("fails on a planted import from lib/ into app/, into components/, or of Next", () => {
    const root = tree({
      "app/page-actor.ts": "export const x = 1;\n",
      "components/chart.tsx": "export const y = 1;\n",
      "lib/runs/a.ts":
        'import { x } from "@/app/page-actor";\nimport { y } from "../../components/chart";\nimport { headers } from "next/headers";\n',
    });
    const result = spawnSync(process.execPath, [CHECK, root], { encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("lib/runs/a.ts imports @/app/page-actor: lib/ must not import app/");
    expect(result.stderr).toContain("lib/ must not import components/");
    expect(result.stderr).toContain("lib/ must not depend on Next");
  });

  it("fails on a folder cycle inside lib/", () => {
    const root = tree({
      "lib/queue/jobs.ts": 'import { run } from "../runs/run";\nexport const job = run;\n',
      "lib/runs/run.ts": 'import { job } from "../queue/jobs";\nexport const run = job;\n',
    });
    const result = spawnSync(process.execPath, [CHECK, root], { encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/folder cycle in lib\/: queue → runs → queue/);
  });

  it("fails on a .query<T>() call in lib/ (or a route, worker or command), and lets one through in a bench", () => {
    const root = tree({
      "lib/auth/users.ts": 'export const f = (pool: any) =>\n  pool.query<{ id: string }>("SELECT id FROM users");\n',
      "lib/training/profile-store.ts": 'export const g = (pool: any) => pool.query<{ name: string }>("SELECT name FROM p");\n',
      "bench/read-runs.ts": 'export const h = (pool: any) => pool.query<{ id: number }>("SELECT id FROM runs");\n',
      "lib/auth/plain.ts": 'export const k = (pool: any) => pool.query("DELETE FROM sessions");\n',
    });
    const result = spawnSync(process.execPath, [CHECK, root], { encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("lib/auth/users.ts:2 calls .query<T>(), whose row type nothing checks");
    expect(result.stderr).toContain("lib/training/profile-store.ts:1 calls .query<T>()");
    expect(result.stderr).not.toContain("bench/read-runs.ts");
    expect(result.stderr).not.toContain("lib/auth/plain.ts");
  });

  it("fails on a file name that is not kebab-case", () => {
    const root = tree({
      "lib/llm/retryPolicy.ts": "export const r = 1;\n",
      "components/samples/sample-row.tsx": "export const s = 1;\n",
      "lib/simulator/paper-prompts.fixture.ts": "export const p = 1;\n",
    });
    const result = spawnSync(process.execPath, [CHECK, root], { encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("lib/llm/retryPolicy.ts: file names are kebab-case");
    expect(result.stderr).not.toContain("sample-row");
    expect(result.stderr).not.toContain("paper-prompts");
  });
});
