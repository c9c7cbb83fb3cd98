import type { SampleStatus } from "@/lib/samples/sample-query";

// How a sample's outcome reads to a curator: kept, or the reason Algorithm 1 / the pipeline dropped it.
export const STATUS_NAMES: Record<SampleStatus, string> = {
  kept: "kept",
  other_kept: "other instruction kept",
  none_kept: "none kept (both mention details)",
  judgement_failed: "judgement failed",
  text_failed: "text failed",
  pending: "pending",
};

export function formatScore(value: number | null, digits = 0): string {
  return value === null ? "–" : value.toFixed(digits);
}

export function formatDepartment(name: string | null): string {
  return name ?? "None";
}

export function formatWhen(iso: string): string {
  return iso.replace("T", " ").slice(0, 19);
}
