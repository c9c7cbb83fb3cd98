import { combineHash, unitInterval } from "./determinism";

// Fault injection must be reproducible yet let retries succeed: the decision is a function of
// (seed, request hash, how many times this exact request was seen), and a request is never failed more
// than `maxFaultsPerRequest` times in a row.

export type FaultKind = "rate-limited" | "unavailable" | "dropped";

export const FAULT_KINDS: readonly FaultKind[] = ["rate-limited", "unavailable", "dropped"];

export interface FaultPlannerOptions {
  seedHash: number;
  failRate: number;
  garbageRate: number;
  faultKinds: readonly FaultKind[];
  maxFaultsPerRequest: number;
}

// Bounded so a long demo run cannot grow memory without limit; forgetting counts only makes a later
// repeat behave like a first attempt.
const MAX_TRACKED_REQUESTS = 200_000;

export class FaultPlanner {
  private readonly attempts = new Map<number, number>();

  constructor(private readonly options: FaultPlannerOptions) {}

  get active(): boolean {
    return this.options.failRate > 0 || this.options.garbageRate > 0;
  }

  /** Records one more sighting of the request and returns its zero-based attempt number. */
  nextAttempt(requestHash: number): number {
    if (!this.active) return 0;
    const attempt = this.attempts.get(requestHash) ?? 0;
    if (this.attempts.size >= MAX_TRACKED_REQUESTS) this.attempts.clear();
    this.attempts.set(requestHash, attempt + 1);
    return attempt;
  }

  faultFor(requestHash: number, attempt: number): FaultKind | undefined {
    const { failRate, faultKinds, maxFaultsPerRequest, seedHash } = this.options;
    if (failRate <= 0 || faultKinds.length === 0 || attempt >= maxFaultsPerRequest) return undefined;
    const roll = combineHash(seedHash, requestHash, attempt, 0xfa17);
    if (unitInterval(roll) >= failRate) return undefined;
    return faultKinds[combineHash(roll, 0x6b1d) % faultKinds.length];
  }

  isGarbage(requestHash: number, attempt: number, choiceIndex: number): boolean {
    const { garbageRate, seedHash } = this.options;
    if (garbageRate <= 0) return false;
    return unitInterval(combineHash(seedHash, requestHash, attempt, choiceIndex, 0x6a4b)) < garbageRate;
  }
}
