import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkRunConfig } from "../lib/runs/run-config";

describe("run.json", () => {
  it("the documented example is a valid run configuration", () => {
    const checked = checkRunConfig(JSON.parse(readFileSync("examples/run.json", "utf8")));
    expect(checked.ok).toBe(true);
    if (checked.ok) {
      expect(checked.config.roles.reasoner.model).toBe("Qwen/QwQ-32B-Preview");
      expect(checked.config.roles.generator.apiKeyEnv).toBe("VLLM_API_KEY");
    }
  });

  it("refuses secrets, unknown fields and out-of-range thresholds with a reason", () => {
    const base = JSON.parse(readFileSync("examples/run.json", "utf8")) as { roles: { generator: Record<string, unknown> } };
    const withKey = structuredClone(base);
    withKey.roles.generator.apiKey = "sk-secret";
    const keyCheck = checkRunConfig(withKey);
    expect(keyCheck.ok).toBe(false);
    if (!keyCheck.ok) expect(keyCheck.reason).toMatch(/roles\.generator/);
    const threshold = checkRunConfig({ ...base, tierThreshold: 11 });
    expect(threshold.ok).toBe(false);
    if (!threshold.ok) expect(threshold.reason).toMatch(/tierThreshold/);
    const noRoles = checkRunConfig({ corpus: "x" });
    expect(noRoles.ok).toBe(false);
    if (!noRoles.ok) expect(noRoles.reason).toMatch(/roles/);
  });
});
