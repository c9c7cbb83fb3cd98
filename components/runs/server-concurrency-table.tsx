import type { RoleView } from "@/lib/runs/run-detail";
import type { RunHealth } from "@/lib/runs/run-health";
import { serverConcurrencyRows } from "@/lib/runs/server-concurrency-view";
import { formatCount, formatWhen } from "./run-status";

/** Each server of the run and how many requests it may have in flight now; adaptive limits move live. */
export function ServerConcurrencyTable({ roles, concurrency }: { roles: RoleView[]; concurrency: RunHealth["concurrency"] }) {
  const rows = serverConcurrencyRows(roles, concurrency);
  return (
    <>
      <table className="grid" aria-label="Concurrency per server" data-testid="run-concurrency">
        <thead>
          <tr>
            <th>Server</th>
            <th>Roles</th>
            <th>Mode</th>
            <th className="num">Allowed in flight</th>
            <th className="num">Ceiling</th>
            <th className="num">In flight</th>
            <th className="num">Cuts</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.server}>
              <td style={{ whiteSpace: "nowrap" }}>{row.server}</td>
              <td>{row.roles.join(", ")}</td>
              <td>{row.adaptive ? "adaptive (shared)" : "fixed per role"}</td>
              <td className="num">{row.limit === null ? "not measured yet" : formatCount(row.limit)}</td>
              <td className="num">{formatCount(row.ceiling)}</td>
              <td className="num">{row.live ? formatCount(row.live.inFlight) : "—"}</td>
              <td className="num">{row.live ? formatCount(row.live.decreases) : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {concurrency ? <p className="muted">Adaptive limits as a worker last wrote them, {formatWhen(concurrency.at)}.</p> : null}
    </>
  );
}
