import { PRIMARY_DEPARTMENTS, SECONDARY_DEPARTMENTS, type PrimaryDepartment } from "./departments";

// The simulator must answer whatever prompt templates lib/pipeline ships without importing them, so it
// recognises a step by phrases of the paper's prompts (Tables 4–13). Prompts carry their instructions
// before the embedded source text, so the step whose marker appears EARLIEST wins: a web text that
// happens to mention "Summarization" or "Doctor:" cannot outrank the instructions above it.

export type SimStep =
  | "instruction-generation" // Table 4
  | "instruction-scoring" // Table 5
  | "response-pair" // Table 6, first prompt
  | "long-form-reasoning" // Table 6, second prompt
  | "classification" // Tables 7–13
  | "unknown";

export const SIM_STEPS: readonly SimStep[] = [
  "instruction-generation",
  "instruction-scoring",
  "response-pair",
  "long-form-reasoning",
  "classification",
  "unknown",
];

/** Lower-case markers per step; any one of them identifies the step. */
export const STEP_MARKERS: Readonly<Record<Exclude<SimStep, "unknown">, readonly string[]>> = {
  "instruction-generation": ['"question1"', "question1", "generate two questions", "rewrite the following text into related questions"],
  "instruction-scoring": [
    "relevance2medicine",
    "mentionspecificdetails",
    "evaluate the given query",
    "please evaluate the following query",
  ],
  "response-pair": ['"answer1"', '"answerl"', "two different styles of answers", "answer2"],
  "long-form-reasoning": ["long-term thinking process", "thought and summarization", "two main sections", "long-form reasoning"],
  classification: ["classify a dialogue", "department it belongs to", "which hospital department", "here is the dialogue"],
};

export type ClassificationGroup = "primary" | PrimaryDepartment;

export interface DetectedStep {
  step: SimStep;
  /** For classification: which label set the prompt offers (Table 7 = "primary", Tables 8–13 = a group). */
  group?: ClassificationGroup;
}

export function detectStep(prompt: string): DetectedStep {
  const lower = prompt.toLowerCase();
  let step: SimStep = "unknown";
  let earliest = Number.POSITIVE_INFINITY;
  for (const [candidate, markers] of Object.entries(STEP_MARKERS) as [Exclude<SimStep, "unknown">, readonly string[]][]) {
    for (const marker of markers) {
      const at = lower.indexOf(marker);
      if (at !== -1 && at < earliest) {
        earliest = at;
        step = candidate;
      }
    }
  }
  if (step !== "classification") return { step };
  return { step, group: detectClassificationGroup(prompt) };
}

/** Instruction part of a classification prompt: everything before the dialogue it embeds. */
export function classificationInstructions(prompt: string): string {
  const lower = prompt.toLowerCase();
  const cut = lower.indexOf("here is the dialogue");
  if (cut !== -1) return prompt.slice(0, cut);
  const patient = prompt.indexOf("Patient:");
  return patient === -1 ? prompt : prompt.slice(0, patient);
}

// Each table lists its label set verbatim, so the group whose names are most completely present is the
// one offered; case-sensitive so "post-surgical" does not count as "Surgery".
function detectClassificationGroup(prompt: string): ClassificationGroup {
  const instructions = classificationInstructions(prompt);
  let best: ClassificationGroup = "primary";
  let bestCoverage = coverage(instructions, PRIMARY_DEPARTMENTS);
  for (const group of PRIMARY_DEPARTMENTS) {
    const names = SECONDARY_DEPARTMENTS[group].map((d) => d.name);
    const groupCoverage = coverage(instructions, names);
    if (groupCoverage > bestCoverage) {
      best = group;
      bestCoverage = groupCoverage;
    }
  }
  return best;
}

function coverage(text: string, names: readonly string[]): number {
  let present = 0;
  for (const name of names) if (text.includes(name)) present++;
  return names.length === 0 ? 0 : present / names.length;
}
