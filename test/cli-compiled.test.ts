import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// A copy of the CLI's sources (node_modules linked), so an edit here cannot disturb other test files.
let checkout: string;

function finemed(args: string[], cwd = tmpdir()): string {
  return execFileSync(process.execPath, [join(checkout, "bin/finemed.js"), ...args], { cwd, encoding: "utf8" });
}

beforeAll(() => {
  checkout = mkdtempSync(join(tmpdir(), "finemed-compiled-"));
  for (const path of ["bin", "cli", "lib", "workers", "prisma", "package.json", "tsconfig.json"]) {
    cpSync(join(process.cwd(), path), join(checkout, path), { recursive: true, filter: (source) => !source.includes("/dist/") });
  }
  symlinkSync(join(process.cwd(), "node_modules"), join(checkout, "node_modules"));
});

afterAll(() => {
  if (checkout) rmSync(checkout, { recursive: true, force: true });
});

describe("the compiled CLI", () => {
  it("runs compiled JavaScript from any directory, and an edited source takes effect on the next command", () => {
    expect(finemed(["--help"])).toContain("finemed — the FineMed Curation Studio command line");
    const builds = readdirSync(join(checkout, "dist"));
    expect(builds).toHaveLength(1);
    expect(readdirSync(join(checkout, "dist", builds[0]!))).toEqual(
      expect.arrayContaining(["main.js", "web-front.js", "layout-worker.js"]),
    );
    // The compiled entry loads with no TypeScript loader at all.
    const entry = join(checkout, "dist", builds[0]!, "main.js");
    const help = execFileSync(
      process.execPath,
      ["--input-type=module", "-e", `const { main } = await import(${JSON.stringify(entry)}); await main(["--help"]);`],
      {
        encoding: "utf8",
      },
    );
    expect(help).toContain("Usage: finemed <command>");

    const main = join(checkout, "cli/main.ts");
    writeFileSync(main, readFileSync(main, "utf8").replace("list corpora and their sizes", "list corpora (edited)"));
    expect(finemed(["--help"])).toContain("list corpora (edited)");
    expect(readdirSync(join(checkout, "dist"))).toHaveLength(2);
    // Unchanged sources reuse the build.
    finemed(["--help"], "/");
    expect(readdirSync(join(checkout, "dist"))).toHaveLength(2);
  }, 120_000);

  it("finds the studio's migrations from another directory", () => {
    const listing = execFileSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `const { migrationsDir } = await import(${JSON.stringify(join(checkout, "lib/db/migrate.ts"))}); console.log(migrationsDir());`,
      ],
      {
        cwd: "/",
        encoding: "utf8",
        env: { ...process.env, NODE_OPTIONS: `--import ${pathToFileURL(join(process.cwd(), "node_modules/tsx/dist/loader.mjs")).href}` },
      },
    );
    expect(listing.trim()).toBe(join(checkout, "prisma/migrations"));
  }, 60_000);
});
