import type { AsyncBuffer, FileMetaData, PageHeader } from "hyparquet";
import { parquetMetadataAsync } from "hyparquet";
import { parquetHeader } from "hyparquet/src/column.js";

/** A Parquet file that is truncated, damaged or whose footer lies: refused whole, nothing imported. */
export class ParquetFileRefused extends Error {
  constructor(reason: string) {
    super(`this Parquet file cannot be imported: ${reason}; nothing was imported`);
    this.name = "ParquetFileRefused";
  }
}

const MAGIC = "PAR1";
// A page header is a few dozen bytes; statistics can make it longer, so the window grows on demand.
const HEADER_WINDOW = 4096;
const PAGE_TYPES = new Set(["DATA_PAGE", "DATA_PAGE_V2", "DICTIONARY_PAGE", "INDEX_PAGE"]);

async function text(file: AsyncBuffer, start: number, end: number): Promise<string> {
  return new TextDecoder().decode(await file.slice(start, end));
}

/** The footer, or a reason a person can act on (hyparquet's own errors speak of DataViews). */
export async function readParquetFooter(file: AsyncBuffer): Promise<FileMetaData> {
  if (file.byteLength === 0) throw new ParquetFileRefused("the file is empty");
  const framed =
    file.byteLength >= 12 && (await text(file, 0, 4)) === MAGIC && (await text(file, file.byteLength - 4, file.byteLength)) === MAGIC;
  if (!framed) {
    throw new ParquetFileRefused(
      `it is not Parquet or it is truncated (${file.byteLength} bytes; a Parquet file starts and ends with PAR1)`,
    );
  }
  try {
    return await parquetMetadataAsync(file);
  } catch {
    throw new ParquetFileRefused("its footer (the schema and row groups) is damaged");
  }
}

async function pageHeaderAt(file: AsyncBuffer, offset: number, end: number): Promise<{ header: PageHeader; headerBytes: number }> {
  for (let window = HEADER_WINDOW; ; window *= 4) {
    const bytes = await file.slice(offset, Math.min(end, offset + window));
    const reader = { view: new DataView(bytes), offset: 0 };
    try {
      return { header: parquetHeader(reader), headerBytes: reader.offset };
    } catch (error) {
      if (offset + window >= end) throw error;
    }
  }
}

/**
 * The rows each flat column really holds in a row group, counted from its page headers. A footer can
 * claim any row count; hyparquet believes it, so a footer claiming fewer rows drops the rest silently
 * and one claiming more pads with empty rows. Only the headers are read, not the pages.
 */
async function columnRows(file: AsyncBuffer, start: number, end: number, where: string): Promise<number> {
  let offset = start;
  let rows = 0;
  while (offset < end) {
    let found: { header: PageHeader; headerBytes: number };
    try {
      found = await pageHeaderAt(file, offset, end);
    } catch {
      throw new ParquetFileRefused(`${where} has an unreadable page at byte ${offset}`);
    }
    const { header, headerBytes } = found;
    const size = header.compressed_page_size;
    if (!PAGE_TYPES.has(header.type) || !Number.isInteger(size) || size < 0 || offset + headerBytes + size > end) {
      throw new ParquetFileRefused(`${where} has a damaged page at byte ${offset}`);
    }
    if (header.type === "DATA_PAGE") rows += Number(header.data_page_header?.num_values ?? 0);
    if (header.type === "DATA_PAGE_V2") rows += Number(header.data_page_header_v2?.num_rows ?? 0);
    offset += headerBytes + size;
  }
  return rows;
}

/** Refuses a file whose footer does not match its pages: row counts, page offsets, chunk bounds. */
export async function checkParquetIntegrity(file: AsyncBuffer, metadata: FileMetaData): Promise<void> {
  const footerStart = file.byteLength - 8 - metadata.metadata_length;
  const claimed = metadata.row_groups.reduce((sum, group) => sum + Number(group.num_rows), 0);
  if (claimed !== Number(metadata.num_rows)) {
    throw new ParquetFileRefused(`its row groups hold ${claimed} rows but the file says ${metadata.num_rows}`);
  }
  for (const [index, group] of metadata.row_groups.entries()) {
    const groupRows = Number(group.num_rows);
    for (const column of group.columns) {
      const meta = column.meta_data;
      const name = meta?.path_in_schema.join(".") ?? "?";
      const where = `row group ${index + 1}, column '${name}'`;
      if (!meta) throw new ParquetFileRefused(`${where} has no column metadata`);
      const dictionary = meta.dictionary_page_offset === undefined ? null : Number(meta.dictionary_page_offset);
      const dataStart = Number(meta.data_page_offset);
      const start = dictionary !== null && dictionary > 0 && dictionary < dataStart ? dictionary : dataStart;
      const end = start + Number(meta.total_compressed_size);
      if (!(start >= 4 && end <= footerStart && end > start)) throw new ParquetFileRefused(`${where} points outside the file`);
      // Nested columns (lists) hold values, not rows; only flat ones can be counted from their pages.
      if (meta.path_in_schema.length !== 1) continue;
      const rows = await columnRows(file, start, end, where);
      if (rows !== groupRows) throw new ParquetFileRefused(`${where} holds ${rows} rows but the row group says ${groupRows}`);
    }
  }
}
