"""Discord, on discord.py 2 (named so it cannot shadow the ``discord`` package).

DMs are always answered; guild channels only when the bot is mentioned (or a message replies to
it), and only in ``allowed_guilds`` when that list is set. In a guild outside that list, a message
addressed to the bot that the crisis rules flag still gets the crisis reply (adapters/base.py
``StrangerCrisis``: nothing stored, at most once every 10 minutes per person); nothing else there is
answered. A crisis reply to a message in a server channel goes to its author by DM, and the channel
sees only a neutral line (``DM_NOTICE``); when the DM cannot be delivered, the crisis reply goes in the
channel under the message instead. A gentle check-in to a server message goes the same way without
the neutral line: the channel sees only the model's reply, and the check-in line goes by DM
(adapters/base.py ``CheckinDelivery``). The library reconnects and resumes the gateway on its own; while the bot is down Discord keeps nothing for it, so after every (re)connect
that is not a resume the adapter reads the history of each DM channel it knows since the last
message it recorded there (a cursor per channel) and answers what came in meanwhile. Every message
is recorded in the store's inbox before it is answered and marked handled after the reply is sent,
so a message is answered at least once and never twice (see adapters/base.py).

Needs no privileged intent: DMs and messages that mention the bot carry their content anyway.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import hashlib
import logging
import re
import time
import warnings
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import aiohttp

with warnings.catch_warnings():
    # discord.py imports the deprecated audioop module for voice, which Kindred never uses.
    warnings.filterwarnings("ignore", "'audioop' is deprecated", DeprecationWarning)
    import discord

from adapters.base import (
    DM_NOTICE,
    DM_NOTICE_TEXTS,
    BackgroundSends,
    CheckinDelivery,
    ReplyPool,
    Send,
    StrangerCrisis,
    UnrecordedCrisis,
    follow_into_private,
    sleep_backoff,
    split_text,
)
from bot.protocols import AdapterStartError, OnMessage, TypingCallback
from bot.store import ConversationStore
from bot.texts import localized
from bot.types import Message, Reply, UserKey

if TYPE_CHECKING:
    from bot.config import DiscordSettings, Settings

log = logging.getLogger(__name__)

PLATFORM = "discord"
TOKEN_ENV = "KINDRED_DISCORD__TOKEN"
MAX_CHARS = 2000
"""Discord's limit for one message."""
DM_CURSOR_PREFIX = "discord:dm:"
"""One cursor per DM channel, ``discord:dm:<channel id>`` = the last message id recorded there, owned
by the person the channel is with (so /forget deletes it). The known DM channels are these rows."""
LEGACY_DM_CHANNELS_CURSOR = "discord:dm_channels"
"""Before schema 2: one row listing every DM channel id (nobody's to delete). Removed at start."""
CATCH_UP_LIMIT = 100
"""At most this many missed messages are read back per DM channel after a restart."""
_ANSWERABLE_TYPES = (discord.MessageType.default, discord.MessageType.reply)
DM_ATTEMPT_S = 10.0
"""How long the crisis reply (or a check-in line) may take to go by DM (discord.py's own waits on 500s and 429s included)
before it is sent in the server channel instead: a crisis reply must not wait long."""
DM_CLOSED_CODE = 50007
"""Discord's error code (with 403) for "Cannot send messages to this user": they closed their DMs."""
STRANGER_CRISIS_RETRY_S = 600.0
"""How long a stranger's crisis reply keeps being retried (in memory: nothing about strangers is
stored, so no inbox sweep would ever try it again) while Discord is down or rate limits; it is sent
in the background, in order per channel."""


class _Dm(enum.Enum):
    """How a crisis reply (or a check-in line) by DM went."""

    SENT = "sent"
    REFUSED = "refused"  # 403: closed DMs, or the bot may not DM them: asking again would not help
    FAILED = "failed"  # 5xx, a dropped connection, a rate limit, too slow: may work on a later try


