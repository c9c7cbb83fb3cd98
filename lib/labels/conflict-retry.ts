import { setTimeout as sleep } from "node:timers/promises";
import { isTransactionConflict } from "../http/database-errors";

const ATTEMPTS = 3;

/**
 * Runs a whole transaction again when PostgreSQL chose it as a deadlock's victim (or a serialization
 * failure): the other transaction has finished by then, so the retry usually succeeds. After the last
 * attempt the conflict propagates, and the route's error mapping answers 409 "try again".
 */
export async function retryOnConflict<T>(transaction: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (error) {
      if (!isTransactionConflict(error) || attempt >= ATTEMPTS) throw error;
      // A little jitter so two retried victims do not collide again in step.
      await sleep(20 * attempt + Math.floor(Math.random() * 30));
    }
  }
}
