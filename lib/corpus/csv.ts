import { parse, type CsvError } from "csv-parse";
import iconv from "iconv-lite";
import { Readable, pipeline } from "node:stream";
import { bytesOf } from "./byte-source";
import { decideEncoding } from "./csv-encoding";
import { LineLocator } from "./line-locator";
import { inspectQuotes, type QuoteFinding } from "./csv-quotes";
import type { CsvEncoding, ReadableSource, ReadOutcome, Rejection } from "./records";
import { missingColumn, sourceRecordOf, type FieldChoice } from "./source-record";

export interface CsvChoice extends FieldChoice {
  encoding: CsvEncoding;
}

// Quoted fields may hold escaped quotes and newlines; the record cap only has to stop a
// stray quote from swallowing the rest of a large file into memory.
const RECORD_CAP_FACTOR = 4;

interface LocatedRow {
  line: number;
  row: Record<string, string>;
  quotes: QuoteFinding;
}

/**
 * CSV with a header row. Rows csv-parse cannot read become rejections and parsing goes on;
 * a header without the text column is fatal, since every row would be rejected for it.
 */
export async function* readCsv(source: ReadableSource, choice: CsvChoice): AsyncGenerator<ReadOutcome> {
  const { charset, chunks } = await decideEncoding(bytesOf(source), choice.encoding);
  const locator = new LineLocator();
  const maxRecordBytes = choice.maxTextBytes * RECORD_CAP_FACTOR;
  let header: string[] | undefined;
  // Skips are reported while the parser runs, ahead of records still queued in its buffer;
  // they wait here so outcomes come out in file order.
  const pendingRejections: Rejection[] = [];

  const parser = parse<LocatedRow, Record<string, string>>({
    bom: true,
    columns: (names: string[]) => {
      header = names;
      return names;
    },
    relax_column_count: false,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: maxRecordBytes,
    // As pandas does: a quote inside an unquoted field is text (a real medical CSV lost records to it).
    relax_quotes: true,
    raw: true,
    on_record: (wrapped: Record<string, string>, info) => {
      // With `raw`, csv-parse hands the record wrapped with its raw text.
      const row = (wrapped as unknown as { record: Record<string, string> }).record;
      const values = Object.values(row);
      return {
        // info.bytes is the end of the record; count back over newlines inside quoted fields.
        line: locator.lineAt(info.bytes - 1) - newlinesIn(values),
        row,
        quotes: inspectQuotes(info.raw ?? "", header ?? Object.keys(row), values),
      };
    },
    on_skip: (error: CsvError | undefined) => {
      if (error !== undefined) pendingRejections.push(rejectionFor(error, locator, maxRecordBytes, header?.length ?? 0));
    },
  });

  const bytesStream = Readable.from(chunks);
  pipeline(bytesStream, iconv.decodeStream(charset), locator.tap(), parser, (error) => {
    if (error) parser.destroy(error);
  });

  const checkHeader = (): void => {
    if (header === undefined) throw new Error("CSV file is empty: no header row");
    const missing = missingColumn(header, choice);
    if (missing !== null) throw new Error(`CSV has no ${missing}`);
  };

  try {
    for await (const located of parser as AsyncIterable<LocatedRow>) {
      checkHeader();
      while (pendingRejections[0] !== undefined && pendingRejections[0].line < located.line) {
        yield pendingRejections.shift() as Rejection;
      }
      yield withQuoteFinding(sourceRecordOf(located.row, located.line, choice), located.quotes);
    }
    checkHeader();
    yield* pendingRejections;
  } finally {
    // The consumer may stop early; release the file and the pipeline.
    parser.destroy();
    bytesStream.destroy();
  }
}

function withQuoteFinding(outcome: ReadOutcome, quotes: QuoteFinding): ReadOutcome {
  if (outcome.kind !== "record" || quotes.kind === "clean") return outcome;
  if (quotes.kind === "broken") {
    return {
      kind: "rejection",
      line: outcome.line,
      reason: `malformed CSV: the quoted field '${quotes.column}' has text after its closing quote`,
    };
  }
  return { ...outcome, warning: `a stray quote in ${quotes.columns.map((column) => `'${column}'`).join(", ")} was read literally` };
}

function newlinesIn(values: string[]): number {
  let count = 0;
  for (const value of values) {
    let at = value.indexOf("\n");
    while (at >= 0) {
      count += 1;
      at = value.indexOf("\n", at + 1);
    }
  }
  return count;
}

// csv-parse's own line count drifts after CRLFs inside quotes; the lines given here are exact.
const CSV_PARSE_LINE = /\s+(?:at|on) line \d+/g;

function rejectionFor(error: CsvError, locator: LineLocator, maxRecordBytes: number, headerLength: number): Rejection {
  const context = error as CsvError & { bytes?: number; lines?: number; record?: unknown };
  const offset = typeof context.bytes === "number" ? context.bytes : 0;
  if (Array.isArray(context.record)) {
    // Column-count errors come with the whole record: locate it like a good one.
    const fields = context.record.map(String);
    return {
      kind: "rejection",
      line: locator.lineAt(offset - 1) - newlinesIn(fields),
      reason: `malformed CSV: ${fields.length} fields where the header has ${headerLength}`,
    };
  }
  // Other errors stop mid-record. The offset is that of the last field read, which is on the
  // record's line, unless the parser lost its place after an earlier bad quote; then only its
  // own count is left.
  const line = offset > locator.lastOffset ? locator.lineAt(offset) : (context.lines ?? locator.lineAt(offset));
  if (error.code === "CSV_MAX_RECORD_SIZE") {
    return {
      kind: "rejection",
      line,
      reason: `record is over ${maxRecordBytes} bytes (an unclosed quote?); csv-parse cannot resume after it, so the rest of the file was not read`,
    };
  }
  return { kind: "rejection", line, reason: `malformed CSV: ${error.message.replace(CSV_PARSE_LINE, "")}` };
}
