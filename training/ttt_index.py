"""The exported TTT index: its rows (data/ttt_index.jsonl), its vectors (data/ttt_index.embeddings.npy)
and the embedder that made them, as manifest.json names them; and top-k retrieval over it."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

import numpy as np


@dataclass
class TttIndex:
    rows: list[dict]
    #: L2-normalised float32, one row per index row; None when the export carries no vectors.
    vectors: np.ndarray | None
    embedder: str | None


def read_jsonl(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_export_index(export_dir: str) -> TttIndex:
    with open(os.path.join(export_dir, "manifest.json"), encoding="utf-8") as handle:
        manifest = json.load(handle)
    split = next((s for s in manifest["splits"] if s["name"] == "ttt_index"), None)
    if split is None:
        raise SystemExit(f"{export_dir}/manifest.json has no ttt_index split")
    data = [f for f in split["files"] if not f.endswith(".npy")]
    if not data or not data[0].endswith(".jsonl"):
        raise SystemExit(f"the TTT job reads a JSONL export; the ttt_index files are {split['files']}")
    rows = read_jsonl(os.path.join(export_dir, data[0]))
    ttt = manifest.get("ttt") or {}
    vectors = None
    if ttt.get("embeddings") == "present" and ttt.get("file"):
        vectors = np.load(os.path.join(export_dir, ttt["file"])).astype(np.float32)
        if vectors.shape[0] != len(rows):
            raise SystemExit(f"{ttt['file']} holds {vectors.shape[0]} vectors for {len(rows)} index rows")
    return TttIndex(rows, vectors, ttt.get("embedder"))


def top_k(vectors: np.ndarray, query: np.ndarray, k: int) -> list[tuple[int, float]]:
    """Exact inner-product search (cosine on normalised rows); ties go to the earlier row."""
    scores = vectors @ query.astype(np.float32)
    order = np.lexsort((np.arange(len(scores)), -scores))[:k]
    return [(int(i), float(scores[i])) for i in order]


def training_text(row: dict) -> tuple[str, str]:
    """The retrieved sample as a conversation turn: its instruction, and its long-form reasoning answer."""
    return row["instruction"], row["response"]
