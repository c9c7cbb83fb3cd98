import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fitLexicalEmbedder } from "../lib/embeddings/lexical-embedder";
import { DEFAULT_SIM_MODEL, startSimulator, type SimulatorHandle } from "../lib/simulator/server";
import { PYTHON, TINY_INDEX, tinyBenchmark, torchUnavailable, writeTinyModel, writeTinyTttExport } from "./support/ttt-fixture";

const skip = torchUnavailable();
if (skip) console.warn(`TTT job tests skipped: ${skip}`);

interface TttRecord {
  key: string;
  number: number;
  retrievedId: number;
  retrieved: { id: number; score: number }[];
  lossBefore: number;
  lossAfter: number;
  predicted: string | null;
  gold: string;
  correct: boolean;
  weightsRestored: boolean;
  tunedSha256: string;
  restoredSha256: string;
  originalSha256: string;
}

let work: string;
let simulator: SimulatorHandle;
let vectors: number[][];
const QUESTIONS = tinyBenchmark(12);

async function embed(texts: string[]): Promise<number[][]> {
  const response = await fetch(`${simulator.url}/v1/embeddings`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: DEFAULT_SIM_MODEL, input: texts }),
  });
  const body = (await response.json()) as { data: { embedding: number[] }[] };
  return body.data.map((row) => {
    const norm = Math.hypot(...row.embedding);
    return row.embedding.map((value) => value / norm);
  });
}

