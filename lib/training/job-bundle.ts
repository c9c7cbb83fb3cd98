import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createGzip } from "node:zlib";
import type { Readable } from "node:stream";
import { pack } from "tar-stream";
import { CHAIN_STAGES } from "./chain-stages";
import type { ClusterProfile } from "./cluster-profile";
import type { TrainingExport } from "./export-for-training";
import { kubernetesManifests } from "./kubernetes-manifests";
import { renderStageScript } from "./sbatch-template";

export interface BundleFile {
  path: string;
  content: Buffer;
}

export interface JobBundle {
  name: string;
  files: BundleFile[];
}

/** Everything of the export but the data rows (they can be gigabytes; the manifest pins each by sha256). */
const FROM_EXPORT = (path: string) =>
  path === "README.md" || path === "data/dataset_info.json" || /^(llamafactory|trl|deepspeed|training)\//.test(path);

function submitScript(): string {
  const lines = CHAIN_STAGES.map((stage, index) =>
    index === 0
      ? `jid=$(sbatch --parsable sbatch/${stage.key}.sbatch); echo "${stage.key}: job $jid"`
      : `jid=$(sbatch --parsable --dependency=afterok:$jid --kill-on-invalid-dep=yes sbatch/${stage.key}.sbatch); echo "${stage.key}: job $jid"`,
  );
  return [
    "#!/bin/bash",
    "# Submits the FineMed chain in order: each stage waits for the previous one to succeed.",
    "set -euo pipefail",
    'cd "$(dirname "$0")"',
    "mkdir -p logs",
    ...lines,
    "",
  ].join("\n");
}

/**
 * A job bundle for a cluster this studio cannot reach: the rendered sbatch scripts (run from the
 * export directory, logs under logs/), a script submitting them as the afterok chain, the trainer
 * configs, the TTT job, the data manifest and the Kubernetes manifests; bundle-manifest.json lists every
 * file with its sha256.
 */
export async function jobBundle(profile: ClusterProfile, exported: TrainingExport): Promise<JobBundle> {
  const versionId = exported.manifest.dataset.versionId;
  const files: BundleFile[] = [];
  for (const entry of exported.manifest.files.filter((f) => FROM_EXPORT(f.path))) {
    files.push({ path: entry.path, content: await readFile(join(exported.dir, entry.path)) });
  }
  files.push({ path: "manifest.json", content: await readFile(join(exported.dir, "manifest.json")) });
  CHAIN_STAGES.forEach((stage, index) => {
    const script = renderStageScript(profile, {
      chainId: `bundle-${versionId.slice(0, 8)}`,
      versionId,
      stage,
      exportDir: ".",
      outputDir: `training/${stage.key}`,
      previousOutputDir: index === 0 ? null : `training/${CHAIN_STAGES[index - 1]!.key}`,
      stdoutPath: `logs/${stage.key}.out`,
      stderrPath: `logs/${stage.key}.err`,
      afterJobId: null,
      node: "node",
      studioDir: ".",
    });
    files.push({ path: `sbatch/${stage.key}.sbatch`, content: Buffer.from(script) });
  });
  files.push({ path: "submit-chain.sh", content: Buffer.from(submitScript()) });
  for (const manifest of kubernetesManifests(profile, versionId))
    files.push({ path: manifest.path, content: Buffer.from(manifest.content) });
  const listing = {
    format: "finemed-job-bundle/1",
    versionId,
    profile: profile.name,
    exportManifestSha256: exported.manifestSha256,
    dataFiles: exported.manifest.files.filter((f) => !FROM_EXPORT(f.path)).map((f) => ({ path: f.path, sha256: f.sha256, bytes: f.bytes })),
    note: "Copy the export's data/ folder (dataFiles, checked by sha256) beside these files, then run ./submit-chain.sh from this folder on a Slurm login node, or kubectl apply -f kubernetes/.",
    files: files.map((f) => ({ path: f.path, bytes: f.content.length, sha256: createHash("sha256").update(f.content).digest("hex") })),
  };
  files.push({ path: "bundle-manifest.json", content: Buffer.from(`${JSON.stringify(listing, null, 2)}\n`) });
  return { name: `finemed-${versionId.slice(0, 8)}-${profile.name}-bundle`, files };
}

/** The bundle as a gzipped tar stream under one top folder (the bundle's name). */
export function bundleTarGz(bundle: JobBundle): Readable {
  const archive = pack();
  for (const file of bundle.files) {
    const executable = file.path.endsWith(".sh") || file.path.endsWith(".sbatch");
    archive.entry(
      { name: `${bundle.name}/${file.path}`, size: file.content.length, mode: executable ? 0o755 : 0o644, mtime: new Date(0) },
      file.content,
    );
  }
  archive.finalize();
  return archive.pipe(createGzip());
}
