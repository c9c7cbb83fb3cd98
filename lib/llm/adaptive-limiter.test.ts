import { describe, expect, it } from "vitest";
import { AdaptiveLimiter } from "./adaptive-limiter";

/** Callers that never finish: the limit is always the constraint, so successes count towards growth. */
function saturate(limiter: AdaptiveLimiter): void {
  for (let i = 0; i < 1_000; i++) void limiter.run(() => new Promise<never>(() => undefined));
}

describe("AdaptiveLimiter", () => {
  it("starts at 16 (or the ceiling), under the ceiling", () => {
    expect(new AdaptiveLimiter(100).limit).toBe(16);
    expect(new AdaptiveLimiter(10).limit).toBe(10);
  });

  it("grows by one per success in slow start, cuts ×0.97 once per burst, ×0.5 when rejections keep coming", () => {
    let clock = 0;
    const limiter = new AdaptiveLimiter(100, { initial: 4, now: () => clock });
    saturate(limiter);
    const successes = (count: number) => {
      for (let i = 0; i < count; i++) limiter.success(10);
    };
    const window = () => successes(limiter.limit);
    // Slow start: each success adds a slot (doubling per round trip), not a doubling at the end of a window.
    successes(3);
    expect(limiter.limit).toBe(7);
    successes(1);
    window();
    window();
    expect(limiter.limit).toBe(32);
    // An isolated rejection: its own slot, then ×0.97 (31 → 30); the rest of the burst gives up one slot each.
    limiter.congestion();
    expect(limiter.limit).toBe(30);
    for (let i = 0; i < 3; i++) limiter.congestion();
    expect(limiter.limit).toBe(27);
    // Slow start is over: one step per window, growing with the calm (1, 1, 2, 2).
    successes(26);
    expect(limiter.limit).toBe(27);
    successes(1);
    expect(limiter.limit).toBe(28);
    window();
    expect(limiter.limit).toBe(29);
    window();
    expect(limiter.limit).toBe(31);
    window();
    expect(limiter.limit).toBe(33);
    clock += 1_000;
    limiter.congestion();
    expect(limiter.limit).toBe(31);
    for (let i = 0; i < 100; i++) window();
    expect(limiter.limit).toBe(100);
    // Rejections still pouring in after a cut: the next cut halves.
    clock += 1_000;
    for (let i = 0; i < 30; i++) limiter.congestion();
    expect(limiter.limit).toBe(96 - 29);
    clock += 300;
    limiter.congestion();
    expect(limiter.limit).toBe(33);
  });

  it("keeps the slot of a call that reported congestion from the next waiter", async () => {
    const limiter = new AdaptiveLimiter(10, { initial: 2 });
    const releases: (() => void)[] = [];
    const started: number[] = [];
    const call = (index: number, rejected: boolean) =>
      limiter.run(async () => {
        started.push(index);
        await new Promise<void>((resolve) => releases.push(resolve));
        if (rejected) limiter.congestion();
      });
    const calls = [call(0, true), call(1, false), call(2, false)];
    await new Promise((resolve) => setTimeout(resolve, 1));
    expect(started).toEqual([0, 1]);
    // The 429 cut the limit to 1 while call 1 still holds a slot: call 2 waits for it.
    releases.shift()!();
    await new Promise((resolve) => setTimeout(resolve, 1));
    expect(limiter.limit).toBe(1);
    expect(started).toEqual([0, 1]);
    releases.shift()!();
    await new Promise((resolve) => setTimeout(resolve, 1));
    expect(started).toEqual([0, 1, 2]);
    releases.shift()!();
    await Promise.all(calls);
  });

  it("does not grow while no caller waits and slots are free", () => {
    const limiter = new AdaptiveLimiter(100, { initial: 4 });
    for (let i = 0; i < 100; i++) limiter.success(10);
    expect(limiter.limit).toBe(4);
    saturate(limiter);
    limiter.success(10);
    expect(limiter.limit).toBe(5);
  });

  it("holds callers beyond the limit and lets them in as the limit grows", async () => {
    const limiter = new AdaptiveLimiter(10, { initial: 2 });
    let running = 0;
    let most = 0;
    const releases: (() => void)[] = [];
    const tasks = Array.from({ length: 6 }, () =>
      limiter.run(
        () =>
          new Promise<void>((resolve) => {
            running++;
            most = Math.max(most, running);
            releases.push(() => {
              running--;
              resolve();
            });
          }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(running).toBe(2);
    limiter.success(1);
    limiter.success(1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(running).toBe(4);
    while (releases.length > 0) {
      releases.shift()!();
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await Promise.all(tasks);
    expect(most).toBe(4);
  });

  it("treats a growing server queue as congestion", () => {
    const clock = 0;
    const limiter = new AdaptiveLimiter(64, { initial: 40, now: () => clock });
    saturate(limiter);
    limiter.observeWaiting(1);
    expect(limiter.limit).toBe(40);
    limiter.observeWaiting(10);
    expect(limiter.limit).toBe(37);
  });
});
