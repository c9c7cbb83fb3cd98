import type { DatasetVersionDetail } from "../datasets/read-versions";
import type { VersionCounts } from "../datasets/version-view";
import { CONTENT_HASH_FORMAT } from "../datasets/freeze-members";
import type { ExportOptions } from "./export-options";
import type { ExportSources } from "./export-sources";
import type { PlannedSplit } from "./split-plan";
import type { ShortSplit } from "./short-splits";
import { PAPER_TRAINING, TRAINING_STAGES } from "./training-stages";
import type { TttEmbeddings } from "./ttt-embeddings";

export interface ManifestFile {
  path: string;
  bytes: number;
  /** Rows of a data file; null for configs and the card. */
  rows: number | null;
  sha256: string;
}

export interface ManifestSplit {
  name: string;
  description: string;
  files: string[];
  requested: number | null;
  available: number;
  rows: number;
  trainRows: number;
  validationRows: number;
  smallerThanAsked: boolean;
  seed: string;
}

/** Everything about an export, and nothing about when it ran: the same version gives the same bytes. */
export interface ExportManifest {
  format: "finemed-export/1";
  dataset: {
    versionId: string;
    name: string;
    state: string;
    approved: boolean;
    approvedBy: string | null;
    approvedAt: string | null;
    contentHash: string;
    contentHashFormat: string;
    members: number;
    createdBy: string;
    createdAt: string;
    selection: unknown;
  };
  options: Omit<ExportOptions, "allowUnapproved" | "shortSplitGate" | "acknowledgeShortSplits">;
  splits: ManifestSplit[];
  /** The splits written empty or short, and whether the exporter acknowledged them before exporting. */
  shortSplits: { acknowledged: boolean; splits: ShortSplit[] };
  overlaps: { sftStage1TrainValidation: string; sftStages2And3: string; o1SftAndDpo: string };
  ttt: TttEmbeddings;
  simulatedBackend: boolean;
  departments: VersionCounts["departments"];
  sources: ExportSources;
  training: { shared: typeof PAPER_TRAINING; stages: typeof TRAINING_STAGES };
  files: ManifestFile[];
}

export function buildManifest(
  version: DatasetVersionDetail,
  options: ExportOptions,
  splits: readonly (PlannedSplit & { files: string[]; written: number })[],
  sources: ExportSources,
  files: readonly ManifestFile[],
  ttt: TttEmbeddings,
  shortSplits: readonly ShortSplit[],
): ExportManifest {
  const { allowUnapproved: _preview, shortSplitGate: _gate, acknowledgeShortSplits, ...recorded } = options;
  return {
    format: "finemed-export/1",
    dataset: {
      versionId: version.id,
      name: version.name,
      state: version.state,
      approved: version.state === "approved",
      approvedBy: version.state === "approved" ? version.decidedBy : null,
      approvedAt: version.state === "approved" ? version.decidedAt : null,
      contentHash: version.contentHash,
      contentHashFormat: CONTENT_HASH_FORMAT,
      members: version.memberCount,
      createdBy: version.createdBy,
      createdAt: version.createdAt,
      selection: version.selection,
    },
    options: recorded,
    splits: splits.map((s) => ({
      name: s.name,
      description: s.description,
      files: s.files,
      requested: s.requested,
      available: s.available,
      rows: s.written,
      trainRows: s.written - s.validationRows,
      validationRows: s.validationRows,
      smallerThanAsked: s.smallerThanAsked,
      seed: s.seed,
    })),
    shortSplits: { acknowledged: acknowledgeShortSplits && shortSplits.length > 0, splits: [...shortSplits] },
    overlaps: {
      sftStage1TrainValidation: "disjoint: the first validationRows of the stage 1 sample (in seeded order) are validation, the rest train",
      sftStages2And3:
        "each drawn from its department's SFT pool with its own seed, independently of stage 1: they may repeat stage 1 rows (a curriculum, as in the paper)",
      o1SftAndDpo:
        options.dpoOverlap === "shared"
          ? "shared: o1 SFT and DPO are drawn independently from the long-form pool and may use the same instructions (paper: 17,000 for SFT, all 33,000 for DPO)"
          : "disjoint: DPO draws only from long-form instructions that the o1 SFT sample did not take (paper: half for SFT, the rest for DPO)",
    },
    ttt,
    simulatedBackend: sources.runs.some((run) => run.simulated),
    departments: version.counts.departments,
    sources,
    training: { shared: PAPER_TRAINING, stages: TRAINING_STAGES },
    files: [...files],
  };
}
