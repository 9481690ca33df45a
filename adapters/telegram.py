"""Telegram, on python-telegram-bot 22, with at-least-once delivery and at-most-once replies.

PTB's ``Updater`` confirms an update (advances the ``offset``) as soon as it is queued, before any
handler runs, so a crash loses it. This adapter owns the loop around ``bot.get_updates`` instead:

    getUpdates ─► Message (one function) ─► store.enqueue_incoming ─► offset advanced and saved
                                                      └─► ReplyPool: dispatcher → sendMessage → mark handled

A message recorded but not answered (killed mid-reply, or every send failed) stays in the store's
inbox and is answered after the next start (or on the next retry sweep while online); a message
already answered is never answered again, even if Telegram delivers its update twice.

A crisis reply to a message in a group goes to its author in their private chat with the bot (whose
id is the person's id), and the group sees only a neutral line (``DM_NOTICE``) threaded under the
message; when the private message cannot be delivered (the person never started a chat with the bot,
blocked it, or any other failure), the crisis reply goes in the group under the message instead.
A gentle check-in to a group message goes the same way without the neutral line: the group sees only
the model's reply, and the check-in line goes privately (adapters/base.py ``CheckinDelivery``).

Privacy: neither the token nor message text is ever logged. The Bot API puts the token in the URL,
which httpx logs at INFO and PTB at DEBUG (with every call's text), so the ``httpx``, ``httpcore``
and ``telegram`` loggers are kept at WARNING or above.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from telegram import Bot, ReplyParameters, Update
from telegram.constants import ChatAction
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.request import HTTPXRequest

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
from bot.texts import STRANGER_TEXTS, localized, notice_language
from bot.types import Message, Reply, UserKey

if TYPE_CHECKING:
    from bot.config import Settings, TelegramSettings

log = logging.getLogger(__name__)

PLATFORM = "telegram"
TOKEN_ENV = "KINDRED_TELEGRAM__TOKEN"
MAX_CHARS = 4096
"""Telegram's limit for one text message."""
START_ATTEMPTS = 4
"""Tries to reach the Bot API at start-up before the adapter gives up (other platforms keep running)."""
MAX_RETRY_AFTER_WAITS = 5
PRIVATE_ATTEMPT_S = 10.0
"""How long the crisis reply (or a check-in line) may take to reach the person's private chat before
it is sent in the group instead: one try, no retry (a crisis reply must not wait long)."""
STRANGER_CRISIS_RETRY_S = 600.0
"""How long a stranger's crisis reply keeps being retried (in memory: nothing about strangers is
stored, so this is its only chance) when Telegram is down or rate limits; sent in the background, so
polling goes on meanwhile."""
STRANGER_TEXT = (
    "Hi! This is a private Kindred bot and its owner hasn't added you. "
    "Kindred is open source, so you can run a companion of your own."
)
"""The one notice to someone not in ``allowed_users`` (``stranger_notice``); ``bot/texts.py`` has it in the
person's language (``STRANGER_TEXTS``)."""


def offset_cursor(bot_id: int) -> str:
    """Update ids are per bot: a new token for another bot must not inherit the old bot's offset."""
    return f"telegram:offset:{bot_id}"


def _quiet_http_logs() -> None:
    # The Bot API URL contains the token: httpx logs every request URL at INFO, and PTB logs the URL
    # and every call's parameters (message text included) at DEBUG. Keep them at WARNING or above.
    for name in ("httpx", "httpcore", "telegram"):
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < logging.WARNING:
            logger.setLevel(logging.WARNING)


@dataclass(frozen=True, slots=True)
class BotIdentity:
    id: int
    username: str


# --- the one place a Telegram update becomes a Message ----------------------------------------


