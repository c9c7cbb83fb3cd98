import { BackendError } from "./backend-error";
import type { BackendClient } from "./client";

/**
 * Checks made before a run's first paid call (and by "Test connection"): the model is served, the server
 * enforces JSON schemas (a canary), the reward endpoint gives one scalar per sequence, /metrics is read.
 */
export interface SchemaCanary {
  /** True: the output followed a schema unconstrained output would almost surely break; null: not checked. */
  enforced: boolean | null;
  /** What came back, cut short. */
  detail: string;
  /** The call the server answered, so the run counts it; absent when none was answered. */
  call?: PreflightCall;
}

export interface RewardCheck {
  ok: boolean;
  detail: string;
  call?: PreflightCall;
}

export interface PreflightCall {
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
}

export interface KvCacheReading {
  /** 0–1; null when the server reports neither name. */
  usage: number | null;
  /** The metric name found: vLLM V1 `vllm:kv_cache_usage_perc`, older `vllm:gpu_cache_usage_perc`. */
  metric: string | null;
  requestsWaiting: number | null;
}

// Unconstrained output cannot guess this token and this number; guided decoding must produce both.
const CANARY_TOKEN = "finemed-canary-7f3a";
const CANARY_MINIMUM = 7341;
export const CANARY_SCHEMA: Record<string, unknown> = {
  type: "object",
  properties: { canary: { type: "string", enum: [CANARY_TOKEN] }, n: { type: "integer", minimum: CANARY_MINIMUM } },
  required: ["canary", "n"],
  additionalProperties: false,
};

export const KV_CACHE_METRICS = ["vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc"] as const;

function excerpt(text: string, length = 160): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > length ? `${flat.slice(0, length)}…` : flat;
}

function failure(error: unknown): string {
  if (error instanceof BackendError) return `${error.message}${error.bodyExcerpt ? ` — body: ${excerpt(error.bodyExcerpt)}` : ""}`;
  return error instanceof Error ? error.message : String(error);
}

/** Whether an output follows the canary schema. */
export function followsCanary(content: string): boolean {
  try {
    const parsed: unknown = JSON.parse(content);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return false;
    const value = parsed as Record<string, unknown>;
    return (
      value.canary === CANARY_TOKEN &&
      typeof value.n === "number" &&
      Number.isInteger(value.n) &&
      value.n >= CANARY_MINIMUM &&
      Object.keys(value).every((key) => key === "canary" || key === "n")
    );
  } catch {
    return false;
  }
}

/**
 * A tiny request whose schema unconstrained output would almost surely violate. `client` must send
 * schemas (its role's structuredOutputs on), as `response_format: {type: "json_schema"}`.
 */
export async function schemaCanary(client: BackendClient): Promise<SchemaCanary> {
  try {
    const call = await client.chat({
      messages: [{ role: "user", content: "Reply with one short sentence about the weather." }],
      jsonSchema: { name: "finemed_canary", schema: CANARY_SCHEMA },
      sampling: { temperature: 0, max_tokens: 40 },
    });
    const content = call.result.choices[0]?.content ?? "";
    const made = { promptTokens: call.usage.promptTokens, completionTokens: call.usage.completionTokens, latencyMs: call.latencyMs };
    return followsCanary(content)
      ? { enforced: true, detail: "the output followed the schema", call: made }
      : {
          enforced: false,
          detail: `the server ignored the schema (HTTP 200): it answered ${JSON.stringify(excerpt(content, 80))}`,
          call: made,
        };
  } catch (error) {
    return { enforced: null, detail: `the canary failed: ${failure(error)}` };
  }
}

/** Two sequences in, two finite scalars out; anything else is described. */
export async function rewardCheck(client: BackendClient, endpoint: "pooling" | "classify"): Promise<RewardCheck> {
  try {
    const call = await client.reward(
      [
        { prompt: "What is the normal adult resting heart rate?", response: "About 60 to 100 beats per minute." },
        { prompt: "What is the normal adult resting heart rate?", response: "Purple." },
      ],
      { endpoint },
    );
    const scores = call.result;
    const made = { promptTokens: call.usage.promptTokens, completionTokens: call.usage.completionTokens, latencyMs: call.latencyMs };
    if (scores.length === 2 && scores.every((score) => typeof score === "number" && Number.isFinite(score))) {
      return {
        ok: true,
        detail: `/${endpoint} returned one score per sequence (${scores.map((s) => s.toFixed(3)).join(", ")})`,
        call: made,
      };
    }
    return {
      ok: false,
      detail: `/${endpoint} returned ${JSON.stringify(scores).slice(0, 160)} for two sequences, not two finite scores`,
      call: made,
    };
  } catch (error) {
    return { ok: false, detail: failure(error) };
  }
}

/** /metrics, read under both names vLLM has used for the KV-cache gauge. */
export function readKvCache(metrics: Record<string, number>): KvCacheReading {
  const metric = KV_CACHE_METRICS.find((name) => metrics[name] !== undefined) ?? null;
  return {
    usage: metric === null ? null : (metrics[metric] ?? null),
    metric,
    requestsWaiting: metrics["vllm:num_requests_waiting"] ?? null,
  };
}

export async function kvCache(client: BackendClient): Promise<KvCacheReading | null> {
  try {
    return readKvCache((await client.metrics()).result);
  } catch {
    return null;
  }
}
