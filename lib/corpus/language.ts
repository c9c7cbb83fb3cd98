export type CorpusLanguage = "zh" | "en";

// Enough characters to decide; scanning a whole 1 MB text would cost more than the answer is worth.
const SAMPLE_CHARS = 4_000;

const HAN = /\p{Script=Han}/u;
// No Han character sits below the CJK Radicals Supplement block, so most of an English text is
// classified by its code unit alone.
const FIRST_HAN = 0x2e80;

let bmpHan: Uint8Array | null = null;

/**
 * The Unicode property test, once per BMP code point: a table lookup per character instead of a
 * regex call keeps this check off an import's profile (it was its largest single cost).
 */
function bmpHanTable(): Uint8Array {
  if (bmpHan) return bmpHan;
  const table = new Uint8Array(0x10000);
  for (let code = FIRST_HAN; code < 0x10000; code++) {
    if (code < 0xd800 || code > 0xdfff) table[code] = HAN.test(String.fromCharCode(code)) ? 1 : 0;
  }
  bmpHan = table;
  return table;
}

function isLatinLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/**
 * A heuristic, not language identification: "zh" when Han characters dominate, else "en".
 * One Han character carries about as much as a short English word, so Han counts
 * three times against Latin letters; a Chinese text quoting English drug names stays "zh",
 * an English text citing a Chinese name stays "en".
 */
export function detectLanguage(text: string): CorpusLanguage {
  const table = bmpHanTable();
  const end = Math.min(text.length, SAMPLE_CHARS);
  let han = 0;
  let latin = 0;
  for (let index = 0; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code < FIRST_HAN) {
      if (isLatinLetter(code)) latin += 1;
    } else if (code >= 0xd800 && code <= 0xdbff) {
      // Han extensions B and later are astral: test the whole pair, as a code point walk would.
      const low = index + 1 < end ? text.charCodeAt(index + 1) : 0;
      if (low >= 0xdc00 && low <= 0xdfff) {
        if (HAN.test(text.slice(index, index + 2))) han += 1;
        index += 1;
      }
    } else if (table[code] === 1) {
      han += 1;
    }
  }
  return han > 0 && han * 3 >= latin ? "zh" : "en";
}
