#!/usr/bin/env python3
"""The baseline the paper compares TTT against (section 4.2): the same benchmark without test-time
training, multiple-choice accuracy with a 3-shot prompt, repeated 3 times with a fresh draw of shots
each time, and the mean reported.

Each (repeat, question) answer is appended to OUT/results.jsonl, so a killed run resumes; the summary
goes to OUT/summary.json and a last `FINEMED_EVAL {...}` log line.

  python3 training/evaluate.py --benchmark mmlu_pro_health.jsonl --model MODEL_DIR --out OUT
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

from benchmark import draw_shots, is_correct, predicted_answer, prompt_for, read_benchmark  # noqa: E402
from causal_lm import load_language_model  # noqa: E402
from results_log import append_result, read_results, summarise  # noqa: E402


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--benchmark", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--shots", type=int, default=3)
    parser.add_argument("--shots-file", default=None, help="JSONL to draw shots from (default: the benchmark's other questions)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--max-new-tokens", type=int, default=1024)
    parser.add_argument("--temperature", type=float, default=0.7)
    parser.add_argument("--top-p", type=float, default=0.95)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--limit", type=int, default=None)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    log = lambda message: print(f"[eval] {message}", flush=True)
    os.makedirs(args.out, exist_ok=True)
    results_path = os.path.join(args.out, "results.jsonl")
    questions = read_benchmark(args.benchmark)[: args.limit]
    pool = read_benchmark(args.shots_file) if args.shots_file else questions
    model = load_language_model(args.model, args.device, None)
    model.module.eval()
    done = {(r["repeat"], r["key"]) for r in read_results(results_path)}
    if done:
        log(f"resuming: {len(done)} of {len(questions) * args.repeats} answers already in {results_path}")
    for repeat in range(args.repeats):
        # The paper's shots are three points drawn once per repeat; the first repeat's seed is the TTT job's.
        seed = args.seed + repeat
        generator = torch.Generator().manual_seed(seed)
        for number, question in enumerate(questions, start=1):
            if (repeat, question.key) in done:
                continue
            started = time.monotonic()
            shots = draw_shots(pool, args.shots, seed, {question.key}) if args.shots > 0 else []
            generated = model.generate(prompt_for(question, shots), args.max_new_tokens, args.temperature, args.top_p, generator)
            predicted = predicted_answer(question, generated)
            correct = is_correct(question, predicted)
            append_result(results_path, {"repeat": repeat, "key": question.key, "number": number, "generated": generated, "predicted": predicted, "gold": question.answer, "correct": correct, "seconds": round(time.monotonic() - started, 3)})
            log(f"repeat {repeat + 1}/{args.repeats} question {number}/{len(questions)} ({question.key}): predicted {predicted}, {'no answer key' if correct is None else ('correct' if correct else 'wrong')}")
    records = read_results(results_path)
    per_repeat = [summarise([r for r in records if r["repeat"] == repeat], len(questions)) for repeat in range(args.repeats)]
    accuracies = [s["accuracy"] for s in per_repeat if s["accuracy"] is not None]
    overall = summarise(records, len(questions) * args.repeats)
    summary = {
        "mode": "baseline",
        "shots": args.shots,
        "repeats": args.repeats,
        "questions": len(questions),
        "answered": overall["answered"],
        "withAnswer": overall["withAnswer"],
        "correct": overall["correct"],
        "repeatAccuracies": accuracies,
        "accuracy": sum(accuracies) / len(accuracies) if accuracies else None,
    }
    with open(os.path.join(args.out, "summary.json"), "w", encoding="utf-8") as handle:
        json.dump(summary, handle, indent=2)
    log(f"done: mean accuracy over {args.repeats} repeats {summary['accuracy']}")
    print(f"FINEMED_EVAL {json.dumps(summary)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
