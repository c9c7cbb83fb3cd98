// The binary form of a projection's points, shared by the encoder (server) and the decoder (browser,
// tests). No Node or DOM imports: the page decodes it with typed-array views over the fetched buffer.
//
// Layout, little-endian:
//   0   4 bytes  magic "FMPT"
//   4   u32      version
//   8   u32      point count
//   12  u32      byte length of the lookup tables (UTF-8 JSON, see PointTables)
//   16  the tables, then zero padding to a multiple of 8
//   then one column per entry of POINT_COLUMNS, in that order, each padded to a multiple of 4 bytes,
//   so every column can be viewed in place as a typed array (no per-point copying or objects).

export const POINT_PAYLOAD_MAGIC = "FMPT";
export const POINT_PAYLOAD_VERSION = 1;
export const POINT_PAYLOAD_CONTENT_TYPE = "application/octet-stream";

/** Bits of the `flags` column. */
export const POINT_FLAGS = {
  /** The curator has overridden the model's department. */
  curated: 1,
  /** The sample matches the shared filters (the /samples URL parameters). */
  inFilter: 2,
  /** The sample's documents match the highlight search. */
  searchMatch: 4,
} as const;

type ColumnType = "f32" | "u32" | "u16" | "u8";

/**
 * Every column, in payload order. Department columns hold department ids (0 = none); tier and status
 * hold 1-based indexes into the tables (0 = none); quality/difficulty/relevance hold the score (0 = not
 * judged); reward is NaN where there is none.
 */
export const POINT_COLUMNS = [
  ["x", "f32"],
  ["y", "f32"],
  ["reward", "f32"],
  ["instructionId", "u32"],
  ["primary", "u16"],
  ["secondary", "u16"],
  ["modelPrimary", "u16"],
  ["modelSecondary", "u16"],
  ["curatedPrimary", "u16"],
  ["curatedSecondary", "u16"],
  ["tier", "u8"],
  ["status", "u8"],
  ["quality", "u8"],
  ["difficulty", "u8"],
  ["relevance", "u8"],
  ["flags", "u8"],
] as const satisfies readonly (readonly [string, ColumnType])[];

type ColumnSpec = (typeof POINT_COLUMNS)[number];
export type PointColumnName = ColumnSpec[0];
type ArrayOf<T extends ColumnType> = T extends "f32"
  ? Float32Array
  : T extends "u32"
    ? Uint32Array
    : T extends "u16"
      ? Uint16Array
      : Uint8Array;
export type PointColumns = { [C in ColumnSpec as C[0]]: ArrayOf<C[1]> };

/** A department as the payload names it; ids are those of the department columns. */
export interface PointDepartment {
  id: number;
  name: string;
  level: "primary" | "secondary";
  parentId: number | null;
}

/** The lookup tables sent once per payload. */
export interface PointTables {
  departments: PointDepartment[];
  /** tier code − 1 → tier name. */
  tiers: string[];
  /** status code − 1 → status name. */
  statuses: string[];
}

export interface MapPoints extends PointColumns {
  version: number;
  count: number;
  tables: PointTables;
}

const BYTES: Record<ColumnType, number> = { f32: 4, u32: 4, u16: 2, u8: 1 };
const HEADER_BYTES = 16;

const align = (offset: number, to: number) => Math.ceil(offset / to) * to;

export function emptyColumns(count: number): PointColumns {
  const columns: Record<string, Float32Array | Uint32Array | Uint16Array | Uint8Array> = {};
  for (const [name, type] of POINT_COLUMNS) columns[name] = allocate(type, count);
  return columns as PointColumns;
}

function allocate(type: ColumnType, count: number): Float32Array | Uint32Array | Uint16Array | Uint8Array {
  if (type === "f32") return new Float32Array(count);
  if (type === "u32") return new Uint32Array(count);
  if (type === "u16") return new Uint16Array(count);
  return new Uint8Array(count);
}

