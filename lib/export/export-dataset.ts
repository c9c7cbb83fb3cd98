import { randomBytes } from "node:crypto";
import { mkdir, readdir, rename, rm, rmdir, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { DatasetStateError } from "../datasets/dataset-errors";
import { getVersion } from "../datasets/read-versions";
import { stageDepartmentIds } from "../datasets/stage-departments";
import { datasetCard } from "./dataset-card";
import { ExportError, ShortSplitsRefused } from "./export-errors";
import { findShortSplits, type ShortSplit } from "./short-splits";
import { buildManifest, type ExportManifest, type ManifestFile } from "./export-manifest";
import { exportOptionsSchema, type ExportOptionsInput } from "./export-options";
import { exportSources } from "./export-sources";
import { fileChecksum } from "./file-checksum";
import { planSplits, splitSeed } from "./split-plan";
import { disjointDpoCountQuery, type SplitQueryContext } from "./split-query";
import { trainerConfigs } from "./trainer-configs";
import { trainingJobFiles } from "./training-job-files";
import { writeReleaseLayout, type ReleaseFolder } from "./release-layout";
import { writeSplit, type ExportProgress, type WrittenSplit } from "./write-splits";
import { DATA_DIR } from "./split-files";
import { writeTttEmbeddings, type TttEmbeddings } from "./ttt-embeddings";

export interface ExportResult {
  outDir: string;
  manifest: ExportManifest;
  /** Data rows written over every split file. */
  rows: number;
}

async function assertUsableTarget(target: string): Promise<void> {
  const existing = await stat(target).catch(() => null);
  if (existing === null) return;
  if (!existing.isDirectory()) throw new ExportError(`${target} exists and is not a directory`);
  if ((await readdir(target)).length > 0) throw new ExportError(`${target} is not empty: export into a new directory`);
}

/**
 * Exports a dataset version's training splits, trainer configs, card and manifest into `outDir`.
 * Everything is written into a sibling temporary directory that is renamed into place at the end,
 * so a failed or killed export never leaves a directory that looks complete. Rows stream from
 * server-side cursors in one read-only snapshot; sampling is seeded and ordering total, so the same
 * version and options always give byte-identical files.
 */
export async function exportDataset(
  db: Database,
  versionId: string,
  outDir: string,
  input: ExportOptionsInput = {},
  progress?: ExportProgress,
): Promise<ExportResult> {
  const parsed = exportOptionsSchema.safeParse(input);
  if (!parsed.success)
    throw new ExportError(`invalid export options: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const options = parsed.data;
  const version = await getVersion(db, versionId);
  if (version.state !== "approved" && !options.allowUnapproved) {
    throw new DatasetStateError(
      `dataset version ${versionId} is ${version.state.replace("_", " ")}: only an approved version is exported (allow a preview with --allow-unapproved)`,
    );
  }
  const target = resolve(outDir);
  await assertUsableTarget(target);
  const temp = join(dirname(target), `.${basename(target)}.partial-${randomBytes(6).toString("hex")}`);
  let short: ShortSplit[];
  try {
    const sources = await exportSources(db, version.selection.runIds);
    const stageIds = stageDepartmentIds(version.departments);
    const names = new Map(version.departments.map((d) => [d.id, d.name]));
    const nameOf = (id: number | null) => (id === null ? null : (names.get(id) ?? `#${id}`));
    const context: SplitQueryContext = {
      versionId,
      internalMedicineId: stageIds.internalMedicine,
      endocrinologyId: stageIds.endocrinology,
    };

    const written: WrittenSplit[] = [];
    let ttt: TttEmbeddings | null = null;
    let release: ReleaseFolder[] = [];
    const client = await db.pool.connect();
    try {
      // One snapshot for every split (members never change, but their texts are read across queries).
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      // An export is a long bulk read: the web pool's statement limit is for interactive queries.
      await client.query("SET LOCAL statement_timeout = 0");
      let disjointAvailable: number | null = null;
      if (options.dpoOverlap === "disjoint") {
        const o1Rows = planSplits(version.counts, options, null).find((s) => s.name === "o1_sft")!.rows;
        context.excludeO1 = { seed: splitSeed(options.seed, "o1_sft"), rows: o1Rows };
        const counting = disjointDpoCountQuery({ ...context, excludeO1: context.excludeO1 });
        const [counted] = await queryRows(client, z.object({ n: z.number().int() }), counting.text, counting.values);
        disjointAvailable = counted!.n;
      }
      short = findShortSplits(version.counts, options, disjointAvailable);
      // Refused before any directory is made, so a refusal leaves the disk as it was.
      if (options.shortSplitGate && short.length > 0 && !options.acknowledgeShortSplits) throw new ShortSplitsRefused(short);
      await mkdir(join(temp, DATA_DIR), { recursive: true });
      for (const split of planSplits(version.counts, options, disjointAvailable)) {
        written.push(await writeSplit(client, split, context, temp, options, nameOf, progress));
      }
      ttt = await writeTttEmbeddings(client, temp, written.find((split) => split.name === "ttt_index")?.ids ?? []);
      if (options.releaseLayout) release = await writeReleaseLayout(client, temp, versionId, version.departments);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }

    const files: ManifestFile[] = [];
    for (const split of written) {
      for (const [path, rows] of split.fileRows) files.push({ path, rows, ...(await fileChecksum(join(temp, path))) });
    }
    if (!ttt) throw new Error("the TTT index was not written");
    for (const folder of release) files.push({ path: folder.file, rows: folder.rows, ...(await fileChecksum(join(temp, folder.file))) });
    const tttSplit = written.find((split) => split.name === "ttt_index");
    if (ttt.file && tttSplit) tttSplit.files.push(ttt.file);
    if (ttt.file)
      files.push({
        path: ttt.file,
        rows: written.find((split) => split.name === "ttt_index")?.written ?? 0,
        ...(await fileChecksum(join(temp, ttt.file))),
      });
    const generated = [
      ...trainerConfigs(versionId, options.format, options.gpus, options.validationFraction),
      ...(await trainingJobFiles()),
    ];
    const draft = buildManifest(version, options, written, sources, [], ttt, short);
    generated.push({ path: "README.md", content: datasetCard(draft) });
    for (const file of generated) {
      await mkdir(dirname(join(temp, file.path)), { recursive: true });
      await writeFile(join(temp, file.path), file.content, { flag: "wx" });
      files.push({ path: file.path, rows: null, ...(await fileChecksum(join(temp, file.path))) });
    }
    const manifest = buildManifest(version, options, written, sources, files, ttt, short);
    await writeFile(join(temp, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`, { flag: "wx" });

    await assertUsableTarget(target);
    await rmdir(target).catch(() => undefined);
    await rename(temp, target);
    return { outDir: target, manifest, rows: written.reduce((sum, s) => sum + s.written, 0) };
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    // A full disk is the operator's to fix, so it is said plainly rather than as a bare ENOSPC.
    if ((error as NodeJS.ErrnoException).code === "ENOSPC") {
      throw new ExportError(
        `no space left on device while writing the export into ${dirname(target)}; the partial files were removed and nothing was exported`,
      );
    }
    throw error;
  }
}
