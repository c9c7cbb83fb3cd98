import { z } from "zod";
import { queryTimeoutSeconds } from "./database";

const QUERY_CANCELED = "57014";

// Prisma's client wraps the driver's error: the SQLSTATE is meta.driverAdapterError.cause.originalCode.
const prismaDriverError = z.object({
  meta: z.object({ driverAdapterError: z.object({ cause: z.object({ originalCode: z.string() }) }) }),
});

/** PostgreSQL's query_canceled (57014): the web pool's statement_timeout cut the query short, raw SQL's or Prisma's. */
export function isQueryTimeout(error: unknown): boolean {
  if ((error as { code?: unknown } | null)?.code === QUERY_CANCELED) return true;
  const wrapped = prismaDriverError.safeParse(error);
  return wrapped.success && wrapped.data.meta.driverAdapterError.cause.originalCode === QUERY_CANCELED;
}

/** The reason given to a caller whose query was stopped by the web pool's statement_timeout. */
export function queryTimeoutReason(): string {
  return `the query took longer than ${queryTimeoutSeconds()} s and was stopped; narrow the filter or try again when the studio is less busy`;
}
