"""``run_eval``: crisis-detection recall and precision on a labelled JSONL file.

Each non-blank line is ``{"text": "...", "crisis": true|false}``; ``python -m bot safety --eval FILE``
prints the result as one JSON object.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.config import SafetySettings
from bot.safety.policy import SafetyPolicy


def load_labelled(path: str | Path) -> list[tuple[str, bool]]:
    """Read and validate the file; a bad line raises ValueError naming the file and the line number."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise ValueError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text ({exc.reason})") from None
    rows: list[tuple[str, bool]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
        if not isinstance(obj, dict):
            raise ValueError(f'{path}:{number}: expected an object {{"text": ..., "crisis": true|false}}')
        text, label = obj.get("text"), obj.get("crisis")
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f'{path}:{number}: "text" must be a non-empty string')
        if not isinstance(label, bool):
            raise ValueError(f'{path}:{number}: "crisis" must be true or false, got {label!r}')
        rows.append((text, label))
    if not rows:
        raise ValueError(f"{path}: no labelled lines")
    return rows


def run_eval(path: str | Path, settings: SafetySettings | None = None) -> dict[str, Any]:
    """{"n", "recall", "precision", "false_negatives", "false_positives"} for the file at ``path``.

    recall is None when the file has no crisis lines; precision is None when nothing was flagged.
    """
    rows = load_labelled(path)
    policy = SafetyPolicy(settings)
    false_negatives: list[str] = []
    false_positives: list[str] = []
    tp = 0
    for text, label in rows:
        flagged = policy.check_incoming(text).crisis
        if flagged and label:
            tp += 1
        elif label:
            false_negatives.append(text)
        elif flagged:
            false_positives.append(text)
    positives = tp + len(false_negatives)
    flagged_total = tp + len(false_positives)
    return {
        "n": len(rows),
        "recall": round(tp / positives, 4) if positives else None,
        "precision": round(tp / flagged_total, 4) if flagged_total else None,
        "false_negatives": false_negatives,
        "false_positives": false_positives,
    }
