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

/** A version as VERSION_COLUMNS reads it; the jsonb columns are checked against what createVersion wrote. */
export const versionRow = z.object({
  id: z.string(),
  name: z.string(),
  state: z.enum(VERSION_STATES),
  content_hash: z.string(),
  member_count: z.number().int(),
  counts: versionCountsSchema,
  selection: datasetSelectionSchema,
  created_by: z.string(),
  created_at: z.date(),
  submitted_by: z.string().nullable(),
  submitted_at: z.date().nullable(),
  decided_by: z.string().nullable(),
  decided_at: z.date().nullable(),
  rejection_reason: z.string().nullable(),
});
export type VersionRow = z.output<typeof versionRow>;

/** The state alone, for the refusal that names it. */
export const versionStateRow = z.object({ state: z.enum(VERSION_STATES) });

export const VERSION_COLUMNS = `id, name, state::text AS state, content_hash, member_count, counts, selection, created_by, created_at,
  submitted_by, submitted_at, decided_by, decided_at, rejection_reason`;

const iso = (value: Date | null) => (value === null ? null : value.toISOString());

export function toVersionView(row: VersionRow): DatasetVersionView {
  return {
    id: row.id,
    name: row.name,
    state: row.state,
    contentHash: row.content_hash,
    memberCount: row.member_count,
    counts: row.counts,
    selection: row.selection,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    submittedBy: row.submitted_by,
    submittedAt: iso(row.submitted_at),
    decidedBy: row.decided_by,
    decidedAt: iso(row.decided_at),
    rejectionReason: row.rejection_reason,
  };
}
