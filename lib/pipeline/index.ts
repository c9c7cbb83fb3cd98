// Public API of the FineMed synthesis pipeline's pure logic.
export {
  DEPARTMENT_TREE,
  PRIMARY_DEPARTMENTS,
  SECONDARY_DEPARTMENTS,
  departmentKey,
  isPrimaryDepartment,
  mapPrimaryAnswer,
  mapSecondaryAnswer,
  primaryOfSecondary,
  secondaryDepartmentsOf,
  type DepartmentMapping,
  type PrimaryDepartment,
  type SecondaryDepartment,
} from "../taxonomy/paper-departments";
export {
  DEFAULT_PROMPTS,
  defaultPrompt,
  renderPrompt,
  secondaryClassificationKey,
  templateChecksum,
  templateVariables,
  type PromptKey,
  type PromptRole,
  type PromptTemplate,
  type SecondaryClassificationKey,
} from "./prompts";
export { extractJsonObject, type JsonObject, type ParseResult } from "./parse";
export { parseGeneratedInstructions, type GeneratedInstructions, type GenerationParse } from "./generation";
export { parseJudgement, type InstructionJudgement, type JudgementParse } from "./judgement";
export { compareInstructionScore, seededDraw, tieBreakSeed, type Algorithm1Decision, type Algorithm1Rule } from "./algorithm1";
export { DEFAULT_TIER_THRESHOLD, parseTierThreshold, tierOf, type InstructionTier, type ThresholdParse } from "./tiering";
export {
  parseCommonAnswers,
  parseLongFormReasoning,
  pickPreferredAnswer,
  type CommonAnswers,
  type CommonAnswersParse,
  type LongFormReasoning,
  type PreferredAnswer,
  type ReasoningParse,
} from "./answers";
export { buildDpoPair, type DpoPair, type DpoPairBuild } from "./dpo";
export {
  classificationDialogue,
  parsePrimaryClassification,
  parseSecondaryClassification,
  primaryClassificationPrompt,
  secondaryClassificationPrompt,
  secondaryClassificationTemplate,
  type ClassificationDialogue,
} from "./classification";
