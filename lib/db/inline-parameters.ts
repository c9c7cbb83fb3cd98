import pg from "pg";

/** A value a statement's placeholder cannot be written as a literal for. */
export class InlineParameterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InlineParameterError";
  }
}

// An array element as PostgreSQL's array input reads it, the way node-postgres sends array parameters.
function arrayElement(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "string" || typeof value === "number" || typeof value === "bigint" || typeof value === "boolean")
    return `"${String(value).replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
  throw new InlineParameterError(`an array parameter holds a ${typeof value}, which cannot be written as a literal`);
}

/** The literal a bind parameter's text form would be: the same unknown-typed text PostgreSQL casts in place. */
export function literalOf(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new InlineParameterError(`the parameter ${value} is not a finite number`);
    return `'${String(value)}'`;
  }
  if (typeof value === "bigint" || typeof value === "boolean") return `'${String(value)}'`;
  if (typeof value === "string") return pg.escapeLiteral(value);
  if (Array.isArray(value)) return pg.escapeLiteral(`{${value.map(arrayElement).join(",")}}`);
  throw new InlineParameterError(`a ${typeof value} parameter cannot be written as a literal`);
}

/**
 * The statement with each `$n` replaced by its value as a quoted literal. COPY (query) TO STDOUT takes no
 * bind parameters, and it is the one way node-postgres hands back raw bytes (its binary result mode decodes
 * every field as UTF-8 text). Statements built here keep every value in a placeholder, so no `$` stands
 * anywhere else; one that does is refused.
 */
export function inlineParameters(text: string, values: readonly unknown[]): string {
  const inlined = text.replace(/\$(\d+)/g, (_, digits: string) => {
    const index = Number(digits) - 1;
    if (index < 0 || index >= values.length)
      throw new InlineParameterError(`the statement names $${digits} but has ${values.length} parameters`);
    return literalOf(values[index]);
  });
  const literalFree = inlined.replace(/E?'(?:[^']|'')*'/g, "''");
  if (literalFree.includes("$")) throw new InlineParameterError("the statement holds a $ outside its placeholders");
  return inlined;
}
