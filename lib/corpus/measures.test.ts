import { describe, expect, it } from "vitest";
import { byteLength } from "./byte-length";
import { contentHash } from "./content-hash";
import { detectFormat } from "./import-format";
import { detectLanguage } from "./language";

describe("contentHash", () => {
  it("is the sha256 hex of the text", () => {
    expect(contentHash("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
  it("treats composed and decomposed accents as the same text", () => {
    expect(contentHash("Sjögren syndrome")).toBe(contentHash("Sjo\u0308gren syndrome"));
    expect(contentHash("Sjögren syndrome")).not.toBe(contentHash("Sjogren syndrome"));
  });
});

describe("detectLanguage", () => {
  it.each([
    ["糖尿病患者应定期监测血糖，并控制饮食。", "zh"],
    ["二甲双胍（metformin）是2型糖尿病的一线用药。", "zh"],
    ["Metformin is first-line therapy for type 2 diabetes.", "en"],
    ["The patient, Zhang Wei (张伟), was admitted with chest pain and dyspnoea on exertion.", "en"],
    ["", "en"],
    ["12345 !!!", "en"],
  ])("%s → %s", (text, language) => {
    expect(detectLanguage(text)).toBe(language);
  });
});

describe("byteLength", () => {
  it("counts UTF-8 bytes", () => {
    expect(byteLength("abc")).toBe(3);
    expect(byteLength("糖")).toBe(3);
    expect(byteLength("🩺")).toBe(4);
  });
});

describe("detectFormat", () => {
  it.each([
    ["corpus.jsonl", "jsonl"],
    ["corpus.NDJSON", "jsonl"],
    ["train.json", "jsonl"],
    ["export.csv", "csv"],
    ["train-00000-of-00004.parquet", "parquet"],
    ["notes.tsv", null],
    ["README", null],
    ["archive.jsonl.gz", null],
  ])("%s → %s", (fileName, format) => {
    expect(detectFormat(fileName)).toBe(format);
  });
});