def message_from_update(
    update: Update, me: BotIdentity, admins: frozenset[int] = frozenset()
) -> Message | None:
    """The neutral ``Message`` for an update, or None for updates that are not a person's message
    (channel posts, other bots, anonymous admins, edits)."""
    msg = update.message
    if msg is None or msg.from_user is None or msg.from_user.is_bot:
        return None
    chat, user = msg.chat, msg.from_user
    text = msg.text if msg.text is not None else (msg.caption or "")
    private = chat.type == "private"
    if private:
        key = UserKey(PLATFORM, str(user.id))
        addressed = True
    else:
        key = UserKey(PLATFORM, str(user.id), str(chat.id))
        mentioned = _mentions_bot(msg, text, me)
        reply_to = msg.reply_to_message
        replied = bool(reply_to and reply_to.from_user and reply_to.from_user.id == me.id)
        addressed = mentioned or replied
        if mentioned:
            text = _strip_mention(text, me.username)
    extras: dict[str, Any] = {
        "chat_id": chat.id,
        "message_id": msg.message_id,
        "user_id": user.id,
        "update_id": update.update_id,
        "chat_type": chat.type,
    }
    if user.id in admins:
        extras["is_admin"] = True
    if isinstance(user.language_code, str) and user.language_code.strip():
        # The language the person's Telegram app is set to ("es", "pt-br"), as Telegram reports it.
        extras["platform_language"] = user.language_code.strip().lower()
    return Message(
        key=key,
        text=text,
        # The update id and the message's number in its chat, not the chat id: in a private chat
        # the chat id is the person's id, so a "handled" marker built from it could be traced back to
        # them after /forget; update ids are the bot's own sequence. (send() threads group replies
        # under the number after the colon.)
        message_id=f"u{update.update_id}:{msg.message_id}",
        user_name=user.first_name,
        is_group=not private,
        addressed=addressed,
        sent_at=msg.date.timestamp() if msg.date else time.time(),
        extras=extras,
    )


def _mentions_bot(msg: Any, text: str, me: BotIdentity) -> bool:
    handle = f"@{me.username}".lower()
    try:
        entities = msg.parse_entities() if msg.text is not None else msg.parse_caption_entities()
    except (TypeError, ValueError):
        entities = {}
    for entity, value in entities.items():
        if entity.type == "mention" and value.lower() == handle:
            return True
        if entity.type == "text_mention" and entity.user is not None and entity.user.id == me.id:
            return True
        if entity.type == "bot_command" and value.lower().endswith(handle):
            return True  # /help@kindred_bot
    return bool(me.username) and re.search(rf"(?<![\w@]){re.escape(handle)}\b", text.lower()) is not None


def _strip_mention(text: str, username: str) -> str:
    """``@bot how are you`` → ``how are you``; ``/help@bot`` stays (the command step reads it)."""
    stripped = re.sub(rf"(?<![\w/@])@{re.escape(username)}\b[,:]?", " ", text, flags=re.IGNORECASE)
    return re.sub(r"[ \t]{2,}", " ", stripped).strip()


def _retry_after_s(exc: RetryAfter) -> float:
    value = getattr(exc, "_retry_after", None)
    if value is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # PTB warns about int-vs-timedelta on this property
            value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


# --- the adapter ---------------------------------------------------------------------------------


