import { z } from "zod";

// Only what the chain relies on is checked; the stand-in stages verify every file's sha256 themselves.
export const trainingManifestSchema = z.object({
  format: z.literal("finemed-export/1"),
  dataset: z.object({ versionId: z.string(), contentHash: z.string(), approved: z.boolean() }),
  splits: z.array(z.object({ name: z.string(), files: z.array(z.string()) })),
});

/** Whether a parsed manifest is the approved export of this version (same id and content). */
export function isExportOf(manifest: z.output<typeof trainingManifestSchema>, version: { id: string; contentHash: string }): boolean {
  return manifest.dataset.versionId === version.id && manifest.dataset.contentHash === version.contentHash && manifest.dataset.approved;
}
