"""The neutral shape every chat-export parser produces.

Parsers turn very different files (Messenger threads, a Telegram result.json, a WhatsApp .txt, ...)
into the same few dataclasses, so dataset building never needs to know where a chat came from.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

# Message kinds. Only "text" is speech; the others are kept so that session splitting still sees
# the time of every message, and dataset building counts what it drops.
TEXT, MEDIA, SYSTEM, DELETED = "text", "media", "system", "deleted"
KINDS = (TEXT, MEDIA, SYSTEM, DELETED)


class ExportError(Exception):
    """An export could not be read; the message names the file (and line where known) and what is wrong."""


@dataclass(frozen=True)
class ChatMessage:
    speaker: str
    text: str  # "" for media-only messages
    time: float | None  # unix seconds (exports without a zone are read as UTC: only gaps matter)
    kind: str = TEXT  # "text" | "media" | "system" | "deleted"


@dataclass
class Conversation:
    id: str  # thread folder / chat id / file name / post id
    title: str
    messages: list[ChatMessage]  # oldest first
    participants: list[str]
    # Conversations with the same non-empty group always land in the same train/valid split
    # (e.g. several toastme comments on one post), so a prompt never leaks from train into valid.
    group: str = ""
    # Per-conversation system text (a PersonaChat personality); combined with DatasetOptions.system_prompt.
    system: str | None = None


@dataclass
class ParsedExport:
    format: str
    files: list[str]
    conversations: list[Conversation]
    owner: str | None = None  # the speaker that looks like the exporting user, when the format tells
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> records skipped while parsing

    @property
    def message_count(self) -> int:
        return sum(len(c.messages) for c in self.conversations)


def participants_of(messages: list[ChatMessage]) -> list[str]:
    """Speakers in order of first appearance."""
    seen: dict[str, None] = {}
    for m in messages:
        seen.setdefault(m.speaker, None)
    return list(seen)
