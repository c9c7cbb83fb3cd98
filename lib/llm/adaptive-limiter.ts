// Adaptive concurrency for one server: additive increase while the server keeps up, multiplicative
// decrease on congestion (429/503, timeouts, a growing vLLM queue), never above the role's configured
// ceiling (maxInFlight). Waiters are served first-come first-served.
//
// The rule, tuned with `npm run bench -- adaptive` (bench/RESULTS.md, "Adaptive concurrency"):
// - slow start from min(ceiling, 16): +1 per success, i.e. doubling per round trip, until the first
//   congestion. Growing per success (not a doubling at the end of a window) overshoots the capacity by a
//   few slots, not by the whole limit, so leaving slow start costs a handful of 429s instead of a burst;
// - growth only while the limit holds callers back (none waiting and slots free: no evidence);
// - then additive increase once per window (as many successes as the limit), the step growing with the
//   calm (1, 1, 2, 2, 3…) so capacity that grew is found quickly;
// - on congestion, at most once per cool-down: ×0.97 for an isolated rejection (it hovers just under the
//   capacity: a ×0.9 sawtooth averaged 93% of it), ×0.5 when rejections keep coming after a cut (the
//   server lost capacity); besides, every rejection gives up its own slot.
// Callers report a reply before giving the slot back (see run): a 429 that released its slot first would
// hand it to the next waiter, which would bounce a second 429 before the cut.

export interface AdaptiveLimiterOptions {
  /** Where it starts (default min(ceiling, 16)). */
  initial?: number;
  /** Share kept on an isolated congestion signal (default 0.97: gentle, so it hovers near the capacity instead of below). */
  decrease?: number;
  /** Congestion signals within this long after a decrease count once (default 250 ms, or the mean latency if longer). */
  cooldownMs?: number;
  now?: () => number;
}

export interface AdaptiveSnapshot {
  limit: number;
  ceiling: number;
  inFlight: number;
  waiting: number;
  decreases: number;
}

export class AdaptiveLimiter {
  private current: number;
  private active = 0;
  private readonly queue: (() => void)[] = [];
  private successes = 0;
  private calmWindows = 0;
  // +1 per success (doubling per round trip) until the first congestion finds the capacity in a few round trips.
  private slowStart = true;
  private lastDecrease = Number.NEGATIVE_INFINITY;
  private meanLatencyMs = 0;
  private decreases = 0;
  private rejectedSinceCut = 0;
  private readonly decrease: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;

  private top: number;

  constructor(ceiling: number, options: AdaptiveLimiterOptions = {}) {
    if (!Number.isInteger(ceiling) || ceiling < 1) throw new RangeError("the ceiling must be a positive integer");
    this.top = ceiling;
    this.current = Math.max(1, Math.min(ceiling, options.initial ?? 16));
    this.decrease = options.decrease ?? 0.97;
    this.cooldownMs = options.cooldownMs ?? 250;
    this.now = options.now ?? (() => performance.now());
  }

  get ceiling(): number {
    return this.top;
  }

  /** Another caller of the same server with a higher ceiling: the limit may grow up to it. */
  raiseCeiling(ceiling: number): void {
    if (Number.isInteger(ceiling) && ceiling > this.top) this.top = ceiling;
  }

  get limit(): number {
    return this.current;
  }

  get inFlight(): number {
    return this.active;
  }

  get waiting(): number {
    return this.queue.length;
  }

  snapshot(): AdaptiveSnapshot {
    return { limit: this.current, ceiling: this.ceiling, inFlight: this.active, waiting: this.queue.length, decreases: this.decreases };
  }

  /** Runs `task` in a slot; report its success or congestion inside `task`, before the slot is given back. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.current) await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  /** A call the server answered in time: one more success towards the next increase. */
  success(latencyMs: number): void {
    this.meanLatencyMs = this.meanLatencyMs === 0 ? latencyMs : 0.9 * this.meanLatencyMs + 0.1 * latencyMs;
    // Only a limit that held callers back learns from a success: while demand is below it (a run draining,
    // a quiet stage) it says nothing of the capacity, and would drift up to bounce 429s at the next burst.
    if (this.queue.length === 0 && this.active < this.current) return;
    if (this.slowStart) {
      this.setLimit(this.current + 1);
      return;
    }
    this.successes++;
    if (this.successes < this.current) return;
    // One window (as many successes as the limit) went by without congestion.
    this.successes = 0;
    this.calmWindows++;
    // Rejections followed by a calm window are old news.
    this.rejectedSinceCut = 0;
    // Additive, growing with the calm (1, 1, 2, 2, 3…), so a server that gained capacity is found quickly
    // while a limit just cut grows back one step at a time.
    this.setLimit(this.current + Math.ceil(this.calmWindows / 2));
  }

  /** 429, 503, a timeout: cut the limit, at most once per cool-down (a burst of rejections is one signal). */
  congestion(): void {
    this.rejectedSinceCut++;
    // Each rejection also gives up its slot for good: a slot above the server's capacity would otherwise
    // bounce a 429 every few milliseconds until the next cut.
    this.setLimit(this.current - 1);
    const now = this.now();
    if (now - this.lastDecrease < Math.max(this.cooldownMs, this.meanLatencyMs)) return;
    // Rejections still pouring in after a cut mean the server lost much of its capacity (or slow start
    // overshot it): halve, instead of creeping down while every slot above capacity bounces 429s.
    const severe = this.rejectedSinceCut > Math.max(2, this.current * 0.05);
    this.lastDecrease = now;
    this.rejectedSinceCut = 0;
    this.slowStart = false;
    this.calmWindows = 0;
    this.successes = 0;
    this.decreases++;
    this.setLimit(Math.floor(this.current * (severe ? 0.5 : this.decrease)));
  }

  /** The server's own queue (vllm:num_requests_waiting): requests queueing there gain nothing from more in flight. */
  observeWaiting(waiting: number): void {
    if (waiting > Math.max(2, this.current * 0.1)) this.congestion();
  }

  private setLimit(limit: number): void {
    this.current = Math.max(1, Math.min(this.top, limit));
    while (this.active < this.current && this.queue.length > 0) {
      this.active++;
      this.queue.shift()!();
    }
  }

  private release(): void {
    if (this.active > this.current || this.queue.length === 0) {
      this.active--;
      return;
    }
    // The slot passes straight to the next waiter.
    this.queue.shift()!();
  }
}
