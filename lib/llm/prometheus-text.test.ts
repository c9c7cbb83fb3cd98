import { describe, expect, it } from "vitest";
import { parsePrometheusText } from "./prometheus-text";

describe("parsePrometheusText", () => {
  it("maps series and bare names (summed over labels)", () => {
    const text = [
      "# HELP vllm:num_requests_running Number of requests running.",
      "# TYPE vllm:num_requests_running gauge",
      'vllm:num_requests_running{model_name="a"} 3',
      'vllm:num_requests_running{model_name="b"} 2',
      "vllm:gpu_cache_usage_perc 0.25",
      'http_requests_total{path="/v1/chat/completions",code="200"} 1.5e3 1700000000000',
      'bucket_le_inf{le="+Inf"} +Inf',
      "",
      "garbage line here",
    ].join("\n");
    const values = parsePrometheusText(text);
    expect(values["vllm:num_requests_running"]).toBe(5);
    expect(values['vllm:num_requests_running{model_name="a"}']).toBe(3);
    expect(values["vllm:gpu_cache_usage_perc"]).toBe(0.25);
    expect(values["http_requests_total"]).toBe(1500);
    expect(values["bucket_le_inf"]).toBe(Number.POSITIVE_INFINITY);
    expect(Object.keys(values)).not.toContain("garbage");
  });
});
