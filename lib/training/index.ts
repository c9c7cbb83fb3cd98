export {
  CHAIN_STAGES,
  CHAIN_STAGE_KEYS,
  TTT_EVAL_KEY,
  BASELINE_EVAL_KEY,
  chainStage,
  isEvaluationStage,
  type ChainStage,
} from "./chain-stages";
export { STAND_IN_LABEL, isStandInScript } from "./stand-in-label";
export { parseEvaluationLog, type EvaluationView } from "./evaluation-results";
export {
  clusterProfileSchema,
  defaultProfile,
  describeProfileIssues,
  CLUSTER_KINDS,
  SUBMIT_MODES,
  DEFAULT_PROFILE_NAME,
  STAND_IN_COMMAND,
  LLAMAFACTORY_COMMAND,
  TTT_COMMAND,
  BASELINE_COMMAND,
  type ClusterProfile,
  type ClusterProfileInput,
} from "./cluster-profile";
export { DEFAULT_SBATCH_TEMPLATE, TEMPLATE_PLACEHOLDERS, renderStageScript, sbatchOptions, type StageJobContext } from "./sbatch-template";
export { CHAIN_STATES, type ChainState, type TrainingChainView, type TrainingJobView } from "./chain-view";
export { listProfiles, getProfile, saveProfile, type StoredProfile } from "./profile-store";
export { startChain, chainWorkDir, type StartChainInput } from "./start-chain";
export { pollChain, pollActiveChains } from "./poll-chains";
export { cancelChain } from "./cancel-chain";
export { listChains, getChain } from "./read-chains";
export { readJobLog, LOG_STREAMS, MAX_LOG_BYTES, type JobLog, type LogStream } from "./job-logs";
export {
  ensureTrainingExport,
  readTrainingExport,
  defaultExportDir,
  approvedVersion,
  type TrainingExport,
  type ShortSplitAnswer,
} from "./export-for-training";
export { trainingShortSplits, requireShortSplitAnswer } from "./training-short-splits";
export { kubernetesManifests, writeKubernetesManifests, EXPORT_MOUNT, type KubernetesManifest } from "./kubernetes-manifests";
export { clusterClient } from "./cluster-client";
export { slurmCliClient } from "./slurm-cli-client";
export { slurmRestClient } from "./slurm-rest-client";
export { localTransport, sshTransport } from "./command-transport";
export { isActiveJobState, isFailedJobState, type SlurmClient, type ClusterJobStatus } from "./slurm-client";
export {
  TrainingError,
  TrainingChainNotFound,
  TrainingInputError,
  ClusterError,
  ClusterUnavailable,
  TrainingShortSplitsRefused,
} from "./training-errors";
export { preflight, type Preflight } from "./preflight";
export { jobBundle, bundleTarGz, type JobBundle } from "./job-bundle";
export { watchTrainingChains } from "./chain-watcher";
