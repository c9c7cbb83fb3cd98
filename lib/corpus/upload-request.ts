import { z } from "zod";
import { withoutNul } from "../http/input-text";
import { detectFormat } from "./import-format";
import type { ReadOptions } from "./records";

/** The query string of an upload: everything but the file, which is the request body. */
export const UploadParameters = z.object({
  corpus: withoutNul(z.string().trim().min(1, "corpus is required").max(200, "corpus name is too long")),
  fileName: withoutNul(z.string().trim().min(1, "fileName is required").max(500)),
  format: z.enum(["jsonl", "csv", "parquet"]).optional(),
  textField: withoutNul(z.string().trim().min(1).max(200)).default("text"),
  idField: withoutNul(z.string().trim().min(1).max(200)).optional(),
  encoding: z.enum(["auto", "utf-8", "gb18030"]).default("auto"),
  strict: z
    .enum(["true", "false"])
    .default("false")
    .transform((value) => value === "true"),
});

export type UploadParameters = z.infer<typeof UploadParameters>;

/** FINEMED_MAX_UPLOAD_BYTES (default 4 GiB), read when asked so a running server's tests can set it. */
export function maxUploadBytes(): number {
  const value = Number(process.env.FINEMED_MAX_UPLOAD_BYTES ?? 4 * 1024 ** 3);
  return Number.isFinite(value) && value > 0 ? value : 4 * 1024 ** 3;
}

/** An upload that went past the limit while streaming (it declared no Content-Length, or lied). */
export class UploadTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the file is over the upload limit of ${limit} bytes; nothing was imported`);
    this.name = "UploadTooLargeError";
  }
}

/**
 * The upload's body, failing with UploadTooLargeError once more than `limit` bytes have passed: the
 * Content-Length check alone lets a chunked upload through. The import's transaction then rolls back.
 */
export function limitUploadBytes(body: ReadableStream<Uint8Array>, limit = maxUploadBytes()): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) controller.error(new UploadTooLargeError(limit));
        else controller.enqueue(chunk);
      },
    }),
  );
}

/** 413's reason when a declared Content-Length is over the upload limit; null when it is not (or absent). */
export function declaredLengthRefusal(contentLength: string | null, limit = maxUploadBytes()): string | null {
  const length = contentLength === null ? null : Number(contentLength);
  if (length === null || !Number.isFinite(length) || length <= limit) return null;
  return `the file is ${length} bytes, over the upload limit of ${limit}`;
}

export type UploadCheck = { ok: true; parameters: UploadParameters; read: ReadOptions } | { ok: false; status: number; reason: string };

export function checkUpload(query: URLSearchParams, contentLength: string | null): UploadCheck {
  const parsed = UploadParameters.safeParse(Object.fromEntries(query));
  if (!parsed.success) {
    return { ok: false, status: 400, reason: parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ") };
  }
  const tooLarge = declaredLengthRefusal(contentLength);
  if (tooLarge) return { ok: false, status: 413, reason: tooLarge };
  const format = parsed.data.format ?? detectFormat(parsed.data.fileName);
  if (!format) return { ok: false, status: 400, reason: `cannot tell the format of ${parsed.data.fileName}: choose JSONL, CSV or Parquet` };
  return {
    ok: true,
    parameters: parsed.data,
    read: { format, textField: parsed.data.textField, idField: parsed.data.idField, encoding: parsed.data.encoding },
  };
}
