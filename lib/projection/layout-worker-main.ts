import { parentPort, workerData } from "node:worker_threads";
import { computeLayout } from "./compute-layout";
import type { LayoutJob, LayoutMessage } from "./layout-thread";
import { vectorMatrix } from "../vectors/vector-matrix";

const job = workerData as LayoutJob;
const port = parentPort!;
const post = (message: LayoutMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

try {
  const result = await computeLayout(
    vectorMatrix(job.count, job.dimensions, job.values),
    job.projection,
    (phase, fraction) => post({ type: "progress", phase, fraction }),
    job.neighbourK,
  );
  post({ type: "done", layout: result.layout, report: result.report, neighbours: result.neighbours, quality: result.quality });
} catch (error) {
  post({ type: "failed", message: (error as Error).message });
}
