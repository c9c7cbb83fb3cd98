import type { Readable } from "node:stream";

/** The file formats the studio imports source texts from. */
export type ImportFormat = "jsonl" | "csv" | "parquet";

/** CSV byte encodings; "auto" sniffs the start of the file (UTF-8 if it decodes, else GB18030). */
export type CsvEncoding = "utf-8" | "gb18030" | "auto";

export interface ReadOptions {
  format: ImportFormat;
  /** Field (JSONL key, CSV column, parquet column) holding the source text. */
  textField: string;
  /** Field holding the source's own id, kept as `externalId`. */
  idField?: string;
  /** CSV only; defaults to "auto". */
  encoding?: CsvEncoding;
  /** Largest accepted text in UTF-8 bytes; defaults to DEFAULT_MAX_TEXT_BYTES. */
  maxTextBytes?: number;
}

export const DEFAULT_MAX_TEXT_BYTES = 1_000_000;

export interface SourceRecord {
  kind: "record";
  /** 1-based: the file line for JSONL and CSV, the row index + 1 for parquet. */
  line: number;
  text: string;
  externalId: string | null;
  /** Every other field of the row, JSON-serialisable. */
  metadata: Record<string, unknown>;
  /** Read, but leniently (CSV: a stray quote kept literally): shown on this line in the import report. */
  warning?: string;
}

export interface Rejection {
  kind: "rejection";
  /** 1-based, numbered as SourceRecord.line. */
  line: number;
  reason: string;
}

export type ReadOutcome = SourceRecord | Rejection;

/** A file path (CLI) or a byte stream (uploads arrive as web streams from a route handler). */
export type ReadableSource = string | Readable | ReadableStream<Uint8Array>;
