import type { VersionState } from "@/lib/datasets";

export function stateLabel(state: VersionState): string {
  return state.replace("_", " ");
}

/** Green once approved, red when rejected, amber while someone has to act. */
export function stateClass(state: VersionState): string {
  if (state === "approved") return "status-ok";
  if (state === "rejected") return "status-bad";
  if (state === "in_review") return "status-warn";
  return "";
}

export function shortHash(hash: string): string {
  return hash.replace(/^sha256:/, "").slice(0, 12);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