class _NoVoiceNoise(logging.Filter):
    """discord.py warns on every client that voice libraries are missing; Kindred has no voice."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "voice will NOT be supported" not in record.getMessage()


def _quiet_library_logs() -> None:
    # discord.py logs every request body and gateway event at DEBUG: message text. Keep it at INFO+.
    logger = logging.getLogger("discord")
    if logger.getEffectiveLevel() < logging.INFO:
        logger.setLevel(logging.INFO)
    client_log = logging.getLogger("discord.client")
    if not any(isinstance(f, _NoVoiceNoise) for f in client_log.filters):
        client_log.addFilter(_NoVoiceNoise())


def _dm_cursor(channel_id: int) -> str:
    return f"{DM_CURSOR_PREFIX}{channel_id}"


# --- the one place a discord.Message becomes a Message ------------------------------------------


def message_from_discord(
    message: discord.Message, me_id: int, admins: frozenset[int] = frozenset()
) -> Message | None:
    """The neutral ``Message``, or None for what is not a person's text (bots, system messages)."""
    author = message.author
    if author.bot or author.id == me_id or message.type not in _ANSWERABLE_TYPES:
        return None
    guild_id = message.guild.id if message.guild is not None else getattr(message.channel, "guild_id", None)
    channel_id = message.channel.id
    text = message.content or ""
    if guild_id is None:
        key = UserKey(PLATFORM, str(author.id))
        addressed = True
    else:
        key = UserKey(PLATFORM, str(author.id), str(channel_id))
        mentioned = me_id in message.raw_mentions or any(u.id == me_id for u in message.mentions)
        # Typing "@Kindred", Discord offers the bot and its managed role side by side; either is meant.
        role = message.guild.self_role if message.guild is not None else None
        role_mentioned = role is not None and role.id in message.raw_role_mentions
        ref = message.reference.resolved if message.reference is not None else None
        replied = isinstance(ref, discord.Message) and ref.author.id == me_id
        addressed = mentioned or role_mentioned or replied
        text = re.sub(rf"<@!?{me_id}>[,:]?", " ", text)
        if role is not None:
            text = re.sub(rf"<@&{role.id}>[,:]?", " ", text)
        text = re.sub(r"[ \t]{2,}", " ", text).strip()
    extras: dict[str, Any] = {
        "channel_id": channel_id,
        "guild_id": guild_id,
        "message_id": message.id,
        "user_id": author.id,
    }
    if author.id in admins:
        extras["is_admin"] = True
    return Message(
        key=key,
        text=text,
        message_id=str(message.id),
        user_name=getattr(author, "global_name", None) or author.name,
        is_group=guild_id is not None,
        addressed=addressed,
        sent_at=message.created_at.timestamp(),
        extras=extras,
    )


# --- the adapter ---------------------------------------------------------------------------------


class _NotRecorded(Exception):
    """The database could not record a message (``DiscordAdapter._record``). A DM's channel marker has
    not moved past it, so the next reconnect reads it back."""

    def __init__(self, message_id: int, cause: Exception) -> None:
        super().__init__(f"message {message_id} could not be recorded: {type(cause).__name__}: {cause}")
        self.message_id = message_id
        self.cause = cause

    def log(self) -> None:
        """One warning line, not discord.py's traceback for every message of a database outage."""
        log.warning(
            "discord: message %s could not be recorded (%s: %s); a DM is read back at the next reconnect",
            self.message_id,
            type(self.cause).__name__,
            self.cause,
        )
        log.debug("discord: why message %s could not be recorded", self.message_id, exc_info=self.cause)


class _KindredClient(discord.Client):
    """Forwards the few gateway events the adapter needs."""

    def __init__(self, adapter: DiscordAdapter, **options: Any) -> None:
        super().__init__(**options)
        self.adapter = adapter

    async def on_ready(self) -> None:
        await self.adapter._on_ready()

    async def on_message(self, message: discord.Message) -> None:
        await self.adapter._receive(message)


