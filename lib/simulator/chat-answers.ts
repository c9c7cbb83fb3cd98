import {
  isDepartmentTerm,
  PRIMARY_DEPARTMENTS,
  SECONDARY_DEPARTMENTS,
  votePrimary,
  voteWithinGroup,
  type PrimaryDepartment,
} from "./departments";
import { combineHash, fnv1a, unitInterval, type SeededRandom } from "./determinism";
import type { ClassificationGroup, DetectedStep } from "./step-detection";
import { salientWords, sectionAfter, wordTokens } from "./text-features";

// Fake but plausibly shaped model outputs, one builder per pipeline step. They reuse words of the prompt
// so downstream parsing, dedup and projection see realistic variety instead of constant strings.

export interface AnswerContext {
  prompt: string;
  /** The caller asked for JSON via response_format, so a real server would not wrap it in code fences. */
  jsonRequested: boolean;
  random: SeededRandom;
}

/** An answer and how sure the fake model was of it: the per-token probability its logprobs centre on. */
export interface ScoredAnswer {
  content: string;
  certainty: number;
}

// Generative steps have no single right answer, so their tokens sit at a middling-high probability.
const GENERATIVE_CERTAINTY = 0.85;

export function buildAnswer(detected: DetectedStep, context: AnswerContext): string {
  return buildScoredAnswer(detected, context).content;
}

export function buildScoredAnswer(detected: DetectedStep, context: AnswerContext): ScoredAnswer {
  const generative = (content: string): ScoredAnswer => ({ content, certainty: GENERATIVE_CERTAINTY });
  switch (detected.step) {
    case "instruction-generation":
      return generative(generationAnswer(context));
    case "instruction-scoring":
      return generative(scoringAnswer(context));
    case "response-pair":
      return generative(responsePairAnswer(context));
    case "long-form-reasoning":
      return generative(reasoningAnswer(context));
    case "classification":
      return classificationAnswer(context, detected.group ?? "primary");
    case "unknown":
      return generative(fallbackAnswer(context));
  }
}

/**
 * OpenAI-shaped logprobs for `content`, one token per whitespace-delimited word (trailing space kept,
 * so the tokens concatenate back to the content). Each token's logprob is ln(certainty) with a small
 * deterministic jitter, so exp(mean logprob) lands near `certainty`. Only built when a request asks.
 */
export function tokenLogprobs(content: string, certainty: number, hash: number, top: number): { content: unknown[] } {
  const base = Math.log(Math.min(Math.max(certainty, 1e-6), 1));
  const tokens = content.match(/\s*\S+\s*/g) ?? [];
  return {
    content: tokens.map((token, position) => {
      const jitter = (unitInterval(combineHash(fnv1a(token, hash), position)) - 0.5) * 0.3;
      const logprob = Math.min(0, Math.round((base + jitter) * 1e6) / 1e6);
      return { token, logprob, top_logprobs: top > 0 ? [{ token, logprob }] : [] };
    }),
  };
}

const FALLBACK_TOPICS = ["chronic inflammation", "medication adherence", "early diagnosis", "preventive care", "clinical outcomes"];

// A model asked about a text names its key medical concepts first, then its other frequent words.
function topics(text: string, count: number, random: SeededRandom): string[] {
  const candidates = salientWords(text, Number.POSITIVE_INFINITY).map((word) => ({ word, term: isDepartmentTerm(word) }));
  const words = [...candidates.filter((c) => c.term), ...candidates.filter((c) => !c.term)].slice(0, count + 2).map((c) => c.word);
  while (words.length < count) words.push(random.pick(FALLBACK_TOPICS));
  return words;
}

/**
 * The `count` sentences of a source text that name the most medical terms the fake model knows, in text order:
 * a real answer explains with the source's own facts, and a classifier reading the dialogue meets them.
 */
