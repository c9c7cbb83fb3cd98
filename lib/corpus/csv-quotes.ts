/**
 * What csv-parse's `relax_quotes` did to a record, found by walking its raw text field by field.
 * Lenient like Python's csv module and pandas: a quote inside an unquoted field is kept literally (a
 * warning, so the curator can look at that line). A quoted field with text after its closing quote is
 * broken (relax_quotes would keep its quotes as text): the record is rejected.
 */
export type QuoteFinding = { kind: "clean" } | { kind: "stray"; columns: string[] } | { kind: "broken"; column: string };

export function inspectQuotes(raw: string, columns: readonly string[], values: readonly string[], delimiter = ","): QuoteFinding {
  const stray: string[] = [];
  let at = 0;
  for (let index = 0; index < values.length; index++) {
    const value = values[index]!;
    const column = columns[index] ?? `#${index + 1}`;
    if (raw[at] === '"') {
      // Relaxed parsing of a broken quoted field returns it verbatim, quotes included.
      if (value.startsWith('"') && raw.startsWith(value, at)) {
        const after = raw[at + value.length];
        if (after === undefined || after === delimiter || after === "\n" || after === "\r") return { kind: "broken", column };
      }
      const end = closingQuote(raw, at);
      if (end < 0) return { kind: "clean" };
      at = end + 2;
    } else {
      if (raw.startsWith(value, at) && value.includes('"')) stray.push(column);
      at += value.length + 1;
    }
  }
  return stray.length > 0 ? { kind: "stray", columns: stray } : { kind: "clean" };
}

/** The index of the quote closing the quoted field opened at `open` (a doubled quote is an escaped one). */
function closingQuote(raw: string, open: number): number {
  for (let at = open + 1; at < raw.length; at++) {
    if (raw[at] !== '"') continue;
    if (raw[at + 1] === '"') {
      at++;
      continue;
    }
    return at;
  }
  return -1;
}
