"""A small Discord (REST v10 + gateway) server on 127.0.0.1 for the real discord.py client.

REST: users/@me, oauth2/applications/@me, get a DM channel, channel typing, send message, read
channel history, open a DM. Gateway: HELLO, HEARTBEAT_ACK, IDENTIFY → READY (+ GUILD_CREATE), RESUME → replay +
RESUMED. Tests add messages with ``user_dm`` / ``user_guild_message``, inject REST faults with
``fail_next`` (``status=0`` drops the connection instead of answering), close a person's DMs with
``close_dms``, drop the gateway with ``close_gateway`` and read what the bot sent from ``sent``.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSMsgType, web

TOKEN = "MTAwMDAw.fake.discord-token-xyz"
BOT_ID = 900000000000000001
APP_ID = 900000000000000002
GUILD_ID = 910000000000000001
GUILD_CHANNEL_ID = 910000000000000010
OTHER_GUILD_ID = 920000000000000001
OTHER_GUILD_CHANNEL_ID = 920000000000000010
DISCORD_EPOCH_MS = 1420070400000
BOT_ROLE_OFFSET = 5
"""Each guild's managed role for the bot (the one Discord creates when the bot joins) has the id
guild id + this."""


def _user(uid: int, name: str, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(uid),
        "username": name,
        "discriminator": "0",
        "global_name": name,
        "avatar": None,
        "bot": bot,
    }


BOT_USER = _user(BOT_ID, "kindred", bot=True)


@dataclass
class RestFault:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]


class FakeDiscord:
    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.url = ""
        self.ws_url = ""
        self.sent: list[dict[str, Any]] = []  # {"channel_id", "content", "message_reference", ...}
        self.typing: list[int] = []
        self.rest_calls: list[str] = []
        self.faults: dict[str, list[RestFault]] = {}
        self.history: dict[int, list[dict[str, Any]]] = {}  # channel id -> messages, oldest first
        self.nonces: dict[tuple[int, Any], dict[str, Any]] = {}  # (channel, nonce) -> the message posted
        self.lose_answers = 0
        self.identify_count = 0
        self.resume_count = 0
        self.history_reads = 0
        self.dm_channels: dict[int, int] = {}  # user id -> DM channel id
        self.dm_opened: list[int] = []  # the user id of every POST /users/@me/channels
        self.dms_closed: set[int] = set()  # users whose DM channel refuses the bot (403, code 50007)
        self._events: list[dict[str, Any]] = []  # every dispatched event with its seq (for RESUME)
        self._seq = 0
        self._counter = 0
        self._ws: web.WebSocketResponse | None = None
        self._ready = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._sessions: set[str] = set()

    # lifecycle ----------------------------------------------------------------------------------
    async def start(self) -> FakeDiscord:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        self._runner = web.AppRunner(app, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        self.ws_url = f"ws://127.0.0.1:{port}/gateway"
        return self

    async def close(self) -> None:
        if self._ws is not None and not self._ws.closed:
            await self._ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # ids and payloads ---------------------------------------------------------------------------
    def snowflake(self) -> int:
        self._counter += 1
        return ((int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22) | (self._counter & 0x3FFFFF)

    def _message(
        self, channel_id: int, author: dict[str, Any], content: str, guild_id: int | None = None, **extra: Any
    ) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.snowflake()),
            "channel_id": str(channel_id),
            "author": author,
            "content": content,
            "timestamp": datetime.now(UTC).isoformat(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "pinned": False,
            "type": 0,
            **extra,
        }
        if guild_id is not None:
            data["guild_id"] = str(guild_id)
            data["member"] = {
                "roles": [],
                "joined_at": datetime.now(UTC).isoformat(),
                "deaf": False,
                "mute": False,
            }
        self.history.setdefault(channel_id, []).append(data)
        return data

    def dm_channel_for(self, user_id: int) -> int:
        if user_id not in self.dm_channels:
            self.dm_channels[user_id] = self.snowflake()
        return self.dm_channels[user_id]

    # test helpers -------------------------------------------------------------------------------
    async def user_dm(self, user_id: int, content: str, *, live: bool = True) -> dict[str, Any]:
        """A user writes to the bot in a DM. ``live=False``: only stored (the bot was offline)."""
        data = self._message(self.dm_channel_for(user_id), _user(user_id, f"user{user_id}"), content)
        if live:
            await self.dispatch("MESSAGE_CREATE", data)
        return data

    async def user_guild_message(
        self,
        user_id: int,
        content: str,
        *,
        mention: bool = False,
        mention_role: bool = False,
        guild_id: int = GUILD_ID,
        reply_to: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A user writes in a guild channel; ``reply_to``: as a reply to that message (no mention);
        ``mention_role``: mentions the bot's managed role, which Discord offers next to the bot when
        someone types "@Kindred"."""
        channel = GUILD_CHANNEL_ID if guild_id == GUILD_ID else OTHER_GUILD_CHANNEL_ID
        extra: dict[str, Any] = {}
        if reply_to is not None:
            extra["type"] = 19  # MessageType.reply
            extra["message_reference"] = {
                "message_id": reply_to["id"],
                "channel_id": reply_to["channel_id"],
                "guild_id": str(guild_id),
            }
            extra["referenced_message"] = reply_to
        if mention:
            content = f"<@{BOT_ID}> {content}"
            extra["mentions"] = [
                {**BOT_USER, "member": {"roles": [], "joined_at": datetime.now(UTC).isoformat()}}
            ]
        if mention_role:
            content = f"<@&{guild_id + BOT_ROLE_OFFSET}> {content}"
            extra["mention_roles"] = [str(guild_id + BOT_ROLE_OFFSET)]
        data = self._message(channel, _user(user_id, f"user{user_id}"), content, guild_id, **extra)
        await self.dispatch("MESSAGE_CREATE", data)
        return data

    def close_dms(self, user_id: int) -> None:
        """The person allows no DMs from the bot: opening the DM channel works, as on Discord, and every
        message to it gets 403 with code 50007."""
        self.dms_closed.add(user_id)

    def dm_user_of(self, channel_id: int) -> int | None:
        return next((uid for uid, dm in self.dm_channels.items() if dm == channel_id), None)

    def fail_next(
        self, method: str, path_part: str, status: int, *, times: int = 1, retry_after: float = 0
    ) -> None:
        """The next REST call(s) whose "METHOD path" contains ``path_part`` get ``status``; status 0
        closes the connection without an answer."""
        headers = {"Content-Type": "application/json"}
        body: dict[str, Any] = {"message": "injected", "code": 0}
        if status == 429:
            # discord.py only trusts a 429 that came through Discord's proxy (a Via header).
            headers["Via"] = "1.1 google"
            body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": False}
        self.faults.setdefault(f"{method} {path_part}", []).extend(
            RestFault(status, body, headers) for _ in range(times)
        )

    def lose_next_answers(self, times: int = 1) -> None:
        """The next ``times`` messages the bot posts are created, but the connection closes before the
        answer: the bot cannot know they arrived."""
        self.lose_answers += times

    def sent_to(self, channel_id: int) -> list[str]:
        return [m["content"] for m in self.sent if int(m["channel_id"]) == channel_id]

    async def wait_for(self, predicate: Any, within_s: float = 10.0) -> None:
        deadline = time.monotonic() + within_s
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {within_s}s waiting for the fake Discord server")
            await asyncio.sleep(0.02)

    async def close_gateway(self, code: int = 4000) -> None:
        """Drop the gateway connection (as Discord does now and then); the client should resume."""
        ws = self._ws
        self._ready.clear()
        if ws is not None and not ws.closed:
            await ws.close(code=code)

    @property
    def connected(self) -> bool:
        return self._ws is not None and not self._ws.closed and self._ready.is_set()

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        self._seq += 1
        payload = {"op": 0, "t": event, "s": self._seq, "d": data}
        self._events.append(payload)
        if self._ws is not None and not self._ws.closed and self._ready.is_set():
            await self._ws.send_str(json.dumps(payload))

    # gateway ------------------------------------------------------------------------------------
    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._ws = ws
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 45000}}))
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                break
            payload = json.loads(msg.data)
            op = payload.get("op")
            if op == 1:
                await ws.send_str(json.dumps({"op": 11}))
            elif op == 2:
                await self._identify(ws, payload["d"])
            elif op == 6:
                await self._resume(ws, payload["d"])
        if self._ws is ws:
            self._ready.clear()
        return ws

    async def _identify(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> None:
        if data.get("token") != self.token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return
        self.identify_count += 1
        session = f"session-{self.identify_count}"
        self._sessions.add(session)
        self._seq += 1
        ready = {
            "op": 0,
            "t": "READY",
            "s": self._seq,
            "d": {
                "v": 10,
                "user": BOT_USER,
                "guilds": [
                    {"id": str(GUILD_ID), "unavailable": True},
                    {"id": str(OTHER_GUILD_ID), "unavailable": True},
                ],
                "session_id": session,
                "resume_gateway_url": self.ws_url,
                "application": {"id": str(APP_ID), "flags": 0},
            },
        }
        self._events.append(ready)
        await ws.send_str(json.dumps(ready))
        self._ready.set()
        for gid, cid in ((GUILD_ID, GUILD_CHANNEL_ID), (OTHER_GUILD_ID, OTHER_GUILD_CHANNEL_ID)):
            await self.dispatch("GUILD_CREATE", _guild(gid, cid))

    async def _resume(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> None:
        if data.get("token") != self.token or data.get("session_id") not in self._sessions:
            await ws.send_str(json.dumps({"op": 9, "d": False}))  # invalid session: identify anew
            return
        self.resume_count += 1
        seq = int(data.get("seq") or 0)
        for event in self._events:
            if event["s"] > seq and event["t"] != "READY":
                await ws.send_str(json.dumps(event))
        self._seq += 1
        await ws.send_str(json.dumps({"op": 0, "t": "RESUMED", "s": self._seq, "d": {}}))
        self._ready.set()

    # REST ---------------------------------------------------------------------------------------
    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["path"]
        call = f"{request.method} {path}"
        self.rest_calls.append(call)
        if request.headers.get("Authorization") != f"Bot {self.token}":
            return _json({"message": "401: Unauthorized", "code": 0}, 401)
        for pattern, queue in self.faults.items():
            method, _, part = pattern.partition(" ")
            if queue and request.method == method and part in path:
                fault = queue.pop(0)
                if fault.status == 0:
                    assert request.transport is not None
                    request.transport.close()
                    return web.Response(status=204)  # never reaches the client
                return web.Response(
                    status=fault.status, body=json.dumps(fault.body).encode(), headers=fault.headers
                )
        parts = path.strip("/").split("/")
        if call == "GET /users/@me":
            return _json(BOT_USER)
        if call == "GET /oauth2/applications/@me":
            return _json(
                {
                    "id": str(APP_ID),
                    "name": "kindred",
                    "description": "",
                    "icon": None,
                    "bot_public": False,
                    "bot_require_code_grant": False,
                    "owner": _user(1, "owner"),
                    "verify_key": "00",
                    "flags": 0,
                }
            )
        if call == "POST /users/@me/channels":
            body = await request.json()
            uid = int(body["recipient_id"])
            self.dm_opened.append(uid)
            return _json(
                {"id": str(self.dm_channel_for(uid)), "type": 1, "recipients": [_user(uid, f"user{uid}")]}
            )
        if parts[0] == "channels" and len(parts) == 2 and request.method == "GET":
            channel_id = int(parts[1])
            uid = self.dm_user_of(channel_id)
            if uid is not None:
                return _json({"id": str(channel_id), "type": 1, "recipients": [_user(uid, f"user{uid}")]})
            return _json({"message": "Unknown Channel", "code": 10003}, 404)
        if parts[0] == "channels" and len(parts) >= 3:
            channel_id = int(parts[1])
            if parts[2] == "typing" and request.method == "POST":
                self.typing.append(channel_id)
                return web.Response(status=204)
            if parts[2] == "messages" and request.method == "POST":
                if self.dm_user_of(channel_id) in self.dms_closed:
                    return _json({"message": "Cannot send messages to this user", "code": 50007}, 403)
                body = await request.json()
                nonce = (channel_id, body.get("nonce")) if body.get("enforce_nonce") else None
                if nonce is not None and nonce in self.nonces:
                    # Discord: a nonce seen in the last few minutes returns that message, posts nothing
                    return _json(self.nonces[nonce])
                self.sent.append({"channel_id": channel_id, **body})
                guild = GUILD_ID if channel_id == GUILD_CHANNEL_ID else None
                guild = OTHER_GUILD_ID if channel_id == OTHER_GUILD_CHANNEL_ID else guild
                data = self._message(channel_id, BOT_USER, body.get("content", ""), guild)
                if nonce is not None:
                    self.nonces[nonce] = data
                if self.lose_answers:
                    self.lose_answers -= 1
                    assert request.transport is not None
                    request.transport.close()  # posted, but the bot never hears so
                    return web.Response(status=204)
                return _json(data)
            if parts[2] == "messages" and request.method == "GET":
                self.history_reads += 1
                after = int(request.query.get("after", "0"))
                limit = int(request.query.get("limit", "50"))
                found = [m for m in self.history.get(channel_id, []) if int(m["id"]) > after][:limit]
                return _json(list(reversed(found)))  # newest first, as Discord answers
        return _json({"message": "404: Not Found", "code": 0}, 404)


def _json(data: Any, status: int = 200) -> web.Response:
    # Exactly "application/json": discord.py does not parse "...; charset=utf-8" as JSON.
    return web.Response(
        status=status, body=json.dumps(data).encode(), headers={"Content-Type": "application/json"}
    )


def _guild(guild_id: int, channel_id: int) -> dict[str, Any]:
    return {
        "id": str(guild_id),
        "name": f"guild {guild_id}",
        "icon": None,
        "owner_id": "1",
        "roles": [
            {
                "id": str(guild_id),
                "name": "@everyone",
                "permissions": "0",
                "position": 0,
                "color": 0,
                "hoist": False,
                "managed": False,
                "mentionable": False,
            },
            {
                "id": str(guild_id + BOT_ROLE_OFFSET),
                "name": "kindred",
                "permissions": "0",
                "position": 1,
                "color": 0,
                "hoist": False,
                "managed": True,
                "mentionable": False,
                "tags": {"bot_id": str(BOT_ID)},
            },
        ],
        "emojis": [],
        "stickers": [],
        "features": [],
        "members": [],
        "channels": [
            {
                "id": str(channel_id),
                "type": 0,
                "name": "general",
                "position": 0,
                "permission_overwrites": [],
                "guild_id": str(guild_id),
            }
        ],
        "threads": [],
        "voice_states": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "member_count": 2,
        "large": False,
        "unavailable": False,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "premium_tier": 0,
        "preferred_locale": "en-US",
        "system_channel_flags": 0,
        "nsfw_level": 0,
    }
