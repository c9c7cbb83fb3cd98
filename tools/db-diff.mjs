#!/usr/bin/env node
// Prints the SQL that takes an empty database to prisma/schema.prisma, computed offline by Prisma 6.19's
// WebAssembly schema engine. `npm run db:diff` (the SQL of a new migration is this minus what exists),
// and the drift test builds a reference database from it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const schema = readFileSync(join(root, "prisma/schema.prisma"), "utf8");
// Prisma 6 insists on a datasource url; Prisma 7 forbids one in the schema.
const schema6 = schema.replace(/provider\s*=\s*"postgresql"/, 'provider = "postgresql"\n  url      = env("DATABASE_URL")');
const dir = mkdtempSync(join(tmpdir(), "finemed-schema-"));
const file = join(dir, "schema.prisma");
writeFileSync(file, schema6);
const sql = execFileSync(
  process.execPath,
  [join(root, "node_modules/prisma6/build/index.js"), "migrate", "diff", "--config", join(root, "tools/prisma6.config.ts"),
    "--from-empty", "--to-schema-datamodel", file, "--script"],
  {
    env: {
      ...process.env,
      DATABASE_URL: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres",
      PRISMA_QUERY_ENGINE_LIBRARY: "/bin/false",
      PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false",
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
    },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  },
);
process.stdout.write(sql);