class DiscordAdapter:
    name = PLATFORM

    def __init__(self, settings: Settings, store: ConversationStore) -> None:
        self.settings: DiscordSettings = settings.discord
        self.store = store
        self.allowed_guilds = frozenset(self.settings.allowed_guilds)
        self.admin_users = frozenset(self.settings.admin_users)
        self.client_options: dict[str, Any] = {}
        """Extra ``discord.Client`` options (tests shorten ``guild_ready_timeout``)."""
        self.client: _KindredClient | None = None
        self._pool: ReplyPool | None = None
        self._gateway_task: asyncio.Task[None] | None = None
        self._sweep_task: asyncio.Task[None] | None = None
        self._catch_up_task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        self._stopping = False
        self._dm_channels: dict[int, int] = {}  # DM channel id -> last recorded message id
        self._unowned: set[int] = set()  # DM cursors written before schema 2, without their person
        self._user_dm: dict[int, int] = {}  # user id -> DM channel id (for send() without a channel)
        self._to_strangers = BackgroundSends(PLATFORM)
        """Crisis replies to strangers still on their way, in order per channel; once stop() has waited
        for them (``closed``), none is started (it would outlive the stop)."""
        self._stranger_crisis = StrangerCrisis(settings.safety)
        """People in guilds outside allowed_guilds in crisis get the crisis reply, at most every 10 minutes."""
        self._safety = self._stranger_crisis.safety
        """For the language of ``DM_NOTICE`` (the same guess and setting as the crisis reply's)."""
        self._unrecorded = UnrecordedCrisis(self._safety)
        """A crisis message the database cannot record gets the crisis reply at once, once."""
        self._careful_turns = settings.safety.careful_turns
        self._checkin_careful_turns = settings.safety.checkin_careful_turns
        self._checkins = CheckinDelivery(PLATFORM)
        """Check-in lines to server messages go by DM; a line that reached nobody is sent on retry."""
        _quiet_library_logs()

    # lifecycle ---------------------------------------------------------------------------------
    def _token(self) -> str:
        token = self.settings.token.get_secret_value().strip() if self.settings.token else ""
        if not token:
            raise AdapterStartError(
                f"no Discord bot token: set {TOKEN_ENV} in the environment "
                "(Developer Portal → your application → Bot → Reset Token)"
            )
        return token

    def _build_client(self) -> _KindredClient:
        intents = discord.Intents.none()
        intents.guilds = True
        intents.guild_messages = True
        intents.dm_messages = True
        return _KindredClient(self, intents=intents, **self.client_options)

    async def _login(self, client: _KindredClient) -> None:
        try:
            await client.login(self._token())
        except discord.LoginFailure:
            await client.close()
            raise AdapterStartError(
                f"Discord rejected the bot token in {TOKEN_ENV}. Reset it in the Developer Portal "
                "(your application → Bot → Reset Token) and set the new one."
            ) from None
        except (discord.HTTPException, aiohttp.ClientError, OSError, TimeoutError) as exc:
            await client.close()
            raise AdapterStartError(f"cannot reach Discord to log in: {exc}") from None

    async def check(self) -> str:
        """For ``python -m bot doctor``: verifies the token (REST login, no gateway)."""
        client = self._build_client()
        await self._login(client)
        try:
            assert client.user is not None
            return f"logged in as {client.user.name} (id {client.user.id})"
        finally:
            await client.close()

    async def start(self, on_message: OnMessage) -> None:
        client = self._build_client()
        await self._login(client)
        self.client = client
        self._stopping = False
        self._to_strangers = BackgroundSends(PLATFORM)  # a restart after stop() sends again
        self._ready.clear()
        await self._load_known_channels()
        await self._claim_unowned_cursors(client)
        self._pool = ReplyPool(
            self.store,
            PLATFORM,
            on_message,
            send_for=self._send_for,
            typing_for=self._typing_for,
            max_concurrent=self.settings.max_concurrent_replies,
        )
        # Messages recorded before the last stop or crash are answered first (sending needs REST only).
        await self._pool.retry_pending()
        self._gateway_task = asyncio.create_task(self._run_gateway(client), name="discord-gateway")
        self._gateway_task.add_done_callback(self._gateway_ended)
        ready = asyncio.create_task(self._ready.wait())
        done, _ = await asyncio.wait(
            {ready, self._gateway_task},
            timeout=self.settings.ready_timeout_s,
            return_when=asyncio.FIRST_COMPLETED,
        )
        ready.cancel()
        if self._gateway_task in done:
            exc = self._gateway_task.exception()
            await self.abort()
            raise AdapterStartError(f"the Discord gateway refused the connection: {exc}")
        if not self._ready.is_set():
            log.warning(
                "discord: gateway not ready after %.0f s; still connecting", self.settings.ready_timeout_s
            )
        self._sweep_task = asyncio.create_task(self._sweep_loop(), name="discord-retry")

    async def _run_gateway(self, client: _KindredClient) -> None:
        try:
            await client.connect(reconnect=True)
        except discord.PrivilegedIntentsRequired:
            raise RuntimeError("a privileged intent is required but not enabled") from None
        except discord.ConnectionClosed as exc:
            if exc.code == 4004:
                raise RuntimeError(f"Discord rejected the bot token in {TOKEN_ENV} (gateway 4004)") from None
            raise RuntimeError(f"the gateway closed for good (code {exc.code})") from None

    def _gateway_ended(self, task: asyncio.Task[None]) -> None:
        if task.cancelled() or task.exception() is None or self._stopping:
            return
        # After start-up nothing awaits this task: say why Discord went quiet.
        log.error(
            "discord: the gateway stopped (%s); Discord is not answering until restart", task.exception()
        )

    async def stop(self) -> None:
        """Stop answering new messages (they are still recorded), finish replies in flight, disconnect."""
        self._stopping = True
        await _cancel(self._sweep_task)
        await _cancel(self._catch_up_task)
        if self._pool is not None:
            await self._pool.drain(self.settings.stop_timeout_s)
        await self._end_stranger_sends(self.settings.stop_timeout_s)
        await self._disconnect()

    async def abort(self) -> None:
        """Stop at once, as a crash would: replies in flight are cancelled and stay in the inbox."""
        self._stopping = True
        if self._pool is not None:
            self._pool.abort()
        await _cancel(self._sweep_task)
        await _cancel(self._catch_up_task)
        if self._pool is not None:
            await self._pool.drain(0)
        await self._end_stranger_sends(0)
        await self._disconnect()

    async def _end_stranger_sends(self, timeout_s: float) -> None:
        """Let crisis replies to strangers still on their way finish (up to ``timeout_s``), then cancel
        the rest: they are stored nowhere, so what is cancelled is lost (logged, without text)."""
        late = await self._to_strangers.end(timeout_s)
        if late:
            log.warning("discord: stopped with %d crisis reply(ies) to people not served still unsent", late)

    async def _disconnect(self) -> None:
        client, self.client = self.client, None
        if client is not None:
            await client.close()
        task, self._gateway_task = self._gateway_task, None
        if task is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(task, 5)

    # receiving -------------------------------------------------------------------------------
    async def _on_ready(self) -> None:
        """After IDENTIFY (start-up, or a reconnect that could not resume), nothing is replayed:
        read back what came into the known DM channels meanwhile."""
        self._ready.set()
        if self._catch_up_task is None or self._catch_up_task.done():
            self._catch_up_task = asyncio.create_task(self._catch_up(), name="discord-catch-up")

    async def _catch_up(self) -> None:
        client = self.client
        if client is None:
            return
        found = 0
        for channel_id, last_id in list(self._dm_channels.items()):
            channel = client.get_partial_messageable(channel_id, type=discord.ChannelType.private)
            fresh: list[Message] = []
            try:
                async for message in channel.history(
                    after=discord.Object(id=last_id), limit=CATCH_UP_LIMIT, oldest_first=True
                ):
                    try:
                        recorded = await self._record(message)
                    except _NotRecorded as exc:  # the database failed: the rest waits for the next reconnect
                        exc.log()
                        break
                    if recorded is not None:
                        fresh.append(recorded)
            except (discord.HTTPException, aiohttp.ClientError, OSError, TimeoutError) as exc:
                log.warning(
                    "discord: could not read DM channel %s history (%s); next reconnect tries again",
                    channel_id,
                    exc,
                )
            # Submitted together once all are recorded, so what one person wrote while the bot was away
            # is answered as one (bot/fragments.py), not message by message.
            if self._pool is not None:
                for recorded in fresh:
                    await self._pool.submit(recorded)
            found += len(fresh)
        if found:
            log.info("discord: found %d DM message(s) sent while the bot was away", found)

    async def _receive(self, message: discord.Message) -> int:
        """Record one platform message and start answering it. Returns 1 if it was new."""
        try:
            msg = await self._record(message)
        except _NotRecorded as exc:  # logged here, not as discord.py's traceback
            exc.log()
            return 0
        if msg is None or self._pool is None:
            return 0
        # After stop() begins the pool is closed: the message stays recorded for the next start.
        await self._pool.submit(msg)
        return 1

    async def _record(self, message: discord.Message) -> Message | None:
        """Record one platform message in the inbox; the Message if it is new and wanted."""
        client = self.client
        if client is None or client.user is None or self._pool is None:
            return None
        msg = message_from_discord(message, client.user.id, self.admin_users)
        if msg is None:
            return None
        if not self._wanted(msg):
            if msg.is_group and msg.addressed:
                self._crisis_to_stranger(msg)
            return None
        try:
            recorded = await self.store.enqueue_incoming(msg)
        except Exception as exc:
            # The database cannot record it (full, gone): nothing is answered, but a crisis message gets
            # the crisis reply now, once (adapters/base.py UnrecordedCrisis). A DM is read back at the
            # next reconnect (its channel's marker has not moved); a server message is not.
            reply = self._unrecorded.reply_for(msg)
            if reply is not None and not self._to_strangers.closed:
                self._to_stranger(msg, reply)
            raise _NotRecorded(message.id, exc) from exc
        if not msg.is_group:
            await self._note_dm(message.channel.id, message.id, message.author.id)
        return msg if recorded else None

    def _wanted(self, message: Message) -> bool:
        if not message.is_group:
            return True
        if not message.addressed:
            return False  # never stored: group chatter not meant for the bot
        guild_id = message.extras.get("guild_id")
        return not self.allowed_guilds or guild_id in self.allowed_guilds

    def _crisis_to_stranger(self, message: Message) -> bool:
        """A server outside allowed_guilds is not served, but someone there who mentions or replies to
        the bot may be in crisis: when the crisis rules flag the message, its author gets the crisis reply
        and its resources by DM, or threaded under the message when the DM fails (``_send_crisis``; see
        adapters/base.py ``StrangerCrisis``). Nothing is stored, the model is never asked. True if it was
        a crisis message; the reply is sent in the background (``_crisis_reply_to_stranger``)."""
        crisis, reply = self._stranger_crisis.reply_for(int(message.extras["user_id"]), message.text)
        if reply is not None and not self._to_strangers.closed:
            self._to_stranger(message, reply)
        return crisis

    def _to_stranger(self, message: Message, reply: str) -> None:
        """Send a stranger's crisis reply in a task of its own (an outage can take minutes), after the
        one before it in the same channel, so the lines there keep their order."""
        channel = int(message.extras["channel_id"])
        self._to_strangers.add(channel, lambda: self._crisis_reply_to_stranger(message, reply))

    async def _crisis_reply_to_stranger(self, message: Message, reply: str) -> None:
        """Nothing about a stranger is stored (nor a message the database could not record), so no inbox
        sweep would retry this: it is retried here,
        beyond ``send_attempts``, for up to ``STRANGER_CRISIS_RETRY_S`` while Discord is down, rate
        limits or drops the connection, and given up at once on a refusal (the channel answers 403 or
        404) or when that time is over. A DM that was refused (closed DMs) is not asked again."""
        deadline = time.monotonic() + STRANGER_CRISIS_RETRY_S
        by_dm = True
        rounds = 0
        while True:
            try:
                if not message.is_group:  # a DM the database could not record: answered where it was sent
                    channel = int(message.extras["channel_id"])
                    sent = await self._send_to(channel, reply, None, nonce_key=f"{message.message_id}:crisis")
                else:
                    outcome = await self._crisis_by_dm(message, reply) if by_dm else _Dm.REFUSED
                    by_dm = outcome is not _Dm.REFUSED
                    sent = outcome is _Dm.SENT or await self._crisis_in_channel(message, reply)
            except (discord.HTTPException, aiohttp.ClientError, OSError, TimeoutError) as exc:
                why = getattr(exc, "status", None) or type(exc).__name__
                if self._stopping or time.monotonic() >= deadline:
                    log.warning("discord: gave up sending a crisis reply that is not recorded (%s)", why)
                    return
                log.warning(
                    "discord: a crisis reply that is not recorded could not be sent yet (%s); retrying",
                    why,
                )
                await sleep_backoff(rounds, self.settings.retry_base_s, cap=60)
                rounds += 1
                continue
            if sent:
                log.info(
                    "discord: sent the crisis reply that is not recorded (a stranger, or the database down)"
                )
            return

    async def _load_known_channels(self) -> None:
        """The DM channels to read back after a restart are those with a cursor row. A channel whose
        row is gone (its person sent /forget) is not read back at all: reading it from the start
        would answer messages sent before /forget again (ones /forget dropped from the inbox, or
        older than the bot's markers)."""
        for cursor in await self.store.cursors(DM_CURSOR_PREFIX):
            try:
                channel_id, last = int(cursor.name[len(DM_CURSOR_PREFIX) :]), int(cursor.value)
            except ValueError:
                log.warning("discord: ignoring a malformed cursor row %r", cursor.name)
                continue
            self._dm_channels[channel_id] = last
            if cursor.owner is None:
                self._unowned.add(channel_id)
        if await self.store.get_cursor(LEGACY_DM_CHANNELS_CURSOR) is not None:
            # Every channel it listed has its own row too; the list itself names many people.
            await self.store.delete_cursor(LEGACY_DM_CHANNELS_CURSOR)

    async def _claim_unowned_cursors(self, client: _KindredClient) -> None:
        """Cursors written before schema 2 do not say whose DM channel they are, so /forget could
        not find them: ask Discord for each channel's recipient once (REST) and record it."""
        for channel_id in sorted(self._unowned):
            try:
                channel = await client.fetch_channel(channel_id)
            except discord.NotFound:
                # Discord no longer has the channel: nothing to read back, nothing to keep.
                await self.store.delete_cursor(_dm_cursor(channel_id))
                self._dm_channels.pop(channel_id, None)
                self._unowned.discard(channel_id)
                continue
            except (discord.HTTPException, aiohttp.ClientError, OSError, TimeoutError) as exc:
                log.warning(
                    "discord: could not look up DM channel %s (%s); trying at next start", channel_id, exc
                )
                continue
            recipient = getattr(channel, "recipient", None)
            if recipient is None:
                continue
            await self._write_cursor(channel_id, self._dm_channels[channel_id], recipient.id)

    async def _note_dm(self, channel_id: int, message_id: int, user_id: int) -> None:
        self._user_dm[user_id] = channel_id
        last = self._dm_channels.get(channel_id, 0)
        if message_id > last or channel_id in self._unowned:
            await self._write_cursor(channel_id, max(message_id, last), user_id)

    async def _write_cursor(self, channel_id: int, message_id: int, user_id: int) -> None:
        self._dm_channels[channel_id] = message_id
        self._unowned.discard(channel_id)
        await self.store.set_cursor(
            _dm_cursor(channel_id), str(message_id), owner=UserKey(PLATFORM, str(user_id))
        )

    async def _sweep_loop(self) -> None:
        """While connected, retry messages whose reply could not be sent earlier."""
        while not self._stopping:
            await asyncio.sleep(self.settings.retry_pending_s)
            client = self.client
            if self._pool is not None and client is not None and client.is_ready():
                await self._pool.retry_pending()

    # sending ---------------------------------------------------------------------------------
    def _send_for(self, message: Message) -> Send:
        channel_id = int(message.extras["channel_id"])
        reference = int(message.extras["message_id"]) if message.is_group else None

        async def send(reply: Reply) -> None:
            if reply.kind == "crisis" and self._unrecorded.was_sent(message):
                # Sent while the database could not record the message: the exchange and careful mode
                # are stored now, and the person is not sent the same crisis reply a second time.
                log.info(
                    "discord: message %s got its crisis reply while unrecorded; not sending it again",
                    message.message_id,
                )
                return
            if reply.kind == "crisis" and message.is_group:
                self._checkins.drop(message.message_id)
                await self._send_crisis(message, reply.text, after_dm=self._careful_in_dm)
                return

            async def publicly(text: str) -> None:
                await self._send_to(channel_id, text, reference, nonce_key=f"{message.message_id}:reply")

            privately = self._checkin_by_dm(message) if message.is_group else None
            await self._checkins.send(message, reply, publicly, privately)

        return send

    def _checkin_by_dm(self, message: Message) -> Callable[[str], Awaitable[bool]]:
        """For a check-in to a server message: the line to its author by DM, the crisis reply's way
        (``_send_privately``: once, within ``DM_ATTEMPT_S``); when it arrived, the DM conversation is
        careful and holds the exchange, as after a crisis reply by DM."""

        async def privately(line: str) -> bool:
            outcome = await self._send_privately(int(message.extras["user_id"]), line, "check-in line")
            if outcome is not _Dm.SENT:
                return False
            await self._careful_in_dm(message, line, self._checkin_careful_turns)
            return True

        return privately

    async def _send_crisis(
        self,
        message: Message,
        text: str,
        after_dm: Callable[[Message, str], Awaitable[None]] | None = None,
    ) -> bool:
        """The crisis reply to a message in a server channel: everyone there can read the channel, so it
        goes to the message's author by DM and the channel gets only ``DM_NOTICE``, threaded under the
        message. A DM that cannot be delivered (closed DMs: 403 with code 50007; 5xx, a dropped
        connection, a rate limit, more than ``DM_ATTEMPT_S``) is not retried: the crisis reply goes in
        the channel under the message instead, as for a reply that could not be private at all. Safety
        before privacy. Raises, like ``_send_to``, when even the channel cannot be reached for now."""
        if await self._crisis_by_dm(message, text, after_dm) is _Dm.SENT:
            return True
        return await self._crisis_in_channel(message, text)

    async def _crisis_in_channel(self, message: Message, text: str) -> bool:
        channel_id = int(message.extras["channel_id"])
        return await self._send_to(
            channel_id, text, int(message.extras["message_id"]), nonce_key=f"{message.message_id}:crisis"
        )

    async def _crisis_by_dm(
        self,
        message: Message,
        text: str,
        after_dm: Callable[[Message, str], Awaitable[None]] | None = None,
    ) -> _Dm:
        """The DM half of ``_send_crisis``: the crisis reply by DM, once; when it arrived, ``after_dm``
        and the neutral line in the channel (whose failure is only logged)."""
        outcome = await self._send_privately(int(message.extras["user_id"]), text, "crisis reply")
        if outcome is not _Dm.SENT:
            return outcome
        if after_dm is not None:
            await after_dm(message, text)
        notice = localized(DM_NOTICE, DM_NOTICE_TEXTS, self._safety.language_of(message.text))
        try:
            await self._send_to(
                int(message.extras["channel_id"]),
                notice,
                int(message.extras["message_id"]),
                nonce_key=f"{message.message_id}:notice",
            )
        except (discord.DiscordException, aiohttp.ClientError, OSError, TimeoutError, ConnectionError) as exc:
            # Not raised: the crisis reply has arrived, and a raise would leave the message in the inbox
            # to be answered, and DMed, again.
            log.warning(
                "discord: the crisis reply went by DM, but the line saying so could not be posted (%s)",
                getattr(exc, "status", type(exc).__name__),
            )
        return _Dm.SENT

    async def _careful_in_dm(self, message: Message, text: str, turns: int | None = None) -> None:
        """The person got the crisis reply (or a check-in line) by DM, so their answer will likely come
        there: that DM conversation is careful too, for ``turns`` replies (``safety.careful_turns`` by
        default), and holds the exchange (``follow_into_private``). Only for the dispatcher's path: for
        strangers in other guilds nothing is stored."""
        key = UserKey(PLATFORM, str(message.extras["user_id"]))
        careful = self._careful_turns if turns is None else turns
        try:
            await follow_into_private(self.store, key, message.text, text, careful)
        except Exception:  # noqa: BLE001 - the crisis reply has arrived; this only tunes later replies
            log.exception("discord: could not carry the exchange over to the DM conversation")

    async def _send_privately(self, user_id: int, text: str, what: str) -> _Dm:
        """Send ``text`` (``what``: "crisis reply", "check-in line", for the logs) to ``user_id`` by DM,
        once (discord.py's own retries included) and within ``DM_ATTEMPT_S``. SENT when every part
        arrived; REFUSED (403) or FAILED, and a log line without the text, when not."""
        try:
            async with asyncio.timeout(DM_ATTEMPT_S):
                # POST /users/@me/channels (discord.py keeps the channel), then its messages.
                dm = await self._client().create_dm(discord.Object(id=user_id))
                for chunk in split_text(text, MAX_CHARS):
                    await dm.send(chunk, allowed_mentions=discord.AllowedMentions.none())
        except discord.Forbidden as exc:
            if exc.code == DM_CLOSED_CODE:
                log.info("discord: the person does not take DMs from the bot; %s in the channel", what)
            else:
                log.warning("discord: DM refused (403, code %s); %s in the channel", exc.code, what)
            return _Dm.REFUSED
        except (discord.DiscordException, aiohttp.ClientError, OSError, TimeoutError) as exc:
            log.warning(
                "discord: could not DM the %s (%s); sending it in the channel",
                what,
                getattr(exc, "status", None) or type(exc).__name__,
            )
            return _Dm.FAILED
        except Exception:
            # Whatever else breaks on the way to the DM, the channel still gets the crisis reply (or line).
            log.exception("discord: sending the %s by DM failed; sending it in the channel", what)
            return _Dm.FAILED
        return _Dm.SENT

    def _typing_for(self, message: Message) -> TypingCallback:
        channel_id = int(message.extras["channel_id"])

        async def typing() -> None:
            client = self.client
            if client is None:
                return
            try:
                await client.http.send_typing(channel_id)
            except (discord.HTTPException, aiohttp.ClientError, OSError, TimeoutError) as exc:
                log.debug("discord: typing failed (%s)", exc)  # cosmetic; never fail a reply over it

        return typing

    async def send(self, reply: Reply) -> None:
        """Deliver a reply to the user's DM (or to the guild channel in ``reply.key.chat_id``)."""
        nonce_key = f"{reply.in_reply_to}:{reply.kind}" if reply.in_reply_to else None
        if reply.key.chat_id:
            await self._send_to(int(reply.key.chat_id), reply.text, None, nonce_key=nonce_key)
            return
        user_id = int(reply.key.user_id)
        channel_id = self._user_dm.get(user_id)
        if channel_id is None:
            client = self._client()
            user = await client.fetch_user(user_id)
            channel_id = (await user.create_dm()).id
            self._user_dm[user_id] = channel_id
        await self._send_to(channel_id, reply.text, None, nonce_key=nonce_key)

    def _client(self) -> _KindredClient:
        if self.client is None:
            raise ConnectionError("the Discord adapter is stopped")
        return self.client

    async def _send_to(
        self, channel_id: int, text: str, reference: int | None, *, nonce_key: str | None = None
    ) -> bool:
        """Send in chunks of at most 2000 characters. discord.py waits out 429s and retries 500/502/
        504/524 itself; other 5xx and network errors are retried here with backoff and jitter, then
        raised so the message stays in the inbox. A channel the bot may not write to drops the reply
        (False; True when every chunk was sent).

        ``nonce_key`` (the message answered and what is sent) gives every chunk a nonce of its own that
        is the same on every try (``reply_nonce``): discord.py sends ``enforce_nonce``, so when a chunk
        reached Discord but the answer was lost (a dropped connection, a timeout), the retry, here or
        at the next sweep, gets the message already posted instead of posting it again. Discord keeps
        nonces for a few minutes only; a retry after a longer outage can still post a second copy."""
        channel = self._client().get_partial_messageable(channel_id)
        ref = (
            discord.MessageReference(message_id=reference, channel_id=channel_id, fail_if_not_exists=False)
            if reference
            else None
        )
        for i, chunk in enumerate(split_text(text, MAX_CHARS)):
            kwargs: dict[str, Any] = {
                # The model's text must never ping @everyone, roles or users.
                "allowed_mentions": discord.AllowedMentions.none(),
            }
            if ref is not None and i == 0:
                kwargs["reference"] = ref
                kwargs["mention_author"] = False
            if nonce_key is not None:
                kwargs["nonce"] = reply_nonce(nonce_key, i)
            try:
                await self._retrying(lambda c=chunk, kw=kwargs: channel.send(c, **kw))
            except (discord.Forbidden, discord.NotFound) as exc:
                log.warning("discord: cannot send to channel %s (%s); reply dropped", channel_id, exc.status)
                return False
        return True

    async def _retrying(self, call: Any) -> Any:
        failures = 0
        while True:
            try:
                return await call()
            except discord.RateLimited as exc:  # only when a 429 asks for a very long wait
                log.warning("discord: rate limited; waiting %.1f s", exc.retry_after)
                await asyncio.sleep(exc.retry_after)
            except (discord.DiscordServerError, aiohttp.ClientError, OSError, TimeoutError) as exc:
                failures += 1
                if failures >= self.settings.send_attempts:
                    raise
                log.warning(
                    "discord: sending failed (%s); retry %d of %d",
                    getattr(exc, "status", type(exc).__name__),
                    failures,
                    self.settings.send_attempts - 1,
                )
                await sleep_backoff(failures - 1, self.settings.retry_base_s, cap=30)


async def _cancel(task: asyncio.Task[Any] | None) -> None:
    if task is not None and not task.done():
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task


def reply_nonce(key: str, chunk: int) -> str:
    """A nonce for chunk ``chunk`` of what ``key`` names, the same on every try: 16 hex digits (Discord
    takes a string of at most 25 characters). Random nonces (discord.py's default when none is given)
    differ per call, so a retry after a lost answer posted the reply twice."""
    return hashlib.blake2b(f"{key}#{chunk}".encode(), digest_size=8).hexdigest()
