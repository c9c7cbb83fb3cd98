#!/usr/bin/env node
// Prints the SQL that takes a database to prisma/schema.prisma, computed offline by Prisma 6.19's
// WebAssembly schema engine: from an empty one by default (the drift test builds its reference database
// from that), or from the schema of a git revision with `--from-git REV`: the next migration's SQL,
//   npm run db:diff -- --from-git HEAD > prisma/migrations/<timestamp>_<name>/migration.sql
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// Prisma 6 insists on a datasource url; Prisma 7 forbids one in the schema.
const forPrisma6 = (schema) => schema.replace(/provider\s*=\s*"postgresql"/, 'provider = "postgresql"\n  url      = env("DATABASE_URL")');
const dir = mkdtempSync(join(tmpdir(), "finemed-schema-"));
const file = join(dir, "schema.prisma");
writeFileSync(file, forPrisma6(readFileSync(join(root, "prisma/schema.prisma"), "utf8")));
const fromGit = process.argv.indexOf("--from-git");
let from = ["--from-empty"];
if (fromGit >= 0) {
  const revision = process.argv[fromGit + 1];
  const old = execFileSync("git", ["show", `${revision}:prisma/schema.prisma`], { cwd: root, encoding: "utf8" });
  const oldFile = join(dir, "old.prisma");
  writeFileSync(oldFile, forPrisma6(old));
  from = ["--from-schema-datamodel", oldFile];
}
const sql = execFileSync(
  process.execPath,
  [
    join(root, "node_modules/prisma6/build/index.js"),
    "migrate",
    "diff",
    "--config",
    join(root, "tools/prisma6.config.ts"),
    ...from,
    "--to-schema-datamodel",
    file,
    "--script",
  ],
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
