"""Reddit: a kind stranger in chosen subreddits, and a good bot (asyncpraw).

One loop, one item at a time (Reddit is slow-paced and the caps are per hour):

1. answer what the store still holds from before (a crash, a failed send, a reply deferred by the cap);
2. read new submissions from the configured subreddits (``subreddit.stream.submissions(pause_after=0)``)
   and answer those that pass the filters, the opt-outs and the per-subreddit cap;
3. read the unread inbox (comment replies to the bot, mentions, DMs): ``!optout``/``!optin`` are
   handled here; anything else goes to the dispatcher with the author's memory; items are marked read
   only once answered or recorded in the store;
4. wait ``poll_interval_s``.

Never twice: every item goes through ``store.enqueue_incoming``/``mark_handled`` (``adapters.base.deliver``),
so a restarted stream that re-yields old posts, or an inbox item still unread after a crash, is not
answered again. A dry run uses its own namespace ("reddit-dry") for those markers, for the reply caps and
for memory, so trying a configuration never marks real items as answered nor writes into real memory.

While the store cannot be read (the database gone, the disk full) nothing is answered, except that a
crisis post, comment or message gets the crisis reply at once (``_store_down``).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import dataclasses
import json
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import asyncpraw
import asyncprawcore
from asyncpraw.const import API_PATH
from asyncpraw.exceptions import RedditAPIException
from asyncpraw.models import Comment, Submission
from asyncpraw.models import Message as RedditMessage
from asyncprawcore.sessions import FiniteRetryStrategy

from adapters.base import UnrecordedCrisis, backoff_delay, deliver, split_text
from bot.config import RedditSettings, Settings
from bot.protocols import AdapterStartError, OnMessage
from bot.safety import SafetyPolicy
from bot.store import ConversationStore
from bot.texts import CRISIS_SUBJECTS, OPTIN_TEXTS, OPTOUT_TEXTS, localized, notice_language
from bot.types import Message, Reply, UserKey

log = logging.getLogger(__name__)

FOOTER_TEXTS = {
    "en": "I'm a bot, not a person. Reply !optout and I won't reply to you again.",
    "es": "Soy un bot, no una persona. Responde !optout y no volveré a responderte.",
    "fr": "Je suis un bot, pas une personne. Réponds !optout et je ne te répondrai plus.",
    "de": "Ich bin ein Bot, kein Mensch. Antworte mit !optout, dann antworte ich dir nicht mehr.",
    "pt": "Sou um bot, não uma pessoa. Responda !optout e não voltarei a responder você.",
    "it": "Sono un bot, non una persona. Rispondi !optout e non ti risponderò più.",
    "nl": "Ik ben een bot, geen mens. Antwoord !optout en ik reageer niet meer op je.",
    "pl": "Jestem botem, nie człowiekiem. Odpowiedz !optout, a nie będę ci już odpowiadać.",
    "ru": "Я бот, а не человек. Ответьте !optout, и я больше не буду вам отвечать.",
    "uk": "Я бот, а не людина. Відповідайте !optout, і я більше не відповідатиму вам.",
    "tr": "Ben bir botum, insan değilim. !optout yazarsan sana bir daha cevap vermem.",
    "id": "Aku bot, bukan manusia. Balas !optout dan aku tidak akan membalasmu lagi.",
    "sv": "Jag är en bot, inte en människa. Svara !optout så svarar jag dig inte igen.",
    "ja": "私はボットで、人間ではありません。!optout と返信すると、もう返信しません。",
    "zh": "我是机器人，不是真人。回复 !optout，我就不会再回复你。",
    "ar": "أنا بوت، ولست إنسانًا. رد بـ !optout ولن أرد عليك مرة أخرى.",
    "hi": "मैं एक बॉट हूँ, इंसान नहीं। !optout लिखकर जवाब दें और मैं आपको फिर जवाब नहीं दूँगा।",
}
"""The disclosure under every reply, in the languages of the safety texts (bot/safety/languages.py;
not native-reviewed). ``!optout`` stays as it is in every language: it is the command."""


def footer(lang: str | None = None) -> str:
    return f"\n\n---\n\n^({localized(FOOTER_TEXTS['en'], FOOTER_TEXTS, lang)})"


FOOTER = footer()
OPTOUT_TEXT = (
    "Okay, I won't reply to you again on Reddit. If you change your mind, send me !optin. "
    "To delete what I remember of our conversations, send me a private message saying /forget."
)
OPTIN_TEXT = "Welcome back! I'll answer you again when you post or reply to me."
"""``OPTOUT_TEXT`` / ``OPTIN_TEXT`` confirm ``!optout`` / ``!optin``; ``bot/texts.py`` has them in the
person's language (``OPTOUT_TEXTS``, ``OPTIN_TEXTS``): the language of the comment or message that
carried the command, else of their last few posts and comments the bot remembers."""
OPT_LANGUAGE_TURNS = 6
"""Stored turns read for the language of an opt-out confirmation when "!optout" came alone."""
CRISIS_SUBJECT = "You're not alone"
"""The subject of a crisis reply sent as a private message; in the language of what it answers
(``CRISIS_SUBJECTS`` in ``bot/texts.py``)."""
_CRISIS_SUBJECTS = frozenset({CRISIS_SUBJECT, *CRISIS_SUBJECTS.values()})

MAX_BODY_CHARS = 10_000  # Reddit's limit for a comment or a message
STORE_DOWN_LOOKBACK = 25
"""How many of the newest posts are read for crisis posts each round while the store is down."""
OPT_PREF = "reddit_optout"
_OPT_RE = re.compile(r"(?<![\w!])!opt[-_ ]?(out|in)\b", re.IGNORECASE)
# Accounts that are bots or not people (compared in lower case).
KNOWN_BOTS = frozenset(
    {
        "automoderator",
        "reddit",
        "reddit-bot",
        "redditcareresources",
        "[deleted]",
        "remindmebot",
        "sneakpeekbot",
        "repostsleuthbot",
        "wikisummarizerbot",
        "savevideobot",
        "stabbot",
        "vredditshare",
        "gifreversingbot",
    }
)
# Names that say "bot" on purpose: a separator before it (helper_bot, kind-bot, Kind_Bot_2), a
# capitalised "Bot" after another letter or digit (RemindMeBot, Toast2Bot), "b0t" at the end, or
# just "bot". A human name that merely ends in the letters b-o-t (Talbot, Abbot, Cabbot) is not one.
_BOT_NAME = re.compile(r"(?i:^bot$|[-_]bot(?:[-_]?\d+)?$|b0t$)|(?<=[a-z0-9])Bot(?:[-_]?\d+)?$")
# Reddit API error codes that mean "this item cannot be answered": drop it, do not retry.
# RATELIMIT ("you are doing that too much") is the one to wait for instead.
_RETRYABLE_API_ERRORS = frozenset({"RATELIMIT"})
_TRANSIENT = (
    asyncprawcore.exceptions.ServerError,
    asyncprawcore.exceptions.RequestException,
    asyncprawcore.exceptions.TooManyRequests,
    asyncprawcore.exceptions.BadJSON,
    asyncio.TimeoutError,
)
# A subreddit's listing refused for good (for now): 403 private or quarantined, 404 banned, a
# redirect to the search page for a name that does not exist, 451 blocked where the bot runs.
_UNREADABLE = (
    asyncprawcore.exceptions.Forbidden,
    asyncprawcore.exceptions.NotFound,
    asyncprawcore.exceptions.Redirect,
    asyncprawcore.exceptions.UnavailableForLegalReasons,
)
UNREADABLE_RECHECK_S = 3600.0
"""A subreddit Reddit refuses to list is left out for this long, then tried again; the other
subreddits and the inbox go on meanwhile."""
WINDOW_S = 3600.0
STREAM_REFRESH_CYCLES = 30
"""Recreate the submission stream after this many empty rounds: if the newest post it saw is
deleted, Reddit answers ``before=<that post>`` with nothing forever."""


_REFUSED = object()
"""What ``RedditAdapter._call`` returns when Reddit refused a write for good (nothing was posted)."""

CHECK_AFTER_STEPS = 5
"""After a post whose outcome is unknown (the connection dropped, a timeout, a 5xx), the bot looks for
it on Reddit before posting again, at the earliest this many ``retry_base_s`` later (5 s by default): a
comment created as the connection dropped can take a moment to show in the bot's listings."""
LOOKUP_LIMIT = 200
"""At most this many of the bot's newest comments (or sent messages) are read to find such a post: two
requests of 100. Reading stops at the first one older than the first try (less the clock skew)."""
CLOCK_SKEW_S = 120.0
"""How far Reddit's clock (``created_utc``) may be behind ours when looking for a post."""

