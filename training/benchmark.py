"""Benchmark questions (JSONL: question, optional choices, optional answer), prompts and answer matching.

The prompt follows MMLU-Pro's chain-of-thought format; k-shot examples are drawn from a shots file
(the benchmark's validation set) or, without one, from the other answered questions.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass

LETTERS = "ABCDEFGHIJKLMNOP"


@dataclass
class Question:
    key: str
    question: str
    choices: list[str] | None
    #: The gold answer: a letter when there are choices, else free text; None when unknown.
    answer: str | None


def parse_question(row: dict, line: int) -> Question:
    if not isinstance(row.get("question"), str) or not row["question"].strip():
        raise SystemExit(f"benchmark line {line}: no question")
    choices = row.get("choices", row.get("options"))
    if isinstance(choices, dict):
        choices = [choices[k] for k in sorted(choices)]
    if choices is not None and (not isinstance(choices, list) or not all(isinstance(c, str) for c in choices)):
        raise SystemExit(f"benchmark line {line}: choices must be a list of strings")
    answer = row.get("answer")
    if answer is None and isinstance(row.get("answer_index"), int):
        answer = row["answer_index"]
    if isinstance(answer, int) and choices:
        answer = LETTERS[answer]
    if answer is not None:
        answer = str(answer).strip()
        if choices and answer not in LETTERS[: len(choices)]:
            matching = [LETTERS[i] for i, choice in enumerate(choices) if choice.strip() == answer]
            if not matching:
                raise SystemExit(f"benchmark line {line}: answer {answer!r} is neither a choice letter nor a choice")
            answer = matching[0]
    key = str(row.get("id", row.get("question_id", line)))
    return Question(key, row["question"], choices or None, answer)


def read_benchmark(path: str) -> list[Question]:
    questions = []
    with open(path, encoding="utf-8") as handle:
        for line, text in enumerate(handle, start=1):
            if text.strip():
                questions.append(parse_question(json.loads(text), line))
    keys = [q.key for q in questions]
    if len(set(keys)) != len(keys):
        raise SystemExit(f"{path}: question ids repeat; each question needs its own id")
    return questions


def format_question(question: Question) -> str:
    if not question.choices:
        return f"Question: {question.question}\n"
    options = "\n".join(f"{LETTERS[i]}. {choice}" for i, choice in enumerate(question.choices))
    return f"Question: {question.question}\nOptions:\n{options}\n"


def prompt_for(question: Question, shots: list[Question]) -> str:
    examples = "".join(f"{format_question(s)}Answer: The answer is ({s.answer}).\n\n" if s.choices else f"{format_question(s)}Answer: {s.answer}\n\n" for s in shots)
    return f"{examples}{format_question(question)}Answer: Let's think step by step."


def draw_shots(pool: list[Question], count: int, seed: int, exclude: set[str]) -> list[Question]:
    candidates = [q for q in pool if q.answer is not None and q.key not in exclude]
    return random.Random(seed).sample(candidates, min(count, len(candidates)))


ANSWER_IS = re.compile(r"answer is \(?([A-P])\)?", re.IGNORECASE)
LONE_LETTER = re.compile(r"\b([A-P])\b")


def predicted_answer(question: Question, generated: str) -> str | None:
    """MMLU-Pro's extraction: "the answer is (X)", else the last standalone choice letter."""
    if not question.choices:
        return generated.strip() or None
    valid = LETTERS[: len(question.choices)]
    found = [m.upper() for m in ANSWER_IS.findall(generated) if m.upper() in valid]
    if found:
        return found[-1]
    letters = [m for m in LONE_LETTER.findall(generated) if m in valid]
    return letters[-1] if letters else None


def is_correct(question: Question, predicted: str | None) -> bool | None:
    if question.answer is None:
        return None
    if predicted is None:
        return False
    if question.choices:
        return predicted == question.answer
    return " ".join(predicted.lower().split()) == " ".join(question.answer.lower().split())
