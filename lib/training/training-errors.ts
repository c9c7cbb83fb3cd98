import type { ShortSplit } from "../export/short-splits";

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

/**
 * The version's export has empty or short splits and whoever hands it to training has not acknowledged
 * them: HTTP 409 with the list, CLI exit 1 naming --allow-short-splits; nothing is exported or started.
 */
export class TrainingShortSplitsRefused extends TrainingError {
  constructor(
    readonly splits: readonly ShortSplit[],
    what: "chain" | "bundle",
  ) {
    super(
      `${splits.length === 1 ? "a split is" : `${splits.length} splits are`} empty or short: ${splits.map((s) => s.reason).join("; ")}. ${what === "chain" ? "The training chain was not started" : "No job bundle was made"}; to train on them anyway, acknowledge the short splits (tick "I understand these splits are short or empty", finemed train ${what === "chain" ? "start" : "bundle"} --allow-short-splits, or acknowledgeShortSplits: true)`,
    );
  }
}
