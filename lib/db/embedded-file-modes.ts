import { chmodSync, lstatSync, mkdirSync, readdirSync, type Dirent } from "node:fs";
import { join } from "node:path";

/**
 * Keeps FINEMED_HOME private to its owner: the folder 0700, what lies in it 0600 (folders 0700).
 * PGlite's file system layer sets its files to 0666 whatever the umask, so the data folder is swept
 * again after it changes; the 0700 home is what keeps other local users out in between.
 */
export function ensurePrivateHome(home: string): void {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  restrict(home, 0o700);
}

function restrict(path: string, mode: number): void {
  try {
    const stat = lstatSync(path);
    if ((stat.mode & 0o777 & ~mode) !== 0) chmodSync(path, stat.mode & mode);
  } catch {
    // vanished meanwhile (PostgreSQL removes temporary files), or not ours: nothing to tighten
  }
}

/** Takes group and other permissions off every file and folder under `root` (links left alone). */
export function sweepPrivateModes(root: string): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(root, { withFileTypes: true });
  } catch {
    return;
  }
  restrict(root, 0o700);
  for (const entry of entries) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) sweepPrivateModes(path);
    else if (entry.isFile()) restrict(path, 0o600);
  }
}
