"""``run_eval``: crisis-detection recall and precision on a labelled JSONL file.

Each non-blank line is ``{"text": "...", "crisis": true|false}``; ``python -m bot safety --eval FILE``
prints the result as one JSON object.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bot.config import SafetySettings
from bot.safety.policy import SafetyPolicy


def load_labelled(path: str | Path) -> list[tuple[str, bool]]:
    """Read and validate the file; a bad line raises ValueError naming the file and the line number."""
    return [(text, label) for text, label, _ in _load(path, None)]


def _load(path: str | Path, by: str | None) -> list[tuple[str, bool, str]]:
    """The labelled lines, each with its value of the field ``by`` ("" when by is None)."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise ValueError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text ({exc.reason})") from None
    rows: list[tuple[str, bool, str]] = []
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
        group = ""
        if by is not None:
            value = obj.get(by)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"{path}:{number}: --by {by}: the line has no {by!r} (a non-empty string)")
            group = value.strip()
        rows.append((text, label, group))
    if not rows:
        raise ValueError(f"{path}: no labelled lines")
    return rows


def run_eval(
    path: str | Path,
    settings: SafetySettings | None = None,
    *,
    classifier: Callable[[Sequence[str]], Sequence[bool]] | None = None,
    scorer: Callable[[Sequence[str]], Sequence[float]] | None = None,
    threshold: float | None = None,
    by: str | None = None,
) -> dict[str, Any]:
    """{"n", "recall", "precision", "false_negatives", "false_positives", "checkin_threshold",
    "checkin_coverage", "checkin_rate_negative"} for the file at ``path``.

    recall is None when the file has no crisis lines; precision is None when nothing was flagged.
    A line is flagged as the dispatcher would flag it: the rules, OR the learned classifier for the
    lines the rules pass when ``settings.classifier`` is on (the default). ``classifier`` replaces
    the built-in one: it gets those lines all at once and returns one verdict per line. ``scorer``
    (with its crisis ``threshold``) does the same with scores, which also measures the check-in. For
    the rules alone, pass ``SafetySettings(classifier=False)``.

    The check-in (``settings.checkin_threshold``): a line the rules pass whose score is at least
    that but under the crisis threshold gets the model's reply plus a check-in line.
    ``checkin_coverage`` is the share of crisis lines that get the crisis reply or a check-in;
    ``checkin_rate_negative`` the share of non-crisis lines that get a check-in (the crisis reply is
    counted in ``false_positives``). Both are None when the classifier only gives verdicts (a
    ``classifier`` callable); with the rules alone there is no check-in, so coverage is the recall.

    ``by`` names a string field every line carries (e.g. "lang"): the result then also has
    ``"by": {value: {"n", "crisis_lines", "recall", "precision", "checkin_coverage", "false_alarms",
    "checkin_rate_negative"}}``, one entry per value, sorted.
    """
    loaded = _load(path, by)
    rows = [(text, label) for text, label, _ in loaded]
    policy = SafetyPolicy(settings)
    if classifier is not None and scorer is not None:
        raise ValueError("pass either classifier (verdicts) or scorer (scores), not both")
    if scorer is not None and threshold is None:
        raise ValueError("a scorer needs its crisis threshold")
    if classifier is None and scorer is None and policy.settings.classifier:
        scorer, threshold = _builtin_scorer()
    verdicts = [policy.check_incoming(text).crisis for text, _ in rows]
    checkins = [False] * len(rows)
    scored = classifier is None
    unsure = [i for i, flagged in enumerate(verdicts) if not flagged]
    if classifier is not None:
        for i, flagged in zip(unsure, classifier([rows[i][0] for i in unsure]), strict=True):
            verdicts[i] = bool(flagged)
    elif scorer is not None:
        assert threshold is not None
        checkin = policy.settings.checkin_threshold
        for i, score in zip(unsure, scorer([rows[i][0] for i in unsure]), strict=True):
            verdicts[i] = score >= threshold
            checkins[i] = 0 < checkin <= score < threshold
    summary = _summarise(rows, verdicts, checkins, scored)
    result: dict[str, Any] = {
        "n": len(rows),
        "recall": summary["recall"],
        "precision": summary["precision"],
        "false_negatives": summary["false_negatives"],
        "false_positives": summary["false_positives"],
        "checkin_threshold": policy.settings.checkin_threshold if scorer is not None else None,
        "checkin_coverage": summary["checkin_coverage"],
        "checkin_rate_negative": summary["checkin_rate_negative"],
    }
    if by is not None:
        groups: dict[str, list[int]] = {}
        for i, (_, _, group) in enumerate(loaded):
            groups.setdefault(group, []).append(i)
        result["by"] = {}
        for group in sorted(groups):
            idx = groups[group]
            part = _summarise(
                [rows[i] for i in idx], [verdicts[i] for i in idx], [checkins[i] for i in idx], scored
            )
            result["by"][group] = {
                "n": len(idx),
                "crisis_lines": sum(rows[i][1] for i in idx),
                "recall": part["recall"],
                "precision": part["precision"],
                "checkin_coverage": part["checkin_coverage"],
                "false_alarms": len(part["false_positives"]),
                "checkin_rate_negative": part["checkin_rate_negative"],
            }
    return result


def _summarise(
    rows: Sequence[tuple[str, bool]], verdicts: Sequence[bool], checkins: Sequence[bool], scored: bool
) -> dict[str, Any]:
    false_negatives: list[str] = []
    false_positives: list[str] = []
    tp = covered = negative_checkins = 0
    for (text, label), flagged, checked in zip(rows, verdicts, checkins, strict=True):
        if flagged and label:
            tp += 1
        elif label:
            false_negatives.append(text)
        elif flagged:
            false_positives.append(text)
        if label and (flagged or checked):
            covered += 1
        if not label and checked:
            negative_checkins += 1
    positives = tp + len(false_negatives)
    negatives = len(rows) - positives
    flagged_total = tp + len(false_positives)
    return {
        "recall": round(tp / positives, 4) if positives else None,
        "precision": round(tp / flagged_total, 4) if flagged_total else None,
        "false_negatives": false_negatives,
        "false_positives": false_positives,
        "checkin_coverage": round(covered / positives, 4) if positives and scored else None,
        "checkin_rate_negative": round(negative_checkins / negatives, 4) if negatives and scored else None,
    }


@functools.cache
def _builtin_scorer() -> tuple[Callable[[Sequence[str]], Sequence[float]], float]:
    """The learned classifier's batch scores and its threshold, loaded once per process (bot/crisis.py)."""
    from bot.crisis import create_crisis_classifier

    clf = create_crisis_classifier(SafetySettings(classifier=True))
    assert clf is not None
    return clf.score_many_sync, clf.threshold  # type: ignore[attr-defined]
