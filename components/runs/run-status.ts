/** The CSS class a run status reads in: green when done, red when it stopped short, amber while held. */
export function runStatusClass(status: string): string {
  if (status === "completed") return "status-ok";
  if (status === "failed" || status === "cancelled") return "status-bad";
  if (status === "paused") return "status-warn";
  return "";
}

export function isActiveRun(status: string): boolean {
  return status === "queued" || status === "running";
}

export function formatCount(value: number): string {
  return value.toLocaleString("en");
}

export function formatWhen(iso: string | null): string {
  return iso ? iso.replace("T", " ").slice(0, 19) : "—";
}
