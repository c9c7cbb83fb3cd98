// Reads the Prometheus text exposition format that vLLM serves at /metrics, so schedulers can throttle
// on the server's own queue length (vllm:num_requests_waiting / running).

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)(?:\s+-?\d+)?\s*$/;

function parseValue(text: string): number {
  if (text === "+Inf") return Number.POSITIVE_INFINITY;
  if (text === "-Inf") return Number.NEGATIVE_INFINITY;
  return Number(text);
}

/**
 * Map of metric name to value. Each labelled series appears under its full text (`name{a="b"}`), and the
 * bare name holds the sum over its series, which is what "requests running on this server" means.
 */
export function parsePrometheusText(text: string): Record<string, number> {
  const values: Record<string, number> = {};
  for (const rawLine of text.split("\n")) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = SAMPLE_LINE.exec(line);
    if (match === null) continue;
    const [, name = "", labels, valueText = ""] = match;
    const value = parseValue(valueText);
    if (Number.isNaN(value) && valueText !== "NaN") continue;
    if (labels !== undefined && labels !== "{}") values[`${name}${labels}`] = value;
    values[name] = (values[name] ?? 0) + value;
  }
  return values;
}
