import { z } from "zod";
import { detectFormat } from "../corpus/import-format";
import type { ReadOptions } from "../corpus/records";

/** The query string of an upload: everything but the file, which is the request body. */
export const UploadParameters = z.object({
  corpus: z.string().trim().min(1, "corpus is required").max(200, "corpus name is too long"),
  fileName: z.string().trim().min(1, "fileName is required").max(500),
  format: z.enum(["jsonl", "csv", "parquet"]).optional(),
  textField: z.string().trim().min(1).max(200).default("text"),
  idField: z.string().trim().min(1).max(200).optional(),
  encoding: z.enum(["auto", "utf-8", "gb18030"]).default("auto"),
  strict: z.enum(["true", "false"]).default("false").transform((value) => value === "true"),
});

export type UploadParameters = z.infer<typeof UploadParameters>;

export const MAX_UPLOAD_BYTES = Number(process.env.FINEMED_MAX_UPLOAD_BYTES ?? 4 * 1024 ** 3);

export type UploadCheck = { ok: true; parameters: UploadParameters; read: ReadOptions } | { ok: false; status: number; reason: string };

export function checkUpload(query: URLSearchParams, contentLength: string | null): UploadCheck {
  const parsed = UploadParameters.safeParse(Object.fromEntries(query));
  if (!parsed.success) {
    return { ok: false, status: 400, reason: parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ") };
  }
  const length = contentLength === null ? null : Number(contentLength);
  if (length !== null && Number.isFinite(length) && length > MAX_UPLOAD_BYTES) {
    return { ok: false, status: 413, reason: `the file is ${length} bytes, over the upload limit of ${MAX_UPLOAD_BYTES}` };
  }
  const format = parsed.data.format ?? detectFormat(parsed.data.fileName);
  if (!format) return { ok: false, status: 400, reason: `cannot tell the format of ${parsed.data.fileName}: choose JSONL, CSV or Parquet` };
  return {
    ok: true,
    parameters: parsed.data,
    read: { format, textField: parsed.data.textField, idField: parsed.data.idField, encoding: parsed.data.encoding },
  };
}
