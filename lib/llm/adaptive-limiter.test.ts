import { describe, expect, it } from "vitest";
import { AdaptiveLimiter } from "./adaptive-limiter";

describe("AdaptiveLimiter", () => {
  it("doubles until the first congestion, then cuts once per burst and grows back additively, under the ceiling", () => {
    let clock = 0;
    const limiter = new AdaptiveLimiter(100, { initial: 4, now: () => clock });
    const window = () => {
      for (let i = limiter.limit; i > 0; i--) limiter.success(10);
    };
    window();
    expect(limiter.limit).toBe(8);
    window();
    window();
    expect(limiter.limit).toBe(32);
    // One multiplicative cut per burst; each rejection gives up its own slot besides.
    for (let i = 0; i < 4; i++) limiter.congestion();
    expect(limiter.limit).toBe(27 - 3);
    window();
    expect(limiter.limit).toBe(25);
    window();
    expect(limiter.limit).toBe(26);
    window();
    expect(limiter.limit).toBe(28);
    clock += 1_000;
    limiter.congestion();
    expect(limiter.limit).toBe(24);
    for (let i = 0; i < 100; i++) window();
    expect(limiter.limit).toBe(100);
    // Rejections still pouring in after a cut: the next cut halves.
    clock += 1_000;
    for (let i = 0; i < 30; i++) limiter.congestion();
    expect(limiter.limit).toBe(89 - 29);
    clock += 300;
    limiter.congestion();
    expect(limiter.limit).toBe(29);
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
    limiter.observeWaiting(1);
    expect(limiter.limit).toBe(40);
    limiter.observeWaiting(10);
    expect(limiter.limit).toBe(35);
  });
});
