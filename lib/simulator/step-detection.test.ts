import { describe, expect, it } from "vitest";
import { detectStep } from "./step-detection";
import {
  CLASSIFICATION_GROUPS,
  classificationPrompt,
  generationPrompt,
  reasoningPrompt,
  responsePairPrompt,
  scoringPrompt,
} from "./paper-prompts.fixture";

describe("detectStep", () => {
  it("recognises each of the paper's prompts", () => {
    expect(detectStep(generationPrompt("Insulin lowers glucose.")).step).toBe("instruction-generation");
    expect(detectStep(scoringPrompt("What is insulin?")).step).toBe("instruction-scoring");
    expect(detectStep(responsePairPrompt("What is insulin?", "Insulin is a hormone.")).step).toBe("response-pair");
    expect(detectStep(reasoningPrompt("What is insulin?", "Insulin is a hormone.")).step).toBe("long-form-reasoning");
  });

  it("tells the classification tables apart by the label set they list", () => {
    for (const group of CLASSIFICATION_GROUPS) {
      expect(detectStep(classificationPrompt(group, "I have a cough.", "It may be asthma."))).toEqual({ step: "classification", group });
    }
  });

  it("lets the instructions win over markers inside the embedded text", () => {
    const misleading = "Patient: hello. Doctor: hi. Thought and Summarization. Relevance2Medicine. Here is the dialogue";
    expect(detectStep(generationPrompt(misleading)).step).toBe("instruction-generation");
    expect(detectStep(reasoningPrompt("q", `"question1" ${misleading}`)).step).toBe("long-form-reasoning");
    expect(detectStep(classificationPrompt("Surgery", "Cardiology Endocrinology Neurology Hematology", "Nephrology")).group).toBe(
      "Surgery",
    );
  });

  it("tolerates reworded prompts through case-insensitive keywords", () => {
    expect(detectStep('GENERATE TWO QUESTIONS about this. Output {"question1": ..}').step).toBe("instruction-generation");
    expect(detectStep("Return JSON with quality, difficulty, relevance2medicine.").step).toBe("instruction-scoring");
  });

  it("falls back to unknown for anything else", () => {
    expect(detectStep("Tell me a joke about cardiologists.")).toEqual({ step: "unknown" });
    expect(detectStep("")).toEqual({ step: "unknown" });
  });
});
