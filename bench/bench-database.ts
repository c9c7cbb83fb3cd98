import { createServerDatabase } from "../test/support/test-database";

const LOCAL_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres";

/**
 * Benchmarks measure the production path, so they need a real PostgreSQL server: PGlite runs one
 * query at a time in-process and its figures would say nothing about a deployment.
 */
export function benchAdminUrl(): string {
  return process.env.BENCH_DATABASE_URL?.trim() || process.env.DATABASE_URL?.trim() || LOCAL_SERVER;
}

/** A new, empty database on the bench server; the caller drops it. */
export async function createBenchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  return createServerDatabase(benchAdminUrl());
}

/** The server's address without credentials, for reports. */
export function describeServer(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || "5432"}`;
}
