import { createWriteStream, existsSync } from "node:fs";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { pubmedqaToJsonl } from "../../lib/corpus/pubmedqa";

/**
 * 300 real PubMed abstracts shipped inside the repository (MIT, see test/fixtures/pubmedqa), so tests
 * pass on a clone with nothing beside it. Only the benchmarks (bench/) read the full set of 1,000.
 */
export const PUBMEDQA_FILE = fileURLToPath(new URL("../fixtures/pubmedqa/ori_pqal-300.json", import.meta.url));
export const PUBMEDQA_COUNT = 300;

export function pubmedqaAvailable(): boolean {
  return existsSync(PUBMEDQA_FILE);
}

/** Writes the fixture's abstracts as JSONL (id = PubMed id, text = the joined CONTEXTS) and returns the path. */
export async function writePubmedqaJsonl(dir: string): Promise<string> {
  const out = join(dir, "pubmedqa.jsonl");
  await pipeline(Readable.from(pubmedqaToJsonl(PUBMEDQA_FILE)), createWriteStream(out));
  return out;
}
