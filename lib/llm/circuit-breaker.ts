import { BackendError } from "./backend-error";

// One breaker per base URL, shared by every client that talks to that server: when the server is down,
// callers wait for a single half-open probe instead of each hammering it with its own retries.

export type CircuitState = "closed" | "open" | "half-open";

export interface CircuitOptions {
  /** Consecutive failures (connection, timeout, 5xx) that open the circuit. */
  failureThreshold: number;
  /** Time the circuit stays open before one probe request is let through. */
  coolDownMs: number;
}

export const DEFAULT_CIRCUIT_OPTIONS: CircuitOptions = { failureThreshold: 8, coolDownMs: 2_000 };

export interface CircuitSnapshot {
  key: string;
  state: CircuitState;
  consecutiveFailures: number;
  /** Epoch ms of the last transition to open; undefined if it never opened. */
  openedAt: number | undefined;
  /** How many times the circuit has opened. */
  opens: number;
}

export interface CircuitPermit {
  probe: boolean;
}

export type CircuitOutcome = "success" | "failure" | "neutral";

export class CircuitBreaker {
  private state: CircuitState = "closed";
  private failures = 0;
  private openedAt: number | undefined;
  private opens = 0;
  private probeInFlight = false;
  // Set while the last failure said nothing listens there (ECONNREFUSED, ENOTFOUND…): callers that asked for
  // it then stop waiting early (`unreachableWaitMs`) instead of each waiting its whole timeout for a probe,
  // so a run shows itself blocked in seconds.
  private unreachableCode: string | undefined;
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly key: string,
    readonly options: CircuitOptions = DEFAULT_CIRCUIT_OPTIONS,
  ) {}

  snapshot(): CircuitSnapshot {
    return { key: this.key, state: this.state, consecutiveFailures: this.failures, openedAt: this.openedAt, opens: this.opens };
  }

  /**
   * Resolves when a request may go out: at once while closed; after the cool-down (as the probe) or after
   * the probe succeeded while open. Rejects with a "circuit-open" BackendError when that takes longer
   * than `maxWaitMs`, or than `unreachableWaitMs` while the last failure found nothing listening.
   */
  async acquire(maxWaitMs: number, endpoint: string, unreachableWaitMs: number = maxWaitMs): Promise<CircuitPermit> {
    const startedAt = Date.now();
    for (;;) {
      const deadline = startedAt + (this.unreachableCode !== undefined ? Math.min(maxWaitMs, unreachableWaitMs) : maxWaitMs);
      if (this.state === "closed") return { probe: false };
      const now = Date.now();
      if (this.state === "open") {
        const reopenAt = (this.openedAt ?? now) + this.options.coolDownMs;
        if (now >= reopenAt) {
          this.state = "half-open";
          this.probeInFlight = true;
          return { probe: true };
        }
        if (reopenAt > deadline) throw this.openError(endpoint);
        await this.waitForChange(reopenAt - now);
        continue;
      }
      if (!this.probeInFlight) {
        this.probeInFlight = true;
        return { probe: true };
      }
      if (now >= deadline) throw this.openError(endpoint);
      await this.waitForChange(deadline - now);
    }
  }

  /** `unreachableCode`: the failure's network code when nothing answered at the address. */
  record(permit: CircuitPermit, outcome: CircuitOutcome, unreachableCode?: string): void {
    if (outcome === "success") {
      this.failures = 0;
      this.unreachableCode = undefined;
      if (this.state !== "closed") {
        this.state = "closed";
        this.probeInFlight = false;
        this.notify();
      }
      return;
    }
    if (outcome === "neutral") {
      if (permit.probe) {
        // The probe ended without a verdict (e.g. cancelled): let another caller probe.
        this.probeInFlight = false;
        this.notify();
      }
      return;
    }
    this.failures++;
    this.unreachableCode = unreachableCode;
    if (permit.probe || this.state === "half-open") {
      this.open();
    } else if (this.state === "closed" && this.failures >= this.options.failureThreshold) {
      this.open();
    }
  }

  private open(): void {
    this.state = "open";
    this.openedAt = Date.now();
    this.opens++;
    this.probeInFlight = false;
    this.notify();
  }

  private openError(endpoint: string): BackendError {
    return new BackendError({
      kind: "circuit-open",
      endpoint,
      message:
        `circuit for ${this.key} is ${this.state} after ${this.failures} consecutive failures` +
        (this.unreachableCode !== undefined ? ` (last: ${this.unreachableCode})` : ""),
      ...(this.unreachableCode !== undefined ? { code: this.unreachableCode } : {}),
    });
  }

  private waitForChange(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waiters.add(wake);
    });
  }

  private notify(): void {
    for (const wake of [...this.waiters]) wake();
  }
}

const registry = new Map<string, CircuitBreaker>();

/** The process-wide breaker of a base URL; the first caller's options win. */
export function circuitForBaseUrl(key: string, options: CircuitOptions = DEFAULT_CIRCUIT_OPTIONS): CircuitBreaker {
  let breaker = registry.get(key);
  if (breaker === undefined) {
    breaker = new CircuitBreaker(key, options);
    registry.set(key, breaker);
  }
  return breaker;
}