class TelegramAdapter:
    name = PLATFORM

    def __init__(self, settings: Settings, store: ConversationStore) -> None:
        self.settings: TelegramSettings = settings.telegram
        self.store = store
        self.allowed_users = frozenset(self.settings.allowed_users)
        self.admin_users = frozenset(self.settings.admin_users)
        self.bot: Bot | None = None
        self.me: BotIdentity | None = None
        self._pool: ReplyPool | None = None
        self._poll_task: asyncio.Task[None] | None = None
        self._offset: int | None = None
        self._stopping = False
        self._noticed: set[int] = set()
        self._to_strangers = BackgroundSends(PLATFORM)
        """Messages to people the bot does not serve, sent in the background, in order per chat."""
        self._stranger_crisis = StrangerCrisis(settings.safety)
        """Strangers (with an allowlist) in crisis get the crisis reply, at most once every 10 minutes."""
        self._safety = self._stranger_crisis.safety
        """For the language of ``DM_NOTICE`` (the same guess and setting as the crisis reply's)."""
        self._unrecorded = UnrecordedCrisis(self._safety)
        """A crisis message the database cannot record gets the crisis reply at once, once."""
        self._careful_turns = settings.safety.careful_turns
        self._checkin_careful_turns = settings.safety.checkin_careful_turns
        self._checkins = CheckinDelivery(PLATFORM)
        """Check-in lines to group messages go privately; a line that reached nobody is sent on retry."""
        _quiet_http_logs()

    # lifecycle ---------------------------------------------------------------------------------
    def _token(self) -> str:
        token = self.settings.token.get_secret_value().strip() if self.settings.token else ""
        if not token:
            raise AdapterStartError(
                f"no Telegram bot token: set {TOKEN_ENV} in the environment "
                "(create a bot and get its token from @BotFather)"
            )
        return token

    def _scrub(self, text: object) -> str:
        """Error text with the token blanked out (some library messages quote it)."""
        out = str(text)
        if self.settings.token is not None:
            token = self.settings.token.get_secret_value()
            if token:
                out = out.replace(token, "<token>")
        return out

    def _build_bot(self) -> Bot:
        token = self._token()
        pool = self.settings.max_concurrent_replies + 8
        return Bot(
            token,
            base_url=self.settings.base_url,
            base_file_url=self.settings.base_file_url,
            request=HTTPXRequest(
                connection_pool_size=pool,
                read_timeout=20,
                write_timeout=20,
                connect_timeout=10,
                pool_timeout=20,
            ),
            # getUpdates adds its long-poll timeout to this read timeout itself.
            get_updates_request=HTTPXRequest(connection_pool_size=2, read_timeout=10, connect_timeout=10),
        )

    async def _connect(self, bot: Bot) -> BotIdentity:
        """getMe, with a few retries for a flaky network; a rejected token is final."""
        for attempt in range(START_ATTEMPTS):
            try:
                await bot.initialize()
                break
            except InvalidToken:
                # PTB's own message quotes the token: never let it reach a log.
                raise AdapterStartError(
                    f"Telegram rejected the bot token in {TOKEN_ENV}. Check it with @BotFather "
                    "(/mybots → API Token) and set the current one."
                ) from None
            except RetryAfter as exc:
                await asyncio.sleep(_retry_after_s(exc))
            except TelegramError as exc:
                if attempt == START_ATTEMPTS - 1:
                    raise AdapterStartError(
                        f"cannot reach the Telegram Bot API at {self._scrub(self.settings.base_url)}: "
                        f"{self._scrub(exc)} (check the network, or telegram.base_url for a self-hosted server)"
                    ) from None
                log.warning("telegram: getMe failed (%s); retrying", self._scrub(exc))
                await sleep_backoff(attempt, self.settings.retry_base_s, cap=10)
        return BotIdentity(bot.bot.id, bot.bot.username or "")

    async def check(self) -> str:
        """For ``python -m bot doctor``: verifies the token with getMe."""
        bot = self._build_bot()
        try:
            me = await self._connect(bot)
        finally:
            await bot.shutdown()
        return f"logged in as @{me.username}"

    async def start(self, on_message: OnMessage) -> None:
        bot = self._build_bot()
        try:
            self.me = await self._connect(bot)
            # A webhook makes getUpdates fail with 409 Conflict; polling needs it gone (updates kept).
            await self._retrying("deleteWebhook", lambda: bot.delete_webhook(drop_pending_updates=False))
        except TelegramError as exc:
            await bot.shutdown()
            raise AdapterStartError(f"Telegram refused to start polling: {self._scrub(exc)}") from None
        except BaseException:
            await bot.shutdown()
            raise
        self.bot = bot
        stored = await self.store.get_cursor(offset_cursor(self.me.id))
        self._offset = int(stored) if stored else None
        self._stopping = False
        self._pool = ReplyPool(
            self.store,
            PLATFORM,
            on_message,
            send_for=self._send_for,
            typing_for=self._typing_for,
            max_concurrent=self.settings.max_concurrent_replies,
        )
        self._poll_task = asyncio.create_task(self._poll_loop(), name="telegram-poll")
        log.info("telegram: polling as @%s", self.me.username)

    async def stop(self) -> None:
        """Stop polling, let replies in flight finish (up to stop_timeout_s), disconnect."""
        self._stopping = True
        await self._cancel_polling()
        if self._pool is not None:
            await self._pool.drain(self.settings.stop_timeout_s)
        await self._end_stranger_sends(self.settings.stop_timeout_s)
        await self._close_bot()

    async def abort(self) -> None:
        """Stop at once, as a crash would: replies in flight are cancelled and stay in the inbox."""
        self._stopping = True
        if self._pool is not None:
            self._pool.abort()
        await self._cancel_polling()
        if self._pool is not None:
            await self._pool.drain(0)
        await self._end_stranger_sends(0)
        await self._close_bot()

    async def _end_stranger_sends(self, timeout_s: float) -> None:
        """Let messages to strangers still on their way finish (up to ``timeout_s``), then cancel the
        rest: they are not stored anywhere, so what is cancelled is lost (logged)."""
        late = await self._to_strangers.end(timeout_s)
        if late:
            log.warning("telegram: stopped with %d message(s) to people not allowed still unsent", late)

    async def _cancel_polling(self) -> None:
        task, self._poll_task = self._poll_task, None
        if task is not None and not task.done():
            task.cancel()
        if task is not None:
            try:
                await task
            except asyncio.CancelledError:
                pass
            except Exception:  # noqa: BLE001 - already logged by the loop; stopping anyway
                log.debug("telegram: poll loop ended with an error", exc_info=True)

    async def _close_bot(self) -> None:
        bot, self.bot = self.bot, None
        if bot is not None:
            try:
                await bot.shutdown()
            except Exception:  # noqa: BLE001 - closing connections must not stop the shutdown
                log.debug("telegram: error while closing the HTTP client", exc_info=True)

    # receiving -------------------------------------------------------------------------------
    async def _poll_loop(self) -> None:
        assert self.bot is not None and self._pool is not None
        bot, pool = self.bot, self._pool
        # Messages recorded before the last stop or crash are answered first.
        await pool.retry_pending()
        last_sweep = time.monotonic()
        failures = 0
        while not self._stopping:
            try:
                updates = await bot.get_updates(
                    offset=self._offset, timeout=self.settings.poll_timeout_s, allowed_updates=["message"]
                )
            except RetryAfter as exc:
                await asyncio.sleep(_retry_after_s(exc))
                continue
            except InvalidToken:
                log.error(
                    "telegram: the token was rejected while running (revoked?). Set the new one in %s and "
                    "restart; Telegram is stopped, other platforms keep running.",
                    TOKEN_ENV,
                )
                return
            except Conflict as exc:
                log.warning(
                    "telegram: getUpdates conflict (%s): is another copy of this bot running with the same "
                    "token? Retrying.",
                    self._scrub(exc),
                )
                await sleep_backoff(failures, self.settings.retry_base_s, cap=60)
                failures += 1
                continue
            except TelegramError as exc:  # NetworkError, TimedOut, 5xx, odd answers
                log.warning("telegram: getUpdates failed (%s); retrying with backoff", self._scrub(exc))
                await sleep_backoff(failures, self.settings.retry_base_s, cap=60)
                failures += 1
                continue
            try:
                if updates:
                    await self._take(updates)
                if time.monotonic() - last_sweep >= self.settings.retry_pending_s:
                    # Online again: try the messages whose reply could not be sent before.
                    await pool.retry_pending()
                    last_sweep = time.monotonic()
            except Exception:  # noqa: BLE001 - e.g. the database is busy: keep polling, nothing is lost
                # The offset only moves past messages that were recorded, so these come again.
                log.exception("telegram: could not record a batch of updates; trying again")
                await sleep_backoff(failures, self.settings.retry_base_s, cap=60)
                failures += 1
                continue
            failures = 0

    async def _take(self, updates: tuple[Update, ...] | list[Update]) -> None:
        """Record every update's message, then advance and save the offset, then start answering."""
        assert self.me is not None and self._pool is not None
        fresh: list[Message] = []
        failed: Exception | None = None
        for update in updates:
            try:
                message = message_from_update(update, self.me, self.admin_users)
            except Exception:  # noqa: BLE001 - one odd update must not stall the chat for everyone
                log.exception("telegram: skipped update %s that could not be read", update.update_id)
                message = None
            wanted = message is not None and await self._wanted(message)
            if wanted and failed is None:
                try:
                    if await self.store.enqueue_incoming(message):
                        fresh.append(message)
                except Exception as exc:  # noqa: BLE001 - raised below, after the crisis check
                    failed = exc
            if failed is not None:
                # The database cannot record: this update and the ones after it come again (the offset
                # stays), but a crisis message among them gets the crisis reply now (UnrecordedCrisis).
                reply = self._unrecorded.reply_for(message) if wanted else None
                if reply is not None:
                    self._to_stranger(
                        message, lambda m=message, r=reply: self._crisis_reply_to_stranger(m, r)
                    )
                continue
            self._offset = update.update_id + 1
        if failed is not None:
            for message in fresh:  # recorded before the failure: answered now
                await self._pool.submit(message)
            raise failed
        # Only now, with every message of the batch on disk, may Telegram forget these updates.
        await self.store.set_cursor(offset_cursor(self.me.id), str(self._offset))
        for message in fresh:
            await self._pool.submit(message)

    async def _wanted(self, message: Message) -> bool:
        """Group chatter not meant for the bot and strangers (with an allowlist) are never stored."""
        if message.is_group and not message.addressed:
            return False
        if self.allowed_users and int(message.key.user_id) not in self.allowed_users:
            user = int(message.key.user_id)
            if self._crisis_to_stranger(user, message):
                return False
            if self.settings.stranger_notice and not message.is_group and user not in self._noticed:
                self._noticed.add(user)
                lang = self._notice_language(message)
                self._to_stranger(
                    message, lambda: self._notice_stranger(int(message.extras["chat_id"]), lang)
                )
            log.info("telegram: ignored a message from a user not in telegram.allowed_users")
            return False
        return True

    def _to_stranger(self, message: Message, send: Callable[[], Awaitable[None]]) -> None:
        """Send to someone the bot does not serve without holding up polling, in order per chat."""
        self._to_strangers.add(int(message.extras["chat_id"]), send)

    def _notice_language(self, message: Message) -> str | None:
        """The language of a notice to this person (None = English), picked as command replies are: their
        Telegram app's language (``language_code``), else the language of the message."""
        return notice_language(
            message.extras.get("platform_language"),
            message.text,
            self._safety.language_of,
            localize=self._safety.settings.localize_safety_texts,
        )

    async def _notice_stranger(self, chat_id: int, lang: str | None = None) -> None:
        try:
            await self._send_chunks(chat_id, [localized(STRANGER_TEXT, STRANGER_TEXTS, lang)], None)
        except TelegramError as exc:
            log.info("telegram: could not send the not-allowed notice (%s)", self._scrub(exc))

    def _crisis_to_stranger(self, user: int, message: Message) -> bool:
        """Someone the bot does not serve (not in allowed_users) may still be in crisis: when the crisis
        rules flag their private message, or a group message addressed to the bot (only those reach
        here), they get the crisis reply and its resources, not "this bot is private" (see
        adapters/base.py ``StrangerCrisis``); from a group, privately when possible (``_send_crisis``).
        Nothing is stored, the model is never asked. True if it was a crisis message; the reply is
        sent in the background (``_crisis_reply_to_stranger``)."""
        crisis, reply = self._stranger_crisis.reply_for(user, message.text)
        if reply is not None:
            self._to_stranger(message, lambda: self._crisis_reply_to_stranger(message, reply))
        return crisis

    async def _crisis_reply_to_stranger(self, message: Message, reply: str) -> None:
        """Nothing about a stranger is stored (nor a message the database could not record), so no later
        sweep would retry this: it is retried here,
        beyond ``send_attempts``, for up to ``STRANGER_CRISIS_RETRY_S`` while Telegram is down or rate
        limits, and given up only on a refusal (403: blocked; 400) or when that time is over."""
        deadline = time.monotonic() + STRANGER_CRISIS_RETRY_S
        rounds = 0
        while True:
            try:
                if message.is_group:
                    await self._send_crisis(message, Reply(message.key, reply, "crisis", message.message_id))
                else:
                    await self._send_chunks(int(message.extras["chat_id"]), [reply], None)
            except (BadRequest, Forbidden, InvalidToken) as exc:
                log.warning(
                    "telegram: could not send a crisis reply that is not recorded (%s)", self._scrub(exc)
                )
                return
            except TelegramError as exc:
                if self._stopping or time.monotonic() >= deadline:
                    log.warning(
                        "telegram: gave up sending the crisis reply that is not recorded (%s)",
                        self._scrub(exc),
                    )
                    return
                log.warning(
                    "telegram: the crisis reply that is not recorded could not be sent yet (%s); retrying",
                    self._scrub(exc),
                )
                await sleep_backoff(rounds, self.settings.retry_base_s, cap=60)
                rounds += 1
                continue
            log.info("telegram: sent a crisis reply that is not recorded (a stranger, or the database down)")
            return

    # sending ---------------------------------------------------------------------------------
    def _send_for(self, message: Message) -> Send:
        async def send(reply: Reply) -> None:
            if reply.kind == "crisis" and self._unrecorded.was_sent(message):
                # Sent while the database could not record the message: the exchange and careful mode
                # are stored now, and the person is not sent the same crisis reply a second time.
                log.info(
                    "telegram: message %s got its crisis reply while unrecorded; not sending it again",
                    message.message_id,
                )
                return
            if reply.kind == "crisis" and message.is_group:
                self._checkins.drop(message.message_id)
                await self._send_crisis(message, reply, after_private=self._careful_in_private)
                return

            async def publicly(text: str) -> None:
                await self.send(replace(reply, text=text))

            privately = self._checkin_privately(message) if message.is_group else None
            await self._checkins.send(message, reply, publicly, privately)

        return send

    def _checkin_privately(self, message: Message) -> Callable[[str], Awaitable[bool]]:
        """For a check-in to a group message: the line to its author's private chat, the crisis reply's
        way (``_send_privately``: once, within ``PRIVATE_ATTEMPT_S``); when it arrived, that private
        conversation is careful and holds the exchange, as after a crisis reply."""

        async def privately(line: str) -> bool:
            if not await self._send_privately(int(message.key.user_id), line, "check-in line"):
                return False
            await self._careful_in_private(message, line, self._checkin_careful_turns)
            return True

        return privately

    async def _send_crisis(
        self,
        message: Message,
        reply: Reply,
        after_private: Callable[[Message, str], Awaitable[None]] | None = None,
    ) -> None:
        """The crisis reply to a message in a group: everyone there can read it, so it goes to the
        message's author in their private chat with the bot, and the group gets only ``DM_NOTICE``,
        threaded under the message. When the private message cannot be delivered (403: the person never
        started a chat with the bot or blocked it; 400, 5xx, 429, a timeout, a dropped connection, more
        than ``PRIVATE_ATTEMPT_S``) it is not retried: the crisis reply goes in the group under the
        message instead, exactly as any reply there (``send``). Safety before privacy. Raises, like
        ``send``, when even the group cannot be reached for now (the message stays in the inbox)."""
        user_id = int(message.key.user_id)
        if not await self._send_privately(user_id, reply.text, "crisis reply"):
            await self.send(reply)
            return
        if after_private is not None:
            await after_private(message, reply.text)
        notice = localized(DM_NOTICE, DM_NOTICE_TEXTS, self._safety.language_of(message.text))
        try:
            await self._send_chunks(
                int(message.extras["chat_id"]), [notice], int(message.extras["message_id"])
            )
        except Exception as exc:  # noqa: BLE001 - the crisis reply has arrived; see below
            # Not raised: a raise would leave the message in the inbox to be answered, and sent
            # privately, again.
            log.warning(
                "telegram: the crisis reply went privately, but the line saying so could not be posted (%s)",
                self._scrub(exc) if isinstance(exc, TelegramError) else type(exc).__name__,
            )

    async def _send_privately(self, user_id: int, text: str, what: str) -> bool:
        """Send ``text`` (``what``: "crisis reply", "check-in line", for the logs) to the private chat
        with ``user_id`` (in the Bot API its id is the user's id), once and within ``PRIVATE_ATTEMPT_S``:
        no retry, and a 429 is not waited out. True when every part arrived; False, and a log line
        without the text, when not."""
        try:
            async with asyncio.timeout(PRIVATE_ATTEMPT_S):
                for chunk in split_text(text, MAX_CHARS):
                    await self._bot().send_message(user_id, chunk)
        except Forbidden as exc:
            # "Forbidden: bot can't initiate conversation with a user" (never started a chat with the
            # bot) or "Forbidden: bot was blocked by the user".
            log.info(
                "telegram: no private chat with the person (%s); %s in the group", self._scrub(exc), what
            )
            return False
        except (TelegramError, OSError, TimeoutError) as exc:
            # BadRequest (e.g. "chat not found"), RetryAfter, TimedOut, NetworkError (5xx, dropped
            # connection), or PRIVATE_ATTEMPT_S over.
            log.warning(
                "telegram: could not send the %s privately (%s); sending it in the group",
                what,
                self._scrub(exc) if isinstance(exc, TelegramError) else type(exc).__name__,
            )
            return False
        except Exception:
            # Whatever else breaks on the way, the group still gets the crisis reply (or the line).
            log.exception("telegram: sending the %s privately failed; sending it in the group", what)
            return False
        return True

    async def _careful_in_private(self, message: Message, text: str, turns: int | None = None) -> None:
        """The person got the crisis reply (or a check-in line) in their private chat with the bot, so
        their answer will likely come there: that conversation (the key ``message_from_update`` gives a
        private chat) is careful too, for ``turns`` replies (``safety.careful_turns`` by default), and
        holds the exchange (``follow_into_private``). Only for the dispatcher's path: for strangers
        nothing is stored."""
        key = UserKey(PLATFORM, str(message.key.user_id))
        careful = self._careful_turns if turns is None else turns
        try:
            await follow_into_private(self.store, key, message.text, text, careful)
        except Exception:  # noqa: BLE001 - the crisis reply has arrived; this only tunes later replies
            log.exception("telegram: could not carry the exchange over to the private conversation")

    def _typing_for(self, message: Message) -> TypingCallback:
        chat_id = int(message.extras["chat_id"])

        async def typing() -> None:
            bot = self.bot
            if bot is None:
                return
            try:
                await bot.send_chat_action(chat_id, ChatAction.TYPING, read_timeout=5, write_timeout=5)
            except TelegramError as exc:  # typing… is cosmetic; never fail a reply over it
                log.debug("telegram: sendChatAction failed (%s)", self._scrub(exc))

        return typing

    async def send(self, reply: Reply) -> None:
        """Send a reply, split at 4096 characters. Transient failures are retried with backoff and
        then raised (the message stays in the inbox); a chat that cannot be written to is logged
        and the reply dropped."""
        chat_id = int(reply.key.chat_id or reply.key.user_id)
        reply_to: int | None = None
        if reply.key.chat_id and ":" in reply.in_reply_to and reply.in_reply_to.rsplit(":", 1)[1].isdigit():
            # In a group, thread the answer under the message it answers.
            reply_to = int(reply.in_reply_to.rsplit(":", 1)[1])
        chunks = split_text(reply.text, MAX_CHARS)
        try:
            await self._send_chunks(chat_id, chunks, reply_to)
        except (Forbidden, BadRequest) as exc:
            log.warning("telegram: cannot send to chat %s (%s); reply dropped", chat_id, self._scrub(exc))

    async def _send_chunks(self, chat_id: int, chunks: list[str], reply_to: int | None) -> None:
        for i, chunk in enumerate(chunks):
            params = (
                ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to and i == 0 else None
            )
            try:
                await self._retrying(
                    "sendMessage",
                    lambda c=chunk, p=params, cid=chat_id: self._bot().send_message(
                        cid, c, reply_parameters=p
                    ),
                )
            except ChatMigrated as exc:  # a group became a supergroup: same chat, new id
                chat_id = int(exc.new_chat_id)
                await self._retrying(
                    "sendMessage",
                    lambda c=chunk, cid=chat_id: self._bot().send_message(cid, c),
                )

    def _bot(self) -> Bot:
        if self.bot is None:
            raise NetworkError("the Telegram adapter is stopped")
        return self.bot

    async def _retrying(self, what: str, call: Any) -> Any:
        """Run one API call: RetryAfter is waited out; network errors, timeouts and 5xx are retried
        with exponential backoff and jitter; other errors (400, 403, 401, 409) raise at once."""
        failures = 0
        waits = 0
        while True:
            try:
                return await call()
            except RetryAfter as exc:
                waits += 1
                if waits > MAX_RETRY_AFTER_WAITS:
                    raise
                delay = _retry_after_s(exc)
                log.warning("telegram: %s rate limited; waiting %.1f s as Telegram asks", what, delay)
                await asyncio.sleep(delay)
            except (BadRequest, Forbidden, InvalidToken, Conflict, ChatMigrated):
                raise  # BadRequest is a NetworkError subclass: permanent, never retried
            except NetworkError as exc:  # includes TimedOut and 5xx answers
                failures += 1
                if failures >= self.settings.send_attempts:
                    raise
                log.warning(
                    "telegram: %s failed (%s); retry %d of %d",
                    what,
                    self._scrub(exc),
                    failures,
                    self.settings.send_attempts - 1,
                )
                await sleep_backoff(failures - 1, self.settings.retry_base_s, cap=30)
