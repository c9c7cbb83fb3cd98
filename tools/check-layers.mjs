#!/usr/bin/env node
// The layer rules of ARCHITECTURE.md, checked on every test run: lib/ never imports app/, components/ or
// Next, and no two lib/ folders import each other (directly or round a longer loop). TypeScript's own
// pre-processor reads the imports, so no second parser is needed.
// Also: in the folders whose SQL reads rows through zod (lib/db/checked-rows.ts), no `.query<T>(...)`
// call may come back, since nothing checks its T.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";

const root = resolve(process.argv[2] ?? ".");
const skip = new Set(["node_modules", "generated", ".git"]);

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    if (skip.has(name) || name.startsWith(".")) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

function target(file, specifier) {
  if (specifier.startsWith("@/")) return join(root, specifier.slice(2));
  if (specifier.startsWith(".")) return resolve(dirname(file), specifier);
  return null;
}

/** lib/<folder> of a path inside lib, or null. */
function libFolder(path) {
  const parts = relative(root, path).split(sep);
  return parts[0] === "lib" && parts.length > 2 ? parts[1] : null;
}

const problems = [];
const edges = new Map(); // folder → Map(folder → example import)
for (const file of sourceFiles(join(root, "lib"))) {
  const from = libFolder(file);
  const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
  for (const { fileName } of importedFiles) {
    const where = relative(root, file);
    if (fileName === "next" || fileName.startsWith("next/")) problems.push(`${where} imports ${fileName}: lib/ must not depend on Next`);
    const resolved = target(file, fileName);
    if (!resolved) continue;
    const top = relative(root, resolved).split(sep)[0];
    if (top === "app" || top === "components") problems.push(`${where} imports ${fileName}: lib/ must not import ${top}/`);
    const to = libFolder(resolved);
    if (from && to && from !== to) {
      if (!edges.has(from)) edges.set(from, new Map());
      if (!edges.get(from).has(to)) edges.get(from).set(to, where);
    }
  }
}

// Where rows are parsed by a schema (queryRows), not asserted by a generic. ARCHITECTURE.md lists them.
// Every folder of lib/ reads its rows this way now, so a new folder is held to it from its first query.
const CHECKED_ROWS = ["lib/", "workers/", "cli/", "app/"];

function existingSourceFiles(dir) {
  try {
    return sourceFiles(dir);
  } catch {
    return [];
  }
}

function uncheckedQueries(file, text) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const lines = [];
  const visitNode = (node) => {
    if (
      ts.isCallExpression(node) &&
      node.typeArguments?.length &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === "query"
    ) {
      lines.push(source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1);
    }
    ts.forEachChild(node, visitNode);
  };
  visitNode(source);
  return lines;
}

for (const file of ["lib", "workers", "cli", "app"].flatMap((top) => existingSourceFiles(join(root, top)))) {
  const where = relative(root, file).split(sep).join("/");
  if (!CHECKED_ROWS.some((path) => (path.endsWith("/") ? where.startsWith(path) : where === path))) continue;
  for (const line of uncheckedQueries(file, readFileSync(file, "utf8"))) {
    problems.push(
      `${where}:${line} calls .query<T>(), whose row type nothing checks: read rows with queryRows (lib/db/checked-rows.ts) and a zod schema`,
    );
  }
}

// One file-naming convention: kebab-case names (dots separate suffixes such as .test or .fixture).
const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)*$/;
function namedFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    if (skip.has(name) || name.startsWith(".")) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return namedFiles(path);
    return /\.(tsx?|mjs|js)$/.test(name) ? [path] : [];
  });
}
for (const top of ["app", "bench", "bin", "cli", "components", "e2e", "lib", "test", "tools", "workers"]) {
  let files = [];
  try {
    files = namedFiles(join(root, top));
  } catch {
    continue;
  }
  for (const file of files) {
    const stem = file
      .split(sep)
      .at(-1)
      .replace(/\.(tsx?|mjs|js)$/, "");
    if (!KEBAB.test(stem)) problems.push(`${relative(root, file)}: file names are kebab-case (ARCHITECTURE.md)`);
  }
}

// Folder-level cycles: a depth-first search reports each loop once, by its smallest rotation.
const seen = new Set();
function visit(folder, path) {
  for (const next of edges.get(folder)?.keys() ?? []) {
    const at = path.indexOf(next);
    if (at >= 0) {
      const loop = path.slice(at);
      const start = loop.indexOf([...loop].sort()[0]);
      const key = [...loop.slice(start), ...loop.slice(0, start)].join(" → ");
      if (!seen.has(key)) {
        seen.add(key);
        const hops = loop.map((f, i) => `${f} → ${loop[(i + 1) % loop.length]} (${edges.get(f).get(loop[(i + 1) % loop.length])})`);
        problems.push(`folder cycle in lib/: ${key} → ${loop[start]}\n    ${hops.join("\n    ")}`);
      }
    } else if (path.length < 12) visit(next, [...path, next]);
  }
}
for (const folder of edges.keys()) visit(folder, [folder]);

if (problems.length > 0) {
  process.stderr.write(`layer check: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join("\n")}\n`);
  process.exit(1);
}
process.stdout.write(
  `layer check: lib/ is free of app/, components/ and Next, with no folder cycles (${edges.size} folders), file names kebab-case; rows checked in ${CHECKED_ROWS.join(", ")}\n`,
);
