"""How the default ``safety.checkin_threshold`` was chosen (a measurement script, not a test).

    python -m tests.safety.choose_checkin_threshold [--cache FILE.npz] [--threads 2] [--max-everyday 0.02]
        [--cv-scores FILE.npz]

It reads only the classifier's training lines (``tests/safety/crisis_eval.jsonl``,
``model/data/crisis_extra.jsonl``, ``model/data/crisis_ordinary.jsonl``) and the dev set
(``tests/safety/crisis_dev.jsonl``). It never reads a fresh, held-out or everyday test set.

Cross-validation is the training script's own (``scripts/train_crisis_classifier.py``, 5 repeats of
5 folds, the shipped head's L2): every training line gets a score from a head that did not see it.
A format-3 head (fine-tuned encoder) cannot be cross-validated here in reasonable time: pass the
out-of-fold scores that the training run saved (``--save-cv-scores FILE.npz``) as ``--cv-scores``.
For each candidate check-in threshold ``c`` below the crisis threshold ``T`` (the shipped head's), a
line that the rules pass gets a check-in when ``c <= score < T``. The script prints, averaged over
the repeats:

- ``everyday_checkin``: the share of everyday lines (crisis_ordinary.jsonl) that would get a check-in;
- ``lookalike_checkin``: the same for the hard non-crisis look-alikes the rules pass;
- ``coverage`` / ``extra_coverage``: the share of crisis lines (all / extra lines only) that get the
  crisis reply or a check-in, next to the recall at ``T`` alone;
- the dev set, scored by the shipped head (not trained on it): coverage and check-in rate on its
  non-crisis lines.

The chosen value is the lowest ``c`` (in steps of 0.01) whose everyday check-in rate stays at or
under ``--max-everyday``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, help="reuse embeddings from this .npz file")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--max-everyday", type=float, default=0.02, help="cap on everyday check-ins (CV)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--cv-scores",
        type=Path,
        help="out-of-fold scores saved by scripts.train_crisis_classifier --save-cv-scores (needed for a format-3 head)",
    )
    args = parser.parse_args(argv)

    import torch

    from bot.safety import crisis
    from bot.safety.evaluation import load_labelled
    from model.crisis_classifier import (
        DEFAULT_LAYERS,
        CrisisClassifier,
        E5Embedder,
        SentenceEmbedder,
        TunedHead,
        load_head,
    )
    from scripts.train_crisis_classifier import (
        ROOT,
        embed_all,
        out_of_fold,
        training_rows,
    )

    torch.set_num_threads(args.threads)
    E5Embedder.limit_threads(args.threads)
    head = load_head()
    big_t = head.threshold
    texts, y, extra, ordinary, rules = training_rows()
    if args.cv_scores is not None:
        with np.load(args.cv_scores) as f:
            scores = np.asarray(f["scores"], dtype=np.float64)
            text_hash = str(f["texts_sha256"])
        if text_hash != hashlib.sha256("\0".join(texts).encode()).hexdigest() or scores.shape[1] != len(
            texts
        ):
            parser.error(f"{args.cv_scores}: saved for other training lines; rerun the training script")
    elif isinstance(head, TunedHead):
        parser.error(
            "the shipped head is a fine-tuned one (format 3): pass the training run's --cv-scores FILE.npz"
        )
    else:
        embedder = SentenceEmbedder(layers=DEFAULT_LAYERS, e5=head.e5)
        tag = f"layers={DEFAULT_LAYERS} e5={head.e5}"
        x = embed_all(embedder, texts, args.cache, tag)
        l2 = float(head.meta.get("l2", 300.0))
        scores = out_of_fold(x, y.astype(float), l2=l2, folds=args.folds, repeats=args.repeats)

    dev_path = ROOT / "tests" / "safety" / "crisis_dev.jsonl"
    dev_rows = load_labelled(dev_path)
    dev_y = np.array([label for _, label in dev_rows], dtype=bool)
    dev_rules = np.array([crisis.assess(t).crisis for t, _ in dev_rows])
    classifier = CrisisClassifier(num_threads=args.threads)  # the shipped head, as the bot runs it
    dev_p = np.array(classifier.score_many_sync([t for t, _ in dev_rows]))

    lookalike = ~rules & ~y & ~ordinary

    def at(c: float) -> dict[str, float]:
        per = []
        for s in scores:
            checkin = ~rules & (s >= c) & (s < big_t)
            caught = rules | (s >= big_t)
            per.append(
                [
                    checkin[ordinary].mean(),
                    checkin[lookalike].mean(),
                    caught[y].mean(),
                    (caught | checkin)[y].mean(),
                    caught[y & extra].mean(),
                    (caught | checkin)[y & extra].mean(),
                ]
            )
        m = np.mean(per, axis=0)
        dev_checkin = ~dev_rules & (dev_p >= c) & (dev_p < big_t)
        dev_caught = dev_rules | (dev_p >= big_t)
        return {
            "checkin_threshold": round(c, 2),
            "everyday_checkin": float(m[0]),
            "lookalike_checkin": float(m[1]),
            "recall": float(m[2]),
            "coverage": float(m[3]),
            "extra_recall": float(m[4]),
            "extra_coverage": float(m[5]),
            "dev_recall": float(dev_caught[dev_y].mean()),
            "dev_coverage": float((dev_caught | dev_checkin)[dev_y].mean()),
            "dev_checkin_negative": float(dev_checkin[~dev_y].mean()),
        }

    table = [at(float(c)) for c in np.round(np.arange(0.20, big_t, 0.01), 2)]
    chosen = next((r for r in table if r["everyday_checkin"] <= args.max_everyday), None)
    for row in table:
        print(json.dumps({k: round(v, 3) for k, v in row.items()}), file=sys.stderr)
    print(
        json.dumps({"crisis_threshold": big_t, "max_everyday": args.max_everyday, "chosen": chosen}, indent=1)
    )
    return 0 if chosen is not None else 1


if __name__ == "__main__":
    raise SystemExit(main())
