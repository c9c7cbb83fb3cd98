import { INJECTION_PAYLOADS, SCRIPT_PAYLOADS, TEXT_PAYLOADS } from "../../lib/simulator/injection-payloads";

// The hostile corpus of the untrusted-content browser test: real-looking medical passages, each with
// one payload inside, plus a text of about 1 MB. The same payloads the simulator plants in model
// outputs (lib/simulator/injection-payloads.ts), so texts, instructions and answers all carry them.

export { INJECTION_PAYLOADS, SCRIPT_PAYLOADS, TEXT_PAYLOADS };

const PASSAGES = [
  "Metformin remains the first-line therapy for type 2 diabetes in adults without contraindications, lowering HbA1c and cardiovascular risk.",
  "Beta blockers reduce mortality after myocardial infarction and are continued in patients with reduced ejection fraction heart failure.",
  "Inhaled corticosteroids decrease exacerbations in persistent asthma; adherence and inhaler technique determine much of their benefit.",
  "Iron deficiency anemia in adults warrants a search for gastrointestinal blood loss, especially in men and postmenopausal women.",
  "Early laparoscopic cholecystectomy for acute cholecystitis shortens hospital stay compared with delayed surgery.",
  "Anticoagulation in atrial fibrillation is guided by stroke risk scores weighed against the patient's bleeding risk.",
];

/** A hostile corpus as JSONL lines: every payload in a passage, and a ~1 MB text. */
export function injectionCorpusLines(): string[] {
  const lines = INJECTION_PAYLOADS.map((payload, index) =>
    JSON.stringify({
      id: `payload-${index}`,
      text: `${PASSAGES[index % PASSAGES.length]} ${payload} Follow-up showed improvement in ${index + 1} of ${index + 3} patients.`,
    }),
  );
  // Just under the importer's 1,000,000-byte text limit, with payloads spread through it.
  const filler = PASSAGES.join(" ");
  let huge = "";
  let n = 0;
  while (huge.length < 990_000) huge += `${filler} ${INJECTION_PAYLOADS[n++ % INJECTION_PAYLOADS.length]} `;
  lines.push(JSON.stringify({ id: "payload-huge", text: huge.slice(0, 990_000) }));
  return lines;
}
