"""The core: one incoming ``Message`` in, at most one ``Reply`` out, through a short pipeline of steps.

Each step is a small object with ``async __call__(ctx, call_next)``; it may answer on its own (return
a ``Reply``), drop the message (return ``None``), or pass it on and look at the answer on the way back.
The order matters and is the one in docs/architecture.md:

    boundary → input → rate limit → preferences → commands → safety in → memory → generate → safety out

- the error boundary is outermost, so any step's bug becomes a logged traceback and a short apology;
- the rate limit runs before commands, so /export floods are limited too;
- commands run before safety so /forget always works, even in a conversation marked careful;
- safety-in runs before memory and the engine, so a crisis message never reaches the model;
- memory wraps generation: it reads history before, and writes the exchange after safety-out chose
  the reply that is actually sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import json
import logging
import random
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot import facts as recalled
from bot.config import ConfigError, Settings
from bot.crisis import CHECKIN_REASON, CONTEXT_REASON
from bot.crisis import REASON as CLASSIFIER_REASON
from bot.fragments import SENTENCE_END, HeldPieces, looks_unfinished, merge_user_turns
from bot.metrics import METRICS
from bot.personas import Persona, PersonaError
from bot.protocols import Engine, TypingCallback
from bot.safety import languages
from bot.store import ConversationStore, StoredTurn
from bot.texts import (
    BUSY_TEXTS,
    CALLED_TEXTS,
    EMPTY_TEXTS,
    ERROR_TEXTS,
    LONG_TEXTS,
    MODEL_LANGUAGE_TEXTS,
    RATE_LIMIT_TEXTS,
    localized,
)
from bot.types import (
    ChatTurn,
    Generation,
    GenerationRequest,
    Message,
    Reply,
    ReplyKind,
    SamplingParams,
    UserKey,
    is_anchor,
)

if TYPE_CHECKING:
    from bot.crisis import CrisisScorer
    from bot.safety import IncomingCheck, SafetyPolicy

log = logging.getLogger(__name__)

TYPING_INTERVAL_S = 4.0

# The English notices; bot/texts.py has them in the person's language (SafetyPolicy.language_of).
BUSY_TEXT = (
    "I'm talking with a lot of people right now and couldn't answer in time. "
    "Please send that again in a minute. 💛"
)
ERROR_TEXT = "Sorry, something went wrong on my side while answering. Please try again in a moment."
RATE_LIMIT_TEXT = (
    "You're sending messages faster than I can keep up with. I'll read again in a minute; take your time. 💛"
)
EMPTY_TEXT = "I only understand text messages for now. What's on your mind?"
CALLED_TEXT = "Hi, I'm here. What's on your mind?"
"""The answer to a bare mention in a group ("@Kindred" and nothing else)."""
LONG_TEXT = "Your message was very long, so I only read part of it."
HEAD_CHARS = 500
"""Of a message over ``chat.max_message_chars``, this much of its start is kept, with the rest of its end."""


@dataclass
class Context:
    """Everything the steps learn about one message on its way through."""

    message: Message
    typing: TypingCallback | None = None
    text: str = ""
    prefs: dict[str, Any] = field(default_factory=dict)
    persona: Persona | None = None
    incoming: IncomingCheck | None = None
    history: list[StoredTurn] = field(default_factory=list)
    generation: Generation | None = None
    notes: list[str] = field(default_factory=list)
    """Reason codes gathered on the way (safety, candidates); logged, never with text."""
    checkin: bool = False
    """SafetyInStep decided this reply gets the gentle check-in line (docs/safety.md, "Check-in")."""
    followed: asyncio.Event | None = None
    """Set by the adapter when the same person sends another message before this one is answered."""
    combined: bool = False
    """GenerateStep left this message for the next one to answer with it (bot/fragments.py)."""
    earlier_pieces: list[str] = field(default_factory=list)
    """Pieces held in memory for a person who is not remembered, answered together with this message."""
    language_text: tuple[str, str] | None = None
    """(what the reply answers, the text its language is guessed from): ``Dispatcher.language_text``,
    worked out once per answer."""

    def reply(self, text: str, kind: ReplyKind, **extras: Any) -> Reply:
        return Reply(
            key=self.message.key,
            text=text,
            kind=kind,
            in_reply_to=self.message.message_id,
            extras=extras,
        )


Next = Callable[[Context], Awaitable["Reply | None"]]


class RecentMessages:
    """The last few messages of each conversation, in memory only, for the crisis check on split messages.

    People on Telegram and Discord often write one thought over several short messages: "i want to",
    "die". Each part alone passes the rules and the classifier; joined they are a crisis. This keeps the
    messages that were *not* flagged, for at most ``window_s`` seconds and at most ``size - 1`` per
    conversation, so the next message can be checked together with them. Nothing here is written to
    disk or logged; /forget, /reset and a crisis reply clear a conversation's messages.
    """

    MAX_CONVERSATIONS = 10_000
    MAX_JOINED_CHARS = 280
    """A longer joined text would be scored sentence by sentence by the classifier (see
    ``model/crisis_classifier.py``), which undoes the joining; the oldest parts are left out instead."""

    def __init__(self, size: int, window_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.size, self.window_s, self.clock = size, window_s, clock
        self._by_key: dict[UserKey, deque[tuple[float, str]]] = {}

    def earlier(self, key: UserKey) -> list[str]:
        """The conversation's recent unflagged messages, oldest first, that fit next to a new one."""
        q = self._by_key.get(key)
        if not q:
            return []
        now = self.clock()
        while q and now - q[0][0] > self.window_s:
            q.popleft()
        if not q:
            del self._by_key[key]
            return []
        return [text for _, text in q]

    def joins(self, key: UserKey, text: str) -> list[str]:
        """``text`` after its last 1, 2, ... earlier messages (space-joined, at most MAX_JOINED_CHARS each).

        Every suffix is read, not only the longest: "my boss yelled at me in front of everyone" +
        "i want to" + "die" must be read as "i want to die" too, because the rules read "everyone i
        want to die" as a remark about other people."""
        out: list[str] = []
        joined = text
        for prev in reversed(self.earlier(key)):
            joined = f"{prev} {joined}"
            if len(joined) > self.MAX_JOINED_CHARS:
                break
            out.append(joined)
        return out

    def add(self, key: UserKey, text: str) -> None:
        if self.size < 2:
            return
        q = self._by_key.pop(key, None) or deque(maxlen=self.size - 1)
        q.append((self.clock(), text))
        self._by_key[key] = q  # most recently used last
        if len(self._by_key) > self.MAX_CONVERSATIONS:
            del self._by_key[next(iter(self._by_key))]

    def clear(self, key: UserKey) -> None:
        self._by_key.pop(key, None)

    def __len__(self) -> int:
        return len(self._by_key)


