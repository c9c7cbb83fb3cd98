import { lsaEmbedder, type LsaEmbedder, type LsaModel } from "./lsa-embedder";

/**
 * A fitted LSA model as bytes, so the worker that fitted it can store it beside the space's neighbour
 * index and the web process embeds a question with it instead of refitting on every text of the space.
 * Layout (little-endian): 4 × uint32 header (dimensions, seed, buckets, documentCount), uint32 columns,
 * then the kept (bucket, column) pairs as int32, idf as float32, basis as float32. A words-only model (version
 * 3) is preceded by WORDS_ONLY, a value no dimension count reaches, so models stored before it still decode.
 */
const WORDS_ONLY = 0x574f5244; // "WORD"

export function encodeLsaModel(model: LsaModel): Buffer {
  const columns = model.idf.length;
  const pairs: number[] = [];
  model.columnOf.forEach((column, bucket) => {
    if (column >= 0) pairs.push(bucket, column);
  });
  const header = Uint32Array.from([model.dimensions, model.seed >>> 0, model.buckets, model.documentCount, columns]);
  const marker = model.features === "words" ? [bytesOf(Uint32Array.of(WORDS_ONLY))] : [];
  return Buffer.concat([...marker, bytesOf(header), bytesOf(Int32Array.from(pairs)), bytesOf(model.idf), bytesOf(model.basis)]);
}

export function decodeLsaModel(bytes: Uint8Array): LsaEmbedder {
  const copy = Uint8Array.from(bytes); // aligned
  const wordsOnly = copy.length >= 4 && new Uint32Array(copy.buffer, 0, 1)[0] === WORDS_ONLY;
  const start = wordsOnly ? 4 : 0;
  const header = new Uint32Array(copy.buffer, start, 5);
  const [dimensions, seed, buckets, documentCount, columns] = Array.from(header) as [number, number, number, number, number];
  let offset = start + 20;
  const pairs = new Int32Array(copy.buffer, offset, 2 * columns);
  offset += 8 * columns;
  const idf = new Float32Array(copy.buffer, offset, columns);
  offset += 4 * columns;
  const basis = new Float32Array(copy.buffer, offset, columns * dimensions);
  if (offset + 4 * columns * dimensions !== copy.length) throw new Error("the stored LSA model is truncated or corrupt");
  const columnOf = new Int32Array(buckets).fill(-1);
  for (let i = 0; i < pairs.length; i += 2) columnOf[pairs[i]!] = pairs[i + 1]!;
  return lsaEmbedder({ features: wordsOnly ? "words" : "words+bigrams", dimensions, seed, buckets, documentCount, columnOf, idf, basis });
}

function bytesOf(array: Uint32Array | Int32Array | Float32Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}
