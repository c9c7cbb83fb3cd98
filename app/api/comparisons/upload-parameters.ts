import { z } from "zod";
import { withoutNul } from "@/lib/http/input-text";
import { detectFormat } from "@/lib/corpus/import-format";
import type { ReadOptions } from "@/lib/corpus/records";

/** The query string of a comparison upload; the file is the request body. */
const Parameters = z.object({
  name: withoutNul(z.string().trim().min(1, "name is required").max(200)),
  fileName: withoutNul(z.string().trim().min(1, "fileName is required").max(500)),
  format: z.enum(["jsonl", "csv", "parquet"]).optional(),
  textField: withoutNul(z.string().trim().min(1).max(200)).default("instruction"),
  encoding: z.enum(["auto", "utf-8", "gb18030"]).default("auto"),
});

export type ComparisonUpload = { ok: true; name: string; fileName: string; read: ReadOptions } | { ok: false; reason: string };

export function parseComparisonUpload(query: URLSearchParams): ComparisonUpload {
  const parsed = Parameters.safeParse(Object.fromEntries(query));
  if (!parsed.success) return { ok: false, reason: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") };
  const format = parsed.data.format ?? detectFormat(parsed.data.fileName);
  if (!format) return { ok: false, reason: `cannot tell the format of ${parsed.data.fileName}: choose JSONL, CSV or Parquet` };
  return {
    ok: true,
    name: parsed.data.name,
    fileName: parsed.data.fileName,
    read: { format, textField: parsed.data.textField, encoding: parsed.data.encoding },
  };
}
