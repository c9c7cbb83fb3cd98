import type { FaultKind } from "./faults";
import type { SimStep } from "./step-detection";

// Counters mirror the vLLM metric names a load-aware client or dashboard reads (vllm:num_requests_running
// and friends), plus simulator-specific ones prefixed finemed_sim_.

export interface SimulatorStats {
  requests: number;
  inFlight: number;
  maxInFlight: number;
  byEndpoint: Record<string, number>;
  byStep: Partial<Record<SimStep, number>>;
  byStatus: Record<string, number>;
  faults: Record<FaultKind, number>;
  garbageChoices: number;
  promptTokens: number;
  completionTokens: number;
}

export function emptyStats(): SimulatorStats {
  return {
    requests: 0,
    inFlight: 0,
    maxInFlight: 0,
    byEndpoint: {},
    byStep: {},
    byStatus: {},
    faults: { "rate-limited": 0, unavailable: 0, dropped: 0 },
    garbageChoices: 0,
    promptTokens: 0,
    completionTokens: 0,
  };
}

export function increment(record: Record<string, number>, key: string, by = 1): void {
  record[key] = (record[key] ?? 0) + by;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** The KV-cache gauge under vLLM V1's name or the one it had before (both are read by the studio). */
export type KvCacheMetricName = "vllm:kv_cache_usage_perc" | "vllm:gpu_cache_usage_perc";

// A notional cache that one in-flight request fills by this share, so the gauge moves with the load.
const KV_SHARE_PER_REQUEST = 1 / 256;

export function renderPrometheus(
  stats: SimulatorStats,
  modelName: string,
  kvMetric: KvCacheMetricName = "vllm:kv_cache_usage_perc",
): string {
  const model = `model_name="${escapeLabel(modelName)}"`;
  const lines: string[] = [
    `# HELP ${kvMetric} KV-cache usage. 1 means 100 percent usage.`,
    `# TYPE ${kvMetric} gauge`,
    `${kvMetric}{${model}} ${Math.min(1, stats.inFlight * KV_SHARE_PER_REQUEST)}`,
    "# HELP vllm:num_requests_running Number of requests currently being processed.",
    "# TYPE vllm:num_requests_running gauge",
    `vllm:num_requests_running{${model}} ${stats.inFlight}`,
    "# HELP vllm:num_requests_waiting Number of requests waiting to be processed.",
    "# TYPE vllm:num_requests_waiting gauge",
    `vllm:num_requests_waiting{${model}} 0`,
    "# HELP vllm:prompt_tokens_total Number of prefill tokens processed.",
    "# TYPE vllm:prompt_tokens_total counter",
    `vllm:prompt_tokens_total{${model}} ${stats.promptTokens}`,
    "# HELP vllm:generation_tokens_total Number of generation tokens processed.",
    "# TYPE vllm:generation_tokens_total counter",
    `vllm:generation_tokens_total{${model}} ${stats.completionTokens}`,
    "# HELP finemed_sim_requests_total Requests received, by endpoint.",
    "# TYPE finemed_sim_requests_total counter",
  ];
  for (const [endpoint, count] of Object.entries(stats.byEndpoint)) {
    lines.push(`finemed_sim_requests_total{endpoint="${escapeLabel(endpoint)}"} ${count}`);
  }
  lines.push("# HELP finemed_sim_responses_total Responses sent, by HTTP status.", "# TYPE finemed_sim_responses_total counter");
  for (const [status, count] of Object.entries(stats.byStatus)) {
    lines.push(`finemed_sim_responses_total{status="${escapeLabel(status)}"} ${count}`);
  }
  lines.push("# HELP finemed_sim_faults_total Injected faults, by kind.", "# TYPE finemed_sim_faults_total counter");
  for (const [kind, count] of Object.entries(stats.faults)) {
    lines.push(`finemed_sim_faults_total{kind="${kind}"} ${count}`);
  }
  lines.push(
    "# HELP finemed_sim_garbage_choices_total Choices whose content was deliberately corrupted.",
    "# TYPE finemed_sim_garbage_choices_total counter",
    `finemed_sim_garbage_choices_total ${stats.garbageChoices}`,
    "# HELP finemed_sim_max_in_flight Highest number of concurrent requests seen.",
    "# TYPE finemed_sim_max_in_flight gauge",
    `finemed_sim_max_in_flight ${stats.maxInFlight}`,
  );
  return lines.join("\n") + "\n";
}
