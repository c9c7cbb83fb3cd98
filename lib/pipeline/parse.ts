// Lenient extraction of the single JSON object a model was asked to produce. Models wrap it in
// code fences or prose, leave trailing commas, write raw newlines inside long strings, or use
// Python's True/False; those are formatting slips, not content, so they are repaired here.
// Anything that still does not yield exactly one object is reported, never guessed.

export type JsonObject = Record<string, unknown>;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// One pass over the text that knows where strings are, so repairs never touch string contents
// except for escaping control characters that JSON forbids inside them.
function repairJson(text: string): string {
  let out = "";
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (inString) {
      if (escaped) {
        escaped = false;
        out += ch;
      } else if (ch === "\\") {
        escaped = true;
        out += ch;
      } else if (ch === '"') {
        inString = false;
        out += ch;
      } else if (ch === "\n") out += "\\n";
      else if (ch === "\r") out += "\\r";
      else if (ch === "\t") out += "\\t";
      else out += ch;
      continue;
    }
    if (ch === '"') {
      inString = true;
      out += ch;
      continue;
    }
    if (ch === ",") {
      const rest = text.slice(i + 1);
      if (/^\s*[}\]]/.test(rest)) continue;
    }
    const word = /^(True|False)\b/.exec(text.slice(i));
    if (word && !/[A-Za-z0-9_]/.test(text.charAt(i - 1))) {
      out += word[1] === "True" ? "true" : "false";
      i += (word[1] ?? "").length - 1;
      continue;
    }
    out += ch;
  }
  return out;
}

function parseObject(text: string): JsonObject | undefined {
  const direct = tryParse(text);
  if (isJsonObject(direct)) return direct;
  const repaired = tryParse(repairJson(text));
  return isJsonObject(repaired) ? repaired : undefined;
}

// Top-level {...} spans of the text, found by brace balance outside strings.
function objectSpans(text: string): string[] {
  const spans: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === "\\") escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"' && depth > 0) inString = true;
    else if (ch === "{") {
      if (depth === 0) start = i;
      depth++;
    } else if (ch === "}" && depth > 0) {
      depth--;
      if (depth === 0) spans.push(text.slice(start, i + 1));
    }
  }
  return spans;
}

function fencedBlocks(text: string): string[] {
  const blocks: string[] = [];
  const fence = /```[ \t]*(?:json|JSON|json5)?[ \t]*\r?\n?([\s\S]*?)```/g;
  for (let match = fence.exec(text); match; match = fence.exec(text)) {
    blocks.push(match[1] ?? "");
  }
  return blocks;
}

function uniqueObject(candidates: string[]): ParseResult<JsonObject> | undefined {
  const parsed = candidates.map(parseObject).filter((value): value is JsonObject => value !== undefined);
  if (parsed.length === 1 && parsed[0]) return { ok: true, value: parsed[0] };
  if (parsed.length > 1) {
    const first = JSON.stringify(parsed[0]);
    if (parsed.every((value) => JSON.stringify(value) === first) && parsed[0]) return { ok: true, value: parsed[0] };
    return { ok: false, reason: `found ${parsed.length} different JSON objects; expected exactly one` };
  }
  return undefined;
}

export function extractJsonObject(raw: string): ParseResult<JsonObject> {
  const text = raw.replace(/^\uFEFF/, "").trim();
  if (text.length === 0) return { ok: false, reason: "empty output" };

  const whole = parseObject(text);
  if (whole) return { ok: true, value: whole };

  const fenced = fencedBlocks(text);
  const fromFences = uniqueObject(fenced.flatMap((block) => [block.trim(), ...objectSpans(block)]).filter(Boolean));
  if (fromFences) return fromFences;

  const spans = objectSpans(text);
  const fromSpans = uniqueObject(spans);
  if (fromSpans) return fromSpans;

  if (spans.length === 0) return { ok: false, reason: "no JSON object found in output" };
  return { ok: false, reason: "output contains a JSON-like object that could not be parsed" };
}
