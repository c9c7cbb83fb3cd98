"""Embedders for TTT retrieval: the one the TTT index names, run where the job runs.

- `backend:BAAI/bge-large-en-v1.5` (the paper's) or any Hugging Face model id: sentence-transformers
  when installed, else transformers with CLS pooling (bge's own pooling); or, with --embedder-url, the
  studio's OpenAI-compatible /v1/embeddings endpoint serving that model.
- `lexical:tfidf-hash-rp-D`: the studio's offline lexical embedder (TF-IDF over hashed word uni- and
  bigrams, seeded sparse random projection), ported bit for bit from lib/embeddings. Its IDF is fitted on
  a corpus, so the job fits it on the TTT index itself and embeds the index with it.
Every embedder returns L2-normalised float32 rows, so cosine similarity is a dot product.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
import urllib.request
from typing import Protocol, Sequence

import numpy as np

BGE_QUERY_INSTRUCTION = "Represent this sentence for searching relevant passages: "
MASK32 = 0xFFFFFFFF


class Embedder(Protocol):
    name: str
    #: True when vectors depend on a fitted corpus (then the stored index vectors cannot be reused).
    fitted: bool

    def fit(self, corpus: Sequence[str]) -> None: ...

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def normalise_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.where(norms == 0, 1, norms)).astype(np.float32)


# --- the studio's lexical embedder (lib/embeddings/lexical-embedder.ts and friends) -----------------

STOP_WORDS = frozenset(
    (
        "a an and are as at be been but by can could did do does for from had has have he her his how i if in "
        "into is it its may might me my no not of on or our she should so such than that the their them then "
        "there these they this those to was we were what when where which while who why will with would you your"
    ).split(" ")
)
WORD = re.compile(r"[^\W_]+")


def lexical_features(text: str) -> list[str]:
    tokens = [w for w in WORD.findall(unicodedata.normalize("NFKC", text).lower()) if len(w) > 1 and w not in STOP_WORDS]
    return tokens + [f"{tokens[i - 1]} {tokens[i]}" for i in range(1, len(tokens))]


def mix32(value: int) -> int:
    h = value & MASK32
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & MASK32
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & MASK32
    h ^= h >> 16
    return h


def hash_string(text: str, seed: int) -> int:
    """FNV-1a over UTF-16 code units, then mixed (as in feature-hash.ts)."""
    h = (0x811C9DC5 ^ seed) & MASK32
    units = text.encode("utf-16-le")
    for i in range(0, len(units), 2):
        h ^= units[i] | (units[i + 1] << 8)
        h = (h * 0x01000193) & MASK32
    return mix32(h)


def mix32_array(values: np.ndarray) -> np.ndarray:
    h = values.astype(np.uint64) & MASK32
    h ^= h >> np.uint64(16)
    h = (h * np.uint64(0x85EBCA6B)) & MASK32
    h ^= h >> np.uint64(13)
    h = (h * np.uint64(0xC2B2AE35)) & MASK32
    h ^= h >> np.uint64(16)
    return h


class LexicalEmbedder:
    fitted = True

    def __init__(self, dimensions: int, seed: int = 1, buckets: int = 1 << 18) -> None:
        self.name = f"lexical:tfidf-hash-rp-{dimensions}"
        self.dimensions, self.seed, self.mask = dimensions, seed, buckets - 1
        self.document_frequency: dict[int, int] = {}
        self.documents = 0
        self._rows: dict[int, np.ndarray] = {}
        self._dims = np.arange(dimensions, dtype=np.uint64)

    def _counts(self, text: str) -> dict[int, int]:
        counts: dict[int, int] = {}
        for feature in lexical_features(text):
            h = hash_string(feature, self.seed)
            bucket = h & self.mask
            counts[bucket] = counts.get(bucket, 0) + (-1 if h >> 31 == 1 else 1)
        return counts

    def _row(self, bucket: int) -> np.ndarray:
        """Achlioptas' sparse projection row: +1 / -1 with probability 1/6 each (sparse-random-projection.ts)."""
        row = self._rows.get(bucket)
        if row is None:
            first = np.uint64(mix32(bucket ^ self.seed))
            draws = mix32_array(first + ((self._dims * np.uint64(0x9E3779B9)) & MASK32)) % np.uint64(6)
            row = np.where(draws == 0, 1.0, np.where(draws == 1, -1.0, 0.0))
            self._rows[bucket] = row
        return row

    def fit(self, corpus: Sequence[str]) -> None:
        for text in corpus:
            self.documents += 1
            for bucket in self._counts(text):
                self.document_frequency[bucket] = self.document_frequency.get(bucket, 0) + 1

    def _embed(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dimensions, dtype=np.float64)
        for bucket, signed in self._counts(text).items():
            if signed == 0:
                continue
            tf = math.copysign(1 + math.log(abs(signed)), signed)
            idf = math.log((1 + self.documents) / (1 + self.document_frequency.get(bucket, 0))) + 1
            vector += tf * idf * self._row(bucket)
        return vector

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return normalise_rows(np.stack([self._embed(t) for t in texts]) if texts else np.zeros((0, self.dimensions)))

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]


