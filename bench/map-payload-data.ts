import type pg from "pg";
import type { Database } from "../lib/db/database";
import { refreshSamples } from "../lib/samples";
import { generateCurationRun } from "./curation-data";

/**
 * A generated run of `texts` source texts (two samples each) with a finished projection holding a
 * point per sample, clustered by primary department as a real layout groups them. Returns its id.
 */
export async function generateMapProjection(client: pg.Client, db: Database, texts: number): Promise<string> {
  const run = await generateCurationRun(client, texts, () => undefined);
  await refreshSamples(db, run.runId);
  const space = await client.query<{ id: string }>(
    `INSERT INTO embedding_spaces (embedder, kind, input, dimensions) VALUES ('lexical:bench', 'lexical', 'instruction', 256) RETURNING id`,
  );
  const projection = await client.query<{ id: string }>(
    `INSERT INTO projections (space_id, method, parameters, scope, status, progress, created_by) VALUES ($1, 'umap', '{"bench":true}', '{}', 'done', 1, 'bench') RETURNING id`,
    [space.rows[0]!.id],
  );
  const id = projection.rows[0]!.id;
  await client.query(
    `INSERT INTO projection_points (projection_id, instruction_id, x, y)
     SELECT $1, s.instruction_id, (coalesce(s.primary_id, 0) % 5) * 4 + random() * 3, (coalesce(s.primary_id, 0) / 5) * 4 + random() * 3 FROM samples s`,
    [id],
  );
  await client.query(
    `UPDATE projections SET point_count = (SELECT count(*) FROM projection_points WHERE projection_id = $1) WHERE id = $1`,
    [id],
  );
  // As the projection worker does before it says done (lib/projection/run-projection.ts).
  await client.query("ANALYZE projection_points, samples");
  return id;
}
