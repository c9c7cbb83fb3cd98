import { createHash } from "node:crypto";
import { PRIMARY_DEPARTMENTS, type PrimaryDepartment } from "../taxonomy/paper-departments";

// Default prompts, reproduced from the paper's Appendix A (Tables 4–6) and D (Tables 7–13).
// The source is a PDF-to-text extraction, so these edits were made and nothing else:
// - lines wrapped by the PDF layout are joined; line breaks the tables show are kept;
//   words hyphenated by the layout are rejoined ("rehabilita-tion"), real hyphens kept ("sub-department");
// - OCR misreads fixed: "answerl" → "answer1" (Table 6 JSON key), "aMedClsnswer" → "answer",
//   "3—4" → "3-4" (every other range in Table 5 uses "-"), the garbled quotes around None → 'None';
// - in Tables 7–13 the blank line between two department entries, dropped by the extraction
//   after some entries, is restored so every entry is separated alike;
// - in Table 6 (first) "} Here is the question:" was one line; the line break is restored.
// Table 11 ends without the "Output:" line the other classification tables have; the paper's
// text is kept as is. Placeholders {text}/{instruction}/{response} become {{text}} etc.

export type PromptRole = "generator" | "judge" | "reasoner" | "classifier";

export type SecondaryClassificationKey = `secondary-classification:${PrimaryDepartment}`;

export type PromptKey =
  | "instruction-generation"
  | "instruction-judgement"
  | "common-answers"
  | "complex-reasoning"
  | "direct-answer"
  | "primary-classification"
  | SecondaryClassificationKey;

export interface PromptTemplate {
  key: PromptKey;
  version: number;
  role: PromptRole;
  /** Where the text comes from, for a curator comparing it with the paper. */
  source: string;
  template: string;
}

const INSTRUCTION_GENERATION = `You need to generate two questions based on the given text content. These questions can be open-ended, detail-oriented, or related to a broader discussion of the content, but avoid relying on specific case details from the text. Follow these requirements:
Requirements:
1. Make sure the questions are closely related to the main points or themes mentioned in the text.
2. Ensure the two questions are as diverse as possible, avoiding homogeneity.
3. Ensure the questions include all the information needed for the answers. If necessary, add introductory information to the questions.
4. Avoid repetitive or overly simplistic questions, ensuring diversity and depth.
5. The questions must be self-contained and should not require the provided text as background to be understood.
Please rewrite the following text into related questions, and strictly follow the format below for output:
{
"question1": "Generated first question",
"question2": "Generated second question"
}
Here is the sample text:
{{text}}`;

const INSTRUCTION_JUDGEMENT = `You need to evaluate the given query based on the following criteria and output the results in JSON format. The output should include three parts: quality, difficulty, and whether additional necessary information is required to answer the query. Please follow the scoring standards below:
1. Quality (Score 1-10): Assess the clarity and accuracy of the query. If the query is a simple statement without any question or instruction, score it 1-2.
9-10: Very clear, accurate expression, no ambiguity.
7-8: Clear, accurate expression, but may have minimal ambiguity.
5-6: Fairly clear, generally accurate expression, but some ambiguity exists.
3-4: Not very clear, somewhat vague expression, with obvious ambiguity.
1-2: Unclear, very vague expression, difficult to understand or a simple statement.
2. Difficulty (Score 1-10): Assess the difficulty of understanding and answering the query.
9-10: Very difficult, requires specialized knowledge and complex analysis to answer.
7-8: Quite difficult, requires some specialized knowledge and analysis.
5-6: Moderate difficulty, requires general knowledge and analysis.
3-4: Fairly simple, can be answered with basic knowledge.
1-2: Very simple, no special knowledge required to answer.
3. Relevance to medicine (1-6): Assess the medical relevance of the query.
5-6: Completely related to medicine, with many medical terms appearing.
3-4: Related to medicine, the content involves medical fields.
1-2: Very weak medical relevance.
4. Mention specific details: Whether specific case details in the text are mentioned.
Please strictly follow the format below for output:
{
"quality": 1-10,
"difficulty": 1-10,
"Relevance2Medicine": 1-6,
"MentionSpecificDetails": "True"/"False"
}
Please evaluate the following query:
{{instruction}}`;

