import { describe, expect, it } from "vitest";
import { runConfigSchema, singleServerRoles } from "../lib/runs/run-config";
import { plainIssue } from "../components/runs/run-config-messages";

function problemsOf(input: unknown) {
  const parsed = runConfigSchema.safeParse(input);
  expect(parsed.success).toBe(false);
  return parsed.success ? [] : parsed.error.issues.map(plainIssue);
}

const valid = { corpus: "demo", roles: singleServerRoles("http://127.0.0.1:8000", "m") };

describe("run form messages in a curator's words", () => {
  it("names the field and the bound instead of zod's wording", () => {
    expect(runConfigSchema.safeParse(valid).success).toBe(true);
    expect(problemsOf({ ...valid, batchSize: 0 })).toEqual([{ field: "batchSize", message: "Batch size must be at least 1" }]);
    expect(problemsOf({ ...valid, outputRetries: 11 })).toEqual([{ field: "outputRetries", message: "Output retries must be at most 10" }]);
    expect(problemsOf({ ...valid, corpus: "" })).toEqual([{ field: "corpus", message: "Corpus is required" }]);
  });
});
