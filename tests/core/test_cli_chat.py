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


async def test_console_interactive_prompt_and_quit(settings, store) -> None:
    d = Dispatcher(settings, store, FakeEngine("Hi there, how are you today?"), load_personas())
    out = io.StringIO()
    console = ConsoleAdapter(
        user_id="me", stdin=io.StringIO("hello\n\n/quit\nnever read\n"), stdout=out, interactive=True
    )
    await console.start(d.handle)
    await console.wait_closed()
    text = out.getvalue()
    assert text.count(PROMPT) == 3  # hello, the blank line, /quit
    assert BOT + "Hi there, how are you today?" in text


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
