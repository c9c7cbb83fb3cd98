import type { GeneratedInstruction, SelectionView } from "@/lib/samples/sample-detail";

function scoreSum(instruction: GeneratedInstruction | undefined, fields: ("quality" | "difficulty" | "relevance")[]): number | null {
  const judgement = instruction?.judgement;
  if (!judgement) return null;
  let sum = 0;
  for (const field of fields) {
    const value = judgement[field];
    if (value === null) return null;
    sum += value;
  }
  return sum;
}

/** Algorithm 1's decision between the two instructions, as one sentence a curator reads at a glance. */
export function decisionSentence(instructions: GeneratedInstruction[], selection: SelectionView): string {
  const keptIndex = instructions.findIndex((instruction) => instruction.keptByAlgorithm1);
  const kept = keptIndex >= 0 ? ("AB"[keptIndex] ?? String(keptIndex + 1)) : null;
  const other = keptIndex === 0 ? "B" : "A";
  const keptOne = instructions[keptIndex];
  const otherOne = instructions[keptIndex === 0 ? 1 : 0];
  const pair = (fields: ("quality" | "difficulty" | "relevance")[]) => {
    const a = scoreSum(keptOne, fields);
    const b = scoreSum(otherOne, fields);
    return a === null || b === null ? "" : ` (${a} against ${b})`;
  };
  switch (selection.rule) {
    case "details-A":
    case "details-B":
      return `Algorithm 1 kept instruction ${kept ?? "–"}, because instruction ${selection.rule === "details-A" ? "A" : "B"} mentions specific patient details.`;
    case "both-details":
      return "Algorithm 1 kept neither instruction, because both mention specific patient details.";
    case "sum":
      return `Algorithm 1 kept instruction ${kept}: its quality + difficulty + relevance was higher than ${other}'s${pair(["quality", "difficulty", "relevance"])}.`;
    case "quality+difficulty":
      return `Algorithm 1 kept instruction ${kept}: the sums tied, and its quality + difficulty was higher${pair(["quality", "difficulty"])}.`;
    case "quality":
      return `Algorithm 1 kept instruction ${kept}: the sums tied, and its quality was higher${pair(["quality"])}.`;
    case "random":
      return `Algorithm 1 kept instruction ${kept}: every score tied, so a seeded coin flip chose it.`;
    case null:
      return `Algorithm 1 made no decision: the text stopped${selection.failedStage ? ` at ${selection.failedStage}` : ""} before selection.`;
    default:
      return `Algorithm 1 kept ${kept ? `instruction ${kept}` : "neither instruction"} (rule ${selection.rule}).`;
  }
}
