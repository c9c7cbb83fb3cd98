import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { PUBMEDQA_COUNT, PUBMEDQA_FILE, pubmedqaAvailable } from "../../test/support/pubmedqa";
import { pubmedqaToJsonl } from "./pubmedqa";
import { readSourceTexts } from "./read-source-texts";
import type { SourceRecord } from "./records";

describe("pubmedqaToJsonl", () => {
  it("converts the PubMedQA object into JSONL that imports without rejections", async () => {
    // A missing file is a broken checkout, not an optional test: a skip would hide it.
    if (!pubmedqaAvailable()) {
      throw new Error(`PubMedQA file not found at ${PUBMEDQA_FILE}; the fixture ships in test/fixtures/pubmedqa`);
    }
    const records: SourceRecord[] = [];
    const stream = Readable.from(pubmedqaToJsonl(PUBMEDQA_FILE));
    for await (const outcome of readSourceTexts(stream, { format: "jsonl", textField: "text", idField: "id" })) {
      if (outcome.kind === "rejection") throw new Error(`line ${outcome.line}: ${outcome.reason}`);
      records.push(outcome);
    }
    expect(records).toHaveLength(PUBMEDQA_COUNT);
    const first = records.find((record) => record.externalId === "21645374");
    expect(first?.text).toMatch(/^Programmed cell death \(PCD\) is the regulated death of cells/);
    expect(first?.text).toContain("\n\n");
    expect(first?.metadata).toMatchObject({
      question: "Do mitochondria play a role in remodelling lace plant leaves during programmed cell death?",
    });
    expect(Array.isArray(first?.metadata.meshes)).toBe(true);
    expect(new Set(records.map((record) => record.externalId)).size).toBe(PUBMEDQA_COUNT);
  });
});
