"""The terminal: no account, no token. Interactive with a prompt, or one reply per line of piped stdin.

Interactive, lines that arrive together are one message: a pasted paragraph, or what was typed
while the bot was answering, gets one answer (as on Telegram and Discord, bot/fragments.py), not one
answer per line.
"""

from __future__ import annotations

import asyncio
import getpass
import sys
import threading
import time
from typing import TextIO

from bot.protocols import OnMessage
from bot.types import Message, Reply, UserKey

PROMPT = "you> "
BOT = "kindred> "
PASTE_WINDOW_S = 0.05
"""Interactive: lines that arrive within this long of each other are one message. A paste arrives in
one burst (well under a millisecond between lines); a person typing takes far longer per line."""


class ConsoleAdapter:
    name = "console"

    def __init__(
        self,
        user_id: str | None = None,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        interactive: bool | None = None,
    ) -> None:
        self.stdin = stdin or sys.stdin
        if stdin is None and hasattr(sys.stdin, "reconfigure"):
            # In a UTF-8 locale stdin is strict: one byte that is not UTF-8 would raise in readline and
            # end the chat as if the input had ended. Replace such bytes instead (see _valid_text).
            sys.stdin.reconfigure(errors="replace")
        self.stdout = stdout or sys.stdout
        self.interactive = self.stdin.isatty() if interactive is None else interactive
        self.user_id = user_id or _local_user()
        self._task: asyncio.Task[None] | None = None
        self._count = 0
        self._lines: asyncio.Queue[str] | None = None
        """Interactive: every line read from stdin, in order; "" at the end of input."""
        self._held: str | None = None
        """A line read while joining lines that belongs to the next message."""

    async def start(self, on_message: OnMessage) -> None:
        self._task = asyncio.create_task(self._loop(on_message))

    async def wait_closed(self) -> None:
        """Returns at end of input (Ctrl-D, or the end of piped stdin)."""
        if self._task is not None:
            await self._task

    async def _readline(self) -> str:
        """The next line of stdin ("" at the end). A daemon thread reads it: stdin reads block, and
        neither the event loop nor interpreter shutdown may wait on the keyboard."""
        loop = asyncio.get_running_loop()
        if self._lines is None:
            self._lines = asyncio.Queue()
            lines = self._lines

            def read() -> None:
                while True:
                    try:
                        line = _valid_text(self.stdin.readline())
                    except (OSError, ValueError):
                        line = ""
                    loop.call_soon_threadsafe(lines.put_nowait, line)
                    if line == "":
                        return

            threading.Thread(target=read, name="console-stdin", daemon=True).start()
        return await self._lines.get()

    async def _read_message(self) -> tuple[str, bool]:
        """(text, at end of input). Interactive, the lines that arrive within ``PASTE_WINDOW_S`` of
        each other are joined into one text, except that a command (a line starting with "/") is
        always a message of its own; piped, every line is its own message."""
        if self._held is not None:
            line, self._held = self._held, None
        else:
            line = await self._readline()
        if line == "":
            return "", True
        parts = [line.rstrip("\r\n")]
        while self.interactive and not parts[0].lstrip().startswith("/"):
            try:
                more = await asyncio.wait_for(self._readline(), PASTE_WINDOW_S)
            except TimeoutError:
                break
            if more == "" or more.lstrip().startswith("/"):
                self._held = more  # the end of input, or a command: after this message
                break
            parts.append(more.rstrip("\r\n"))
        return ("\n".join(parts).strip("\n") if self.interactive else parts[0]), False

    async def _loop(self, on_message: OnMessage) -> None:
        while True:
            if self.interactive:
                self._write(PROMPT, newline=False)
            text, at_end = await self._read_message()
            if at_end:
                if self.interactive:
                    self._write("")
                return
            if text.strip() in ("/quit", "/exit"):
                return
            if not text.strip():  # an empty line is no message (piped too: a blank line between paragraphs)
                continue
            self._count += 1
            message = Message(
                key=UserKey("console", self.user_id),
                text=text,
                message_id=f"{time.time_ns()}-{self._count}",
                user_name=self.user_id,
            )
            reply = await on_message(message, self._typing if self.interactive else None)
            if reply is not None:
                await self.send(reply)

    async def _typing(self) -> None:
        self._write("  …", newline=False)
        self._write("\r", newline=False)

    async def send(self, reply: Reply) -> None:
        prefix = BOT if self.interactive else ""
        self._write(prefix + reply.text)

    async def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()

    def _write(self, text: str, newline: bool = True) -> None:
        self.stdout.write(text + ("\n" if newline else ""))
        self.stdout.flush()


def _valid_text(line: str) -> str:
    """Bytes that are not UTF-8 (a Latin-1 file piped in, a terminal in another encoding) become
    U+FFFD. Python hands them over as lone surrogates, which the database cannot store: the whole
    message would fail."""
    if any("\ud800" <= ch <= "\udfff" for ch in line):
        return line.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return line


def _local_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "local"
