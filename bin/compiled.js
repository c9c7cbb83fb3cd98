// The CLI, the worker and the web front run as JavaScript that esbuild compiles from cli/, lib/ and workers/
// into dist/<stamp>/. The stamp hashes every source file's path, size and mtime, so an edit (or a pull)
// recompiles on the next command (about a second) and an unchanged checkout starts without compiling.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const sourceDirs = ["cli", "lib", "workers"];
const entryPoints = {
  main: "cli/main.ts",
  "web-front": "cli/web-front.ts",
  "layout-worker": "lib/projection/layout-worker-main.ts",
};

function sourceStamp() {
  const hash = createHash("sha1");
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!entry.name.includes(".test.")) {
        const { size, mtimeMs } = statSync(path);
        hash.update(`${path}\0${size}\0${mtimeMs}\n`);
      }
    }
  };
  for (const dir of sourceDirs) walk(join(root, dir));
  for (const file of ["package.json", "tsconfig.json", "bin/compiled.js"]) hash.update(`${file}\0${statSync(join(root, file)).mtimeMs}\n`);
  return hash.digest("hex").slice(0, 16);
}

async function compile(target) {
  const { build } = await import("esbuild");
  const staging = `${target}.${process.pid}.tmp`;
  await build({
    absWorkingDir: root,
    entryPoints,
    outdir: staging,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node22",
    packages: "external",
    chunkNames: "[name]-[hash]",
    sourcemap: true,
    logLevel: "error",
  });
  writeFileSync(join(staging, "package.json"), '{ "type": "module" }\n');
  try {
    renameSync(staging, target);
  } catch (error) {
    // Another process compiled the same sources first: use its build.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(target)) throw error;
  }
  // Older builds go once nothing can still be running from them (a long-lived `serve` loads chunks lazily).
  const dayAgo = Date.now() - 24 * 3600 * 1000;
  for (const old of readdirSync(join(root, "dist"))) {
    const path = join(root, "dist", old);
    if (path !== target && statSync(path).mtimeMs < dayAgo) rmSync(path, { recursive: true, force: true });
  }
}

/** The file URL of a compiled entry point (main, web-front, layout-worker), compiling first if the sources changed. */
export async function compiledEntry(name) {
  const target = join(root, "dist", sourceStamp());
  if (!existsSync(target)) {
    mkdirSync(join(root, "dist"), { recursive: true });
    await compile(target);
  }
  return pathToFileURL(join(target, `${name}.js`)).href;
}
