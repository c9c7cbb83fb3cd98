import { byteLength } from "./byte-length";
import type { ReadOutcome } from "./records";

export interface FieldChoice {
  textField: string;
  idField?: string;
  maxTextBytes: number;
}

/** "array" and "null" rather than typeof's "object", so reasons name what the user sees in the file. */
export function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/**
 * For formats with a header (CSV, parquet): a chosen column the file lacks is a mistake in
 * the import settings, not in a row, so it is reported once for the whole file.
 */
export function missingColumn(columns: string[], choice: FieldChoice): string | null {
  const found = columns.map((name) => `'${name}'`).join(", ");
  if (!columns.includes(choice.textField)) return `text column '${choice.textField}'; columns found: ${found}`;
  if (choice.idField !== undefined && !columns.includes(choice.idField)) {
    return `id column '${choice.idField}'; columns found: ${found}`;
  }
  return null;
}

function rejection(line: number, reason: string): ReadOutcome {
  return { kind: "rejection", line, reason };
}

/**
 * The checks every format shares: a row (already parsed into fields) becomes a source
 * record, or a rejection naming the first problem found.
 */
export function sourceRecordOf(row: Record<string, unknown>, line: number, choice: FieldChoice): ReadOutcome {
  const { textField, idField, maxTextBytes } = choice;
  const text = row[textField];
  if (text === undefined || text === null) return rejection(line, `missing text field '${textField}'`);
  if (typeof text !== "string") {
    return rejection(line, `text field '${textField}' is ${describeType(text)}, not a string`);
  }
  if (text.trim() === "") return rejection(line, "empty text");
  if (text.includes("\u0000")) return rejection(line, "NUL byte in text");
  const size = byteLength(text);
  if (size > maxTextBytes) return rejection(line, `text is ${size} bytes, over the limit of ${maxTextBytes}`);

  let externalId: string | null = null;
  if (idField !== undefined) {
    const id = row[idField];
    if (typeof id === "string" && id.includes("\u0000")) return rejection(line, `NUL byte in id field '${idField}'`);
    if (typeof id === "string") externalId = id.trim() === "" ? null : id;
    else if ((typeof id === "number" && Number.isFinite(id)) || typeof id === "bigint") externalId = String(id);
    else if (id !== undefined && id !== null) {
      return rejection(line, `id field '${idField}' is ${describeType(id)}, not a string or number`);
    }
  }

  const metadata: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (key === textField || key === idField) continue;
    // PostgreSQL's text and jsonb cannot hold NUL; one such row would otherwise fail the whole import.
    if (containsNul(key) || containsNul(value)) return rejection(line, `NUL byte in field '${key.replaceAll("\u0000", "\\0")}'`);
    metadata[key] = value;
  }
  return { kind: "record", line, text, externalId, metadata };
}

function containsNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (Array.isArray(value)) return value.some(containsNul);
  if (value !== null && typeof value === "object")
    return Object.entries(value).some(([key, inner]) => key.includes("\u0000") || containsNul(inner));
  return false;
}