const COMMON_ANSWERS = `You need to generate two different styles of answers based on the given question. Use the background information provided in the text to assist in formulating a relevant and detailed answer. Follow these answer guidelines:
1. Ensure the answer is closely related to the main points or themes mentioned in the question.
2. Utilize the text content to provide a comprehensive and accurate answer.
3. Ensure proper formatting and readability, including the correct rendering of any LaTeX or mathematical symbols.
4. Ensure that the answer provides a complete solution or explanation, with clear and detailed steps.
5. Please strictly follow the format below for output:
{
"answer1": "Generated first answer content",
"answer2": "Generated second answer content"
}
Here is the question:
{{instruction}}
Here is the text:
{{text}}`;

const COMPLEX_REASONING = `You need to generate an answer based on the given problem and thoroughly explore the problem through a systematic and long-term thinking process to provide a final and accurate solution. This requires a comprehensive cycle of analysis, summary, exploration, re-evaluation, reflection, backtracking and iteration to form a thoughtful thinking process. Use the background information provided in the text to assist in formulating the answer. Follow these answer guidelines:

1. Please structure your response into two main sections: Thought and Summarization.

2. During the thinking phase, think step by step based on the given text content. If the text content is used, it must be expressed.
3. During the summary phase, based on the thinking process in the thinking phase, give the final answer to the question.

Here is the question:

{{instruction}}

Here is the text:

{{text}}`;

const DIALOGUE_TAIL = `Please choose the most appropriate department from the list above and output only the department name, without any additional explanation.

Here is the dialogue:

Patient: {{instruction}}

Doctor: {{response}}`;

const PRIMARY_CLASSIFICATION = `You are a professional doctor who can classify a dialogue. Please read the following dialogue and determine which hospital department it belongs to based on its main content. The available department categories and their brief descriptions are as follows:

Internal Medicine: Diseases related to internal organs, such as heart disease, stomach problems, diabetes, etc.

Surgery: Diseases treated with surgical interventions, such as fractures, tumor removal, etc.

Obstetrics and Gynecology: Diseases and health issues related to the female reproductive system, pregnancy, and childbirth.

Pediatrics: Health and disease issues related to children.

Otorhinolaryngology (ENT): Diseases related to the ears, nose, throat, eyes, and oral cavity.

Other Departments: Diseases or issues that do not fall under any of the above departments.

${DIALOGUE_TAIL}

Output:`;

const INTERNAL_MEDICINE_CLASSIFICATION = `You are a professional doctor who can classify a dialogue. Please read the following dialogue and determine which specific department within Internal Medicine it belongs to based on its content. The available department categories and their brief descriptions are as follows:

Respiratory and Critical Care Medicine: Treats respiratory system diseases such as asthma, pneumonia, chronic obstructive pulmonary disease (COPD), and provides care for critically ill patients.

Cardiology: Covers diseases related to the heart and blood vessels, such as hypertension, coronary artery disease, arrhythmias, etc.

Endocrinology: Focuses on diseases related to endocrine glands, such as diabetes, thyroid disorders, metabolic disorders, etc.

Gastroenterology: Involves diseases of the digestive system, such as gastric ulcers, hepatitis, enteritis, etc.

Hematology: Addresses blood-related diseases, such as anemia, leukemia, lymphoma, etc.

Nephrology: Involves kidney diseases, such as nephritis, renal failure, uremia, etc.

Rheumatology and Immunology: Deals with rheumatic diseases and immune system disorders, such as rheumatoid arthritis, systemic lupus erythematous, etc.

Neurology: Focuses on diseases of the nervous system, such as stroke, epilepsy, Parkinson’s disease, etc.

If the dialogue content does not pertain to any of the above departments, please output 'None'.

${DIALOGUE_TAIL}

Output:`;

