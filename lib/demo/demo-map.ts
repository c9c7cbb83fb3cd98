import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { createProjection } from "../projection/create-projection";

const POLL_MS = 1_000;

const demoRunRow = z.object({ id: z.string(), status: z.string() });

/**
 * The demo's map: once the demo synthesis run has completed, a studio with no projection yet gets one
 * UMAP of the demo samples, embedded by the in-process lexical embedder (no GPU, no embedder backend),
 * so the Map page opens on a real projection. Watches in the background; a restarted studio whose demo
 * run finished earlier gets its map at once. Returns a stop function.
 */
export function watchForDemoMap(db: Database, onCreated?: (projectionId: string) => void, pollMs = POLL_MS): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const check = async (): Promise<boolean> => {
    const [demo] = await queryRows(
      db.pool,
      demoRunRow,
      `SELECT id, status FROM runs WHERE created_by = 'studio:demo' ORDER BY created_at DESC LIMIT 1`,
    );
    if (!demo) return true;
    if (demo.status === "cancelled" || demo.status === "failed") return true;
    if (demo.status !== "completed") return false;
    const existing = await db.pool.query(`SELECT 1 FROM projections LIMIT 1`);
    if (existing.rows.length > 0) return true;
    const created = await createProjection(
      db,
      { method: "umap", scope: { runIds: [demo.id] }, embedder: { kind: "lexical" } },
      "studio:demo",
    );
    onCreated?.(created.id);
    return true;
  };
  const tick = () => {
    if (stopped) return;
    check()
      .then((finished) => {
        if (!finished && !stopped) timer = setTimeout(tick, pollMs);
      })
      .catch((error: unknown) => {
        process.stderr.write(`[demo] the demo map was not created: ${(error as Error).message}\n`);
      });
  };
  tick();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
