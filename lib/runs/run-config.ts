import { z } from "zod";
import { roleBackendConfigSchema } from "../llm/roles";
import { parseTierThreshold } from "../pipeline/tiering";

/**
 * A run's configuration (run.json, the New-run form, the API). Secrets never live here: a role names the
 * environment variable that holds its API key (`apiKeyEnv`), read by whichever worker makes the call.
 */
export const roleSettingsSchema = roleBackendConfigSchema
  .omit({ role: true, apiKey: true })
  .extend({
    apiKeyEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, "apiKeyEnv must name an environment variable, e.g. VLLM_API_KEY")
      .optional(),
  })
  .strict();

export type RoleSettings = z.output<typeof roleSettingsSchema>;

const PIPELINE_ROLES = ["generator", "judge", "reasoner", "classifier", "reward"] as const;
export type PipelineRole = (typeof PIPELINE_ROLES)[number];

export const runConfigSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    corpus: z.string().trim().min(1, "corpus is required"),
    /** How many texts of the corpus to run on (a seeded random sample); all when absent. */
    limit: z.number().int().positive().max(10_000_000).optional(),
    seed: z.string().min(1).max(200).default("finemed"),
    tierThreshold: z
      .number()
      .refine((value) => parseTierThreshold(value).ok, "tierThreshold must be an integer from 1 to 10")
      .default(8),
    batchSize: z.number().int().min(1).max(5_000).default(100),
    /** How many more times an invalid model output is asked for again before the text fails. */
    outputRetries: z.number().int().min(0).max(10).default(2),
    rewardEndpoint: z.enum(["pooling", "classify"]).default("pooling"),
    /** Prompt versions by key; the newest version of a key is used where none is named. */
    prompts: z.record(z.string(), z.number().int().positive()).default({}),
    roles: z
      .object({
        generator: roleSettingsSchema,
        judge: roleSettingsSchema,
        reasoner: roleSettingsSchema,
        classifier: roleSettingsSchema,
        reward: roleSettingsSchema,
      })
      .strict(),
  })
  .strict();

export type RunConfigInput = z.input<typeof runConfigSchema>;
export type RunConfig = z.output<typeof runConfigSchema>;

export { PIPELINE_ROLES };

export type RunConfigCheck = { ok: true; config: RunConfig } | { ok: false; reason: string };

export function checkRunConfig(input: unknown): RunConfigCheck {
  const parsed = runConfigSchema.safeParse(input);
  if (parsed.success) return { ok: true, config: parsed.data };
  return { ok: false, reason: parsed.error.issues.map((issue) => `${issue.path.join(".") || "config"}: ${issue.message}`).join("; ") };
}

/** Every role pointed at one server: the simulator in tests and the demo, or a single vLLM host. */
export function singleServerRoles(baseUrl: string, model: string, maxInFlight = 64): RunConfigInput["roles"] {
  const role = { baseUrl, model, maxInFlight, timeoutMs: 60_000, maxRetries: 6 };
  return { generator: role, judge: role, reasoner: role, classifier: role, reward: role };
}
