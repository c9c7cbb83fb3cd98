export { importComparisonDataset, ComparisonNameTaken, type ComparisonImportSummary } from "./import-comparison";
export { judgingRequestSchema, DEFAULT_SAMPLE_SIZE, type JudgingRequestInput, type JudgeSettings } from "./judging-request";
export { JudgingRequestError } from "./resolve-judge";
export { startJudging, resumeJudging, type StartedJudging } from "./start-judging";
export { judgeComparisonBatch, type JudgeClientFor, type ComparisonBatchOutcome } from "./judge-batch";
export { listComparisonDatasets, listJudgingFailures, type ComparisonDatasetRow, type ComparisonJudgingProgress } from "./list-comparisons";
export {
  scoreDistributions,
  COMPARISON_FIELDS,
  type ComparisonField,
  type ScoreDistributions,
  type ScoreSeries,
} from "./score-distributions";
