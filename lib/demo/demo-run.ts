import type { Database } from "../db/database";
import { createRun, type CreatedRun } from "../runs/create-run";
import { runConfigSchema, singleServerRoles } from "../runs/run-config";
import { DEMO_CORPUS_NAME } from "./seed-demo-corpus";

export const DEMO_BACKEND_PORT = Number(process.env.FINEMED_DEMO_BACKEND_PORT ?? 8790);
export const DEMO_MODEL = "simulated/finemed-sim";

export function demoBackendUrl(port = DEMO_BACKEND_PORT): string {
  return `http://127.0.0.1:${port}`;
}

/** A small synthesis run of the demo corpus against the simulated backend, so a first start shows results. */
export async function startDemoRun(db: Database, backendUrl: string): Promise<CreatedRun> {
  const config = runConfigSchema.parse({
    name: "Demo run (simulated backend)",
    corpus: DEMO_CORPUS_NAME,
    seed: "finemed-demo",
    batchSize: 50,
    roles: singleServerRoles(backendUrl, DEMO_MODEL),
  });
  return createRun(db, config, "studio:demo", { simulated: true });
}
