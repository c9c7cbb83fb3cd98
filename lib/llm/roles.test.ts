import { describe, expect, it } from "vitest";
import { normalizeBaseUrl, roleBackendConfigSchema } from "./roles";

describe("role backend config", () => {
  it("fills defaults", () => {
    expect(roleBackendConfigSchema.parse({ role: "judge", baseUrl: "http://localhost:8000", model: "Qwen/Qwen2.5-72B-Instruct" })).toEqual({
      role: "judge",
      baseUrl: "http://localhost:8000",
      model: "Qwen/Qwen2.5-72B-Instruct",
      maxInFlight: 16,
      adaptiveConcurrency: false,
      timeoutMs: 120_000,
      sampling: {},
      maxRetries: 5,
      structuredOutputs: false,
    });
  });

  it("rejects bad values without echoing the API key", () => {
    const result = roleBackendConfigSchema.safeParse({
      role: "oracle",
      baseUrl: "ftp://x",
      model: "",
      apiKey: "sk-hidden",
      maxInFlight: 0,
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path[0]).sort()).toEqual(["baseUrl", "maxInFlight", "model", "role"]);
    expect(JSON.stringify(result.error?.issues)).not.toContain("sk-hidden");
  });

  it("normalises base URLs to the server root", () => {
    expect(normalizeBaseUrl("http://h:8000/v1/")).toBe("http://h:8000");
    expect(normalizeBaseUrl("http://h:8000/")).toBe("http://h:8000");
    expect(normalizeBaseUrl("https://proxy/models/qwen/v1")).toBe("https://proxy/models/qwen");
  });
});
