/**
 * Word unigram and bigram features for the lexical embedder.
 */

// Function words carry no topic; dropping them also keeps bigrams like "of the" from dominating.
const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "a an and are as at be been but by can could did do does for from had has have he her his how i if in " +
    "into is it its may might me my no not of on or our she should so such than that the their them then " +
    "there these they this those to was we were what when where which while who why will with would you your"
  ).split(" "),
);

const WORD = /[\p{L}\p{N}]+/gu;

export function tokenise(text: string): string[] {
  const words = text.normalize("NFKC").toLowerCase().match(WORD) ?? [];
  return words.filter((word) => word.length > 1 && !STOP_WORDS.has(word));
}

/** Unigrams contain no space, so a space-joined bigram can never collide with a unigram feature. */
export function lexicalFeatures(text: string): string[] {
  const tokens = tokenise(text);
  const features = tokens.slice();
  for (let i = 1; i < tokens.length; i += 1) features.push(`${tokens[i - 1]} ${tokens[i]}`);
  return features;
}

/**
 * Harman's "S" stemmer (1991): plural endings only, so "tonsils" meets "tonsil" and "arteries" meets "artery"
 * while nothing else about a word changes. The words-only embedder (version 3) reads words through it.
 */
export function stemPlural(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith("ies") && !word.endsWith("eies") && !word.endsWith("aies")) return `${word.slice(0, -3)}y`;
  if (word.endsWith("es") && !word.endsWith("aes") && !word.endsWith("ees") && !word.endsWith("oes")) return word.slice(0, -1);
  if (word.endsWith("s") && !word.endsWith("us") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}

/** The words-only embedder's features: each word, plural endings removed. */
export function wordFeatures(text: string): string[] {
  return tokenise(text).map(stemPlural);
}
