import { describe, expect, it } from "vitest";
import { startSimulator } from "../simulator";
import { createBackendClient } from "./client";
import { concurrencyForServer } from "./server-concurrency";

describe("adaptive concurrency per server", () => {
  it("gives two roles of one base URL one limiter under the higher ceiling; another server has its own", () => {
    const generator = concurrencyForServer("http://gpu-a.test:8000", "generator", 8);
    const judge = concurrencyForServer("http://gpu-a.test:8000", "judge", 32);
    const other = concurrencyForServer("http://gpu-b.test:8000", "generator", 8);
    expect(judge).toBe(generator);
    expect(other).not.toBe(generator);
    expect(generator.snapshot()).toMatchObject({ ceiling: 32, roles: ["generator", "judge"] });
    expect(other.snapshot()).toMatchObject({ ceiling: 8, roles: ["generator"] });
    const before = other.limiter.limit;
    generator.limiter.congestion();
    generator.limiter.congestion();
    expect(judge.limiter.limit).toBeLessThan(8);
    expect(other.limiter.limit).toBe(before);
  });

  it("against real servers: roles sharing one server see one limit, each under its own ceiling; a second server adapts apart", async () => {
    const small = await startSimulator({ port: 0, latencyMs: 40, capacity: 6, seed: "shared" });
    const large = await startSimulator({ port: 0, latencyMs: 40, seed: "apart" });
    try {
      const settings = { model: "simulated/finemed-sim", adaptiveConcurrency: true, maxRetries: 8 } as const;
      const generator = createBackendClient({ ...settings, role: "generator", baseUrl: small.url, maxInFlight: 64 });
      const judge = createBackendClient({ ...settings, role: "judge", baseUrl: `${small.url}/v1`, maxInFlight: 3 });
      const elsewhere = createBackendClient({ ...settings, role: "generator", baseUrl: large.url, maxInFlight: 64 });
      let stop = false;
      let judgeMost = 0;
      const drive = (client: typeof generator, callers: number) =>
        Array.from({ length: callers }, async (_, caller) => {
          for (let i = 0; !stop; i++) {
            await client.chat({ messages: [{ role: "user", content: `${client.role} ${caller} ${i}` }] });
            if (client === judge) judgeMost = Math.max(judgeMost, judge.load().inFlight);
          }
        });
      const callers = [...drive(generator, 24), ...drive(judge, 24), ...drive(elsewhere, 24)];
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      stop = true;
      await Promise.all(callers);
      const shared = generator.adaptive()!;
      expect(judge.adaptive()).toEqual(shared);
      expect(shared.roles).toEqual(["generator", "judge"]);
      // The higher of the two ceilings, not their sum.
      expect(shared.ceiling).toBe(64);
      // The shared limit hovers near the small server's capacity (6); the large server's limit grew on its own.
      expect(shared.limit).toBeLessThanOrEqual(16);
      expect(elsewhere.adaptive()!.limit).toBeGreaterThan(shared.limit);
      expect(elsewhere.adaptive()!.roles).toEqual(["generator"]);
      // The judge's own ceiling holds inside the shared limiter.
      expect(judgeMost).toBeLessThanOrEqual(3);
      expect(large.stats().byStatus["429"] ?? 0).toBe(0);
    } finally {
      await small.close();
      await large.close();
    }
  });
});