const SURGERY_CLASSIFICATION = `You are a professional doctor who can classify a dialogue. Please read the following dialogue and determine which specific department within Surgery it belongs to based on its content. The available department categories and their brief descriptions are as follows:

Gastrointestinal Surgery: Mainly involves surgical issues of the digestive system, such as stomach cancer, intestinal obstruction, etc.

Hepatobiliary Surgery: Primarily involves surgical issues related to the liver, gallbladder, and pancreas, such as liver cancer, cholecystitis, pancreatic tumors, etc.

Urology: Involves surgical issues of the urinary system, such as kidney stones, bladder tumors, benign prostatic hyperplasia, etc.

Cardiovascular Surgery: Focuses on surgical diseases of the heart and major blood vessels, such as heart valve disease, aortic aneurysm, etc.

Thoracic Surgery: Covers surgical procedures involving chest organs (lungs, esophagus, etc.), such as lung cancer and esophageal cancer.

Orthopedic Surgery: Involves surgical diseases of bones, joints, and related structures, such as fractures, arthritis, herniated discs, etc.

Neurosurgery: Handles surgical issues of the central and peripheral nervous systems, such as brain tumors, cerebral hemorrhage, spinal stenosis, etc.

Burns and Plastic Surgery: Primarily responsible for burn treatment and plastic surgery procedures, such as burn scar repair and facial reconstruction, etc.

Thyroid Surgery: Deals with surgical diseases of the thyroid and related glands, such as thyroid nodules and thyroid tumors, etc.

Breast Surgery: Involves surgical treatment of breast diseases, such as breast hyperplasia and breast cancer.

If the dialogue content does not pertain to any of the above departments, please output 'None'.

${DIALOGUE_TAIL}

Output:`;

const OBSTETRICS_GYNECOLOGY_CLASSIFICATION = `You are a professional doctor who can classify a dialogue. Please read the following dialogue and determine which sub-department within Obstetrics and Gynecology it belongs to based on its content. The available sub-departments and their brief descriptions are as follows:

Gynecology: Covers diseases and health issues related to the female reproductive system, such as menstrual disorders, infertility, uterine diseases, etc.

Obstetrics: Involves pregnancy, childbirth, and postpartum care, such as pregnancy health management, delivery processes, and postpartum recovery.

If the dialogue content does not pertain to any of the above sub-departments, please output 'None'.

${DIALOGUE_TAIL}

Output:`;

const PEDIATRICS_CLASSIFICATION = `You are a professional doctor who can classify a dialogue. Please read the following dialogue and determine which specific department within Pediatrics it belongs to based on its content. The available sub-departments and their brief descriptions are as follows:

Pediatric Internal Medicine: Involves the diagnosis and treatment of internal diseases in children, including respiratory diseases, digestive system diseases, endocrine disorders, etc., such as colds, asthma, gastrointestinal issues, etc.

Pediatric Surgery: Involves the diagnosis and treatment of surgical diseases in children, including trauma, congenital deformities, urinary system issues, etc., such as fractures, hernias, etc.

If the dialogue content does not pertain to any of the above sub-departments, please output 'None'.

${DIALOGUE_TAIL}`;

const OTORHINOLARYNGOLOGY_CLASSIFICATION = `You are a professional doctor who can classify a dialogue. Please read the following dialogue and determine which specific department within Otorhinolaryngology (ENT) it belongs to based on its content. The available sub-departments and their brief descriptions are as follows:

Otorhinolaryngology (ENT): Involves diseases and issues related to the ears, nose, and throat, such as tinnitus, nasal congestion, sore throat, etc.

Ophthalmology: Focuses on eye health issues, such as blurred vision, eye pain, dry eye, etc.

Dentistry (Oral Medicine): Deals with issues related to the mouth, teeth, gums, etc., such as toothaches, mouth ulcers, gum bleeding, etc.

If the dialogue content does not pertain to any of the above sub-departments, please output 'None'.

${DIALOGUE_TAIL}

Output:`;

