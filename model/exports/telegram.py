"""Telegram Desktop JSON exports: a single chat (ChatExport_*/result.json) or the whole account."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from model.exports.sources import load_json
from model.exports.types import MEDIA, TEXT, ChatMessage, Conversation, ExportError, participants_of

MEDIA_KEYS = (
    "media_type",
    "photo",
    "file",
    "sticker_emoji",
    "poll",
    "location_information",
    "contact_information",
)
DELETED_ACCOUNT = "Deleted Account"
SAVED_MESSAGES = "Saved Messages"


def sniff(head: str) -> bool:
    return (
        '"date_unixtime"' in head
        or '"personal_information"' in head
        or (
            '"messages"' in head
            and any(
                f'"{t}"' in head
                for t in ("personal_chat", "private_group", "private_supergroup", "saved_messages")
            )
        )
    )


def flatten_text(value: Any) -> str:
    """`text` is a string, or a list mixing strings and {type, text} entities (links, bold, ...)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(
            part if isinstance(part, str) else str(part.get("text", "")) if isinstance(part, dict) else ""
            for part in value
        )
    return ""


def _time(raw: dict[str, Any]) -> float | None:
    try:
        return float(raw["date_unixtime"])
    except (KeyError, TypeError, ValueError):
        pass
    try:
        return datetime.fromisoformat(str(raw["date"])).replace(tzinfo=UTC).timestamp()
    except (KeyError, ValueError):
        return None


def _chat(
    chat: dict[str, Any], skipped: Counter[str], owner_ids: Counter[str], owner_id: str | None
) -> Conversation | None:
    ctype = str(chat.get("type") or "")
    if "channel" in ctype:
        # A broadcast channel is one voice talking to nobody: nothing to learn replies from.
        skipped["channel post"] += len(chat.get("messages") or [])
        return None
    if "name" not in chat or ctype == "saved_messages":
        title = SAVED_MESSAGES
    else:
        title = str(chat.get("name") or "") or DELETED_ACCOUNT
    messages: list[ChatMessage] = []
    for raw in chat.get("messages") or []:
        if not isinstance(raw, dict):
            skipped["bad record"] += 1
            continue
        if raw.get("type") != "message":
            skipped["service message"] += 1
            continue
        if raw.get("forwarded_from") is not None:
            skipped["forwarded"] += 1  # someone else's words
            continue
        when = _time(raw)
        if when is None:
            skipped["bad record"] += 1
            continue
        sender = raw.get("from")
        speaker = sender.strip() if isinstance(sender, str) and sender.strip() else DELETED_ACCOUNT
        if owner_id and raw.get("from_id") == owner_id:
            owner_ids[speaker] += 1
        text = flatten_text(raw.get("text")).strip() or flatten_text(raw.get("text_entities")).strip()
        if text:
            messages.append(ChatMessage(speaker, text, when, TEXT))
        elif any(raw.get(k) for k in MEDIA_KEYS):
            messages.append(ChatMessage(speaker, "", when, MEDIA))
        else:
            skipped["empty message"] += 1
    return Conversation(
        id=str(chat.get("id", title)), title=title, messages=messages, participants=participants_of(messages)
    )


def parse_file(path: Path, name: str | None = None) -> tuple[list[Conversation], Counter[str], str | None]:
    name = name or str(path)
    data = load_json(path, name)
    if not isinstance(data, dict):
        raise ExportError(f"{name}: not a Telegram export (the top level is not an object)")
    skipped: Counter[str] = Counter()
    owner_names: Counter[str] = Counter()
    owner_id = None
    info = data.get("personal_information")
    if isinstance(info, dict) and info.get("user_id") is not None:
        owner_id = f"user{info['user_id']}"
    if isinstance(data.get("chats"), dict):
        chats = list(data["chats"].get("list") or [])
        if isinstance(data.get("left_chats"), dict):  # groups you have left still hold your replies
            chats += data["left_chats"].get("list") or []
    elif isinstance(data.get("messages"), list):
        chats = [data]
    else:
        raise ExportError(f"{name}: not a Telegram export (no 'messages' list and no 'chats')")
    conversations = [
        c for chat in chats if isinstance(chat, dict) and (c := _chat(chat, skipped, owner_names, owner_id))
    ]
    owner: str | None = None
    if owner_names:
        owner = owner_names.most_common(1)[0][0]
    elif isinstance(info, dict):
        owner = " ".join(str(info.get(k) or "") for k in ("first_name", "last_name")).strip() or None
    elif len(chats) == 1 and chats[0].get("type") == "personal_chat":
        # In a one-to-one chat export, the chat is named after the other person.
        others = (
            [s for s in conversations[0].participants if s != chats[0].get("name")] if conversations else []
        )
        owner = others[0] if len(others) == 1 else None
    return conversations, skipped, owner
