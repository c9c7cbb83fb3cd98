import type { TestDatabase } from "./support/test-database";
import { importPubmedqa, waitForRun } from "./support/synthesis";
import { startSimulator } from "../lib/simulator";
import { runConfigSchema, singleServerRoles } from "../lib/runs/run-config";
import { createRun } from "../lib/runs/create-run";
import { startSynthesisWorker } from "../workers/synthesis-worker";

/**
 * A real, small synthesis run over PubMedQA abstracts against the simulator (a little invalid JSON
 * so some judgements fail), for the curation tests to browse and relabel. Samples are not refreshed
 * here: the tests do it, since refreshSamples is under test.
 */
export async function synthesizeForCuration(db: TestDatabase, corpus: string, texts: number): Promise<string> {
  const simulator = await startSimulator({ port: 0, garbageRate: 0.25, seed: `curation-${corpus}` });
  try {
    await importPubmedqa(db, corpus, texts);
    const config = runConfigSchema.parse({
      corpus,
      batchSize: 20,
      outputRetries: 1,
      roles: singleServerRoles(simulator.url, "simulated/finemed-sim", 32),
    });
    const run = await createRun(db, config, "test", { simulated: true });
    const worker = await startSynthesisWorker(db, { concurrency: 4 });
    const summary = await waitForRun(db, run.runId, 150_000).finally(() => worker.stop());
    if (summary.status !== "completed") throw new Error(`the curation fixture run ended ${summary.status}`);
    return run.runId;
  } finally {
    await simulator.close();
  }
}