class Step:
    """One stage of the pipeline."""

    async def __call__(self, ctx: Context, call_next: Next) -> Reply | None:  # pragma: no cover
        return await call_next(ctx)


LANGUAGE_TURNS = 6
"""At most this many of the person's earlier messages help guess the language of a short message."""


class Dispatcher:
    """Routes messages from every adapter to the one shared engine, with per-user memory."""

    def __init__(
        self,
        settings: Settings,
        store: ConversationStore,
        engine: Engine,
        personas: dict[str, Persona],
        safety: SafetyPolicy | None = None,
        crisis_classifier: CrisisScorer | None = None,
    ) -> None:
        if safety is None:
            from bot.safety import SafetyPolicy

            try:
                safety = SafetyPolicy(settings.safety)
            except ValueError as exc:
                raise ConfigError(f"invalid [safety] settings: {exc}") from None
        self.settings = settings
        self.store = store
        self.engine = engine
        self.personas = personas
        self.safety = safety
        self.crisis_classifier = crisis_classifier
        """Second opinion on messages the crisis rules pass (bot/crisis.py); None = rules only."""
        self.recent = RecentMessages(settings.safety.context_messages, settings.safety.context_window_s)
        """Each conversation's last unflagged messages, for the split-message check (check_in_context)."""
        self.held = HeldPieces()
        self.answered: OrderedDict[tuple[UserKey, str], str] = OrderedDict()
        """The replies stored for the latest messages, by message, to resend when their send failed
        (``MemoryStep.answered_before``); at most ``ANSWERED_KEPT``."""
        """Pieces left for the next answer, for people who are not remembered (bot/fragments.py)."""
        checkin = settings.safety.checkin_threshold
        if crisis_classifier is not None and 0 < crisis_classifier.threshold <= checkin:
            log.warning(
                "safety.checkin_threshold = %s is not under the crisis classifier's threshold (%s): "
                "no message will get a check-in",
                checkin,
                crisis_classifier.threshold,
            )
        default = personas.get(settings.chat.default_persona)
        if default is None:
            raise PersonaError(
                f"chat.default_persona = {settings.chat.default_persona!r} is not a known persona; "
                f"known: {sorted(personas)}"
            )
        default.check_usable()
        self.default_persona = default
        from bot.commands import CommandStep

        commands = CommandStep(self)
        self.steps: list[Step] = [
            ErrorBoundary(language=safety.language_of, crisis=self.crisis_despite_failure),
            InputStep(
                settings.chat.max_message_chars,
                language=safety.language_of,
                person_language=commands.language,
            ),
            RateLimitStep(
                settings.chat.rate_limit_per_minute, urgent=self.crisis_by_rules, language=safety.language_of
            ),
            PreferencesStep(self),
            commands,
            SafetyInStep(self),
            RecallStep(self),
            MemoryStep(self),
            GenerateStep(self),
        ]

    async def check_incoming(self, text: str, *, count: bool = True) -> IncomingCheck:
        """The crisis rules, then (for what they pass) the learned classifier's second opinion."""
        check = self.safety.check_incoming(text, count=count)
        if not check.crisis and self.crisis_classifier is not None:
            check = await self._second_opinion(check, text, count=count)
        return check

    async def check_in_context(self, key: UserKey, text: str, check: IncomingCheck) -> IncomingCheck:
        """``check`` of ``text`` alone, raised when ``text`` read after the person's last few messages
        (``safety.context_messages``) says more: "i want to" + "die".

        - The rules flag the joined text: a crisis (reason ``crisis.context``).
        - Only the classifier does: a gentle check-in (the model answers, the crisis line is added).
          Joining unrelated small talk makes odd text ("ttyl idk ikr"), and the classifier scored a
          few such joins over its threshold; a check-in is the proportionate answer to that doubt.

        Only messages that were not flagged are kept, so one crisis message does not flag the ones
        after it; a check-in keeps them (the next part may make it a crisis)."""
        if check.crisis:
            self.recent.clear(key)
            return check
        joins = self.recent.joins(key, text)
        self.recent.add(key, text)
        for joined in joins:
            if self.safety.check_incoming(joined, count=False).crisis:
                self.recent.clear(key)
                METRICS.inc("safety_checks_total", reason=CONTEXT_REASON)
                return dataclasses.replace(check, crisis=True, reason=CONTEXT_REASON)
        if not joins or check.checkin or self.crisis_classifier is None:
            return check
        # The classifier reads the longest join only: every extra join of unrelated small talk is one
        # more odd text it may score high (reading every suffix: 5 check-ins in 398 everyday messages
        # instead of 2).
        rules_pass = dataclasses.replace(check, checkin=False)
        if (await self._second_opinion(rules_pass, joins[-1], count=False)).crisis:
            METRICS.inc("safety_checks_total", reason=f"{CHECKIN_REASON}.context")
            return dataclasses.replace(check, checkin=True)
        return check

    def crisis_by_rules(self, key: UserKey, text: str) -> bool:
        """The crisis rules alone (about a millisecond, no classifier), on a message over the rate limit
        and on its joins with the person's last messages: what lets it through the limit. A message
        that is not let through is kept for the split-message check like any other ("i want to" over
        the limit, then "die")."""
        texts = [text, *self.recent.joins(key, text)]
        if any(self.safety.check_incoming(t, count=False).crisis for t in texts):
            return True
        self.recent.add(key, text)
        return False

    async def crisis_despite_failure(self, ctx: Context) -> Reply | None:
        """The crisis reply for a message whose handling failed (the database full or gone, a bug in a
        step), when the message is a crisis; else None (the caller apologises).

        Whatever breaks, a person in crisis gets the crisis lines, not "something went wrong". The
        verdict already reached is used; if the failure came before the crisis check (reading the
        person's settings), the message is checked here: the rules and the classifier, and the rules
        on its joins with the person's last messages (kept in memory). Careful mode and the exchange
        are not stored when the database is what failed."""
        text = ctx.text or (ctx.message.text or "").strip()
        if not text:
            return None
        key = ctx.message.key
        check = ctx.incoming
        if check is None:
            check = await self.check_incoming(text)
            if not check.crisis and self.crisis_by_rules(key, text):
                METRICS.inc("safety_checks_total", reason=CONTEXT_REASON)
                check = dataclasses.replace(check, crisis=True, reason=CONTEXT_REASON)
        if _abuse_first(check):
            region = ctx.prefs.get("region") or check.region
            return ctx.reply(self.safety.abuse_reply(check.abuse, region, text), "crisis", reason=check.abuse)
        if not check.crisis:
            return None
        self.recent.clear(key)
        self.held.clear(key)
        region = ctx.prefs.get("region") or check.region
        log.warning(
            "message %s on %s: crisis reply sent although handling failed (%s); careful mode not stored",
            ctx.message.message_id,
            key.platform,
            check.reason,
        )
        return ctx.reply(self.safety.crisis_reply(region, text), "crisis", reason=check.reason)

    def forget_in_memory(self, key: UserKey) -> None:
        """Drop what is kept in RAM about a conversation (/forget, /reset)."""
        self.recent.clear(key)
        self.held.clear(key)

    async def is_crisis(self, text: str) -> bool:
        """Whether ``text`` is a crisis message, by the same rules and classifier as every message.

        For adapters that must decide before handling a message (Reddit answers a crisis post even
        when its hourly cap is full); not counted in the metrics (the message is counted when handled).
        """
        return (await self.check_incoming(text, count=False)).crisis

    async def _second_opinion(self, check: IncomingCheck, text: str, *, count: bool) -> IncomingCheck:
        """Ask the learned classifier; if it fails or is slow, the rules' verdict stands."""
        from bot import crisis

        scorer = self.crisis_classifier
        assert scorer is not None
        # While the model is still loading (terminal chat starts before it is ready), wait longer
        # rather than skip it for the first messages.
        timeout = crisis.timeout_for(text) if getattr(scorer, "ready", True) else crisis.LOAD_TIMEOUT_S
        try:
            score = await asyncio.wait_for(scorer.score(text), timeout)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - a broken classifier must never stop a reply
            METRICS.inc("safety_classifier_errors_total")
            log.warning("crisis classifier failed (%s); rules only for this message", type(exc).__name__)
            return check
        if score < scorer.threshold:
            checkin = self.settings.safety.checkin_threshold
            if checkin > 0 and score >= checkin:
                if count:
                    METRICS.inc("safety_checks_total", reason=CHECKIN_REASON)
                return dataclasses.replace(check, checkin=True)
            return check
        if count:
            METRICS.inc("safety_checks_total", reason=crisis.REASON)
        return dataclasses.replace(check, crisis=True, reason=crisis.REASON)

    async def language_text(self, ctx: Context) -> str:
        """The text the fixed replies' language is guessed from: what the reply answers; when that is
        too short to tell and does not read as English, with the person's last messages before it.
        After three messages in Spanish, "eres un robot?" (one common word) got the English answer and
        "me siento solo" (none) the model, unchecked. A store that fails leaves the message alone: no
        crisis reply waits on this."""
        text = _answered_text(ctx)
        if ctx.language_text is not None and ctx.language_text[0] == text:
            return ctx.language_text[1]
        found = await self._language_text(ctx, text)
        ctx.language_text = (text, found)
        return found

    async def _language_text(self, ctx: Context, text: str) -> str:
        if languages.guess_language(text) is not None or languages.sounds_english(text):
            return text
        turns = ctx.history
        if not turns:
            try:
                turns = await self.store.history(ctx.message.key, 2 * LANGUAGE_TURNS)
            except Exception:  # noqa: BLE001 - the language is a nicety here
                log.debug("could not read history for the reply's language", exc_info=True)
                return text
        said = [t.content for t in turns if t.role == "user" and not t.content.startswith("/")]
        earlier = said[-LANGUAGE_TURNS:] or self.recent.earlier(ctx.message.key)  # not remembered
        earlier = [t for t in earlier if t != ctx.text]  # the message itself may be there already
        return "\n".join([*earlier, text])

    async def handle(
        self,
        message: Message,
        typing: TypingCallback | None = None,
        /,
        *,
        followed: asyncio.Event | None = None,
    ) -> Reply | None:
        """Answer one message. Never raises for a per-message problem.

        ``followed`` (see ``bot.protocols.OnMessage``): when it is set before the answer is sent, the
        message is not answered on its own (None) but together with the next one (bot/fragments.py)."""
        ctx = Context(message=message, typing=typing, followed=followed)
        started = time.perf_counter()
        METRICS.inc("messages_in_total", platform=message.key.platform)
        reply = await self._run(0, ctx)
        elapsed = time.perf_counter() - started
        outcome = reply.kind if reply else ("combined" if ctx.combined else "ignored")
        METRICS.inc("replies_total", platform=message.key.platform, kind=outcome)
        METRICS.observe("reply_latency_seconds", elapsed, platform=message.key.platform)
        for note in ctx.notes:  # safety reason codes and the like, never text
            METRICS.inc("reply_reasons_total", platform=message.key.platform, reason=note)
        extra = {
            "platform": message.key.platform,
            "message_id": message.message_id,
            "outcome": outcome,
            "latency_s": round(elapsed, 3),
            "notes": ctx.notes,
        }
        if ctx.generation is not None:
            extra["new_tokens"] = ctx.generation.new_tokens
        if self.settings.logging.log_message_text:
            extra["text"] = message.text
            extra["reply"] = reply.text if reply else None
        log.info("handled %s", json.dumps(extra, ensure_ascii=False), extra={"kindred": extra})
        return reply

    async def _run(self, index: int, ctx: Context) -> Reply | None:
        if index >= len(self.steps):
            return None
        return await self.steps[index](ctx, lambda c: self._run(index + 1, c))

    def persona_for(self, prefs: dict[str, Any]) -> Persona:
        chosen = self.personas.get(str(prefs.get("persona", "")))
        if chosen is not None and chosen.usable:
            return chosen
        return self.default_persona

    def describe_engine(self) -> str:
        try:
            return self.engine.describe()
        except Exception:  # noqa: BLE001 - /about must answer even if the engine is unwell
            return "a local language model"


