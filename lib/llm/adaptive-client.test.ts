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

  it("cuts the limit on a 429 before the slot passes to the next waiter", async () => {
    // 32 callers behind a limit of 16 (the default start) against a server that takes 4: the first 16 calls
    // go out, 12 come back 429. Reported before their slots are given back, they cut the limit below the 4
    // still in flight, so no waiter is let in until those answer. Reported after (the slot passed first),
    // each 429 would let a waiter in to bounce another one.
    const simulator = await startSimulator({ port: 0, latencyMs: 1_000, capacity: 4 });
    try {
      const client = createBackendClient({
        role: "generator",
        baseUrl: simulator.url,
        model: "simulated/finemed-sim",
        maxInFlight: 64,
        adaptiveConcurrency: true,
        maxRetries: 0,
      });
      const calls = Array.from({ length: 32 }, (_, caller) =>
        client.chat({ messages: [{ role: "user", content: `caller ${caller} asks which department treats gout` }] }).catch(() => undefined),
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(simulator.stats().byStatus["429"] ?? 0).toBe(12);
      expect(client.adaptive()!.limit).toBeLessThan(4);
      await Promise.all(calls);
    } finally {
      await simulator.close();
    }
  });
});
