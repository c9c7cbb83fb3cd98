import type { DatasetSelection } from "./dataset-selection";

export const VERSION_STATES = ["draft", "in_review", "approved", "rejected"] as const;
export type VersionState = (typeof VERSION_STATES)[number];

/** A department as it was named when the version was frozen. */
export interface FrozenDepartment {
  id: number;
  level: "primary" | "secondary";
  name: string;
  aliases: string[];
  parentId: number | null;
}

/** How many members each export split can draw from, and their labels. */
export interface VersionCounts {
  members: number;
  tiers: { common: number; complex: number };
  /** Pools of the export splits: SFT = common tier; long-form = complex tier; DPO = complex with a usable pair. */
  pools: { sft: number; internalMedicine: number; endocrinology: number; longForm: number; dpo: number };
  /** Members per label in force (null = unlabelled at primary, None at secondary). */
  departments: { primary: string | null; secondary: string | null; common: number; complex: number }[];
}

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

export interface VersionRow {
  id: string;
  name: string;
  state: VersionState;
  content_hash: string;
  member_count: number;
  counts: VersionCounts;
  selection: DatasetSelection;
  created_by: string;
  created_at: Date;
  submitted_by: string | null;
  submitted_at: Date | null;
  decided_by: string | null;
  decided_at: Date | null;
  rejection_reason: string | null;
}

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
