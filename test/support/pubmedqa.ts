import { createWriteStream, existsSync } from "node:fs";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { pubmedqaToJsonl } from "../../lib/corpus/pubmedqa";

/** The 1,000 real PubMed abstracts shipped beside the project (never copied into it). */
export const PUBMEDQA_FILE = join(process.env.FINEMED_SHARED_DIR ?? join(process.cwd(), "../shared"), "data/pubmedqa/ori_pqal.json");

export function pubmedqaAvailable(): boolean {
  return existsSync(PUBMEDQA_FILE);
}

/** Writes the abstracts as JSONL (id = PubMed id, text = the joined CONTEXTS) and returns the path. */
export async function writePubmedqaJsonl(dir: string): Promise<string> {
  const out = join(dir, "pubmedqa.jsonl");
  await pipeline(Readable.from(pubmedqaToJsonl(PUBMEDQA_FILE)), createWriteStream(out));
  return out;
}
