import { bytesOf } from "./byte-source";
import { splitLines } from "./line-splitter";
import type { ReadableSource, ReadOutcome } from "./records";
import { describeType, sourceRecordOf, type FieldChoice } from "./source-record";

// JSON escapes can make a line several times longer than the text it carries (\uXXXX is
// 6 bytes for a 3-byte CJK character), so the line cap is looser than the text cap;
// a line past it cannot hold an acceptable text and is skipped unparsed.
const LINE_CAP_FACTOR = 4;

const BLANK = /^\s*$/;

/** JSON Lines: one object per line; blank lines are padding, not rows. */
export async function* readJsonl(source: ReadableSource, choice: FieldChoice): AsyncGenerator<ReadOutcome> {
  const maxLineBytes = choice.maxTextBytes * LINE_CAP_FACTOR;
  // fatal: a line with broken UTF-8 is rejected instead of imported with U+FFFD in it.
  const decoder = new TextDecoder("utf-8", { fatal: true });

  for await (const split of splitLines(bytesOf(source), maxLineBytes)) {
    const { line } = split;
    if ("oversizeBytes" in split) {
      yield {
        kind: "rejection",
        line,
        reason: `line is ${split.oversizeBytes} bytes, too long for a text limit of ${choice.maxTextBytes}`,
      };
      continue;
    }
    let content: string;
    try {
      content = decoder.decode(split.bytes);
    } catch {
      yield { kind: "rejection", line, reason: "invalid UTF-8" };
      continue;
    }
    if (BLANK.test(content)) continue;

    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch (error) {
      yield { kind: "rejection", line, reason: `invalid JSON: ${(error as Error).message}` };
      continue;
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      yield { kind: "rejection", line, reason: `not a JSON object (got ${describeType(parsed)})` };
      continue;
    }
    yield sourceRecordOf(parsed as Record<string, unknown>, line, choice);
  }
}
