import { writeFile } from "node:fs/promises";

/**
 * A minimal parquet writer for tests only: flat optional columns, PLAIN encoding, no
 * compression, one data page per column chunk. It exists because no parquet writer is a
 * dependency; enough of the format to give the reader real files with several row groups,
 * nulls, 64-bit integers and timestamps.
 */
export type FixtureColumnType = "string" | "int64" | "double" | "timestamp-millis";
export type FixtureCell = string | bigint | number | Date | null;

export interface FixtureColumn {
  name: string;
  type: FixtureColumnType;
}

export async function writeParquetFixture(
  path: string,
  columns: FixtureColumn[],
  rows: Record<string, FixtureCell>[],
  rowsPerGroup: number,
): Promise<void> {
  const body: Buffer[] = [Buffer.from("PAR1")];
  let offset = 4;
  const rowGroups: Buffer[] = [];
  for (let start = 0; start < rows.length; start += rowsPerGroup) {
    const groupRows = rows.slice(start, start + rowsPerGroup);
    const chunks: Buffer[] = [];
    let groupBytes = 0;
    for (const column of columns) {
      const page = dataPage(column, groupRows.map((row) => row[column.name] ?? null));
      const chunkOffset = offset;
      body.push(page);
      offset += page.length;
      groupBytes += page.length;
      chunks.push(
        struct([
          [2, i64Field(chunkOffset)],
          [3, structField(columnMetaData(column, groupRows.length, page.length, chunkOffset))],
        ]),
      );
    }
    rowGroups.push(
      struct([
        [1, listField(STRUCT, chunks)],
        [2, i64Field(groupBytes)],
        [3, i64Field(groupRows.length)],
      ]),
    );
  }
  const schema = [
    struct([
      [4, binaryField("schema")],
      [5, i32Field(columns.length)],
    ]),
    ...columns.map(schemaElement),
  ];
  const footer = struct([
    [1, i32Field(1)],
    [2, listField(STRUCT, schema)],
    [3, i64Field(rows.length)],
    [4, listField(STRUCT, rowGroups)],
  ]);
  const footerLength = Buffer.alloc(4);
  footerLength.writeUInt32LE(footer.length);
  await writeFile(path, Buffer.concat([...body, footer, footerLength, Buffer.from("PAR1")]));
}

const PHYSICAL_TYPE: Record<FixtureColumnType, number> = { string: 6, int64: 2, double: 5, "timestamp-millis": 2 };
const CONVERTED_TYPE: Partial<Record<FixtureColumnType, number>> = { string: 0, "timestamp-millis": 9 };
const OPTIONAL = 1;
const PLAIN = 0;
const RLE = 3;

function schemaElement(column: FixtureColumn): Buffer {
  const fields: [number, Field][] = [
    [1, i32Field(PHYSICAL_TYPE[column.type])],
    [3, i32Field(OPTIONAL)],
    [4, binaryField(column.name)],
  ];
  const converted = CONVERTED_TYPE[column.type];
  if (converted !== undefined) fields.push([6, i32Field(converted)]);
  return struct(fields);
}

function columnMetaData(column: FixtureColumn, rowCount: number, size: number, pageOffset: number): Buffer {
  return struct([
    [1, i32Field(PHYSICAL_TYPE[column.type])],
    [2, listField(I32, [PLAIN, RLE].map(zigzagVarint))],
    [3, listField(BINARY, [binary(column.name)])],
    [4, i32Field(0)],
    [5, i64Field(rowCount)],
    [6, i64Field(size)],
    [7, i64Field(size)],
    [9, i64Field(pageOffset)],
  ]);
}

function dataPage(column: FixtureColumn, cells: FixtureCell[]): Buffer {
  const levels = definitionLevels(cells);
  const levelsLength = Buffer.alloc(4);
  levelsLength.writeUInt32LE(levels.length);
  const values = cells.filter((cell) => cell !== null).map((cell) => plainValue(column.type, cell));
  const data = Buffer.concat([levelsLength, levels, ...values]);
  const header = struct([
    [1, i32Field(0)],
    [2, i32Field(data.length)],
    [3, i32Field(data.length)],
    [
      5,
      structField(
        struct([
          [1, i32Field(cells.length)],
          [2, i32Field(PLAIN)],
          [3, i32Field(RLE)],
          [4, i32Field(RLE)],
        ]),
      ),
    ],
  ]);
  return Buffer.concat([header, data]);
}

/** One bit-packed run of 1-bit levels: 1 where the cell has a value. */
function definitionLevels(cells: FixtureCell[]): Buffer {
  const groups = Math.ceil(cells.length / 8);
  const bits = Buffer.alloc(groups);
  cells.forEach((cell, index) => {
    if (cell !== null) bits[index >> 3] = (bits[index >> 3] ?? 0) | (1 << (index & 7));
  });
  return Buffer.concat([unsignedVarint(BigInt((groups << 1) | 1)), bits]);
}

function plainValue(type: FixtureColumnType, cell: Exclude<FixtureCell, null>): Buffer {
  const out = Buffer.alloc(8);
  if (type === "string") return Buffer.concat([uint32(Buffer.byteLength(String(cell))), Buffer.from(String(cell))]);
  if (type === "double") out.writeDoubleLE(Number(cell));
  else if (cell instanceof Date) out.writeBigInt64LE(BigInt(cell.getTime()));
  else out.writeBigInt64LE(BigInt(cell as bigint | number));
  return out;
}

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32LE(value);
  return out;
}

// Thrift compact protocol, just the parts the footer and page headers use.
const I32 = 5;
const I64 = 6;
const BINARY = 8;
const LIST = 9;
const STRUCT = 12;

interface Field {
  type: number;
  bytes: Buffer;
}

function unsignedVarint(value: bigint): Buffer {
  const bytes: number[] = [];
  let rest = value;
  do {
    let byte = Number(rest & 0x7fn);
    rest >>= 7n;
    if (rest > 0n) byte |= 0x80;
    bytes.push(byte);
  } while (rest > 0n);
  return Buffer.from(bytes);
}

function zigzagVarint(value: number | bigint): Buffer {
  const n = BigInt(value);
  return unsignedVarint(n >= 0n ? n << 1n : (-n << 1n) - 1n);
}

function binary(text: string): Buffer {
  const bytes = Buffer.from(text, "utf8");
  return Buffer.concat([unsignedVarint(BigInt(bytes.length)), bytes]);
}

const i32Field = (value: number): Field => ({ type: I32, bytes: zigzagVarint(value) });
const i64Field = (value: number): Field => ({ type: I64, bytes: zigzagVarint(value) });
const binaryField = (text: string): Field => ({ type: BINARY, bytes: binary(text) });
const structField = (bytes: Buffer): Field => ({ type: STRUCT, bytes });

function listField(elementType: number, elements: Buffer[]): Field {
  const size = elements.length;
  const header =
    size < 15
      ? Buffer.from([(size << 4) | elementType])
      : Buffer.concat([Buffer.from([0xf0 | elementType]), unsignedVarint(BigInt(size))]);
  return { type: LIST, bytes: Buffer.concat([header, ...elements]) };
}

/** Fields must come in increasing id order, as the compact protocol encodes id deltas. */
function struct(fields: [number, Field][]): Buffer {
  const parts: Buffer[] = [];
  let lastId = 0;
  for (const [id, field] of fields) {
    const delta = id - lastId;
    parts.push(delta > 0 && delta <= 15 ? Buffer.from([(delta << 4) | field.type]) : Buffer.concat([Buffer.from([field.type]), zigzagVarint(id)]));
    parts.push(field.bytes);
    lastId = id;
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}