# --- bge and other neural embedders ------------------------------------------------------------------


def query_text(model: str, text: str) -> str:
    # bge-*-en-v1.5 retrieves best with its query instruction on the short side (the model card's advice).
    return f"{BGE_QUERY_INSTRUCTION}{text}" if "bge" in model.lower() and "-en" in model.lower() else text


class EndpointEmbedder:
    """The studio's (or any) OpenAI-compatible /v1/embeddings endpoint."""

    fitted = False

    def __init__(self, model: str, url: str, api_key: str | None) -> None:
        self.name, self.model, self.url, self.api_key = f"backend:{model}", model, url.rstrip("/"), api_key

    def fit(self, corpus: Sequence[str]) -> None:
        return None

    def _post(self, texts: Sequence[str]) -> np.ndarray:
        body = json.dumps({"model": self.model, "input": list(texts)}).encode("utf-8")
        headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {self.api_key}"} if self.api_key else {})}
        endpoint = self.url if self.url.endswith("/embeddings") else f"{self.url}/v1/embeddings"
        with urllib.request.urlopen(urllib.request.Request(endpoint, body, headers), timeout=120) as response:
            rows = sorted(json.load(response)["data"], key=lambda row: row["index"])
        return normalise_rows(np.array([row["embedding"] for row in rows], dtype=np.float32))

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return np.concatenate([self._post(texts[i : i + 64]) for i in range(0, len(texts), 64)]) if texts else np.zeros((0, 0), np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self._post([query_text(self.model, text)])[0]


class HuggingFaceEmbedder:
    fitted = False

    def __init__(self, model: str, device: str) -> None:
        self.name, self.model = f"backend:{model}", model
        try:
            from sentence_transformers import SentenceTransformer  # type: ignore[import-not-found]

            encoder = SentenceTransformer(model, device=device)
            self._encode = lambda texts: encoder.encode(list(texts), normalize_embeddings=True, batch_size=32)
        except ImportError:
            import torch
            from transformers import AutoModel, AutoTokenizer  # type: ignore[import-not-found]

            tokenizer, network = AutoTokenizer.from_pretrained(model), AutoModel.from_pretrained(model).to(device).eval()

            def encode(texts: Sequence[str]) -> np.ndarray:
                batch = tokenizer(list(texts), padding=True, truncation=True, max_length=512, return_tensors="pt").to(device)
                with torch.no_grad():
                    return network(**batch).last_hidden_state[:, 0].float().cpu().numpy()

            self._encode = encode

    def fit(self, corpus: Sequence[str]) -> None:
        return None

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return normalise_rows(np.asarray(self._encode(texts), dtype=np.float32))

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([query_text(self.model, text)])[0]


LEXICAL = re.compile(r"^lexical[:-]tfidf-hash-rp-(\d+)$")


def resolve_embedder(name: str, url: str | None, api_key: str | None, device: str) -> Embedder:
    lexical = LEXICAL.match(name)
    if lexical:
        return LexicalEmbedder(int(lexical.group(1)))
    model = name.split(":", 1)[1] if name.startswith("backend:") else name
    return EndpointEmbedder(model, url, api_key) if url else HuggingFaceEmbedder(model, device)
