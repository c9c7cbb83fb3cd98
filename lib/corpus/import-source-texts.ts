import type pg from "pg";
import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { readSourceTexts } from "./read-source-texts";
import { contentHash } from "./content-hash";
import { detectLanguage } from "./language";
import type { ReadOptions, ReadableSource, Rejection, SourceRecord } from "./records";

export interface ImportRequest {
  corpusName: string;
  fileName: string;
  source: ReadableSource;
  read: ReadOptions;
  strict: boolean;
  createdBy: string;
  onProgress?: (progress: ImportProgress) => void;
  /** Called for every rejected line as it is found, so a caller can report all of them. */
  onRejection?: (rejection: Rejection) => void;
}

export interface ImportWarning {
  line: number;
  message: string;
}

export interface ImportProgress {
  records: number;
  imported: number;
  duplicates: number;
  rejected: number;
}

export interface ImportSummary extends ImportProgress {
  importId: string | null;
  corpusId: string | null;
  committed: boolean;
  /** The first REJECTIONS_KEPT rejected lines in file order (also what is stored); `rejected` is the total. */
  rejections: Rejection[];
  /** Lines imported leniently (a CSV stray quote read literally), the first REJECTIONS_KEPT (also what is stored). */
  warnings: ImportWarning[];
  seconds: number;
}

// Rows per INSERT: one statement per batch with one array parameter per column (unnest), which is
// within a small factor of COPY without a second code path for PGlite.
const BATCH_ROWS = 2_000;
const BATCH_BYTES = 8 * 1024 * 1024;
// Memory and the database stay flat however many lines are bad: a 25 KB file once claimed 998,000
// bad rows. The first ones say what is wrong; the total is in imports.rejected_count.
export const REJECTIONS_KEPT = 1_000;

/** A file with nothing in it: importing it would only make an empty corpus. */
export class EmptyImportRefused extends Error {
  constructor(fileName: string) {
    super(`${fileName} holds no records (it is empty); nothing was imported`);
    this.name = "EmptyImportRefused";
  }
}

/**
 * Streams a file into a corpus in ONE transaction: a crash or an error midway leaves nothing behind,
 * and `strict` reports every bad line but writes nothing if there is one.
 */
