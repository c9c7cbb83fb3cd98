import { describe, expect, it } from "vitest";
import { backendCallKey, canonicalJson } from "./call-key";

const base = {
  baseUrl: "http://gpu-1:8000",
  model: "Qwen/Qwen2.5-72B-Instruct",
  endpoint: "/v1/chat/completions",
  messages: [{ role: "user", content: "Generate two questions." }],
  params: { temperature: 0.7, n: 1, response_format: { type: "json_object" } },
};

describe("backendCallKey", () => {
  it("is a stable sha256 regardless of key order, undefined fields and base URL spelling", () => {
    const key = backendCallKey(base);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(backendCallKey({ ...base })).toBe(key);
    expect(
      backendCallKey({
        params: { response_format: { type: "json_object" }, n: 1, temperature: 0.7, seed: undefined },
        messages: [{ content: "Generate two questions.", role: "user" }],
        endpoint: "/v1/chat/completions",
        model: "Qwen/Qwen2.5-72B-Instruct",
        baseUrl: "http://gpu-1:8000/v1/",
      }),
    ).toBe(key);
  });

  it("changes with anything that changes the answer", () => {
    const key = backendCallKey(base);
    expect(backendCallKey({ ...base, model: "Qwen/QwQ-32B-Preview" })).not.toBe(key);
    expect(backendCallKey({ ...base, endpoint: "/v1/embeddings" })).not.toBe(key);
    expect(backendCallKey({ ...base, baseUrl: "http://gpu-2:8000" })).not.toBe(key);
    expect(backendCallKey({ ...base, messages: [{ role: "user", content: "Generate two questions!" }] })).not.toBe(key);
    expect(backendCallKey({ ...base, params: { ...base.params, temperature: 0.8 } })).not.toBe(key);
    expect(backendCallKey({ ...base, params: { ...base.params, n: 2 } })).not.toBe(key);
    expect(backendCallKey({ ...base, messages: undefined, input: ["a"] })).not.toBe(
      backendCallKey({ ...base, messages: undefined, input: ["b"] }),
    );
  });

  it("writes canonical JSON with sorted keys and preserved array order", () => {
    expect(canonicalJson({ b: [3, 1, { d: 1, c: undefined }], a: "x" })).toBe('{"a":"x","b":[3,1,{"d":1}]}');
    expect(canonicalJson([undefined, null])).toBe("[null,null]");
  });
});
