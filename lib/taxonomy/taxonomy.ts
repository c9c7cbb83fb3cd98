import { z } from "zod";
import { queryRows } from "../db/checked-rows";
import type { SqlRunner } from "./sql-runner";

export const DEPARTMENT_LEVELS = ["primary", "secondary"] as const;
export type DepartmentLevel = (typeof DEPARTMENT_LEVELS)[number];

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

// SMALLINT ids; aliases is a text[] that may be NULL.
const departmentRow = z.object({
  id: z.number().int(),
  level: z.enum(DEPARTMENT_LEVELS),
  name: z.string(),
  aliases: z.array(z.string()).nullable(),
  parent_id: z.number().int().nullable(),
  sort_order: z.number().int(),
  retired_at: z.date().nullable(),
  merged_into_id: z.number().int().nullable(),
});

// Stays SQL: the label, taxonomy and dataset writes read it on their transaction's client (a SqlRunner), which Prisma cannot join.
export async function currentTaxonomy(db: { pool: SqlRunner } | SqlRunner): Promise<Taxonomy> {
  const runner = "pool" in db ? db.pool : db;
  const rows = await queryRows(
    runner,
    departmentRow,
    `SELECT id, level::text AS level, name, aliases, parent_id, sort_order, retired_at, merged_into_id
       FROM departments ORDER BY level, sort_order, id`,
  );
  const departments = rows.map((row): Department => ({
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
