// Export at the paper's scale (issue 6): 300,000 SFT + 33,000 DPO rows generated set-based into a
// fresh database, frozen into an approved dataset version, then exported by the real CLI
// (`finemed export`) as a child process whose peak RSS is sampled from /proc. A small export of the
// same version shows whether memory grows with the rows; the full JSONL export runs three times and the
// manifests (which hold every file's sha256) must be byte-identical; a last run caps V8's heap at
// 64 MiB to show the export's memory is bounded, not merely collected late. Writes bench/out/export.json.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { connectDatabase } from "../lib/db/database";
import { createServiceToken } from "../lib/auth/service-tokens";
import { approveVersion, createVersion, submitVersion } from "../lib/datasets";
import type { ExportManifest } from "../lib/export";
import { createBenchDatabase, describeServer } from "./bench-database";
import { formatTable, machineDescription, writeBenchResult } from "./bench-result";
import { generateExportRun } from "./export-data";
import { runMeasured } from "./measured-process";

const COMMON = Number(process.env.BENCH_EXPORT_SFT ?? 300_000);
const COMPLEX = Number(process.env.BENCH_EXPORT_DPO ?? 33_000);
const GOAL_ROWS_PER_SECOND = 50_000;

interface ExportRun {
  label: string;
  format: string;
  rows: number;
  sftRows: number;
  dpoRows: number;
  exportSeconds: number;
  wallSeconds: number;
  rowsPerSecond: number;
  peakRssMiB: number;
  manifest: string;
}

const created = await createBenchDatabase();
const generator = new pg.Client({ connectionString: created.url });
const out = mkdtempSync(join(tmpdir(), "finemed-export-bench-"));
let db: Awaited<ReturnType<typeof connectDatabase>> | null = null;
try {
  db = await connectDatabase({ url: created.url });
  await generator.connect();
  const server = (await generator.query<{ version: string }>("SELECT version()")).rows[0]!.version;
  console.log(
    `export bench: ${COMMON.toLocaleString()} SFT + ${COMPLEX.toLocaleString()} long-form/DPO samples on ${describeServer(created.url)}`,
  );
  let started = performance.now();
  const { runId } = await generateExportRun(generator, COMMON, COMPLEX);
  const generateSeconds = (performance.now() - started) / 1000;
  console.log(`  generated in ${generateSeconds.toFixed(1)} s`);

  started = performance.now();
  const version = await createVersion(db, { name: "bench export", selection: { runIds: [runId] }, actor: "bench" });
  const freezeSeconds = (performance.now() - started) / 1000;
  await submitVersion(db, version.id, "bench");
  await approveVersion(db, version.id, "bench", { actorRoles: ["approver"] });
  console.log(
    `  froze ${version.memberCount.toLocaleString()} members in ${freezeSeconds.toFixed(1)} s (pools ${JSON.stringify(version.counts.pools)})`,
  );

  // Every CLI command acts as someone (issue 7): a curator token of the bench database.
  const { token } = await createServiceToken(db, { name: "bench-export", role: "curator" }, "bench");
  const exportOnce = async (label: string, format: string, sizes: string[], nodeOptions = ""): Promise<ExportRun> => {
    const dir = join(out, label);
    const measured = await runMeasured(
      process.execPath,
      ["bin/finemed.js", "export", "--dataset", version.id, "--out", dir, "--format", format, ...sizes, "--allow-short-splits", "--json"],
      {
        ...process.env,
        DATABASE_URL: created.url,
        FINEMED_TOKEN: token,
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} ${nodeOptions}`.trim(),
      },
    );
    if (measured.code !== 0) throw new Error(`export ${label} failed (${measured.code}): ${measured.stderr}`);
    const document = JSON.parse(measured.stdout) as { rows: number; seconds: number; manifest: ExportManifest };
    const rowsOf = (name: string) => document.manifest.splits.find((s) => s.name === name)!.rows;
    const run: ExportRun = {
      label,
      format,
      rows: document.rows,
      sftRows: rowsOf("sft_stage1") + rowsOf("sft_stage2") + rowsOf("sft_stage3") + rowsOf("o1_sft"),
      dpoRows: rowsOf("dpo"),
      exportSeconds: document.seconds,
      wallSeconds: measured.wallSeconds,
      rowsPerSecond: document.rows / measured.wallSeconds,
      peakRssMiB: measured.peakRssBytes / 2 ** 20,
      manifest: readFileSync(join(dir, "manifest.json"), "utf8"),
    };
    console.log(
      `  ${label}: ${run.rows.toLocaleString()} rows in ${run.wallSeconds.toFixed(1)} s wall (${run.exportSeconds.toFixed(1)} s in export) = ${Math.round(run.rowsPerSecond).toLocaleString()} rows/s, peak RSS ${run.peakRssMiB.toFixed(0)} MiB`,
    );
    rmSync(dir, { recursive: true, force: true });
    return run;
  };

  const full = ["--sft-stage1", String(COMMON)];
  const tenth = [
    "--sft-stage1",
    String(COMMON / 10),
    "--sft-stage2",
    "3600",
    "--sft-stage3",
    "1100",
    "--o1-sft",
    "1700",
    "--dpo",
    String(Math.round(COMPLEX / 10)),
    "--ttt",
    String(Math.round(COMPLEX / 10)),
  ];
  const runs = [
    await exportOnce("jsonl, 1/10 size", "jsonl", tenth),
    await exportOnce("jsonl, full", "jsonl", full),
    await exportOnce("jsonl, full (again)", "jsonl", full),
    await exportOnce("parquet, full", "parquet", full),
    // RSS above includes V8's lazily collected garbage; a 64 MiB old-space cap shows what the export needs.
    await exportOnce("jsonl, full, heap capped at 64 MiB", "jsonl", full, "--max-old-space-size=64"),
  ];
  const identical = runs[1]!.manifest === runs[2]!.manifest && runs[1]!.manifest === runs[4]!.manifest;
  if (!identical) throw new Error("two exports of the same version gave different manifests");

  console.log("");
  console.log(
    formatTable(
      ["export", "rows", "SFT rows", "DPO rows", "wall s", "rows/s", "peak RSS MiB"],
      runs.map((r) => [
        r.label,
        r.rows.toLocaleString(),
        r.sftRows.toLocaleString(),
        r.dpoRows.toLocaleString(),
        r.wallSeconds.toFixed(1),
        Math.round(r.rowsPerSecond).toLocaleString(),
        r.peakRssMiB.toFixed(0),
      ]),
    ),
  );
  console.log(`goal ≥ ${GOAL_ROWS_PER_SECOND.toLocaleString()} rows/s; the three full JSONL exports are byte-identical: ${identical}`);
  await writeBenchResult("export", {
    machine: machineDescription(),
    server,
    common: COMMON,
    complex: COMPLEX,
    generateSeconds,
    freezeSeconds,
    members: version.memberCount,
    identical,
    runs: runs.map(({ manifest: _m, ...r }) => r),
  });
} finally {
  await db?.close();
  await generator.end().catch(() => undefined);
  rmSync(out, { recursive: true, force: true });
  await created.drop();
}
