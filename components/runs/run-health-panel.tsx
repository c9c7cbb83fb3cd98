import type { RunHealth } from "@/lib/runs/run-health";
import { formatCount, formatWhen } from "./run-status";

/** What holds a run back, where the user looks first: a block with its reason and worker, a stall with its cause, retries. */
export function RunHealthPanel({ health }: { health: RunHealth }) {
  if (health.state === "blocked") {
    return (
      <div className="panel status-bad" role="alert" data-testid="run-health-panel">
        <strong>Blocked:</strong> {health.reason}
        <div className="muted">
          Seen by worker {health.worker ?? "?"} since {formatWhen(health.since)}; checked again {formatCount(health.checks)} times. Its batches are
          parked, not failed: the run resumes by itself once this is fixed.
        </div>
      </div>
    );
  }
  if (health.state === "stalled") {
    return (
      <div className="panel status-warn" role="alert" data-testid="run-health-panel">
        <strong>Stalled:</strong> no text finished since {formatWhen(health.lastProgressAt)}. Likely cause: {health.reason}
      </div>
    );
  }
  if (health.state === "retrying") {
    return (
      <div className="panel status-warn" role="status" data-testid="run-health-panel">
        <strong>Retrying:</strong> batches went back to the queue {formatCount(health.transientRetries)} times after transient errors (last: {health.lastTransientError})
      </div>
    );
  }
  return null;
}

/** "3 min 20 s" from seconds; a dash when unknown. */
export function formatEta(seconds: number | null): string {
  if (seconds === null) return "—";
  if (seconds < 60) return `${Math.max(0, Math.round(seconds))} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
