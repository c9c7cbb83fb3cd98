import { z } from "zod";
import type { Database } from "../db/database";
import { DatasetVersionNotFound } from "./dataset-errors";
import {
  frozenDepartmentSchema,
  toVersionView,
  VERSION_FIELDS,
  versionRowOf,
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

const frozenDepartments = z.array(frozenDepartmentSchema);

/** Every version, newest first (versions are few: one per curated release). */
export async function listVersions(db: Database): Promise<DatasetVersionView[]> {
  const versions = await db.prisma.datasetVersion.findMany({ select: VERSION_FIELDS, orderBy: [{ createdAt: "desc" }, { id: "asc" }] });
  return versions.map((version) => toVersionView(versionRowOf(version)));
}

export async function getVersion(db: Database, versionId: string): Promise<DatasetVersionDetail> {
  if (!z.uuid().safeParse(versionId).success) throw new DatasetVersionNotFound(versionId);
  const version = await db.prisma.datasetVersion.findUnique({
    where: { id: versionId },
    select: {
      ...VERSION_FIELDS,
      departments: true,
      events: { select: { fromState: true, toState: true, actor: true, reason: true, createdAt: true }, orderBy: { id: "asc" } },
    },
  });
  if (!version) throw new DatasetVersionNotFound(versionId);
  return {
    ...toVersionView(versionRowOf(version)),
    departments: frozenDepartments.parse(version.departments),
    events: version.events.map((e) => ({
      fromState: e.fromState,
      toState: e.toState,
      actor: e.actor,
      reason: e.reason,
      at: e.createdAt.toISOString(),
    })),
  };
}
