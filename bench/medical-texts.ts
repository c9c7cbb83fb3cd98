import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { seededUniform } from "../lib/vectors/seeded-random";

/**
 * Deterministic medical-sounding texts for benchmarks: the same seed gives the same file on every
 * machine, so runs compare. Sentences are drawn from a vocabulary rather than repeated, so content
 * hashes differ and the deduplicating index does real work; one text in five is Chinese, so the
 * language check sees both scripts.
 */

const TARGET_BYTES = 1_000;

const DRUGS = [
  "metformin",
  "atorvastatin",
  "lisinopril",
  "amlodipine",
  "warfarin",
  "apixaban",
  "insulin glargine",
  "omeprazole",
  "levothyroxine",
  "amoxicillin",
  "ceftriaxone",
  "vancomycin",
  "prednisone",
  "methotrexate",
  "empagliflozin",
  "semaglutide",
];
const CONDITIONS = [
  "type 2 diabetes",
  "hypertension",
  "atrial fibrillation",
  "community-acquired pneumonia",
  "chronic kidney disease",
  "heart failure with reduced ejection fraction",
  "rheumatoid arthritis",
  "hypothyroidism",
  "sepsis",
  "asthma",
  "COPD",
  "ischemic stroke",
  "acute pancreatitis",
  "major depressive disorder",
];
const FINDINGS = [
  "HbA1c",
  "LDL cholesterol",
  "systolic blood pressure",
  "serum creatinine",
  "eGFR",
  "INR",
  "troponin I",
  "C-reactive protein",
  "NT-proBNP",
  "TSH",
  "white cell count",
  "lactate",
];
const OUTCOMES = [
  "all-cause mortality",
  "hospital readmission",
  "major bleeding",
  "length of stay",
  "symptom scores",
  "quality of life",
  "major adverse cardiac events",
  "renal function decline",
];
const DESIGNS = [
  "randomised controlled trial",
  "prospective cohort study",
  "retrospective chart review",
  "case-control study",
  "meta-analysis",
  "cross-sectional survey",
];
const ZH_DRUGS = ["二甲双胍", "阿托伐他汀", "氨氯地平", "华法林", "胰岛素", "奥美拉唑", "左甲状腺素", "阿莫西林", "头孢曲松", "泼尼松"];
const ZH_CONDITIONS = [
  "2型糖尿病",
  "高血压",
  "心房颤动",
  "社区获得性肺炎",
  "慢性肾脏病",
  "心力衰竭",
  "类风湿关节炎",
  "甲状腺功能减退症",
  "脓毒症",
  "哮喘",
];
const ZH_FINDINGS = ["糖化血红蛋白", "低密度脂蛋白胆固醇", "收缩压", "血肌酐", "肾小球滤过率", "国际标准化比值", "肌钙蛋白", "C反应蛋白"];

type Random = () => number;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function between(random: Random, low: number, high: number): number {
  return low + Math.floor(random() * (high - low + 1));
}

function englishSentence(random: Random): string {
  switch (between(random, 0, 4)) {
    case 0:
      return `In a ${pick(random, DESIGNS)} of ${between(random, 40, 9000)} patients with ${pick(random, CONDITIONS)}, ${pick(random, DRUGS)} ${between(random, 5, 1000)} mg daily reduced ${pick(random, OUTCOMES)} by ${between(random, 3, 45)}% over ${between(random, 4, 60)} months.`;
    case 1:
      return `Mean ${pick(random, FINDINGS)} fell from ${(random() * 200).toFixed(1)} to ${(random() * 150).toFixed(1)} after ${between(random, 2, 52)} weeks of treatment (p = ${(random() * 0.05).toFixed(3)}).`;
    case 2:
      return `A ${between(random, 18, 94)}-year-old ${random() < 0.5 ? "man" : "woman"} with ${pick(random, CONDITIONS)} presented with worsening ${pick(random, FINDINGS)} despite ${pick(random, DRUGS)}.`;
    case 3:
      return `Adverse events were reported in ${between(random, 1, 38)}% of the ${pick(random, DRUGS)} group and ${between(random, 1, 38)}% of controls; ${pick(random, OUTCOMES)} did not differ.`;
    default:
      return `Guidelines recommend checking ${pick(random, FINDINGS)} every ${between(random, 1, 12)} months in ${pick(random, CONDITIONS)}, and switching to ${pick(random, DRUGS)} when targets are missed.`;
  }
}

function chineseSentence(random: Random): string {
  switch (between(random, 0, 2)) {
    case 0:
      return `一项纳入${between(random, 40, 9000)}例${pick(random, ZH_CONDITIONS)}患者的研究显示，${pick(random, ZH_DRUGS)}每日${between(random, 5, 1000)}毫克治疗${between(random, 4, 60)}个月后，${pick(random, ZH_FINDINGS)}下降${between(random, 3, 45)}%。`;
    case 1:
      return `患者，${random() < 0.5 ? "男" : "女"}，${between(random, 18, 94)}岁，因${pick(random, ZH_CONDITIONS)}入院，${pick(random, ZH_FINDINGS)}为${(random() * 200).toFixed(1)}，予${pick(random, ZH_DRUGS)}治疗。`;
    default:
      return `指南建议${pick(random, ZH_CONDITIONS)}患者每${between(random, 1, 12)}个月复查${pick(random, ZH_FINDINGS)}，未达标时加用${pick(random, ZH_DRUGS)}。`;
  }
}

/** One text of about TARGET_BYTES UTF-8 bytes; the case number alone would make every text distinct. */
export function medicalText(random: Random, index: number): { text: string; language: "en" | "zh" } {
  const chinese = random() < 0.2;
  const parts = [chinese ? `病例${index}：` : `Case ${index}.`];
  let bytes = Buffer.byteLength(parts[0]!);
  while (bytes < TARGET_BYTES) {
    const sentence = chinese ? chineseSentence(random) : englishSentence(random);
    parts.push(sentence);
    bytes += Buffer.byteLength(sentence) + 1;
  }
  return { text: parts.join(chinese ? "" : " "), language: chinese ? "zh" : "en" };
}

/** Streams `count` JSONL rows ({ id, specialty, text }) to `path`, waiting on the disk rather than buffering. */
export async function writeMedicalTextsJsonl(path: string, count: number, seed: number): Promise<{ bytes: number }> {
  // The projections' seeded generator: wording only needs to vary reproducibly.
  const random: Random = seededUniform(seed);
  const out = createWriteStream(path);
  let bytes = 0;
  let pending: string[] = [];
  let pendingLength = 0;
  for (let index = 0; index < count; index++) {
    const { text, language } = medicalText(random, index);
    const line = `${JSON.stringify({ id: `bench-${index}`, specialty: language === "zh" ? "内科" : "internal medicine", text })}\n`;
    pending.push(line);
    pendingLength += line.length;
    // Writing ~256 KB at a time keeps the stream's per-write overhead out of the generation time.
    if (pendingLength >= 256 * 1024) {
      const chunk = Buffer.from(pending.join(""));
      bytes += chunk.length;
      pending = [];
      pendingLength = 0;
      if (!out.write(chunk)) await once(out, "drain");
    }
  }
  const rest = Buffer.from(pending.join(""));
  bytes += rest.length;
  out.end(rest);
  await once(out, "finish");
  return { bytes };
}
