"""How the start order of the crisis classifier and the engine affects the engine's speed, in one run.

    python -m scripts.bench_start_order [--repeats 8] [--json]

Each order runs in a fresh process: ``alongside`` starts the classifier and the engine together (what
the bot did before 25 Nov 2026), ``before`` waits for the classifier to be ready first (what
``bot.app`` does now). In each, a ~300-token prompt is read ``--repeats`` times (one new token, no
prefix cache) and the median time is printed, then the ratio of the two. Needs the embedded model and
the classifier's packages (both installed by ``make setup``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHILD = """
import asyncio, json, statistics, sys, time
from bot.config import EngineSettings, ModelSettings
from bot.types import ChatTurn, GenerationRequest, SamplingParams
from model.crisis_classifier import CrisisClassifier
from model.engine import ReplyEngine

async def main(order, repeats):
    classifier = CrisisClassifier()
    await classifier.start()
    if order == "before":
        await classifier.wait_ready()
    engine = ReplyEngine(ModelSettings(), EngineSettings(prefix_cache_mb=0))
    await engine.start()
    await classifier.wait_ready()
    text = "I failed my exam today and I feel so stupid, everyone else passed " * 18  # ~300 tokens
    request = GenerationRequest(
        messages=(ChatTurn("system", "You are kind."), ChatTurn("user", text)),
        sampling=SamplingParams(max_new_tokens=1, temperature=0),
    )
    times = []
    for _ in range(repeats + 1):  # the first one warms up
        t = time.perf_counter()
        gen = await engine.generate(request)
        times.append(time.perf_counter() - t)
    print(json.dumps({"order": order, "read_ms": statistics.median(times[1:]) * 1e3,
                      "prompt_tokens": gen.prompt_tokens, "model": engine.describe()}))
    await engine.close()
    await classifier.close()

asyncio.run(main(sys.argv[1], int(sys.argv[2])))
"""


def run(order: str, repeats: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, order, str(repeats)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if out.returncode != 0:
        raise SystemExit(f"the {order!r} run failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m scripts.bench_start_order",
        description="Time the engine reading a prompt after starting alongside the crisis classifier "
        "and after it (each in a fresh process), and print the ratio.",
    )
    p.add_argument("--repeats", type=int, default=8, help="prompt reads timed per order (default 8)")
    p.add_argument("--json", action="store_true", help="print the two rows as JSON")
    args = p.parse_args(argv)
    if args.repeats < 1:
        p.error("--repeats must be at least 1")
    rows = [run(order, args.repeats) for order in ("alongside", "before")]
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    print(rows[0]["model"])
    for r in rows:
        print(f"{r['order']:>9}: {r['prompt_tokens']} prompt tokens read in {r['read_ms']:.0f} ms (median)")
    print(f"alongside / before = {rows[0]['read_ms'] / rows[1]['read_ms']:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