function keySentences(text: string, count: number): string[] {
  const sentences = text.split(/(?<=[.!?])\s+/).filter((sentence) => sentence.length > 20 && sentence.length < 400);
  const scored = sentences.map((sentence, position) => ({
    sentence,
    position,
    terms: wordTokens(sentence).filter(isDepartmentTerm).length,
  }));
  return scored
    .sort((a, b) => b.terms - a.terms || a.position - b.position)
    .slice(0, count)
    .sort((a, b) => a.position - b.position)
    .map((entry) => entry.sentence);
}

function asJson(value: Record<string, unknown>, context: AnswerContext): string {
  const body = JSON.stringify(value, null, 2);
  // Chat models asked for JSON in prose only often fence it; the pipeline's parser must cope.
  if (!context.jsonRequested && context.random.chance(0.08)) return "```json\n" + body + "\n```";
  return body;
}

const QUESTION_TEMPLATES: readonly ((a: string, b: string, c: string) => string)[] = [
  (a, b) => `What are the underlying mechanisms that link ${a} and ${b}, and how do they influence the choice of treatment?`,
  (a, b, c) =>
    `How should a clinician evaluate an adult presenting with concerns about ${a}, and which findings related to ${b} or ${c} would change management?`,
  (a, b) => `What role does ${a} play in the progression of ${b}, and which preventive strategies are supported by current evidence?`,
  (a, b) => `Compare the benefits and risks of the main approaches to managing ${a} when ${b} is also present.`,
  (a, b, c) => `Why is ${a} considered important in the context of ${b}, and what are the implications for long-term outcomes and ${c}?`,
  (a, b) => `Explain how ${a} is diagnosed and monitored, including how ${b} affects the interpretation of the results.`,
  (a, b, c) => `In patients with ${a}, how do ${b} and ${c} interact, and what should be considered when designing a care plan?`,
  (a, b) => `What are the most common complications associated with ${a}, and how can awareness of ${b} help reduce them?`,
];

function generationAnswer(context: AnswerContext): string {
  const { prompt, random } = context;
  const text = sectionAfter(prompt, "Here is the sample text:") ?? sectionAfter(prompt, "text:") ?? prompt;
  const [a = "", b = "", c = "", d = "", e = ""] = topics(text, 5, random);
  const first = random.int(0, QUESTION_TEMPLATES.length - 1);
  const second = (first + random.int(1, QUESTION_TEMPLATES.length - 1)) % QUESTION_TEMPLATES.length;
  const question1 = QUESTION_TEMPLATES[first]?.(a, b, c) ?? "";
  const question2 = QUESTION_TEMPLATES[second]?.(d, a, e) ?? "";
  return asJson({ question1, question2 }, context);
}

// Weights chosen so the spread resembles a real judge: most quality 6–9, about 22% difficulty >= 8.
const QUALITY_WEIGHTS = [0, 0, 0, 3, 5, 8, 14, 25, 27, 14, 4]; // index = score
const DIFFICULTY_WEIGHTS = [0, 0, 4, 6, 10, 15, 20, 23, 13, 7, 2];
const RELEVANCE_WEIGHTS = [0, 3, 5, 10, 20, 32, 30];

