import { closeSync, openSync } from "node:fs";
import { fileWriter, ParquetWriter, type ColumnSource, type SchemaElement } from "hyparquet-writer";
import type { SplitWriter } from "./split-writer";
import type { RowShape } from "./split-plan";
import type { ConversationalPreferenceRow, MessagesRow, PreferenceRow, SplitRow, TttRow } from "./split-rows";

// Row groups of this many rows: large enough for good compression, small enough to keep memory flat.
const ROW_GROUP = 10_000;

const text = (name: string, optional = false): SchemaElement => ({
  name,
  type: "BYTE_ARRAY",
  converted_type: "UTF8",
  repetition_type: optional ? "OPTIONAL" : "REQUIRED",
});
const id: SchemaElement = { name: "id", type: "INT64", repetition_type: "REQUIRED" };
const messageList = (name: string): SchemaElement[] => [
  { name, repetition_type: "REQUIRED", converted_type: "LIST", num_children: 1 },
  { name: "list", repetition_type: "REPEATED", num_children: 1 },
  { name: "element", repetition_type: "REQUIRED", num_children: 2 },
  text("role"),
  text("content"),
];

// The same columns as the JSONL rows; `messages` is a list of {role, content} structs, which
// Hugging Face datasets reads back as the chat format.
const SCHEMAS: Record<RowShape, SchemaElement[]> = {
  messages: [
    { name: "root", num_children: 2 },
    id,
    { name: "messages", repetition_type: "REQUIRED", converted_type: "LIST", num_children: 1 },
    { name: "list", repetition_type: "REPEATED", num_children: 1 },
    { name: "element", repetition_type: "REQUIRED", num_children: 2 },
    text("role"),
    text("content"),
  ],
  preference: [{ name: "root", num_children: 4 }, id, text("prompt"), text("chosen"), text("rejected")],
  conversational_preference: [
    { name: "root", num_children: 4 },
    id,
    ...messageList("prompt"),
    ...messageList("chosen"),
    ...messageList("rejected"),
  ],
  ttt: [
    { name: "root", num_children: 7 },
    id,
    text("instruction"),
    text("response"),
    text("thought", true),
    text("summarization", true),
    text("primary", true),
    text("secondary", true),
  ],
};

function columns(shape: RowShape, rows: readonly SplitRow[]): ColumnSource[] {
  const ids = { name: "id", data: rows.map((row) => BigInt(row.id)) };
  if (shape === "messages") {
    const typed = rows as readonly MessagesRow[];
    return [ids, { name: "messages", data: typed.map((row) => row.messages) }];
  }
  if (shape === "conversational_preference") {
    const typed = rows as readonly ConversationalPreferenceRow[];
    return [ids, ...(["prompt", "chosen", "rejected"] as const).map((field) => ({ name: field, data: typed.map((row) => row[field]) }))];
  }
  if (shape === "preference") {
    const typed = rows as readonly PreferenceRow[];
    return [ids, ...(["prompt", "chosen", "rejected"] as const).map((field) => ({ name: field, data: typed.map((row) => row[field]) }))];
  }
  const typed = rows as readonly TttRow[];
  return [
    ids,
    ...(["instruction", "response", "thought", "summarization", "primary", "secondary"] as const).map((field) => ({
      name: field,
      data: typed.map((row) => row[field]),
    })),
  ];
}

/** Parquet (snappy) with one row group per ROW_GROUP rows, written as they fill. */
export class ParquetSplitWriter implements SplitWriter {
  private readonly writer: ParquetWriter;
  private pending: SplitRow[] = [];
  private rows = 0;

  constructor(
    path: string,
    private readonly shape: RowShape,
  ) {
    // Refuse to overwrite, as the JSONL writer does (fileWriter truncates silently).
    closeSync(openSync(path, "wx"));
    this.writer = new ParquetWriter({ writer: fileWriter(path), schema: SCHEMAS[shape], createdBy: "finemed-curation-studio" });
  }

  async write(rows: readonly SplitRow[]): Promise<void> {
    this.pending.push(...rows);
    this.rows += rows.length;
    while (this.pending.length >= ROW_GROUP) await this.flush(this.pending.splice(0, ROW_GROUP));
  }

  private async flush(rows: readonly SplitRow[]): Promise<void> {
    if (rows.length > 0) await this.writer.write({ columnData: columns(this.shape, rows), rowGroupSize: rows.length });
  }

  // hyparquet-writer's fileWriter appends with writeFileSync: it holds no descriptor between writes.
  async discard(): Promise<void> {
    this.pending = [];
  }

  async close(): Promise<number> {
    await this.flush(this.pending);
    this.pending = [];
    await this.writer.finish();
    return this.rows;
  }
}
