// Run configs, prompt templates and label requests are small; a larger body is a mistake or an attack.
const MAX_BODY_BYTES = Number(process.env.FINEMED_MAX_JSON_BYTES ?? 1024 * 1024);

export type JsonBody = { ok: true; value: unknown } | { ok: false; response: Response };

function tooLarge(): JsonBody {
  return { ok: false, response: Response.json({ error: `the request body is larger than the limit of ${MAX_BODY_BYTES} bytes` }, { status: 413 }) };
}

/**
 * Reads a bounded JSON body, answering 413 or 400 with the reason when it cannot. The body is read as
 * a stream and abandoned at the limit, so a chunked body without Content-Length cannot fill memory.
 */
export async function readJsonBody(request: Request): Promise<JsonBody> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) return tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_BODY_BYTES) {
        await reader.cancel().catch(() => undefined);
        return tooLarge();
      }
      chunks.push(value);
    }
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown };
  } catch {
    return { ok: false, response: Response.json({ error: "the body is not valid JSON" }, { status: 400 }) };
  }
}
