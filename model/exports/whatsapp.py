"""WhatsApp chat exports: one chat per .txt (``_chat.txt`` inside the zip on iOS).

Each message starts with a timestamp whose shape depends on the phone's locale; lines without
one continue the previous message. Day-first vs month-first cannot be told from one line, so it
is inferred once for the whole file.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from model.exports.sources import read_text
from model.exports.types import (
    DELETED,
    MEDIA,
    SYSTEM,
    TEXT,
    ChatMessage,
    Conversation,
    ExportError,
    participants_of,
)

log = logging.getLogger(__name__)

# One pattern for every variant in FORMATS.md: optional U+200E and "[", a date with / . or -
# separators (year first or last), an optional comma, a time with optional seconds, an optional
# am/pm marker in any spelling ("PM", "p.m.", "p. m.", after U+202F on iOS), then "] " or " - "/" – ".
LINE_START = re.compile(
    r"^[\u200e\u200f]?\[?"
    r"(?P<date>\d{1,4}[./-]\d{1,2}[./-]\d{1,4}),?\s+"
    r"(?P<time>\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)"
    r"(?:\s*(?P<ampm>[AaPp]\.?\s?[Mm]\.?))?"
    r"(?:\]\s|\s[-\u2013\u2014]\s)"
)

MEDIA_TEXT = re.compile(
    r"^(<Media omitted>|<media omitted>|(image|video|audio|sticker|GIF|document|Contact card|contact card) omitted"
    r"|<attached: [^>]*>|.+ \(file attached\)|location: https?://\S+|Live location shared|"
    r"null|\(null\))$"
)
DELETED_TEXT = re.compile(
    r"^(This message was deleted\.?|You deleted this message\.?|Este mensaje fue eliminado\.?)$"
)
# Call notices and iOS group notices (which iOS writes with the group name as the sender and a
# leading U+200E).
SYSTEM_TEXT = re.compile(
    r"(end-to-end encrypted|created (the )?group|created this group|\badded\b|\bremoved\b|\bleft$|"
    r"changed (the|this group's) (subject|description|icon|settings)|changed the group|joined using|"
    r"security code|now an admin|disappearing messages|pinned a message|Missed (voice|video) call|"
    r"deleted this group's icon|changed their phone number|You're now|Waiting for this message)",
    re.IGNORECASE,
)
# A "name" that is really a system sentence holding ': ' inside quotes, e.g.
#   Ana changed the subject from "x" to "Plans: Friday"
SYSTEM_NAME = re.compile(
    r"\b(changed the subject|changed the group description|changed this group|created group)\b"
)
# "Ana added Bob: The Builder" looks like a message from "Ana added Bob"; such a "name" is a notice
# unless that name really speaks elsewhere in the file.
NOTICE_NAME = re.compile(r"\b(added|removed|joined|left|changed|created|invited|was added|security code)\b")
EDITED_SUFFIX = re.compile(r"\s*<This message was edited>$")
# Invisible direction marks: U+200E/U+200F on iOS lines, U+202A...U+202C around an unsaved contact's
# phone number on Android. Nobody can type them in --speaker, so they never stay in a name.
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
MAX_NAME = 80


@dataclass
class _Raw:
    date: tuple[int, int, int]
    date_sep: str
    time: str
    ampm: str | None
    rest: str
    line: int


def sniff(head: str) -> bool:
    lines = [ln for ln in head.splitlines()[:60] if ln.strip()]
    return sum(1 for ln in lines if LINE_START.match(ln)) >= max(1, len(lines) // 4)


def _infer_day_first(raws: list[_Raw], name: str) -> bool:
    """True when dates are day/month/year. Evidence: a first part above 12 means day-first, a
    second part above 12 means month-first; without either, pick the order that keeps time moving
    forward, and as a last resort follow the separator habit ('.' is European day-first)."""
    first_big = sum(1 for r in raws if r.date[0] > 12)
    second_big = sum(1 for r in raws if r.date[1] > 12)
    if first_big and not second_big:
        return True
    if second_big and not first_big:
        return False
    if first_big and second_big:
        log.warning("%s: dates disagree on day/month order; using the majority", name)
        return first_big >= second_big

    def backwards(day_first: bool) -> int:
        last = None
        steps = 0
        for r in raws:
            a, b, y = r.date
            key = (y, b, a) if day_first else (y, a, b)
            if last is not None and key < last:
                steps += 1
            last = key
        return steps

    df, mf = backwards(True), backwards(False)
    if df != mf:
        return df < mf
    return raws[0].date_sep == "." if raws else False


def _to_time(raw: _Raw, day_first: bool) -> float:
    a, b, year = raw.date
    day, month = (a, b) if day_first else (b, a)
    if year < 100:
        year += 2000
    parts = [int(p) for p in re.split(r"[:.]", raw.time)]
    hour, minute = parts[0], parts[1]
    second = parts[2] if len(parts) > 2 else 0
    if raw.ampm:
        pm = raw.ampm.lower().startswith("p")
        if hour == 12:
            hour = 0
        if pm:
            hour += 12
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC).timestamp()


def _split_date(date: str) -> tuple[tuple[int, int, int], str]:
    sep = re.search(r"[./-]", date).group(0)  # type: ignore[union-attr]  # the pattern guarantees one
    p = [int(x) for x in re.split(r"[./-]", date)]
    if len(date.split(sep)[0]) == 4:  # year first: YYYY/MM/DD, never ambiguous
        return (p[2], p[1], p[0]), "year-first"
    return (p[0], p[1], p[2]), sep


def _classify(speaker: str | None, text: str) -> tuple[str, str]:
    """-> (kind, text) for a message body."""
    ios_marked = text.startswith("\u200e")
    clean = EDITED_SUFFIX.sub("", text.replace("\u200e", "").replace("\u200f", "")).strip()
    if MEDIA_TEXT.match(clean):
        return MEDIA, ""
    if DELETED_TEXT.match(clean):
        return DELETED, ""
    if (
        speaker is None
        or (ios_marked and SYSTEM_TEXT.search(clean))
        or re.match(r"^Missed (voice|video) call", clean)
    ):
        return SYSTEM, clean
    return TEXT, clean


def parse_file(path: Path, name: str | None = None) -> tuple[Conversation, Counter[str]]:
    name = name or str(path)
    text = read_text(path, name)
    skipped: Counter[str] = Counter()
    raws: list[_Raw] = []
    orphan_lines = 0
    for number, line in enumerate(text.splitlines(), start=1):
        m = LINE_START.match(line)
        if m:
            date, sep = _split_date(m.group("date"))
            raws.append(_Raw(date, sep, m.group("time"), m.group("ampm"), line[m.end() :], number))
        elif raws:
            raws[-1].rest += "\n" + line
        elif line.strip():
            orphan_lines += 1
    if not raws:
        raise ExportError(f"{name}: no WhatsApp messages found (no line starts with a date and time)")
    if orphan_lines:
        skipped["text before the first message"] += orphan_lines

    year_first = [r for r in raws if r.date_sep == "year-first"]
    day_first = (
        True
        if len(year_first) == len(raws)
        else _infer_day_first([r for r in raws if r.date_sep != "year-first"], name)
    )

    name_lines: Counter[str] = Counter()
    for r in raws:
        head, colon, _ = r.rest.partition(": ")
        if colon:
            name_lines[BIDI_MARKS.sub("", head).strip()] += 1

    messages: list[ChatMessage] = []
    for r in raws:
        try:
            when = _to_time(r, True if r.date_sep == "year-first" else day_first)
        except ValueError:
            skipped["bad timestamp"] += 1
            continue
        body = r.rest.rstrip("\n")
        speaker: str | None = None
        head, colon, tail = body.partition(": ")
        candidate = BIDI_MARKS.sub("", head).strip()
        looks_like_notice = SYSTEM_NAME.search(candidate) or (
            NOTICE_NAME.search(candidate) and name_lines[candidate] < 2
        )
        if colon and candidate and len(candidate) <= MAX_NAME and "\n" not in head and not looks_like_notice:
            speaker, body = candidate, tail
        kind, clean = _classify(speaker, body)
        if speaker is None:
            skipped["system notice"] += 1
            continue
        if kind == SYSTEM:
            skipped["system notice"] += 1
            continue
        messages.append(ChatMessage(speaker, clean, when, kind))
    title = path.stem
    for prefix in ("WhatsApp Chat with ", "WhatsApp Chat - ", "Chat de WhatsApp con "):
        if title.startswith(prefix):
            title = title[len(prefix) :]
    return Conversation(
        id=path.name, title=title, messages=messages, participants=participants_of(messages)
    ), skipped
