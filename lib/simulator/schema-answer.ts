/**
 * The smallest value a JSON schema accepts: what a server that enforces `response_format: json_schema`
 * (guided decoding) would be forced towards. Used for prompts the simulator has no scripted answer for,
 * such as the studio's structured-output canary. Handles the subset the studio sends.
 */
export function valueForSchema(schema: unknown, depth = 0): unknown {
  if (depth > 8 || schema === null || typeof schema !== "object") return null;
  const node = schema as Record<string, unknown>;
  if ("const" in node) return node.const;
  if (Array.isArray(node.enum) && node.enum.length > 0) return node.enum[0] as unknown;
  const type: unknown = Array.isArray(node.type) ? node.type[0] : node.type;
  switch (type) {
    case "object": {
      const properties = (node.properties ?? {}) as Record<string, unknown>;
      const required = Array.isArray(node.required)
        ? node.required.filter((name): name is string => typeof name === "string")
        : Object.keys(properties);
      return Object.fromEntries(required.map((name) => [name, valueForSchema(properties[name], depth + 1)]));
    }
    case "array": {
      const min = typeof node.minItems === "number" ? node.minItems : 0;
      return Array.from({ length: min }, () => valueForSchema(node.items, depth + 1));
    }
    case "string":
      return "x".repeat(typeof node.minLength === "number" ? node.minLength : 1);
    case "integer":
    case "number":
      return typeof node.minimum === "number" ? node.minimum : 0;
    case "boolean":
      return true;
    default:
      return null;
  }
}
