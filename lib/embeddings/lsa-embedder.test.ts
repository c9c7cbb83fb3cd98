import { describe, expect, it } from "vitest";
import { fitLsaEmbedder } from "./lsa-embedder";
import { decodeLsaModel, encodeLsaModel } from "./lsa-model-codec";

const template = "Explain how this is diagnosed and monitored, and what the clinician should consider in the care plan.";
const corpus = [
  `${template} Basal insulin titration in type 2 diabetes with fasting hyperglycaemia.`,
  `${template} Starting insulin in newly diagnosed type 1 diabetes.`,
  `${template} Metformin lowers blood glucose in type 2 diabetes.`,
  `${template} Open reduction and internal fixation of a displaced ankle fracture.`,
  `${template} Intramedullary nail fixation of a femoral shaft fracture.`,
  `${template} First-line antibiotics for community-acquired pneumonia.`,
  `${template} Acute otitis media in children under two.`,
  `${template} Cataract surgery and lens replacement.`,
];

const dot = (a: Float32Array, b: Float32Array): number => a.reduce((sum, value, i) => sum + value * b[i]!, 0);

describe("fitLsaEmbedder", () => {
  const embedder = fitLsaEmbedder(corpus, { dimensions: 32, seed: 3 });

  it("names itself and gives unit vectors of its dimensions, the same for the same text", () => {
    expect(embedder.name).toBe("lexical-tfidf-lsa-32");
    const vector = embedder.embed(corpus[0]!);
    expect(vector).toHaveLength(32);
    expect(dot(vector, vector)).toBeCloseTo(1, 5);
    expect(embedder.embed(corpus[0]!)).toEqual(vector);
  });

  it("keeps the corpus's own cosines exactly when the corpus is smaller than the dimensions", () => {
    const vectors = corpus.map((text) => embedder.embed(text));
    const insulin = dot(vectors[0]!, vectors[1]!);
    expect(insulin).toBeGreaterThan(dot(vectors[0]!, vectors[3]!));
    expect(dot(vectors[3]!, vectors[4]!)).toBeGreaterThan(dot(vectors[3]!, vectors[6]!));
  });

  it("ignores words most documents share: the template alone embeds to the zero vector", () => {
    expect(Array.from(embedder.embed(template)).every((value) => value === 0)).toBe(true);
  });

  it("finds the one passage a short question names", () => {
    const vectors = corpus.map((text) => embedder.embed(text));
    const question = embedder.embed("How is a femoral fracture fixed with a nail?");
    const best = vectors.map((vector, i) => ({ i, score: dot(vector, question) })).sort((a, b) => b.score - a.score)[0]!;
    expect(best.i).toBe(4);
  });

  it("does not depend on the order of the corpus", () => {
    const reversed = fitLsaEmbedder([...corpus].reverse(), { dimensions: 32, seed: 3 });
    const a = embedder.embed(corpus[5]!);
    const b = reversed.embed(corpus[5]!);
    // Singular vectors are defined up to sign and rotation within ties, so compare the cosines they give.
    expect(dot(b, reversed.embed(corpus[6]!))).toBeCloseTo(dot(a, embedder.embed(corpus[6]!)), 4);
  });
});

describe("fitLsaEmbedder, words only (lexical version 3)", () => {
  const options = { dimensions: 32, seed: 3, features: "words", minDocumentFrequency: 2, idf: "plain" } as const;
  const embedder = fitLsaEmbedder(corpus, options);

  it("names itself as the word model and keeps no word only one text uses", () => {
    expect(embedder.name).toBe("lexical-word-lsa-32");
    expect(embedder.model.features).toBe("words");
    // "metformin" is in one text only: a question naming nothing else has no direction.
    expect(Array.from(embedder.embed("metformin")).every((value) => value === 0)).toBe(true);
    expect(Array.from(embedder.embed("insulin")).some((value) => value !== 0)).toBe(true);
  });

  it("ignores word pairs: a text and the same words in another order embed alike", () => {
    const a = embedder.embed("insulin diabetes fracture");
    const b = embedder.embed("fracture diabetes insulin");
    expect(dot(a, b)).toBeCloseTo(1, 5);
    const pairs = fitLsaEmbedder(corpus, { dimensions: 32, seed: 3 });
    expect(dot(pairs.embed("basal insulin titration"), pairs.embed("titration insulin basal"))).toBeLessThan(0.995);
  });

  it("survives its codec: the stored model embeds exactly as the fitted one, and a version 2 model still decodes", () => {
    const stored = decodeLsaModel(encodeLsaModel(embedder.model));
    expect(stored.model.features).toBe("words");
    expect(stored.embed(corpus[2]!)).toEqual(embedder.embed(corpus[2]!));
    const older = fitLsaEmbedder(corpus, { dimensions: 32, seed: 3 });
    const olderStored = decodeLsaModel(encodeLsaModel(older.model));
    expect(olderStored.model.features).toBe("words+bigrams");
    expect(olderStored.embed(corpus[2]!)).toEqual(older.embed(corpus[2]!));
  });
});
