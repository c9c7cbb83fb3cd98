"""A tiny causal language model in plain torch: one transformer layer over bytes.

It stands in for an 8B model wherever the procedure, not the model, is under test (the studio's tests,
a dry run on a login node). It has the same surface the TTT job uses from a transformers model:
a tokenizer (UTF-8 bytes plus BOS/EOS/PAD), a forward pass giving next-token logits, dropout, a state
dict. A model is a folder holding finemed_tiny_lm.json (its sizes) and weights.pt.
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import asdict, dataclass

import torch
from torch import nn

CONFIG_FILE = "finemed_tiny_lm.json"
WEIGHTS_FILE = "weights.pt"
BOS, EOS, PAD = 256, 257, 258
VOCAB = 259


@dataclass
class TinyConfig:
    width: int = 64
    heads: int = 4
    context: int = 512
    dropout: float = 0.1
    seed: int = 0


class ByteTokenizer:
    """UTF-8 bytes are the tokens: no vocabulary file, and every text round-trips."""

    bos_token_id, eos_token_id, pad_token_id = BOS, EOS, PAD

    def encode(self, text: str) -> list[int]:
        return list(text.encode("utf-8"))

    def decode(self, ids: list[int]) -> str:
        return bytes(i for i in ids if i < 256).decode("utf-8", errors="replace")


class TinyCausalLM(nn.Module):
    def __init__(self, config: TinyConfig) -> None:
        super().__init__()
        self.config = config
        self.embed = nn.Embedding(VOCAB, config.width)
        self.position = nn.Embedding(config.context, config.width)
        self.layer = nn.TransformerEncoderLayer(
            config.width, config.heads, dim_feedforward=4 * config.width, dropout=config.dropout, batch_first=True
        )
        self.norm = nn.LayerNorm(config.width)
        self.head = nn.Linear(config.width, VOCAB)

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        length = input_ids.shape[1]
        positions = torch.arange(length, device=input_ids.device)
        hidden = self.embed(input_ids) + self.position(positions)[None]
        causal = torch.triu(torch.full((length, length), float("-inf"), device=input_ids.device), diagonal=1)
        return self.head(self.norm(self.layer(hidden, src_mask=causal)))


def is_tiny_model(path: str) -> bool:
    return os.path.isfile(os.path.join(path, CONFIG_FILE))


def load_tiny(path: str) -> TinyCausalLM:
    with open(os.path.join(path, CONFIG_FILE), encoding="utf-8") as handle:
        config = TinyConfig(**json.load(handle))
    model = TinyCausalLM(config)
    model.load_state_dict(torch.load(os.path.join(path, WEIGHTS_FILE), map_location="cpu"))
    return model


def create_tiny(path: str, config: TinyConfig) -> TinyCausalLM:
    torch.manual_seed(config.seed)
    model = TinyCausalLM(config)
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, CONFIG_FILE), "w", encoding="utf-8") as handle:
        json.dump(asdict(config), handle)
    torch.save(model.state_dict(), os.path.join(path, WEIGHTS_FILE))
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description="Create a tiny byte-level causal LM for dry runs and tests.")
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--context", type=int, default=512)
    args = parser.parse_args()
    create_tiny(args.out, TinyConfig(width=args.width, context=args.context, seed=args.seed))
    print(f"tiny causal LM written to {args.out}")


if __name__ == "__main__":
    main()
