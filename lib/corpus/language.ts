export type CorpusLanguage = "zh" | "en";

// Enough characters to decide; scanning a whole 1 MB text would cost more than the answer is worth.
const SAMPLE_CHARS = 4_000;

const HAN = /\p{Script=Han}/u;
const LATIN_LETTER = /[A-Za-z]/;

/**
 * A heuristic, not language identification: "zh" when Han characters dominate, else "en".
 * One Han character carries about as much as a short English word, so Han counts
 * three times against Latin letters; a Chinese text quoting English drug names stays "zh",
 * an English text citing a Chinese name stays "en".
 */
export function detectLanguage(text: string): CorpusLanguage {
  let han = 0;
  let latin = 0;
  for (const char of text.slice(0, SAMPLE_CHARS)) {
    if (HAN.test(char)) han += 1;
    else if (LATIN_LETTER.test(char)) latin += 1;
  }
  return han > 0 && han * 3 >= latin ? "zh" : "en";
}
