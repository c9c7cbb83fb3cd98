import { readdirSync, readFileSync } from "node:fs";

/**
 * Reads CPU and memory of processes from /proc (Linux only) while a phase runs: the worker's RSS over
 * time shows whether memory stays flat, and the CPU split shows which process the cores went to.
 */

const CLOCK_TICKS_PER_SECOND = 100;

export interface RssSample {
  seconds: number;
  rssMB: number;
}

/** User + system CPU of one process so far, in seconds; null once it has exited. */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces; the fields after its closing parenthesis are fixed.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

export function processRssMB(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** CPU seconds of every process named postgres: the server is shared, so this is an upper bound for the bench. */
export function postgresCpuSeconds(): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/comm`, "utf8").startsWith("postgres")) continue;
    } catch {
      continue;
    }
    total += processCpuSeconds(Number(entry)) ?? 0;
  }
  return total;
}

/** Busy and total CPU seconds of the whole machine, from /proc/stat. */
export function machineCpuSeconds(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!;
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((sum, value) => sum + value, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return { busy: (total - idle) / CLOCK_TICKS_PER_SECOND, total: total / CLOCK_TICKS_PER_SECOND };
}

/** Samples the summed RSS of `pids()` every `everyMs` until stopped. */
export function sampleRss(pids: () => number[], everyMs: number): { stop(): RssSample[] } {
  const started = performance.now();
  const samples: RssSample[] = [];
  const timer = setInterval(() => {
    const rss = pids().reduce((sum, pid) => sum + (processRssMB(pid) ?? 0), 0);
    if (rss > 0) samples.push({ seconds: (performance.now() - started) / 1000, rssMB: rss });
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return samples;
    },
  };
}

/**
 * Mean RSS over the first, middle and last third of the samples. The first third holds the warm-up
 * (JIT, connection pools, the first batches' working set); a leak shows as the last third above the
 * middle one, since a steady state stays level from there on.
 */
export function rssThirds(samples: RssSample[]): {
  firstThirdMB: number;
  middleThirdMB: number;
  lastThirdMB: number;
  peakMB: number;
  growthPercent: number;
  growthAfterWarmUpPercent: number;
} {
  const third = Math.max(1, Math.floor(samples.length / 3));
  const mean = (part: RssSample[]) => part.reduce((sum, sample) => sum + sample.rssMB, 0) / Math.max(1, part.length);
  const first = mean(samples.slice(0, third));
  const middle = mean(samples.slice(third, -third));
  const last = mean(samples.slice(-third));
  const round = (value: number) => Math.round(value * 10) / 10;
  const growth = (from: number, to: number) => (from === 0 ? 0 : round(((to - from) / from) * 100));
  return {
    firstThirdMB: round(first),
    middleThirdMB: round(middle),
    lastThirdMB: round(last),
    peakMB: round(Math.max(0, ...samples.map((sample) => sample.rssMB))),
    growthPercent: growth(first, last),
    growthAfterWarmUpPercent: growth(middle, last),
  };
}
