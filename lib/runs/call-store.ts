import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";

/** What the studio keeps of a backend call: enough to answer the same call again without the server. */
export interface StoredCall {
  key: string;
  response: unknown;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
}

export interface NewCall extends StoredCall {
  role: string;
  baseUrl: string;
  model: string;
  endpoint: string;
  request: unknown;
  attempts: number;
  runId: string;
}

const storedCallRow = z.object({
  // CHAR(64): the key is exactly 64 characters, so no padding to trim.
  key: z.string(),
  response: z.unknown(),
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
  latency_ms: z.number().int(),
});

// Coalescing window: lookups and saves from many concurrent pipeline steps become one statement,
// which is what lets a 2-core machine keep up with thousands of calls a second.
const FLUSH_ROWS = 500;
const FLUSH_MS = 25;

/**
 * The call store of one batch: reads coalesce into `key = ANY(...)` queries, writes into multi-row
 * inserts flushed every few milliseconds, so a killed worker loses at most the calls of the last moments.
 */
export class CallStore {
  private pendingLookups = new Map<string, ((call: StoredCall | null) => void)[]>();
  private lookupTimer: NodeJS.Timeout | null = null;
  private pendingSaves: NewCall[] = [];
  private saveTimer: NodeJS.Timeout | null = null;
  private saving: Promise<void> = Promise.resolve();
  private failure: Error | null = null;

  constructor(private readonly db: Database) {}

  lookup(key: string): Promise<StoredCall | null> {
    return new Promise((resolve) => {
      const waiting = this.pendingLookups.get(key);
      if (waiting) waiting.push(resolve);
      else this.pendingLookups.set(key, [resolve]);
      if (this.pendingLookups.size >= FLUSH_ROWS) void this.flushLookups();
      else this.lookupTimer ??= setTimeout(() => void this.flushLookups(), 1);
    });
  }

  private async flushLookups(): Promise<void> {
    if (this.lookupTimer) clearTimeout(this.lookupTimer);
    this.lookupTimer = null;
    const batch = this.pendingLookups;
    this.pendingLookups = new Map();
    if (batch.size === 0) return;
    const keys = [...batch.keys()];
    try {
      const rows = await queryRows(
        this.db.pool,
        storedCallRow,
        `SELECT key, response, prompt_tokens, completion_tokens, latency_ms FROM backend_calls WHERE key = ANY($1::char(64)[])`,
        [keys],
      );
      const found = new Map(rows.map((row) => [row.key, row]));
      for (const [key, resolvers] of batch) {
        const row = found.get(key);
        const call = row
          ? {
              key,
              response: row.response,
              promptTokens: row.prompt_tokens,
              completionTokens: row.completion_tokens,
              latencyMs: row.latency_ms,
            }
          : null;
        for (const resolve of resolvers) resolve(call);
      }
    } catch (error) {
      // A failed lookup only costs a repeated call; the batch's own writes surface database trouble.
      this.failure ??= error as Error;
      for (const resolvers of batch.values()) for (const resolve of resolvers) resolve(null);
    }
  }

  save(call: NewCall): void {
    this.pendingSaves.push(call);
    if (this.pendingSaves.length >= FLUSH_ROWS) void this.flushSaves();
    else this.saveTimer ??= setTimeout(() => void this.flushSaves(), FLUSH_MS);
  }

  private flushSaves(): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    const batch = this.pendingSaves;
    this.pendingSaves = [];
    if (batch.length === 0) return this.saving;
    this.saving = this.saving
      .then(() => this.insert(batch))
      .catch((error: unknown) => {
        this.failure ??= error as Error;
      });
    return this.saving;
  }

  private async insert(calls: NewCall[]): Promise<void> {
    await this.db.pool.query(
      `INSERT INTO backend_calls (key, role, base_url, model, endpoint, request, response, prompt_tokens, completion_tokens, latency_ms, attempts, first_run_id)
       SELECT * FROM unnest($1::char(64)[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::jsonb[], $8::int[], $9::int[], $10::int[], $11::int[], $12::uuid[])
       ON CONFLICT (key) DO NOTHING`,
      [
        calls.map((c) => c.key),
        calls.map((c) => c.role),
        calls.map((c) => c.baseUrl),
        calls.map((c) => c.model),
        calls.map((c) => c.endpoint),
        calls.map((c) => JSON.stringify(c.request)),
        calls.map((c) => JSON.stringify(c.response)),
        calls.map((c) => c.promptTokens),
        calls.map((c) => c.completionTokens),
        calls.map((c) => Math.round(c.latencyMs)),
        calls.map((c) => c.attempts),
        calls.map((c) => c.runId),
      ],
    );
  }

  /** Writes everything still buffered; throws if any write failed, so the batch is retried. */
  async drain(): Promise<void> {
    await this.flushLookups();
    await this.flushSaves();
    if (this.failure) throw this.failure;
  }
}
