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


# --- the terminal chat through `python -m bot`, answered by a fake OpenAI-compatible server --------

from tests.remote.fake_openai import DEFAULT_REPLY, FakeOpenAI  # noqa: E402


def _fake_env(tmp_path: Path, server: FakeOpenAI) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINDRED_")}
    env.update(
        HOME=str(tmp_path),
        PYTHONPATH=str(ROOT),
        NO_PROXY="127.0.0.1,localhost",
        KINDRED_ENGINE__BACKEND="openai",
        KINDRED_ENGINE__BASE_URL=server.url,
        KINDRED_ENGINE__MODEL="kindred-test",
        KINDRED_ENGINE__NUM_CANDIDATES="1",
        KINDRED_SAFETY__CLASSIFIER="false",
        KINDRED_MEMORY__DB_PATH=str(tmp_path / "k.db"),
    )
    return env


async def _spawn(tmp_path: Path, server: FakeOpenAI, *args: str):  # type: ignore[no-untyped-def]
    """``python -m bot chat --user me`` against the fake server, with pipes on all three streams."""
    import asyncio

    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "chat",
        "--user",
        "me",
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=str(tmp_path),
        env=_fake_env(tmp_path, server),
    )


async def _chat(tmp_path: Path, server: FakeOpenAI, stdin: bytes, *args: str) -> tuple[int, str, str]:
    import asyncio

    proc = await _spawn(tmp_path, server, *args)
    out, err = await asyncio.wait_for(proc.communicate(stdin), 120)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


def _turns(tmp_path: Path) -> list[tuple[str, str]]:
    import sqlite3

    with sqlite3.connect(tmp_path / "k.db") as db:
        return [(r, c) for r, c in db.execute("SELECT role, content FROM turns ORDER BY id")]


async def test_bytes_that_are_not_utf8_are_answered_and_stored(tmp_path: Path) -> None:
    """A Latin-1 'café' piped in used to fail the whole message ('something went wrong', a
    UnicodeEncodeError traceback in the log): the lone surrogate could not be stored."""
    async with FakeOpenAI() as server:
        code, out, err = await _chat(tmp_path, server, b"caf\xe9 is closed and I am sad\n")
    assert code == 0, err
    assert out.splitlines() == [DEFAULT_REPLY]
    assert "Traceback" not in err
    assert _turns(tmp_path)[0] == ("user", "caf\ufffd is closed and I am sad")
    assert server.requests[0]["messages"][-1]["content"] == "caf\ufffd is closed and I am sad"


async def test_piped_blank_lines_are_skipped_and_quit_ends_the_input(tmp_path: Path) -> None:
    """Blank lines between piped paragraphs got 'I only understand text messages for now'; /quit in
    a piped script got 'I don't know the command /quit'."""
    async with FakeOpenAI() as server:
        code, out, err = await _chat(tmp_path, server, b"first\n\n   \nsecond\n/quit\nnever sent\n")
    assert code == 0, err
    assert out.splitlines() == [DEFAULT_REPLY, DEFAULT_REPLY]
    assert [m["messages"][-1]["content"] for m in server.requests] == ["first", "second"]


async def test_sigterm_while_the_reply_is_generated_exits_cleanly_keeping_earlier_turns(
    tmp_path: Path,
) -> None:
    """SIGTERM (or Ctrl-C) during a reply: the chat stops at once with 128 + the signal, the earlier
    exchange is in the database, and nothing half-done is stored. Before, SIGTERM killed the
    process without closing the database."""
    import asyncio
    import signal

    async with FakeOpenAI() as server:
        proc = await _spawn(tmp_path, server)
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(b"first message\n")
        await proc.stdin.drain()
        first = await asyncio.wait_for(proc.stdout.readline(), 60)
        assert first.decode().strip() == DEFAULT_REPLY
        server.hold_s = 6.0  # the second reply comes only after the signal has been handled
        proc.stdin.write(b"second message\n")
        await proc.stdin.drain()
        await _until(lambda: len(server.requests) == 2, within=30)
        proc.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(proc.wait(), 4)  # before the reply would have come
        err = (await proc.stderr.read()).decode()  # type: ignore[union-attr]
    assert code == 128 + signal.SIGTERM, err
    assert "Traceback" not in err
    assert _turns(tmp_path) == [("user", "first message"), ("assistant", DEFAULT_REPLY)]


