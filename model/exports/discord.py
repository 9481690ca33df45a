"""DiscordChatExporter output: JSON (one file per channel) and CSV."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from model.exports.sources import detect_encoding, load_json
from model.exports.types import MEDIA, TEXT, ChatMessage, Conversation, ExportError, participants_of

SPEECH_TYPES = {"default", "reply", "0", "19"}
CSV_COLUMNS = {"authorid", "author", "date", "content"}
# Older DiscordChatExporter CSVs wrote local dates like "17-Aug-20 02:32 PM".
CSV_DATE_FORMATS = (
    "%d-%b-%y %I:%M %p",
    "%d-%b-%Y %I:%M %p",
    "%m/%d/%Y %I:%M %p",
    "%Y-%m-%d %H:%M:%S",
    "%d/%m/%Y %H:%M",
)


def sniff_json(head: str) -> bool:
    return '"guild"' in head and '"channel"' in head and '"messages"' in head


def sniff_csv(head: str) -> bool:
    first = head.splitlines()[0] if head else ""
    return CSV_COLUMNS <= {c.strip().strip('"').lower() for c in first.split(",")}


def _time(value: Any) -> float | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        dt = None
        for fmt in CSV_DATE_FORMATS:
            try:
                dt = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        if dt is None:
            return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.timestamp()


def parse_json(path: Path, name: str | None = None) -> tuple[Conversation, Counter[str]]:
    name = name or str(path)
    data = load_json(path, name)
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        raise ExportError(f"{name}: not a DiscordChatExporter JSON file (no 'messages' list)")
    skipped: Counter[str] = Counter()
    messages: list[ChatMessage] = []
    for raw in data["messages"]:
        if not isinstance(raw, dict) or not isinstance(raw.get("author"), dict):
            skipped["bad record"] += 1
            continue
        if str(raw.get("type", "Default")).lower() not in SPEECH_TYPES:
            skipped["non-speech message"] += 1  # joins, pins, calls, thread notices
            continue
        author = raw["author"]
        speaker = str(author.get("name") or author.get("nickname") or author.get("id") or "").strip()
        if not speaker:
            skipped["bad record"] += 1
            continue
        when = _time(raw.get("timestamp"))
        text = str(raw.get("content") or "").strip()
        if text:
            messages.append(ChatMessage(speaker, text, when, TEXT))
        elif raw.get("attachments") or raw.get("stickers") or raw.get("embeds"):
            messages.append(ChatMessage(speaker, "", when, MEDIA))
        else:
            skipped["empty message"] += 1
    guild = data.get("guild") if isinstance(data.get("guild"), dict) else {}
    channel = data.get("channel") if isinstance(data.get("channel"), dict) else {}
    title = " / ".join(str(x) for x in (guild.get("name"), channel.get("category"), channel.get("name")) if x)
    conv_id = str(channel.get("id") or path.stem)
    return Conversation(
        id=conv_id, title=title or path.stem, messages=messages, participants=participants_of(messages)
    ), skipped


def parse_csv(path: Path, name: str | None = None) -> tuple[Conversation, Counter[str]]:
    name = name or str(path)
    skipped: Counter[str] = Counter()
    messages: list[ChatMessage] = []
    with open(path, "rb") as fb:
        encoding = detect_encoding(fb.read(4096))
    with open(path, encoding=encoding, newline="") as f:
        reader = csv.DictReader(f)
        try:
            columns = {(c or "").strip().lower(): c for c in reader.fieldnames or []}
            if not CSV_COLUMNS <= set(columns):
                raise ExportError(
                    f"{name} line 1: expected DiscordChatExporter CSV columns AuthorID, Author, Date, Content; got {list(columns)}"
                )
            for row in reader:
                if None in row or any(row.get(columns[c]) is None for c in CSV_COLUMNS):
                    skipped["bad record"] += 1  # wrong number of cells
                    continue
                speaker = row[columns["author"]].strip()
                text = row[columns["content"]].strip()
                when = _time(row[columns["date"]])
                attachments = row.get(columns.get("attachments", ""), "") or ""
                if not speaker:
                    skipped["bad record"] += 1
                elif text:
                    messages.append(ChatMessage(speaker, text, when, TEXT))
                elif attachments.strip():
                    messages.append(ChatMessage(speaker, "", when, MEDIA))
                else:
                    skipped["empty message"] += 1
        except UnicodeDecodeError as e:
            raise ExportError(
                f"{name} line {reader.line_num + 1}: the text is not valid {encoding} ({e.reason})"
            ) from None
        except csv.Error as e:
            raise ExportError(f"{name} line {reader.line_num}: broken CSV ({e})") from None
    return Conversation(
        id=path.name, title=path.stem, messages=messages, participants=participants_of(messages)
    ), skipped
