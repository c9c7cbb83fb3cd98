import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import { CHAIN_STAGES, type ChainStage } from "./chain-stages";
import type { ClusterProfile } from "./cluster-profile";
import { trainerCommandOf } from "./sbatch-template";
import { renderStageScript } from "./sbatch-template";

/** Where the export's volume is mounted in every container, and where stage outputs and markers go. */
export const EXPORT_MOUNT = "/export";
const OUTPUT_ROOT = `${EXPORT_MOUNT}/training`;
const WAIT_IMAGE = "busybox:1.36";

export interface KubernetesManifest {
  stage: string;
  path: string;
  content: string;
}

function jobName(versionId: string, stage: ChainStage): string {
  return `finemed-${versionId.slice(0, 8)}-${stage.key.replace(/_/g, "-")}`;
}

const marker = (stage: ChainStage, state: "COMPLETED" | "FAILED") => `${OUTPUT_ROOT}/${stage.key}/${state}`;

/**
 * One batch/v1 Job per stage for clusters without Slurm. Kubernetes has no job dependencies: each
 * stage after the first has an initContainer that waits for the previous stage's COMPLETED marker on
 * the shared export volume (and fails at once on its FAILED marker), so applying all of them at
 * once runs the chain in order and a failed stage stops the rest.
 */
export function kubernetesManifests(profile: ClusterProfile, versionId: string): KubernetesManifest[] {
  const k8s = profile.kubernetes;
  return CHAIN_STAGES.map((stage, index) => {
    const previous = index === 0 ? null : CHAIN_STAGES[index - 1]!;
    const outputDir = `${OUTPUT_ROOT}/${stage.key}`;
    // The trainer command rendered as in an sbatch script, with the container's paths.
    const script = renderStageScript(
      { ...profile, stageTemplates: { [stage.key]: "{{setupLines}}\n{{environment}}\n{{trainerCommand}}" } },
      {
        chainId: `k8s-${versionId.slice(0, 8)}`,
        versionId,
        stage,
        exportDir: EXPORT_MOUNT,
        outputDir,
        previousOutputDir: previous ? `${OUTPUT_ROOT}/${previous.key}` : null,
        stdoutPath: "/dev/stdout",
        stderrPath: "/dev/stderr",
        afterJobId: null,
        node: "node",
        studioDir: "/opt/finemed",
      },
    );
    const run = [
      "set -euo pipefail",
      `mkdir -p ${outputDir}`,
      `rm -f ${marker(stage, "COMPLETED")} ${marker(stage, "FAILED")}`,
      `cd ${EXPORT_MOUNT}`,
      `if ( ${script.trim().split("\n").filter(Boolean).join("\n")}\n); then touch ${marker(stage, "COMPLETED")}; else code=$?; touch ${marker(stage, "FAILED")}; exit $code; fi`,
    ].join("\n");
    const volumeMounts = [{ name: "export", mountPath: EXPORT_MOUNT }];
    const manifest = {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: {
        name: jobName(versionId, stage),
        namespace: k8s.namespace,
        labels: {
          "app.kubernetes.io/part-of": "finemed",
          "finemed/dataset-version": versionId,
          "finemed/stage": stage.key.replace(/_/g, "-"),
          "finemed/stage-order": String(stage.order),
        },
        annotations: {
          "finemed/trainer-command": trainerCommandOf(profile, stage),
          "finemed/order": previous
            ? `runs after ${jobName(versionId, previous)} completed (initContainer waits for ${marker(previous, "COMPLETED")})`
            : "first stage",
        },
      },
      spec: {
        backoffLimit: 0,
        template: {
          metadata: { labels: { "app.kubernetes.io/part-of": "finemed", "finemed/stage": stage.key.replace(/_/g, "-") } },
          spec: {
            restartPolicy: "Never",
            ...(previous
              ? {
                  initContainers: [
                    {
                      name: "wait-for-previous-stage",
                      image: WAIT_IMAGE,
                      command: [
                        "sh",
                        "-c",
                        `until [ -f ${marker(previous, "COMPLETED")} ]; do if [ -f ${marker(previous, "FAILED")} ]; then echo "${previous.key} failed: not starting ${stage.key}"; exit 1; fi; sleep 30; done`,
                      ],
                      volumeMounts,
                    },
                  ],
                }
              : {}),
            containers: [
              {
                name: "trainer",
                image: k8s.image,
                workingDir: EXPORT_MOUNT,
                command: ["bash", "-c", run],
                resources:
                  profile.gpus > 0 ? { limits: { [k8s.gpuResource]: profile.gpus } } : { requests: { cpu: String(profile.cpusPerTask) } },
                volumeMounts,
              },
            ],
            volumes: [{ name: "export", persistentVolumeClaim: { claimName: k8s.exportClaim } }],
          },
        },
      },
    };
    const header = [
      `# FineMed training chain for dataset version ${versionId}: stage ${stage.order} of ${CHAIN_STAGES.length}, ${stage.title}.`,
      `# Apply all stages at once (kubectl apply -f kubernetes/); each waits for the previous one's marker on the export volume.`,
      `# The export must be on the PersistentVolumeClaim ${k8s.exportClaim}, mounted at ${EXPORT_MOUNT}.`,
    ];
    return {
      stage: stage.key,
      path: `kubernetes/${stage.key}.yaml`,
      content: `${header.join("\n")}\n${stringify(manifest, { lineWidth: 0 })}`,
    };
  });
}

/** Writes the Job manifests under `outDir`/kubernetes/ and returns their paths. */
export async function writeKubernetesManifests(profile: ClusterProfile, versionId: string, outDir: string): Promise<string[]> {
  const written: string[] = [];
  for (const manifest of kubernetesManifests(profile, versionId)) {
    const path = join(outDir, manifest.path);
    await mkdir(join(outDir, "kubernetes"), { recursive: true });
    await writeFile(path, manifest.content);
    written.push(path);
  }
  return written;
}
