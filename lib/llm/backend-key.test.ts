import { describe, expect, it } from "vitest";
import { backendKeyEnvProblem, BackendKeyError, readBackendKey } from "./backend-key";

describe("backend keys", () => {
  it("allows the prefix and the declared list (default VLLM_API_KEY, OPENAI_API_KEY)", () => {
    expect(backendKeyEnvProblem("FINEMED_BACKEND_KEY_GPU1", {})).toBeNull();
    expect(backendKeyEnvProblem("VLLM_API_KEY", {})).toBeNull();
    expect(backendKeyEnvProblem("OPENAI_API_KEY", {})).toBeNull();
    expect(backendKeyEnvProblem("HF_TOKEN", {})).toMatch(/not a declared backend key/);
    expect(backendKeyEnvProblem("HF_TOKEN", { FINEMED_BACKEND_KEY_VARS: "HF_TOKEN, OTHER_KEY" })).toBeNull();
    // A list set by the operator replaces the default one.
    expect(backendKeyEnvProblem("VLLM_API_KEY", { FINEMED_BACKEND_KEY_VARS: "HF_TOKEN" })).toMatch(/not a declared/);
    expect(backendKeyEnvProblem("EMBED_KEY", { FINEMED_EMBEDDER_API_KEY_ENV: "EMBED_KEY" })).toBeNull();
  });

  it("never allows the studio's own secrets, even when listed", () => {
    const listed = { FINEMED_BACKEND_KEY_VARS: "BETTER_AUTH_SECRET,DATABASE_URL,FINEMED_TOKEN,FINEMED_PASSWORD,PGPASSWORD" };
    for (const name of [
      "BETTER_AUTH_SECRET",
      "DATABASE_URL",
      "FINEMED_TOKEN",
      "FINEMED_PASSWORD",
      "FINEMED_ADMIN_PASSWORD",
      "PGPASSWORD",
    ]) {
      expect(backendKeyEnvProblem(name, listed)).toMatch(/studio's own settings or secrets/);
    }
  });

  it("reads an allowed key, and refuses an undeclared or unset one with the reason", () => {
    expect(readBackendKey("FINEMED_BACKEND_KEY_A", "role generator", { FINEMED_BACKEND_KEY_A: "k" })).toBe("k");
    expect(readBackendKey(undefined, "role generator", {})).toBeUndefined();
    expect(() => readBackendKey("BETTER_AUTH_SECRET", "role judge", { BETTER_AUTH_SECRET: "s" })).toThrow(BackendKeyError);
    expect(() => readBackendKey("FINEMED_BACKEND_KEY_B", "role judge", {})).toThrow(/lacks/);
  });
});