/** The weights file's digest, computed apart from the job: sha256 over the state dict's tensors in name order. */
function checkpointDigest(modelDir: string): string {
  const script = `import hashlib, sys, torch
state = torch.load(sys.argv[1] + "/weights.pt", map_location="cpu")
d = hashlib.sha256()
for name in sorted(state):
    d.update(name.encode()); d.update(state[name].contiguous().flatten().view(torch.uint8).numpy().tobytes())
print(d.hexdigest())`;
  const run = spawnSync(PYTHON, ["-c", script, modelDir], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout.trim();
}

function tttArgs(out: string, extra: string[] = []): string[] {
  return [
    "training/ttt.py",
    ...["--export", join(work, "export"), "--benchmark", join(work, "benchmark.jsonl"), "--model", join(work, "model"), "--out", out],
    ...[
      "--embedder-url",
      simulator.url,
      "--learning-rate",
      "1e-3",
      "--steps",
      "3",
      "--max-length",
      "256",
      "--shots",
      "0",
      "--temperature",
      "0",
    ],
    ...extra,
  ];
}

/** The job run as a child process without blocking the event loop: the in-process simulator must keep answering. */
function runPython(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(PYTHON, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const readRecords = (out: string): TttRecord[] =>
  readFileSync(join(out, "results.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as TttRecord);

describe.skipIf(skip !== null)("the TTT job (training/ttt.py) on a tiny torch causal LM", () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "finemed-ttt-"));
    simulator = await startSimulator();
    writeTinyModel(join(work, "model"));
    vectors = await embed(TINY_INDEX.map((row) => row.instruction));
    writeTinyTttExport(join(work, "export"), TINY_INDEX, `backend:${DEFAULT_SIM_MODEL}`, vectors);
    writeFileSync(join(work, "benchmark.jsonl"), `${QUESTIONS.map((q) => JSON.stringify(q)).join("\n")}\n`);
  }, 60_000);

  afterAll(async () => {
    await simulator?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("retrieves the true nearest neighbour, lowers its loss, restores the weights bit for bit and answers every question once", async () => {
    const out = join(work, "run-full");
    const run = await runPython(tttArgs(out, ["--max-new-tokens", "4", "--record-digests"]));
    expect(run.status, run.stderr).toBe(0);
    const records = readRecords(out);
    expect(records.map((r) => r.key)).toEqual(QUESTIONS.map((q) => q.id));

    const questionVectors = await embed(QUESTIONS.map((q) => q.question));
    const original = checkpointDigest(join(work, "model"));
    for (const [i, record] of records.entries()) {
      const scores = vectors.map((row) => row.reduce((sum, value, d) => sum + value * questionVectors[i]![d]!, 0));
      const nearest = TINY_INDEX[scores.indexOf(Math.max(...scores))]!.id;
      expect(record.retrievedId, record.key).toBe(nearest);
      // Each question names its topic's sample: the embedder and the search agree with the content too.
      expect(record.retrievedId).toBe(TINY_INDEX[i % TINY_INDEX.length]!.id);
      expect(record.lossAfter, record.key).toBeLessThan(record.lossBefore);
      expect(record.tunedSha256).not.toBe(original);
      expect(record.originalSha256).toBe(original);
      expect(record.restoredSha256, record.key).toBe(original);
      expect(record.weightsRestored).toBe(true);
      expect(record.correct).toBe(record.predicted === record.gold);
    }
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as {
      questions: number;
      answered: number;
      correct: number;
      accuracy: number;
    };
    const correct = records.filter((r) => r.correct).length;
    expect(summary).toMatchObject({ questions: 12, answered: 12, correct, accuracy: correct / 12 });
    expect(JSON.parse(/^FINEMED_EVAL (.*)$/m.exec(run.stdout)![1]!)).toEqual(summary);
    expect(run.stdout).toMatch(/\[ttt\] question 12\/12 \(q12\): retrieved 104 .*loss [\d.]+ -> [\d.]+/);
  }, 120_000);

  it("continues where a job killed with SIGKILL stopped, skipping the questions already answered", async () => {
    const out = join(work, "run-killed");
    const child = spawn(PYTHON, tttArgs(out, ["--max-new-tokens", "12"]), { stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        log += chunk.toString();
        if (/question 3\/12/.test(log)) child.kill("SIGKILL");
      });
      child.on("exit", (code, signal) =>
        signal === "SIGKILL" ? resolve() : reject(new Error(`job ended by itself (${code}) before the kill: ${log}`)),
      );
    });
    const before = readRecords(out);
    expect(before.length).toBeGreaterThanOrEqual(3);
    expect(before.length).toBeLessThan(12);

    const rerun = await runPython(tttArgs(out, ["--max-new-tokens", "12"]));
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain(`resuming: ${before.length} of 12 questions already answered`);
    const answeredAgain = [...rerun.stdout.matchAll(/question (\d+)\/12/g)].map((m) => Number(m[1]));
    expect(answeredAgain).toEqual(Array.from({ length: 12 - before.length }, (_, i) => before.length + i + 1));
    const after = readRecords(out);
    expect(after.map((r) => r.key)).toEqual(QUESTIONS.map((q) => q.id));
    expect(after.slice(0, before.length)).toEqual(before);
  }, 120_000);

  it("embeds with the studio's lexical embedder exactly as lib/embeddings does when the index names it", () => {
    const texts = TINY_INDEX.map((row) => row.instruction);
    const script = `import json, sys
sys.path.insert(0, "training")
from embedders import resolve_embedder
e = resolve_embedder("lexical:tfidf-hash-rp-64", None, None, "cpu")
texts = json.loads(sys.argv[1])
e.fit(texts)
print(json.dumps(e.embed_documents(texts + ["Zürich naïve café 糖尿病 insulin"]).tolist()))`;
    const probe = [...texts, "Zürich naïve café 糖尿病 insulin"];
    const run = spawnSync(PYTHON, ["-c", script, JSON.stringify(texts)], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const python = JSON.parse(run.stdout) as number[][];
    const node = fitLexicalEmbedder(texts, { dimensions: 64 });
    for (const [i, text] of probe.entries()) {
      const expected = Array.from(node.embed(text));
      python[i]!.forEach((value, d) => expect(value).toBeCloseTo(expected[d]!, 5));
    }
  });

  it("evaluates the baseline without TTT: 3-shot, 3 repeats, the mean of their accuracies", () => {
    const out = join(work, "baseline");
    const args = [
      "training/evaluate.py",
      "--benchmark",
      join(work, "benchmark.jsonl"),
      "--model",
      join(work, "model"),
      "--out",
      out,
      "--max-new-tokens",
      "4",
      "--temperature",
      "0",
    ];
    const run = spawnSync(PYTHON, args, { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const summary = JSON.parse(/FINEMED_EVAL (.*)/.exec(run.stdout)![1]!) as {
      mode: string;
      shots: number;
      repeats: number;
      repeatAccuracies: number[];
      accuracy: number;
      answered: number;
    };
    expect(summary).toMatchObject({ mode: "baseline", shots: 3, repeats: 3, answered: 36 });
    expect(summary.repeatAccuracies).toHaveLength(3);
    expect(summary.accuracy).toBeCloseTo(summary.repeatAccuracies.reduce((a, b) => a + b, 0) / 3, 10);
    const records = readFileSync(join(out, "results.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { repeat: number; correct: boolean });
    for (let repeat = 0; repeat < 3; repeat += 1) {
      const mine = records.filter((r) => r.repeat === repeat);
      expect(summary.repeatAccuracies[repeat]).toBeCloseTo(mine.filter((r) => r.correct).length / mine.length, 10);
    }
  }, 120_000);
});
