import { describe, expect, it } from "vitest";
import { stemPlural, wordFeatures } from "./tokenise";

describe("the words-only embedder's features", () => {
  it("meets singular and plural (Harman's S stemmer) and leaves other endings alone", () => {
    expect(["tonsils", "arteries", "stenoses", "lungs"].map(stemPlural)).toEqual(["tonsil", "artery", "stenose", "lung"]);
    expect(["virus", "abscess", "gas", "eyes"].map(stemPlural)).toEqual(["virus", "abscess", "gas", "eye"]);
    expect(stemPlural("tonsils")).toBe(stemPlural("tonsil"));
  });

  it("drops function words and one-letter tokens, as the other lexical embedders do", () => {
    expect(wordFeatures("The removal of the tonsils, a procedure")).toEqual(["removal", "tonsil", "procedure"]);
  });
});