_WRITING: contextvars.ContextVar[bool] = contextvars.ContextVar("kindred_reddit_writing", default=False)


@dataclasses.dataclass(frozen=True)
class _SendOnce(FiniteRetryStrategy):
    """No retry, and no wait before the one request (FiniteRetryStrategy(retries=0) would take it for a
    last retry and sleep 2-4 s first)."""

    retries: int = 0

    def _sleep_seconds(self) -> float | None:
        return None


def _core_retry_strategy() -> FiniteRetryStrategy:
    """asyncprawcore sends a request again after a 5xx (and a 401). For a read that is harmless; for a
    comment Reddit created before answering 500 it posts a second one. So writes are sent once
    (``_WRITING``), and ``RedditAdapter._post_once`` retries them itself, first looking whether the
    earlier try got through."""
    return _SendOnce() if _WRITING.get() else FiniteRetryStrategy()


@dataclasses.dataclass(frozen=True)
class _Where:
    """Where a reply goes, and so how to find it on Reddit when a post of it may have landed unseen."""

    kind: str
    """"reply" (``POST /api/comment`` under ``target``) or "compose" (a new private message to ``to``)."""
    target: str
    """The fullname the reply answers (for "compose", the item whose crisis reply it is)."""
    to: str = ""
    subject: str = ""


@dataclasses.dataclass(frozen=True)
class _Found:
    """A post found on Reddit that the bot had not heard back about: it counts as sent."""

    fullname: str | None
    """Its fullname (None: could not tell, see ``LOOKUP_LIMIT``; then it is not posted again)."""
    earlier: bool
    """Found from an earlier delivery of the item (a sweep before, or before a restart): the whole
    reply counts as sent; no part of a newly written one is posted."""


class RetryLater(Exception):
    """The reply cannot be posted now (engine busy, Reddit RATELIMIT); the item stays in the store."""


class AuthFailed(Exception):
    """Reddit refused the credentials; the adapter stops."""


def _norm_sub(name: str) -> str:
    name = name.strip().strip("/")
    if name.lower().startswith("r/"):
        name = name[2:]
    return name


def is_bot_name(name: str, ignore: frozenset[str] = frozenset()) -> bool:
    """A known bot, an account in ``ignore`` (lower case), or a name built to say "bot"."""
    lower = name.lower()
    return lower in KNOWN_BOTS or lower in ignore or _BOT_NAME.search(name) is not None


def opt_command(text: str) -> str | None:
    """ "out" or "in" if the text carries !optout / !optin, else None."""
    match = _OPT_RE.search(text or "")
    return match.group(1).lower() if match else None


def _public_text(text: str) -> str:
    # The dispatcher treats a leading "/" as a command (/export, /forget, ...). In public, "/r/sub"
    # is just text, and a command's answer (someone's exported data) must never be posted publicly.
    text = text.strip()
    while text.startswith("/"):
        text = text.lstrip("/").lstrip()
    return text


