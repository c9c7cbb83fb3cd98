import type { Database } from "../db/database";
import { spaceVectorCount, type EmbeddingSpaceRow } from "../embeddings/embedding-space";
import { lexicalVersionOf } from "../embeddings/embedder-spec";
import { fitSpaceLexicalEmbedder } from "../embeddings/lexical-space-embedder";
import type { LsaEmbedder } from "../embeddings/lsa-embedder";
import { encodeLsaModel } from "../embeddings/lsa-model-codec";
import type { TextEmbedder } from "../embeddings/text-embedder";
import { buildNeighbourIndex, indexedVectorCount } from "./persisted-index";

const isLsa = (embedder: TextEmbedder): embedder is LsaEmbedder => "model" in embedder;

/**
 * The neighbour index is built here, where vectors are written (the projection task, finemed map embed),
 * so the web process never builds one: after new vectors, or when the stored index lags the space.
 */
export async function refreshNeighbourIndex(
  db: Database,
  space: EmbeddingSpaceRow,
  written: number,
  lexical: TextEmbedder | null,
): Promise<void> {
  const held = await spaceVectorCount(db, space.id);
  if (written === 0 && (await indexedVectorCount(db, space.id)) === held) return;
  let queryModel: Buffer | null = null;
  if (space.kind === "lexical" && lexicalVersionOf(space.embedder) !== 1) {
    const fitted = lexical ?? (await fitSpaceLexicalEmbedder(db, space));
    if (isLsa(fitted)) queryModel = encodeLsaModel(fitted.model);
  }
  await buildNeighbourIndex(db, space, queryModel);
}
