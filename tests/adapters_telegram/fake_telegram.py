"""A small Telegram Bot API server on 127.0.0.1 for tests: enough of getMe, deleteWebhook, getUpdates
(long poll with offset), sendChatAction and sendMessage for the real python-telegram-bot client.

Tests push updates with ``push_private`` / ``push_group``, inject faults with ``fail_next`` (for one
chat only with ``chat_id=``), refuse a person's private chat with ``refuse_private_chat`` (Telegram's
403 for a user who never started the bot or blocked it), and read what the bot sent from ``sent``.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

TOKEN = "123456:TEST-token-abcdef"
BOT_ID = 777000
BOT_USERNAME = "kindred_test_bot"
CANT_INITIATE = "Forbidden: bot can't initiate conversation with a user"
BLOCKED = "Forbidden: bot was blocked by the user"


@dataclass
class Fault:
    status: int
    description: str = "injected"
    retry_after: int | None = None
    drop: bool = False
    """Close the connection without an answer instead of answering with ``status``."""
    chat_id: int | None = None
    """Only for a call to this chat (``sendMessage``); calls to other chats go through."""
    delay_s: float = 0.0
    """Wait this long before failing (a slow server)."""


@dataclass
class FakeTelegram:
    token: str = TOKEN
    updates: list[dict[str, Any]] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    faults: dict[str, list[Fault]] = field(default_factory=dict)
    confirmed_offset: int = 0
    get_updates_calls: int = 0
    replays: list[dict[str, Any]] = field(default_factory=list)
    """Updates sent once more whatever the offset (a server that lost the client's confirmation)."""
    refused_private: dict[int, str] = field(default_factory=dict)
    """User id -> the 403 description their private chat answers with (see ``refuse_private_chat``)."""
    refused: list[int] = field(default_factory=list)
    """The chat ids of the sendMessage calls answered with that 403."""
    after_send: Callable[[dict[str, Any]], Awaitable[None]] | None = None
    """Awaited with each sendMessage call's parameters after it is recorded, before the answer goes
    back (to break something at the worst moment: the message is sent, the bot does not know yet)."""

    def __post_init__(self) -> None:
        self._next_update = 1000
        self._next_message = 1
        self._new_update = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.url = ""

    # lifecycle ----------------------------------------------------------------------------------
    async def start(self) -> FakeTelegram:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def close(self) -> None:
        self._new_update.set()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    # test helpers -------------------------------------------------------------------------------
    def _push(self, message: dict[str, Any]) -> dict[str, Any]:
        self._next_update += 1
        self._next_message += 1
        message.setdefault("message_id", self._next_message)
        message.setdefault("date", int(time.time()))
        update = {"update_id": self._next_update, "message": message}
        self.updates.append(update)
        self._new_update.set()
        return update

    def push_private(self, user_id: int, text: str, **extra: Any) -> dict[str, Any]:
        return self._push(
            {
                "chat": {"id": user_id, "type": "private", "first_name": f"User{user_id}"},
                "from": {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"},
                "text": text,
                **extra,
            }
        )

    def push_group(
        self, chat_id: int, user_id: int, text: str, *, mention: bool = False, reply_to_bot: bool = False
    ) -> dict[str, Any]:
        message: dict[str, Any] = {
            "chat": {"id": chat_id, "type": "supergroup", "title": "Test group"},
            "from": {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"},
            "text": text,
        }
        if mention:
            handle = f"@{BOT_USERNAME}"
            message["text"] = f"{handle} {text}"
            message["entities"] = [{"type": "mention", "offset": 0, "length": len(handle)}]
        if reply_to_bot:
            message["reply_to_message"] = {
                "message_id": 1,
                "date": int(time.time()),
                "chat": message["chat"],
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Kindred", "username": BOT_USERNAME},
                "text": "an earlier answer",
            }
        return self._push(message)

    def replay(self, update: dict[str, Any]) -> None:
        self.replays.append(update)
        self._new_update.set()

    def fail_next(self, method: str, status: int = 500, *, times: int = 1, **kw: Any) -> None:
        self.faults.setdefault(method, []).extend(Fault(status, **kw) for _ in range(times))

    def refuse_private_chat(self, user_id: int, description: str = CANT_INITIATE) -> None:
        """From now on, messages to ``user_id``'s private chat (its id is the user's id) get 403 with
        ``description``, as for someone who never started a chat with the bot or blocked it."""
        self.refused_private[user_id] = description

    def _take_fault(self, method: str, params: dict[str, Any]) -> Fault | None:
        queue = self.faults.get(method) or []
        chat = params.get("chat_id")
        for i, fault in enumerate(queue):
            if fault.chat_id is None or (chat is not None and int(chat) == fault.chat_id):
                return queue.pop(i)
        return None

    def sent_to(self, chat_id: int) -> list[str]:
        return [m["text"] for m in self.sent if int(m["chat_id"]) == chat_id]

    async def wait_for(self, predicate: Any, within_s: float = 10.0) -> None:
        """Poll until ``predicate()`` is true (short steps, no fixed sleeps)."""
        deadline = time.monotonic() + within_s
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {within_s}s waiting for the fake Telegram server")
            await asyncio.sleep(0.02)

    # the API ------------------------------------------------------------------------------------
    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return dict(await request.json())
        form = await request.post()
        out: dict[str, Any] = {}
        for key, value in form.items():
            out[key] = value if isinstance(value, str) else str(value)
        return out

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        self.calls.append(method)
        params = await self._params(request)
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        fault = self._take_fault(method, params)
        if fault is not None:
            if fault.delay_s:
                await asyncio.sleep(fault.delay_s)
            if fault.drop:
                assert request.transport is not None
                request.transport.close()
                return web.Response(status=500)
            extra = {"parameters": {"retry_after": fault.retry_after}} if fault.retry_after else {}
            return _error(fault.status, fault.description, **extra)
        handler = getattr(self, f"api_{method}", None)
        if handler is None:
            return _error(404, "Not Found: method not found")
        result = await handler(params)
        return result if isinstance(result, web.Response) else _ok(result)

    async def api_getMe(self, params: dict[str, Any]) -> Any:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Kindred",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def api_deleteWebhook(self, params: dict[str, Any]) -> Any:
        return True

    async def api_getUpdates(self, params: dict[str, Any]) -> Any:
        self.get_updates_calls += 1
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        if offset:
            # Telegram forgets every update before the offset: it is confirmed.
            self.confirmed_offset = max(self.confirmed_offset, offset)
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        if self.replays:
            out, self.replays = self.replays, []
            return out
        deadline = time.monotonic() + timeout
        while not self.updates and not self.replays:
            self._new_update.clear()
            left = deadline - time.monotonic()
            if left <= 0:
                break
            try:
                await asyncio.wait_for(self._new_update.wait(), left)
            except TimeoutError:
                break
        if self.replays:
            out, self.replays = self.replays, []
            return out
        limit = int(params.get("limit") or 100)
        return self.updates[:limit]

    async def api_sendChatAction(self, params: dict[str, Any]) -> Any:
        self.actions.append(params)
        return True

    async def api_sendMessage(self, params: dict[str, Any]) -> Any:
        chat_id = int(params["chat_id"])
        if chat_id in self.refused_private:
            self.refused.append(chat_id)
            return _error(403, self.refused_private[chat_id])
        self.sent.append(params)
        if self.after_send is not None:
            await self.after_send(params)
        self._next_message += 1
        return {
            "message_id": self._next_message,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Kindred", "username": BOT_USERNAME},
            "text": params.get("text", ""),
        }


def _ok(result: Any) -> web.Response:
    return web.Response(text=json.dumps({"ok": True, "result": result}), content_type="application/json")


def _error(status: int, description: str, **extra: Any) -> web.Response:
    body = {"ok": False, "error_code": status, "description": description, **extra}
    return web.Response(status=status, text=json.dumps(body), content_type="application/json")
