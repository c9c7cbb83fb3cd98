import { lstat, readFile, rm } from "node:fs/promises";
import { join, resolve, sep } from "node:path";
import { z } from "zod";
import type { Database } from "../db/database";
import { finemedHome } from "../db/settings";
import { getVersion } from "../datasets/read-versions";
import { acknowledgeShortSplits } from "./acknowledge-short-splits";
import { exportDataset } from "./export-dataset";
import { withExportLock, type ExportLockOptions } from "./export-lock";
import type { ExportManifest } from "./export-manifest";
import { ShortSplitsRefused } from "./export-errors";
import { recordedShortSplits, shortSplitsUnanswered } from "./recorded-short-splits";

// The studio's export store: one export per approved version, kept under FINEMED_HOME/exports/<versionId>/.
// An approved version never changes and the export is byte-identical for the same version, so the
// first one is reused. The web routes serve it; `finemed train` writes the same folder.

const MANIFEST = "manifest.json";

/** Only what serving files relies on is checked; the rest is shown as the lib wrote it. */
const storedManifestSchema = z.object({
  format: z.literal("finemed-export/1"),
  dataset: z.object({ versionId: z.string(), contentHash: z.string(), approved: z.boolean() }),
  files: z.array(z.object({ path: z.string(), bytes: z.number(), rows: z.number().nullable(), sha256: z.string() })),
});

export interface StoredExport {
  dir: string;
  manifest: ExportManifest;
  card: string;
}

/** Where the studio keeps a version's export. */
export function exportDir(versionId: string): string {
  return join(finemedHome(), "exports", versionId);
}

async function readStored(versionId: string, contentHash: string): Promise<StoredExport | null | "mismatch"> {
  const dir = exportDir(versionId);
  const text = await readFile(join(dir, MANIFEST), "utf8").catch(() => null);
  if (text === null) return (await lstat(dir).catch(() => null)) === null ? null : "mismatch";
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return "mismatch";
  }
  const parsed = storedManifestSchema.safeParse(raw);
  if (!parsed.success) return "mismatch";
  const { dataset } = parsed.data;
  if (dataset.versionId !== versionId || dataset.contentHash !== contentHash || !dataset.approved) return "mismatch";
  const card = await readFile(join(dir, "README.md"), "utf8").catch(() => "");
  return { dir, manifest: raw as ExportManifest, card };
}

/** The version's export when one exists and its manifest matches the version; null otherwise. */
export async function findExport(db: Database, versionId: string): Promise<StoredExport | null> {
  const version = await getVersion(db, versionId);
  if (version.state !== "approved") return null;
  const stored = await readStored(versionId, version.contentHash);
  return stored === "mismatch" ? null : stored;
}

// Two clicks on Export in this process share one export (and one lock); other processes (another
// web server, `finemed export` or `finemed train`) wait on the version's export lock instead.
const running = new Map<string, Promise<StoredExport>>();

/**
 * How the caller answers empty or short splits: `gate` refuses them unless `acknowledged`. The studio's
 * Export and the training hand-off both gate; only library-style callers pass none.
 */
export interface ShortSplitAnswer {
  gate: boolean;
  acknowledged: boolean;
}

/**
 * Exports an approved version once; an existing matching export is reused, a stale one replaced. With
 * the gate, an existing export whose short splits nobody acknowledged (made by the training hand-off
 * before it asked) is refused like a new one, and acknowledging records it in its manifest and card.
 * While another exporter of the version runs (here or in another process) this waits for it, then
 * reuses what it wrote.
 */
export function ensureExport(
  db: Database,
  versionId: string,
  shortSplits: ShortSplitAnswer = { gate: false, acknowledged: false },
  lockOptions: ExportLockOptions = {},
): Promise<StoredExport> {
  const pending = running.get(versionId);
  if (pending) return pending;
  const work = withExportLock(
    db,
    versionId,
    async () => {
      const version = await getVersion(db, versionId);
      const stored = await readStored(versionId, version.contentHash);
      const dir = exportDir(versionId);
      if (stored !== null && stored !== "mismatch" && version.state === "approved") {
        const recorded = recordedShortSplits(stored.manifest, version.counts);
        if (!shortSplits.gate || !shortSplitsUnanswered(recorded)) return stored;
        if (!shortSplits.acknowledged) throw new ShortSplitsRefused(recorded.splits);
        const result = await acknowledgeShortSplits(db, versionId, dir, stored.manifest);
        return { dir, manifest: result.manifest, card: await readFile(join(dir, "README.md"), "utf8").catch(() => "") };
      }
      // exportDataset refuses anything but approved, so a stale directory is only removed for an export that will replace it.
      if (stored === "mismatch" && version.state === "approved") await rm(dir, { recursive: true, force: true });
      const result = await exportDataset(db, versionId, dir, {
        shortSplitGate: shortSplits.gate,
        acknowledgeShortSplits: shortSplits.acknowledged,
      });
      const card = await readFile(join(dir, "README.md"), "utf8").catch(() => "");
      return { dir, manifest: result.manifest, card };
    },
    lockOptions,
  ).finally(() => running.delete(versionId));
  running.set(versionId, work);
  return work;
}

/**
 * The on-disk path of a file the manifest lists, or null. Only exact manifest names (or the manifest
 * itself) are served, and the resolved path must stay inside the export directory as a regular file.
 */
export async function exportedFilePath(stored: StoredExport, name: string): Promise<{ path: string; bytes: number } | null> {
  const listed = name === MANIFEST || stored.manifest.files.some((file) => file.path === name);
  if (!listed) return null;
  const root = resolve(stored.dir);
  const path = resolve(root, name);
  if (!path.startsWith(root + sep)) return null;
  const info = await lstat(path).catch(() => null);
  if (info === null || !info.isFile()) return null;
  return { path, bytes: info.size };
}
