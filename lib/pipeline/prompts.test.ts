import { describe, expect, it } from "vitest";
import {
  DEFAULT_PROMPTS,
  defaultPrompt,
  renderPrompt,
  secondaryClassificationKey,
  templateChecksum,
  templateVariables,
  type PromptKey,
} from "./prompts";
import { DEPARTMENT_TREE, PRIMARY_DEPARTMENTS } from "../taxonomy/paper-departments";

const KEYS: PromptKey[] = [
  "instruction-generation",
  "instruction-judgement",
  "common-answers",
  "complex-reasoning",
  "direct-answer",
  "primary-classification",
  "secondary-classification:Internal Medicine",
  "secondary-classification:Surgery",
  "secondary-classification:Obstetrics and Gynecology",
  "secondary-classification:Pediatrics",
  "secondary-classification:Otorhinolaryngology",
  "secondary-classification:Other Departments",
];

// Sentences copied from the paper's text (each fits on one line of the extracted PDF).
const PAPER_PHRASES: Array<[PromptKey, string[]]> = [
  [
    "instruction-generation",
    [
      "Ensure the two questions are as diverse as possible, avoiding homogeneity.",
      "5. The questions must be self-contained and should not require the provided text as background to be understood.",
      "Please rewrite the following text into related questions, and strictly follow the format below for output:",
      '"question1": "Generated first question",',
      "Here is the sample text:\n{{text}}",
    ],
  ],
  [
    "instruction-judgement",
    [
      "9-10: Very clear, accurate expression, no ambiguity.",
      "3. Relevance to medicine (1-6): Assess the medical relevance of the query.",
      "4. Mention specific details: Whether specific case details in the text are mentioned.",
      '"Relevance2Medicine": 1-6,',
      '"MentionSpecificDetails": "True"/"False"',
      "Please evaluate the following query:\n{{instruction}}",
    ],
  ],
  [
    "common-answers",
    [
      "You need to generate two different styles of answers based on the given question.",
      "3. Ensure proper formatting and readability, including the correct rendering of any LaTeX or mathematical symbols.",
      '"answer1": "Generated first answer content",',
      '"answer2": "Generated second answer content"',
      "Here is the question:\n{{instruction}}\nHere is the text:\n{{text}}",
    ],
  ],
  [
    "complex-reasoning",
    [
      "This requires a comprehensive cycle of analysis, summary, exploration, re-evaluation, reflection, backtracking and iteration to form a thoughtful thinking process.",
      "1. Please structure your response into two main sections: Thought and Summarization.",
      "3. During the summary phase, based on the thinking process in the thinking phase, give the final answer to the question.",
    ],
  ],
  [
    "primary-classification",
    [
      "You are a professional doctor who can classify a dialogue.",
      "Otorhinolaryngology (ENT): Diseases related to the ears, nose, throat, eyes, and oral cavity.",
      "Other Departments: Diseases or issues that do not fall under any of the above departments.",
      "Patient: {{instruction}}\n\nDoctor: {{response}}\n\nOutput:",
    ],
  ],
  [
    "secondary-classification:Internal Medicine",
    ["Neurology: Focuses on diseases of the nervous system, such as stroke, epilepsy, Parkinson’s disease, etc."],
  ],
  [
    "secondary-classification:Surgery",
    ["Urology: Involves surgical issues of the urinary system, such as kidney stones, bladder tumors, benign prostatic hyperplasia, etc."],
  ],
  ["secondary-classification:Obstetrics and Gynecology", ["determine which sub-department within Obstetrics and Gynecology"]],
  ["secondary-classification:Pediatrics", ["Pediatric Surgery: Involves the diagnosis and treatment of surgical diseases in children"]],
  [
    "secondary-classification:Otorhinolaryngology",
    ["Ophthalmology: Focuses on eye health issues, such as blurred vision, eye pain, dry eye, etc."],
  ],
  [
    "secondary-classification:Other Departments",
    [
      "Rehabilitation Medicine: Focuses on restoring patients’ physical functions, treating sports injuries, and post-surgical rehabilitation.",
    ],
  ],
];

