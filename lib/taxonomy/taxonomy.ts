import type { SqlRunner } from "./sql-runner";

export type DepartmentLevel = "primary" | "secondary";

/** One department of the curated taxonomy, JSON-safe. */
export interface Department {
  id: number;
  level: DepartmentLevel;
  name: string;
  /** Former names and spellings that still map a classifier's answer to this department. */
  aliases: string[];
  parentId: number | null;
  sortOrder: number;
  retiredAt: string | null;
  mergedIntoId: number | null;
}

export interface PrimaryWithSecondaries extends Department {
  secondaries: Department[];
}

/** The whole taxonomy, primaries in order, each with its secondaries; retired ones included and marked. */
export interface Taxonomy {
  departments: Department[];
  tree: PrimaryWithSecondaries[];
}

interface DepartmentRow {
  id: number;
  level: DepartmentLevel;
  name: string;
  aliases: string[] | null;
  parent_id: number | null;
  sort_order: number;
  retired_at: Date | null;
  merged_into_id: number | null;
}

export async function currentTaxonomy(db: { pool: SqlRunner } | SqlRunner): Promise<Taxonomy> {
  const runner = "pool" in db ? db.pool : db;
  const result = await runner.query<DepartmentRow>(
    `SELECT id, level::text AS level, name, aliases, parent_id, sort_order, retired_at, merged_into_id
       FROM departments ORDER BY level, sort_order, id`,
  );
  const departments = result.rows.map((row): Department => ({
    id: row.id,
    level: row.level,
    name: row.name,
    aliases: row.aliases ?? [],
    parentId: row.parent_id,
    sortOrder: row.sort_order,
    retiredAt: row.retired_at ? row.retired_at.toISOString() : null,
    mergedIntoId: row.merged_into_id,
  }));
  const tree = departments
    .filter((d) => d.level === "primary")
    .map((primary) => ({ ...primary, secondaries: departments.filter((d) => d.parentId === primary.id) }));
  return { departments, tree };
}
