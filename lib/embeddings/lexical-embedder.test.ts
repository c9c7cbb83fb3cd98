import { describe, expect, it } from "vitest";
import { fitLexicalEmbedder } from "./lexical-embedder";

const corpus = [
  "How should basal insulin be titrated in a patient with type 2 diabetes and fasting hyperglycaemia?",
  "What is the starting insulin dose for a newly diagnosed type 1 diabetes patient?",
  "Explain the mechanism of metformin in lowering blood glucose in type 2 diabetes.",
  "When is open reduction and internal fixation indicated for a displaced ankle fracture?",
  "Describe intramedullary nail fixation of a femoral shaft fracture.",
  "What are the first-line antibiotics for community-acquired pneumonia in adults?",
  "List the diagnostic criteria for major depressive disorder.",
  "How is acute otitis media managed in children under two years old?",
];

const insulinA = "Adjusting the insulin dose for hyperglycaemia in type 2 diabetes";
const insulinB = "Basal insulin titration for a patient with poorly controlled diabetes";
const fracture = "Plate fixation versus nailing for a distal tibia fracture";

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i += 1) dot += a[i]! * b[i]!;
  return dot; // vectors are unit length
}

function norm(v: Float32Array): number {
  return Math.sqrt(cosine(v, v));
}

describe("fitLexicalEmbedder", () => {
  const embedder = fitLexicalEmbedder(corpus, { seed: 7 });

  it("names itself after its method and dimensions", () => {
    expect(embedder.name).toBe("lexical-tfidf-hash-rp-256");
    expect(embedder.embed(insulinA)).toHaveLength(256);
    expect(fitLexicalEmbedder(corpus, { dimensions: 64 }).name).toBe("lexical-tfidf-hash-rp-64");
  });

  it("gives the same vector for the same text", () => {
    expect(embedder.embed(insulinA)).toEqual(embedder.embed(insulinA));
  });

  it("returns unit vectors, and the zero vector for a text without words", () => {
    for (const text of [insulinA, fracture, ...corpus]) expect(norm(embedder.embed(text))).toBeCloseTo(1, 5);
    expect(norm(embedder.embed("?! ..."))).toBe(0);
  });

  it("places texts on the same topic closer than unrelated ones", () => {
    const a = embedder.embed(insulinA);
    expect(cosine(a, embedder.embed(insulinB))).toBeGreaterThan(cosine(a, embedder.embed(fracture)) + 0.1);
  });

  it("is deterministic across fits with the same corpus and seed, and differs with another seed", () => {
    const again = fitLexicalEmbedder(corpus, { seed: 7 });
    expect(again.embed(fracture)).toEqual(embedder.embed(fracture));
    expect(fitLexicalEmbedder(corpus, { seed: 8 }).embed(fracture)).not.toEqual(embedder.embed(fracture));
  });

  it("embeds a few thousand short texts", () => {
    const texts = Array.from({ length: 2000 }, (_, i) => `${corpus[i % corpus.length]} case ${i} follow-up visit ${i % 37}`);
    const fitted = fitLexicalEmbedder(texts);
    const vectors = texts.map((text) => fitted.embed(text));
    expect(vectors).toHaveLength(2000);
    expect(vectors.every((v) => Number.isFinite(v[0]!))).toBe(true);
  });

  it("rejects nonsensical options", () => {
    expect(() => fitLexicalEmbedder(corpus, { dimensions: 0 })).toThrow(/dimensions/);
    expect(() => fitLexicalEmbedder(corpus, { buckets: 1000 })).toThrow(/power of two/);
  });
});
