import type { Database } from "../db/database";
import { clusterClient } from "./cluster-client";
import { clusterProfileSchema } from "./cluster-profile";
import { queryRows } from "../db/checked-rows";
import { jobRow, type TrainingChainView } from "./chain-view";
import { pollChain } from "./poll-chains";
import { chainProfile, getChain } from "./read-chains";
import { isActiveJobState, type SlurmClient } from "./slurm-client";
import { TrainingError } from "./training-errors";

/** scancel every unfinished job of the chain; the chain ends CANCELLED once Slurm confirms. */
export async function cancelChain(db: Database, chainId: string, actor: string, given?: SlurmClient): Promise<TrainingChainView> {
  const chain = await getChain(db, chainId);
  if (chain.finishedAt !== null)
    throw new TrainingError(`training chain ${chainId} already ended ${chain.state.toLowerCase()}: nothing to cancel`);
  const client = given ?? clusterClient(clusterProfileSchema.parse(await chainProfile(db, chainId)));
  const jobs = await queryRows(db.pool, jobRow, "SELECT * FROM training_jobs WHERE chain_id = $1", [chainId]);
  const ids = jobs.filter((job) => job.cluster_job_id !== null && isActiveJobState(job.state)).map((job) => job.cluster_job_id!);
  await db.pool.query(
    `UPDATE training_chains SET state = CASE WHEN state = 'FAILED' THEN state ELSE 'CANCELLING' END, reason = COALESCE(reason, $2) WHERE id = $1`,
    [chainId, `cancelled by ${actor}`],
  );
  await client.cancel(ids);
  // scancel returns before slurmctld has moved the jobs: wait briefly for it to say so.
  for (let attempt = 0; attempt < 20; attempt++) {
    const view = await pollChain(db, chainId, client);
    if (view.finishedAt !== null) return view;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return getChain(db, chainId);
}
