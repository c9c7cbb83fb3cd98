import type pg from "pg";
import { z } from "zod";
import { queryRows } from "../db/checked-rows";
import type { Department } from "./taxonomy";

export type TaxonomyEditKind = "taxonomy-add" | "taxonomy-rename" | "taxonomy-retire";

/**
 * Records a taxonomy edit in the same audit trail as label changes (bulk_operations), with the
 * number of samples whose label in force names the department: a rename changes what each of them
 * shows, a retirement puts each of them in the review queue.
 */
export async function recordTaxonomyEdit(
  client: pg.PoolClient,
  kind: TaxonomyEditKind,
  department: Department,
  detail: Record<string, unknown>,
  actor: string,
): Promise<void> {
  const column = department.level === "primary" ? "primary_id" : "secondary_id";
  const [affected] = await queryRows(
    client,
    z.object({ n: z.number().int() }),
    `SELECT count(*)::int AS n FROM samples WHERE ${column} = $1`,
    [department.id],
  );
  await client.query(`INSERT INTO bulk_operations (kind, actor, reason, selection, row_count) VALUES ($1, $2, $3, $4, $5)`, [
    kind,
    actor,
    describe(kind, department, detail),
    JSON.stringify({ department: department.id, level: department.level, ...detail }),
    affected!.n,
  ]);
}

function describe(kind: TaxonomyEditKind, department: Department, detail: Record<string, unknown>): string {
  switch (kind) {
    case "taxonomy-add":
      return `added ${department.level} department "${department.name}"`;
    case "taxonomy-rename":
      return `renamed ${department.level} department "${String(detail.from)}" to "${String(detail.to)}"`;
    case "taxonomy-retire":
      return `retired ${department.level} department "${department.name}"`;
  }
}
