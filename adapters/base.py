"""What every adapter shares: at-least-once delivery with at-most-once replies, and reply splitting.

The flow for one incoming platform item:
1. ``store.enqueue_incoming(message)`` persists it (False if seen before: skip it);
2. only then does the adapter confirm it to the platform (Telegram offset, Reddit mark-read, ...);
3. the dispatcher answers, the adapter sends the reply;
4. ``store.mark_handled`` drops it from the inbox and remembers its hash.
A crash between 1 and 4 leaves the message in the inbox; ``recover`` answers it after restart.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Hashable

from bot.config import SafetySettings
from bot.protocols import OnMessage, TypingCallback
from bot.safety import SafetyPolicy
from bot.store import ConversationStore
from bot.types import Message, Reply, UserKey

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
"""A message whose handling crashed this many times is dropped (and logged), not retried forever. Only
crashes count: a reply that could not be sent (the platform down, 5xx, a dropped connection) is tried
again at every sweep, however long the outage, for up to ``RETRY_FOR_S``."""
RETRY_FOR_S = 3 * 24 * 3600.0
"""A message still unanswered this long after it was recorded is given up (logged): an answer later than
that would be out of place, and a reply that can never be sent must not be regenerated every minute
forever. (A message that was old when it arrived, say a DM read after a week offline, is answered.)"""

STRANGER_CRISIS_EVERY_S = 600.0
"""Someone the bot does not serve gets the crisis reply at most this often."""
STRANGER_CHECK_CHARS = 500
"""The crisis rules read only the end of a message from someone the bot does not serve."""
STRANGER_CRISIS_PEOPLE = 10_000
"""At most this many people are remembered as sent the crisis reply (the oldest go first)."""

DM_NOTICE = "I've sent you a private message."
DM_NOTICE_TEXTS = {
    "en": DM_NOTICE,
    "es": "Te he enviado un mensaje privado.",
    "fr": "Je t'ai envoyé un message privé.",
    "de": "Ich habe dir eine private Nachricht geschickt.",
    "pt": "Te mandei uma mensagem privada.",
    "it": "Ti ho mandato un messaggio privato.",
    "nl": "Ik heb je een privébericht gestuurd.",
    "pl": "Masz ode mnie prywatną wiadomość.",
    "ru": "Тебе пришло от меня личное сообщение.",
    "uk": "Тобі надійшло від мене особисте повідомлення.",
    "tr": "Sana özel mesaj gönderdim.",
    "id": "Aku sudah mengirimimu pesan pribadi.",
    "sv": "Jag har skickat ett privat meddelande till dig.",
    "ja": "ダイレクトメッセージを送りました。",
    "zh": "我给你发了一条私信。",
    "ar": "أرسلت إليك رسالة خاصة.",
    "hi": "मैंने आपको एक निजी संदेश भेजा है।",
}
"""The line a group chat or server channel sees, threaded under a message, when the crisis reply to it
went to its author privately (a Discord DM, a Telegram private chat), in the languages of the safety
texts (bot/safety/languages.py; not native-reviewed). Everyone there reads it, so it says nothing
about why."""

Send = Callable[[Reply], Awaitable[None]]
TypingFor = Callable[[Message], "TypingCallback | None"]


async def deliver(
    store: ConversationStore,
    message: Message,
    on_message: OnMessage,
    send: Send,
    typing: TypingCallback | None = None,
    *,
    already_recorded: bool = False,
    followed: asyncio.Event | None = None,
) -> Reply | None:
    """Record, answer, send, mark handled. Returns the reply sent (None if skipped or ignored).

    ``followed`` is passed on to ``on_message`` (see ``bot.protocols.OnMessage``)."""
    platform = message.key.platform
    if not already_recorded and not await store.enqueue_incoming(message):
        log.debug("%s message %s was seen before; not answering again", platform, message.message_id)
        return None
    attempts = await store.note_attempt(platform, message.message_id)
    if attempts > MAX_ATTEMPTS:
        log.error(
            "%s message %s crashed its handling %d times; giving up on it",
            platform,
            message.message_id,
            attempts - 1,
        )
        await store.mark_handled(platform, message.message_id)
        return None
    recorded = await store.recorded_at(platform, message.message_id) if already_recorded else None
    if recorded is not None and time.time() - recorded > RETRY_FOR_S:
        log.error(
            "%s message %s could not be answered for %.0f hours; giving up on it",
            platform,
            message.message_id,
            RETRY_FOR_S / 3600,
        )
        await store.mark_handled(platform, message.message_id)
        return None
    if followed is None:
        reply = await on_message(message, typing)
    else:
        reply = await on_message(message, typing, followed=followed)
    # Handled without crashing: the attempt is taken back, so a send that fails below (the platform
    # down) leaves the message to be answered at the next sweep without bringing it closer to MAX_ATTEMPTS.
    await store.note_attempt(platform, message.message_id, -1)
    if reply is not None:
        await send(reply)
    try:
        await store.mark_handled(platform, message.message_id)
    except Exception as exc:
        if reply is None:
            raise
        raise AnsweredNotMarked(message.message_id) from exc
    return reply


class AnsweredNotMarked(Exception):
    """The reply to a message was sent, but the store could not mark the message handled (the database
    went away in between). Answering it again would send the person the same reply twice."""

    def __init__(self, message_id: str) -> None:
        super().__init__(f"message {message_id} was answered but could not be marked handled")
        self.message_id = message_id


async def recover(
    store: ConversationStore,
    platform: str,
    on_message: OnMessage,
    send: Send,
    typing_for: TypingFor | None = None,
) -> int:
    """Answer messages recorded before a crash or shutdown. Returns how many were answered."""
    pending = await store.pending_incoming(platform)
    for message in pending:
        typing = typing_for(message) if typing_for else None
        await deliver(store, message, on_message, send, typing, already_recorded=True)
    if pending:
        log.info("%s: answered %d message(s) left from before the restart", platform, len(pending))
    return len(pending)


def split_text(text: str, limit: int) -> list[str]:
    """Split a long reply into chunks of at most ``limit`` characters, at paragraph, line, sentence or
    word boundaries where possible (never inside a word unless a single word is longer than limit)."""
    if limit < 1:
        raise ValueError("limit must be positive")
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    chunks: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = 0
        for sep in ("\n\n", "\n", ". ", "! ", "? ", " "):
            idx = window.rfind(sep)
            if idx > limit // 3:
                cut = idx + len(sep)  # the separator ends this piece (then stripped)
                break
        if cut == 0:
            cut = limit
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        chunks.append(rest)
    return chunks


def backoff_delay(attempt: int, base: float = 1.0, cap: float = 60.0) -> float:
    """Exponential backoff with full jitter (attempt starts at 0)."""
    return random.uniform(0, min(cap, base * (2**attempt)))


async def sleep_backoff(attempt: int, base: float = 1.0, cap: float = 60.0) -> None:
    await asyncio.sleep(backoff_delay(attempt, base, cap))


class StrangerCrisis:
    """Whether someone the bot does not serve (a Telegram user not in ``allowed_users``, a Discord
    server not in ``allowed_guilds``) gets the crisis reply: only the crisis rules decide (no model,
    nothing stored, no text logged), on only the last ``STRANGER_CHECK_CHARS`` characters (these
    messages are not rate-limited by the core, and the rules run on the event loop, ~9 µs a
    character), at most once every ``STRANGER_CRISIS_EVERY_S`` per person. The adapter sends it."""

    def __init__(self, settings: SafetySettings) -> None:
        self.safety = SafetyPolicy(settings)
        self._sent: dict[Hashable, float] = {}
        """Who was sent the crisis reply and when, oldest first; at most STRANGER_CRISIS_PEOPLE."""

    def reply_for(self, person: Hashable, text: str) -> tuple[bool, str | None]:
        """(crisis, reply): ``crisis`` when the rules flag ``text``; ``reply`` is the crisis reply to send
        now, or None when there is no crisis or this person was sent it less than 10 minutes ago."""
        text = (text or "")[-STRANGER_CHECK_CHARS:]
        check = self.safety.check_incoming(text, count=False)
        if not check.crisis:
            return False, None
        now = time.monotonic()
        last = self._sent.get(person)
        if last is not None and now - last < STRANGER_CRISIS_EVERY_S:
            return True, None
        self._sent.pop(person, None)
        self._sent[person] = now  # (re)inserted last: the dict stays ordered oldest first
        if len(self._sent) > STRANGER_CRISIS_PEOPLE:
            self._sent = {p: t for p, t in self._sent.items() if now - t < STRANGER_CRISIS_EVERY_S}
            while len(self._sent) > STRANGER_CRISIS_PEOPLE:
                del self._sent[next(iter(self._sent))]
        return True, self.safety.crisis_reply(check.region, text)


class UnrecordedCrisis:
    """A message the database cannot record (the disk full, the database server gone) is not answered
    until it can be recorded: the platform keeps it (Telegram's offset does not move past it) or the
    adapter retries. A crisis message cannot wait for that. The crisis rules read it (no model, nothing
    stored, no text logged; the last ``STRANGER_CHECK_CHARS`` characters), and a crisis message gets the
    crisis reply (a disclosure of abuse, its reply: bot/safety/abuse.py) at once, once per message (remembered in memory, at most ``STRANGER_CRISIS_PEOPLE``
    messages). When the database works again the message is recorded and handled as usual (careful
    mode stored), and the adapter does not send the crisis reply a second time (``was_sent``)."""

    def __init__(self, safety: SafetyPolicy) -> None:
        self.safety = safety
        self._sent: dict[Hashable, None] = {}

    @staticmethod
    def _key(message: Message) -> Hashable:
        return (message.key.platform, message.key.chat_id, message.key.user_id, message.message_id)

    def was_sent(self, message: Message) -> bool:
        """Whether this message was given its crisis reply while it could not be recorded."""
        return self._key(message) in self._sent

    def forget(self, message: Message) -> None:
        """The crisis reply could not be sent after all: the next ``reply_for`` gives it again."""
        self._sent.pop(self._key(message), None)

    def reply_for(self, message: Message) -> str | None:
        """The crisis reply to send now for an unrecorded ``message``, or None (no crisis, or sent before)."""
        key = self._key(message)
        if key in self._sent:
            return None
        text = (message.text or "")[-STRANGER_CHECK_CHARS:]
        check = self.safety.check_incoming(text, count=False)
        if not check.crisis and not check.abuse:
            return None
        self._sent[key] = None
        while len(self._sent) > STRANGER_CRISIS_PEOPLE:
            del self._sent[next(iter(self._sent))]
        reason = check.reason if check.crisis else check.abuse
        log.warning(
            "%s: message %s could not be recorded; its crisis reply is sent without recording it (%s)",
            message.key.platform,
            message.message_id,
            reason,
        )
        if check.crisis:
            return self.safety.crisis_reply(check.region, text)
        return self.safety.abuse_reply(str(check.abuse), check.region, text)


class BackgroundSends:
    """Messages to people the bot does not serve, sent without holding up the caller (a 429 or an
    outage can take minutes): each in a task of its own, after the one before it with the same key (a
    chat, a channel), so the lines there keep their order. Nothing about these people is stored, so
    what ``end`` cancels is lost; it says how many."""

    def __init__(self, platform: str) -> None:
        self.platform = platform
        self._last: dict[Hashable, asyncio.Task[None]] = {}
        self.closed = False

    def add(self, key: Hashable, send: Callable[[], Awaitable[None]]) -> None:
        before = self._last.get(key)

        async def in_order() -> None:
            if before is not None and not before.done():
                await asyncio.gather(before, return_exceptions=True)
            await send()

        task = asyncio.create_task(in_order(), name=f"{self.platform}-to-stranger")
        self._last[key] = task

        def forget(done: asyncio.Task[None]) -> None:
            if self._last.get(key) is done:
                del self._last[key]
            if not done.cancelled() and done.exception() is not None:
                log.error(
                    "%s: a message to a person not served failed (%s)",
                    self.platform,
                    type(done.exception()).__name__,
                )

        task.add_done_callback(forget)

    async def end(self, timeout_s: float) -> int:
        """Let what is on its way finish (up to ``timeout_s``), cancel the rest; returns how many were
        cancelled. Later ``add`` calls still work (a restart); ``closed`` tells callers it ended."""
        self.closed = True
        tasks = [t for t in self._last.values() if not t.done()]
        self._last.clear()
        if not tasks:
            return 0
        _, late = await asyncio.wait(tasks, timeout=timeout_s) if timeout_s > 0 else (set(), set(tasks))
        for task in late:
            task.cancel()
        if late:
            await asyncio.gather(*late, return_exceptions=True)
        return len(late)


def continues_conversation(message: Message) -> bool:
    """Whether a message adds to what the person is saying (so an earlier message of theirs still
    waiting for its answer is answered together with it): text addressed to the bot, not a command."""
    text = (message.text or "").strip()
    return message.addressed and bool(text) and not text.startswith("/")


class ReplyPool:
    """Answers recorded messages concurrently: at most ``max_concurrent`` at once, one at a time per
    conversation (so a second message sees the first exchange in memory), and never the same message
    twice at the same time. A message whose answer failed stays in the inbox; ``retry_pending`` (at
    start-up and from time to time while online) submits it again.

    People type one thought as several messages. When another message of the same conversation
    arrives while one is still waiting for its answer, the waiting one's ``followed`` event is set:
    the core stops answering it and answers the later message with both (``bot.protocols.OnMessage``).
    """

    def __init__(
        self,
        store: ConversationStore,
        platform: str,
        on_message: OnMessage,
        send_for: Callable[[Message], Send],
        typing_for: TypingFor | None = None,
        max_concurrent: int = 32,
    ) -> None:
        self.store = store
        self.platform = platform
        self.on_message = on_message
        self.send_for = send_for
        self.typing_for = typing_for
        self._slots = asyncio.Semaphore(max_concurrent)
        self._tasks: set[asyncio.Task[None]] = set()
        self._in_flight: set[str] = set()
        self._locks: dict[object, tuple[asyncio.Lock, int]] = {}
        self._unanswered: dict[object, list[asyncio.Event]] = {}
        """Per conversation, the ``followed`` events of its messages submitted and not yet answered."""
        self._answered_unmarked: set[str] = set()
        """Messages whose reply was sent while the store could not mark them handled. They are marked
        when the store works again, never answered again (in this process; a restart forgets them)."""
        self.closed = False

    @property
    def in_flight(self) -> int:
        return len(self._in_flight)

    async def submit(self, message: Message) -> bool:
        """Start answering a message already in the inbox. Waits while the pool is full, which slows
        the platform loop down instead of piling up tasks. False if closed, already in flight, or
        already answered."""
        if (
            self.closed
            or message.message_id in self._in_flight
            or message.message_id in self._answered_unmarked
        ):
            return False
        self._in_flight.add(message.message_id)  # before awaiting, so a concurrent submit sees it
        try:
            await self._slots.acquire()
        except BaseException:
            self._in_flight.discard(message.message_id)
            raise
        followed = asyncio.Event()
        waiting = self._unanswered.setdefault(message.key, [])
        if continues_conversation(message):
            for earlier in waiting:
                earlier.set()
        waiting.append(followed)
        task = asyncio.create_task(self._run(message, followed), name=f"{self.platform}-reply")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return True

    async def _run(self, message: Message, followed: asyncio.Event) -> None:
        key = message.key
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                # A stale retry list may name a message answered a moment ago.
                if await self.store.is_handled(self.platform, message.message_id):
                    return
                typing = self.typing_for(message) if self.typing_for else None
                send = self.send_for(message)
                await deliver(
                    self.store,
                    message,
                    self.on_message,
                    send,
                    typing,
                    already_recorded=True,
                    followed=followed,
                )
            if self._answered_unmarked:
                try:
                    await self.mark_answered()  # the store works again
                except Exception:  # noqa: BLE001 - they stay remembered for the next sweep
                    log.debug(
                        "%s: could not mark answered messages handled yet", self.platform, exc_info=True
                    )
        except asyncio.CancelledError:
            raise
        except AnsweredNotMarked:
            self._answered_unmarked.add(message.message_id)
            log.warning(
                "%s: message %s was answered, but the store could not mark it handled; it is marked when "
                "the store works again and not answered twice",
                self.platform,
                message.message_id,
                exc_info=True,
            )
        except Exception:
            log.exception(
                "%s: answering message %s failed; it stays in the inbox and is tried again later",
                self.platform,
                message.message_id,
            )
        finally:
            self._slots.release()
            self._in_flight.discard(message.message_id)
            waiting = self._unanswered.get(key, [])
            if followed in waiting:
                waiting.remove(followed)
            if not waiting:
                self._unanswered.pop(key, None)
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    async def mark_answered(self) -> None:
        """Mark handled the messages answered while the store could not record it. Raises what the
        store raises if it still cannot; those stay remembered."""
        for message_id in sorted(self._answered_unmarked):
            await self.store.mark_handled(self.platform, message_id)
            self._answered_unmarked.discard(message_id)

    async def retry_pending(self) -> int:
        """Submit every inbox message not in flight (left from before a restart, or whose send failed).
        Messages already answered whose marking failed are marked first, not answered again."""
        await self.mark_answered()
        count = 0
        for message in await self.store.pending_incoming(self.platform):
            if await self.submit(message):
                count += 1
        if count:
            log.info("%s: answering %d message(s) still waiting in the inbox", self.platform, count)
        return count

    async def drain(self, grace_s: float) -> bool:
        """Take no more messages, wait up to ``grace_s`` seconds for replies in flight, then cancel the
        rest (they stay in the inbox for the next start). True if everything finished."""
        self.closed = True
        pending = set(self._tasks)
        if pending:
            _done, pending = await asyncio.wait(pending, timeout=grace_s)
        if pending:
            log.warning(
                "%s: %d reply(ies) still running at shutdown; they are answered after restart",
                self.platform,
                len(pending),
            )
            self.abort()
            await asyncio.gather(*pending, return_exceptions=True)
        return not pending

    def abort(self) -> None:
        """Cancel every reply at once (no waiting); the messages stay in the inbox."""
        self.closed = True
        for task in list(self._tasks):
            task.cancel()


async def follow_into_private(
    store: ConversationStore, key: UserKey, message_text: str, sent_text: str, careful_turns: int
) -> None:
    """After a crisis reply or a check-in line was sent privately (from a Discord server or a Telegram
    group), the person will likely answer in that private conversation (``key``): it becomes careful for
    ``careful_turns`` replies (a count already there is never lowered), as the group conversation is
    in the dispatcher, and, unless they turned memory off there, their message and what was sent
    become its latest turns, so the model answers their next private message knowing what came before
    (not a cheerful "Hi! How are you?")."""
    prefs = await store.get_prefs(key)
    if int(prefs.get("careful", 0) or 0) < careful_turns:
        await store.set_pref(key, "careful", careful_turns)
    if prefs.get("remember", True):
        await store.add_turns(key, [("user", message_text), ("assistant", sent_text)])


follow_crisis_into_private = follow_into_private
"""The crisis reply's name for it (it came first)."""


OWED_CHECKINS = 10_000
"""At most this many check-in lines owed to messages still being retried are remembered."""


def checkin_parts(reply: Reply) -> tuple[str, str] | None:
    """(the model's reply, the check-in line) of a check-in reply (bot/dispatcher.py GenerateStep);
    None for any other reply."""
    if not reply.extras.get("checkin"):
        return None
    text, line = reply.extras.get("reply_text"), reply.extras.get("checkin_line")
    if not isinstance(text, str) or not isinstance(line, str) or not line.strip():
        return None
    return text, line


class CheckinDelivery:
    """Sends replies that may carry the gentle check-in line (docs/safety.md, "Gentle check-in").

    From a group chat or a server channel, everyone there would read the line ("If you're thinking
    about hurting yourself ..."), so it goes to the message's author privately (``privately``: the
    adapter's one try of the crisis reply's private path, with its time limit), and the group gets only
    the model's reply, with no "sent you a private message" notice (that would point at it again). When
    the private message fails, the group gets the reply and the line together, as without this. In a
    private chat (no ``privately``) the reply goes as it is.

    Retries: a reply whose send raised is answered again by the dispatcher, which leaves the line out
    the second time (the conversation is careful by then: no second check-in). So a line that reached
    nobody is owed to the message, in memory, and goes with the next reply to it; a line that went
    privately is not owed, so a retried group reply never sends it twice."""

    def __init__(self, platform: str) -> None:
        self.platform = platform
        self._owed: dict[str, str] = {}
        """Message id -> its check-in line, when the reply that carried it could not be sent."""

    def drop(self, message_id: str) -> None:
        """A crisis reply answers the message: it holds the full resources; no line is owed any more."""
        self._owed.pop(message_id, None)

    async def send(
        self,
        message: Message,
        reply: Reply,
        publicly: Callable[[str], Awaitable[object]],
        privately: Callable[[str], Awaitable[bool]] | None = None,
    ) -> None:
        """Send ``reply`` to ``message``: ``publicly`` sends a text where the message was written (and
        raises when that fails for now); ``privately``, for a group message, sends a text to its author
        once and says whether it arrived (it never raises)."""
        owed = self._owed.pop(message.message_id, None)
        parts = checkin_parts(reply)
        if reply.kind == "crisis":
            owed = None
        if parts is not None:
            text, line = parts
            full = reply.text
        elif owed is not None:
            # A retry: the first reply's line reached nobody, and this one was made without it.
            text, line = reply.text, owed
            full = f"{reply.text.rstrip()}\n\n{owed}"
        else:
            await publicly(reply.text)
            return
        if privately is not None:
            if await privately(line):
                log.info("%s: check-in line sent privately (checkin.private)", self.platform)
                # If this raises, the message is answered again, without the line: it has arrived.
                await publicly(text)
                return
            log.info("%s: check-in line sent in the group (checkin.in_group)", self.platform)
        try:
            await publicly(full)
        except BaseException:
            self._owed.pop(message.message_id, None)
            self._owed[message.message_id] = line
            while len(self._owed) > OWED_CHECKINS:
                del self._owed[next(iter(self._owed))]
            raise