describe("default prompts", () => {
  it("has exactly one version-1 template per key", () => {
    expect(DEFAULT_PROMPTS.map((prompt) => prompt.key)).toEqual(KEYS);
    for (const prompt of DEFAULT_PROMPTS) expect(prompt.version).toBe(1);
  });

  it("assigns the paper's model role to each prompt", () => {
    expect(defaultPrompt("instruction-generation").role).toBe("generator");
    expect(defaultPrompt("instruction-judgement").role).toBe("judge");
    expect(defaultPrompt("common-answers").role).toBe("generator");
    expect(defaultPrompt("complex-reasoning").role).toBe("reasoner");
    expect(defaultPrompt("direct-answer").role).toBe("generator");
    for (const key of KEYS.filter((k) => k.includes("classification"))) expect(defaultPrompt(key).role).toBe("classifier");
  });

  it.each(PAPER_PHRASES)("%s contains the paper's sentences", (key, phrases) => {
    const { template } = defaultPrompt(key);
    for (const phrase of phrases) expect(template).toContain(phrase);
  });

  it("reproduces Table 4 in full", () => {
    expect(defaultPrompt("instruction-generation").template).toBe(
      [
        "You need to generate two questions based on the given text content. These questions can be open-ended, detail-oriented, or related to a broader discussion of the content, but avoid relying on specific case details from the text. Follow these requirements:",
        "Requirements:",
        "1. Make sure the questions are closely related to the main points or themes mentioned in the text.",
        "2. Ensure the two questions are as diverse as possible, avoiding homogeneity.",
        "3. Ensure the questions include all the information needed for the answers. If necessary, add introductory information to the questions.",
        "4. Avoid repetitive or overly simplistic questions, ensuring diversity and depth.",
        "5. The questions must be self-contained and should not require the provided text as background to be understood.",
        "Please rewrite the following text into related questions, and strictly follow the format below for output:",
        "{",
        '"question1": "Generated first question",',
        '"question2": "Generated second question"',
        "}",
        "Here is the sample text:",
        "{{text}}",
      ].join("\n"),
    );
  });

  it("lists in each secondary prompt exactly the secondary departments of its primary", () => {
    const allSecondaries = PRIMARY_DEPARTMENTS.flatMap((p) => [...DEPARTMENT_TREE[p]]);
    for (const primary of PRIMARY_DEPARTMENTS) {
      const { template } = defaultPrompt(secondaryClassificationKey(primary));
      const listed = allSecondaries.filter((name) => template.includes(`\n${name}: `));
      expect(listed).toEqual([...DEPARTMENT_TREE[primary]]);
      expect(template).toContain("please output 'None'.");
    }
  });

  it("uses the variables each table names, and no leftover OCR artefacts", () => {
    expect(templateVariables(defaultPrompt("instruction-generation").template)).toEqual(["text"]);
    expect(templateVariables(defaultPrompt("instruction-judgement").template)).toEqual(["instruction"]);
    expect(templateVariables(defaultPrompt("common-answers").template)).toEqual(["instruction", "text"]);
    expect(templateVariables(defaultPrompt("complex-reasoning").template)).toEqual(["instruction", "text"]);
    for (const key of KEYS.filter((k) => k.includes("classification"))) {
      expect(templateVariables(defaultPrompt(key).template)).toEqual(["instruction", "response"]);
    }
    for (const { template } of DEFAULT_PROMPTS) {
      expect(template).not.toMatch(/answerl|aMedCls|—|\{(text|instruction|response)\}(?!\})/);
      expect(template).not.toMatch(/[a-z]-\n/);
    }
  });

  it("reuses Table 6's first prompt for the direct answer", () => {
    expect(defaultPrompt("direct-answer").template).toBe(defaultPrompt("common-answers").template);
  });
});

describe("renderPrompt", () => {
  it("fills every placeholder", () => {
    const rendered = renderPrompt(defaultPrompt("common-answers"), { instruction: "What is HbA1c?", text: "HbA1c reflects..." });
    expect(rendered).toContain("Here is the question:\nWhat is HbA1c?\nHere is the text:\nHbA1c reflects...");
    expect(rendered).not.toContain("{{");
  });

  it("throws on a missing variable, naming it", () => {
    expect(() => renderPrompt(defaultPrompt("common-answers"), { instruction: "Q" })).toThrow(/text/);
    expect(() => renderPrompt("{{a}} {{ b }}", {})).toThrow(/a, b/);
  });

  it("inserts values literally, even when they look like placeholders", () => {
    expect(renderPrompt("Q: {{instruction}} T: {{text}}", { instruction: "{{text}}", text: "$& x" })).toBe("Q: {{text}} T: $& x");
  });
});

describe("templateChecksum", () => {
  it("is the sha256 of the template text", () => {
    expect(templateChecksum("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const prompt = defaultPrompt("instruction-judgement");
    expect(templateChecksum(prompt)).toBe(templateChecksum(prompt.template));
  });

  it("tells every default prompt apart except the deliberate reuse", () => {
    const checksums = new Set(DEFAULT_PROMPTS.filter((p) => p.key !== "direct-answer").map(templateChecksum));
    expect(checksums.size).toBe(DEFAULT_PROMPTS.length - 1);
    expect(templateChecksum(defaultPrompt("instruction-generation").template + " ")).not.toBe(
      templateChecksum(defaultPrompt("instruction-generation")),
    );
  });
});
