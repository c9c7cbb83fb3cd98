import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { bytesOf } from "./byte-source";
import type { ReadableSource } from "./records";

export interface SpooledFile {
  path: string;
  /** Deletes the copy; safe to call more than once. */
  remove(): Promise<void>;
}

/**
 * Copies a stream to a temporary file. Parquet keeps its index (the footer) at the end of the
 * file and row groups are then read by offset, so a reader needs random access that a
 * one-pass upload stream cannot give; disk is the place to hold the bytes, not memory.
 */
export async function spoolToTempFile(source: ReadableSource, suffix: string): Promise<SpooledFile> {
  const path = join(tmpdir(), `finemed-${randomUUID()}${suffix}`);
  const remove = (): Promise<void> => rm(path, { force: true });
  try {
    await pipeline(Readable.from(bytesOf(source)), createWriteStream(path));
  } catch (error) {
    await remove();
    throw error;
  }
  return { path, remove };
}
