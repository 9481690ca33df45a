"""Facebook Messenger "Download Your Information" JSON, and the newer end-to-end-encrypted download.

Classic layout: <root>/{messages | your_activity_across_facebook/messages | your_facebook_activity/messages}
/{inbox, archived_threads, filtered_threads, message_requests, e2ee_cutover}/<thread>/message_<N>.json.
Searching for message_<N>.json under whatever folder is given covers every layout, and a single
thread folder or file too. The e2ee download is a flat folder of <Name>_<N>.json.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from model.exports.sources import load_json
from model.exports.types import MEDIA, TEXT, ChatMessage, Conversation, ExportError, participants_of

THREAD_FILE = re.compile(r"^message_\d+\.json$")
E2EE_FILE = re.compile(r"^(?P<thread>.+?)_(?P<n>\d+)\.json$")
MEDIA_KEYS = ("photos", "videos", "audio_files", "files", "gifs", "sticker", "share")
REACTION_TEXT = re.compile(r"^Reacted .{1,8} to your message\s*$")
# Notices Messenger stores as ordinary messages from the person who caused them.
NOTICE_TEXT = re.compile(
    r"(named the group|changed the group photo|added .+ to the group|left the group|removed .+ from the group|"
    r"set (your|the|his|her|their|my) nickname|set the nickname|set the emoji|changed the (chat )?theme|"
    r"started a (video )?call|joined the (video )?call|The (video )?call ended|"
    r"You are now connected on Messenger|You can now message and call each other)"
)
MEDIA_TEXT = re.compile(
    r"^(.{1,80} sent an attachment\.|.{1,80} sent a (photo|video|GIF|sticker|voice message|link)\.)$"
)
NON_SPEECH_TYPES = {"call": "call", "subscribe": "system notice", "unsubscribe": "system notice"}


def fix_mojibake(s: str) -> str:
    """Facebook writes UTF-8 bytes as if each were a latin-1 character ("Ã©" for "é").

    Undo that only when it is safe: a string holding a character above U+00FF is already proper
    Unicode, and one whose latin-1 bytes are not valid UTF-8 is a genuine latin-1 text ("café").
    """
    if s.isascii():
        return s
    try:
        return s.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return s


def sniff_name(path: Path) -> str | None:
    if THREAD_FILE.match(path.name):
        return "messenger"
    return None


def sniff(head: str) -> str | None:
    if '"senderName"' in head or '"threadName"' in head:
        return "messenger_e2ee"
    if '"sender_name"' in head or (
        '"participants"' in head and ('"thread_path"' in head or '"is_still_participant"' in head)
    ):
        return "messenger"
    return None


def _time(value: Any) -> float | None:
    try:
        return float(value) / 1000.0
    except (TypeError, ValueError):
        return None


def _message(raw: Any, skipped: Counter[str], *, e2ee: bool) -> ChatMessage | None:
    if not isinstance(raw, dict):
        skipped["bad record"] += 1
        return None
    sender = raw.get("senderName" if e2ee else "sender_name")
    when = _time(raw.get("timestamp" if e2ee else "timestamp_ms"))
    if not isinstance(sender, str) or when is None:
        skipped["bad record"] += 1
        return None
    if raw.get("isUnsent" if e2ee else "is_unsent"):
        skipped["unsent"] += 1
        return None
    mtype = str(raw.get("type") or "").lower()
    if mtype in NON_SPEECH_TYPES:
        skipped[NON_SPEECH_TYPES[mtype]] += 1
        return None
    text = raw.get("text" if e2ee else "content")
    text = fix_mojibake(text).strip() if isinstance(text, str) else ""
    if text and REACTION_TEXT.match(text):
        skipped["reaction"] += 1
        return None
    speaker = fix_mojibake(sender).strip() or "Facebook user"
    if text and NOTICE_TEXT.search(text) and len(text) < 200:
        skipped["system notice"] += 1
        return None
    if text and MEDIA_TEXT.match(text):
        return ChatMessage(speaker, "", when, MEDIA)
    if text:
        return ChatMessage(speaker, text, when, TEXT)
    has_media = any(raw.get(k) for k in (("media",) if e2ee else MEDIA_KEYS))
    if has_media:
        return ChatMessage(speaker, "", when, MEDIA)
    skipped["empty message"] += 1
    return None


def _sorted(messages: list[tuple[int, ChatMessage]]) -> list[ChatMessage]:
    # Files list newest first; sort by time, and on equal times keep the reversed file order.
    messages.sort(key=lambda im: (im[1].time or 0.0, -im[0]))
    out: list[ChatMessage] = []
    seen: set[tuple[str, str, float | None]] = set()
    for _, m in messages:
        key = (m.speaker, m.text, m.time)
        if key in seen and m.text:  # the same message in two split files
            continue
        seen.add(key)
        out.append(m)
    return out


def thread_files(root: Path) -> dict[Path, list[Path]]:
    if root.is_file():
        return {root.parent: [root]}
    groups: dict[Path, list[Path]] = defaultdict(list)
    for f in sorted(root.rglob("message_*.json")):
        if THREAD_FILE.match(f.name):
            groups[f.parent].append(f)
    return groups


def _file_number(f: Path) -> int:
    digits = re.findall(r"\d+", f.stem)
    return int(digits[-1]) if digits else 0


def parse_threads(
    groups: dict[Path, list[Path]], names: dict[Path, str]
) -> tuple[list[Conversation], Counter[str]]:
    skipped: Counter[str] = Counter()
    conversations: list[Conversation] = []
    for folder, files in sorted(groups.items()):
        collected: list[tuple[int, ChatMessage]] = []
        title = folder.name
        participants: list[str] = []
        for f in sorted(files, key=_file_number):
            data = load_json(f, names.get(f))
            if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
                raise ExportError(f"{names.get(f, f)}: not a Messenger thread file (no 'messages' list)")
            if isinstance(data.get("title"), str):
                title = fix_mojibake(data["title"])
            if not participants:
                participants = [
                    fix_mojibake(p["name"])
                    for p in data.get("participants") or []
                    if isinstance(p, dict) and isinstance(p.get("name"), str)
                ]
            for raw in data["messages"]:
                m = _message(raw, skipped, e2ee=False)
                if m is not None:
                    collected.append((len(collected), m))
        messages = _sorted(collected)
        conv_id = f"{folder.parent.name}/{folder.name}" if folder.parent.name else folder.name
        conversations.append(
            Conversation(
                id=conv_id,
                title=title,
                messages=messages,
                participants=participants or participants_of(messages),
            )
        )
    return conversations, skipped


def parse_e2ee(files: list[Path], names: dict[Path, str]) -> tuple[list[Conversation], Counter[str]]:
    """Flat <Name>_<N>.json files; split parts of one chat share the name before _<N>."""
    skipped: Counter[str] = Counter()
    groups: dict[str, list[Path]] = defaultdict(list)
    for f in files:
        m = E2EE_FILE.match(f.name)
        groups[str(f.parent / (m.group("thread") if m else f.stem))].append(f)
    conversations: list[Conversation] = []
    for key, parts in sorted(groups.items()):
        collected: list[tuple[int, ChatMessage]] = []
        title = Path(key).name
        participants: list[str] = []
        for f in sorted(parts, key=_file_number):
            data = load_json(f, names.get(f))
            if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
                raise ExportError(
                    f"{names.get(f, f)}: not a Messenger encrypted-chat file (no 'messages' list)"
                )
            if isinstance(data.get("threadName"), str) and data["threadName"].strip():
                title = fix_mojibake(data["threadName"])
            if not participants:
                participants = [fix_mojibake(p) for p in data.get("participants") or [] if isinstance(p, str)]
            for raw in data["messages"]:
                m = _message(raw, skipped, e2ee=True)
                if m is not None:
                    collected.append((len(collected), m))
        messages = _sorted(collected)
        conversations.append(
            Conversation(
                id=Path(key).name,
                title=title,
                messages=messages,
                participants=participants or participants_of(messages),
            )
        )
    return conversations, skipped
