export { byteLength } from "./byte-length";
export { contentHash } from "./content-hash";
export { detectFormat } from "./import-format";
export { detectLanguage, type CorpusLanguage } from "./language";
export { pubmedqaToJsonl } from "./pubmedqa";
export { readSourceTexts } from "./read-source-texts";
export {
  DEFAULT_MAX_TEXT_BYTES,
  type CsvEncoding,
  type ImportFormat,
  type ReadableSource,
  type ReadOptions,
  type ReadOutcome,
  type Rejection,
  type SourceRecord,
} from "./records";
