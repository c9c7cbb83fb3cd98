import { AdaptiveLimiter, type AdaptiveSnapshot } from "./adaptive-limiter";

// Adaptive concurrency belongs to the server, not to the role: a vLLM server has one batch capacity, and two
// roles (or two runs) calling it each with a limiter of their own would each find "the" capacity and together
// ask for twice it. So every adaptive client of one base URL shares one limiter and one watch on the
// server's queue.
//
// The shared ceiling is the MAX of the roles' ceilings, not their sum. A role's maxInFlight is what its
// operator judged that server may take at once; the server's capacity does not grow because a second role
// addresses it, and a sum would let the limiter probe up to twice what anyone configured as safe. Each role
// still stays under its own ceiling (the client keeps a fixed limiter per role in front of the shared one).
// The ceiling only rises over the process's life: a later run with a lower ceiling is held by its role limiter.

/** The live limit of one server, as the run page shows it. */
export interface ServerConcurrencySnapshot extends AdaptiveSnapshot {
  /** Roles (of any run in this process) that call the server adaptively. */
  roles: string[];
}

// How often the server's queue (vllm:num_requests_waiting) is read while calls are out.
const QUEUE_WATCH_MS = 1_000;

export class ServerConcurrency {
  readonly limiter: AdaptiveLimiter;
  private readonly roles = new Set<string>();
  private watching: NodeJS.Timeout | null = null;

  constructor(
    readonly baseUrl: string,
    ceiling: number,
  ) {
    this.limiter = new AdaptiveLimiter(ceiling);
  }

  join(role: string, ceiling: number): void {
    this.roles.add(role);
    this.limiter.raiseCeiling(ceiling);
  }

  snapshot(): ServerConcurrencySnapshot {
    return { ...this.limiter.snapshot(), roles: [...this.roles].sort() };
  }

  /** Reads the server's queue once a second while any caller has calls out; one watch per server. */
  watchQueue(readWaiting: () => Promise<number | undefined>): void {
    if (this.watching !== null) return;
    this.watching = setInterval(() => {
      if (this.limiter.inFlight === 0 && this.limiter.waiting === 0) {
        clearInterval(this.watching!);
        this.watching = null;
        return;
      }
      void readWaiting()
        .then((waiting) => {
          if (waiting !== undefined) this.limiter.observeWaiting(waiting);
        })
        .catch(() => undefined);
    }, QUEUE_WATCH_MS);
    this.watching.unref();
  }
}

const servers = new Map<string, ServerConcurrency>();

/** The process-wide adaptive limiter of a server (keyed by its normalized base URL), joined by `role`. */
export function concurrencyForServer(baseUrl: string, role: string, ceiling: number): ServerConcurrency {
  let server = servers.get(baseUrl);
  if (server === undefined) {
    server = new ServerConcurrency(baseUrl, ceiling);
    servers.set(baseUrl, server);
  }
  server.join(role, ceiling);
  return server;
}
