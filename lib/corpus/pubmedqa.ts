import { readFile } from "node:fs/promises";
import { z } from "zod";

const PubmedqaEntry = z.object({
  QUESTION: z.string(),
  CONTEXTS: z.array(z.string()),
  MESHES: z.array(z.string()).optional(),
});

const PubmedqaFile = z.record(z.string(), PubmedqaEntry);

/**
 * PubMedQA's ori_pqal.json is one JSON object keyed by PubMed id, not JSON Lines; this
 * rewrites it as the JSONL the studio imports, one abstract per line with its CONTEXTS
 * joined into a single text. Each yielded line ends with "\n", so the iterable can be
 * handed to Readable.from() as a file. The file is 2.5 MB, so parsing it whole is fine.
 */
export async function* pubmedqaToJsonl(path: string): AsyncGenerator<string> {
  const entries = PubmedqaFile.parse(JSON.parse(await readFile(path, "utf8")));
  for (const [pmid, entry] of Object.entries(entries)) {
    const line = { id: pmid, text: entry.CONTEXTS.join("\n\n"), question: entry.QUESTION, meshes: entry.MESHES ?? [] };
    yield `${JSON.stringify(line)}\n`;
  }
}
