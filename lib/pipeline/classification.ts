import { defaultPrompt, renderPrompt, secondaryClassificationKey, type PromptTemplate } from "./prompts";
import {
  mapPrimaryAnswer,
  mapSecondaryAnswer,
  type DepartmentMapping,
  type PrimaryDepartment,
  type SecondaryDepartment,
} from "../taxonomy/paper-departments";

// Classification (paper §2.2, Appendix D) runs in two steps on the finished dialogue: Table 7
// picks the primary department, then that department's own table (8–13) picks the secondary.

/** The dialogue Tables 7–13 show the classifier: the instruction as Patient, the response as Doctor. */
export interface ClassificationDialogue {
  instruction: string;
  response: string;
}

export function classificationDialogue(instruction: string, response: string): ClassificationDialogue {
  const dialogue = { instruction: instruction.trim(), response: response.trim() };
  if (!dialogue.instruction) throw new Error("classification dialogue needs a non-empty instruction");
  if (!dialogue.response) throw new Error("classification dialogue needs a non-empty response");
  return dialogue;
}

export function primaryClassificationPrompt(
  dialogue: ClassificationDialogue,
  template: PromptTemplate = defaultPrompt("primary-classification"),
): string {
  return renderPrompt(template, { instruction: dialogue.instruction, response: dialogue.response });
}

/** The secondary template for a primary department, from the given set (a run's stored versions) or the defaults. */
export function secondaryClassificationTemplate(primary: PrimaryDepartment, templates?: readonly PromptTemplate[]): PromptTemplate {
  const key = secondaryClassificationKey(primary);
  if (!templates) return defaultPrompt(key);
  const template = templates.find((candidate) => candidate.key === key);
  if (!template) throw new Error(`no prompt template "${key}"`);
  return template;
}

export function secondaryClassificationPrompt(
  primary: PrimaryDepartment,
  dialogue: ClassificationDialogue,
  templates?: readonly PromptTemplate[],
): string {
  return renderPrompt(secondaryClassificationTemplate(primary, templates), {
    instruction: dialogue.instruction,
    response: dialogue.response,
  });
}

export function parsePrimaryClassification(raw: string): DepartmentMapping<PrimaryDepartment> {
  return mapPrimaryAnswer(raw);
}

export function parseSecondaryClassification(primary: PrimaryDepartment, raw: string): DepartmentMapping<SecondaryDepartment | null> {
  return mapSecondaryAnswer(primary, raw);
}
