import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// The stand-in stage script on hand-made exports: what it accepts and why it refuses. (The chain
// tests run it on real exports through Slurm.)

const SCRIPT = join(process.cwd(), "examples/training/stand-in-stage.mjs");
const work = mkdtempSync(join(tmpdir(), "finemed-stand-in-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const sha256 = (bytes: Buffer | string) => createHash("sha256").update(bytes).digest("hex");

function npy(rows: number, dimensions: number): Buffer {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${dimensions}), }`;
  header += `${" ".repeat(64 - ((10 + header.length + 1) % 64))}\n`;
  const prefix = Buffer.alloc(10);
  prefix.write("\x93NUMPY", "latin1");
  prefix[6] = 1;
  prefix.writeUInt16LE(header.length, 8);
  return Buffer.concat([prefix, Buffer.from(header, "latin1"), Buffer.alloc(rows * dimensions * 4)]);
}

/** An export with one split's files and a manifest saying what they hold (`claims` overrides a file's entry). */
function exportWith(
  name: string,
  split: string,
  files: Record<string, Buffer | string>,
  claims: Record<string, { rows?: number }> = {},
): string {
  const dir = join(work, name);
  mkdirSync(join(dir, "data"), { recursive: true });
  const entries = Object.entries(files).map(([path, content]) => {
    writeFileSync(join(dir, path), content);
    const rows = path.endsWith(".jsonl") ? String(content).split("\n").filter(Boolean).length : (claims[path]?.rows ?? 0);
    return { path, bytes: Buffer.byteLength(content), rows: claims[path]?.rows ?? rows, sha256: sha256(content) };
  });
  const rows = entries.filter((e) => e.path.endsWith(".jsonl")).reduce((sum, e) => sum + e.rows, 0);
  writeFileSync(
    join(dir, "manifest.json"),
    JSON.stringify({ dataset: { versionId: "v" }, splits: [{ name: split, files: Object.keys(files), rows }], files: entries }),
  );
  return dir;
}

function stage(key: string, dir: string) {
  const out = join(dir, "out");
  const run = spawnSync(process.execPath, [SCRIPT, "--stage", key, "--export", dir, "--out", out], { encoding: "utf8" });
  return {
    code: run.status,
    stderr: run.stderr,
    result:
      run.status === 0
        ? (JSON.parse(readFileSync(join(out, "result.json"), "utf8")) as {
            rowsSeen: number;
            files: { path: string; dimensions?: number }[];
          })
        : null,
  };
}

const ttt = [1, 2, 3].map((id) => JSON.stringify({ id, instruction: `q${id}`, response: `a${id}` })).join("\n") + "\n";

describe("the stand-in stage", () => {
  it("checks the TTT index and its embeddings (.npy shape against the manifest)", () => {
    const ok = stage(
      "6_ttt_eval",
      exportWith(
        "ttt",
        "ttt_index",
        { "data/ttt_index.jsonl": ttt, "data/ttt_index.embeddings.npy": npy(3, 8) },
        { "data/ttt_index.embeddings.npy": { rows: 3 } },
      ),
    );
    expect(ok.code).toBe(0);
    expect(ok.result!.rowsSeen).toBe(3);
    expect(ok.result!.files[1]).toMatchObject({ path: "data/ttt_index.embeddings.npy", dimensions: 8 });
    const short = stage(
      "6_ttt_eval",
      exportWith(
        "ttt-short",
        "ttt_index",
        { "data/ttt_index.jsonl": ttt, "data/ttt_index.embeddings.npy": npy(2, 8) },
        { "data/ttt_index.embeddings.npy": { rows: 3 } },
      ),
    );
    expect(short.code).toBe(1);
    expect(short.stderr).toContain("2 vectors, the manifest says 3");
  });

  it("refuses a DPO pair whose chosen answer is the rejected one, and a row count the manifest does not state", () => {
    const same = JSON.stringify({ id: 1, prompt: "p", chosen: "same", rejected: " same " }) + "\n";
    const dpo = stage("5_dpo", exportWith("dpo", "dpo", { "data/dpo.jsonl": same }));
    expect(dpo.code).toBe(1);
    expect(dpo.stderr).toContain("DPO row 1 has chosen equal to rejected");
    const sft =
      JSON.stringify({
        id: 1,
        messages: [
          { role: "user", content: "q" },
          { role: "assistant", content: "a" },
        ],
      }) + "\n";
    const miscounted = stage(
      "2_sft_stage2",
      exportWith(
        "sft",
        "sft_stage2",
        { "data/sft_stage2_internal_medicine.jsonl": sft },
        { "data/sft_stage2_internal_medicine.jsonl": { rows: 2 } },
      ),
    );
    expect(miscounted.code).toBe(1);
    expect(miscounted.stderr).toContain("1 rows, the manifest says 2");
    expect(stage("9_unknown", join(work, "dpo")).code).toBe(1);
  });
});
