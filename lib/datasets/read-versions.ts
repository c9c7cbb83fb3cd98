import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { DatasetVersionNotFound } from "./dataset-errors";
import {
  frozenDepartmentSchema,
  toVersionView,
  VERSION_COLUMNS,
  VERSION_STATES,
  versionRow,
  type DatasetVersionView,
  type FrozenDepartment,
  type VersionState,
} from "./version-view";

export interface VersionEvent {
  fromState: VersionState | null;
  toState: VersionState;
  actor: string;
  reason: string | null;
  at: string;
}

export interface DatasetVersionDetail extends DatasetVersionView {
  departments: FrozenDepartment[];
  events: VersionEvent[];
}

const versionDetailRow = versionRow.extend({ departments: z.array(frozenDepartmentSchema) });

const versionEventRow = z.object({
  from_state: z.enum(VERSION_STATES).nullable(),
  to_state: z.enum(VERSION_STATES),
  actor: z.string(),
  reason: z.string().nullable(),
  created_at: z.date(),
});

/** Every version, newest first (versions are few: one per curated release). */
export async function listVersions(db: Database): Promise<DatasetVersionView[]> {
  const rows = await queryRows(db.pool, versionRow, `SELECT ${VERSION_COLUMNS} FROM dataset_versions ORDER BY created_at DESC, id`);
  return rows.map(toVersionView);
}

export async function getVersion(db: Database, versionId: string): Promise<DatasetVersionDetail> {
  if (!z.uuid().safeParse(versionId).success) throw new DatasetVersionNotFound(versionId);
  const [row] = await queryRows(db.pool, versionDetailRow, `SELECT ${VERSION_COLUMNS}, departments FROM dataset_versions WHERE id = $1`, [
    versionId,
  ]);
  if (!row) throw new DatasetVersionNotFound(versionId);
  const events = await queryRows(
    db.pool,
    versionEventRow,
    `SELECT from_state::text AS from_state, to_state::text AS to_state, actor, reason, created_at FROM dataset_version_events WHERE version_id = $1 ORDER BY id`,
    [versionId],
  );
  return {
    ...toVersionView(row),
    departments: row.departments,
    events: events.map((e) => ({
      fromState: e.from_state,
      toState: e.to_state,
      actor: e.actor,
      reason: e.reason,
      at: e.created_at.toISOString(),
    })),
  };
}
