import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { runCli } from "./support/cli";
import { synthesizeForCuration } from "./curation-run";
import { refreshSamples } from "../lib/samples";
import { exportDataset } from "../lib/export";
import type { DatasetVersionView } from "../lib/datasets";

// A filesystem that really fills up: a small tmpfs mounted for the test (root only; CI runs as root).
function mountSmallDisk(dir: string, bytes: number): boolean {
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${bytes}`, "tmpfs", dir], { stdio: "pipe" });
    return true;
  } catch {
    return false;
  }
}

function sizeOf(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? sizeOf(path) : statSync(path).size;
  }
  return total;
}

const canMount = process.getuid?.() === 0;

/** This process's open descriptors on files under dir (Linux /proc). */
function descriptorsUnder(dir: string): string[] {
  return readdirSync("/proc/self/fd").flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      return target.startsWith(`${dir}/`) ? [target] : [];
    } catch {
      return [];
    }
  });
}

let db: TestDatabase;
let work: string;
let disk: string;
let mounted = false;
let versionId: string;
let fullSize: number;

beforeAll(async () => {
  db = await openTestDatabase();
  const runId = await synthesizeForCuration(db, "pubmedqa-disk-full", 80);
  await refreshSamples(db, runId);
  work = mkdtempSync(join(tmpdir(), "finemed-disk-full-"));
  const created = await runCli(["dataset", "create", "--name", "disk full", "--run", runId, "--json"], db.childEnv);
  if (created.code !== 0) throw new Error(created.stderr);
  versionId = (JSON.parse(created.stdout) as DatasetVersionView).id;
  // The whole export's size, so the small disk can hold about half of it.
  const full = join(work, "full");
  const done = await runCli(
    ["export", "--dataset", versionId, "--out", full, "--allow-unapproved", "--allow-short-splits", "--json"],
    db.childEnv,
  );
  if (done.code !== 0) throw new Error(done.stderr);
  fullSize = sizeOf(full);
  disk = join(work, "disk");
  mkdirSync(disk);
  if (canMount) mounted = mountSmallDisk(disk, Math.max(8192, Math.floor(fullSize / 2 / 4096) * 4096));
}, 240_000);

afterAll(async () => {
  if (mounted) execFileSync("umount", [disk]);
  if (work) rmSync(work, { recursive: true, force: true });
  await db?.drop();
});

describe.skipIf(!canMount)("disk full during an export", () => {
  it("fails with 'no space left on device' and leaves no file that looks complete (CLI)", async () => {
    expect(mounted, "mount -t tmpfs must work here (root)").toBe(true);
    const out = join(disk, "export");
    const result = await runCli(
      ["export", "--dataset", versionId, "--out", out, "--allow-unapproved", "--allow-short-splits"],
      db.childEnv,
    );
    process.stdout.write(
      `export of ${fullSize} bytes onto a ${Math.floor(fullSize / 2)}-byte disk: exit ${result.code}, ${result.stderr.trim().split("\n")[0]}\n`,
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/no space left on device/i);
    expect(result.stderr).toContain("nothing was exported");
    // A reason, not a stack trace.
    expect(result.stderr).not.toMatch(/^\s+at /m);
    // Nothing left behind: no export folder, no temporary one, so the space is free again.
    expect(readdirSync(disk)).toEqual([]);
  }, 120_000);

  it("fails the same way through lib/export (the API's path), leaving nothing", async () => {
    const out = join(disk, "export-lib");
    await expect(exportDataset(db, versionId, out, { allowUnapproved: true })).rejects.toThrow(/no space left on device/i);
    expect(readdirSync(disk)).toEqual([]);
    // Every split file it had open is let go: a held descriptor would keep the deleted files' space (and the mount) busy.
    expect(descriptorsUnder(disk)).toEqual([]);
    // Once there is room, the same export succeeds and is complete (its manifest written last).
    const roomy = join(work, "after");
    const result = await exportDataset(db, versionId, roomy, { allowUnapproved: true });
    expect(readdirSync(roomy)).toContain("manifest.json");
    expect(result.rows).toBeGreaterThan(0);
  }, 120_000);
});
