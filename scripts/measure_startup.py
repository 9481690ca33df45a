"""Measure how long `python -m bot chat` takes on a terminal: to the first prompt, and until the model
has answered a first message (model loaded from its cache). Run it twice: the first run converts the
embedded model and fills the cache.

    python -m scripts.measure_startup [--runs 3] [--message "hello"]
"""

from __future__ import annotations

import argparse
import os
import pty
import select
import statistics
import subprocess
import sys
import tempfile
import time

PROMPT = b"you> "


def read_until(fd: int, needle: bytes, count: int, timeout: float) -> bytes:
    buf = b""
    deadline = time.monotonic() + timeout
    while buf.count(needle) < count:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no {needle!r} after {timeout} s; output so far: {buf[-500:]!r}")
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
    return buf


def one_run(message: str, timeout: float) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, KINDRED_MEMORY__DB_PATH=os.path.join(tmp, "k.db"))
        controller, worker = pty.openpty()
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "chat"], stdin=worker, stdout=worker, stderr=worker, env=env
        )
        os.close(worker)
        try:
            read_until(controller, PROMPT, 1, timeout)
            to_prompt = time.perf_counter() - t0
            os.write(controller, message.encode() + b"\n")
            read_until(controller, PROMPT, 1, timeout)  # the reply, then the next prompt
            to_reply = time.perf_counter() - t0
            os.write(controller, b"\x04")
            proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
            os.close(controller)
    return to_prompt, to_reply


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.measure_startup", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--runs", type=int, default=3, help="measured runs after one warm-up run (default 3)")
    parser.add_argument("--message", default="hello", help="the first message to send (default: hello)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds before a run is declared stuck")
    args = parser.parse_args(argv)
    one_run(args.message, args.timeout)  # warm-up: fills the model cache
    prompts, replies = [], []
    for _ in range(args.runs):
        p, r = one_run(args.message, args.timeout)
        prompts.append(p)
        replies.append(r)
    print(
        f"time to first prompt: median {statistics.median(prompts):.2f} s (runs: {', '.join(f'{x:.2f}' for x in prompts)})"
    )
    print(
        f"time to first reply:  median {statistics.median(replies):.2f} s (runs: {', '.join(f'{x:.2f}' for x in replies)})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
