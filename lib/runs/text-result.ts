import type { Algorithm1Rule } from "../pipeline/algorithm1";
import type { Stage } from "./stage-stats";

/** What one source text produced in a run, written in the batch's single transaction. */
export interface TextResult {
  sourceTextId: number;
  outcome: "kept" | "none_kept" | "failed";
  failedStage: Stage | null;
  failureReason: string | null;
  failures: FailureRecord[];
  instructions: InstructionRecord[];
  judgements: JudgementRecord[];
  selection: SelectionRecord | null;
  responses: ResponseRecord[];
  dpoPrompt: string | null;
  labels: LabelRecord[];
}

export interface FailureRecord {
  stage: Stage;
  reason: string;
  rawOutput: string | null;
  callKey: string | null;
}

export interface InstructionRecord {
  position: 1 | 2;
  text: string;
  promptTemplateId: string;
  callKey: string;
  model: string;
}

export interface JudgementRecord {
  position: 1 | 2;
  quality: number | null;
  difficulty: number | null;
  relevance: number | null;
  mentionsDetails: boolean | null;
  valid: boolean;
  failureReason: string | null;
  rawOutput: string;
  promptTemplateId: string;
  callKey: string;
  model: string;
  attempts: number;
}

export interface SelectionRecord {
  keptPosition: 1 | 2 | null;
  rule: Algorithm1Rule;
  seed: string;
  draw: number | null;
  tier: "common" | "complex" | null;
}

export type ResponseKind = "answer1" | "answer2" | "reasoning" | "direct";

export interface ResponseRecord {
  kind: ResponseKind;
  text: string;
  thought: string | null;
  summarization: string | null;
  rewardScore: number | null;
  chosen: boolean;
  rawOutput: string;
  promptTemplateId: string;
  callKey: string;
  rewardCallKey: string | null;
  model: string;
}

export interface LabelRecord {
  level: "primary" | "secondary";
  department: string | null;
  rawAnswer: string;
  promptTemplateId: string;
  callKey: string;
  model: string;
  /** exp(mean token logprob) of the raw answer, in (0, 1]; null when the server returned no logprobs. */
  confidence: number | null;
}
