import { z } from "zod";
import type { Database } from "../db/database";
import { DatasetVersionNotFound } from "./dataset-errors";
import {
  toVersionView,
  VERSION_COLUMNS,
  type DatasetVersionView,
  type FrozenDepartment,
  type VersionRow,
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

/** Every version, newest first (versions are few: one per curated release). */
export async function listVersions(db: Database): Promise<DatasetVersionView[]> {
  const result = await db.pool.query<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM dataset_versions ORDER BY created_at DESC, id`);
  return result.rows.map(toVersionView);
}

export async function getVersion(db: Database, versionId: string): Promise<DatasetVersionDetail> {
  if (!z.uuid().safeParse(versionId).success) throw new DatasetVersionNotFound(versionId);
  const result = await db.pool.query<VersionRow & { departments: FrozenDepartment[] }>(
    `SELECT ${VERSION_COLUMNS}, departments FROM dataset_versions WHERE id = $1`,
    [versionId],
  );
  const row = result.rows[0];
  if (!row) throw new DatasetVersionNotFound(versionId);
  const events = await db.pool.query<{
    from_state: VersionState | null;
    to_state: VersionState;
    actor: string;
    reason: string | null;
    created_at: Date;
  }>(
    `SELECT from_state::text AS from_state, to_state::text AS to_state, actor, reason, created_at FROM dataset_version_events WHERE version_id = $1 ORDER BY id`,
    [versionId],
  );
  return {
    ...toVersionView(row),
    departments: row.departments,
    events: events.rows.map((e) => ({
      fromState: e.from_state,
      toState: e.to_state,
      actor: e.actor,
      reason: e.reason,
      at: e.created_at.toISOString(),
    })),
  };
}
