import type pg from "pg";

/**
 * Everything about a schema that Prisma's datamodel decides — tables, columns (type, length,
 * precision, nullability, default), indexes, constraints and enums — as sorted text lines, so two
 * databases can be compared line by line. `_prisma_migrations` is bookkeeping, not schema.
 */
export async function schemaCatalog(pool: pg.Pool): Promise<string[]> {
  const columns = await pool.query<Record<string, string | null>>(`
    SELECT table_name, column_name, udt_name, character_maximum_length::text AS len, numeric_precision::text AS prec,
           datetime_precision::text AS dprec, is_nullable, column_default
      FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`);
  const indexes = await pool.query<{ indexdef: string }>(`
    SELECT replace(indexdef, 'public.', '') AS indexdef FROM pg_indexes
     WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`);
  const constraints = await pool.query<{ table_name: string; conname: string; def: string }>(`
    SELECT c.conrelid::regclass::text AS table_name, c.conname, pg_get_constraintdef(c.oid) AS def
      FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
     WHERE n.nspname = 'public' AND c.conrelid::regclass::text <> '"_prisma_migrations"' AND c.conrelid::regclass::text <> '_prisma_migrations'`);
  const enums = await pool.query<{ typname: string; labels: string }>(`
    SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS labels
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname = 'public' GROUP BY t.typname`);
  return [
    ...columns.rows.map(
      (c) =>
        `column ${c.table_name}.${c.column_name} ${c.udt_name} len=${c.len} prec=${c.prec} dprec=${c.dprec} nullable=${c.is_nullable} default=${c.column_default}`,
    ),
    ...indexes.rows.map((i) => `index ${i.indexdef}`),
    ...constraints.rows.map((c) => `constraint ${c.table_name} ${c.conname} ${c.def}`),
    ...enums.rows.map((e) => `enum ${e.typname} ${e.labels}`),
  ].sort();
}
