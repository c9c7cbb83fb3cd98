import type pg from "pg";
import { z } from "zod";
import { queryRows } from "../db/checked-rows";

/** Neighbours asked of each sample; "7 of 10 nearest neighbours are Cardiology" reads naturally. */
export const HINT_NEIGHBOURS = 10;

const ID_ROWS = 20_000;

const labelRow = z.object({ instruction_id: z.string(), department: z.number().int().nullable() });

export interface MislabelHintInput {
  spaceId: string;
  projectionId: string;
  /** instruction ids, row order of `neighbours`. */
  ids: BigInt64Array;
  /** Row-major n × k neighbour rows (-1 where fewer exist). */
  neighbours: Int32Array;
}

/**
 * Stores a hint for every sample whose department in force (its secondary, or its primary when it has
 * no secondary) differs from that of most of its labelled nearest neighbours. The latest computation of
 * a sample replaces its earlier one. The review queue ranks them by `share`. Returns the hints written.
 */
export async function writeMislabelHints(client: pg.PoolClient, input: MislabelHintInput): Promise<number> {
  const n = input.ids.length;
  if (n === 0) return 0;
  const k = input.neighbours.length / n;
  const department = new Int32Array(n).fill(-1);
  const idText = Array.from(input.ids, (id) => id.toString());
  const rowOf = new Map<string, number>();
  idText.forEach((id, row) => rowOf.set(id, row));
  for (let start = 0; start < n; start += ID_ROWS) {
    const labels = await queryRows(
      client,
      labelRow,
      `SELECT instruction_id::text AS instruction_id, coalesce(secondary_id, primary_id)::int AS department FROM samples WHERE instruction_id = ANY($1::bigint[])`,
      [idText.slice(start, start + ID_ROWS)],
    );
    for (const row of labels) if (row.department !== null) department[rowOf.get(row.instruction_id)!] = row.department;
  }

  const hintIds: string[] = [];
  const counts: number[] = [];
  const disagreeing: number[] = [];
  const shares: number[] = [];
  const majority: number[] = [];
  const majorityCounts: number[] = [];
  const own: number[] = [];
  const tally = new Map<number, number>();
  for (let i = 0; i < n; i += 1) {
    const mine = department[i]!;
    if (mine < 0) continue;
    tally.clear();
    let labelled = 0;
    for (let m = 0; m < k; m += 1) {
      const neighbour = input.neighbours[i * k + m]!;
      if (neighbour < 0 || department[neighbour]! < 0) continue;
      labelled += 1;
      tally.set(department[neighbour]!, (tally.get(department[neighbour]!) ?? 0) + 1);
    }
    const differing = labelled - (tally.get(mine) ?? 0);
    if (labelled === 0 || differing * 2 <= labelled) continue;
    let top = -1;
    let topCount = 0;
    for (const [candidate, count] of tally)
      if (count > topCount || (count === topCount && candidate < top)) [top, topCount] = [candidate, count];
    hintIds.push(idText[i]!);
    counts.push(labelled);
    disagreeing.push(differing);
    shares.push(differing / labelled);
    majority.push(top);
    majorityCounts.push(topCount);
    own.push(mine);
  }

  for (let start = 0; start < n; start += ID_ROWS) {
    await client.query(`DELETE FROM mislabel_hints WHERE instruction_id = ANY($1::bigint[])`, [idText.slice(start, start + ID_ROWS)]);
  }
  for (let start = 0; start < hintIds.length; start += ID_ROWS) {
    const end = start + ID_ROWS;
    const slice = <T>(values: T[]) => values.slice(start, end);
    await client.query(
      `INSERT INTO mislabel_hints (instruction_id, space_id, projection_id, neighbour_count, disagreeing, share, department_id, majority_department_id, majority_count)
       SELECT t.id, $2::uuid, $3::uuid, t.labelled, t.differing, t.share, t.own, t.top, t.top_count
         FROM unnest($1::bigint[], $4::smallint[], $5::smallint[], $6::float8[], $7::smallint[], $8::smallint[], $9::smallint[])
           AS t(id, labelled, differing, share, own, top, top_count)`,
      [
        slice(hintIds),
        input.spaceId,
        input.projectionId,
        slice(counts),
        slice(disagreeing),
        slice(shares),
        slice(own),
        slice(majority),
        slice(majorityCounts),
      ],
    );
  }
  return hintIds.length;
}
