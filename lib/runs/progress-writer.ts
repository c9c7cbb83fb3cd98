import type { Database } from "../db/database";
import { inTransaction } from "../db/transaction";
import { refreshSamples } from "../samples/refresh-samples";
import type { CallStore } from "./call-store";
import type { StageCaller } from "./stage-caller";
import type { TextResult } from "./text-result";
import { writeBatch } from "./write-batch";

// Texts are written in small groups as they finish, so a run's counts move text by text rather than
// batch by batch; the group bounds the number of transactions on a fast backend.
const GROUP_MS = Number(process.env.FINEMED_PROGRESS_FLUSH_MS ?? 500);
const GROUP_TEXTS = 25;

/**
 * Writes a batch's finished texts a few at a time. A text that failed while the backend was down (or
 * the run blocked) is held back: the batch goes back to the queue and the text stays pending, because
 * its failure was not its own. Writes run one at a time, each in its own transaction, idempotent.
 */
export class ProgressWriter {
  private ready: TextResult[] = [];
  private readonly held: TextResult[] = [];
  private writing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private failure: Error | null = null;
  written = 0;
  // Calls and tokens move between texts too: a text takes several sequential calls, tens of seconds on a slow backend.
  private readonly ticker: NodeJS.Timeout;

  constructor(
    private readonly db: Database,
    private readonly runId: string,
    private readonly caller: StageCaller,
    private readonly store: CallStore,
  ) {
    this.ticker = setInterval(() => {
      if (this.caller.stats.byStage.size > 0 && this.timer === null) void this.flush();
    }, GROUP_MS);
    this.ticker.unref();
  }

  add(result: TextResult): void {
    if (result.outcome === "failed" && (this.caller.outage !== null || this.caller.blocked !== null)) this.held.push(result);
    else this.ready.push(result);
    if (this.ready.length >= GROUP_TEXTS) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), GROUP_MS);
  }

  /** Texts held back for an outage or a block; written as failures only on the batch's last try. */
  heldBack(): TextResult[] {
    return this.held;
  }

  flush(extra: TextResult[] = []): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const group = [...this.ready, ...extra];
    this.ready = [];
    this.writing = this.writing
      .then(() => this.write(group))
      .catch((error: unknown) => {
        this.failure ??= error as Error;
      });
    return this.writing;
  }

  /** Stops the periodic writes (the batch failed); what was written stays. */
  stop(): void {
    clearInterval(this.ticker);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Writes what is left; throws if any write failed, so the batch is retried. */
  async finish(extra: TextResult[] = []): Promise<void> {
    clearInterval(this.ticker);
    await this.flush(extra);
    if (this.failure) throw this.failure;
  }

  private async write(group: TextResult[]): Promise<void> {
    // Calls first: a text is never stored before the calls that made it, so a replay reuses them.
    await this.store.drain();
    const stats = this.caller.stats.take();
    if (group.length === 0 && stats.byStage.size === 0) return;
    // The transaction's connection is released before the samples refresh takes another.
    const moved = await inTransaction(this.db, (client) => writeBatch(client, this.runId, group, stats));
    this.written += moved;
    const limits = this.caller.concurrency();
    if (Object.keys(limits).length > 0) {
      await this.db.pool.query(
        `INSERT INTO run_health AS h (run_id, concurrency, updated_at) VALUES ($1, $2::jsonb, now())
         ON CONFLICT (run_id) DO UPDATE SET concurrency = EXCLUDED.concurrency, updated_at = now()`,
        [this.runId, JSON.stringify({ at: new Date().toISOString(), servers: limits })],
      );
    }
    if (moved > 0)
      await refreshSamples(
        this.db,
        this.runId,
        group.map((result) => result.sourceTextId),
      );
  }
}
