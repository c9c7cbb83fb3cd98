// One bounded reader for every JSON request body: the role gate reads it once (so the audit records
// exactly what the handler applies) and the handler's readJsonBody gets the same value back.

// Run configs, prompt templates and label requests are small; a larger body is a mistake or an attack.
const MAX_BODY_BYTES = Number(process.env.FINEMED_MAX_JSON_BYTES ?? 1024 * 1024);
/** No studio body nests past a handful of levels; 20,000 levels overflowed the audit's stack. */
export const MAX_JSON_DEPTH = 64;

export type JsonBody = { ok: true; value: unknown } | { ok: false; response: Response };

/** What the gate read: an empty body (POST with nothing) is told apart from JSON `null`. */
type ReadBody = { ok: true; empty: true } | { ok: true; empty: false; value: unknown } | { ok: false; response: Response };

const alreadyRead = new WeakMap<Request, ReadBody>();

function refusal(status: number, error: string): { ok: false; response: Response } {
  return { ok: false, response: Response.json({ error }, { status }) };
}

/** application/json and the +json types (application/merge-patch+json…), with or without a charset. */
export function isJsonContentType(contentType: string | null): boolean {
  if (contentType === null) return true;
  const essence = contentType.split(";")[0]!.trim().toLowerCase();
  return essence === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(essence);
}

/** The deepest nesting of arrays and objects in a JSON text, stopping as soon as it passes `limit`. */
export function jsonDepthExceeds(text: string, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c)
        index++; // backslash: skip the escaped character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x7b || code === 0x5b) {
      if (++depth > limit) return true;
    } else if (code === 0x7d || code === 0x5d) depth--;
  }
  return false;
}

/** The body's bytes, read as a stream and abandoned at the limit, so a chunked body cannot fill memory. */
async function boundedText(request: Request): Promise<{ ok: true; text: string } | { ok: false; response: Response }> {
  const tooLarge = () => refusal(413, `the request body is larger than the limit of ${MAX_BODY_BYTES} bytes`);
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
  return { ok: true, text: Buffer.concat(chunks).toString("utf8") };
}

async function readOnce(request: Request): Promise<ReadBody> {
  const contentType = request.headers.get("content-type");
  if (!isJsonContentType(contentType)) {
    // text/plain is what a cross-site form or fetch can send without a preflight: never read it as JSON.
    return refusal(415, `this route takes a JSON body (Content-Type: application/json), not ${contentType!.split(";")[0]!.trim()}`);
  }
  const text = await boundedText(request);
  if (!text.ok) return text;
  if (text.text.trim() === "") return { ok: true, empty: true };
  if (jsonDepthExceeds(text.text)) return refusal(400, `the body nests deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return { ok: true, empty: false, value: JSON.parse(text.text) as unknown };
  } catch {
    return refusal(400, "the body is not valid JSON");
  }
}

/**
 * Reads the request's JSON body once, bounded in size and depth, whatever its framing (Content-Length
 * or chunked); 415 for a body that is not JSON. Later calls for the same request get the same answer.
 */
export async function readRequestBody(request: Request): Promise<ReadBody> {
  const known = alreadyRead.get(request);
  if (known) return known;
  const read = await readOnce(request);
  alreadyRead.set(request, read);
  return read;
}

/** A route's JSON body: 413, 415 or 400 with the reason when it cannot be read, or when there is none. */
export async function readJsonBody(request: Request): Promise<JsonBody> {
  const read = await readRequestBody(request);
  if (!read.ok) return { ok: false, response: read.response.clone() };
  if (read.empty) return refusal(400, "the body is not valid JSON (it is empty)");
  return { ok: true, value: read.value };
}
