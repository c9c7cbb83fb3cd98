"use client";

import { useCallback, useState } from "react";
import { usePolling } from "@/components/use-polling";
import type { RunBackendHealth } from "@/lib/runs/backend-check";

type Health = { kind: "loading" } | { kind: "done"; servers: RunBackendHealth[]; at: Date } | { kind: "failed"; reason: string };

const HEALTH_INTERVAL_MS = 10_000;

function percent(value: number | undefined): string {
  return value === undefined ? "—" : `${Math.round(value * 100)}%`;
}

/** Models, latency and load of every server the run's roles use, re-checked every 10 s while it runs. */
export function BackendHealth({ runId, active }: { runId: string; active: boolean }) {
  const [health, setHealth] = useState<Health>({ kind: "loading" });

  const check = useCallback(async () => {
    try {
      const response = await fetch(`/api/runs/${runId}/backends`, { cache: "no-store" });
      const body = (await response.json()) as { servers: RunBackendHealth[] } | { error: string };
      if ("error" in body) setHealth({ kind: "failed", reason: body.error });
      else setHealth({ kind: "done", servers: body.servers, at: new Date() });
    } catch {
      setHealth({ kind: "failed", reason: "the studio did not answer" });
    }
  }, [runId]);

  usePolling(check, HEALTH_INTERVAL_MS, { active, immediate: true });

  if (health.kind === "loading") return <p className="muted">Checking the servers…</p>;
  if (health.kind === "failed") return <p className="status-bad">Could not check the servers: {health.reason}</p>;
  return (
    <>
      <table className="grid" aria-label="Backends">
        <thead>
          <tr>
            <th>Server</th>
            <th>Roles (model)</th>
            <th>State</th>
            <th className="num">Latency</th>
            <th className="num">Running</th>
            <th className="num">Waiting</th>
            <th className="num">KV cache</th>
          </tr>
        </thead>
        <tbody>
          {health.servers.map((server) => (
            <tr key={server.baseUrl}>
              <td>
                {server.baseUrl}
                {server.simulator ? (
                  <>
                    {" "}
                    <span className="pill">simulated backend</span>
                  </>
                ) : null}
              </td>
              <td>
                {byModel(server.roles).map((group) => (
                  <div key={group.model} className={group.served ? undefined : "status-bad"}>
                    {group.roles.join(", ")} ({group.model}){group.served ? "" : " — not served"}
                  </div>
                ))}
              </td>
              <td className={server.ok ? "status-ok" : "status-bad"}>{server.ok ? "up" : (server.reason ?? "down")}</td>
              <td className="num">{server.latencyMs === null ? "—" : `${server.latencyMs} ms`}</td>
              <td className="num">{server.load?.requestsRunning ?? "—"}</td>
              <td className="num">{server.load?.requestsWaiting ?? "—"}</td>
              <td className="num">{percent(server.load?.kvCacheUsage)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="pager">
        <span className="muted">
          Checked {health.at.toLocaleTimeString("en")} from the studio&apos;s server (workers may see other routes).
        </span>
        <button type="button" className="secondary" onClick={() => void check()}>
          Check backends
        </button>
      </div>
    </>
  );
}

/** Roles sharing a model read as one line ("generator, judge (m)"), not the model repeated five times. */
function byModel(roles: { role: string; model: string; served: boolean }[]): { model: string; served: boolean; roles: string[] }[] {
  const groups = new Map<string, { model: string; served: boolean; roles: string[] }>();
  for (const role of roles) {
    const group = groups.get(role.model) ?? { model: role.model, served: role.served, roles: [] };
    group.roles.push(role.role);
    groups.set(role.model, group);
  }
  return [...groups.values()];
}
