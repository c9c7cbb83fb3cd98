import { z } from "zod";
import { VECTOR_ENCODINGS } from "../vectors/vector-codec";

/**
 * Which embedder makes a space's vectors: the embedder role of a backend (an OpenAI-compatible
 * /v1/embeddings server such as vLLM serving BAAI/bge-large-en-v1.5) or the in-process lexical embedder
 * the offline demo uses. API keys stay in the environment: only the variable's name is kept.
 */
export const EMBEDDING_INPUTS = ["instruction", "instruction+response", "instruction+response+source"] as const;
export type EmbeddingInput = (typeof EMBEDDING_INPUTS)[number];

const lexicalSpec = z
  .object({
    kind: z.literal("lexical"),
    /**
     * 1: hashed TF-IDF through a random projection (the first offline embedder, kept so its spaces and maps
     * stay valid); 2: LSA over TF-IDF of words and word pairs; 3: LSA over the words shared by two texts or
     * more (lsa-embedder.ts says why). A new version is a new space.
     */
    version: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(3),
    /** 64 for version 3, 256 before. */
    dimensions: z.number().int().min(8).max(2048).optional(),
    encoding: z.enum(VECTOR_ENCODINGS).default("f32"),
  })
  .strict()
  .transform((spec) => ({ ...spec, dimensions: spec.dimensions ?? (spec.version === 3 ? 64 : 256) }));

const backendSpec = z
  .object({
    kind: z.literal("backend"),
    baseUrl: z.url({ protocol: /^https?$/, error: "baseUrl must be an http(s) URL" }),
    model: z.string().min(1),
    apiKeyEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, "apiKeyEnv must be an environment variable name")
      .optional(),
    /** Asked of the server (Matryoshka models); the model's own size when absent. */
    dimensions: z.number().int().min(8).max(8192).optional(),
    /** Texts per /v1/embeddings request. */
    batchSize: z.number().int().min(1).max(2048).default(64),
    maxInFlight: z.number().int().min(1).max(256).default(4),
    // Half precision halves a 1024-d space (4 KiB → 2 KiB a vector) and changes no ranking measurably.
    encoding: z.enum(VECTOR_ENCODINGS).default("f16"),
  })
  .strict();

export const embedderSpecSchema = z.discriminatedUnion("kind", [lexicalSpec, backendSpec]);
export type EmbedderSpec = z.output<typeof embedderSpecSchema>;
export type EmbedderSpecInput = z.input<typeof embedderSpecSchema>;
export type BackendEmbedderSpec = z.output<typeof backendSpec>;

/** The stable name a space is known by (embedding_spaces.embedder); the UI shows it beside every map. */
export function embedderName(spec: EmbedderSpec): string {
  if (spec.kind === "lexical") return `lexical:${LEXICAL_FAMILIES[spec.version]}-${spec.dimensions}`;
  return `backend:${spec.model}${spec.dimensions ? `@${spec.dimensions}` : ""}`;
}

/**
 * The embedder used when a request names none: FINEMED_EMBEDDER_URL + FINEMED_EMBEDDER_MODEL (+ optional
 * FINEMED_EMBEDDER_API_KEY_ENV) when set, else the lexical embedder so a studio without a GPU still maps.
 */
export function defaultEmbedderSpec(env: NodeJS.ProcessEnv = process.env): EmbedderSpec {
  const baseUrl = env.FINEMED_EMBEDDER_URL?.trim();
  const model = env.FINEMED_EMBEDDER_MODEL?.trim();
  if (baseUrl && model) {
    return embedderSpecSchema.parse({
      kind: "backend",
      baseUrl,
      model,
      ...(env.FINEMED_EMBEDDER_API_KEY_ENV ? { apiKeyEnv: env.FINEMED_EMBEDDER_API_KEY_ENV } : {}),
    });
  }
  return embedderSpecSchema.parse({ kind: "lexical" });
}

const LEXICAL_FAMILIES = { 1: "tfidf-hash-rp", 2: "tfidf-lsa", 3: "word-lsa" } as const;

/** The lexical version a space's embedder name says, so a space is always refitted as it was made. */
export function lexicalVersionOf(embedder: string): 1 | 2 | 3 {
  if (embedder.startsWith(`lexical:${LEXICAL_FAMILIES[1]}-`)) return 1;
  return embedder.startsWith(`lexical:${LEXICAL_FAMILIES[3]}-`) ? 3 : 2;
}

/**
 * What a space embeds when a request names nothing: the lexical embedder reads the chosen answer and the
 * source text too (templated instructions alone told the simulator's eight templates apart, not the
 * departments); a backend model keeps to the instruction, as the paper's Figure 4 does with bge.
 */
export function defaultEmbeddingInput(spec: EmbedderSpec): EmbeddingInput {
  return spec.kind === "lexical" ? "instruction+response+source" : "instruction";
}
