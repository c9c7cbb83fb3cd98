// Measures the two ways the studio could reach its embedded PGlite database through the same Prisma
// client: the loopback wire server it uses (lib/db/embedded-wire-server.ts, via @prisma/adapter-pg),
// and an in-process driver adapter (pglite-prisma-adapter). Writes bench/out/embedded-database.json.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "../lib/db/generated/client";
import { connectDatabase } from "../lib/db/database";
import { readMigrations } from "../lib/db/migrate";
import { formatTable, machineDescription, writeBenchResult } from "./bench-result";

const SEQUENTIAL = Number(process.env.BENCH_EMBEDDED_ROWS ?? 3_000);
const BULK = 10_000;

interface Measured {
  startMs: number;
  sequentialRowsPerSecond: number;
  createManySeconds: number;
  pagedReadMs: number;
}

async function exercise(prisma: PrismaClient, startMs: number): Promise<Measured> {
  const corpus = await prisma.corpus.create({ data: { name: `bench-${Date.now()}` } });
  let started = performance.now();
  for (let i = 0; i < SEQUENTIAL; i++) await prisma.corpus.create({ data: { name: `seq-${i}`, description: "sequential create" } });
  const sequentialRowsPerSecond = SEQUENTIAL / ((performance.now() - started) / 1000);
  const importRow = await prisma.import.create({
    data: { corpusId: corpus.id, createdBy: "bench", fileName: "bench", format: "jsonl", textField: "text" },
  });
  started = performance.now();
  await prisma.sourceText.createMany({
    data: Array.from({ length: BULK }, (_, i) => ({
      corpusId: corpus.id,
      importId: importRow.id,
      text: `Bench text ${i}: hypertension follow-up.`,
      contentHash: i.toString(16).padStart(64, "0"),
      length: 40,
    })),
  });
  const createManySeconds = (performance.now() - started) / 1000;
  started = performance.now();
  for (let page = 0; page < 20; page++)
    await prisma.sourceText.findMany({ where: { corpusId: corpus.id }, orderBy: { id: "asc" }, take: 50 });
  const pagedReadMs = (performance.now() - started) / 20;
  return { startMs, sequentialRowsPerSecond, createManySeconds, pagedReadMs };
}

async function wireServer(): Promise<Measured> {
  const home = mkdtempSync(join(tmpdir(), "bench-embedded-wire-"));
  try {
    const started = performance.now();
    const db = await connectDatabase({ home });
    const startMs = performance.now() - started;
    try {
      return await exercise(db.prisma, startMs);
    } finally {
      await db.close();
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

async function inProcess(): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), "bench-embedded-inproc-"));
  try {
    const started = performance.now();
    const pglite = await PGlite.create({ dataDir: dir });
    for (const migration of readMigrations()) await pglite.exec(migration.sql);
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
    const startMs = performance.now() - started;
    try {
      return await exercise(prisma, startMs);
    } finally {
      await prisma.$disconnect();
      await pglite.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const wire = await wireServer();
const inproc = await inProcess();
const rows = [
  ["wire server (used)", wire],
  ["in-process adapter", inproc],
] as const;
console.log(`embedded database, ${SEQUENTIAL} sequential Prisma creates, createMany of ${BULK}`);
console.log(
  formatTable(
    ["mode", "start ms", "creates/s", "createMany s", "page read ms"],
    rows.map(([name, m]) => [
      name,
      m.startMs.toFixed(0),
      m.sequentialRowsPerSecond.toFixed(0),
      m.createManySeconds.toFixed(2),
      m.pagedReadMs.toFixed(2),
    ]),
  ),
);
await writeBenchResult("embedded-database", {
  machine: machineDescription(),
  sequential: SEQUENTIAL,
  bulk: BULK,
  wireServer: wire,
  inProcessAdapter: inproc,
});