class RedditAdapter:
    name = "reddit"

    def __init__(
        self,
        settings: Settings,
        store: ConversationStore,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.cfg: RedditSettings = settings.reddit
        self.log_text = settings.logging.log_message_text
        self.store = store
        self.clock = clock
        self.dry_run = self.cfg.dry_run
        self.ns = "reddit-dry" if self.dry_run else "reddit"
        self.subreddits = [s for s in (_norm_sub(s) for s in self.cfg.subreddits) if s]
        self.flairs = {f.strip().lower() for f in self.cfg.flairs if f.strip()}
        self.keywords = [
            re.compile(r"(?<!\w)" + re.escape(k.strip()) + r"(?!\w)", re.IGNORECASE)
            for k in self.cfg.keywords
            if k.strip()
        ]
        self.ignore = frozenset(_norm_user(u).lower() for u in self.cfg.ignore_users)
        self.me = self.cfg.username
        # The dispatcher's crisis rules, asked here only about items the hourly cap would hold back
        # (set_crisis_check adds the learned classifier).
        self._crisis_check: Callable[[str], Awaitable[bool]] | None = None
        try:
            self.safety = SafetyPolicy(settings.safety)
        except ValueError as exc:
            raise AdapterStartError(f"invalid [safety] settings: {exc}") from None
        self.max_message_chars = settings.chat.max_message_chars
        self._opted_out_seen: set[str] = set()
        """Authors (lower case) seen opted out since the start: respected while the store is down."""
        self._unrecorded = UnrecordedCrisis(self.safety)
        """Crisis items given the resources while the store could not record them (``_store_down``)."""
        self._unrecorded_unsure: dict[str, float] = {}
        """Fullname -> when a crisis post made while the store was down got no answer (may have landed)."""
        self.reddit: asyncpraw.Reddit | None = None
        self.failure: str | None = None
        """Why the adapter stopped on its own (credentials revoked while running), else None."""
        self._on_message: OnMessage | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._item_lock = asyncio.Lock()
        self._stream: Any = None
        self._stream_subs: list[str] = []
        self._unreadable: dict[str, float] = {}
        """Subreddit (lower case) -> when to try listing it again (clock), for those Reddit refused."""
        self._empty_rounds = 0
        self._windows: dict[str, list[float]] = {}
        self._skipped: OrderedDict[str, None] = OrderedDict()
        self._not_before: dict[str, float] = {}
        """Items whose answer failed wait retry_pending_s before the next try (3 tries in all)."""
        self.dry_run_posts: list[tuple[str, str]] = []
        """(target fullname, reply kind) of what a dry run would have posted."""

    # lifecycle -------------------------------------------------------------------------------
    async def start(self, on_message: OnMessage) -> None:
        self._check_config()
        if not self.log_text:
            # asyncprawcore logs request bodies (the reply text) at DEBUG.
            core_log = logging.getLogger("asyncprawcore")
            if core_log.getEffectiveLevel() < logging.INFO:
                core_log.setLevel(logging.INFO)
        self.reddit = self._make_reddit()
        try:
            self.me = await self._login(self.reddit)
        except BaseException:
            await self._close_reddit()
            raise
        self._on_message = on_message
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name="reddit-loop")
        where = ", ".join(f"r/{s}" for s in self.subreddits) or "no subreddits (inbox only)"
        log.info(
            "reddit: logged in as u/%s; watching %s%s", self.me, where, " (DRY RUN)" if self.dry_run else ""
        )

    async def stop(self) -> None:
        """Finish the reply in flight (up to stop_timeout_s), stop the loop, close the session."""
        self._stopping.set()
        task, self._task = self._task, None
        if task is not None:
            acquired = False
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._item_lock.acquire(), self.cfg.stop_timeout_s)
                acquired = True
            if not acquired:
                log.warning("reddit: a reply was still running at shutdown; it is answered after restart")
            task.cancel()
            with contextlib.suppress(BaseException):
                await task
            if acquired:
                self._item_lock.release()
        await self._close_reddit()

    async def abort(self) -> None:
        """Stop at once, as a crash would: the reply in flight is cancelled and stays in the store."""
        self._stopping.set()
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(BaseException):
                await task
        await self._close_reddit()

    async def check(self) -> str:
        """For ``python -m bot doctor``: log in and say as whom."""
        self._check_config()
        reddit = self._make_reddit()
        try:
            name = await self._login(reddit)
        finally:
            await reddit.close()
        where = ", ".join(f"r/{s}" for s in self.subreddits) or "no subreddits (inbox only)"
        return f"logged in as u/{name}; watching {where}{' (dry run)' if self.dry_run else ''}"

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def _check_config(self) -> None:
        missing = [k for k in ("client_id", "username") if not getattr(self.cfg, k)]
        missing += [k for k in ("client_secret", "password") if getattr(self.cfg, k) is None]
        if missing:
            envs = ", ".join(f"KINDRED_REDDIT__{k.upper()}" for k in missing)
            raise AdapterStartError(
                f"missing reddit setting(s) {', '.join(missing)}: set {envs} (secrets only in the environment); "
                "create a 'script' app at https://www.reddit.com/prefs/apps for the client id and secret"
            )

    def _make_reddit(self) -> asyncpraw.Reddit:
        assert self.cfg.client_secret is not None and self.cfg.password is not None
        reddit = asyncpraw.Reddit(
            client_id=self.cfg.client_id,
            client_secret=self.cfg.client_secret.get_secret_value(),
            username=self.cfg.username,
            password=self.cfg.password.get_secret_value(),
            user_agent=self.cfg.user_agent,
            oauth_url=self.cfg.oauth_url.rstrip("/"),
            reddit_url=self.cfg.reddit_url.rstrip("/"),
            short_url=self.cfg.short_url.rstrip("/"),
            check_for_updates=False,  # otherwise it asks the package index at start
        )
        for core in (reddit._authorized_core, reddit._read_only_core):  # noqa: SLF001
            if core is not None:
                if not hasattr(core, "_retry_strategy_class"):
                    raise AdapterStartError(
                        "this asyncprawcore has no Session._retry_strategy_class; the Reddit adapter needs it "
                        "to keep asyncprawcore from posting a reply twice (asyncprawcore 4.0 has it)"
                    )
                core._retry_strategy_class = _core_retry_strategy  # noqa: SLF001
        return reddit

    async def _login(self, reddit: asyncpraw.Reddit) -> str:
        """The account's name, or AdapterStartError naming the credential that is wrong."""
        for attempt in range(3):
            try:
                me = await reddit.user.me()
                if me is None:
                    raise AdapterStartError("reddit: logged in but Reddit did not say as whom")
                return str(me.name)
            except BaseException as exc:  # noqa: BLE001 - sorted below
                auth = self._auth_problem(exc)
                if auth is not None:
                    raise AdapterStartError(auth) from None
                if not isinstance(exc, _TRANSIENT) or attempt == 2:
                    if isinstance(exc, Exception) and not isinstance(exc, AdapterStartError):
                        raise AdapterStartError(
                            f"cannot log in to Reddit at {self.cfg.reddit_url}: {exc} "
                            "(check the network, reddit.reddit_url and reddit.oauth_url)"
                        ) from None
                    raise
                log.warning("reddit: login failed (%s); retrying", exc)
                await asyncio.sleep(backoff_delay(attempt, self.cfg.retry_base_s))
        raise AssertionError("unreachable")

    def _auth_problem(self, exc: BaseException) -> str | None:
        """A clear message if ``exc`` means the credentials are wrong or revoked (never the secrets)."""
        if isinstance(exc, asyncprawcore.exceptions.OAuthException):
            return (
                f"Reddit refused the login for u/{self.cfg.username} ({exc.error}): the password is wrong, "
                "the account uses two-factor authentication, or it is not a developer of the app. Check "
                "KINDRED_REDDIT__PASSWORD and reddit.username (KINDRED_REDDIT__USERNAME)."
            )
        if isinstance(exc, asyncprawcore.exceptions.InvalidToken):
            return (
                "Reddit rejected the access token even after logging in again (revoked?). Check "
                "KINDRED_REDDIT__PASSWORD, KINDRED_REDDIT__CLIENT_ID and KINDRED_REDDIT__CLIENT_SECRET."
            )
        if isinstance(exc, asyncprawcore.exceptions.ResponseException) and exc.response.status == 401:
            return (
                "Reddit refused the app credentials (HTTP 401): check reddit.client_id "
                "(KINDRED_REDDIT__CLIENT_ID) and KINDRED_REDDIT__CLIENT_SECRET; the app must be of type "
                "'script' (https://www.reddit.com/prefs/apps)."
            )
        return None

    async def _close_reddit(self) -> None:
        reddit, self.reddit = self.reddit, None
        if reddit is not None:
            with contextlib.suppress(Exception):
                await reddit.close()

    # the loop --------------------------------------------------------------------------------
    async def _run(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            try:
                await self._round()
                failures = 0
                delay = self.cfg.poll_interval_s
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - the loop must survive anything but bad credentials
                auth = self._auth_problem(exc)
                if auth is not None:
                    self.failure = auth
                    log.error("reddit: stopping: %s", auth)
                    return
                delay = self._retry_delay(exc, failures)
                failures += 1
                if isinstance(exc, _TRANSIENT):
                    log.warning("reddit: %s; trying again in %.1f s", _describe(exc), delay)
                else:
                    log.exception("reddit: unexpected error; trying again in %.1f s", delay)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), delay)

    def _retry_delay(self, exc: BaseException, attempt: int) -> float:
        if isinstance(exc, asyncprawcore.exceptions.TooManyRequests) and exc.retry_after:
            with contextlib.suppress(ValueError):
                return min(float(exc.retry_after), 600.0)
        return max(backoff_delay(attempt, self.cfg.retry_base_s, cap=300.0), self.cfg.retry_base_s / 2)

    async def _round(self) -> None:
        try:
            await self._answer_pending()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if self._auth_problem(exc) is not None:
                raise
            # Everything _answer_pending does besides answering (each item's errors stay its own) is
            # reading the store: the database is gone or the disk is full. Nothing can be recorded, so
            # nothing is answered until it can, except that a crisis cannot wait for it.
            await self._store_down()
            raise
        if self.subreddits:
            await self._read_submissions()
        await self._read_inbox()

    async def _one_item(self, handler: Callable[..., Any], *args: Any) -> None:
        """Handle one item under the in-flight lock (stop() waits for it); its errors stay its own."""
        async with self._item_lock:
            if self._stopping.is_set():
                raise asyncio.CancelledError
            try:
                await handler(*args)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - one item's failure must not stop the others
                if self._auth_problem(exc) is not None:
                    raise
                fullname = getattr(args[0], "fullname", None) or getattr(args[0], "message_id", "?")
                self._not_before[fullname] = self.clock() + self.cfg.retry_pending_s
                if isinstance(exc, (RetryLater, *_TRANSIENT)):
                    log.warning(
                        "reddit: %s not answered now (%s); it is tried again later", fullname, _describe(exc)
                    )
                else:
                    log.exception("reddit: answering %s failed; it is tried again later", fullname)

    async def _store_down(self) -> None:
        """The store cannot be read: give crisis items their resources now, without recording them.

        The newest posts of the subreddits (a fresh listing: the stream has already handed out the
        posts it read while the store was failing) and the unread inbox are read. Those the store-free
        filters keep and the crisis rules flag (no model, nothing stored, no text logged:
        ``adapters.base.UnrecordedCrisis``) get the crisis reply at once, once, where a crisis reply
        goes (``reddit.crisis_reply``). Inbox items stay unread. When the store works again every item
        is recorded and handled as usual, and those that got the resources are not replied to again.
        What cannot be known meanwhile: opt-outs (only those seen since the start are kept in memory),
        the hourly cap, and whether the bot already replied in the thread."""
        assert self.reddit is not None
        items: list[Message] = []
        try:
            subs = [s for s in self.subreddits if self._unreadable.get(s.lower(), 0.0) <= self.clock()]
            if subs:
                listing = (await self.reddit.subreddit("+".join(subs))).new(limit=STORE_DOWN_LOOKBACK)
                async for s in listing:
                    if self._offline_filter(s) is None and s.author.name.lower() not in self._opted_out_seen:
                        items.append(self._submission_message(s))
            async for item in self.reddit.inbox.unread(limit=100):
                message, _reason = self._inbox_message(item)
                if message is None or message.extras.get("opt") is not None:
                    continue
                if (message.user_name or "").lower() in self._opted_out_seen:
                    continue
                items.append(message)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - Reddit is failing too; the loop's backoff tries again
            if self._auth_problem(exc) is not None:
                raise
            log.warning(
                "reddit: could not read Reddit for crisis posts while the store is down (%s)", _describe(exc)
            )
        for message in items:
            if self._stopping.is_set():
                return
            text = message.text.strip()[-self.max_message_chars :]
            reply = self._unrecorded.reply_for(dataclasses.replace(message, text=text))
            if reply is None:
                continue
            try:
                await self._post_unrecorded_crisis(message, reply)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - tried again next round
                self._unrecorded.forget(message)
                if self._auth_problem(exc) is not None:
                    raise
                log.warning(
                    "reddit: the crisis reply to %s could not be posted (%s); trying again next round",
                    message.message_id,
                    _describe(exc),
                )

    def _crisis_privately(self) -> bool:
        """Whether a crisis reply to a public item goes to its author privately while the store is down:
        as configured, or because there are no public comments at all (``replies_per_hour = 0``)."""
        return self.cfg.crisis_reply == "message" or self.cfg.replies_per_hour == 0

    async def _post_unrecorded_crisis(self, message: Message, text: str) -> None:
        """Post a crisis reply without the store: one try, a refused public comment goes to the author
        privately, and a try whose answer never came is looked for on Reddit before the next."""
        kind = message.extras.get("kind")
        public = kind in ("submission", "comment")
        author = str(message.extras.get("author") or message.user_name or "")
        lang = self.safety.language_of(message.text)
        body = (split_text(text, MAX_BODY_CHARS - len(footer(lang))) or [""])[0] + footer(lang)
        subject = localized(CRISIS_SUBJECT, CRISIS_SUBJECTS, lang)
        target = message.message_id
        if public and self._crisis_privately():
            where = _Where("compose", target, author, subject)
        else:
            where = _Where("reply", target)
        if self.dry_run:
            self.dry_run_posts.append((target, "crisis"))
            log.info("reddit: DRY RUN: would post the crisis reply to %s (the store is down)", target)
            return
        assert self.reddit is not None
        since = self._unrecorded_unsure.get(target)
        if since is not None and await self._find_posted(where, since, 0, True) is not None:
            self._unrecorded_unsure.pop(target, None)
            log.info("reddit: the crisis reply to %s had got through", target)
            return
        tried = time.time()
        writing = _WRITING.set(True)
        try:
            await self._write(where, body)
        except (RedditAPIException, asyncprawcore.exceptions.Forbidden):
            log.warning("reddit: Reddit refused the crisis reply to %s", target)
            self._unrecorded_unsure.pop(target, None)
            if public and where.kind == "reply" and author:
                try:
                    await self._write(_Where("compose", target, author, subject), body)
                except (RedditAPIException, asyncprawcore.exceptions.Forbidden):
                    # Refused both ways: nothing more to try (not again every round).
                    log.warning("reddit: Reddit refused the private crisis message about %s too", target)
                    return
                log.info(
                    "reddit: sent the crisis reply to the author of %s as a private message instead", target
                )
            return
        except _TRANSIENT as exc:
            never_sent = isinstance(exc, asyncprawcore.exceptions.TooManyRequests) or (
                isinstance(exc, asyncprawcore.exceptions.RequestException)
                and isinstance(exc.original_exception, aiohttp.ClientConnectorError)
            )
            if not never_sent:
                self._unrecorded_unsure.setdefault(target, tried)
            raise
        finally:
            _WRITING.reset(writing)
        self._unrecorded_unsure.pop(target, None)
        log.warning("reddit: posted the crisis reply to %s without recording it (the store is down)", target)

    # submissions -----------------------------------------------------------------------------
    async def _read_submissions(self) -> None:
        assert self.reddit is not None
        now = self.clock()
        subs = [s for s in self.subreddits if self._unreadable.get(s.lower(), 0.0) <= now]
        if not subs:
            return  # every subreddit is refused for now; the inbox goes on
        if self._stream is None or self._empty_rounds >= STREAM_REFRESH_CYCLES or subs != self._stream_subs:
            subreddit = await self.reddit.subreddit("+".join(subs))
            # No skip_existing: after downtime the first page holds what was posted meanwhile; the
            # store says what was already answered, the age filter drops what is too old.
            self._stream = subreddit.stream.submissions(pause_after=0)
            self._stream_subs = subs
            self._empty_rounds = 0
        found = False
        try:
            async for submission in self._stream:
                if submission is None:
                    break
                found = True
                await self._one_item(self._on_submission, submission)
        except _UNREADABLE:
            self._stream = None
            if not await self._leave_out_unreadable(subs):
                raise  # no single subreddit is refused: a fault for the loop's backoff
            return
        except Exception:
            self._stream = None  # a stream that raised is finished; the next round makes a new one
            raise
        self._empty_rounds = 0 if found else self._empty_rounds + 1
        for sub in subs:
            if self._unreadable.pop(sub.lower(), None) is not None:
                log.info("reddit: r/%s can be read again", sub)

    async def _leave_out_unreadable(self, subs: list[str]) -> bool:
        """Reddit refused the listing of ``r/a+b``: ask for each subreddit alone which ones it refuses
        (private, quarantined, banned, gone) and leave those out for ``UNREADABLE_RECHECK_S``, so one
        subreddit going private does not stop the others, nor the inbox (DMs, replies to the bot).
        True if one was found."""
        assert self.reddit is not None
        found = False
        for sub in subs:
            try:
                async for _ in (await self.reddit.subreddit(sub)).new(limit=1):
                    pass
            except _UNREADABLE as exc:
                found = True
                known = sub.lower() in self._unreadable
                self._unreadable[sub.lower()] = self.clock() + UNREADABLE_RECHECK_S
                log.log(
                    logging.DEBUG if known else logging.WARNING,
                    "reddit: r/%s cannot be read (%s); leaving it out for %d min, the other subreddits "
                    "and the inbox go on",
                    sub,
                    _unreadable_reason(exc),
                    UNREADABLE_RECHECK_S // 60,
                )
        return found

    def _skip(self, fullname: str, reason: str, level: int = logging.DEBUG) -> None:
        # Most posts simply don't match the filters (DEBUG); caps and opt-outs are worth seeing (INFO).
        if fullname not in self._skipped:
            log.log(level, "reddit: not answering %s (%s)", fullname, reason)
            self._skipped[fullname] = None
            while len(self._skipped) > 2000:
                self._skipped.popitem(last=False)

    async def _on_submission(self, s: Submission) -> None:
        fullname = s.fullname
        if await self.store.is_handled(self.ns, fullname):
            return
        reason = await self._submission_filter(s)
        if reason is not None:
            self._skip(fullname, reason, logging.INFO if reason == "author opted out" else logging.DEBUG)
            return
        message = self._submission_message(s)
        sub = message.extras["subreddit"]
        if not await self._has_capacity(sub):
            over_cap = await self._crisis_over_cap(message)
            if over_cap is None:
                self._skip(
                    fullname, f"r/{sub} reached replies_per_hour={self.cfg.replies_per_hour}", logging.INFO
                )
                return
            log.warning(
                "reddit: r/%s is at replies_per_hour, but %s is a crisis: answering it", sub, fullname
            )
            message = over_cap
        await self._deliver(message)

    async def _submission_filter(self, s: Submission) -> str | None:
        """Why a post is not answered (a reason code for the log), or None to answer it."""
        reason = self._offline_filter(s)
        if reason is not None:
            return reason
        if await self._opted_out(s.author.name):
            return "author opted out"
        if await self.store.is_handled(self.ns, f"thread:{s.fullname}"):
            return "already replied in this thread"
        return None

    def _offline_filter(self, s: Submission) -> str | None:
        """The filters that need no store: why a post is not answered, or None."""
        author = s.author.name if getattr(s, "author", None) is not None else None
        if author is None:
            return "deleted"
        if author.lower() == self.me.lower():
            return "own post"
        if is_bot_name(author, self.ignore):
            return "bot or ignored user"
        if getattr(s, "locked", False) or getattr(s, "archived", False):
            return "locked"
        selftext = getattr(s, "selftext", "") or ""
        if getattr(s, "removed_by_category", None) or selftext in ("[removed]", "[deleted]"):
            return "removed"
        if getattr(s, "over_18", False):
            return "nsfw"
        if getattr(s, "stickied", False):
            return "stickied"
        if self.clock() - float(getattr(s, "created_utc", 0) or 0) > self.cfg.max_post_age_hours * 3600:
            return "too old"
        title = getattr(s, "title", "") or ""
        if self.flairs or self.keywords:
            flair = (getattr(s, "link_flair_text", None) or "").strip().lower()
            flair_ok = bool(self.flairs) and flair in self.flairs
            keyword_ok = any(k.search(title) or k.search(selftext) for k in self.keywords)
            if not (flair_ok or keyword_ok):
                return "no matching flair or keyword"
        if len(f"{title} {selftext}".strip()) < self.cfg.min_text_chars:
            return "too short"
        return None

    def _submission_message(self, s: Submission) -> Message:
        title = (getattr(s, "title", "") or "").strip()
        body = (getattr(s, "selftext", "") or "").strip()
        text = _public_text(f"{title}\n\n{body}" if body else title)
        author = s.author.name
        return Message(
            key=UserKey(self.ns, author),
            text=text,
            message_id=s.fullname,
            user_name=author,
            is_group=True,
            addressed=True,  # the filters chose it; the dispatcher answers what it is given
            sent_at=float(getattr(s, "created_utc", 0) or 0) or self.clock(),
            extras={
                "kind": "submission",
                "quiet_truncation": True,  # a public reply; long posts are ordinary (bot.dispatcher.InputStep)
                "fullname": s.fullname,
                "id": s.id,
                "subreddit": s.subreddit.display_name,
                "thread": s.fullname,
                "author": author,
            },
        )

    # inbox -----------------------------------------------------------------------------------
    async def _read_inbox(self) -> None:
        assert self.reddit is not None
        items = [item async for item in self.reddit.inbox.unread(limit=100)]
        for item in reversed(items):  # oldest first, so a conversation is answered in order
            await self._one_item(self._on_inbox_item, item)

    async def _mark_read(self, item: Comment | RedditMessage) -> None:
        if self.dry_run or self.reddit is None:
            return  # a dry run changes nothing on Reddit; the dry-run store namespace dedupes
        await self._call(lambda: self.reddit.inbox.mark_read([item]))  # type: ignore[union-attr]

    async def _on_inbox_item(self, item: Comment | RedditMessage) -> None:
        fullname = item.fullname
        message, reason = self._inbox_message(item)
        if message is None:
            self._skip(fullname, reason)
            await self._mark_read(item)
            return
        author = message.user_name or ""
        opt = message.extras.get("opt")
        if opt is None and await self._opted_out(author):
            self._skip(fullname, "author opted out", logging.INFO)
            await self._mark_read(item)
            return
        if not await self.store.enqueue_incoming(message):
            await self._mark_read(item)  # answered before (e.g. marking read failed last time)
            return
        cancelled = False
        try:
            if opt is not None:
                await self._deliver(message, recorded=True)
            elif message.extras["kind"] == "comment" and not await self._has_capacity(
                message.extras["subreddit"]
            ):
                over_cap = await self._crisis_over_cap(message)
                if over_cap is not None:  # resources now, not in an hour
                    await self._deliver(over_cap, recorded=True)
                else:
                    log.info(
                        "reddit: r/%s reached replies_per_hour; %s waits in the store",
                        message.extras["subreddit"],
                        fullname,
                    )
            else:
                await self._deliver(message, recorded=True)
        except asyncio.CancelledError:
            cancelled = True  # shutting down mid-answer: leave it unread; the store has it
            raise
        finally:
            if not cancelled:
                await self._mark_read(item)  # it is answered, or recorded in the store for later

    def _inbox_message(self, item: Comment | RedditMessage) -> tuple[Message | None, str]:
        author = item.author.name if getattr(item, "author", None) is not None else None
        if author is None:
            return None, "no author (deleted or from Reddit)"
        if author.lower() == self.me.lower():
            return None, "own message"
        if is_bot_name(author, self.ignore):
            return None, "bot or ignored user"
        body = getattr(item, "body", "") or ""
        if isinstance(item, Comment):
            sub = item.subreddit.display_name if getattr(item, "subreddit", None) is not None else ""
            thread = getattr(item, "link_id", None) or ""
            kind, text, extra = "comment", _public_text(body), {"subreddit": sub, "thread": thread}
            opt = opt_command(body)
        elif isinstance(item, RedditMessage):
            if getattr(item, "subreddit", None) is not None:
                return None, "subreddit message"
            subject = getattr(item, "subject", "") or ""
            kind, text, extra = "message", body.strip(), {"subject": subject}
            opt = opt_command(body) or opt_command(subject)
        else:
            return None, "unknown inbox item"
        extras = {"kind": kind, "fullname": item.fullname, "id": item.id, "author": author, **extra}
        if kind == "comment":
            extras["quiet_truncation"] = True  # a public reply (bot.dispatcher.InputStep)
        if opt is not None:
            extras["opt"] = opt
        return (
            Message(
                key=UserKey(self.ns, author),
                text=text,
                message_id=item.fullname,
                user_name=author,
                is_group=kind == "comment",
                addressed=True,  # a reply to the bot, a mention or a DM is addressed to it
                sent_at=float(getattr(item, "created_utc", 0) or 0) or self.clock(),
                extras=extras,
            ),
            "",
        )

    # opt-out -----------------------------------------------------------------------------------
    async def _opted_out(self, author: str) -> bool:
        # Opt-outs live in the real namespace even in a dry run: they are a person's wish, not a test.
        out = bool(await self.store.get_pref(UserKey("reddit", author), OPT_PREF, False))
        if out:
            self._opted_out_seen.add(author.lower())  # respected even while the store is down
        else:
            self._opted_out_seen.discard(author.lower())
        return out

    async def _answer_opt(self, message: Message, _typing: Any = None) -> Reply | None:
        """``!optout`` / ``!optin``: stored as a preference and confirmed once."""
        key = UserKey("reddit", message.user_name or message.key.user_id)
        was_out = await self._opted_out(key.user_id)
        if message.extras.get("opt") == "out":
            if was_out:
                return None  # confirmed once already; they asked not to hear from us
            await self.store.set_pref(key, OPT_PREF, True)
            self._opted_out_seen.add(key.user_id.lower())
            log.info("reddit: a user opted out (%s)", message.message_id)
            lang = await self._opt_language(message)
            text = localized(OPTOUT_TEXT, OPTOUT_TEXTS, lang)
            return Reply(message.key, text, "notice", message.message_id, {"opt": "out", "lang": lang})
        if was_out:
            await self.store.set_pref(key, OPT_PREF, None)
            self._opted_out_seen.discard(key.user_id.lower())
            log.info("reddit: a user opted back in (%s)", message.message_id)
        lang = await self._opt_language(message)
        text = localized(OPTIN_TEXT, OPTIN_TEXTS, lang)
        return Reply(message.key, text, "notice", message.message_id, {"opt": "in", "lang": lang})

    async def _opt_language(self, message: Message) -> str | None:
        """The language of an ``!optout`` / ``!optin`` confirmation (None = English), picked as command
        replies are (``bot.texts.notice_language``; Reddit gives no language of its own): the language of
        the comment or message that carried the command, else (a bare "!optout") of the person's last
        few posts and comments the bot remembers, else English."""
        localize = self.safety.settings.localize_safety_texts
        lang = notice_language(None, message.text, self.safety.language_of, localize=localize)
        if lang is not None or not localize:
            return lang
        turns = await self.store.history(message.key, OPT_LANGUAGE_TURNS)
        return self.safety.language_of("\n".join(t.content for t in turns if t.role == "user"))

    # answering ---------------------------------------------------------------------------------
    async def _deliver(self, message: Message, *, recorded: bool = False) -> None:
        assert self._on_message is not None
        on_message = self._answer_opt if message.extras.get("opt") else self._on_message
        if self._unrecorded.was_sent(message) and not message.extras.get("opt"):
            on_message = self._answered_while_store_down

        async def send(reply: Reply) -> None:
            await self._post_reply(message, reply)

        await deliver(self.store, message, on_message, send, None, already_recorded=recorded)

    async def _answered_while_store_down(self, message: Message, _typing: Any = None) -> None:
        """An item given the crisis reply while the store was down, now recorded: it counts as a reply
        in its subreddit and thread and is not replied to again."""
        log.info(
            "reddit: %s got the crisis reply while the store was down; not replying again", message.message_id
        )
        public = message.extras.get("kind") in ("submission", "comment")
        if public and not self._crisis_privately():
            await self._note_public_reply(
                str(message.extras.get("subreddit", "")), str(message.extras.get("thread", ""))
            )

    async def _answer_pending(self) -> None:
        """Items recorded but not answered: left by a crash, a failed send, or deferred by the cap."""
        now = self.clock()
        pending = await self.store.pending_incoming(self.ns)
        waiting = {m.message_id for m in pending}
        for fullname in [k for k in self._not_before if k not in waiting]:
            del self._not_before[fullname]  # answered or given up on: forget its timer
        for cursor in await self.store.cursors(f"{self.ns}:unsure:"):
            if cursor.name.rsplit(":", 1)[-1] not in waiting:
                await self.store.delete_cursor(cursor.name)  # given up on (too old, opted out, ...)
        for message in pending:
            if self._stopping.is_set():
                return
            if self._not_before.get(message.message_id, 0.0) > now:
                continue
            await self._one_item(self._retry_pending, message)

    async def _retry_pending(self, message: Message) -> None:
        if await self.store.is_handled(self.ns, message.message_id):
            await self.store.mark_handled(self.ns, message.message_id)
            return
        extras = message.extras
        author = message.user_name or message.key.user_id
        kind = extras.get("kind")
        if extras.get("opt") is None and await self._opted_out(author):
            await self.store.mark_handled(self.ns, message.message_id)
            return
        if kind == "submission" and self.clock() - message.sent_at > self.cfg.max_post_age_hours * 3600:
            log.info("reddit: %s is now too old to answer; dropping it", message.message_id)
            await self.store.mark_handled(self.ns, message.message_id)
            return
        if kind in ("submission", "comment") and extras.get("opt") is None:
            if not await self._has_capacity(str(extras.get("subreddit", ""))):
                over_cap = await self._crisis_over_cap(message)
                if over_cap is None:
                    return  # still capped; stays in the store
                message = over_cap
        await self._deliver(message, recorded=True)

    async def send(self, reply: Reply) -> None:
        """Adapter protocol: reply to the item ``reply.in_reply_to`` (a fullname) in place."""
        kind = {"t3": "submission", "t1": "comment", "t4": "message"}.get(reply.in_reply_to[:2])
        if kind is None:
            raise ValueError(
                f"reddit: cannot reply to {reply.in_reply_to!r}; expected a t1_/t3_/t4_ fullname"
            )
        message = Message(
            key=reply.key,
            text="",
            message_id=reply.in_reply_to,
            user_name=reply.key.user_id,
            extras={"kind": kind, "fullname": reply.in_reply_to, "author": reply.key.user_id},
        )
        await self._post_reply(message, reply)

    async def _post_reply(self, message: Message, reply: Reply) -> None:
        extras = message.extras
        kind = str(extras.get("kind"))
        public = kind in ("submission", "comment")
        target = message.message_id
        if reply.kind in ("busy", "error"):
            # Reddit is not a live chat: try again next round rather than post an apology.
            raise RetryLater(f"the answer was {reply.kind}")
        if reply.kind == "rate_limited" or (public and reply.kind == "command"):
            log.info("reddit: not posting a %s reply to %s", reply.kind, target)
            return
        over_cap = bool(extras.get("over_cap"))
        if over_cap and reply.kind != "crisis":
            # Let through the cap as a crisis, but the full safety step saw no crisis: post nothing.
            log.info("reddit: %s is over the hourly cap and not a crisis after all; not posting", target)
            return
        private_crisis = (
            public
            and reply.kind == "crisis"
            and (self.cfg.crisis_reply == "message" or (over_cap and self.cfg.replies_per_hour == 0))
        )
        # the disclosure in the language of what the person wrote (English when unsure); under an opt-out
        # confirmation, in the confirmation's language
        lang = reply.extras["lang"] if "lang" in reply.extras else self.safety.language_of(message.text)
        tail = footer(lang)
        subject = localized(CRISIS_SUBJECT, CRISIS_SUBJECTS, lang)
        limit = MAX_BODY_CHARS - len(tail)
        chunks = split_text(reply.text, limit) or [""]
        if public:
            chunks = chunks[:1]  # one comment per item, never a wall of them
        bodies = [chunk + tail for chunk in chunks]
        author = str(extras.get("author") or message.user_name or "")
        if self.dry_run:
            where = f"a private message to the author of {target}" if private_crisis else target
            for _ in bodies:
                self.dry_run_posts.append((target, reply.kind))
            if self.log_text:
                log.info("reddit: DRY RUN: would reply to %s (%s): %s", where, reply.kind, reply.text)
            else:
                log.info(
                    "reddit: DRY RUN: would reply to %s (%s, %d chars)", where, reply.kind, len(reply.text)
                )
        else:
            assert self.reddit is not None
            if private_crisis:
                where = _Where("compose", target, author, subject)
            else:
                where = _Where("reply", target)
            done = await self._post_parts(where, bodies, message.key)
            if done is _REFUSED:
                # Nothing was posted: not a reply, not one for the hourly cap.
                log.info("reddit: nothing posted to %s (%s): Reddit refused it", target, reply.kind)
                if public and reply.kind == "crisis" and not private_crisis and author:
                    await self._crisis_privately_instead(target, author, bodies[0], message.key, subject)
                return
            log.info("reddit: replied to %s (%s)", target, reply.kind)
        if public and not private_crisis and reply.extras.get("opt") is None:
            await self._note_public_reply(str(extras.get("subreddit", "")), str(extras.get("thread", "")))

    async def _crisis_privately_instead(
        self, target: str, author: str, body: str, owner: UserKey, subject: str = CRISIS_SUBJECT
    ) -> None:
        """Reddit refused the crisis comment (the thread was locked, the post deleted, the bot banned
        from the subreddit): the resources go to the author as a private message rather than nowhere."""
        done = await self._post_parts(_Where("compose", target, author, subject), [body], owner)
        if done is not _REFUSED:
            log.info("reddit: sent the crisis reply to the author of %s as a private message instead", target)

    # posting exactly once ----------------------------------------------------------------------
    # A post whose answer never came back (the connection dropped, a timeout, a 5xx) may have been
    # created. Before posting it again the bot looks for it among its own comments or sent messages; if
    # it is there, the reply counts as sent. The "unsure" cursor (``{ns}:unsure:<kind>:<fullname>``) is
    # written before every post and kept while the outcome is unknown, so a later sweep, or the next
    # start after a crash in the middle of a post, looks first too. A refusal (403, another 4xx, an API
    # error) or a request that never left (no connection, 429, 401) needs no look.

    def _unsure_key(self, where: _Where) -> str:
        return f"{self.ns}:unsure:{where.kind}:{where.target}"

    async def _post_parts(self, where: _Where, bodies: list[str], owner: UserKey) -> Any:
        """Post the parts of one reply, each exactly once. Returns what the last post returned, a
        ``_Found`` (already on Reddit) or ``_REFUSED``; raises (the item stays pending) when Reddit could
        not be reached or it could not be told whether an earlier try got through."""
        key = self._unsure_key(where)
        raw = await self.store.get_cursor(key)
        earlier: dict[str, float] | None = None
        if raw:
            try:
                earlier = {k: float(v) for k, v in json.loads(raw).items()}
            except (ValueError, TypeError, AttributeError):
                earlier = {"first": 0.0, "at": 0.0}  # unreadable: look back as far as the lookup goes
        first = time.time()  # Reddit's created_utc is wall-clock time: not self.clock (tests shift it)
        done: Any = None
        for part, body in enumerate(bodies):
            done = await self._post_once(
                where,
                part,
                first,
                earlier if part == 0 else None,
                owner,
                lambda b=body: self._write(where, b),
            )
            if done is _REFUSED:
                if part:
                    break  # what was posted stays posted; the item is done
                await self.store.delete_cursor(key)
                return _REFUSED
            if isinstance(done, _Found) and done.earlier:
                break  # sent by an earlier delivery: nothing of this newly written reply is posted
        await self.store.delete_cursor(key)
        return done

    async def _write(self, where: _Where, body: str) -> Any:
        if where.kind == "compose":
            return await self._compose(where.to, where.subject, body)
        return await self._reply_to(where.target, body)

    async def _post_once(
        self,
        where: _Where,
        part: int,
        first: float,
        earlier: dict[str, float] | None,
        owner: UserKey,
        post: Callable[[], Awaitable[Any]],
    ) -> Any:
        """One part of a reply, posted at most once: like ``_call``, but a try whose outcome is unknown
        is followed by a look on Reddit (``_find_posted``) before the next, never by a blind repost."""
        key = self._unsure_key(where)
        attempts = self.cfg.send_attempts
        unsure_since: float | None = None  # the first try whose post may have landed unseen
        if earlier is not None:
            unsure_since = earlier.get("first", 0.0)
            wait = earlier.get("at", 0.0) + CHECK_AFTER_STEPS * self.cfg.retry_base_s - time.time()
            if wait > 0:  # a try a moment ago (a restart right after a crash): give Reddit time to list it
                await asyncio.sleep(wait)
        token_retried = False
        attempt = 0
        while attempt < attempts:
            if unsure_since is not None:
                found = await self._find_posted(where, unsure_since, part, earlier is not None)
                if found is not None:
                    return found
                earlier = None  # not there: the earlier try did not get through; post now
                unsure_since = None
            # Written before the post: a crash in the middle of it leaves the mark for the next start.
            await self.store.set_cursor(key, json.dumps({"first": first, "at": time.time()}), owner)
            writing = _WRITING.set(True)
            try:
                return await post()
            except RedditAPIException as exc:
                codes = sorted({item.error_type for item in exc.items})
                if _RETRYABLE_API_ERRORS & set(codes):
                    if part == 0:
                        await self.store.delete_cursor(key)
                    raise RetryLater("Reddit says: you are doing that too much") from None
                log.warning("reddit: Reddit refused the reply (%s); not trying again", ", ".join(codes))
                return _REFUSED
            except asyncprawcore.exceptions.InvalidToken:
                # 401: the token expired or was dropped; Reddit did nothing. One new login, then again.
                if token_retried:
                    raise
                token_retried = True
                continue
            except asyncprawcore.exceptions.Forbidden:
                log.warning("reddit: forbidden to post there (banned or blocked?); not trying again")
                return _REFUSED
            except asyncprawcore.exceptions.ResponseException as exc:
                status = exc.response.status
                if not (400 <= status < 500) or status in (408, 429):
                    if not isinstance(exc, _TRANSIENT):
                        raise
                    last = await self._after_failed_post(where, part, exc, attempt, attempts)
                    unsure_since = None if last is None else first
                else:
                    log.warning("reddit: Reddit refused the reply (HTTP %d); not trying again", status)
                    return _REFUSED
            except aiohttp.ClientError as exc:
                # asyncpraw reads a 400's body after asyncprawcore let the response go, so a 400 comes out
                # as "Connection closed" raised while handling the BadRequest: a refusal all the same.
                context = exc.__context__
                if isinstance(context, asyncprawcore.exceptions.ResponseException) and (
                    400 <= context.response.status < 500
                ):
                    log.warning(
                        "reddit: Reddit refused the reply (HTTP %d); not trying again",
                        context.response.status,
                    )
                    return _REFUSED
                raise
            except _TRANSIENT as exc:
                last = await self._after_failed_post(where, part, exc, attempt, attempts)
                unsure_since = None if last is None else first
            finally:
                _WRITING.reset(writing)
            attempt += 1
        raise AssertionError("unreachable")

    async def _after_failed_post(
        self, where: _Where, part: int, exc: BaseException, attempt: int, attempts: int
    ) -> float | None:
        """After a post that failed with ``exc``: re-raise it if that was the last try, else wait. Returns
        None if the post certainly did not reach Reddit, else the time it was tried (look before the next)."""
        never_sent = isinstance(exc, asyncprawcore.exceptions.TooManyRequests) or (
            isinstance(exc, asyncprawcore.exceptions.RequestException)
            and isinstance(exc.original_exception, aiohttp.ClientConnectorError)
        )
        if attempt == attempts - 1:
            if never_sent and part == 0:
                await self.store.delete_cursor(self._unsure_key(where))  # nothing to look for later
            if not never_sent:
                log.warning(
                    "reddit: %s while posting to %s; it may have got through: the next try looks first",
                    _describe(exc),
                    where.target,
                )
            raise exc
        delay = self._retry_delay(exc, attempt)
        if not never_sent:
            delay = max(delay, CHECK_AFTER_STEPS * self.cfg.retry_base_s)
        log.warning(
            "reddit: %s while posting; %s %d/%d in %.1f s",
            _describe(exc),
            "retry" if never_sent else "looking whether it got through, then retry",
            attempt + 1,
            attempts - 1,
            delay,
        )
        await asyncio.sleep(delay)
        return None if never_sent else time.time()

    async def _find_posted(self, where: _Where, since: float, part: int, earlier: bool) -> _Found | None:
        """Look on Reddit for part ``part`` of a reply tried since ``since`` whose answer never came: among
        the bot's newest comments (a reply under a post or a comment: ``parent_id``) or its sent messages
        (a reply to a private message: ``parent_id``; a new message: recipient and subject). One request,
        two at most. None if it is not there; RetryLater if Reddit could not be asked (the item stays
        pending and nothing is posted blindly)."""
        assert self.reddit is not None
        cutoff = since - CLOCK_SKEW_S
        try:
            if where.kind == "reply" and where.target[:3] in ("t1_", "t3_"):
                listing = (await self.reddit.redditor(self.me)).comments.new(limit=LOOKUP_LIMIT)
            else:
                listing = self.reddit.inbox.sent(limit=LOOKUP_LIMIT)
            matches: list[str] = []
            seen = 0
            reached = False
            async for thing in listing:
                seen += 1
                if float(getattr(thing, "created_utc", 0) or 0) < cutoff:
                    reached = True
                    break
                if self._is_post_for(thing, where):
                    matches.append(str(thing.fullname))
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure: keep the item, post nothing
            if self._auth_problem(exc) is not None:
                raise
            log.warning(
                "reddit: could not look whether the reply to %s got through (%s); it stays pending",
                where.target,
                _describe(exc),
            )
            raise RetryLater("could not look whether the earlier try got through") from None
        matches.reverse()  # oldest first: part 0, part 1, ...
        if len(matches) > part:
            log.info(
                "reddit: the reply to %s was posted after all (%s); marking it sent, not posting it again",
                where.target,
                matches[part],
            )
            return _Found(matches[part], earlier)
        if not reached and seen >= LOOKUP_LIMIT:
            log.warning(
                "reddit: could not tell whether the reply to %s got through (%d newer posts by the bot); "
                "not posting it again, to be safe",
                where.target,
                seen,
            )
            return _Found(None, earlier)
        log.info("reddit: the earlier try to reply to %s did not get through; posting it", where.target)
        return None

    def _is_post_for(self, thing: Any, where: _Where) -> bool:
        author = getattr(thing, "author", None)
        if author is None or str(getattr(author, "name", author)).lower() != self.me.lower():
            return False
        if where.kind == "reply":
            return getattr(thing, "parent_id", None) == where.target
        dest = getattr(thing, "dest", None)
        dest_name = str(getattr(dest, "name", dest) or "")
        if dest_name.lower() != where.to.lower():
            return False
        subject = getattr(thing, "subject", None)
        # A crisis message sent before a restart may carry the subject in another language (the setting
        # changed meanwhile): any crisis subject to the same person counts.
        return subject == where.subject or (where.subject in _CRISIS_SUBJECTS and subject in _CRISIS_SUBJECTS)

    async def _reply_to(self, fullname: str, body: str) -> None:
        assert self.reddit is not None
        # The same call Submission/Comment/Message.reply make; by fullname so that an item recovered
        # from the store after a restart needs no fetch.
        await self.reddit.post(API_PATH["comment"], data={"text": body, "thing_id": fullname})

    async def _compose(self, to: str, subject: str, body: str) -> None:
        assert self.reddit is not None
        await self.reddit.post(API_PATH["compose"], data={"subject": subject, "text": body, "to": to})

    async def _call(self, fn: Callable[[], Any]) -> Any:
        """One Reddit write that is harmless to repeat (marking inbox items read) with retries: 5xx and
        network errors with backoff, 429 after Retry-After. An API error that means the item cannot be
        answered (locked, deleted, blocked) is logged and the item counts as done; RATELIMIT leaves it
        for later. Replies, which must not be repeated, go through ``_post_parts``."""
        attempts = self.cfg.send_attempts
        for attempt in range(attempts):
            try:
                return await fn()
            except RedditAPIException as exc:
                codes = sorted({item.error_type for item in exc.items})
                if _RETRYABLE_API_ERRORS & set(codes):
                    raise RetryLater("Reddit says: you are doing that too much") from None
                log.warning("reddit: Reddit refused the reply (%s); not trying again", ", ".join(codes))
                return _REFUSED
            except asyncprawcore.exceptions.Forbidden:
                log.warning("reddit: forbidden to post there (banned or blocked?); not trying again")
                return _REFUSED
            except _TRANSIENT as exc:
                if attempt == attempts - 1:
                    raise
                delay = self._retry_delay(exc, attempt)
                log.warning(
                    "reddit: %s while posting; retry %d/%d in %.1f s",
                    _describe(exc),
                    attempt + 1,
                    attempts - 1,
                    delay,
                )
                await asyncio.sleep(delay)
        return None

    # caps ------------------------------------------------------------------------------------
    def _window_cursor(self, subreddit: str) -> str:
        return f"{self.ns}:replies:{subreddit.lower()}"

    async def _window(self, subreddit: str) -> list[float]:
        key = subreddit.lower()
        if key not in self._windows:
            raw = await self.store.get_cursor(self._window_cursor(subreddit), "[]")
            try:
                self._windows[key] = [float(t) for t in json.loads(raw or "[]")]
            except (ValueError, TypeError):
                self._windows[key] = []
        now = self.clock()
        self._windows[key] = [t for t in self._windows[key] if now - t < WINDOW_S]
        return self._windows[key]

    async def _has_capacity(self, subreddit: str) -> bool:
        return len(await self._window(subreddit)) < self.cfg.replies_per_hour

    def set_crisis_check(self, check: Callable[[str], Awaitable[bool]]) -> None:
        """Use the dispatcher's full crisis check (rules + learned classifier, ``Dispatcher.is_crisis``)
        for items the hourly cap would hold back. Without it, only the crisis rules are asked."""
        self._crisis_check = check

    async def _crisis_over_cap(self, message: Message) -> Message | None:
        """The item marked ``over_cap`` if it is a crisis, else None (the cap holds it back). The cap
        keeps the bot from crowding a subreddit with model replies; it must never delay the fixed
        resources for someone at risk. With ``replies_per_hour = 0`` (no public comments at all) the
        resources go as a private message instead."""
        text = message.text.strip()
        if len(text) > self.max_message_chars:
            text = text[-self.max_message_chars :]  # what the dispatcher will look at
        if self._crisis_check is not None:
            crisis = await self._crisis_check(text)
        else:
            crisis = self.safety.check_incoming(text).crisis
        if not crisis:
            return None
        return dataclasses.replace(message, extras={**message.extras, "over_cap": True})

    async def _note_public_reply(self, subreddit: str, thread: str) -> None:
        if subreddit:
            window = await self._window(subreddit)
            window.append(self.clock())
            # Persisted, so a restart does not reset the hourly cap.
            await self.store.set_cursor(self._window_cursor(subreddit), json.dumps(window))
        if thread:
            await self.store.mark_handled(self.ns, f"thread:{thread}")


def _norm_user(name: str) -> str:
    name = name.strip().strip("/")
    return name[2:] if name.lower().startswith("u/") else name


def _unreadable_reason(exc: BaseException) -> str:
    status = exc.response.status if isinstance(exc, asyncprawcore.exceptions.ResponseException) else 0
    why = {403: "private or quarantined?", 404: "banned?", 451: "blocked here?"}.get(
        status, "it does not exist?"
    )
    return f"HTTP {status}: {why}"


def _describe(exc: BaseException) -> str:
    """A short description of an error for the log (no request bodies, no secrets)."""
    if isinstance(exc, asyncprawcore.exceptions.RequestException):
        return f"network error ({type(exc.original_exception).__name__})"
    if isinstance(exc, asyncprawcore.exceptions.ResponseException):
        return f"HTTP {exc.response.status} from Reddit"
    return str(exc) or type(exc).__name__
