// Cheap lexical features shared by the fake generator (to reuse words of the source text) and the fake
// embedder (so texts sharing words land near each other).

const STOPWORDS = new Set(
  (
    "about above after again against also among an and another any are around because been before being below between both but " +
    "can cannot could did does doing done down during each either else even every few for from further had has have having " +
    "here hers herself him himself his how however into its itself just least less like made make many may might more most much " +
    "must near need neither nor not now often once only other others otherwise ought our ours ourselves out over own rather " +
    "same several shall she should since some such than that the their theirs them themselves then there therefore these they " +
    "this those though through thus too under until upon very was were what whatever when where whether which while who whom " +
    "whose why will with within without would yet you your yours yourself also well used using use based include including " +
    "includes according either years year time times people person patients patient text question questions answer answers " +
    "generated first second following given provided information content details specific format output please strictly " +
    "ensure avoid related main points themes sample doctor dialogue department departments " +
    // Frequent verbs of medical prose; they make poor question topics.
    "reduces changes increases causes affects improves leads requires includes involves occurs remains becomes provides " +
    "helps shows suggests appears results worsens contains explains describes considered important common different"
  ).split(/\s+/),
);

// Past participles and adverbs ("managed", "rapidly") read badly where a noun is expected.
function looksLikeTopic(word: string): boolean {
  return word.length >= 5 && !STOPWORDS.has(word) && !word.endsWith("ed") && !word.endsWith("ly");
}

/** Lower-case word tokens of three or more letters. */
export function wordTokens(text: string): string[] {
  return text.toLowerCase().match(/[a-z][a-z'-]{2,}/g) ?? [];
}

/**
 * The most frequent content words of a text (ties broken by first appearance), so fake questions and
 * answers talk about what the source talks about.
 */
export function salientWords(text: string, count: number): string[] {
  const frequency = new Map<string, number>();
  for (const token of wordTokens(text)) {
    const word = token.replace(/^'+|'+$/g, "");
    if (!looksLikeTopic(word)) continue;
    frequency.set(word, (frequency.get(word) ?? 0) + 1);
  }
  // Map iteration order is first-appearance order, and sort is stable.
  return [...frequency.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([word]) => word);
}

/** Text after the last occurrence of a (case-insensitive) marker, up to an optional end marker. */
export function sectionAfter(text: string, marker: string, endMarker?: string): string | undefined {
  const lower = text.toLowerCase();
  const at = lower.lastIndexOf(marker.toLowerCase());
  if (at === -1) return undefined;
  const start = at + marker.length;
  let end = text.length;
  if (endMarker !== undefined) {
    const stop = lower.indexOf(endMarker.toLowerCase(), start);
    if (stop !== -1) end = stop;
  }
  return text.slice(start, end).trim();
}
