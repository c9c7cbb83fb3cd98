import { describe, expect, it } from "vitest";
import {
  classificationDialogue,
  parsePrimaryClassification,
  parseSecondaryClassification,
  primaryClassificationPrompt,
  secondaryClassificationPrompt,
  secondaryClassificationTemplate,
} from "./classification";
import { defaultPrompt, type PromptTemplate } from "./prompts";

const dialogue = classificationDialogue("  What causes chest pain on exertion? ", "Stable angina is a common cause...\n");

describe("classification", () => {
  it("builds the Patient/Doctor dialogue of Tables 7–13", () => {
    expect(dialogue).toEqual({ instruction: "What causes chest pain on exertion?", response: "Stable angina is a common cause..." });
    const prompt = primaryClassificationPrompt(dialogue);
    expect(prompt).toContain("Patient: What causes chest pain on exertion?\n\nDoctor: Stable angina is a common cause...\n\nOutput:");
    expect(prompt.endsWith("Output:")).toBe(true);
  });

  it("refuses an empty side of the dialogue", () => {
    expect(() => classificationDialogue(" ", "x")).toThrow(/instruction/);
    expect(() => classificationDialogue("x", "")).toThrow(/response/);
  });

  it("picks the secondary prompt of the chosen primary", () => {
    expect(secondaryClassificationPrompt("Internal Medicine", dialogue)).toContain("which specific department within Internal Medicine");
    expect(secondaryClassificationPrompt("Otorhinolaryngology", dialogue)).toContain("Dentistry (Oral Medicine): Deals with issues");
    expect(secondaryClassificationPrompt("Other Departments", dialogue)).toContain("Traditional Chinese Medicine (TCM): Uses");
  });

  it("uses a run's stored template when given, and fails when it lacks the key", () => {
    const custom: PromptTemplate = {
      ...defaultPrompt("secondary-classification:Surgery"),
      version: 2,
      template: "Classify: {{instruction}} / {{response}}",
    };
    expect(secondaryClassificationTemplate("Surgery", [custom])).toBe(custom);
    expect(secondaryClassificationPrompt("Surgery", dialogue, [custom])).toBe(
      "Classify: What causes chest pain on exertion? / Stable angina is a common cause...",
    );
    expect(() => secondaryClassificationTemplate("Pediatrics", [custom])).toThrow(/secondary-classification:Pediatrics/);
  });

  it("maps the classifier's answers through the taxonomy", () => {
    expect(parsePrimaryClassification("Internal Medicine.")).toEqual({
      ok: true,
      department: "Internal Medicine",
      raw: "Internal Medicine.",
    });
    expect(parseSecondaryClassification("Internal Medicine", "cardiology")).toEqual({
      ok: true,
      department: "Cardiology",
      raw: "cardiology",
    });
    expect(parseSecondaryClassification("Internal Medicine", "None")).toEqual({ ok: true, department: null, raw: "None" });
    expect(parseSecondaryClassification("Internal Medicine", "Urology").ok).toBe(false);
  });
});
