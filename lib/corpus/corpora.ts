import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";

export interface CorpusOverview {
  id: string;
  name: string;
  description: string | null;
  texts: number;
  imports: number;
  lastImportAt: Date | null;
  createdAt: Date;
}

const corpusOverviewRow = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  texts: z.number().int(),
  imports: z.number().int(),
  last_import_at: z.date().nullable(),
  created_at: z.date(),
});

/** Every corpus with its text and import counts, newest activity first. */
export async function listCorpora(db: Database): Promise<CorpusOverview[]> {
  const rows = await queryRows(
    db.pool,
    corpusOverviewRow,
    `SELECT c.id, c.name, c.description, c.created_at,
            COALESCE((SELECT sum(i.imported_count) FROM imports i WHERE i.corpus_id = c.id AND i.status = 'completed'), 0)::int AS texts,
            (SELECT count(*) FROM imports i WHERE i.corpus_id = c.id)::int AS imports,
            (SELECT max(i.started_at) FROM imports i WHERE i.corpus_id = c.id) AS last_import_at
       FROM corpora c
      ORDER BY COALESCE((SELECT max(i.started_at) FROM imports i WHERE i.corpus_id = c.id), c.created_at) DESC`,
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    description: row.description,
    texts: row.texts,
    imports: row.imports,
    lastImportAt: row.last_import_at,
    createdAt: row.created_at,
  }));
}

export async function findCorpus(db: Database, id: string) {
  return db.prisma.corpus.findUnique({ where: { id } });
}

export async function listImports(db: Database, corpusId: string) {
  return db.prisma.import.findMany({ where: { corpusId }, orderBy: { startedAt: "desc" }, take: 100 });
}

export async function listRejections(db: Database, importId: string, limit = 500) {
  return db.prisma.importRejection.findMany({ where: { importId }, orderBy: { line: "asc" }, take: limit });
}

export interface SourceTextRow {
  id: number;
  externalId: string | null;
  snippet: string;
  length: number;
  language: string;
}

// The id is a BIGINT: a number through the int8 parser of lib/db/database.ts.
const sourceTextPageRow = z.object({
  id: z.number().int(),
  external_id: z.string().nullable(),
  snippet: z.string(),
  length: z.number().int(),
  language: z.string(),
});

/** One page of a corpus's texts in id order; `after` is the last id of the previous page (keyset). */
export async function pageSourceTexts(db: Database, corpusId: string, after: number | null, limit = 50): Promise<SourceTextRow[]> {
  const rows = await queryRows(
    db.pool,
    sourceTextPageRow,
    `SELECT id, external_id, left(text, 240) AS snippet, length, language
       FROM source_texts WHERE corpus_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
    [corpusId, after ?? 0, Math.min(Math.max(limit, 1), 200)],
  );
  return rows.map((row) => ({
    id: row.id,
    externalId: row.external_id,
    snippet: row.snippet,
    length: row.length,
    language: row.language,
  }));
}
