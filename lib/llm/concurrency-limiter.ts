// Caps requests in flight per role so one busy step cannot starve the server's batch for the others;
// waiters are served first-come first-served.

export class ConcurrencyLimiter {
  private active = 0;
  private readonly queue: ((() => void) | undefined)[] = [];
  private head = 0;

  constructor(readonly maxInFlight: number) {
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1) throw new RangeError("maxInFlight must be a positive integer");
  }

  get inFlight(): number {
    return this.active;
  }

  get waiting(): number {
    return this.queue.length - this.head;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.maxInFlight) {
      await new Promise<void>((resolve) => this.queue.push(resolve));
    } else {
      this.active++;
    }
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private release(): void {
    const next = this.queue[this.head];
    if (next === undefined) {
      this.active--;
      return;
    }
    // The slot passes straight to the next waiter, so `active` stays unchanged.
    this.queue[this.head] = undefined;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    next();
  }
}
