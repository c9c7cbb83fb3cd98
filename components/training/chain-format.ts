/** Green when done, red when failed, amber while waiting or running. */
export function trainingStateClass(state: string): string {
  if (state === "COMPLETED") return "status-ok";
  if (["FAILED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL", "BOOT_FAIL", "DEADLINE", "PREEMPTED"].includes(state)) return "status-bad";
  if (state === "CANCELLED" || state === "CANCELLING") return "muted";
  return "status-warn";
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null) return "—";
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Times as the studio shows them elsewhere: UTC, to the second. */
export function formatTime(iso: string | null): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}` : "—";
}
