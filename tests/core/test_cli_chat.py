"""The terminal chat: the console adapter with a fake engine, and the real embedded model through the CLI."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.console import BOT, PROMPT, ConsoleAdapter
from bot.dispatcher import BUSY_TEXT, ERROR_TEXT, Dispatcher
from bot.personas import load_personas
from tests.fakes import FakeEngine

ROOT = Path(__file__).resolve().parents[2]


async def test_console_piped_one_reply_per_line(settings, store) -> None:
    engine = FakeEngine(lambda req: f"echo: {req.messages[-1].content}?")
    d = Dispatcher(settings, store, engine, load_personas())
    out = io.StringIO()
    console = ConsoleAdapter(
        user_id="me", stdin=io.StringIO("first line\nsecond line\n"), stdout=out, interactive=False
    )
    await console.start(d.handle)
    await console.wait_closed()
    assert out.getvalue().splitlines() == ["echo: first line?", "echo: second line?"]


class TypedStdin:
    """A keyboard: ``readline`` blocks until the test types the next line (``None`` = Ctrl-D)."""

    def __init__(self) -> None:
        import queue

        self.lines: queue.Queue[str | None] = queue.Queue()

    def type(self, line: str | None) -> None:
        self.lines.put(line)

    def readline(self) -> str:
        line = self.lines.get()
        return "" if line is None else line + "\n"

    def isatty(self) -> bool:
        return True


async def _until(predicate, within: float = 10.0) -> None:
    import asyncio

    for _ in range(int(within / 0.01)):
        if predicate():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("timed out")


async def test_console_interactive_prompt_and_quit(settings, store) -> None:
    d = Dispatcher(settings, store, FakeEngine("Hi there, how are you today?"), load_personas())
    out = io.StringIO()
    keys = TypedStdin()
    console = ConsoleAdapter(user_id="me", stdin=keys, stdout=out, interactive=True)
    await console.start(d.handle)
    keys.type("hello")
    await _until(lambda: BOT in out.getvalue())
    keys.type("")  # an empty line: no message, a new prompt
    await _until(lambda: out.getvalue().count(PROMPT) == 3)
    keys.type("/quit")
    keys.type("never read")
    await console.wait_closed()
    text = out.getvalue()
    assert text.count(PROMPT) == 3  # hello, the blank line, /quit
    assert BOT + "Hi there, how are you today?" in text


async def test_console_interactive_paste_is_one_message(settings, store) -> None:
    """A pasted paragraph (its lines arrive together) gets one answer that read every line, not one
    answer per line; lines typed one at a time stay separate messages."""
    engine = FakeEngine("That sounds like a lot. I'm here, tell me more.")
    d = Dispatcher(settings, store, engine, load_personas())
    out = io.StringIO()
    keys = TypedStdin()
    for line in ("so my week was bad", "", "first my cat got sick", "then i lost my job"):
        keys.type(line)
    console = ConsoleAdapter(user_id="me", stdin=keys, stdout=out, interactive=True)
    await console.start(d.handle)
    await _until(lambda: out.getvalue().count(BOT) == 1)
    keys.type("thanks for listening")  # typed after the answer: a message of its own
    await _until(lambda: out.getvalue().count(BOT) == 2)
    keys.type("one more thing")  # a command pasted with text is a message of its own
    keys.type("/about")
    keys.type(None)
    await console.wait_closed()
    asked = [r.messages[-1].content for r in engine.requests]
    assert asked == [
        "so my week was bad\n\nfirst my cat got sick\nthen i lost my job",
        "thanks for listening",
        "one more thing",
    ]
    assert out.getvalue().count(BOT) == 4  # three answers and /about's
    assert "AI" in out.getvalue().split(BOT)[-1]  # /about says what it is


def _run_cli(
    stdin: str, env: dict[str, str], *args: str, timeout: int = 600
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=env["HOME"],
        env=env,
        timeout=timeout,
    )


@pytest.mark.slow
def test_real_model_replies_through_the_cli_and_remembers(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINDRED_")}
    env.update(
        HOME=str(tmp_path),  # no config.toml, a fresh database...
        KINDRED_MEMORY__DB_PATH=str(tmp_path / "k.db"),
        # ...but the shared model cache, so the embedded model is converted once per machine.
        KINDRED_MODEL__CACHE_DIR=str(
            Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "kindred" / "models"
        ),
        KINDRED_CHAT__SEED="7",
        PYTHONPATH=str(ROOT),
    )
    first = _run_cli("I failed my exam today and feel stupid\n", env)
    assert first.returncode == 0, first.stderr
    reply = first.stdout.strip()
    assert reply and reply not in (BUSY_TEXT, ERROR_TEXT), first.stderr
    assert len(reply.split()) >= 4  # a real sentence from the model, not a fixed text
    second = _run_cli("/export\n", env)
    assert second.returncode == 0, second.stderr
    data = json.loads(second.stdout)
    history = data["chats"]["direct"]["history"]
    assert history[0] == {**history[0], "role": "user", "content": "I failed my exam today and feel stupid"}
    assert history[1]["role"] == "assistant" and history[1]["content"] == reply
