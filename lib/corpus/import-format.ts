import type { ImportFormat } from "./records";

const FORMAT_BY_EXTENSION: Record<string, ImportFormat> = {
  jsonl: "jsonl",
  ndjson: "jsonl",
  // Hugging Face exports JSON Lines under .json; a single-document JSON file (such as
  // PubMedQA's ori_pqal.json) must be converted first, see pubmedqa.ts.
  json: "jsonl",
  csv: "csv",
  parquet: "parquet",
};

/** The import format implied by a file name's extension, or null when it names none we read. */
export function detectFormat(fileName: string): ImportFormat | null {
  const dot = fileName.lastIndexOf(".");
  if (dot < 0) return null;
  return FORMAT_BY_EXTENSION[fileName.slice(dot + 1).toLowerCase()] ?? null;
}
