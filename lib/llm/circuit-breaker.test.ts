import { describe, expect, it } from "vitest";
import { BackendError } from "./backend-error";
import { CircuitBreaker } from "./circuit-breaker";

describe("CircuitBreaker", () => {
  it("opens after consecutive failures; a success in between resets the count", async () => {
    const breaker = new CircuitBreaker("test", { failureThreshold: 3, coolDownMs: 10_000 });
    const permit = await breaker.acquire(0, "/x");
    breaker.record(permit, "failure");
    breaker.record(permit, "failure");
    breaker.record(permit, "success");
    breaker.record(permit, "failure");
    breaker.record(permit, "failure");
    expect(breaker.snapshot().state).toBe("closed");
    breaker.record(permit, "failure");
    expect(breaker.snapshot()).toMatchObject({ state: "open", opens: 1, consecutiveFailures: 3 });
    await expect(breaker.acquire(100, "/x")).rejects.toMatchObject({ kind: "circuit-open" });
    await expect(breaker.acquire(100, "/x")).rejects.toBeInstanceOf(BackendError);
  });

  it("lets exactly one probe through after the cool-down and reopens if it fails", async () => {
    const breaker = new CircuitBreaker("probe", { failureThreshold: 1, coolDownMs: 50 });
    breaker.record({ probe: false }, "failure");
    // Either waiter may wake first (their timers expire together): whichever does is the one probe.
    const waiters = [breaker.acquire(1_000, "/x"), breaker.acquire(1_000, "/x")].map((acquired, index) =>
      acquired.then((permit) => ({ index, permit })),
    );
    const { index, permit: probe } = await Promise.race(waiters);
    expect(probe.probe).toBe(true);
    expect(breaker.snapshot().state).toBe("half-open");
    breaker.record(probe, "failure");
    expect(breaker.snapshot()).toMatchObject({ state: "open", opens: 2 });
    // The other waiter becomes the next probe after another cool-down; its success closes the circuit.
    const next = (await waiters[1 - index]!).permit;
    expect(next.probe).toBe(true);
    breaker.record(next, "success");
    expect(breaker.snapshot().state).toBe("closed");
    expect((await breaker.acquire(0, "/x")).probe).toBe(false);
  });

  it("stops a caller asking for it from waiting while nothing listens at the address, and waits again once it did", async () => {
    const breaker = new CircuitBreaker("refused", { failureThreshold: 1, coolDownMs: 300 });
    breaker.record({ probe: false }, "failure", "ECONNREFUSED");
    const started = Date.now();
    await expect(breaker.acquire(5_000, "/x", 0)).rejects.toMatchObject({ kind: "circuit-open", code: "ECONNREFUSED" });
    expect(Date.now() - started).toBeLessThan(100);
    // A patient caller (no unreachableWaitMs) still waits for the probe.
    expect((await breaker.acquire(5_000, "/x")).probe).toBe(true);
    breaker.record({ probe: true }, "failure");
    // The last failure was an overloaded server, not a dead address: the impatient caller waits too.
    expect((await breaker.acquire(5_000, "/x", 0)).probe).toBe(true);
  });
});
