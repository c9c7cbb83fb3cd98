import { z } from "zod";
import { sampleFiltersSchema } from "../samples/sample-query";

/**
 * What a version is built from: some runs, and the samples page's filters over their kept samples.
 * Status is not a choice (only kept instructions become training data) and runs are given apart,
 * so a version always names the runs it came from.
 */
export const datasetSelectionSchema = z.object({
  runIds: z.array(z.uuid()).min(1, { error: "a dataset version needs at least one run" }),
  filters: sampleFiltersSchema.omit({ status: true, runIds: true }).default({ labelSource: "effective" }),
});
export type DatasetSelection = z.output<typeof datasetSelectionSchema>;
export type DatasetSelectionInput = z.input<typeof datasetSelectionSchema>;
