import type pg from "pg";
import { z } from "zod";
import { queryRows } from "../db/checked-rows";
import { SAMPLE_TIERS } from "../samples/sample-query";
import { stageDepartmentIds } from "./stage-departments";
import type { FrozenDepartment, VersionCounts } from "./version-view";

const groupRow = z.object({
  primary_id: z.number().int().nullable(),
  secondary_id: z.number().int().nullable(),
  tier: z.enum(SAMPLE_TIERS),
  dpo: z.boolean(),
  count: z.number().int(),
});

/** Counts of the frozen members from one GROUP BY, named with the frozen taxonomy. */
export async function countFrozenMembers(client: pg.PoolClient, departments: readonly FrozenDepartment[]): Promise<VersionCounts> {
  const groups = await queryRows(
    client,
    groupRow,
    `SELECT primary_id, secondary_id, tier::text AS tier, rejected_response_id IS NOT NULL AS dpo, count(*)::int AS count
       FROM frozen_members GROUP BY 1, 2, 3, 4`,
  );
  const names = new Map(departments.map((d) => [d.id, d.name]));
  const nameOf = (id: number | null) => (id === null ? null : (names.get(id) ?? `#${id}`));
  const stage = stageDepartmentIds(departments);
  const order = new Map(departments.map((d, i) => [d.id, i]));
  const rank = (id: number | null) => (id === null ? Number.MAX_SAFE_INTEGER : (order.get(id) ?? Number.MAX_SAFE_INTEGER - 1));
  const counts: VersionCounts = {
    members: 0,
    tiers: { common: 0, complex: 0 },
    pools: { sft: 0, internalMedicine: 0, endocrinology: 0, longForm: 0, dpo: 0 },
    departments: [],
  };
  const byLabel = new Map<string, VersionCounts["departments"][number] & { ranks: [number, number] }>();
  for (const row of groups) {
    counts.members += row.count;
    counts.tiers[row.tier] += row.count;
    if (row.tier === "common") {
      counts.pools.sft += row.count;
      if (row.primary_id === stage.internalMedicine) counts.pools.internalMedicine += row.count;
      if (row.secondary_id === stage.endocrinology) counts.pools.endocrinology += row.count;
    } else {
      counts.pools.longForm += row.count;
      if (row.dpo) counts.pools.dpo += row.count;
    }
    const key = `${row.primary_id}:${row.secondary_id}`;
    const entry = byLabel.get(key) ?? {
      primary: nameOf(row.primary_id),
      secondary: nameOf(row.secondary_id),
      common: 0,
      complex: 0,
      ranks: [rank(row.primary_id), rank(row.secondary_id)],
    };
    entry[row.tier] += row.count;
    byLabel.set(key, entry);
  }
  counts.departments = [...byLabel.values()]
    .sort((a, b) => a.ranks[0] - b.ranks[0] || a.ranks[1] - b.ranks[1])
    .map(({ primary, secondary, common, complex }) => ({ primary, secondary, common, complex }));
  return counts;
}
