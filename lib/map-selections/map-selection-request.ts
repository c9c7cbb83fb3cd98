import { z } from "zod";
import { sampleFiltersSchema } from "../samples/sample-query";

/** Legend groupings the server can leave out of a selection: each maps to one code column of `samples s`. */
export const LEGEND_CODE_COLUMNS = {
  primary: "coalesce(s.primary_id, 0)",
  secondary: "coalesce(s.secondary_id, 0)",
  modelPrimary: "coalesce(s.model_primary_id, 0)",
  modelSecondary: "coalesce(s.model_secondary_id, 0)",
  curatedPrimary: "coalesce(s.curated_primary_id, 0)",
  curatedSecondary: "coalesce(s.curated_secondary_id, 0)",
  tier: "coalesce(array_position(ARRAY['common', 'complex']::text[], s.tier::text), 0)",
  quality: "coalesce(s.quality, 0)",
  difficulty: "coalesce(s.difficulty, 0)",
  relevance: "coalesce(s.relevance, 0)",
} as const;
export type LegendCodeColumn = keyof typeof LEGEND_CODE_COLUMNS;

export const MAX_POLYGON_VERTICES = 10_000;

const coordinate = z.number().finite();

export const mapSelectionRequestSchema = z
  .object({
    projection: z.uuid("projection must be a projection id"),
    /** The lasso in the projection's own coordinates (those stored in projection_points). */
    polygon: z
      .array(z.tuple([coordinate, coordinate]))
      .min(3, "a lasso needs at least 3 corners")
      .max(MAX_POLYGON_VERTICES, `a lasso may have at most ${MAX_POLYGON_VERTICES.toLocaleString("en")} corners`),
    /** The /samples filters in force: points outside them are not selected. */
    filters: sampleFiltersSchema.default({ labelSource: "effective" }),
    /** Legend entries the curator switched off: their points are not selected either. */
    hidden: z
      .object({
        by: z.enum(Object.keys(LEGEND_CODE_COLUMNS) as [LegendCodeColumn, ...LegendCodeColumn[]]),
        codes: z.array(z.number().int().min(0).max(65_535)).max(1_000),
      })
      .optional(),
  })
  .strict();
export type MapSelectionRequest = z.output<typeof mapSelectionRequestSchema>;
export type MapSelectionRequestInput = z.input<typeof mapSelectionRequestSchema>;
