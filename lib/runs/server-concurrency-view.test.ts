import { describe, expect, it } from "vitest";
import type { RoleView } from "./run-detail";
import { serverConcurrencyRows } from "./server-concurrency-view";

function role(name: RoleView["role"], server: string, maxInFlight: number, adaptiveConcurrency: boolean): RoleView {
  return {
    role: name,
    baseUrl: `${server}/v1`,
    server,
    model: "m",
    apiKeyEnv: null,
    maxInFlight,
    adaptiveConcurrency,
    timeoutMs: 1_000,
    maxRetries: 1,
    structuredOutputs: false,
    sampling: {},
  };
}

describe("the run page's concurrency per server", () => {
  it("groups roles by server: adaptive ones under the highest ceiling with the live limit, fixed ones summed", () => {
    const roles = [
      role("generator", "http://gpu-a:8000", 32, true),
      role("judge", "http://gpu-a:8000", 8, true),
      role("reasoner", "http://gpu-b:8000", 16, false),
      role("classifier", "http://gpu-b:8000", 4, false),
      role("reward", "http://gpu-c:8000", 8, true),
    ];
    const live = { limit: 11, ceiling: 32, inFlight: 9, waiting: 3, decreases: 2, roles: ["generator", "judge"] };
    const rows = serverConcurrencyRows(roles, { at: "2026-12-04T18:00:00.000Z", servers: { "http://gpu-a:8000": live } });
    expect(rows).toEqual([
      {
        server: "http://gpu-a:8000",
        roles: ["generator", "judge"],
        adaptive: true,
        limit: 11,
        ceiling: 32,
        live: { inFlight: 9, waiting: 3, decreases: 2 },
      },
      { server: "http://gpu-b:8000", roles: ["reasoner", "classifier"], adaptive: false, limit: 20, ceiling: 20, live: null },
      // No worker wrote this server's limit yet: none is made up.
      { server: "http://gpu-c:8000", roles: ["reward"], adaptive: true, limit: null, ceiling: 8, live: null },
    ]);
  });
});
