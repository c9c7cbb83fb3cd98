#!/usr/bin/env python3
"""FineMed test-time training (paper section 3.3), one benchmark question at a time:

  embed the question with the TTT index's embedder -> retrieve the k most similar long-form reasoning
  samples -> fine-tune the model on them (full parameters, the FineMedLM-o1 settings: AdamW, lr 5e-7,
  weight decay 0.01, sequence length 8192) -> generate the answer -> restore the original weights
  exactly (a state_dict snapshot) before the next question.

Every answered question is appended to OUT/results.jsonl at once, so a killed job started again with
the same arguments skips what it already answered. OUT/summary.json and a last `FINEMED_EVAL {...}`
line in the log carry the accuracy where the benchmark has answers.

  python3 training/ttt.py --export EXPORT_DIR --benchmark mmlu_pro_health.jsonl --model MODEL_DIR --out OUT
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from benchmark import draw_shots, is_correct, predicted_answer, prompt_for, read_benchmark  # noqa: E402
from causal_lm import LanguageModel, load_language_model  # noqa: E402
from embedders import resolve_embedder  # noqa: E402
from results_log import append_result, read_results, summarise  # noqa: E402
from ttt_index import load_export_index, top_k, training_text  # noqa: E402

# FineMedLM-o1's SFT settings (paper section 3.2), which TTT reuses (section 3.3).
O1_LEARNING_RATE = 5e-7
O1_SEQUENCE_LENGTH = 8192
O1_WEIGHT_DECAY = 0.01
PAPER_EMBEDDER = "BAAI/bge-large-en-v1.5"


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--export", required=True, help="the FineMed export holding manifest.json and the TTT index")
    parser.add_argument("--benchmark", required=True, help="JSONL: question, optional choices, optional answer")
    parser.add_argument("--model", required=True, help="a transformers checkpoint, or a tiny_lm.py folder")
    parser.add_argument("--out", required=True, help="folder for results.jsonl and summary.json")
    parser.add_argument("--k", type=int, default=1, help="samples retrieved and trained on per question (paper: 1)")
    parser.add_argument("--learning-rate", type=float, default=O1_LEARNING_RATE)
    parser.add_argument("--weight-decay", type=float, default=O1_WEIGHT_DECAY)
    parser.add_argument("--max-length", type=int, default=O1_SEQUENCE_LENGTH, help="tokens of a training sequence")
    parser.add_argument("--steps", type=int, default=1, help="optimizer steps per question (the authors' script: 1)")
    parser.add_argument("--trainable", default=None, help="regex of parameter names to train (default: all, full fine-tuning)")
    parser.add_argument("--dropout", type=float, default=0.1, help="attention dropout for a transformers model (paper: 0.1)")
    parser.add_argument("--shots", type=int, default=3, help="k-shot examples in the prompt (paper: 3)")
    parser.add_argument("--shots-file", default=None, help="JSONL to draw the shots from (default: the benchmark's other questions)")
    parser.add_argument("--max-new-tokens", type=int, default=1024)
    parser.add_argument("--temperature", type=float, default=0.7, help="0 for greedy decoding (the authors sample at 0.7)")
    parser.add_argument("--top-p", type=float, default=0.95)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--embedder", default=None, help="override the index's embedder (e.g. lexical:tfidf-hash-rp-256)")
    parser.add_argument("--embedder-url", default=os.environ.get("FINEMED_EMBEDDER_URL"), help="OpenAI-compatible embeddings endpoint")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--snapshot-device", default="cpu", help="where the weight snapshot is kept (cpu spares GPU memory)")
    parser.add_argument("--record-digests", action="store_true", help="record sha256 of the weights after tuning and after restoring")
    parser.add_argument("--limit", type=int, default=None, help="answer only the first N questions")
    return parser.parse_args(argv)


def weights_digest(module: torch.nn.Module) -> str:
    """sha256 over every tensor of the state dict, in name order, as raw bytes."""
    digest = hashlib.sha256()
    for name, tensor in sorted(module.state_dict().items()):
        digest.update(name.encode("utf-8"))
        digest.update(tensor.detach().cpu().contiguous().flatten().view(torch.uint8).numpy().tobytes())
    return digest.hexdigest()


def snapshot(module: torch.nn.Module, device: str) -> dict[str, torch.Tensor]:
    return {name: tensor.detach().to(device, copy=True) for name, tensor in module.state_dict().items()}


def restore(module: torch.nn.Module, saved: dict[str, torch.Tensor]) -> bool:
    """Copies the snapshot back in place and checks every tensor equals it bit for bit."""
    module.load_state_dict(saved)
    return all(torch.equal(tensor.detach().to(saved[name].device), saved[name]) for name, tensor in module.state_dict().items())


def mean_loss(model: LanguageModel, examples: list) -> float:
    model.module.eval()
    with torch.no_grad():
        return float(sum(model.loss(example).item() for example in examples) / len(examples))


def fine_tune(model: LanguageModel, examples: list, args: argparse.Namespace) -> None:
    pattern = re.compile(args.trainable) if args.trainable else None
    parameters = [p for name, p in model.module.named_parameters() if p.requires_grad and (pattern is None or pattern.search(name))]
    # A fresh optimizer per question: no moment estimates leak from one question into the next.
    optimizer = torch.optim.AdamW(parameters, lr=args.learning_rate, weight_decay=args.weight_decay)
    model.module.train()
    for _ in range(args.steps):
        optimizer.zero_grad(set_to_none=True)
        loss = sum(model.loss(example) for example in examples) / len(examples)
        loss.backward()
        optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    model.module.eval()


def index_vectors(index, embedder, log) -> np.ndarray:
    texts = [row["instruction"] for row in index.rows]
    if embedder.fitted:
        embedder.fit(texts)
    if index.vectors is not None and not embedder.fitted and embedder.name == index.embedder:
        log(f"index: {len(index.rows)} rows with their exported vectors ({index.embedder})")
        return index.vectors
    log(f"index: embedding {len(index.rows)} rows with {embedder.name}")
    return embedder.embed_documents(texts)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    log = lambda message: print(f"[ttt] {message}", flush=True)
    torch.manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    results_path = os.path.join(args.out, "results.jsonl")

    questions = read_benchmark(args.benchmark)[: args.limit]
    index = load_export_index(args.export)
    if not index.rows:
        raise SystemExit("the TTT index is empty: nothing to retrieve")
    embedder = resolve_embedder(args.embedder or index.embedder or PAPER_EMBEDDER, args.embedder_url, os.environ.get("FINEMED_EMBEDDER_KEY"), args.device)
    vectors = index_vectors(index, embedder, log)
    model = load_language_model(args.model, args.device, args.dropout)
    pool = read_benchmark(args.shots_file) if args.shots_file else questions

    done = {record["key"] for record in read_results(results_path)}
    if done:
        log(f"resuming: {len(done)} of {len(questions)} questions already answered in {results_path}")
    original_digest = weights_digest(model.module) if args.record_digests else None
    generator = torch.Generator().manual_seed(args.seed)

    for number, question in enumerate(questions, start=1):
        if question.key in done:
            continue
        started = time.monotonic()
        retrieved = top_k(vectors, embedder.embed_query(question.question), args.k)
        examples = [model.encode_example(*training_text(index.rows[i]), args.max_length) for i, _ in retrieved]
        saved = snapshot(model.module, args.snapshot_device)
        loss_before = mean_loss(model, examples)
        fine_tune(model, examples, args)
        loss_after = mean_loss(model, examples)
        tuned_digest = weights_digest(model.module) if args.record_digests else None
        shots = draw_shots(pool, args.shots, args.seed, {question.key}) if args.shots > 0 else []
        generated = model.generate(prompt_for(question, shots), args.max_new_tokens, args.temperature, args.top_p, generator)
        restored = restore(model.module, saved)
        del saved
        if not restored:
            raise SystemExit(f"question {question.key}: the weights differ from the original after restoring")
        predicted = predicted_answer(question, generated)
        correct = is_correct(question, predicted)
        record = {
            "key": question.key,
            "number": number,
            "retrieved": [{"id": index.rows[i]["id"], "score": round(score, 6)} for i, score in retrieved],
            "retrievedId": index.rows[retrieved[0][0]]["id"],
            "lossBefore": loss_before,
            "lossAfter": loss_after,
            "generated": generated,
            "predicted": predicted,
            "gold": question.answer,
            "correct": correct,
            "weightsRestored": restored,
            **({"tunedSha256": tuned_digest, "restoredSha256": weights_digest(model.module), "originalSha256": original_digest} if args.record_digests else {}),
            "seconds": round(time.monotonic() - started, 3),
        }
        append_result(results_path, record)
        verdict = "no answer key" if correct is None else ("correct" if correct else "wrong")
        log(
            f"question {number}/{len(questions)} ({question.key}): retrieved {record['retrievedId']} (score {retrieved[0][1]:.3f}), "
            f"loss {loss_before:.4f} -> {loss_after:.4f}, predicted {predicted}, {verdict}, weights restored ({record['seconds']} s)"
        )

    summary = {"mode": "ttt", "k": args.k, "steps": args.steps, "learningRate": args.learning_rate, **summarise(read_results(results_path), len(questions))}
    with open(os.path.join(args.out, "summary.json"), "w", encoding="utf-8") as handle:
        json.dump(summary, handle, indent=2)
    accuracy = "n/a (no answers)" if summary["accuracy"] is None else f"{summary['accuracy']:.4f} ({summary['correct']}/{summary['withAnswer']})"
    log(f"done: {summary['answered']} of {summary['questions']} questions answered, accuracy {accuracy}")
    print(f"FINEMED_EVAL {json.dumps(summary)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
