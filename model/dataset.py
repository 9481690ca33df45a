"""Turn a parsed chat export into training examples in the conversational ``messages`` format.

    parsed -> conversations (minus excluded contacts) -> sessions (split at long silences)
           -> turns (one sender's consecutive messages merged; media/system/deleted dropped)
           -> one example per target-speaker turn: up to N preceding turns as context, the turn
              itself as the assistant reply -> train / valid split by conversation.

Pure Python: the trainer (model/training.py) reads the JSONL this writes.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from model.exports import (
    TEXT,
    ChatMessage,
    Conversation,
    ExportError,
    ParsedExport,
    guess_owner,
    speaker_counts,
)


class DatasetError(ValueError):
    """The examples cannot be built (speaker not present, nothing left after filtering, bad option)."""


@dataclass
class DatasetOptions:
    speaker: str | None = None  # target (assistant) speaker; None = guess_owner()
    session_gap_minutes: float = 360  # a silence this long starts a new session
    max_context_turns: int = 8
    scrub: bool = True  # emails, phone numbers, URLs -> <email>, <phone>, <url>
    exclude_contacts: tuple[str, ...] = ()  # drop whole conversations that include these people
    valid_fraction: float = 0.1
    seed: int = 0
    system_prompt: str | None = None
    min_reply_chars: int = 1

    def __post_init__(self) -> None:
        if not 0.0 <= self.valid_fraction < 1.0:
            raise DatasetError(f"valid_fraction must be in [0, 1), got {self.valid_fraction}")
        if self.max_context_turns < 1:
            raise DatasetError(f"max_context_turns must be at least 1, got {self.max_context_turns}")
        if self.session_gap_minutes <= 0:
            raise DatasetError(f"session_gap_minutes must be positive, got {self.session_gap_minutes}")
        self.exclude_contacts = tuple(self.exclude_contacts)


# --- scrubbing --------------------------------------------------------------------------------

URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")
# A run of digits with phone punctuation; counted afterwards so dates, times and prices survive.
PHONE_CANDIDATE = re.compile(r"(?<![\w/.:-])\+?\(?\d[\d\s().-]{5,}\d(?![\w/:])")
DATE_LIKE = re.compile(r"^\d{1,4}([./-])\d{1,2}\1\d{1,4}$")


def _phone(m: re.Match[str]) -> str:
    text = m.group(0)
    digits = sum(ch.isdigit() for ch in text)
    if DATE_LIKE.match(text.strip()) or not (9 <= digits <= 15 or (text.startswith("+") and digits >= 8)):
        return text
    if "\n" in text:
        return text
    return "<phone>"


def _url(m: re.Match[str]) -> str:
    # Sentence punctuation right after a link is not part of it ("see x.org, then ...").
    url = m.group(0)
    trail = len(url) - len(url.rstrip(".,;:!?)]}"))
    return "<url>" + (url[-trail:] if trail else "")


def scrub_text(text: str) -> str:
    """Replace emails, URLs and phone numbers with placeholders (before a model can memorise them)."""
    # Cheap checks first: most chat messages hold none of these, and exports can be millions of lines.
    if "@" in text:
        text = EMAIL.sub("<email>", text)
    lowered = text.lower()
    if "http" in lowered or "www." in lowered:
        text = URL.sub(_url, text)
    if any(ch.isdigit() for ch in text):
        text = PHONE_CANDIDATE.sub(_phone, text)
    return text


# --- turns and examples -----------------------------------------------------------------------


@dataclass
class _Turn:
    speaker: str
    texts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.texts)


def _resolve_speaker(parsed: ParsedExport, wanted: str | None, counts: Counter[str]) -> str:
    listing = ", ".join(f"{name} ({n})" for name, n in counts.most_common(30))
    if wanted is None:
        chosen = guess_owner(parsed)
        if chosen is None:
            raise DatasetError(
                f"could not guess whose voice to learn; pass a speaker. Speakers: {listing or 'none'}"
            )
        return chosen
    if wanted in counts:
        return wanted
    folded = [name for name in counts if name.casefold() == wanted.strip().casefold()]
    if len(folded) == 1:
        return folded[0]
    raise DatasetError(
        f"speaker {wanted!r} is not in {', '.join(parsed.files[:3])}; speakers present: {listing or 'none'}"
    )


def _sessions(messages: list[ChatMessage], gap_seconds: float) -> list[list[ChatMessage]]:
    sessions: list[list[ChatMessage]] = [[]]
    last: float | None = None
    for m in messages:
        if m.time is not None and last is not None and m.time - last > gap_seconds and sessions[-1]:
            sessions.append([])
        sessions[-1].append(m)
        if m.time is not None:
            last = m.time
    return [s for s in sessions if s]


def _turns(session: list[ChatMessage], scrub: bool, skipped: Counter[str]) -> list[_Turn]:
    turns: list[_Turn] = []
    for m in session:
        if m.kind != TEXT:
            skipped[m.kind] += 1
            continue
        text = m.text.strip()
        if not text:
            skipped["empty"] += 1
            continue
        if scrub:
            text = scrub_text(text)
        if turns and turns[-1].speaker == m.speaker:
            turns[-1].texts.append(text)
        else:
            turns.append(_Turn(m.speaker, [text]))
    return turns


def _messages_for(
    context: list[_Turn], reply: _Turn, target: str, group_chat: bool, system: str | None, scrub: bool
) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    if system:
        out.append({"role": "system", "content": system})
    for turn in context:
        role = "assistant" if turn.speaker == target else "user"
        # WhatsApp shows unsaved contacts as their phone number: the name prefix is scrubbed too.
        name = scrub_text(turn.speaker) if scrub else turn.speaker
        content = f"{name}: {turn.text}" if group_chat and role == "user" else turn.text
        if out and out[-1]["role"] == role == "user":
            # Several people in a row: one user turn, so roles keep alternating for chat templates.
            out[-1]["content"] += "\n" + content
        else:
            out.append({"role": role, "content": content})
    out.append({"role": "assistant", "content": reply.text})
    return out


def _system_text(options: DatasetOptions, conversation: Conversation) -> str | None:
    parts = [p for p in (options.system_prompt, conversation.system) if p]
    return "\n".join(parts) or None


def _involves(conversation: Conversation, excluded: set[str]) -> bool:
    people = set(conversation.participants) | {m.speaker for m in conversation.messages}
    return any(p.casefold() in excluded for p in people)


def _split(units: list[tuple[str, int]], fraction: float, seed: int) -> set[str]:
    """Pick whole units (conversation groups or sessions) for validation until about `fraction` of
    the examples are held out, skipping units that would overshoot and never emptying training."""
    total = sum(n for _, n in units)
    if fraction <= 0 or total < 2 or len(units) < 2:
        return set()
    target = max(1, round(total * fraction))
    order = sorted(units)
    random.Random(seed).shuffle(order)
    chosen: set[str] = set()
    held = 0
    for key, n in order:
        if held >= target:
            break
        if n == 0 or total - held - n < 1 or held + n > target * 1.5 + 1:
            continue  # empty, would leave no training data, or a big unit that would overshoot
        chosen.add(key)
        held += n
    return chosen


MIN_UNITS_FOR_CONVERSATION_SPLIT = 5


def build_examples(
    parsed: ParsedExport, options: DatasetOptions
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    """-> (train, valid, stats). Each example is {"messages": [...]} ending with the target speaker."""
    counts = speaker_counts(parsed)
    target = _resolve_speaker(parsed, options.speaker, counts)
    excluded = {c.strip().casefold() for c in options.exclude_contacts if c.strip()}
    if target.casefold() in excluded:
        raise DatasetError(f"speaker {target!r} is also in exclude_contacts; nothing would be left")
    if excluded:
        # A misspelt name would silently train on the very chats someone wanted kept out.
        people = {
            p.casefold()
            for c in parsed.conversations
            for p in (*c.participants, *(m.speaker for m in c.messages))
        }
        unmatched = sorted(
            c for c in options.exclude_contacts if c.strip() and c.strip().casefold() not in people
        )
        if unmatched:
            raise DatasetError(
                f"exclude_contacts not found in the export: {', '.join(unmatched)}; speakers present: "
                + ", ".join(f"{n} ({c})" for n, c in counts.most_common(30))
            )
    skipped: Counter[str] = Counter(parsed.skipped)
    gap = options.session_gap_minutes * 60.0
    short_replies = 0
    no_context = 0
    sessions_total = 0
    excluded_conversations = 0
    # (unit key for a split by conversation, unit key for a split by session, example)
    built: list[tuple[str, str, dict[str, Any]]] = []
    for conversation in parsed.conversations:
        if excluded and _involves(conversation, excluded):
            excluded_conversations += 1
            continue
        speakers = set(conversation.participants) | {m.speaker for m in conversation.messages}
        group_chat = len(speakers) > 2
        system = _system_text(options, conversation)
        for s_index, session in enumerate(_sessions(conversation.messages, gap)):
            sessions_total += 1
            turns = _turns(session, options.scrub, skipped)
            for i, turn in enumerate(turns):
                if turn.speaker != target:
                    continue
                context = turns[max(0, i - options.max_context_turns) : i]
                while context and context[0].speaker == target:
                    context = context[1:]  # a conversation for training starts with someone else talking
                if not context:
                    no_context += 1
                    continue
                if len(turn.text) < options.min_reply_chars:
                    short_replies += 1
                    continue
                example = {
                    "messages": _messages_for(context, turn, target, group_chat, system, options.scrub)
                }
                group = conversation.group or conversation.id
                built.append((group, f"{group}\x00{conversation.id}\x00{s_index}", example))

    if not built:
        raise DatasetError(
            f"no training examples for {target!r}: they never reply to someone else"
            f" (replies shorter than {options.min_reply_chars} chars: {short_replies}, turns without context: {no_context},"
            f" conversations excluded: {excluded_conversations})"
        )

    # Split by conversation when there are enough of them and some fit the target size; else by
    # session (sessions are separated by long silences, so little leaks); else by time.
    split_by = "none"
    held: set[str] = set()
    unit_of = 0
    if options.valid_fraction > 0 and len(built) >= 2:
        split_by = "time"
        for name, index in (("conversation", 0), ("session", 1)):
            units = Counter(row[index] for row in built)
            if name == "conversation" and len(units) < MIN_UNITS_FOR_CONVERSATION_SPLIT:
                continue
            held = _split(sorted(units.items()), options.valid_fraction, options.seed)
            if held:
                split_by, unit_of = name, index
                break
    train: list[dict[str, Any]] = []
    valid: list[dict[str, Any]] = []
    if split_by == "time":
        cut = len(built) - max(1, round(len(built) * options.valid_fraction))
        train = [row[2] for row in built[:cut]]
        valid = [row[2] for row in built[cut:]]
    else:
        for row in built:
            (valid if row[unit_of] in held else train).append(row[2])

    replies = [ex["messages"][-1]["content"] for ex in train + valid]
    stats: dict[str, Any] = {
        "format": parsed.format,
        "files": list(parsed.files),
        "messages": parsed.message_count,
        "conversations": len(parsed.conversations),
        "conversations_excluded": excluded_conversations,
        "sessions": sessions_total,
        "examples": len(built),
        "train": len(train),
        "valid": len(valid),
        "split_by": split_by,
        "speaker": target,
        "owner_guess": guess_owner(parsed),
        "speakers": dict(counts.most_common()),
        "skipped": dict(skipped.most_common()),
        "replies_too_short": short_replies,
        "replies_without_context": no_context,
        "mean_reply_chars": round(sum(map(len, replies)) / len(replies), 1),
        "options": {
            "session_gap_minutes": options.session_gap_minutes,
            "max_context_turns": options.max_context_turns,
            "scrub": options.scrub,
            "exclude_contacts": len(options.exclude_contacts),  # a count: names stay out of reports
            "valid_fraction": options.valid_fraction,
            "seed": options.seed,
            "min_reply_chars": options.min_reply_chars,
        },
    }
    return train, valid, stats


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    """One JSON object per line, UTF-8 (emoji kept as-is so the file stays readable)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    tmp.replace(path)


__all__ = ["DatasetError", "DatasetOptions", "ExportError", "build_examples", "scrub_text", "write_jsonl"]
