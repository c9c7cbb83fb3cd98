// How long `finemed --help` takes from a cold process (issue 15: median of 5 under 250 ms), beside bare
// `node -e ""` (the floor) and the CLI run from its TypeScript through tsx (how it ran before compiling).
import { spawnSync } from "node:child_process";
import { formatTable, machineDescription, writeBenchResult } from "./bench-result";

const RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function measure(args: string[]): { medianMs: number; runsMs: number[] } {
  const runsMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
    runsMs.push(performance.now() - started);
    if (result.status !== 0) throw new Error(`${args.join(" ")} exited ${result.status}: ${result.stderr.toString()}`);
  }
  return { medianMs: median(runsMs), runsMs };
}

// Warm the compiled build once, so the figure is a start, not a compile.
spawnSync(process.execPath, ["bin/finemed.js", "--help"], { stdio: "ignore" });
const fromSource = `import("./cli/main.ts").then(async ({ main }) => { process.exitCode = await main(["--help"]); })`;
const rows = {
  "bare node (floor)": measure(["-e", ""]),
  "finemed --help (compiled)": measure(["bin/finemed.js", "--help"]),
  "finemed --help through tsx (before)": measure(["--import", "tsx", "-e", fromSource]),
};
console.log(
  formatTable(
    ["command", "median ms", "runs ms"],
    Object.entries(rows).map(([name, row]) => [name, row.medianMs.toFixed(0), row.runsMs.map((ms) => ms.toFixed(0)).join(" ")]),
  ),
);
console.log(`written ${await writeBenchResult("cli-start", { machine: machineDescription(), runs: RUNS, rows })}`);
