import { Worker } from "node:worker_threads";
import type { LayoutProgress, LayoutReport, LayoutResult } from "./compute-layout";
import type { SampledNeighbourQuality } from "../map-quality/sampled-neighbour-quality";
import type { ProjectionParameters } from "./projection-parameters";
import type { VectorMatrix } from "../vectors/vector-matrix";

export interface LayoutJob {
  count: number;
  dimensions: number;
  values: Float32Array;
  projection: ProjectionParameters;
  neighbourK: number;
}

export type LayoutMessage =
  | { type: "progress"; phase: string; fraction: number }
  | { type: "done"; layout: Float32Array; report: LayoutReport; neighbours: Int32Array | null; quality: SampledNeighbourQuality }
  | { type: "failed"; message: string };

/**
 * Runs computeLayout on a worker thread: a UMAP fit keeps a core busy for minutes, and on the queue
 * worker's own thread it would stall its heartbeat (other workers would take the job for dead) and
 * every other job of the process. A matrix on a SharedArrayBuffer is shared, not copied.
 */
export function computeLayoutOnThread(
  matrix: VectorMatrix,
  projection: ProjectionParameters,
  onProgress: LayoutProgress,
  neighbourK = 0,
): Promise<LayoutResult> {
  const job: LayoutJob = { count: matrix.count, dimensions: matrix.dimensions, values: matrix.values, projection, neighbourK };
  // Compiled (dist/): the bundle's layout-worker.js beside this chunk; from source: the .mjs that registers tsx first.
  const entry = import.meta.url.endsWith(".js") ? "./layout-worker.js" : "./layout-worker.mjs";
  const worker = new Worker(new URL(entry, import.meta.url), { workerData: job });
  return new Promise<LayoutResult>((resolve, reject) => {
    let settled = false;
    worker.on("message", (message: LayoutMessage) => {
      if (message.type === "progress") onProgress(message.phase, message.fraction);
      else if (message.type === "done") {
        settled = true;
        resolve({ layout: message.layout, report: message.report, neighbours: message.neighbours, quality: message.quality });
        void worker.terminate();
      } else {
        settled = true;
        reject(new Error(message.message));
        void worker.terminate();
      }
    });
    worker.once("error", (error) => {
      if (!settled) reject(error);
      settled = true;
    });
    worker.once("exit", (code) => {
      if (!settled) reject(new Error(`the layout thread exited with code ${code}`));
      settled = true;
    });
  });
}
