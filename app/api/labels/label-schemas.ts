import { z } from "zod";
import { sampleFiltersSchema } from "@/lib/samples";

const departmentName = z.string().trim().min(1).max(200);

/** A department as the curator names it; secondary null is None. The taxonomy itself is checked in lib. */
export const labelTargetSchema = z.object({ primary: departmentName, secondary: departmentName.nullable() });

const reason = z.string().trim().min(1, "give a reason for the change").max(2000);

export const relabelBodySchema = z.object({
  instructionId: z.number().int().positive(),
  /** The label version the curator saw; a moved version is a conflict, never an overwrite. */
  expectedVersion: z.number().int().min(0),
  to: labelTargetSchema,
  reason,
});

// Bounded so one request cannot name an unbounded id list; larger sets go through a filter.
export const MAX_SELECTED_IDS = 10_000;

const selectionSchema = z.union([
  z.object({ ids: z.array(z.number().int().positive()).min(1, "select at least one sample").max(MAX_SELECTED_IDS) }).strict(),
  z.object({ filter: sampleFiltersSchema }).strict(),
]);

export const bulkBodySchema = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("preview"), selection: selectionSchema, to: labelTargetSchema }),
  z.object({ mode: z.literal("apply"), selection: selectionSchema, to: labelTargetSchema, reason }),
]);
