/** A refusal the caller can act on (bad profile, unknown chain, nothing to cancel): HTTP 4xx, CLI exit 1. */
export class TrainingError extends Error {}

export class TrainingChainNotFound extends TrainingError {
  constructor(id: string) {
    super(`no training chain ${id}`);
  }
}

/** Input that fails validation (a profile, a template): HTTP 400 / 422, CLI exit 2. */
export class TrainingInputError extends TrainingError {}

/** The cluster refused or could not be reached (sbatch failed, ssh failed, slurmrestd error). */
export class ClusterError extends TrainingError {}

/** This studio cannot reach a cluster with the profile (no sbatch, no ssh, slurmrestd down): HTTP 503, nothing recorded. */
export class ClusterUnavailable extends TrainingError {}
