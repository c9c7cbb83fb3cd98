import { describe, expect, it } from "vitest";
import { startSimulator } from "../simulator";
import { createBackendClient } from "./client";

describe("a client with adaptive concurrency against a server of limited capacity", () => {
  it("settles near the capacity under its ceiling, without a storm of 429s", async () => {
    const simulator = await startSimulator({ port: 0, latencyMs: 100, capacity: 8 });
    try {
      const client = createBackendClient({
        role: "generator",
        baseUrl: simulator.url,
        model: "simulated/finemed-sim",
        maxInFlight: 64,
        adaptiveConcurrency: true,
        maxRetries: 8,
      });
      let stop = false;
      let done = 0;
      const callers = Array.from({ length: 64 }, async (_, caller) => {
        for (let i = 0; !stop; i++) {
          await client.chat({ messages: [{ role: "user", content: `caller ${caller}, question ${i}` }] });
          done++;
        }
      });
      // Slow start overshoots once; the steady state after it is what must not bounce 429s.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const settledDone = done;
      const settledRejected = simulator.stats().byStatus["429"] ?? 0;
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      stop = true;
      await Promise.all(callers);
      const snapshot = client.adaptive()!;
      expect(snapshot.ceiling).toBe(64);
      expect(snapshot.limit).toBeGreaterThanOrEqual(5);
      expect(snapshot.limit).toBeLessThanOrEqual(16);
      expect(snapshot.decreases).toBeGreaterThan(0);
      const rejected = (simulator.stats().byStatus["429"] ?? 0) - settledRejected;
      const answered = done - settledDone;
      expect(answered).toBeGreaterThan(100);
      expect(rejected).toBeLessThan(answered * 0.25);
    } finally {
      await simulator.close();
    }
  });
});
