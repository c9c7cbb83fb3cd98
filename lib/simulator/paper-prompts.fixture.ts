// Test fixture only: abridged wording of the paper's prompts (Tables 4–13), independent of the product's
// templates in lib/pipeline/prompts.ts, so simulator tests pin the paper's phrasing itself.

export function generationPrompt(text: string): string {
  return `You need to generate two questions based on the given text content. These questions can be open-ended, detail-oriented, or related to a broader discussion of the content, but avoid relying on specific case details from the text.
Please rewrite the following text into related questions, and strictly follow the format below for output:
{
"question1": "Generated first question",
"question2": "Generated second question"
}
Here is the sample text:
${text}`;
}

export function scoringPrompt(instruction: string): string {
  return `You need to evaluate the given query based on the following criteria and output the results in JSON format.
1. Quality (Score 1-10) 2. Difficulty (Score 1-10) 3. Relevance to medicine (1-6) 4. Mention specific details
Please strictly follow the format below for output:
{
"quality": 1-10,
"difficulty": 1-10,
"Relevance2Medicine": 1-6,
"MentionSpecificDetails": "True"/"False"
}
Please evaluate the following query:
${instruction}`;
}

export function responsePairPrompt(instruction: string, text: string): string {
  return `You need to generate two different styles of answers based on the given question. Use the background information provided in the text to assist in formulating a relevant and detailed answer.
5. Please strictly follow the format below for output:
{
"answerl": "Generated first answer content",
"answer2": "Generated second answer content"
} Here is the question:
${instruction}
Here is the text:
${text}`;
}

export function reasoningPrompt(instruction: string, text: string): string {
  return `You need to generate an answer based on the given problem and thoroughly explore the problem through a systematic and long-term thinking process to provide a final and accurate solution.
1. Please structure your response into two main sections: Thought and Summarization.
Here is the question:
${instruction}
Here is the text:
${text}`;
}

const CLASSIFICATION_LISTS: Readonly<Record<string, string>> = {
  primary: `which hospital department it belongs to based on its main content.
Internal Medicine: Diseases related to internal organs, such as heart disease, stomach problems, diabetes, etc.
Surgery: Diseases treated with surgical interventions, such as fractures, tumor removal, etc.
Obstetrics and Gynecology: Diseases and health issues related to the female reproductive system, pregnancy, and childbirth.
Pediatrics: Health and disease issues related to children.
Otorhinolaryngology (ENT): Diseases related to the ears, nose, throat, eyes, and oral cavity.
Other Departments: Diseases or issues that do not fall under any of the above departments.`,
  "Internal Medicine": `which specific department within Internal Medicine it belongs to based on its content.
Respiratory and Critical Care Medicine: asthma. Cardiology: hypertension. Endocrinology: diabetes. Gastroenterology: hepatitis.
Hematology: anemia. Nephrology: nephritis. Rheumatology and Immunology: lupus. Neurology: stroke.`,
  Surgery: `which specific department within Surgery it belongs to based on its content.
Gastrointestinal Surgery, Hepatobiliary Surgery, Urology, Cardiovascular Surgery, Thoracic Surgery, Orthopedic Surgery,
Neurosurgery, Burns and Plastic Surgery, Thyroid Surgery, Breast Surgery.`,
  "Obstetrics and Gynecology": `which sub-department within Obstetrics and Gynecology it belongs to based on its content.
Gynecology: menstrual disorders. Obstetrics: pregnancy, childbirth and postpartum care.`,
  Pediatrics: `which specific department within Pediatrics it belongs to based on its content.
Pediatric Internal Medicine: colds, asthma. Pediatric Surgery: fractures, hernias.`,
  Otorhinolaryngology: `which specific department within Otorhinolaryngology (ENT) it belongs to based on its content.
Otorhinolaryngology (ENT): tinnitus. Ophthalmology: blurred vision. Dentistry (Oral Medicine): toothaches.`,
  "Other Departments": `which hospital department it belongs to based on its main content.
Dermatology and Venereology: skin diseases. Rehabilitation Medicine: post-surgical rehabilitation.
Anesthesiology: anesthesia management. Traditional Chinese Medicine (TCM): acupuncture, herbal medicine.`,
};

export const CLASSIFICATION_GROUPS = Object.keys(CLASSIFICATION_LISTS);

export function classificationPrompt(group: string, instruction: string, response: string): string {
  return `You are a professional doctor who can classify a dialogue. Please read the following dialogue and determine ${CLASSIFICATION_LISTS[group] ?? ""}
If the dialogue content does not pertain to any of the above departments, please output 'None'.
Please choose the most appropriate department from the list above and output only the department name, without any additional explanation.
Here is the dialogue:
Patient: ${instruction}
Doctor: ${response}
Output:`;
}
