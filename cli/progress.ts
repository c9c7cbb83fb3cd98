import cliProgress from "cli-progress";

/** A progress bar on a terminal's stderr; silent when stderr is not a TTY or output is --json. */
export interface Progress {
  update(value: number, detail?: string): void;
  stop(): void;
}

export function startProgress(label: string, total: number, enabled: boolean): Progress {
  if (!enabled || !process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {detail}`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(Math.max(total, 1), 0, { detail: "" });
  return {
    update(value, detail = "") {
      bar.update(Math.min(value, total), { detail });
    },
    stop() {
      bar.stop();
    },
  };
}
