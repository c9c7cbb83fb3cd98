import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE_NAME = "finemed-curation-studio";
let found: string | undefined;

function isStudioManifest(path: string): boolean {
  try {
    return (JSON.parse(readFileSync(path, "utf8")) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/**
 * The studio's checkout (package.json, prisma/, .next, the demo corpus), found from this module's own file:
 * the CLI runs from wherever the user stands, and from source or from its compiled bundle in dist/.
 */
export function studioRoot(): string {
  if (found) return found;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (isStudioManifest(join(dir, "package.json"))) return (found = dir);
    const parent = dirname(dir);
    if (parent === dir) return (found = process.cwd());
    dir = parent;
  }
}

/** A path inside the studio's checkout. */
export function studioPath(...parts: string[]): string {
  return join(studioRoot(), ...parts);
}
