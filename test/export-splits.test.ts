import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parquetReadObjects } from "hyparquet";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { synthesizeForCuration } from "./curation-run";
import { refreshSamples } from "../lib/samples";
import { approveVersion, createVersion, DatasetStateError, submitVersion } from "../lib/datasets";
import { exportDataset, ExportError, type ExportManifest, type MessagesRow, type PreferenceRow, type TttRow } from "../lib/export";

let db: TestDatabase;
let runId: string;
let versionId: string;
let work: string;

function readJsonl<T>(path: string): T[] {
  const text = readFileSync(path, "utf8");
  expect(text === "" || text.endsWith("\n")).toBe(true);
  return text === ""
    ? []
    : text
        .slice(0, -1)
        .split("\n")
        .map((line) => JSON.parse(line) as T);
}

function listFiles(dir: string, prefix = ""): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? listFiles(dir, join(prefix, entry.name)) : [join(prefix, entry.name)]))
    .sort();
}

const splitOf = (manifest: ExportManifest, name: string) => manifest.splits.find((s) => s.name === name)!;

beforeAll(async () => {
  db = await openTestDatabase();
  runId = await synthesizeForCuration(db, "pubmedqa-export", 120);
  await refreshSamples(db, runId);
  const version = await createVersion(db, { name: "FineMed export test", selection: { runIds: [runId] }, actor: "carol" });
  await submitVersion(db, version.id, "carol");
  await approveVersion(db, version.id, "alice", { actorRoles: ["approver"] });
  versionId = version.id;
  work = mkdtempSync(join(tmpdir(), "finemed-export-test-"));
}, 240_000);

