import { z } from "zod";

// One OpenAI-compatible server usually serves one model, so every model role of the pipeline gets its own
// endpoint, credentials, concurrency and sampling defaults.

export const BACKEND_ROLES = ["generator", "judge", "reasoner", "classifier", "reward", "embedder"] as const;
export type BackendRole = (typeof BACKEND_ROLES)[number];

export const samplingSchema = z
  .object({
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().gt(0).max(1).optional(),
    max_tokens: z.number().int().positive().optional(),
    seed: z.number().int().optional(),
  })
  .strict();
export type Sampling = z.infer<typeof samplingSchema>;

export const roleBackendConfigSchema = z.object({
  role: z.enum(BACKEND_ROLES),
  baseUrl: z.url({ protocol: /^https?$/, error: "baseUrl must be an http(s) URL" }),
  model: z.string().min(1),
  apiKey: z.string().min(1).optional(),
  maxInFlight: z.number().int().positive().default(16),
  timeoutMs: z.number().int().positive().default(120_000),
  sampling: samplingSchema.default({}),
  maxRetries: z.number().int().min(0).max(20).default(5),
  /** Send response_format with a JSON schema (vLLM/SGLang guided decoding) when a call provides one. */
  structuredOutputs: z.boolean().default(false),
  /**
   * Adapt the requests in flight to what the server sustains (additive increase, multiplicative decrease
   * on 429/503/timeouts and on vllm:num_requests_waiting), with maxInFlight as the ceiling.
   */
  adaptiveConcurrency: z.boolean().default(false),
});

export type RoleBackendConfig = z.output<typeof roleBackendConfigSchema>;
export type RoleBackendConfigInput = z.input<typeof roleBackendConfigSchema>;

/**
 * Accepts "http://host:8000", "http://host:8000/" or "http://host:8000/v1": vLLM serves /pooling and
 * /classify at the root, so the client keeps the root and adds /v1 itself.
 */
export function normalizeBaseUrl(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, "").replace(/\/v1$/, "");
}
