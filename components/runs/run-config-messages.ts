import type { z } from "zod";

// The run schema's issues in a curator's words, each tied to the form field it concerns:
// `batchSize: Too small: expected number to be >=1` reads "Batch size must be at least 1".

const FIELD_LABELS: Record<string, string> = {
  name: "Name",
  corpus: "Corpus",
  limit: "Sample size",
  seed: "Seed",
  tierThreshold: "Tier threshold",
  batchSize: "Batch size",
  outputRetries: "Output retries",
  rewardEndpoint: "Reward endpoint",
  baseUrl: "server URL",
  model: "model",
  apiKeyEnv: "API key variable",
  maxInFlight: "max in flight",
  timeoutMs: "timeout",
  maxRetries: "retries",
};

export interface FieldProblem {
  /** The form field's name (`batchSize`), or null for a problem of the whole form. */
  field: string | null;
  message: string;
}

function fieldLabel(path: readonly PropertyKey[]): string {
  const names = path.map(String);
  const last = names.at(-1) ?? "";
  const label = FIELD_LABELS[last] ?? last;
  if (names[0] === "roles" && names[1]) return `${names[1][0]!.toUpperCase()}${names[1].slice(1)} ${label}`;
  if (names[0] === "prompts" && names[1]) return `Prompt version of ${names[1]}`;
  return label.length > 0 ? `${label[0]!.toUpperCase()}${label.slice(1)}` : "The run";
}

export function plainIssue(issue: z.core.$ZodIssue): FieldProblem {
  const field = issue.path.length === 1 ? String(issue.path[0]) : null;
  const label = fieldLabel(issue.path);
  switch (issue.code) {
    case "too_small":
      if (issue.origin === "string") return { field, message: `${label} is required` };
      return {
        field,
        message:
          issue.inclusive === false
            ? `${label} must be more than ${String(issue.minimum)}`
            : `${label} must be at least ${String(issue.minimum)}`,
      };
    case "too_big":
      if (issue.origin === "string") return { field, message: `${label} must be at most ${String(issue.maximum)} characters` };
      return { field, message: `${label} must be at most ${String(issue.maximum)}` };
    case "invalid_type":
      return { field, message: `${label} must be ${issue.expected === "number" ? "a number" : `given (${issue.expected})`}` };
    case "invalid_format":
      return { field, message: `${label} is not a valid ${issue.format === "url" ? "URL" : issue.format}` };
    case "invalid_value":
      return { field, message: `${label} must be one of ${issue.values.map(String).join(", ")}` };
    default:
      return { field, message: `${label}: ${issue.message}` };
  }
}
