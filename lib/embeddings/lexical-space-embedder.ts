import type { Database } from "../db/database";
import type { ScopeWhere } from "./embedding-scope";
import type { EmbeddingSpaceRow } from "./embedding-space";
import { lexicalVersionOf } from "./embedder-spec";
import { fitLexicalEmbedder } from "./lexical-embedder";
import { startLsaFit } from "./lsa-embedder";
import type { TextEmbedder } from "./text-embedder";
import { pageSpaceTexts } from "./space-texts";

/** Fixed so that a lexical space is reproducible from its texts alone. */
export const LEXICAL_SEED = 1;

/**
 * A lexical space's embedder is fitted (IDF) on the texts of the space's samples: those it holds plus
 * those about to be added (`extraWhere`, over `samples s`, with its params). Fitting is order-free
 * counting, so the same texts always give the same embedder. Vectors embedded earlier keep the IDF of
 * their own fit, which drifts little as a space grows.
 */
export async function fitSpaceLexicalEmbedder(db: Database, space: EmbeddingSpaceRow, extra?: ScopeWhere): Promise<TextEmbedder> {
  const where: ScopeWhere = (params) => {
    const held = `EXISTS (SELECT 1 FROM embeddings e WHERE e.space_id = ${params.add(space.id, "uuid")} AND e.instruction_id = s.instruction_id)`;
    return extra ? `(${extra(params)}) OR ${held}` : held;
  };
  const options = { dimensions: space.dimensions, seed: LEXICAL_SEED };
  const version = lexicalVersionOf(space.embedder);
  if (version === 1) {
    const texts: string[] = [];
    for await (const page of pageSpaceTexts(db, space.input, where)) for (const row of page) texts.push(row.text);
    return fitLexicalEmbedder(texts, options);
  }
  const fit = startLsaFit(version === 3 ? { ...options, features: "words", minDocumentFrequency: 2, idf: "plain" } : options);
  for await (const page of pageSpaceTexts(db, space.input, where)) for (const row of page) fit.add(row.text);
  return fit.finish();
}

// Shared across Next's route bundles like the neighbour index (persisted-index.ts); only version-1 spaces refit here.
const shared = globalThis as { finemedLexicalEmbedders?: Map<string, { count: number; embedder: TextEmbedder }> };
const fitted = (shared.finemedLexicalEmbedders ??= new Map<string, { count: number; embedder: TextEmbedder }>());

/** The space's embedder for queries (TTT retrieval), refitted only when the space's size changed. */
export async function lexicalQueryEmbedder(db: Database, space: EmbeddingSpaceRow, vectorCount: number): Promise<TextEmbedder> {
  const cached = fitted.get(space.id);
  if (cached && cached.count === vectorCount) return cached.embedder;
  const embedder = await fitSpaceLexicalEmbedder(db, space);
  fitted.set(space.id, { count: vectorCount, embedder });
  return embedder;
}
