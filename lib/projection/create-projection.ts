import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { inTransaction } from "../db/transaction";
import {
  defaultEmbedderSpec,
  defaultEmbeddingInput,
  embedderName,
  embedderSpecSchema,
  EMBEDDING_INPUTS,
} from "../embeddings/embedder-spec";
import { mapScopeSchema } from "../embeddings/embedding-scope";
import { ensureEmbeddingSpace } from "../embeddings/embedding-space";
import { enqueueProjection, ensureQueue } from "../queue/jobs";
import { parseProjectionParameters, PROJECTION_METHODS } from "./projection-parameters";

/** A projection request as the API and the CLI take it; parameters are checked against the method's schema. */
export const projectionRequestSchema = z
  .object({
    method: z.enum(PROJECTION_METHODS),
    parameters: z.record(z.string(), z.unknown()).default({}),
    scope: mapScopeSchema.default({}),
    /** Absent: the configured embedder (FINEMED_EMBEDDER_URL/MODEL) or the lexical one. */
    embedder: embedderSpecSchema.optional(),
    /** Absent: what the embedder reads by default (defaultEmbeddingInput). */
    input: z.enum(EMBEDDING_INPUTS).optional(),
  })
  .strict();
export type ProjectionRequestInput = z.input<typeof projectionRequestSchema>;

const createdProjectionRow = z.object({ id: z.string() });

/** A request refused before anything was stored; `message` names the field and the reason. */
export class ProjectionRequestError extends Error {}

function describe(error: z.ZodError, prefix = ""): string {
  return error.issues
    .map((issue) => `${[prefix, ...issue.path.map(String)].filter(Boolean).join(".") || "body"}: ${issue.message}`)
    .join("; ");
}

/**
 * Validates a projection request and enqueues it for a worker (the `projection` task). The projection
 * row and its job are written in one transaction, so neither exists without the other.
 */
export async function createProjection(db: Database, request: unknown, actor: string): Promise<{ id: string; embedder: string }> {
  const parsed = projectionRequestSchema.safeParse(request);
  if (!parsed.success) throw new ProjectionRequestError(describe(parsed.error));
  let projection;
  try {
    projection = parseProjectionParameters(parsed.data.method, parsed.data.parameters);
  } catch (error) {
    if (error instanceof z.ZodError) throw new ProjectionRequestError(describe(error, "parameters"));
    throw error;
  }
  const embedder = parsed.data.embedder ?? defaultEmbedderSpec();
  const space = await ensureEmbeddingSpace(db, embedder, parsed.data.input ?? defaultEmbeddingInput(embedder));
  await ensureQueue(db);
  const id = await inTransaction(db, async (client) => {
    const [inserted] = await queryRows(
      client,
      createdProjectionRow,
      `INSERT INTO projections (space_id, method, parameters, scope, created_by, phase) VALUES ($1, $2, $3, $4, $5, 'queued') RETURNING id`,
      [space.id, projection.method, JSON.stringify({ ...projection.parameters, embedder }), JSON.stringify(parsed.data.scope), actor],
    );
    const projectionId = inserted!.id;
    await enqueueProjection(client, projectionId);
    return projectionId;
  });
  return { id, embedder: embedderName(embedder) };
}
