import type { ClusterProfile } from "./cluster-profile";
import { localTransport, sshTransport } from "./command-transport";
import type { SlurmClient } from "./slurm-client";
import { slurmCliClient } from "./slurm-cli-client";
import { slurmRestClient } from "./slurm-rest-client";
import { TrainingInputError } from "./training-errors";

/** The Slurm client a profile configures: sbatch here, sbatch over ssh, or slurmrestd. */
export function clusterClient(profile: ClusterProfile): SlurmClient {
  if (profile.kind !== "slurm")
    throw new TrainingInputError(
      `profile ${profile.name} is a ${profile.kind} profile: write its Job manifests (finemed train k8s) instead of submitting`,
    );
  if (profile.submitMode === "ssh") return slurmCliClient(sshTransport(profile.ssh!, profile.env));
  if (profile.submitMode === "slurmrestd") return slurmRestClient(profile.restd!);
  return slurmCliClient(localTransport(profile.env));
}
