import { describe, expect, it } from "vitest";
import { followsCanary, readKvCache } from "./preflight";

describe("preflight", () => {
  it("tells the canary's schema-following output from unconstrained output", () => {
    expect(followsCanary(JSON.stringify({ canary: "finemed-canary-7f3a", n: 7341 }))).toBe(true);
    expect(followsCanary(JSON.stringify({ canary: "finemed-canary-7f3a", n: 12 }))).toBe(false);
    expect(followsCanary(JSON.stringify({ canary: "finemed-canary-7f3a", n: 9000, extra: 1 }))).toBe(false);
    expect(followsCanary("It is sunny today.")).toBe(false);
    expect(followsCanary('{"weather": "sunny"}')).toBe(false);
  });

  it("reads the KV-cache gauge under its V1 name and its older one", () => {
    expect(readKvCache({ "vllm:kv_cache_usage_perc": 0.42, "vllm:num_requests_waiting": 3 })).toEqual({
      usage: 0.42,
      metric: "vllm:kv_cache_usage_perc",
      requestsWaiting: 3,
    });
    expect(readKvCache({ "vllm:gpu_cache_usage_perc": 0.1 })).toEqual({
      usage: 0.1,
      metric: "vllm:gpu_cache_usage_perc",
      requestsWaiting: null,
    });
    expect(readKvCache({})).toEqual({ usage: null, metric: null, requestsWaiting: null });
  });
});
