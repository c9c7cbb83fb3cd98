import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readSourceTexts } from "./read-source-texts";

const TARGET_BYTES = 200 * 1024 * 1024;
const HEAP_GROWTH_LIMIT = 150 * 1024 * 1024;

/** About 200 MB of JSONL made as it is read, so neither the disk nor the test holds the file. */
function generatedJsonl(): { stream: Readable; lines: () => number } {
  const paragraph = "Hypertension increases the risk of stroke and myocardial infarction; 高血压增加卒中风险。".repeat(12);
  let produced = 0;
  let lines = 0;
  function* chunks(): Generator<Buffer> {
    while (produced < TARGET_BYTES) {
      const batch: string[] = [];
      for (let i = 0; i < 64; i += 1) {
        lines += 1;
        batch.push(JSON.stringify({ id: lines, text: `${lines} ${paragraph}`, source: "generated", year: 2000 + (lines % 25) }));
      }
      const chunk = Buffer.from(`${batch.join("\n")}\n`);
      produced += chunk.length;
      yield chunk;
    }
  }
  return { stream: Readable.from(chunks()), lines: () => lines };
}

describe("readSourceTexts memory", () => {
  it("streams 200 MB of JSONL with flat heap", async () => {
    const { stream, lines } = generatedJsonl();
    const baseline = process.memoryUsage().heapUsed;
    let peakGrowth = 0;
    let records = 0;
    for await (const outcome of readSourceTexts(stream, { format: "jsonl", textField: "text", idField: "id" })) {
      if (outcome.kind !== "record") throw new Error(`unexpected rejection at line ${outcome.line}: ${outcome.reason}`);
      records += 1;
      if (records % 2_000 === 0) peakGrowth = Math.max(peakGrowth, process.memoryUsage().heapUsed - baseline);
    }
    console.info(`memory: ${records} records, peak heap growth ${(peakGrowth / 1024 / 1024).toFixed(1)} MB`);
    expect(records).toBe(lines());
    expect(records).toBeGreaterThan(150_000);
    expect(peakGrowth).toBeLessThan(HEAP_GROWTH_LIMIT);
  });
});