function scoringAnswer(context: AnswerContext): string {
  const { prompt, random } = context;
  const query = (sectionAfter(prompt, "Please evaluate the following query:") ?? sectionAfter(prompt, "query:") ?? prompt).toLowerCase();
  const quality = random.weighted(QUALITY_WEIGHTS);
  let difficulty = random.weighted(DIFFICULTY_WEIGHTS);
  // Long multi-part questions read as harder to a real judge.
  if (query.length > 220 && difficulty < 10 && random.chance(0.25)) difficulty++;
  const relevance = random.weighted(RELEVANCE_WEIGHTS);
  const refersToCase = /\b(the text|this case|the case|the study|described|the patient's|this patient)\b/.test(query);
  const mentions = random.chance(refersToCase ? 0.45 : 0.17);
  return asJson({ quality, difficulty, Relevance2Medicine: relevance, MentionSpecificDetails: mentions ? "True" : "False" }, context);
}

function questionAndText(prompt: string): { question: string; text: string } {
  const question = sectionAfter(prompt, "Here is the question:", "Here is the text:") ?? prompt;
  const text = sectionAfter(prompt, "Here is the text:") ?? "";
  return { question, text };
}

function responsePairAnswer(context: AnswerContext): string {
  const { prompt, random } = context;
  const { question, text } = questionAndText(prompt);
  const [a = "", b = "", c = ""] = topics(question, 3, random);
  const [d = "", e = ""] = topics(text || question, 2, random);
  const facts = keySentences(text, 2);
  const answer1 =
    `To address this question, it helps to proceed step by step.\n` +
    `1. **Background**: ${capitalize(a)} is closely connected with ${b}, which determines how the problem presents clinically.\n` +
    `2. **Key mechanisms**: Evidence summarised in the source describes how ${d} contributes to ${c}, ` +
    `so interventions usually target ${e} as well.${facts[0] ? ` ${facts[0]}` : ""}\n` +
    `3. **Assessment**: A careful history, examination and appropriate tests help distinguish ${a} from similar conditions.\n` +
    `4. **Management**: Treatment combines addressing ${b}, monitoring ${c}, and patient education; ` +
    `therapy is adjusted according to response and tolerance.\n` +
    `In summary, ${a} should be managed with attention to ${b} and ${d}, following current guidelines.`;
  const answer2 =
    `${capitalize(a)} and ${b} are best understood together. ${random.pick(NARRATIVE_OPENERS)} ` +
    `The text points out that ${d} matters because it shapes ${c}, and clinicians therefore watch ${e} closely. ` +
    (facts.length > 0 ? `${facts.join(" ")} ` : "") +
    `In practice, management starts with confirming the diagnosis, continues with treatment tailored to the individual, ` +
    `and relies on follow-up to catch complications early. Lifestyle measures, shared decision-making and ` +
    `regular review of ${b} all improve outcomes.`;
  return asJson({ answer1, answer2 }, context);
}

const NARRATIVE_OPENERS = [
  "Clinicians usually start by asking what drives the condition in a given person.",
  "A useful way to think about this is in terms of cause, consequence and control.",
  "The answer depends on both the biology involved and the clinical setting.",
  "Put simply, the problem has several interacting parts.",
];

const THOUGHT_STEPS: readonly ((a: string, b: string, c: string) => string)[] = [
  (a, b) => `Let me start by clarifying what the question is really asking. It concerns ${a}, and in particular how it relates to ${b}.`,
  (a, _b, c) =>
    `The text mentions ${c}, so I should use that. If ${c} is involved, then the mechanism behind ${a} is likely relevant here.`,
  (a, b) =>
    `Wait, I need to be careful not to oversimplify. ${capitalize(b)} can have more than one cause, and not every case of ${a} follows the same course.`,
  (_a, b, c) => `Let me reconsider: if ${b} were the main driver, I would expect ${c} to change early. The text is consistent with that.`,
  (a) => `Now, what would a clinician actually do? Diagnosis comes first, then risk stratification, then treatment of ${a}.`,
  (a, b, c) =>
    `I should also think about exceptions: elderly patients, frailty, and coexisting ${c} might change how ${a} and ${b} are managed.`,
  (a, b) =>
    `Backtracking a little: the earlier step assumed ${b} is always present, which is not necessarily true for ${a}. The conclusion still holds in most cases.`,
  (_a, b, c) => `Putting these pieces together, the role of ${b} and ${c} seems central, and the evidence in the text supports this.`,
];

function reasoningAnswer(context: AnswerContext): string {
  const { prompt, random } = context;
  const { question, text } = questionAndText(prompt);
  const [a = "", b = ""] = topics(question, 2, random);
  const [c = "", d = ""] = topics(text || question, 2, random);
  const facts = keySentences(text, 2);
  const stepCount = random.int(5, THOUGHT_STEPS.length);
  const steps: string[] = [];
  const start = random.int(0, THOUGHT_STEPS.length - 1);
  for (let i = 0; i < stepCount; i++) {
    const step = THOUGHT_STEPS[(start + i) % THOUGHT_STEPS.length];
    if (step) steps.push(step(a, b, i % 2 === 0 ? c : d));
  }
  if (facts.length > 0) steps.splice(1, 0, `The text says: ${facts.join(" ")}`);
  const summary =
    `${capitalize(a)} is closely linked to ${b}. Based on the reasoning above and the information in the text about ${c}, ` +
    `the most accurate answer is that management should address ${b} directly, monitor ${d}, and adapt treatment to ` +
    `the individual patient's risk profile.`;
  return `**Thought**\n\n${steps.join("\n\n")}\n\n**Summarization**\n\n${summary}`;
}

const NAME_ALIASES: Readonly<Record<string, readonly string[]>> = {
  Otorhinolaryngology: ["Otorhinolaryngology (ENT)", "ENT", "Otorhinolaryngology"],
  "Otorhinolaryngology (ENT)": ["ENT", "Otorhinolaryngology (ENT)", "Otorhinolaryngology"],
  "Traditional Chinese Medicine (TCM)": ["TCM", "Traditional Chinese Medicine", "Traditional Chinese Medicine (TCM)"],
  "Dentistry (Oral Medicine)": ["Dentistry", "Dentistry (Oral Medicine)", "Oral Medicine"],
};

// How sure the fake classifier is: a label backed by the keyword vote is confident, a guess is not,
// so low confidence marks exactly the answers most likely to be mislabels.
const CERTAINTY = { voted: 0.92, noSignalNone: 0.6, guessed: 0.3 } as const;

function classificationAnswer(context: AnswerContext, group: ClassificationGroup): ScoredAnswer {
  const { prompt, random } = context;
  const dialogue = (sectionAfter(prompt, "Here is the dialogue:") ?? sectionAfter(prompt, "Patient:") ?? prompt).toLowerCase();
  let label: string;
  let certainty: number;
  if (group === "primary") {
    const voted = votePrimary(dialogue);
    const labels: readonly PrimaryDepartment[] = PRIMARY_DEPARTMENTS;
    // A real classifier sometimes disagrees with the obvious choice.
    const agrees = voted !== undefined && !random.chance(0.08);
    label = agrees ? voted : random.pick(labels);
    certainty = agrees ? CERTAINTY.voted : CERTAINTY.guessed;
  } else {
    const vote = voteWithinGroup(group, dialogue);
    const names = SECONDARY_DEPARTMENTS[group].map((d) => d.name);
    if (vote.secondary === undefined) {
      const none = random.chance(0.75);
      label = none ? "None" : random.pick(names);
      certainty = none ? CERTAINTY.noSignalNone : CERTAINTY.guessed;
    } else {
      const strays = random.chance(0.07);
      label = strays ? random.pick(names) : vote.secondary;
      certainty = strays ? CERTAINTY.guessed : CERTAINTY.voted;
    }
  }
  return { content: decorateLabel(label, random), certainty };
}

// Free-text noise a curator's mapping must absorb: aliases, case, punctuation.
function decorateLabel(label: string, random: SeededRandom): string {
  const aliases = NAME_ALIASES[label];
  let text = aliases !== undefined && random.chance(0.5) ? random.pick(aliases) : label;
  if (random.chance(0.06)) text = text.toLowerCase();
  if (random.chance(0.06)) text += ".";
  return text;
}

function fallbackAnswer(context: AnswerContext): string {
  const [a = "", b = "", c = ""] = topics(context.prompt, 3, context.random);
  return (
    `Based on the information provided, ${a} should be considered together with ${b}. ` +
    `A reasonable approach is to confirm the underlying cause, review ${c}, and follow up to make sure the plan is working.`
  );
}

function capitalize(word: string): string {
  return word.length === 0 ? word : word[0]?.toUpperCase() + word.slice(1);
}
