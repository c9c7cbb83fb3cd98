import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { backendCallKey } from "../llm/call-key";
import type { BackendClient } from "../llm/client";

/**
 * Backend embedding calls through the studio's call store (backend_calls): one stored call per text,
 * keyed like every other call by (endpoint, model, input, parameters), so a re-embedding (another space
 * over the same texts, a replayed job, a deleted and rebuilt space) never asks the server twice for a
 * text, however the texts are batched. The vector is stored as base64 float32: exact and ~3× smaller
 * than a JSON array of numbers.
 */

const storedEmbedding = z.object({ vector: z.string() });
type StoredEmbedding = z.output<typeof storedEmbedding>;
const storedCallRow = z.object({ key: z.string(), response: storedEmbedding });

export interface EmbeddingCallStats {
  made: number;
  reused: number;
}

export function embeddingCallKey(client: BackendClient, text: string, dimensions: number | undefined): string {
  return backendCallKey({
    baseUrl: client.baseUrl,
    model: client.model,
    endpoint: "/v1/embeddings",
    input: text,
    params: dimensions ? { dimensions } : {},
  });
}

function packFloat32(values: readonly number[]): string {
  return Buffer.from(Float32Array.from(values).buffer).toString("base64");
}

function unpackFloat32(text: string): Float32Array {
  const bytes = Buffer.from(text, "base64");
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}

/** Vectors for `texts` in order: stored ones from the call store, the rest from one batched request. */
export async function embedThroughCallStore(
  db: Database,
  client: BackendClient,
  texts: readonly string[],
  dimensions: number | undefined,
  stats: EmbeddingCallStats,
): Promise<Float32Array[]> {
  const keys = texts.map((text) => embeddingCallKey(client, text, dimensions));
  const stored = await queryRows(db.pool, storedCallRow, `SELECT key, response FROM backend_calls WHERE key = ANY($1::char(64)[])`, [
    [...new Set(keys)],
  ]);
  const known = new Map(stored.map((row) => [row.key, unpackFloat32(row.response.vector)]));
  const missing: number[] = [];
  const seen = new Set<string>();
  keys.forEach((key, position) => {
    if (!known.has(key) && !seen.has(key)) {
      missing.push(position);
      seen.add(key);
    }
  });
  stats.reused += texts.length - missing.length;
  if (missing.length > 0) {
    const call = await client.embed(
      missing.map((position) => texts[position]!),
      dimensions ? { dimensions } : {},
    );
    stats.made += missing.length;
    const share = (total: number) => Math.round(total / missing.length);
    await db.pool.query(
      `INSERT INTO backend_calls (key, role, base_url, model, endpoint, request, response, prompt_tokens, completion_tokens, latency_ms, attempts, first_run_id)
       SELECT k, 'embedder', $2, $3, '/v1/embeddings', r, v, $6, 0, $7, $8, NULL
         FROM unnest($1::char(64)[], $4::jsonb[], $5::jsonb[]) AS t(k, r, v)
       ON CONFLICT (key) DO NOTHING`,
      [
        missing.map((position) => keys[position]!),
        client.baseUrl,
        client.model,
        missing.map((position) => JSON.stringify({ input: texts[position], ...(dimensions ? { dimensions } : {}) })),
        call.result.map((vector) => JSON.stringify({ vector: packFloat32(vector) } satisfies StoredEmbedding)),
        share(call.usage.promptTokens),
        share(call.latencyMs),
        call.attempts,
      ],
    );
    missing.forEach((position, i) => known.set(keys[position]!, Float32Array.from(call.result[i]!)));
  }
  return keys.map((key) => known.get(key)!);
}
