import type { ServerConcurrencySnapshot } from "../llm/server-concurrency";
import type { RoleView } from "./run-detail";
import type { RunHealth } from "./run-health";

/** One row of the run page's "Concurrency per server". */
export interface ServerConcurrencyRow {
  server: string;
  roles: string[];
  adaptive: boolean;
  /** Requests in flight allowed now: the live adaptive limit (null until a worker wrote one), or the roles' fixed limits summed. */
  limit: number | null;
  /** The most it may reach: the highest role ceiling when adaptive (one shared limiter), the sum when fixed. */
  ceiling: number;
  /** Live figures a worker last wrote; null for fixed concurrency or before the first write. */
  live: Pick<ServerConcurrencySnapshot, "inFlight" | "waiting" | "decreases"> | null;
}

/**
 * The run's servers with the concurrency each allows. Fixed roles each hold their own limiter, so a
 * server's fixed allowance is their sum; adaptive roles of one server share one limiter (lib/llm/server-concurrency.ts).
 */
export function serverConcurrencyRows(roles: RoleView[], concurrency: RunHealth["concurrency"]): ServerConcurrencyRow[] {
  const byServer = new Map<string, RoleView[]>();
  for (const role of roles) byServer.set(role.server, [...(byServer.get(role.server) ?? []), role]);
  return [...byServer.entries()].map(([server, serverRoles]) => {
    const adaptiveRoles = serverRoles.filter((role) => role.adaptiveConcurrency);
    const live = concurrency?.servers[server] ?? null;
    if (adaptiveRoles.length === 0) {
      const sum = serverRoles.reduce((total, role) => total + role.maxInFlight, 0);
      return { server, roles: serverRoles.map((role) => role.role), adaptive: false, limit: sum, ceiling: sum, live: null };
    }
    const ceiling = Math.max(...adaptiveRoles.map((role) => role.maxInFlight));
    return {
      server,
      roles: serverRoles.map((role) => role.role),
      adaptive: true,
      limit: live?.limit ?? null,
      ceiling: live?.ceiling ?? ceiling,
      live: live ? { inFlight: live.inFlight, waiting: live.waiting, decreases: live.decreases } : null,
    };
  });
}
