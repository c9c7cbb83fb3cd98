import { z } from "zod";
import { readBackendKey } from "../llm/backend-key";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { createBackendClient, type BackendClient } from "../llm/client";
import { embedThroughCallStore, type EmbeddingCallStats } from "./embedding-call-cache";
import { scopeWhere, type MapScope, type ScopeWhere } from "./embedding-scope";
import { ensureEmbeddingSpace, settleDimensions, type EmbeddingSpaceRow } from "./embedding-space";
import type { BackendEmbedderSpec, EmbedderSpec, EmbeddingInput } from "./embedder-spec";
import type { TextEmbedder } from "./text-embedder";
import { fitSpaceLexicalEmbedder } from "./lexical-space-embedder";
import { pageSpaceTexts, type SpaceText } from "./space-texts";
import { SqlParams } from "../samples/sql-params";
import { encodeVector } from "../vectors/vector-codec";

export interface EmbedSamplesRequest {
  embedder: EmbedderSpec;
  input: EmbeddingInput;
  scope: MapScope;
}

export interface EmbedSamplesOutcome {
  space: EmbeddingSpaceRow;
  /** Samples in scope. */
  inScope: number;
  /** Vectors written now. */
  embedded: number;
  /** Samples in scope the space already held (skipped: resumable). */
  alreadyEmbedded: number;
  calls: EmbeddingCallStats;
  seconds: number;
}

export interface EmbedSamplesOptions {
  onProgress?: (done: number, total: number) => void;
  /** Called once the vectors are written (lib/neighbours refreshes its index here, so embeddings need not know it). */
  onVectorsWritten?: (space: EmbeddingSpaceRow, written: number, lexical: TextEmbedder | null) => Promise<void>;
  /** A client for the embedder role; made from the spec when absent. */
  client?: BackendClient;
}

const scopeCountRow = z.object({ in_scope: z.number().int(), missing: z.number().int() });

/** The embedder role's client; its API key is read from the environment variable the spec names. */
export function embedderClient(spec: BackendEmbedderSpec): BackendClient {
  const apiKey = readBackendKey(spec.apiKeyEnv, "the embedder");
  return createBackendClient({
    role: "embedder",
    baseUrl: spec.baseUrl,
    model: spec.model,
    maxInFlight: spec.maxInFlight,
    ...(apiKey ? { apiKey } : {}),
  });
}

async function writeVectors(db: Database, space: EmbeddingSpaceRow, rows: SpaceText[], vectors: Float32Array[]): Promise<void> {
  if (rows.length === 0) return;
  await db.pool.query(
    `INSERT INTO embeddings (space_id, instruction_id, vector) SELECT $1, * FROM unnest($2::bigint[], $3::bytea[]) ON CONFLICT DO NOTHING`,
    [space.id, rows.map((row) => row.instructionId.toString()), vectors.map((vector) => encodeVector(vector, space.encoding))],
  );
}

/**
 * Embeds the samples in scope that the space does not hold yet, a page at a time; a killed job resumes
 * where it stopped (ids already embedded are skipped) and, for a backend, every vector already paid for
 * is answered by the call store.
 */
export async function embedSamples(
  db: Database,
  request: EmbedSamplesRequest,
  options: EmbedSamplesOptions = {},
): Promise<EmbedSamplesOutcome> {
  const started = performance.now();
  let space = await ensureEmbeddingSpace(db, request.embedder, request.input);
  const inScopeWhere = await scopeWhere(db, request.scope);
  const missing: ScopeWhere = (params) =>
    `(${inScopeWhere(params)}) AND NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.space_id = ${params.add(space.id, "uuid")} AND e.instruction_id = s.instruction_id)`;
  const countParams = new SqlParams();
  const scopeSql = inScopeWhere(countParams);
  const [counts] = await queryRows(
    db.pool,
    scopeCountRow,
    `SELECT count(*)::int AS in_scope, count(*) FILTER (WHERE ${missing(countParams)})::int AS missing FROM samples s WHERE ${scopeSql}`,
    countParams.values,
  );
  const inScope = counts!.in_scope;
  const total = counts!.missing;
  const calls: EmbeddingCallStats = { made: 0, reused: 0 };
  let done = 0;
  let lexical: TextEmbedder | null = null;
  options.onProgress?.(0, total);
  if (total > 0) {
    if (request.embedder.kind === "lexical") {
      const embedder = await fitSpaceLexicalEmbedder(db, space, missing);
      lexical = embedder;
      for await (const page of pageSpaceTexts(db, space.input, missing)) {
        await writeVectors(
          db,
          space,
          page,
          page.map((row) => embedder.embed(row.text)),
        );
        done += page.length;
        options.onProgress?.(done, total);
      }
    } else {
      const spec = request.embedder;
      const client = options.client ?? embedderClient(spec);
      const pageRows = spec.batchSize * spec.maxInFlight;
      for await (const page of pageSpaceTexts(db, space.input, missing, pageRows)) {
        // The page's batches run at once, so a text repeated in two of them would be paid twice: each text goes once.
        const texts = [...new Set(page.map((row) => row.text))];
        calls.reused += page.length - texts.length;
        const batches: string[][] = [];
        for (let i = 0; i < texts.length; i += spec.batchSize) batches.push(texts.slice(i, i + spec.batchSize));
        const vectors = await Promise.all(batches.map((batch) => embedThroughCallStore(db, client, batch, spec.dimensions, calls)));
        const unique = vectors.flat();
        const byText = new Map(texts.map((text, i) => [text, unique[i]!]));
        const flat = page.map((row) => byText.get(row.text)!);
        space = await settleDimensions(db, space, flat[0]!.length);
        await writeVectors(db, space, page, flat);
        done += page.length;
        options.onProgress?.(done, total);
      }
    }
  }
  await options.onVectorsWritten?.(space, done, lexical);
  return { space, inScope, embedded: done, alreadyEmbedded: inScope - total, calls, seconds: (performance.now() - started) / 1000 };
}
