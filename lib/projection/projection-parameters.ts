import { z } from "zod";

/**
 * A projection's parameters exactly as used (stored in projections.parameters). Large sets are fitted on
 * a seeded sample of `fitSample` points (default 20,000 for UMAP: ~1–2 min on two cores) after PCA to
 * `components` dimensions, and the rest are placed by their nearest fitted neighbours.
 */
export const PROJECTION_METHODS = ["umap", "tsne"] as const;
export type ProjectionMethod = (typeof PROJECTION_METHODS)[number];

const shared = {
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(42),
  /** PCA dimensions before fitting; 0 fits on the embeddings as they are. */
  components: z.number().int().min(0).max(512).default(50),
  /** k of the neighbour-preservation score, measured on `scoreSample` points. */
  scoreK: z.number().int().min(1).max(100).default(15),
  scoreSample: z.number().int().min(50).max(10_000).default(1_000),
};

export const umapParametersSchema = z
  .object({
    nNeighbors: z.number().int().min(2).max(200).default(15),
    minDist: z.number().min(0).max(1).default(0.1),
    fitSample: z.number().int().min(50).max(100_000).default(20_000),
    /** umap-js's default (by size) when absent. */
    nEpochs: z.number().int().min(10).max(2_000).optional(),
    ...shared,
  })
  .strict();

export const tsneParametersSchema = z
  .object({
    perplexity: z.number().min(2).max(100).default(30),
    iterations: z.number().int().min(250).max(5_000).default(750),
    theta: z.number().min(0).max(1.5).default(0.5),
    // Exact affinities are O(n²): 5,000 points is ~a minute; more is for patient curators.
    fitSample: z.number().int().min(50).max(30_000).default(5_000),
    /** k of the placement of points outside the fit sample. */
    nNeighbors: z.number().int().min(2).max(200).default(15),
    ...shared,
  })
  .strict();

export type UmapParameters = z.output<typeof umapParametersSchema>;
export type TsneParameters = z.output<typeof tsneParametersSchema>;
export type ProjectionParameters = { method: "umap"; parameters: UmapParameters } | { method: "tsne"; parameters: TsneParameters };

/** Validates parameters for a method (unknown keys are refused, so a typo never passes silently). */
export function parseProjectionParameters(method: ProjectionMethod, input: unknown): ProjectionParameters {
  return method === "umap"
    ? { method, parameters: umapParametersSchema.parse(input ?? {}) }
    : { method, parameters: tsneParametersSchema.parse(input ?? {}) };
}
