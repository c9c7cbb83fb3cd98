import type { Database } from "../db/database";
import { clusterClient } from "./cluster-client";
import { clusterProfileSchema } from "./cluster-profile";
import { queryRows } from "../db/checked-rows";
import { jobRow } from "./chain-view";
import { chainProfile } from "./read-chains";
import { TrainingError } from "./training-errors";

export const LOG_STREAMS = ["out", "err"] as const;
export type LogStream = (typeof LOG_STREAMS)[number];
export const MAX_LOG_BYTES = 1_000_000;

export interface JobLog {
  path: string;
  stream: LogStream;
  /** null: the file does not exist (yet: the job has not started). */
  text: string | null;
  maxBytes: number;
}

/** The tail of a stage job's stdout or stderr, read where the cluster wrote it. */
export async function readJobLog(db: Database, chainId: string, jobRef: string, stream: LogStream, maxBytes = 64_000): Promise<JobLog> {
  const bytes = Math.min(Math.max(1, Math.floor(maxBytes)), MAX_LOG_BYTES);
  // A job is named by its row id or its stage key ("2_sft_stage2"), whichever the caller has.
  const [job] = await queryRows(
    db.pool,
    jobRow,
    `SELECT * FROM training_jobs WHERE chain_id = $1::uuid AND (id::text = $2 OR stage = $2)`,
    [chainId, jobRef],
  );
  if (!job) throw new TrainingError(`training chain ${chainId} has no job ${jobRef}`);
  const client = clusterClient(clusterProfileSchema.parse(await chainProfile(db, chainId)));
  const path = stream === "out" ? job.stdout_path : job.stderr_path;
  return { path, stream, text: await client.tail(path, bytes), maxBytes: bytes };
}
