import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { embedThroughCallStore } from "../embeddings/embedding-call-cache";
import { embedderClient } from "../embeddings/embed-samples";
import { defaultEmbedderSpec, embedderName, embedderSpecSchema, type EmbedderSpec } from "../embeddings/embedder-spec";
import { lexicalQueryEmbedder } from "../embeddings/lexical-space-embedder";
import { normaliseInPlace } from "../vectors/vector-codec";
import type { TextEmbedder } from "../embeddings/text-embedder";
import type { ChosenSpace } from "./choose-space";
import { NeighbourQueryError } from "./neighbour-errors";

// The projection's stored embedder is parsed by embedderSpecSchema below, so the row leaves it unknown.
const projectionEmbedderRow = z.object({ embedder: z.unknown() });
const calledServerRow = z.object({ base_url: z.string() });

/**
 * Embeds a typed question with the embedder that made the space, so it lands among the space's vectors:
 * the lexical embedder the worker stored with the index (a version-1 space: refitted on its texts), or the backend named by the space's projections
 * (or by FINEMED_EMBEDDER_URL/MODEL), through the call store like every backend call.
 */
export async function embedQuestion(
  db: Database,
  space: ChosenSpace,
  question: string,
  stored: TextEmbedder | null = null,
): Promise<Float32Array> {
  // The worker stores a lexical space's fitted embedder with its index: no refit over the space's texts here.
  if (stored) return stored.embed(question);
  if (space.kind === "lexical") {
    const embedder = await lexicalQueryEmbedder(db, space, space.vectorCount);
    return embedder.embed(question);
  }
  const spec = await backendSpecOf(db, space);
  if (spec.kind !== "backend") throw new NeighbourQueryError(`no backend is known for ${space.embedder}`, 400);
  const [vector] = await embedThroughCallStore(db, embedderClient(spec), [question], spec.dimensions, { made: 0, reused: 0 });
  return normaliseInPlace(Float32Array.from(vector!));
}

async function backendSpecOf(db: Database, space: ChosenSpace): Promise<EmbedderSpec> {
  const fromEnvironment = defaultEmbedderSpec();
  if (embedderName(fromEnvironment) === space.embedder) return fromEnvironment;
  const [used] = await queryRows(
    db.pool,
    projectionEmbedderRow,
    `SELECT parameters->'embedder' AS embedder FROM projections WHERE space_id = $1 ORDER BY created_at DESC LIMIT 1`,
    [space.id],
  );
  const parsed = embedderSpecSchema.safeParse(used?.embedder);
  if (parsed.success) return parsed.data;
  // Embedded without a projection (finemed map embed): the call store knows which server answered.
  const match = /^backend:(.+?)(?:@(\d+))?$/.exec(space.embedder);
  const called = match
    ? await queryRows(
        db.pool,
        calledServerRow,
        `SELECT base_url FROM backend_calls WHERE role = 'embedder' AND model = $1 ORDER BY created_at DESC LIMIT 1`,
        [match[1]],
      )
    : [];
  const baseUrl = called[0]?.base_url;
  if (!match || !baseUrl)
    throw new NeighbourQueryError(
      `no backend is configured for ${space.embedder}: set FINEMED_EMBEDDER_URL and FINEMED_EMBEDDER_MODEL`,
      400,
    );
  return embedderSpecSchema.parse({ kind: "backend", baseUrl, model: match[1], ...(match[2] ? { dimensions: Number(match[2]) } : {}) });
}
