import type { RunHealth } from "@/lib/runs/run-health";
import type { RunPreflight } from "@/lib/runs/run-preflight";
import { formatCount, formatWhen } from "./run-status";

/**
 * What holds a run back, where the user looks first, then what the checks before its first paid call found.
 * The concurrency per server is its own table (server-concurrency-table.tsx).
 */
export function RunHealthPanel({ health }: { health: RunHealth }) {
  return (
    <>
      <HealthState health={health} />
      {health.preflight ? <PreflightNotes preflight={health.preflight} /> : null}
    </>
  );
}

function PreflightNotes({ preflight }: { preflight: RunPreflight }) {
  return (
    <div className={`panel${preflight.notes.length > 0 ? " status-warn" : ""}`} data-testid="run-preflight">
      <strong>Checked before the first paid call</strong> ({formatWhen(preflight.checkedAt)}):{" "}
      {preflight.servers
        .map((server) => {
          const schemas =
            server.schemas === null
              ? ""
              : server.schemas.enforced === true
                ? ", JSON schemas enforced"
                : server.schemas.enforced === false
                  ? ", JSON schemas ignored"
                  : ", schema canary failed";
          const kv = server.kvCache?.metric
            ? `, KV cache ${Math.round((server.kvCache.usage ?? 0) * 100)}% (${server.kvCache.metric})`
            : "";
          return `${server.baseUrl} serves ${server.missing.length > 0 ? `not ${server.missing.join(", ")}` : "every role's model"}${schemas}${kv}`;
        })
        .join("; ")}
      {preflight.notes.length > 0 ? (
        <ul data-testid="preflight-notes">
          {preflight.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function HealthState({ health }: { health: RunHealth }) {
  if (health.state === "blocked") {
    return (
      <div className="panel status-bad" role="alert" data-testid="run-health-panel">
        <strong>Blocked:</strong> {health.reason}
        <div className="muted">
          Seen by worker {health.worker ?? "?"} since {formatWhen(health.since)}; checked again {formatCount(health.checks)} times. Its
          batches are parked, not failed: the run resumes by itself once this is fixed.
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
        <strong>Retrying:</strong> batches went back to the queue {formatCount(health.transientRetries)} times after transient errors (last:{" "}
        {health.lastTransientError})
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
