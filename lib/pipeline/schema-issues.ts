import type { z } from "zod";

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

// A failed sample's reason is read by curators and stored: one clause per field, named by its key,
// with "missing" for an absent key instead of zod's type wording.
export function describeSchemaIssues(error: z.ZodError, input: unknown): string {
  return error.issues
    .map((issue) => {
      const field = issue.path.map(String).join(".") || "output";
      const missing = issue.path.length > 0 && valueAt(input, issue.path) === undefined;
      return `${field}: ${missing ? "missing" : issue.message}`;
    })
    .join("; ");
}
