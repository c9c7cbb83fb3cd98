import { resolve } from "node:path";

/** Where the studio keeps local state (embedded database, uploads, spooled files). */
export function finemedHome(): string {
  return resolve(/*turbopackIgnore: true*/ process.env.FINEMED_HOME ?? ".finemed");
}

/** A server given by DATABASE_URL, or the embedded PGlite database under FINEMED_HOME. */
export function configuredDatabaseUrl(): string | null {
  const url = process.env.DATABASE_URL?.trim();
  return url ? url : null;
}
