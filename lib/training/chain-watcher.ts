import type { Database } from "../db/database";
import { pollActiveChains } from "./poll-chains";

/**
 * The studio's background poll of unfinished training chains (every few seconds), so states, times
 * and failure reasons reach the database while nobody is looking. The timer never keeps the process alive.
 */
export function watchTrainingChains(db: Database, intervalMs = Number(process.env.FINEMED_TRAINING_POLL_MS ?? 5_000)): () => void {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    pollActiveChains(db, (chainId, error) => process.stderr.write(`[training] polling chain ${chainId} failed: ${error.message}\n`))
      .catch((error: Error) => process.stderr.write(`[training] polling failed: ${error.message}\n`))
      .finally(() => (busy = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
