import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The interpreter the TTT job runs under in tests: Debian's, which has python3-torch (a pyenv python3 on PATH may not). */
export const PYTHON = process.env.FINEMED_PYTHON ?? "/usr/bin/python3";

/**
 * Why the TTT job cannot run here, or null when it can. Only a developer machine without torch may
 * skip: in CI (CI set) a missing torch is a failure, not a skip.
 */
export function torchUnavailable(): string | null {
  const probe = spawnSync(PYTHON, ["-c", "import torch, numpy"], { encoding: "utf8" });
  if (probe.status === 0) return null;
  const reason = `${PYTHON} cannot import torch and numpy (apt-get install -y python3-torch python3-numpy): ${(probe.stderr || probe.error?.message || "").trim().split("\n").at(-1)}`;
  if (process.env.CI) throw new Error(`${reason}; CI must run the TTT job tests`);
  return reason;
}

/** Writes training/tiny_lm.py's one-layer byte-level causal LM into `dir`. */
export function writeTinyModel(dir: string, seed = 0): void {
  const made = spawnSync(PYTHON, ["training/tiny_lm.py", "--out", dir, "--seed", String(seed), "--context", "512"], { encoding: "utf8" });
  if (made.status !== 0) throw new Error(`tiny model: ${made.stderr}`);
}

export interface TinyIndexRow {
  id: number;
  instruction: string;
  response: string;
}

/** A NumPy .npy v1.0 float32 matrix (what lib/export writes beside the TTT index). */
function npy(vectors: readonly (readonly number[])[]): Buffer {
  const columns = vectors[0]?.length ?? 0;
  const dictionary = `{'descr': '<f4', 'fortran_order': False, 'shape': (${vectors.length}, ${columns}), }`;
  const padding = (64 - ((10 + dictionary.length + 1) % 64)) % 64;
  const header = `${dictionary}${" ".repeat(padding)}\n`;
  const head = Buffer.alloc(10 + header.length);
  head.write("\x93NUMPY", 0, "latin1");
  head[6] = 1;
  head.writeUInt16LE(header.length, 8);
  head.write(header, 10, "latin1");
  return Buffer.concat([head, Buffer.from(Float32Array.from(vectors.flat()).buffer)]);
}

/** A minimal export holding only the TTT index (rows, optional vectors, the embedder's name), as lib/export lays it out. */
export function writeTinyTttExport(
  dir: string,
  rows: readonly TinyIndexRow[],
  embedder: string,
  vectors: readonly (readonly number[])[] | null,
): void {
  mkdirSync(join(dir, "data"), { recursive: true });
  const lines = rows.map((row) =>
    JSON.stringify({ ...row, thought: null, summarization: null, primary: "Endocrinology", secondary: null }),
  );
  writeFileSync(join(dir, "data/ttt_index.jsonl"), `${lines.join("\n")}\n`);
  const files = ["data/ttt_index.jsonl"];
  if (vectors) {
    writeFileSync(join(dir, "data/ttt_index.embeddings.npy"), npy(vectors));
    files.push("data/ttt_index.embeddings.npy");
  }
  const manifest = {
    format: "finemed-export/1",
    splits: [{ name: "ttt_index", rows: rows.length, files }],
    ttt: vectors
      ? { embeddings: "present", embedder, dimensions: vectors[0]!.length, file: "data/ttt_index.embeddings.npy", note: "test index" }
      : { embeddings: "absent", embedder: null, dimensions: null, file: null, note: "test index" },
  };
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest, null, 2));
}

/** Eight samples on distinct topics, and questions each sharing its words with exactly one of them. */
export const TINY_INDEX: TinyIndexRow[] = [
  {
    id: 101,
    instruction: "How is type 2 diabetes treated with metformin and insulin?",
    response: "Metformin first; insulin when glucose stays high.",
  },
  { id: 102, instruction: "What inhaler relieves an acute asthma attack?", response: "A short-acting beta agonist such as salbutamol." },
  { id: 103, instruction: "How long does a wrist fracture stay in a cast?", response: "Usually six weeks in a cast, then physiotherapy." },
  { id: 104, instruction: "Which antibiotic treats streptococcal pharyngitis?", response: "Penicillin V for ten days, or amoxicillin." },
  {
    id: 105,
    instruction: "What does a thyroid TSH test measure in hypothyroidism?",
    response: "TSH rises when the thyroid makes too little hormone.",
  },
  {
    id: 106,
    instruction: "How is hypertension managed with lifestyle and ACE inhibitors?",
    response: "Less salt, exercise, then an ACE inhibitor.",
  },
  { id: 107, instruction: "What causes iron deficiency anaemia in adults?", response: "Blood loss or poor absorption of iron." },
  { id: 108, instruction: "How is migraine headache prevented?", response: "Propranolol or topiramate; avoid triggers." },
];

export interface BenchmarkQuestion {
  id: string;
  question: string;
  choices: string[];
  answer: string;
}

const TOPICS = [
  "metformin insulin diabetes",
  "asthma inhaler attack",
  "wrist fracture cast",
  "streptococcal pharyngitis antibiotic",
  "thyroid TSH hypothyroidism",
  "hypertension ACE inhibitors",
  "iron deficiency anaemia",
  "migraine headache prevented",
];

export function tinyBenchmark(count: number): BenchmarkQuestion[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `q${i + 1}`,
    question: `A patient asks about ${TOPICS[i % TOPICS.length]}: which option is right?`,
    choices: ["first option", "second option", "third option", "fourth option"],
    answer: "ABCD"[i % 4]!,
  }));
}