# --- steps ---------------------------------------------------------------------------------------


class ErrorBoundary(Step):
    """Any step's exception becomes a logged traceback and a short apology, in the person's language
    when ``language`` (``SafetyPolicy.language_of``) names it."""

    def __init__(
        self,
        language: Callable[[str], str | None] | None = None,
        crisis: Callable[[Context], Awaitable[Reply | None]] | None = None,
    ) -> None:
        self.language = language
        self.crisis = crisis

    async def __call__(self, ctx: Context, call_next: Next) -> Reply | None:
        try:
            return await call_next(ctx)
        except asyncio.CancelledError:
            raise
        except Exception:
            # The traceback, never the message text.
            log.exception(
                "error while handling message %s on %s", ctx.message.message_id, ctx.message.key.platform
            )
            METRICS.inc("errors_total", where="dispatcher")
            if self.crisis is not None:
                try:  # a crisis message gets the crisis lines whatever failed (Dispatcher.crisis_despite_failure)
                    reply = await self.crisis(ctx)
                except asyncio.CancelledError:
                    raise
                except Exception:  # noqa: BLE001 - the apology below must still go out
                    log.exception("checking a failed message for a crisis failed too")
                    reply = None
                if reply is not None:
                    return reply
            return ctx.reply(self.apology(ctx), "error")

    def apology(self, ctx: Context) -> str:
        if self.language is None:
            return ERROR_TEXT
        try:  # the apology must go out even if guessing the language fails
            lang = self.language(ctx.text or ctx.message.text or "")
        except Exception:  # noqa: BLE001
            log.exception("choosing the language of the error reply failed; English")
            return ERROR_TEXT
        return localized(ERROR_TEXT, ERROR_TEXTS, lang)


