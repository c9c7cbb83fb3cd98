import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * `npm run bench [-- NAME...]`: runs bench/NAME.bench.ts, or every benchmark in name order, each in
 * its own process so one benchmark's heap, pools and leftovers cannot colour the next one's figures.
 */

const BENCH_DIR = fileURLToPath(new URL("./", import.meta.url));
const SUFFIX = ".bench.ts";
const REPOSITORY = fileURLToPath(new URL("../", import.meta.url));

function availableBenchmarks(): string[] {
  return readdirSync(BENCH_DIR)
    .filter((name) => name.endsWith(SUFFIX))
    .map((name) => name.slice(0, -SUFFIX.length))
    .sort();
}

function runBenchmark(name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", `${BENCH_DIR}${name}${SUFFIX}`], {
      cwd: REPOSITORY,
      stdio: "inherit",
    });
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

async function main(requested: string[]): Promise<number> {
  const available = availableBenchmarks();
  const unknown = requested.filter((name) => !available.includes(name));
  if (unknown.length > 0) {
    process.stderr.write(`bench: no benchmark named ${unknown.join(", ")}; available: ${available.join(", ")}\n`);
    return 2;
  }
  const chosen = requested.length > 0 ? requested : available;
  const failed: string[] = [];
  for (const name of chosen) {
    process.stdout.write(`\n=== bench ${name} ===\n`);
    const started = performance.now();
    const code = await runBenchmark(name);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(`=== bench ${name}: ${code === 0 ? "done" : `FAILED (exit ${code})`} in ${seconds} s ===\n`);
    if (code !== 0) failed.push(name);
  }
  if (failed.length > 0) process.stderr.write(`bench: failed: ${failed.join(", ")}\n`);
  return failed.length > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
