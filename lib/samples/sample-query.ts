import { z } from "zod";

// The browser's whole table state as one validated value. It lives in the URL, so the schema is the
// contract between a shared link and the query it reproduces.

export const SAMPLE_STATUSES = ["kept", "other_kept", "none_kept", "judgement_failed", "text_failed", "pending"] as const;
export type SampleStatus = (typeof SAMPLE_STATUSES)[number];

export const SAMPLE_TIERS = ["common", "complex"] as const;
export type SampleTier = (typeof SAMPLE_TIERS)[number];

export const SORT_FIELDS = ["quality", "difficulty", "relevance", "reward", "id"] as const;
export type SortField = (typeof SORT_FIELDS)[number];

/** Which label a department filter looks at: the one in force, the model's, or the curator's override. */
export const LABEL_SOURCES = ["effective", "model", "curated"] as const;
export type LabelSource = (typeof LABEL_SOURCES)[number];

export const MAX_ID_FILTER = 2_000;

const range = (min: number, max: number, integer: boolean) => {
  const bound = integer ? z.number().int().min(min).max(max) : z.number().min(min).max(max);
  return z
    .object({ min: bound.optional(), max: bound.optional() })
    .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, { message: "min must not exceed max" });
};

export const sampleFiltersSchema = z.object({
  quality: range(1, 10, true).optional(),
  difficulty: range(1, 10, true).optional(),
  relevance: range(1, 6, true).optional(),
  reward: range(-1e9, 1e9, false).optional(),
  labelSource: z.enum(LABEL_SOURCES).default("effective"),
  primary: z.array(z.string().min(1)).optional(),
  /** null selects secondary None. */
  secondary: z.array(z.string().min(1).nullable()).optional(),
  tier: z.array(z.enum(SAMPLE_TIERS)).optional(),
  status: z.array(z.enum(SAMPLE_STATUSES)).optional(),
  overridden: z.boolean().optional(),
  mentionsDetails: z.boolean().optional(),
  runIds: z.array(z.uuid()).optional(),
  /** Full-text search over the instruction and its chosen response (websearch syntax: "phrase", -word, or). */
  text: z.string().trim().min(1).max(500).optional(),
  /** Exactly these samples (a selection made on the map); bounded so a link stays a usable URL. */
  ids: z.array(z.number().int().positive()).min(1).max(MAX_ID_FILTER).optional(),
  /** The samples of a stored map selection (lib/map-selections), of any size. */
  selection: z.uuid("selection must be a map selection id").optional(),
});
export type SampleFilters = z.output<typeof sampleFiltersSchema>;
export type SampleFiltersInput = z.input<typeof sampleFiltersSchema>;

export const sampleSortSchema = z.object({
  field: z.enum(SORT_FIELDS).default("id"),
  direction: z.enum(["asc", "desc"]).default("asc"),
});
export type SampleSort = z.output<typeof sampleSortSchema>;

export const MAX_PAGE_SIZE = 500;

export const sampleQuerySchema = z.object({
  filters: sampleFiltersSchema.default({ labelSource: "effective" }),
  sort: sampleSortSchema.default({ field: "id", direction: "asc" }),
  /** An opaque cursor from a previous page's `nextCursor`. */
  after: z.string().min(1).optional(),
  limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
});
export type SampleQuery = z.output<typeof sampleQuerySchema>;
export type SampleQueryInput = z.input<typeof sampleQuerySchema>;