function view(type: ColumnType, buffer: ArrayBuffer, offset: number, count: number): Float32Array | Uint32Array | Uint16Array | Uint8Array {
  if (type === "f32") return new Float32Array(buffer, offset, count);
  if (type === "u32") return new Uint32Array(buffer, offset, count);
  if (type === "u16") return new Uint16Array(buffer, offset, count);
  return new Uint8Array(buffer, offset, count);
}

// Typed arrays use the platform's byte order; every platform a browser runs on is little-endian, but
// the decoder says so instead of misreading on one that is not.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Encodes columns of equal length and the tables into one payload. */
export function encodePointPayload(count: number, columns: PointColumns, tables: PointTables): Uint8Array<ArrayBuffer> {
  if (!LITTLE_ENDIAN) throw new Error("the point payload encoder needs a little-endian platform");
  const tablesBytes = new TextEncoder().encode(JSON.stringify(tables));
  let size = align(HEADER_BYTES + tablesBytes.length, 8);
  for (const [name, type] of POINT_COLUMNS) {
    if (columns[name].length !== count) throw new Error(`point column ${name} has ${columns[name].length} values, not ${count}`);
    size = align(size + count * BYTES[type], 4);
  }
  const buffer = new ArrayBuffer(size);
  const bytes = new Uint8Array(buffer);
  const header = new DataView(buffer);
  bytes.set(new TextEncoder().encode(POINT_PAYLOAD_MAGIC), 0);
  header.setUint32(4, POINT_PAYLOAD_VERSION, true);
  header.setUint32(8, count, true);
  header.setUint32(12, tablesBytes.length, true);
  bytes.set(tablesBytes, HEADER_BYTES);
  let offset = align(HEADER_BYTES + tablesBytes.length, 8);
  for (const [name, type] of POINT_COLUMNS) {
    const column = columns[name];
    bytes.set(new Uint8Array(column.buffer, column.byteOffset, column.byteLength), offset);
    offset = align(offset + count * BYTES[type], 4);
  }
  return bytes;
}

/** A payload that is not one this decoder can read. */
export class PointPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PointPayloadError";
  }
}

/** Decodes a payload; the columns are views over `buffer` (no copy), so keep the buffer unmodified. */
export function decodePointPayload(buffer: ArrayBuffer): MapPoints {
  if (!LITTLE_ENDIAN) throw new PointPayloadError("the point payload decoder needs a little-endian platform");
  if (buffer.byteLength < HEADER_BYTES) throw new PointPayloadError("the point payload is shorter than its header");
  const header = new DataView(buffer);
  const magic = new TextDecoder().decode(new Uint8Array(buffer, 0, 4));
  if (magic !== POINT_PAYLOAD_MAGIC) throw new PointPayloadError("this is not a point payload");
  const version = header.getUint32(4, true);
  if (version !== POINT_PAYLOAD_VERSION)
    throw new PointPayloadError(`point payload version ${version} is not supported (expected ${POINT_PAYLOAD_VERSION})`);
  const count = header.getUint32(8, true);
  const tablesLength = header.getUint32(12, true);
  let offset = align(HEADER_BYTES + tablesLength, 8);
  let size = offset;
  for (const [, type] of POINT_COLUMNS) size = align(size + count * BYTES[type], 4);
  if (buffer.byteLength < size) throw new PointPayloadError(`the point payload is truncated: ${buffer.byteLength} bytes, expected ${size}`);
  const tables = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, HEADER_BYTES, tablesLength))) as PointTables;
  const columns: Record<string, Float32Array | Uint32Array | Uint16Array | Uint8Array> = {};
  for (const [name, type] of POINT_COLUMNS) {
    columns[name] = view(type, buffer, offset, count);
    offset = align(offset + count * BYTES[type], 4);
  }
  return { version, count, tables, ...(columns as PointColumns) };
}
