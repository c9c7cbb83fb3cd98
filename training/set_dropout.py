#!/usr/bin/env python3
"""Writes the paper's dropout (0.1) into a local model's config.json before LLaMA-Factory trains it.

LLaMA-Factory has no dropout argument for full fine-tuning; transformers models read attention_dropout
from config.json, so the override goes there (the original is kept as config.json.orig). TRL takes the
same value through model_init_kwargs in its config and needs nothing of this.

  python3 training/set_dropout.py --model /models/Llama-3.1-8B [--dropout 0.1]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, help="a local model folder holding config.json")
    parser.add_argument("--dropout", type=float, default=0.1)
    args = parser.parse_args()
    path = os.path.join(args.model, "config.json")
    if not os.path.isfile(path):
        raise SystemExit(f"{path} does not exist: download the base model to a folder first")
    if not os.path.exists(f"{path}.orig"):
        shutil.copyfile(path, f"{path}.orig")
    with open(path, encoding="utf-8") as handle:
        config = json.load(handle)
    config["attention_dropout"] = args.dropout
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(config, handle, indent=2)
    print(f"{path}: attention_dropout = {args.dropout}")


if __name__ == "__main__":
    main()
