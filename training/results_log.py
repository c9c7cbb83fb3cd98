"""Append-only JSONL results, one line per answered question, so a killed job resumes where it stopped."""

from __future__ import annotations

import json
import os


def read_results(path: str) -> list[dict]:
    """The complete lines; a last line cut short by a kill is dropped (and truncated away) so it is redone."""
    if not os.path.exists(path):
        return []
    with open(path, "rb") as handle:
        raw = handle.read()
    records, good_bytes = [], 0
    for line in raw.split(b"\n"):
        end = good_bytes + len(line) + 1
        if end > len(raw):  # no newline after it: unfinished
            break
        if line.strip():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                break
        good_bytes = end
    if good_bytes < len(raw):
        with open(path, "r+b") as handle:
            handle.truncate(good_bytes)
    return records


def append_result(path: str, record: dict) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def summarise(records: list[dict], total: int) -> dict:
    scored = [r for r in records if r.get("correct") is not None]
    correct = sum(1 for r in scored if r["correct"])
    return {
        "questions": total,
        "answered": len(records),
        "withAnswer": len(scored),
        "correct": correct,
        "accuracy": correct / len(scored) if scored else None,
    }
