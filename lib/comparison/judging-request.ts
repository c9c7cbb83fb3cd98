import { z } from "zod";
import { roleSettingsSchema } from "../runs/run-config";

export const DEFAULT_SAMPLE_SIZE = 5_000;

/** A judging as asked for by the API or a test: the judge is a backend, or the judge role of a run. */
export const judgingRequestSchema = z
  .object({
    sampleSize: z.number().int().positive().max(1_000_000).default(DEFAULT_SAMPLE_SIZE),
    seed: z.string().trim().min(1).max(200).default("finemed-comparison"),
    judge: z.union([roleSettingsSchema, z.object({ runId: z.uuid() }).strict()]),
    /** The Table 5 prompt version; by default the run's (judge from a run) or the newest. */
    promptVersion: z.number().int().positive().optional(),
    batchSize: z.number().int().min(1).max(5_000).default(100),
    outputRetries: z.number().int().min(0).max(10).default(2),
  })
  .strict();

export type JudgingRequestInput = z.input<typeof judgingRequestSchema>;
export type JudgingRequest = z.output<typeof judgingRequestSchema>;
export type JudgeSettings = z.output<typeof roleSettingsSchema>;
