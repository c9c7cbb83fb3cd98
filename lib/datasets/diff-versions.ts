import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { getVersion } from "./read-versions";

export interface MemberLabel {
  primary: string | null;
  secondary: string | null;
}

export interface VersionDiffEntry {
  instructionId: number;
  /** Null for an added member. */
  before: MemberLabel | null;
  /** Null for a removed member. */
  after: MemberLabel | null;
}

export interface VersionDiff {
  from: { id: string; name: string; contentHash: string };
  to: { id: string; name: string; contentHash: string };
  counts: { added: number; removed: number; relabeled: number; responseChanged: number; unchanged: number };
  /** The first `limit` of each kind, in instruction order. */
  added: VersionDiffEntry[];
  removed: VersionDiffEntry[];
  relabeled: VersionDiffEntry[];
}

const count = z.number().int();
const diffCountsRow = z.object({ added: count, removed: count, relabeled: count, response_changed: count, unchanged: count });
const department = z.number().int().nullable();
const diffEntryRow = z.object({
  id: z.number().int(),
  a_member: z.boolean(),
  ap: department,
  as_: department,
  b_member: z.boolean(),
  bp: department,
  bs: department,
});

const JOINED = `FROM (SELECT * FROM dataset_members WHERE version_id = $1) a
  FULL JOIN (SELECT * FROM dataset_members WHERE version_id = $2) b ON b.instruction_id = a.instruction_id`;
const RELABELED = `a.instruction_id IS NOT NULL AND b.instruction_id IS NOT NULL AND (a.primary_id, a.secondary_id) IS DISTINCT FROM (b.primary_id, b.secondary_id)`;

/**
 * What changed from version `a` to version `b`: members added, removed, and relabeled (label in force
 * differs), plus members whose frozen responses differ. Names come from each version's own frozen
 * taxonomy, so a rename between them does not show as a relabel.
 */
export async function diffVersions(db: Database, a: string, b: string, limit = 100): Promise<VersionDiff> {
  const [from, to] = await Promise.all([getVersion(db, a), getVersion(db, b)]);
  const [c] = await queryRows(
    db.pool,
    diffCountsRow,
    `SELECT count(*) FILTER (WHERE a.instruction_id IS NULL)::int AS added,
            count(*) FILTER (WHERE b.instruction_id IS NULL)::int AS removed,
            count(*) FILTER (WHERE ${RELABELED})::int AS relabeled,
            count(*) FILTER (WHERE (a.chosen_response_id, a.rejected_response_id) IS DISTINCT FROM (b.chosen_response_id, b.rejected_response_id)
                               AND a.instruction_id IS NOT NULL AND b.instruction_id IS NOT NULL)::int AS response_changed,
            count(*) FILTER (WHERE a.instruction_id IS NOT NULL AND b.instruction_id IS NOT NULL
                               AND (a.primary_id, a.secondary_id, a.chosen_response_id, a.rejected_response_id, a.tier)
                                   IS NOT DISTINCT FROM (b.primary_id, b.secondary_id, b.chosen_response_id, b.rejected_response_id, b.tier))::int AS unchanged
       ${JOINED}`,
    [a, b],
  );
  const names = (departments: typeof from.departments) => new Map(departments.map((d) => [d.id, d.name]));
  const fromNames = names(from.departments);
  const toNames = names(to.departments);
  const label = (map: Map<number, string>, primary: number | null, secondary: number | null): MemberLabel => ({
    primary: primary === null ? null : (map.get(primary) ?? `#${primary}`),
    secondary: secondary === null ? null : (map.get(secondary) ?? `#${secondary}`),
  });
  const entries = async (condition: string): Promise<VersionDiffEntry[]> => {
    const rows = await queryRows(
      db.pool,
      diffEntryRow,
      `SELECT coalesce(a.instruction_id, b.instruction_id) AS id, a.instruction_id IS NOT NULL AS a_member, a.primary_id AS ap, a.secondary_id AS as_,
              b.instruction_id IS NOT NULL AS b_member, b.primary_id AS bp, b.secondary_id AS bs
         ${JOINED} WHERE ${condition} ORDER BY 1 LIMIT $3`,
      [a, b, limit],
    );
    return rows.map((r) => ({
      instructionId: r.id,
      before: r.a_member ? label(fromNames, r.ap, r.as_) : null,
      after: r.b_member ? label(toNames, r.bp, r.bs) : null,
    }));
  };
  if (!c) throw new Error("the diff's count gave no row");
  return {
    from: { id: from.id, name: from.name, contentHash: from.contentHash },
    to: { id: to.id, name: to.name, contentHash: to.contentHash },
    counts: { added: c.added, removed: c.removed, relabeled: c.relabeled, responseChanged: c.response_changed, unchanged: c.unchanged },
    added: await entries("a.instruction_id IS NULL"),
    removed: await entries("b.instruction_id IS NULL"),
    relabeled: await entries(RELABELED),
  };
}