def test_ctrl_c_in_the_terminal_while_the_bot_is_answering_leaves_at_once(tmp_path: Path) -> None:
    """Interactive, on a terminal: Ctrl-C during a reply ends the chat (exit 130) on a fresh line.
    Before, asyncio's cancellation was sometimes lost on its way to the console (under load: the
    reply came and a new prompt with it), and the shell's prompt was left after "you> "."""
    import asyncio
    import pty
    import select
    import signal
    import time

    async def serve(ready: asyncio.Future[str], done: asyncio.Event) -> None:
        async with FakeOpenAI() as server:
            server.hold_s = 60.0
            ready.set_result(server.url)
            await done.wait()

    import threading

    url: list[str] = []
    stop_server = threading.Event()

    def server_thread() -> None:
        async def main() -> None:
            done = asyncio.Event()
            ready: asyncio.Future[str] = asyncio.get_running_loop().create_future()
            task = asyncio.create_task(serve(ready, done))
            url.append(await ready)
            await asyncio.to_thread(stop_server.wait)
            done.set()
            await task

        asyncio.run(main())

    t = threading.Thread(target=server_thread, daemon=True)
    t.start()
    for _ in range(500):
        if url:
            break
        time.sleep(0.01)
    fake = FakeOpenAI()
    fake.port = int(url[0].rsplit(":", 1)[1].split("/")[0])
    env = _fake_env(tmp_path, fake)
    pid, fd = pty.fork()
    if pid == 0:  # the child: the bot on a terminal
        os.chdir(tmp_path)
        os.execve(sys.executable, [sys.executable, "-m", "bot", "chat", "--user", "me"], env)
    out = b""

    def read_until(done: object, within: float) -> bool:
        nonlocal out
        end = time.monotonic() + within
        while time.monotonic() < end:
            if callable(done) and done():
                return True
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    out += os.read(fd, 65536)
                except OSError:
                    return callable(done) and bool(done())
        return False

    try:
        assert read_until(lambda: PROMPT.encode() in out, 60), out
        os.write(fd, b"hello there\r")
        assert read_until(lambda: "…".encode() in out, 30), out  # typing…: the reply is being generated
        os.write(fd, b"\x03")  # Ctrl-C
        status = None
        end = time.monotonic() + 10
        while status is None and time.monotonic() < end:
            read_until(None, 0.1)
            waited, st = os.waitpid(pid, os.WNOHANG)
            if waited == pid:
                status = os.waitstatus_to_exitcode(st)
        assert status == 130, (status, out)
        read_until(None, 0.2)
        assert out.endswith(b"\r\n"), out  # the shell prompt starts on a line of its own
        assert BOT.encode() not in out  # the reply was not printed after Ctrl-C
    finally:
        stop_server.set()
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(fd)
        t.join(5)


async def test_a_piped_file_of_many_lines_gets_a_reply_for_every_line(tmp_path: Path) -> None:
    """The rate limit (12 messages a minute by default) is for shared platforms: 30 piped lines, as
    the README shows (`printf ... | python -m bot`), got 12 replies, the "faster than I can keep up"
    notice and then silence."""
    lines = [f"line number {i} of my diary" for i in range(30)]
    async with FakeOpenAI() as server:
        code, out, err = await _chat(tmp_path, server, "".join(f"{t}\n" for t in lines).encode())
    assert code == 0, err
    assert out.splitlines() == [DEFAULT_REPLY] * 30
    assert [m["messages"][-1]["content"] for m in server.requests] == lines
