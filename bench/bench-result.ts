import { mkdir, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { cpus, totalmem } from "node:os";

const OUT_DIR = fileURLToPath(new URL("./out/", import.meta.url));

/** Where and on what a result was measured: figures from different machines must not be compared blindly. */
export function machineDescription(): { cpus: number; cpuModel: string; memoryGiB: number; node: string } {
  const cores = cpus();
  return {
    cpus: cores.length,
    cpuModel: cores[0]?.model ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
}

/** Writes bench/out/<name>.json and returns its path. */
export async function writeBenchResult(name: string, result: unknown): Promise<string> {
  await mkdir(OUT_DIR, { recursive: true });
  const path = `${OUT_DIR}${name}.json`;
  await writeFile(path, `${JSON.stringify(result, null, 2)}\n`);
  return path;
}

/** A plain-text table: first column left-aligned, the figures right-aligned. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("  ");
  return [line(header), widths.map((width) => "-".repeat(width)).join("  "), ...rows.map(line)].join("\n");
}