const OTHER_DEPARTMENTS_CLASSIFICATION = `You are a professional doctor who can classify a dialogue. Please read the following dialogue and determine which hospital department it belongs to based on its main content. The available department categories and their brief descriptions are as follows:

Dermatology and Venereology: Primarily deals with skin diseases, sexually transmitted diseases, and related skin issues.

Rehabilitation Medicine: Focuses on restoring patients’ physical functions, treating sports injuries, and post-surgical rehabilitation.

Anesthesiology: Mainly responsible for anesthesia management during surgeries, including general anesthesia and local anesthesia.

Traditional Chinese Medicine (TCM): Uses traditional Chinese medicine theories and methods to treat diseases, including acupuncture, herbal medicine, and massage (Tui Na).

If the dialogue content does not pertain to any of the above departments, please output 'None'.

${DIALOGUE_TAIL}

Output:`;

const SECONDARY_TEMPLATES: Record<PrimaryDepartment, { source: string; template: string }> = {
  "Internal Medicine": { source: "Table 8", template: INTERNAL_MEDICINE_CLASSIFICATION },
  Surgery: { source: "Table 9", template: SURGERY_CLASSIFICATION },
  "Obstetrics and Gynecology": { source: "Table 10", template: OBSTETRICS_GYNECOLOGY_CLASSIFICATION },
  Pediatrics: { source: "Table 11", template: PEDIATRICS_CLASSIFICATION },
  Otorhinolaryngology: { source: "Table 12", template: OTORHINOLARYNGOLOGY_CLASSIFICATION },
  "Other Departments": { source: "Table 13", template: OTHER_DEPARTMENTS_CLASSIFICATION },
};

export function secondaryClassificationKey(primary: PrimaryDepartment): SecondaryClassificationKey {
  return `secondary-classification:${primary}`;
}

export const DEFAULT_PROMPTS: readonly PromptTemplate[] = [
  { key: "instruction-generation", version: 1, role: "generator", source: "Table 4", template: INSTRUCTION_GENERATION },
  { key: "instruction-judgement", version: 1, role: "judge", source: "Table 5", template: INSTRUCTION_JUDGEMENT },
  { key: "common-answers", version: 1, role: "generator", source: "Table 6 (first)", template: COMMON_ANSWERS },
  { key: "complex-reasoning", version: 1, role: "reasoner", source: "Table 6 (second)", template: COMPLEX_REASONING },
  // The paper (§2.1) only says "Qwen generated responses to these complex instructions" for the
  // DPO rejected side and gives no table for it; Table 6's first prompt is the one documented
  // generator answer prompt, so it is reused and its answer1/answer2 JSON parsed the same way.
  {
    key: "direct-answer",
    version: 1,
    role: "generator",
    source: "Table 6 (first), reused: the paper gives no prompt for the direct answer",
    template: COMMON_ANSWERS,
  },
  {
    key: "primary-classification",
    version: 1,
    role: "classifier",
    source: "Table 7",
    template: PRIMARY_CLASSIFICATION,
  },
  ...PRIMARY_DEPARTMENTS.map((primary): PromptTemplate => ({
    key: secondaryClassificationKey(primary),
    version: 1,
    role: "classifier",
    source: SECONDARY_TEMPLATES[primary].source,
    template: SECONDARY_TEMPLATES[primary].template,
  })),
];

export function defaultPrompt(key: PromptKey): PromptTemplate {
  const prompt = DEFAULT_PROMPTS.find((candidate) => candidate.key === key);
  if (!prompt) throw new Error(`no default prompt for key "${key}"`);
  return prompt;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export function templateVariables(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((match) => match[1] ?? ""))];
}

// A missing variable would send a prompt with a literal "{{text}}" to the model and waste a
// paid call on a silently wrong request, so it throws instead.
export function renderPrompt(template: PromptTemplate | string, vars: Readonly<Record<string, string>>): string {
  const text = typeof template === "string" ? template : template.template;
  const missing = templateVariables(text).filter((name) => typeof vars[name] !== "string");
  if (missing.length > 0) {
    throw new Error(`prompt variables missing: ${missing.join(", ")}`);
  }
  // One pass, so a value that itself contains "{{...}}" is inserted literally.
  return text.replace(PLACEHOLDER, (_match, name: string) => vars[name] ?? "");
}

export function templateChecksum(template: PromptTemplate | string): string {
  const text = typeof template === "string" ? template : template.template;
  return createHash("sha256").update(text, "utf8").digest("hex");
}
