import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { GeneratedFile } from "./trainer-configs";

/** Where the studio keeps the cluster-side Python jobs (the TTT job, the baseline evaluation). */
export function trainingJobDir(): string {
  return process.env.FINEMED_TRAINING_DIR ?? join(/*turbopackIgnore: true*/ process.cwd(), "training");
}

const SHIPPED = /^(?:[a-z0-9_]+\.py|requirements\.txt|README\.md)$/;

/**
 * The TTT job and the baseline evaluation travel inside every export (training/), so the cluster runs
 * the code that matches the export's layout without a checkout of the studio.
 */
export async function trainingJobFiles(): Promise<GeneratedFile[]> {
  const dir = trainingJobDir();
  const names = (await readdir(/*turbopackIgnore: true*/ dir).catch(() => null))?.filter((name) => SHIPPED.test(name)).sort();
  if (!names || !names.includes("ttt.py"))
    throw new Error(`${dir} holds no ttt.py: the export ships the TTT job from the studio's training/ folder`);
  return Promise.all(
    names.map(async (name) => ({ path: `training/${name}`, content: await readFile(/*turbopackIgnore: true*/ join(dir, name), "utf8") })),
  );
}
