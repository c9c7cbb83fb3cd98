import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { filterContext, type FilterContext } from "./sample-filter-context";
import type { SampleFiltersInput } from "./sample-query";

export interface DepartmentCount {
  /** null is "no label" at primary level and None at secondary level. */
  department: string | null;
  /** For a secondary, its primary. */
  parent: string | null;
  model: number;
  /** The label in force after curation. */
  curated: number;
}

export interface DepartmentDistribution {
  level: "primary" | "secondary";
  departments: DepartmentCount[];
  /** Where curators moved samples: model label → label in force, for pairs that differ. */
  moves: { from: string | null; to: string | null; count: number }[];
}

const labelPairCountRow = z.object({ model_id: z.int().nullable(), effective_id: z.int().nullable(), count: z.int() });

/**
 * Model vs curated department counts over the samples matching `filters` (default: kept ones), from
 * one GROUP BY (model, in force): both marginals and the move matrix come out of the same scan.
 */
export async function departmentDistribution(
  db: Database,
  level: "primary" | "secondary",
  filters?: SampleFiltersInput,
): Promise<DepartmentDistribution> {
  const context = await filterContext(db, filters ?? { status: ["kept"] });
  const model = level === "primary" ? "s.model_primary_id" : "s.model_secondary_id";
  const effective = level === "primary" ? "s.primary_id" : "s.secondary_id";
  const rows = await queryRows(
    db.pool,
    labelPairCountRow,
    `SELECT ${model} AS model_id, ${effective} AS effective_id, count(*)::int AS count
       FROM samples s WHERE ${context.where} GROUP BY 1, 2 ORDER BY 1, 2`,
    context.params.values,
  );
  return distributionFromPairs(level, rows, context.index);
}

const levelPairCountRow = labelPairCountRow.extend({ level: z.enum(["primary", "secondary"]) });

/**
 * Both levels' distributions from ONE scan of the matching samples (GROUPING SETS over the primary
 * pair and the secondary pair): the Analytics page draws both charts, and at 1,000,000 samples two
 * scans queued behind each other on two cores. Equal to departmentDistribution() level by level.
 */
export async function departmentDistributions(
  db: Database,
  filters?: SampleFiltersInput,
): Promise<Record<"primary" | "secondary", DepartmentDistribution>> {
  const context = await filterContext(db, filters ?? { status: ["kept"] });
  const rows = await queryRows(
    db.pool,
    levelPairCountRow,
    `SELECT CASE WHEN GROUPING(s.model_primary_id) = 0 THEN 'primary' ELSE 'secondary' END AS level,
            coalesce(s.model_primary_id, s.model_secondary_id) AS model_id, coalesce(s.primary_id, s.secondary_id) AS effective_id,
            count(*)::int AS count
       FROM samples s WHERE ${context.where}
      GROUP BY GROUPING SETS ((s.model_primary_id, s.primary_id), (s.model_secondary_id, s.secondary_id))
      ORDER BY 1, 2, 3`,
    context.params.values,
  );
  return {
    primary: distributionFromPairs(
      "primary",
      rows.filter((row) => row.level === "primary"),
      context.index,
    ),
    secondary: distributionFromPairs(
      "secondary",
      rows.filter((row) => row.level === "secondary"),
      context.index,
    ),
  };
}

function distributionFromPairs(
  level: "primary" | "secondary",
  rows: readonly z.output<typeof labelPairCountRow>[],
  index: FilterContext["index"],
): DepartmentDistribution {
  const byDepartment = new Map<number | null, { model: number; curated: number }>();
  const bump = (id: number | null, key: "model" | "curated", count: number) => {
    const entry = byDepartment.get(id) ?? { model: 0, curated: 0 };
    entry[key] += count;
    byDepartment.set(id, entry);
  };
  for (const row of rows) {
    bump(row.model_id, "model", row.count);
    bump(row.effective_id, "curated", row.count);
  }
  const order = (id: number | null) => (id === null ? Number.MAX_SAFE_INTEGER : index.taxonomy.departments.findIndex((d) => d.id === id));
  return {
    level,
    departments: [...byDepartment.entries()]
      .sort(([a], [b]) => order(a) - order(b))
      .map(([id, counts]) => ({
        department: index.nameOf(id),
        parent: id === null ? null : index.nameOf(index.get(id)?.parentId ?? null),
        ...counts,
      })),
    moves: rows
      .filter((row) => row.model_id !== row.effective_id)
      .map((row) => ({ from: index.nameOf(row.model_id), to: index.nameOf(row.effective_id), count: row.count }))
      .sort((a, b) => b.count - a.count),
  };
}