export async function importSourceTexts(db: Database, request: ImportRequest): Promise<ImportSummary> {
  const started = performance.now();
  const client = await db.pool.connect();
  const progress: ImportProgress = { records: 0, imported: 0, duplicates: 0, rejected: 0 };
  const rejections: Rejection[] = [];
  const pendingRejections: Rejection[] = [];
  const warnings: ImportWarning[] = [];
  const pendingWarnings: ImportWarning[] = [];
  let committed = false;
  let corpusId: string | null = null;
  let importId: string | null = null;
  try {
    await client.query("BEGIN");
    corpusId = await upsertCorpus(client, request.corpusName);
    importId = await createImport(client, corpusId, request);
    let batch: SourceRecord[] = [];
    let batchBytes = 0;
    // One batch is written while the next is read and hashed: the file side and the database side
    // each take about half the time, and on two cores they overlap. Never more than one in
    // flight, so memory stays at two batches.
    let inFlight: Promise<void> | null = null;
    const settle = async () => {
      const pending = inFlight;
      inFlight = null;
      await pending;
    };
    const flush = async () => {
      if (batch.length === 0) return;
      const rows = preparedRows(batch);
      const count = batch.length;
      batch = [];
      batchBytes = 0;
      await settle();
      inFlight = insertBatch(client, corpusId!, importId!, rows).then((inserted) => {
        progress.imported += inserted;
        progress.duplicates += count - inserted;
        request.onProgress?.({ ...progress });
      });
      // Awaited by the next settle(); until then its failure must not count as unhandled.
      inFlight.catch(() => undefined);
    };
    try {
      for await (const entry of readSourceTexts(request.source, request.read)) {
        progress.records++;
        if (entry.kind === "rejection") {
          progress.rejected++;
          request.onRejection?.(entry);
          if (rejections.length < REJECTIONS_KEPT) {
            rejections.push(entry);
            pendingRejections.push(entry);
          }
          continue;
        }
        if (entry.warning !== undefined) {
          const warning = { line: entry.line, message: entry.warning };
          // Capped like the rejections: a file of a million stray quotes must not write a million rows.
          if (warnings.length < REJECTIONS_KEPT) {
            warnings.push(warning);
            pendingWarnings.push(warning);
          }
        }
        // Under --strict one bad line dooms the import: keep reading only to report every bad line.
        if (request.strict && progress.rejected > 0) continue;
        batch.push(entry);
        batchBytes += entry.text.length;
        if (batch.length >= BATCH_ROWS || batchBytes >= BATCH_BYTES) await flush();
      }
      await flush();
    } finally {
      // A write that failed is the error to report, and ROLLBACK must wait for it anyway.
      await settle();
    }
    if (progress.records === 0) throw new EmptyImportRefused(request.fileName);
    if (request.strict && progress.rejected > 0) {
      await client.query("ROLLBACK");
      return {
        ...progress,
        imported: 0,
        duplicates: 0,
        importId: null,
        corpusId: null,
        committed,
        rejections,
        warnings,
        seconds: seconds(started),
      };
    }
    await insertRejections(client, importId, pendingRejections);
    await insertWarnings(client, importId, pendingWarnings);
    await client.query(
      `UPDATE imports SET status = 'completed', imported_count = $2, duplicate_count = $3, rejected_count = $4, finished_at = now() WHERE id = $1`,
      [importId, progress.imported, progress.duplicates, progress.rejected],
    );
    await client.query("COMMIT");
    committed = true;
    return { ...progress, importId, corpusId, committed, rejections, warnings, seconds: seconds(started) };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function seconds(started: number): number {
  return (performance.now() - started) / 1000;
}

const idRow = z.object({ id: z.string() });

async function upsertCorpus(client: pg.PoolClient, name: string): Promise<string> {
  const [corpus] = await queryRows(
    client,
    idRow,
    `INSERT INTO corpora (name) VALUES ($1) ON CONFLICT (name) DO UPDATE SET updated_at = now() RETURNING id`,
    [name],
  );
  return corpus!.id;
}

async function createImport(client: pg.PoolClient, corpusId: string, request: ImportRequest): Promise<string> {
  const [created] = await queryRows(
    client,
    idRow,
    `INSERT INTO imports (corpus_id, created_by, file_name, format, encoding, text_field, id_field, strict)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [
      corpusId,
      request.createdBy,
      request.fileName,
      request.read.format,
      request.read.format === "csv" ? (request.read.encoding ?? "auto") : null,
      request.read.textField,
      request.read.idField ?? null,
      request.strict,
    ],
  );
  return created!.id;
}

interface PreparedRows {
  externalIds: (string | null)[];
  texts: string[];
  hashes: string[];
  metadata: string[];
  languages: string[];
  lengths: number[];
}

/** The derived columns, computed before the previous batch's write is awaited so the two overlap. */
function preparedRows(batch: SourceRecord[]): PreparedRows {
  const rows: PreparedRows = { externalIds: [], texts: [], hashes: [], metadata: [], languages: [], lengths: [] };
  for (const record of batch) {
    rows.externalIds.push(record.externalId);
    rows.texts.push(record.text);
    rows.hashes.push(contentHash(record.text));
    rows.metadata.push(JSON.stringify(record.metadata));
    rows.languages.push(detectLanguage(record.text));
    rows.lengths.push(record.text.length);
  }
  return rows;
}

async function insertBatch(client: pg.PoolClient, corpusId: string, importId: string, rows: PreparedRows): Promise<number> {
  // Duplicates within the corpus (earlier imports or earlier in this file) are skipped, not errors.
  const result = await client.query(
    `INSERT INTO source_texts (corpus_id, import_id, external_id, text, content_hash, metadata, language, length)
     SELECT $1, $2, e, t, h, m::jsonb, l, n
     FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[]) AS u(e, t, h, m, l, n)
     ON CONFLICT (corpus_id, content_hash) DO NOTHING`,
    [corpusId, importId, rows.externalIds, rows.texts, rows.hashes, rows.metadata, rows.languages, rows.lengths],
  );
  return result.rowCount ?? 0;
}

async function insertWarnings(client: pg.PoolClient, importId: string, warnings: ImportWarning[]): Promise<void> {
  if (warnings.length === 0) return;
  await client.query(
    `INSERT INTO import_warnings (import_id, line, message) SELECT $1, l, m FROM unnest($2::int[], $3::text[]) AS u(l, m)`,
    [importId, warnings.map((w) => w.line), warnings.map((w) => w.message)],
  );
}

async function insertRejections(client: pg.PoolClient, importId: string, rejections: Rejection[]): Promise<void> {
  if (rejections.length === 0) return;
  await client.query(
    `INSERT INTO import_rejections (import_id, line, reason) SELECT $1, l, r FROM unnest($2::int[], $3::text[]) AS u(l, r)`,
    [importId, rejections.map((r) => r.line), rejections.map((r) => r.reason)],
  );
}
