"""The terminal: no account, no token. Interactive with a prompt, or one reply per line of piped stdin."""

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
        self.stdout = stdout or sys.stdout
        self.interactive = self.stdin.isatty() if interactive is None else interactive
        self.user_id = user_id or _local_user()
        self._task: asyncio.Task[None] | None = None
        self._count = 0

    async def start(self, on_message: OnMessage) -> None:
        self._task = asyncio.create_task(self._loop(on_message))

    async def wait_closed(self) -> None:
        """Returns at end of input (Ctrl-D, or the end of piped stdin)."""
        if self._task is not None:
            await self._task

    async def _readline(self) -> str:
        # stdin reads block: a daemon thread reads them, so neither the event loop nor interpreter
        # shutdown ever waits on the keyboard.
        loop = asyncio.get_running_loop()
        future: asyncio.Future[str] = loop.create_future()

        def read() -> None:
            try:
                line = self.stdin.readline()
            except (OSError, ValueError):
                line = ""
            loop.call_soon_threadsafe(lambda: future.done() or future.set_result(line))

        threading.Thread(target=read, name="console-stdin", daemon=True).start()
        return await future

    async def _loop(self, on_message: OnMessage) -> None:
        while True:
            if self.interactive:
                self._write(PROMPT, newline=False)
            line = await self._readline()
            if line == "":
                if self.interactive:
                    self._write("")
                return
            text = line.rstrip("\r\n")
            if self.interactive and text.strip() in ("/quit", "/exit"):
                return
            if not text.strip() and self.interactive:
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


def _local_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "local"
