/**
 * What every embedder (remote backend or in-process) exposes, so a map can record which one made it.
 */
export interface TextEmbedder {
  /** Stable identifier stored next to every vector and projection. */
  readonly name: string;
  readonly dimensions: number;
  embed(text: string): Float32Array;
}
