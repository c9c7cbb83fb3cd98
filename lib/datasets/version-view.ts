import { z } from "zod";
import { datasetSelectionSchema, type DatasetSelection } from "./dataset-selection";

export const VERSION_STATES = ["draft", "in_review", "approved", "rejected"] as const;
export type VersionState = (typeof VERSION_STATES)[number];

const count = z.number().int().nonnegative();

/** A department as it was named when the version was frozen (the `departments` jsonb column). */
export const frozenDepartmentSchema = z.object({
  id: z.number().int(),
  level: z.enum(["primary", "secondary"]),
  name: z.string(),
  aliases: z.array(z.string()),
  parentId: z.number().int().nullable(),
});
export type FrozenDepartment = z.output<typeof frozenDepartmentSchema>;

/** How many members each export split can draw from, and their labels (the `counts` jsonb column). */
export const versionCountsSchema = z.object({
  members: count,
  tiers: z.object({ common: count, complex: count }),
  /** Pools of the export splits: SFT = common tier; long-form = complex tier; DPO = complex with a usable pair. */
  pools: z.object({ sft: count, internalMedicine: count, endocrinology: count, longForm: count, dpo: count }),
  /** Members per label in force (null = unlabelled at primary, None at secondary). */
  departments: z.array(z.object({ primary: z.string().nullable(), secondary: z.string().nullable(), common: count, complex: count })),
});
export type VersionCounts = z.output<typeof versionCountsSchema>;

export interface DatasetVersionView {
  id: string;
  name: string;
  state: VersionState;
  contentHash: string;
  memberCount: number;
  counts: VersionCounts;
  selection: DatasetSelection;
  createdBy: string;
  createdAt: string;
  submittedBy: string | null;
  submittedAt: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  rejectionReason: string | null;
}

/**
 * A version as VERSION_COLUMNS reads it, with the camelCase names of Prisma's model; the jsonb columns are
 * checked against what createVersion wrote.
 */
export const versionRow = z.object({
  id: z.string(),
  name: z.string(),
  state: z.enum(VERSION_STATES),
  contentHash: z.string(),
  memberCount: z.number().int(),
  counts: versionCountsSchema,
  selection: datasetSelectionSchema,
  createdBy: z.string(),
  createdAt: z.date(),
  submittedBy: z.string().nullable(),
  submittedAt: z.date().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.date().nullable(),
  rejectionReason: z.string().nullable(),
});
export type VersionRow = z.output<typeof versionRow>;

/** The state alone, for the refusal that names it. */
export const versionStateRow = z.object({ state: z.enum(VERSION_STATES) });

export const VERSION_COLUMNS = `id, name, state::text AS state, content_hash AS "contentHash", member_count AS "memberCount", counts, selection,
  created_by AS "createdBy", created_at AS "createdAt", submitted_by AS "submittedBy", submitted_at AS "submittedAt",
  decided_by AS "decidedBy", decided_at AS "decidedAt", rejection_reason AS "rejectionReason"`;

/** The same columns for Prisma's reads. */
export const VERSION_FIELDS = {
  id: true,
  name: true,
  state: true,
  contentHash: true,
  memberCount: true,
  counts: true,
  selection: true,
  createdBy: true,
  createdAt: true,
  submittedBy: true,
  submittedAt: true,
  decidedBy: true,
  decidedAt: true,
  rejectionReason: true,
} satisfies { [field in keyof VersionRow]: true };

/** Prisma's row: its columns are typed by the client, its jsonb columns (JsonValue there) are checked here. */
export function versionRowOf(model: Omit<VersionRow, "counts" | "selection"> & { counts: unknown; selection: unknown }): VersionRow {
  return { ...model, counts: versionCountsSchema.parse(model.counts), selection: datasetSelectionSchema.parse(model.selection) };
}

const iso = (value: Date | null) => (value === null ? null : value.toISOString());

export function toVersionView(row: VersionRow): DatasetVersionView {
  return {
    id: row.id,
    name: row.name,
    state: row.state,
    contentHash: row.contentHash,
    memberCount: row.memberCount,
    counts: row.counts,
    selection: row.selection,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    submittedBy: row.submittedBy,
    submittedAt: iso(row.submittedAt),
    decidedBy: row.decidedBy,
    decidedAt: iso(row.decidedAt),
    rejectionReason: row.rejectionReason,
  };
}
