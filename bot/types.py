"""The small, frozen types that cross the boundaries between adapters, the core and the engine.

Nothing here knows about a platform SDK or about torch: adapters turn their platform's events into a
``Message`` in one place, and the engine turns a ``GenerationRequest`` into a ``Generation``.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

Role = Literal["system", "user", "assistant"]


def _frozen_map(data: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(data or {}))


@dataclass(frozen=True, slots=True)
class UserKey:
    """Who a conversation is with: platform + user id, plus the chat id for group chats.

    A DM has ``chat_id=None``, so the same person has one private memory per platform and a separate
    one per group chat.
    """

    platform: str
    user_id: str
    chat_id: str | None = None

    def __post_init__(self) -> None:
        if not self.platform or not self.user_id:
            raise ValueError("UserKey needs a platform and a user id")

    def __str__(self) -> str:
        base = f"{self.platform}:{self.user_id}"
        return f"{base}@{self.chat_id}" if self.chat_id else base


@dataclass(frozen=True, slots=True)
class Message:
    """One incoming message, platform-neutral. Raw platform ids ride in ``extras``."""

    key: UserKey
    text: str
    message_id: str = ""
    """The platform's id of this message (unique per platform); used to never answer twice."""
    user_name: str | None = None
    is_group: bool = False
    addressed: bool = True
    """True in a DM, or in a group when the bot was mentioned or replied to."""
    sent_at: float = field(default_factory=time.time)
    extras: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "extras", _frozen_map(self.extras))


ReplyKind = Literal[
    "model",  # written by the model and passed the reply checks
    "fallback",  # every candidate failed the reply checks; a safe fixed reply
    "command",  # answer to /help, /reset, ...
    "crisis",  # crisis resources; the model was not asked
    "busy",  # the engine was overloaded or timed out
    "rate_limited",  # the one polite notice a flooding user gets
    "error",  # something broke; a short apology
    "notice",  # other fixed texts (e.g. consent refusal)
]


@dataclass(frozen=True, slots=True)
class Reply:
    key: UserKey
    text: str
    kind: ReplyKind = "model"
    in_reply_to: str = ""
    """``Message.message_id`` this answers."""
    extras: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "extras", _frozen_map(self.extras))


@dataclass(frozen=True, slots=True)
class ChatTurn:
    role: Role
    content: str
    pinned: bool = False
    """Part of the persona (its few-shot examples): kept when history is cut for length, and only
    dropped, last example first, when even the persona and the latest message do not fit."""


ANCHOR_EVERY = 3
"""About one user turn in this many is an *anchor*: a place where a cut history may start."""


def is_anchor(role: str, content: str) -> bool:
    """Whether a cut history may start at this turn.

    Wherever a history window is cut (the memory's last ``history_turns``, the engine's token budget),
    it starts at the first anchor inside the window rather than at the window's edge. The first anchor
    stays the first one while the conversation grows, so consecutive prompts keep the same start and
    the engine can reuse the keys/values it computed for the previous turn; cutting at the edge would
    move the start, and with it every cached position, on every turn. Anchors are picked by a hash of
    the text, so the choice does not depend on where the window happens to be.
    """
    return role == "user" and zlib.crc32(content.encode("utf-8")) % ANCHOR_EVERY == 0


@dataclass(frozen=True, slots=True)
class SamplingParams:
    max_new_tokens: int = 96
    temperature: float = 0.7
    top_k: int = 50
    top_p: float = 0.9
    repetition_penalty: float = 1.1
    """Over prompt and reply. 1.15 pushed the embedded model away from the plain words of its own
    system prompt into rambling (scripts/compare_sampling.py; docs/training.md)."""
    no_repeat_ngram_size: int = 4
    """0 disables; small models loop, so a default of a few tokens helps."""

    def __post_init__(self) -> None:
        if self.max_new_tokens < 1:
            raise ValueError("max_new_tokens must be at least 1")
        if self.temperature < 0:
            raise ValueError("temperature must be >= 0 (0 means greedy)")
        if not 0 < self.top_p <= 1:
            raise ValueError("top_p must be in (0, 1]")
        if self.top_k < 0:
            raise ValueError("top_k must be >= 0 (0 disables it)")
        if self.repetition_penalty <= 0:
            raise ValueError("repetition_penalty must be > 0")


@dataclass(frozen=True, slots=True)
class GenerationRequest:
    """What the dispatcher asks of the engine.

    ``messages`` starts with the system prompt (and any few-shot turns) and ends with the user's
    turn. The engine drops the oldest non-system turns until the prompt fits ``history_budget``
    tokens, so the core never needs a tokenizer.
    """

    messages: tuple[ChatTurn, ...]
    sampling: SamplingParams = field(default_factory=SamplingParams)
    stop: tuple[str, ...] = ()
    num_candidates: int = 1
    seed: int | None = None
    history_budget: int = 768
    model: str | None = None
    """A persona's own model (path or id); None means the engine's default model."""
    timeout_s: float | None = None
    """How long the request may wait in the queue before the engine answers "busy"."""

    def __post_init__(self) -> None:
        if not self.messages:
            raise ValueError("a GenerationRequest needs at least one message")
        if self.num_candidates < 1:
            raise ValueError("num_candidates must be at least 1")


GenerationStatus = Literal["ok", "busy", "error"]


@dataclass(frozen=True, slots=True)
class Generation:
    texts: tuple[str, ...] = ()
    """One text per candidate, already cut at stop strings and end of turn."""
    status: GenerationStatus = "ok"
    error: str = ""
    prompt_tokens: int = 0
    new_tokens: int = 0
    queued_s: float = 0.0
    latency_s: float = 0.0
    finish_reasons: tuple[str, ...] = ()
    """Per candidate: "stop" (end of turn or stop string) or "length"."""

    @property
    def text(self) -> str:
        return self.texts[0] if self.texts else ""