class InputStep(Step):
    """Normalises the text; ignores unaddressed group chatter; trims huge messages, and says so."""

    def __init__(
        self,
        max_chars: int,
        language: Callable[[str], str | None] | None = None,
        person_language: Callable[[Context], Awaitable[str | None]] | None = None,
    ) -> None:
        self.max_chars = max_chars
        self.language = language or (lambda _text: None)
        self.person_language = person_language
        """The language of the notice for a message without text, as command replies pick it
        (``CommandStep.language``: the platform's language for the person, else their last messages)."""

    async def __call__(self, ctx: Context, call_next: Next) -> Reply | None:
        if not ctx.message.addressed:
            return None
        text = (ctx.message.text or "").replace("\x00", "").strip()
        if not text:
            # In a group, a mention with nothing else is someone calling the bot over (a photo there is
            # rarer than a bare "@Kindred"); in private, an empty message is a sticker, photo or voice note.
            # No text to read the language from: the platform's language for them, or what they wrote last.
            lang = await self.person_language(ctx) if self.person_language is not None else None
            if ctx.message.is_group:
                return ctx.reply(localized(CALLED_TEXT, CALLED_TEXTS, lang), "notice")
            return ctx.reply(localized(EMPTY_TEXT, EMPTY_TEXTS, lang), "notice")
        cut = len(text) > self.max_chars
        if cut:
            # Keep the start (a post's title, what it is about) and most of the end (in a long message
            # the ask is usually last).
            head = min(HEAD_CHARS, self.max_chars // 4)
            text = f"{text[:head].rstrip()} … {text[-(self.max_chars - head) :].lstrip()}"
            ctx.notes.append("input.truncated")
        ctx.text = text
        reply = await call_next(ctx)
        quiet = bool(ctx.message.extras.get("quiet_truncation"))
        if cut and not quiet and reply is not None and reply.kind in ("model", "fallback"):
            # The person should know the middle was not read (the stored reply stays without the line;
            # a crisis reply or a notice is sent as it is). An adapter whose replies are public and
            # whose long texts are ordinary (Reddit posts) sets ``quiet_truncation``.
            notice = localized(LONG_TEXT, LONG_TEXTS, self.language(text))
            reply = dataclasses.replace(reply, text=f"{notice}\n\n{reply.text}")
        return reply


ANSWERED_KEPT = 4096
"""How many messages' stored replies the dispatcher remembers for resending (a few MB at most)."""

UNLIMITED_PLATFORMS = frozenset({"console"})
"""Platforms whose messages are never rate limited: the terminal chat is only ever the person who
started the bot on their own machine, and a file piped into it (``printf ... | python -m bot``, one
reply per line) is not a flood. Its 13th line in a minute got "You're sending messages faster than
I can keep up with" and every later line no reply at all."""


class RateLimitStep(Step):
    """At most N messages per user per minute; the first message over the limit gets one notice.

    A thought typed in pieces counts once (docs/architecture.md, "Messages typed in pieces"): a message
    that arrives while the same conversation's previous message was still unanswered, so that the
    previous one was left to be answered together with it (``ctx.combined``), and within
    ``BURST_GAP_S`` seconds of it, continues that burst and is not counted again, up to
    ``BURST_PIECES`` pieces; the next piece counts as a new message and opens a new burst. With
    ``chat.combine_messages`` off nothing is combined, so every message counts, as before.

    A message over the limit that the crisis rules flag (``urgent``) still goes on, to the crisis reply:
    someone in crisis often writes many short messages fast, and the one that says it must not be
    dropped. Only the rules decide here (cheap); the classifier is not asked about messages over the
    limit, so a flood cannot make the bot score thousands of messages."""

    WINDOW_S = 60.0
    # Why 4 pieces, each within 3 seconds of the one before: typed on a phone, the pieces of one
    # thought ("hey", "so", "i had a bad day") come a second or a few apart, so most bursts count once,
    # and a long one (or a backlog sent together after a restart) once per 4 pieces. The piece cap keeps
    # the limit meaningful against a flood however fast it is: nobody gets more than
    # 4 x rate_limit_per_minute messages (48 by default) through in a minute, and of each burst only
    # the last piece is answered. The gap keeps it meaningful against a steady stream: messages more
    # than 3 seconds apart each count, so such a stream (up to 20 a minute) is limited at 12 as before,
    # even when the engine is so slow that each one arrives before the previous answer. With a gap of
    # 5 seconds or more, no stream spaced beyond it could reach 12 a minute, so none would be limited.
    # Times are taken when a message reaches this step; a conversation's messages are answered in
    # order (adapters.base.ReplyPool), and a piece left for the next one returns at once, so that is
    # when it arrived, give or take the checks on the piece before it.
    BURST_PIECES = 4
    BURST_GAP_S = 3.0
    MAX_TRACKED = 10_000

    def __init__(
        self,
        per_minute: int,
        clock: Callable[[], float] = time.monotonic,
        urgent: Callable[[UserKey, str], bool] | None = None,
        language: Callable[[str], str | None] | None = None,
    ) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self.urgent = urgent
        self.language = language
        """Names the language of the message over the limit, for the notice (None = English)."""
        self._seen: dict[str, deque[float]] = {}
        self._noticed: set[str] = set()
        self._bursts: dict[UserKey, tuple[float, int]] = {}
        """Per conversation whose last message was left for the next one: when that message came, and
        how many pieces its burst holds."""

    async def __call__(self, ctx: Context, call_next: Next) -> Reply | None:
        key = ctx.message.key
        if self.per_minute <= 0 or key.platform in UNLIMITED_PLATFORMS:
            return await call_next(ctx)
        who = f"{key.platform}:{key.user_id}"
        now = self.clock()
        last, pieces = self._bursts.pop(key, (now, 0))
        if 0 < pieces < self.BURST_PIECES and now - last <= self.BURST_GAP_S:
            ctx.notes.append("rate_limit.same_burst")
            return await self._answer(ctx, call_next, now, pieces + 1)
        q = self._seen.setdefault(who, deque())
        while q and now - q[0] > self.WINDOW_S:
            q.popleft()
        if len(q) >= self.per_minute:
            if self.urgent is not None and self.urgent(key, ctx.text):
                ctx.notes.append("rate_limit.crisis_let_through")
                return await call_next(ctx)
            METRICS.inc("rate_limited_total", platform=key.platform)
            if who in self._noticed:
                return None
            self._noticed.add(who)
            lang = self.language(ctx.text) if self.language is not None else None
            return ctx.reply(localized(RATE_LIMIT_TEXT, RATE_LIMIT_TEXTS, lang), "rate_limited")
        q.append(now)
        self._noticed.discard(who)
        if len(self._seen) > self.MAX_TRACKED:  # forget idle users so the map cannot grow without bound
            for k in [k for k, v in self._seen.items() if not v or now - v[-1] > self.WINDOW_S]:
                del self._seen[k]
        return await self._answer(ctx, call_next, now, 1)

    async def _answer(self, ctx: Context, call_next: Next, now: float, pieces: int) -> Reply | None:
        """Pass the message on; if it is left for the next message (combined), its burst stays open."""
        reply = await call_next(ctx)
        if ctx.combined:
            self._bursts[ctx.message.key] = (now, pieces)
            if len(self._bursts) > self.MAX_TRACKED:  # the oldest burst; a stale one counts for nothing
                del self._bursts[next(iter(self._bursts))]
        return reply


class PreferencesStep(Step):
    def __init__(self, dispatcher: Dispatcher) -> None:
        self.d = dispatcher

    async def __call__(self, ctx: Context, call_next: Next) -> Reply | None:
        ctx.prefs = await self.d.store.get_prefs(ctx.message.key)
        ctx.persona = self.d.persona_for(ctx.prefs)
        return await call_next(ctx)


RESOURCES_PREF = "resources_sent"
LANGUAGE_NOTE_PREF = "language_note"
"""The language whose ``MODEL_LANGUAGE_TEXTS`` note this person last got (see ``with_language_note``)."""
"""A digest of the last crisis reply (or reply to a disclosure of abuse) sent in the conversation, to
tell whether it is the bot's last message (``SafetyInStep.resources_were_last``)."""


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class SafetyInStep(Step):
    """Crisis messages get fixed resources (the model is not asked); age signals switch on strict mode."""

    def __init__(self, dispatcher: Dispatcher) -> None:
        self.d = dispatcher

    async def __call__(self, ctx: Context, call_next: Next) -> Reply | None:
        key = ctx.message.key
        check = await self.d.check_incoming(ctx.text)
        if not check.bot_question:
            check = await self.d.check_in_context(key, ctx.text, check)
        ctx.incoming = check
        if check.minor and not ctx.prefs.get("strict"):
            await self.d.store.set_pref(key, "strict", True)
            ctx.prefs["strict"] = True
            ctx.notes.append("safety.minor_signal")
        if check.region and check.region != ctx.prefs.get("region"):
            await self.d.store.set_pref(key, "region", check.region)
            ctx.prefs["region"] = check.region
        region = ctx.prefs.get("region")
        if check.crisis and not _abuse_first(check):
            text = self.d.safety.crisis_reply(region, await self.d.language_text(ctx))
            if check.reason == CLASSIFIER_REASON and await self.resources_were_last(ctx, text):
                return await self.after_resources(ctx, f"{CLASSIFIER_REASON}.after_resources")
            return await self.resources(ctx, text, check.reason)
        # A disclosure of abuse ("my stepdad hits me" got "I can imagine your dad being very protective of
        # you"); from a young person also someone online asking for pictures, secrecy or a meeting.
        abuse = check.abuse
        if abuse is None and ctx.prefs.get("strict"):
            abuse = self.d.safety.grooming_minor(ctx.text)
            if abuse:
                METRICS.inc("safety_checks_total", reason=abuse)
        if abuse:
            text = self.d.safety.abuse_reply(abuse, region, await self.d.language_text(ctx))
            if await self.resources_were_last(ctx, text):  # told in several messages: not the same wall again
                return await self.after_resources(ctx, f"{abuse}.after_resources")
            return await self.resources(ctx, text, abuse)
        if check.bot_question:
            name = (ctx.persona or self.d.default_persona).introduced_as  # "Kindred", or a clone's "Sam"
            return ctx.reply(
                self.d.safety.bot_disclosure(name, await self.d.language_text(ctx)),
                "notice",
                reason="honesty",
            )
        # Before the fixed answers below: a message in the check-in band gets the model's reply and the line.
        if check.checkin:
            return await self.check_in(ctx, call_next)
        if check.meet_request:  # the model said "Yes, I'd absolutely love to meet up soon"
            name = (ctx.persona or self.d.default_persona).introduced_as
            return ctx.reply(
                self.d.safety.meet_answer(name, await self.d.language_text(ctx)),
                "notice",
                reason="honesty.meet",
            )
        if check.privacy:  # "can you keep a secret?" got "Yes, absolutely. I'll ... maintain confidentiality"
            name = (ctx.persona or self.d.default_persona).introduced_as
            return ctx.reply(
                self.d.safety.privacy_answer(name, await self.d.language_text(ctx)),
                "notice",
                reason="honesty.privacy",
            )
        if check.about_bot:  # "what did you do today?" got a made-up puppy and a trip to Iceland
            name = (ctx.persona or self.d.default_persona).introduced_as
            return ctx.reply(
                self.d.safety.about_bot_answer(name, await self.d.language_text(ctx)),
                "notice",
                reason="honesty.about_bot",
            )
        return await call_next(ctx)

    async def resources(self, ctx: Context, text: str, reason: str, *, full: bool = True) -> Reply:
        """A fixed reply with the people to reach (the crisis reply, the reply to a disclosure of abuse):
        the model is not asked, the conversation turns careful, and the exchange is remembered. Kind
        "crisis": in a group it goes to the person privately. ``full=False``: the short careful line
        after such a reply (``after_resources``), which does not replace the one remembered."""
        key = ctx.message.key
        ctx.notes.append(reason)
        await self.d.store.set_pref(key, "careful", self.d.settings.safety.careful_turns)
        ctx.prefs["careful"] = self.d.settings.safety.careful_turns
        self.d.held.clear(key)  # pieces before it were answered by this reply
        if ctx.prefs.get("remember", True):
            await self.d.store.add_turns(key, [("user", ctx.text), ("assistant", text)])
            if full:
                await self.d.store.set_pref(key, RESOURCES_PREF, _digest(text))  # see resources_were_last
        return ctx.reply(text, "crisis", reason=reason)

    async def resources_were_last(self, ctx: Context, text: str) -> bool:
        """Whether the bot's last message in this conversation was ``text`` (the crisis reply or the
        reply to a disclosure of abuse it would send now), or the careful line sent after it."""
        careful = int(ctx.prefs.get("careful", 0) or 0)
        if careful <= 0 or not ctx.prefs.get("remember", True):
            return False
        if _digest(text) != ctx.prefs.get(RESOURCES_PREF):
            return False  # another one (a crisis reply after the reply to abuse): it is sent
        last = await self.d.store.history(ctx.message.key, 1)
        if not last or last[-1].role != "assistant":
            return False
        said = last[-1].content
        return _digest(said) == ctx.prefs.get(RESOURCES_PREF) or self.d.safety.is_careful_line(said)

    async def after_resources(self, ctx: Context, reason: str) -> Reply:
        """The message right after the crisis reply that only the classifier flags ("no i'm safe right
        now, i just wanted to tell someone" scores 0.79). Instead of the same wall of text a second time,
        which tells the person they were not heard, it gets the short careful line: "I'm here with you,
        and I'm listening. How are you feeling right now? If things get too heavy, the people I mentioned
        earlier are there for you any time." A fixed text, not the model: the classifier still reads the
        message as a crisis, and the small model wrote "I'm not responsible for your safety, and I won't
        stop you" there. Handled like the crisis reply otherwise (careful again, remembered, privately
        from a group). The same for a disclosure of abuse told in several messages ("he said not to tell
        my mom", then "he wants me to send him pictures"): the reply with the helplines once, then this
        line. The rules' crisis messages always get the crisis reply."""
        text = self.d.safety.fallback_reply(careful=True, text=await self.d.language_text(ctx))
        return await self.resources(ctx, text, reason, full=False)

    async def check_in(self, ctx: Context, call_next: Next) -> Reply | None:
        """A message just under the crisis threshold: the model answers, GenerateStep appends a gentle
        check-in line, and the conversation is careful for ``safety.checkin_careful_turns`` replies,
        this one included. A conversation that is already careful (after a crisis reply or a check-in)
        gets no second check-in: it saw the crisis lines a few replies ago."""
        if int(ctx.prefs.get("careful", 0) or 0) > 0:
            ctx.notes.append(f"{CHECKIN_REASON}.skipped")
            return await call_next(ctx)
        ctx.checkin = True
        # In memory for this reply (GenerateStep checks it in careful mode); MemoryStep stores the
        # count, less this reply, once the reply is made.
        ctx.prefs["careful"] = self.d.settings.safety.checkin_careful_turns
        reply = await call_next(ctx)
        if reply is None or not reply.extras.get("checkin"):
            # No reply carried the line (the engine was busy or failed): the next borderline message
            # may check in again.
            ctx.prefs["careful"] = None
            await self.d.store.set_pref(ctx.message.key, "careful", None)
        return reply


def remembered_facts(d: Dispatcher, prefs: dict[str, Any]) -> dict[str, Any]:
    """The conversation's recalled facts still in use (bot/facts.py); none while memory is off."""
    if not prefs.get("remember", True):
        return {}
    facts = recalled.current(prefs.get(recalled.PREF), time.time(), d.settings.memory.retention_days)
    if prefs.get("strict"):  # a minor signal was seen
        facts = {k: v for k, v in facts.items() if k not in recalled.NOT_FOR_MINORS}
    return facts


class RecallStep(Step):
    """ "What's my name?" and "what do you remember about me?" are answered from the recalled facts
    (bot/facts.py), truthfully: the model would make something up ("My name is Emily Blackstone")."""

    def __init__(self, dispatcher: Dispatcher) -> None:
        self.d = dispatcher

    async def __call__(self, ctx: Context, call_next: Next) -> Reply | None:
        question = recalled.recall_question(ctx.text)
        if question is None:
            return await call_next(ctx)
        remembering = bool(ctx.prefs.get("remember", True))
        text = recalled.answer_recall(
            question, remembered_facts(self.d, ctx.prefs), time.time(), remembering=remembering
        )
        return ctx.reply(text, "notice", reason=f"recall.{question}")


class MemoryStep(Step):
    """Reads recent history before generating; writes the exchange that was actually sent, and the
    facts the person stated in it (bot/facts.py)."""

    def __init__(self, dispatcher: Dispatcher) -> None:
        self.d = dispatcher

    async def __call__(self, ctx: Context, call_next: Next) -> Reply | None:
        remember = bool(ctx.prefs.get("remember", True))
        key = ctx.message.key
        if remember:
            ctx.history = await self.read_history(key)
            again = self.answered_before(ctx)
            if again is not None:
                ctx.notes.append("memory.answered_before")
                return ctx.reply(again, "model")
        else:
            ctx.earlier_pieces = self.d.held.take(key)
            if ctx.prefs.get(recalled.PREF):  # memory was turned off some other way than /memory off
                await self.d.store.set_pref(key, recalled.PREF, None)
                ctx.prefs.pop(recalled.PREF, None)
        reply = await call_next(ctx)
        if reply is None and ctx.combined:
            # Answered with the next message: the piece is part of the conversation all the same.
            if remember:
                await self.d.store.add_turns(key, [("user", ctx.text)])
            else:
                for piece in [*ctx.earlier_pieces, ctx.text]:
                    self.d.held.hold(key, piece)
        if reply is not None and remember and reply.kind in ("model", "fallback"):
            # A check-in's line is not the model's words: only the reply goes into the history, so the
            # model never echoes the line (and a resent reply does not carry it twice).
            said = str(reply.extras.get("reply_text") or reply.text)
            await self.d.store.add_turns(key, [("user", ctx.text), ("assistant", said)])
            self.d.answered[(key, ctx.message.message_id)] = said
            while len(self.d.answered) > ANSWERED_KEPT:
                self.d.answered.popitem(last=False)
            await self.note_facts(ctx)
        careful = int(ctx.prefs.get("careful", 0) or 0)
        if reply is not None and careful > 0:
            await self.d.store.set_pref(key, "careful", careful - 1 if careful > 1 else None)
        return reply

    def answered_before(self, ctx: Context) -> str | None:
        """The reply this process already wrote and stored for this very message, when the message is
        answered again because that reply could not be sent (the adapters retry it at every sweep).
        Resending it keeps one exchange per message in the history (each retry used to store the message
        again, with a new reply the person never saw) and costs no generation. Only while that exchange
        is still the conversation's last one; after a restart the message is answered anew."""
        said = self.d.answered.get((ctx.message.key, ctx.message.message_id))
        if said is None or len(ctx.history) < 2:
            return None
        user, bot = ctx.history[-2], ctx.history[-1]
        if (user.role, user.content, bot.role, bot.content) != ("user", ctx.text, "assistant", said):
            return None
        return said

    async def note_facts(self, ctx: Context) -> None:
        """Keep what the person just stated about themselves (this message and the pieces it answers)."""
        said = ctx.message.sent_at
        found = recalled.extract(_answered_text(ctx), said)
        stored = ctx.prefs.get(recalled.PREF)
        base = dict(stored or {})
        if ctx.prefs.get("strict"):  # a minor signal was seen (SafetyInStep): drop what is not for them
            found = [f for f in found if f.kind not in recalled.NOT_FOR_MINORS]
            base = {k: v for k, v in base.items() if k not in recalled.NOT_FOR_MINORS}
        keep = self.d.settings.memory.retention_days
        if keep:
            base = recalled.prune(base, said - keep * 86400)
        merged = recalled.merge(base, found, said) if found else base
        if not merged and not stored:
            return
        if merged != (stored or {}):
            await self.d.store.set_pref(ctx.message.key, recalled.PREF, merged or None)
            ctx.prefs[recalled.PREF] = merged
            ctx.notes.append("memory.facts")

    async def read_history(self, key: UserKey) -> list[StoredTurn]:
        """The last ``memory.history_turns`` turns, starting at an anchor when the window cuts the
        conversation (see ``bot.types.is_anchor``: consecutive prompts keep the same start, so the
        engine reuses the previous turn's work instead of reading the whole history again)."""
        limit = self.d.settings.memory.history_turns
        if limit <= 0:
            return []
        turns = await self.d.store.history(key, limit + 1)
        if len(turns) <= limit:
            return turns
        window = turns[-limit:]
        start = next((i for i, t in enumerate(window) if is_anchor(t.role, t.content)), None)
        if start is None:  # no anchor: at least never start with a reply
            start = next((i for i, t in enumerate(window) if t.role == "user"), 0)
        return window[start:]


class GenerateStep(Step):
    """Builds the request, asks the engine (showing typing…), checks candidates, picks one."""

    def __init__(self, dispatcher: Dispatcher) -> None:
        self.d = dispatcher

    def build_request(self, ctx: Context, seed: int | None) -> GenerationRequest:
        persona = ctx.persona or self.d.default_persona
        turns: list[ChatTurn] = persona.prompt_turns()
        known = recalled.render(remembered_facts(self.d, ctx.prefs), time.time())
        if known and turns and turns[0].role == "system":
            # At the end of the system prompt: the part before it stays the same for everyone, so the
            # engine still reuses it across conversations (its prefix cache).
            turns[0] = dataclasses.replace(turns[0], content=f"{turns[0].content.rstrip()}\n\n{known}")
        for t in ctx.history:
            turns.append(ChatTurn("user" if t.role == "user" else "assistant", t.content))
        turns.extend(ChatTurn("user", piece) for piece in ctx.earlier_pieces)
        turns.append(ChatTurn("user", ctx.text))
        turns = merge_user_turns(turns)
        es = self.d.settings.engine
        sampling = persona.sampling_params(SamplingParams(max_new_tokens=es.max_new_tokens))
        return GenerationRequest(
            messages=tuple(turns),
            sampling=sampling,
            num_candidates=es.num_candidates,
            seed=seed,
            history_budget=es.history_budget,
            model=persona.model,
            timeout_s=es.queue_timeout_s,
        )

    def followed(self, ctx: Context) -> asyncio.Event | None:
        return ctx.followed if self.d.settings.chat.combine_messages else None

    async def generate(self, ctx: Context, seed: int | None) -> Generation | None:
        """The engine's answer; None if the person sent another message meanwhile (the request is
        cancelled at once, which frees its place in the engine's batch)."""
        request = self.build_request(ctx, seed)
        task = asyncio.ensure_future(self.d.engine.generate(request))
        followed = self.followed(ctx)
        waiter = asyncio.ensure_future(followed.wait()) if followed is not None else None
        first = asyncio.ensure_future(
            asyncio.wait([f for f in (task, waiter) if f is not None], return_when=asyncio.FIRST_COMPLETED)
        )
        try:
            if ctx.typing is not None:
                await _typing_until(first, ctx.typing)
            await first
            if followed is not None and followed.is_set():
                return None
            return task.result()
        finally:
            for f in (first, waiter, task):
                if f is not None and not f.done():
                    f.cancel()

    async def wait_for_more(self, ctx: Context) -> bool:
        """True if the person sent more before the answer started; a message that looks unfinished
        ("i want to") waits up to ``chat.combine_wait_s`` seconds for the rest first."""
        followed = self.followed(ctx)
        if followed is None:
            return False
        wait_s = self.d.settings.chat.combine_wait_s
        if not followed.is_set() and wait_s > 0 and looks_unfinished(ctx.text):
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(followed.wait(), wait_s)
        return followed.is_set()

    def combine(self, ctx: Context) -> None:
        """Leave this message to be answered together with the person's next one."""
        ctx.combined = True
        ctx.notes.append("combined.followed")

    async def __call__(self, ctx: Context, call_next: Next) -> Reply | None:
        base_seed = self.d.settings.chat.seed
        strict = bool(ctx.prefs.get("strict"))
        careful = int(ctx.prefs.get("careful", 0) or 0) > 0
        if await self.wait_for_more(ctx):
            self.combine(ctx)
            return None
        if careful and not await self.model_writes_language(ctx):
            # "me siento solo" after a disclosure of abuse got "Yo siento solo. Yo no sé solo." and
            # "gracias" got "Gracias. Me daño." (I hurt myself) from the embedded model.
            ctx.notes.append("careful.language")
            fallback = self.d.safety.fallback_reply(careful=True, text=await self.d.language_text(ctx))
            return await self.finish(ctx, fallback, "fallback")
        for attempt in range(2):  # the candidates, then one regeneration
            seed = None if base_seed is None else base_seed + attempt
            gen = await self.generate(ctx, seed)
            if gen is None:
                self.combine(ctx)
                return None
            ctx.generation = gen
            # A message in the check-in band gets its check-in line with these notices too: the person
            # may not try again. The line was shown, so the conversation is careful as after any check-in.
            if gen.status == "busy":
                return await self.finish(
                    ctx, localized(BUSY_TEXT, BUSY_TEXTS, await self.language(ctx)), "busy"
                )
            if gen.status == "error":
                log.warning("engine error for message %s: %s", ctx.message.message_id, gen.error)
                return await self.finish(
                    ctx, localized(ERROR_TEXT, ERROR_TEXTS, await self.language(ctx)), "error"
                )
            texts = [
                trim_unfinished(t) if i < len(gen.finish_reasons) and gen.finish_reasons[i] == "length" else t
                for i, t in enumerate(gen.texts)
            ]
            chosen = self.pick(ctx, texts, strict=strict, careful=careful)
            if chosen is not None:
                return await self.finish(ctx, await self.with_language_note(ctx, chosen), "model")
            ctx.notes.append(f"candidates.rejected.{attempt}")
        fallback = self.d.safety.fallback_reply(careful=careful, text=await self.d.language_text(ctx))
        return await self.finish(ctx, fallback, "fallback")

    async def with_language_note(self, ctx: Context, reply: str) -> str:
        """``reply`` with ``MODEL_LANGUAGE_TEXTS``' note when the message is in a language the model does
        not write well (not in ``safety.careful_model_languages``) and this person has not had the note
        for that language yet (the ``language_note`` setting remembers the last one)."""
        lang = await self.language(ctx)  # None: English, not sure, or localize_safety_texts = false
        note = MODEL_LANGUAGE_TEXTS.get(lang or "")
        if note is None or ctx.prefs.get(LANGUAGE_NOTE_PREF) == lang or await self.model_writes_language(ctx):
            return reply
        await self.d.store.set_pref(ctx.message.key, LANGUAGE_NOTE_PREF, lang)
        ctx.prefs[LANGUAGE_NOTE_PREF] = lang
        ctx.notes.append("language.note")
        return f"{reply.rstrip()}\n\n{note}"

    async def model_writes_language(self, ctx: Context) -> bool:
        """Whether the message's language (else that of the person's last messages) is one of
        ``safety.careful_model_languages``; English or not sure counts as "en"."""
        allowed = self.d.settings.safety.careful_model_languages
        if "*" in allowed:
            return True
        return (languages.guess_language(await self.d.language_text(ctx)) or "en") in allowed

    async def language(self, ctx: Context) -> str | None:
        """The language of the fixed notices for this answer: guessed from the message and the pieces
        sent just before it (more words, a surer guess), else with the person's last messages
        (``Dispatcher.language_text``); None = English."""
        return self.d.safety.language_of(await self.d.language_text(ctx))

    async def finish(self, ctx: Context, text: str, kind: ReplyKind) -> Reply:
        """The reply; with the check-in line appended after the reply checks ran on the model's part
        (the line itself holds a phone number, which the checks would reject)."""
        if not ctx.checkin:
            return ctx.reply(text, kind)
        ctx.notes.append(CHECKIN_REASON)
        line = self.d.safety.checkin_text(ctx.prefs.get("region"), await self.d.language_text(ctx))
        return ctx.reply(
            f"{text.rstrip()}\n\n{line}",
            kind,
            checkin=True,
            reason=CHECKIN_REASON,
            # The two parts, for adapters that send them apart (a group: the line goes privately).
            checkin_line=line,
            reply_text=text.rstrip(),
        )

    def pick(self, ctx: Context, texts: Sequence[str], *, strict: bool, careful: bool) -> str | None:
        passing: list[str] = []
        user_text = _answered_text(ctx)
        persona = ctx.persona or self.d.default_persona
        names = (persona.introduced_as, persona.name, "Kindred")
        for text in texts:
            verdict = self.d.safety.check_reply(
                text, user_text=user_text, strict=strict, careful=careful, names=names
            )
            if verdict.ok:
                passing.append(text)
            else:
                ctx.notes.append(verdict.reason)
        if not passing:
            return None
        return max(passing, key=lambda t: _candidate_score(t, user_text))


def _abuse_first(check: IncomingCheck) -> bool:
    """A disclosure of abuse the rules recognise gets its own reply (child helplines, telling an adult)
    when no crisis rule fired, also when the classifier alone scored the message as a crisis: it scored
    "meu padrasto me bate quando bebe" (my stepdad hits me when he drinks) 0.74+, and the person got the
    suicide crisis reply, in English."""
    return bool(check.abuse) and (not check.crisis or check.reason == CLASSIFIER_REASON)


def _answered_text(ctx: Context) -> str:
    """What the reply answers: the message, after the pieces sent just before it (bot/fragments.py)."""
    pieces = list(ctx.earlier_pieces)
    for turn in reversed(ctx.history):
        if turn.role != "user":
            break
        pieces.insert(0, turn.content)
    return "\n".join([*pieces, ctx.text])


def trim_unfinished(text: str, min_chars: int = 20) -> str:
    """A reply cut off by the token limit ends mid-sentence; keep it up to its last complete sentence."""
    ends = [m.end() for m in SENTENCE_END.finditer(text)]
    if ends and ends[-1] >= min_chars:
        return text[: ends[-1]].rstrip()
    return text


def _candidate_score(text: str, user_text: str) -> float:
    """Prefer replies of a friendly length that engage (a question) and don't parrot the user."""
    words = text.split()
    score = 0.0
    score += 1.0 if 8 <= len(words) <= 80 else 0.0
    score += 0.5 if "?" in text else 0.0
    user_words = set(user_text.lower().split())
    if user_words:
        overlap = len(user_words & {w.lower() for w in words}) / len(user_words)
        score -= 1.0 if overlap > 0.9 and len(words) <= len(user_words) + 2 else 0.0
    return score + random.random() * 0.01


async def _typing_until(task: asyncio.Future[Any], typing: TypingCallback) -> None:
    """Show typing… now and every few seconds until the task is done; typing errors are harmless."""
    while not task.done():
        with contextlib.suppress(Exception):
            await typing()
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.shield(task), TYPING_INTERVAL_S)