afterAll(async () => {
  await db?.drop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("exporting an approved version as JSONL", () => {
  let dir: string;
  let manifest: ExportManifest;

  beforeAll(async () => {
    dir = join(work, "jsonl");
    const result = await exportDataset(db, versionId, dir, { sizes: { sftStage1: 40 } });
    manifest = result.manifest;
    expect(result.rows).toBe(manifest.splits.reduce((sum, s) => sum + s.rows, 0));
  }, 60_000);

  it("lists every file with its size, rows and sha256, and nothing else is in the directory", () => {
    expect(listFiles(dir)).toEqual([...manifest.files.map((f) => f.path), "manifest.json"].sort());
    for (const file of manifest.files) {
      const bytes = readFileSync(join(dir, file.path));
      expect(createHash("sha256").update(bytes).digest("hex"), file.path).toBe(file.sha256);
      expect(bytes.length, file.path).toBe(file.bytes);
      if (file.rows !== null) expect(readJsonl(join(dir, file.path)).length, file.path).toBe(file.rows);
    }
    expect(manifest.dataset).toMatchObject({
      versionId,
      approved: true,
      approvedBy: "alice",
      contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(manifest.sources.runs.map((r) => r.id)).toEqual([runId]);
    expect(manifest.sources.prompts.length).toBeGreaterThanOrEqual(5);
    expect(manifest.sources.models.map((m) => m.role)).toEqual(
      expect.arrayContaining(["generator", "judge", "reasoner", "classifier", "reward"]),
    );
    expect(manifest.simulatedBackend).toBe(true);
    expect(manifest.ttt.embeddings).toBe("absent");
    expect(manifest.options).toMatchObject({ format: "jsonl", seed: "finemed-export", dpoOverlap: "shared", validationFraction: 0.1 });
  });

  it("writes SFT rows in the messages format, with stage 1 train and validation disjoint", async () => {
    const stage1 = splitOf(manifest, "sft_stage1");
    expect(stage1).toMatchObject({ requested: 40, rows: 40, validationRows: 4, trainRows: 36, smallerThanAsked: false });
    const train = readJsonl<MessagesRow>(join(dir, "data/sft_stage1_train.jsonl"));
    const validation = readJsonl<MessagesRow>(join(dir, "data/sft_stage1_validation.jsonl"));
    expect(train).toHaveLength(36);
    expect(validation).toHaveLength(4);
    const trainIds = new Set(train.map((r) => r.id));
    expect(validation.filter((r) => trainIds.has(r.id))).toEqual([]);
    for (const file of [
      "sft_stage1_train",
      "sft_stage1_validation",
      "sft_stage2_internal_medicine",
      "sft_stage3_endocrinology",
      "o1_sft",
    ]) {
      for (const row of readJsonl<MessagesRow>(join(dir, `data/${file}.jsonl`))) {
        expect(Object.keys(row)).toEqual(["id", "messages"]);
        expect(row.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
        expect(row.messages.every((m) => m.content.trim().length > 0)).toBe(true);
      }
    }
    // Stages 2 and 3 hold only their department (labels in force at freeze time), capped by what exists.
    const labelled = async (ids: number[]) =>
      (
        await db.pool.query<{ primary: string; secondary: string | null }>(
          `SELECT p.name AS primary, s.name AS secondary FROM dataset_members m JOIN departments p ON p.id = m.primary_id
           LEFT JOIN departments s ON s.id = m.secondary_id WHERE m.version_id = $1 AND m.instruction_id = ANY($2::bigint[])`,
          [versionId, ids],
        )
      ).rows;
    const stage2 = readJsonl<MessagesRow>(join(dir, "data/sft_stage2_internal_medicine.jsonl"));
    expect(stage2.length).toBeGreaterThan(0);
    expect((await labelled(stage2.map((r) => r.id))).every((l) => l.primary === "Internal Medicine")).toBe(true);
    expect(splitOf(manifest, "sft_stage2")).toMatchObject({ requested: 36_000, smallerThanAsked: true, rows: stage2.length });
    const stage3 = readJsonl<MessagesRow>(join(dir, "data/sft_stage3_endocrinology.jsonl"));
    expect((await labelled(stage3.map((r) => r.id))).every((l) => l.secondary === "Endocrinology")).toBe(true);
    const o1 = readJsonl<MessagesRow>(join(dir, "data/o1_sft.jsonl"));
    expect(o1.length).toBeGreaterThan(0);
    expect(o1.every((r) => /Thought/i.test(r.messages[1]!.content))).toBe(true);
  });

  it("writes DPO rows with prompt, chosen and rejected, never the same answer twice", () => {
    const dpo = readJsonl<PreferenceRow>(join(dir, "data/dpo.jsonl"));
    expect(dpo.length).toBeGreaterThan(0);
    expect(dpo.length).toBe(splitOf(manifest, "dpo").rows);
    for (const row of dpo) {
      expect(Object.keys(row)).toEqual(["id", "prompt", "chosen", "rejected"]);
      expect(row.prompt.trim()).not.toBe("");
      expect(row.chosen.trim()).not.toBe(row.rejected.trim());
    }
    const ttt = readJsonl<TttRow>(join(dir, "data/ttt_index.jsonl"));
    expect(ttt.length).toBe(splitOf(manifest, "ttt_index").available);
    expect(ttt.every((r) => r.instruction && r.response && "primary" in r && !("embedding" in r))).toBe(true);
  });

  it("writes LLaMA-Factory's dataset_info.json and one YAML per stage, in order, with the paper's hyperparameters", () => {
    const info = JSON.parse(readFileSync(join(dir, "data/dataset_info.json"), "utf8")) as Record<
      string,
      { file_name: string; ranking?: boolean; formatting?: string }
    >;
    for (const entry of Object.values(info)) expect(existsSync(join(dir, "data", entry.file_name)), entry.file_name).toBe(true);
    expect(info.finemed_dpo).toMatchObject({ ranking: true, file_name: "dpo.jsonl" });
    expect(info.finemed_sft_stage1_train).toMatchObject({ formatting: "sharegpt" });
    const yaml = (path: string) => readFileSync(join(dir, path), "utf8");
    expect(yaml("llamafactory/1_sft_stage1.yaml")).toMatch(/learning_rate: 3\.0e-5\n[\s\S]*num_train_epochs: 2\n/);
    expect(yaml("llamafactory/1_sft_stage1.yaml")).toContain("eval_dataset: finemed_sft_stage1_validation");
    expect(yaml("llamafactory/1_sft_stage1.yaml")).toContain("model_name_or_path: meta-llama/Llama-3.1-8B");
    expect(yaml("llamafactory/2_sft_stage2.yaml")).toContain("model_name_or_path: saves/llamafactory/1_sft_stage1");
    expect(yaml("llamafactory/3_sft_stage3.yaml")).toMatch(/learning_rate: 5\.0e-6\n[\s\S]*num_train_epochs: 1\n/);
    expect(yaml("llamafactory/4_o1_sft.yaml")).toMatch(/cutoff_len: 8192\n[\s\S]*learning_rate: 5\.0e-7/);
    expect(yaml("llamafactory/5_dpo.yaml")).toContain("model_name_or_path: saves/llamafactory/4_o1_sft\nstage: dpo\n");
    expect(yaml("llamafactory/5_dpo.yaml")).toContain("pref_beta: 0.1\n");
    expect(yaml("trl/5_dpo.yaml")).toContain("beta: 0.1");
    expect(yaml("trl/1_sft_stage1.yaml")).toContain(
      "data_files:\n      - data/sft_stage1_train.jsonl\n      - data/sft_stage1_validation.jsonl",
    );
    expect(yaml("trl/5_dpo.yaml")).toContain("data_files: data/dpo_conversational.jsonl");
    // TRL's conversational copy of the DPO rows: the same pairs as message lists.
    const plain = readFileSync(join(dir, "data/dpo.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { id: number; prompt: string; chosen: string });
    const chat = readFileSync(join(dir, "data/dpo_conversational.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map(
        (line) =>
          JSON.parse(line) as { id: number; prompt: { role: string; content: string }[]; chosen: { role: string; content: string }[] },
      );
    expect(chat.map((row) => [row.id, row.prompt[0]!.content, row.chosen[0]!.content, row.chosen[0]!.role])).toEqual(
      plain.map((row) => [row.id, row.prompt, row.chosen, "assistant"]),
    );
    // The TTT job travels with the export.
    expect(yaml("training/ttt.py")).toContain("def main(");
    expect(JSON.parse(yaml("deepspeed/ds_z3_config.json")).zero_optimization.stage).toBe(3);
    const card = yaml("README.md");
    expect(card).toContain(manifest.dataset.contentHash);
    expect(card).toContain("| Internal Medicine |");
    expect(card).toContain("Simulated backend");
  });

  it("gives byte-identical files when the same version is exported again", async () => {
    const again = join(work, "jsonl-again");
    await exportDataset(db, versionId, again, { sizes: { sftStage1: 40 } });
    expect(listFiles(again)).toEqual(listFiles(dir));
    for (const file of listFiles(dir)) expect(readFileSync(join(again, file)).equals(readFileSync(join(dir, file))), file).toBe(true);
  }, 60_000);
});

describe("export options and refusals", () => {
  it("keeps o1 SFT and DPO apart with dpoOverlap disjoint", async () => {
    const dir = join(work, "disjoint");
    const { manifest } = await exportDataset(db, versionId, dir, { dpoOverlap: "disjoint", sizes: { o1Sft: 3 } });
    const o1 = readJsonl<MessagesRow>(join(dir, "data/o1_sft.jsonl")).map((r) => r.id);
    const dpo = readJsonl<PreferenceRow>(join(dir, "data/dpo.jsonl")).map((r) => r.id);
    expect(o1).toHaveLength(3);
    expect(dpo.filter((id) => o1.includes(id))).toEqual([]);
    expect(splitOf(manifest, "dpo").available).toBeLessThan(
      (
        await db.pool.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM dataset_members WHERE version_id = $1 AND rejected_response_id IS NOT NULL",
          [versionId],
        )
      ).rows[0]!.n + 1,
    );
    expect(manifest.overlaps.o1SftAndDpo).toMatch(/^disjoint/);
  }, 60_000);

  it("writes Parquet with the same rows and the messages as a list of structs", async () => {
    const dir = join(work, "parquet");
    const { manifest } = await exportDataset(db, versionId, dir, { format: "parquet", sizes: { sftStage1: 40 } });
    const read = async (path: string) => {
      const buffer = readFileSync(join(dir, path));
      return parquetReadObjects({ file: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) });
    };
    for (const file of manifest.files.filter((f) => f.rows !== null)) expect((await read(file.path)).length, file.path).toBe(file.rows);
    const train = await read("data/sft_stage1_train.parquet");
    const jsonl = readJsonl<MessagesRow>(join(work, "jsonl/data/sft_stage1_train.jsonl"));
    expect(train.map((r) => ({ id: Number(r.id), messages: r.messages }))).toEqual(jsonl);
    const dpo = await read("data/dpo.parquet");
    expect(dpo.every((r) => r.chosen !== r.rejected)).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, "data/dataset_info.json"), "utf8")).finemed_dpo.file_name).toBe("dpo.parquet");
  }, 60_000);

  it("refuses an unapproved version, a non-empty target and bad options, leaving nothing behind", async () => {
    const draft = await createVersion(db, { name: "draft", selection: { runIds: [runId] }, actor: "carol" });
    await expect(exportDataset(db, draft.id, join(work, "draft"))).rejects.toBeInstanceOf(DatasetStateError);
    expect(existsSync(join(work, "draft"))).toBe(false);
    const preview = await exportDataset(db, draft.id, join(work, "draft-preview"), { allowUnapproved: true, sizes: { sftStage1: 10 } });
    expect(preview.manifest.dataset.approved).toBe(false);
    expect(readFileSync(join(work, "draft-preview/README.md"), "utf8")).toContain("**Not approved**");

    const occupied = join(work, "occupied");
    rmSync(occupied, { recursive: true, force: true });
    await exportDataset(db, versionId, occupied, { sizes: { sftStage1: 10 } });
    writeFileSync(join(occupied, "mine.txt"), "keep me");
    await expect(exportDataset(db, versionId, occupied)).rejects.toBeInstanceOf(ExportError);
    expect(readFileSync(join(occupied, "mine.txt"), "utf8")).toBe("keep me");
    await expect(exportDataset(db, versionId, join(work, "bad"), { validationFraction: 0.9 })).rejects.toBeInstanceOf(ExportError);
    expect(readdirSync(work).filter((name) => name.includes(".partial-"))).toEqual([]);
  }, 60_000);

  it("leaves no directory at all when an export fails midway", async () => {
    const target = join(work, "failed");
    let batches = 0;
    const failing = exportDataset(db, versionId, target, {}, () => {
      if (++batches === 3) throw new Error("disk full (simulated)");
    });
    await expect(failing).rejects.toThrow("disk full (simulated)");
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(work).filter((name) => name.includes(".partial-"))).toEqual([]);
    // The connection went back to the pool in a usable state.
    expect((await db.pool.query<{ ok: number }>("SELECT 1 AS ok")).rows).toEqual([{ ok: 1 }]);
  }, 60_000);
});

describe("FineMed's release layout beside the training splits", () => {
  it("writes one folder per primary department, Medicine (all) and SFTo1Data, each file in the manifest", async () => {
    const dir = join(work, "release-layout");
    const { manifest } = await exportDataset(db, versionId, dir, { releaseLayout: true });
    const release = manifest.files.filter((f) => f.path.startsWith("release/"));
    const folders = release.map((f) => f.path.split("/")[1]!);
    expect(folders).toContain("Medicine (all)");
    expect(folders).toContain("SFTo1Data");
    const rowsOf = (folder: string) => release.find((f) => f.path === `release/${folder}/train.jsonl`)!.rows;
    const common = await db.pool.query<{ n: number; labelled: number }>(
      "SELECT count(*)::int AS n, count(primary_id)::int AS labelled FROM dataset_members WHERE version_id = $1 AND tier = 'common'",
      [versionId],
    );
    const complex = await db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM dataset_members WHERE version_id = $1 AND tier = 'complex'",
      [versionId],
    );
    expect(rowsOf("Medicine (all)")).toBe(common.rows[0]!.n);
    expect(rowsOf("SFTo1Data")).toBe(complex.rows[0]!.n);
    const departments = folders.filter((f) => f !== "Medicine (all)" && f !== "SFTo1Data");
    expect(departments.length).toBeGreaterThan(0);
    expect(departments.reduce((sum, f) => sum + rowsOf(f)!, 0)).toBe(common.rows[0]!.labelled);
    for (const file of release) {
      const bytes = readFileSync(join(dir, file.path));
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(file.sha256);
      expect(readJsonl<MessagesRow>(join(dir, file.path)).every((row) => row.messages.at(-1)!.role === "assistant")).toBe(true);
    }
    expect(readFileSync(join(dir, "README.md"), "utf8")).toContain("release/Medicine (all)/train.jsonl");
  }, 120_000);
});
